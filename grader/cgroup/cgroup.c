#define _GNU_SOURCE
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOT "/sys/fs/cgroup"

static int write_file(const char *dir, const char *file, const char *text)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int read_file(const char *dir, const char *file, char *buf, size_t n)
{
    char p[400];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t got = read(fd, buf, n - 1);
    close(fd);
    buf[got > 0 ? got : 0] = 0;
    return got > 0 ? 0 : -1;
}

/* The path of this process's cgroup for a v1 controller ("memory"), or for
 * v2 (controller NULL: the "0::" line), from /proc/self/cgroup. */
static int own_path(const char *controller, char *out, size_t n)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f)
        return -1;
    char line[600];
    int found = -1;
    while (found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = 0;
        const char *list = c1 + 1, *path = c2 + 1;
        if (!controller) {
            if (strcmp(line, "0") == 0 && !*list)
                found = snprintf(out, n, "%s", path) >= (int)n;
            continue;
        }
        for (char *save = NULL, *tok = strtok_r((char *)list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            if (strcmp(tok, controller) == 0)
                found = snprintf(out, n, "%s", path) >= (int)n;
    }
    fclose(f);
    return found;
}

static unsigned next_id(void)
{
    static unsigned seq;
    return __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
}

/* Where the jails' folders go: under this process's own cgroup, found once
 * (v2: one parent, in parent[0]; v1: one per controller; "" where unknown). */
static struct {
    int v2;
    char parent[HW_CG_N][256];
} here;

static void find_parents(void)
{
    static const char *const names[HW_CG_N] = {"pids", "memory", "cpu", "cpuacct"};
    char own[200];
    here.v2 = access(ROOT "/cgroup.controllers", F_OK) == 0;
    for (int k = 0; k < (here.v2 ? 1 : HW_CG_N); k++)
        if (own_path(here.v2 ? NULL : names[k], own, sizeof own) == 0)
            snprintf(here.parent[k], sizeof here.parent[k], "%s%s%s%s", ROOT, here.v2 ? "" : "/",
                     here.v2 ? "" : names[k], strcmp(own, "/") ? own : "");
}

static int make_dir(char *dst, size_t n, const char *parent, unsigned id)
{
    snprintf(dst, n, "%s/hwgrade-%d-%u", parent, (int)getpid(), id);
    if (!parent[0] || mkdir(dst, 0755) != 0) {
        dst[0] = 0;
        return -1;
    }
    return 0;
}

/* Removes the jails' folders under parent that an hwgrade process which no
 * longer exists left behind (killed before it could clean up). */
static void sweep_dir(const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        int pid = 0;
        unsigned n;
        if (sscanf(de->d_name, "hwgrade-%d-%u", &pid, &n) != 2 || pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
            continue; /* not ours, or its process lives */
        hw_cg stale;
        memset(&stale, 0, sizeof stale);
        snprintf(stale.base, sizeof stale.base, "%s/%s", parent, de->d_name);
        stale.v2 = 1; /* one folder: kill what is in it, remove it */
        hw_cgroup_remove(&stale);
    }
    if (d)
        closedir(d);
}

static pthread_once_t found = PTHREAD_ONCE_INIT;

void hw_cgroup_sweep(void)
{
    pthread_once(&found, find_parents);
    for (int k = 0; k < HW_CG_N; k++)
        if (here.parent[k][0])
            sweep_dir(here.parent[k]);
}

/* The CPU quota of dir (v2 cpu.max; v1 cpu.cfs_quota_us over
 * cpu.cfs_period_us) in whole CPUs, rounded up; 0 when it has none. */
static int quota_in(const char *dir)
{
    char a[64], b[64];
    long long quota = -1, period = 0;
    if (here.v2) {
        char q[32] = "";
        if (read_file(dir, "cpu.max", a, sizeof a) == 0 && sscanf(a, "%31s %lld", q, &period) == 2 &&
            strcmp(q, "max") != 0)
            quota = strtoll(q, NULL, 10);
    } else if (read_file(dir, "cpu.cfs_quota_us", a, sizeof a) == 0 &&
               read_file(dir, "cpu.cfs_period_us", b, sizeof b) == 0) {
        quota = strtoll(a, NULL, 10);
        period = strtoll(b, NULL, 10);
    }
    return quota > 0 && period > 0 ? (int)((quota + period - 1) / period) : 0;
}

int hw_cgroup_cpu_quota(void)
{
    pthread_once(&found, find_parents);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", here.parent[here.v2 ? 0 : HW_CG_CPU]);
    const char *top = here.v2 ? ROOT : ROOT "/cpu";
    int best = 0;
    while (dir[0] && strncmp(dir, top, strlen(top)) == 0) { /* this cgroup, then each one above it */
        int q = quota_in(dir);
        if (q && (!best || q < best))
            best = q;
        char *slash = strrchr(dir, '/');
        if (strcmp(dir, top) == 0 || !slash)
            break;
        *slash = 0;
    }
    return best;
}

static pthread_once_t swept = PTHREAD_ONCE_INIT;

void hw_cgroup_make(hw_cg *cg, unsigned max_pids, unsigned memory_mb)
{
    pthread_once(&swept, hw_cgroup_sweep);
    memset(cg, 0, sizeof *cg);
    unsigned id = next_id();
    char lim[32];
    if (here.v2) {
        cg->v2 = 1;
        if (make_dir(cg->base, sizeof cg->base, here.parent[0], id) != 0)
            return;
        /* Controllers the parent does not hand down are absent (a delegated
         * cgroup may lack some): each is kept only if its limit is written. */
        snprintf(lim, sizeof lim, "%u", max_pids);
        if (write_file(cg->base, "pids.max", lim) == 0)
            memcpy(cg->dir[HW_CG_PIDS], cg->base, sizeof cg->base);
        snprintf(lim, sizeof lim, "%llu", (unsigned long long)memory_mb << 20);
        if (write_file(cg->base, "memory.max", lim) == 0) {
            memcpy(cg->dir[HW_CG_MEMORY], cg->base, sizeof cg->base);
            write_file(cg->base, "memory.swap.max", "0");
        }
        if (write_file(cg->base, "cpu.max", "100000 100000") == 0)
            memcpy(cg->dir[HW_CG_CPU], cg->base, sizeof cg->base);
        memcpy(cg->dir[HW_CG_CPUACCT], cg->base, sizeof cg->base); /* cpu.stat is always there */
        return;
    }
    for (int k = 0; k < HW_CG_N; k++) {
        if (make_dir(cg->dir[k], sizeof cg->dir[k], here.parent[k], id) != 0)
            continue;
        int ok = 0;
        if (k == HW_CG_PIDS) {
            snprintf(lim, sizeof lim, "%u", max_pids);
            ok = write_file(cg->dir[k], "pids.max", lim) == 0;
        } else if (k == HW_CG_MEMORY) {
            snprintf(lim, sizeof lim, "%llu", (unsigned long long)memory_mb << 20);
            ok = write_file(cg->dir[k], "memory.limit_in_bytes", lim) == 0;
            write_file(cg->dir[k], "memory.memsw.limit_in_bytes", lim); /* where swap is accounted */
        } else if (k == HW_CG_CPU) {
            ok = write_file(cg->dir[k], "cpu.cfs_period_us", "100000") == 0 &&
                 write_file(cg->dir[k], "cpu.cfs_quota_us", "100000") == 0;
        } else {
            char b[32];
            ok = read_file(cg->dir[k], "cpuacct.usage", b, sizeof b) == 0;
        }
        if (!ok) {
            rmdir(cg->dir[k]);
            cg->dir[k][0] = 0;
        }
    }
}

/* The k-th folder to enter, kill and remove: v2 has one, v1 one per controller. */
static const char *folder(const hw_cg *cg, int k)
{
    return cg->v2 ? (k == 0 ? cg->base : "") : cg->dir[k];
}

int hw_cgroup_has(const hw_cg *cg, int controller) { return cg->dir[controller][0] != 0; }

void hw_cgroup_enter(const hw_cg *cg, pid_t pid)
{
    char s[32];
    snprintf(s, sizeof s, "%d", (int)pid);
    for (int k = 0; k < HW_CG_N; k++)
        if (folder(cg, k)[0])
            write_file(folder(cg, k), "cgroup.procs", s);
}

double hw_cgroup_cpu_ms(const hw_cg *cg)
{
    char b[512];
    if (!cg->dir[HW_CG_CPUACCT][0])
        return -1;
    if (cg->v2) {
        const char *u;
        if (read_file(cg->dir[HW_CG_CPUACCT], "cpu.stat", b, sizeof b) != 0 || !(u = strstr(b, "usage_usec ")))
            return -1;
        return atof(u + 11) / 1000.0;
    }
    return read_file(cg->dir[HW_CG_CPUACCT], "cpuacct.usage", b, sizeof b) == 0 ? atof(b) / 1e6 : -1;
}

int hw_cgroup_oom(const hw_cg *cg)
{
    const char *d = cg->dir[HW_CG_MEMORY];
    char b[512];
    if (!d[0] || read_file(d, cg->v2 ? "memory.events" : "memory.oom_control", b, sizeof b) != 0)
        return 0;
    const char *o = strstr(b, "oom_kill ");
    return o && atol(o + 9) > 0;
}

void hw_cgroup_kill(const hw_cg *cg)
{
    for (int k = 0; k < HW_CG_N; k++) {
        if (!folder(cg, k)[0])
            continue;
        char p[400];
        snprintf(p, sizeof p, "%s/cgroup.procs", folder(cg, k));
        for (int round = 0; round < 50; round++) {
            FILE *f = fopen(p, "re");
            int any = 0, pid;
            while (f && fscanf(f, "%d", &pid) == 1) {
                kill(pid, SIGKILL);
                any = 1;
            }
            if (f)
                fclose(f);
            if (!any)
                break;
            usleep(2000);
        }
    }
}

void hw_cgroup_remove(hw_cg *cg)
{
    /* A fork bomb's last children may still be dying: kill again and retry
     * for up to two seconds before giving up on the folder. */
    for (int k = 0; k < HW_CG_N; k++) {
        if (!folder(cg, k)[0])
            continue;
        for (int tries = 0; tries < 400 && rmdir(folder(cg, k)) != 0 && errno == EBUSY; tries++) {
            hw_cgroup_kill(cg);
            usleep(5000);
        }
    }
    memset(cg, 0, sizeof *cg);
}
