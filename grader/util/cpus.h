/* hw_cpus: how many CPUs this process may use. */
#ifndef HW_CPUS_H
#define HW_CPUS_H

/* The CPUs in this process's affinity mask, lowered to the CPU quota of its
 * cgroup and every cgroup above it (v2 cpu.max, v1 cpu.cfs_quota_us over
 * cpu.cfs_period_us, rounded up); at least 1. */
int hw_cpus_usable(void);

#endif
