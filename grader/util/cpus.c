#define _GNU_SOURCE
#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

/* The quota in CPUs (rounded up) set in the cgroup folder dir, or 0 for none. */
static int quota_in(const char *dir, int v2)
{
    char path[4300];
    long long quota = -1, period = 0;
    if (v2) {
        FILE *f = snprintf(path, sizeof path, "%s/cpu.max", dir) < (int)sizeof path ? fopen(path, "r") : NULL;
        if (f) {
            char q[32] = "";
            if (fscanf(f, "%31s %lld", q, &period) == 2 && strcmp(q, "max") != 0)
                sscanf(q, "%lld", &quota);
            fclose(f);
        }
    } else {
        FILE *f = snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir) < (int)sizeof path ? fopen(path, "r") : NULL;
        if (f) {
            if (fscanf(f, "%lld", &quota) != 1)
                quota = -1;
            fclose(f);
        }
        f = snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir) < (int)sizeof path ? fopen(path, "r") : NULL;
        if (f) {
            if (fscanf(f, "%lld", &period) != 1)
                period = 0;
            fclose(f);
        }
    }
    return quota > 0 && period > 0 ? (int)((quota + period - 1) / period) : 0;
}

/* The smallest quota from this process's cgroup up to the root, or 0. */
static int cgroup_quota(void)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return 0;
    char line[4096], rel[4096] = "";
    int v2 = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *ctl = strchr(line, ':'), *p = ctl ? strchr(ctl + 1, ':') : NULL;
        if (!p)
            continue;
        *p++ = 0;
        ctl++;
        /* v1: a hierarchy whose controllers include cpu; v2: the one "0::" line */
        char list[4096];
        snprintf(list, sizeof list, ",%s,", ctl);
        if (strstr(list, ",cpu,") || (*ctl == 0 && !rel[0])) {
            v2 = *ctl == 0;
            if (snprintf(rel, sizeof rel, "%s", p) >= (int)sizeof rel)
                rel[0] = 0;
            found = !v2;
        }
    }
    fclose(f);
    if (!rel[0])
        return 0;
    char dir[4200];
    if (snprintf(dir, sizeof dir, "%s%s", v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/cpu", strcmp(rel, "/") ? rel : "") >=
        (int)sizeof dir)
        return 0;
    int best = 0;
    for (;;) {
        int q = quota_in(dir, v2);
        if (q && (!best || q < best))
            best = q;
        char *slash = strrchr(dir, '/');
        if (!slash || strcmp(dir, v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/cpu") == 0)
            break;
        *slash = 0;
    }
    return best;
}

int hw_cpus_usable(void)
{
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    int q = cgroup_quota();
    if (q && q < n)
        n = q;
    return n > 0 ? n : 1;
}
