/* hw_cgroup: a jail's cgroups (used by grader/jail): pids, memory and a CPU quota
 * of one core, made under the cgroups the grader itself runs in (so a limit
 * a TA or CI sets on hwgrade also binds the students), cgroup v2 or v1.
 * Whatever cannot be made is simply absent: the caller falls back on
 * rlimits and says so. */
#ifndef HW_CGROUP_H
#define HW_CGROUP_H

#include <sys/types.h>

enum { HW_CG_PIDS, HW_CG_MEMORY, HW_CG_CPU, HW_CG_CPUACCT, HW_CG_N };

typedef struct hw_cg {
    int v2;                    /* one folder (base) serves every controller */
    char base[300];            /* v2: the jail's folder, "" if none */
    char dir[HW_CG_N][300];    /* per controller: where its limit holds, "" where none does */
} hw_cg;

/* Removes the folders of jails whose hwgrade process no longer exists (done
 * once per process before the first jail); folders of live processes, other
 * gradings on the same machine included, are left alone. */
void hw_cgroup_sweep(void);
/* Makes the folders and writes the limits; never fails outright. */
void hw_cgroup_make(hw_cg *cg, unsigned max_pids, unsigned memory_mb);
/* 1 when the controller's limit holds. */
int hw_cgroup_has(const hw_cg *cg, int controller);
/* Moves pid into every folder (from the forked child, before exec). */
void hw_cgroup_enter(const hw_cg *cg, pid_t pid);
/* CPU time used by everything in the jail, in ms; -1 when unknown. */
double hw_cgroup_cpu_ms(const hw_cg *cg);
int hw_cgroup_oom(const hw_cg *cg);
void hw_cgroup_kill(const hw_cg *cg);
/* The smallest CPU quota of this process's cgroup and those above it, in
 * whole CPUs rounded up; 0 when none sets one. */
int hw_cgroup_cpu_quota(void);
/* Kills what is left and removes the folders (retrying while children die). */
void hw_cgroup_remove(hw_cg *cg);

#endif
