/* The jail's cgroups: made under the cgroup this process runs in (a limit
 * put on hwgrade binds its students), with their limits, and removed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sched.h>

#include "../../grader/cgroup/cgroup.h"
#include "../../grader/jail/jail.h"
#include "../../grader/jail/uid.h"
#include "helpers.h"

/* This process's cgroup path for a v1 controller (one of the hierarchy's
 * comma-separated list), or v2's (NULL). */
static int own(const char *controller, char *out, size_t n)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[600];
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
        if (!b)
            continue;
        *b = 0;
        int match = !controller && strcmp(line, "0") == 0;
        for (char *save = NULL, *c = controller ? strtok_r(a + 1, ",", &save) : NULL; c && !match;
             c = strtok_r(NULL, ",", &save))
            match = strcmp(c, controller) == 0;
        if (match)
            found = snprintf(out, n, "%s", b + 1) > 0;
    }
    if (f)
        fclose(f);
    return found;
}

static char *slurp_small(const char *dir, const char *file)
{
    static char buf[256];
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    FILE *f = fopen(p, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = 0;
    return buf;
}

START_TEST(cgroups_under_our_own)
{
    hw_cg cg;
    hw_cgroup_make(&cg, 17, 300);
    if (geteuid() != 0) { /* without the rights: nothing half-made */
        for (int k = 0; k < HW_CG_N; k++)
            ck_assert(!hw_cgroup_has(&cg, k) || access(cg.dir[k], F_OK) == 0);
        hw_cgroup_remove(&cg);
        return;
    }
    ck_assert_msg(hw_cgroup_has(&cg, HW_CG_MEMORY) && hw_cgroup_has(&cg, HW_CG_PIDS), "no memory or pids cgroup made as root");
    char path[300], want[700];
    if (cg.v2) {
        ck_assert(own(NULL, path, sizeof path));
        snprintf(want, sizeof want, "/sys/fs/cgroup%s%shwgrade-%d-", path, strcmp(path, "/") ? "/" : "", (int)getpid());
        ck_assert_str_eq(slurp_small(cg.dir[HW_CG_MEMORY], "memory.max"), "314572800\n");
    } else {
        ck_assert(own("memory", path, sizeof path));
        snprintf(want, sizeof want, "/sys/fs/cgroup/memory%s%shwgrade-%d-", path, strcmp(path, "/") ? "/" : "",
                 (int)getpid());
        ck_assert_str_eq(slurp_small(cg.dir[HW_CG_MEMORY], "memory.limit_in_bytes"), "314572800\n");
    }
    ck_assert_msg(strncmp(cg.dir[HW_CG_MEMORY], want, strlen(want)) == 0, "%s is not under %s", cg.dir[HW_CG_MEMORY],
                  want);
    ck_assert_str_eq(slurp_small(cg.dir[HW_CG_PIDS], "pids.max"), "17\n");
    if (hw_cgroup_has(&cg, HW_CG_CPU)) /* one core */
        ck_assert_str_eq(slurp_small(cg.dir[HW_CG_CPU], cg.v2 ? "cpu.max" : "cpu.cfs_quota_us"),
                         cg.v2 ? "100000 100000\n" : "100000\n");
    /* A process put in is counted, killed with the jail, and the folders go. */
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    hw_cgroup_enter(&cg, pid);
    ck_assert_ptr_nonnull(strstr(slurp_small(cg.dir[HW_CG_PIDS], "cgroup.procs"), "\n"));
    ck_assert(hw_cgroup_cpu_ms(&cg) >= 0);
    char keep[300];
    snprintf(keep, sizeof keep, "%s", cg.dir[HW_CG_MEMORY]);
    hw_cgroup_kill(&cg);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    hw_cgroup_remove(&cg);
    ck_assert_int_ne(access(keep, F_OK), 0);
}
END_TEST

/* A jail folder whose hwgrade is gone is swept; a live one's is left. */
START_TEST(stale_cgroups_swept)
{
    char path[300], dead_dir[700], live_dir[700];
    int v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
    if (geteuid() != 0 || !own(v2 ? NULL : "memory", path, sizeof path)) {
        hw_cgroup_sweep(); /* must not fail where nothing can be made */
        ck_assert(1);
        return;
    }
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    const char *sep = strcmp(path, "/") ? "/" : "";
    snprintf(dead_dir, sizeof dead_dir, "/sys/fs/cgroup%s%s%shwgrade-%d-77", v2 ? "" : "/memory", path, sep, (int)dead);
    snprintf(live_dir, sizeof live_dir, "/sys/fs/cgroup%s%s%shwgrade-%d-99", v2 ? "" : "/memory", path, sep,
             (int)getpid());
    ck_assert_int_eq(mkdir(dead_dir, 0755), 0);
    ck_assert_int_eq(mkdir(live_dir, 0755), 0);
    hw_cgroup_sweep();
    ck_assert_int_ne(access(dead_dir, F_OK), 0);
    ck_assert_int_eq(access(live_dir, F_OK), 0);
    rmdir(live_dir);
}
END_TEST

/* -j's default: a cgroup's CPU quota, then the affinity mask. The quota
 * first: the cgroup this process runs in is found once, and the child that
 * moves into a cgroup of its own must be the first to ask. */
START_TEST(cpus_usable)
{
    cpu_set_t all, one;
    ck_assert_int_eq(sched_getaffinity(0, sizeof all, &all), 0);

    /* A quota of half a CPU on a cgroup of our own (v1, as root): 1, not the mask's count. */
    char mine[512], dir[700], file[800];
    if (CPU_COUNT(&all) >= 2 && own("cpu", mine, sizeof mine) &&
        snprintf(dir, sizeof dir, "/sys/fs/cgroup/cpu%s/hwgrade-cpus-%d", strcmp(mine, "/") ? mine : "",
                 (int)getpid()) < (int)sizeof dir &&
        mkdir(dir, 0755) == 0) { /* else no writable cpu controller, or too few CPUs to tell a quota from the mask */
        pid_t pid = fork();
        if (pid == 0) {
            FILE *f;
            snprintf(file, sizeof file, "%s/cpu.cfs_period_us", dir);
            int ok = (f = fopen(file, "w")) && fprintf(f, "100000\n") > 0 && fclose(f) == 0;
            snprintf(file, sizeof file, "%s/cpu.cfs_quota_us", dir);
            ok = ok && (f = fopen(file, "w")) && fprintf(f, "50000\n") > 0 && fclose(f) == 0;
            snprintf(file, sizeof file, "%s/cgroup.procs", dir);
            ok = ok && (f = fopen(file, "w")) && fprintf(f, "%d\n", (int)getpid()) > 0 && fclose(f) == 0;
            _exit(ok ? (hw_jail_cpus() == 1 ? 0 : 1) : 2);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        rmdir(dir);
        ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "under a quota of half a CPU: status %d (1: not 1 "
                      "CPU, 2: the quota could not be set)", WEXITSTATUS(st));
    }

    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &one);
            break;
        }
    ck_assert_int_eq(sched_setaffinity(0, sizeof one, &one), 0);
    ck_assert_int_eq(hw_jail_cpus(), 1);
    ck_assert_int_eq(sched_setaffinity(0, sizeof all, &all), 0);
    ck_assert_int_eq(hw_jail_cpus() <= CPU_COUNT(&all), 1);
}
END_TEST

/* The uid jail's hiding: a file denied to the jails' group (and no one
 * else), the places jails need refused, a uid nobody holds. */
START_TEST(uid_jail_hides)
{
    hw_err e = {0};
    ck_assert_int_ne(hw_jail_hide("/usr", &e), 0);
    ck_assert_ptr_nonnull(strstr(e.msg, "student code needs what is under it"));
    ck_assert_int_ne(hw_jail_hide("/", &e), 0);
    ck_assert_int_ne(hw_jail_hide("/var", &e), 0); /* above /var/tmp */
    if (hw_jail_uid_unavailable())
        return; /* not root: the rest needs a uid change */
    char dir[] = "/tmp/hwgrade-hide-XXXXXX", file[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    chmod(dir, 0755);
    snprintf(file, sizeof file, "%s/secret", dir);
    FILE *f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("key", f);
    fclose(f);
    chmod(file, 0644);
    ck_assert_int_eq(hw_jail_hide(file, &e), 0);
    ck_assert_int_eq(hw_jail_hide(file, &e), 0); /* again: nothing changes */
    struct stat st;
    ck_assert_int_eq(stat(file, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0644); /* everybody else keeps what the mode gives */
    uid_t u = hw_jail_uid_pick();
    ck_assert_uint_gt(u, hw_jail_uid_gid()); /* hwgrade's range, below 2^31 (tools that read uids as signed) */
    ck_assert_uint_lt(u, 2147483648u);
    ck_assert_int_eq(hw_jail_uid_tasks(u, 0), 0);
    pid_t p = fork();
    if (p == 0) { /* as a jail: the file refused; as nobody: readable */
        gid_t g = hw_jail_uid_gid();
        if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u))
            _exit(3);
        _exit(open(file, O_RDONLY) >= 0 ? 1 : errno == EACCES ? 0 : 2);
    }
    int status = 0;
    waitpid(p, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a jail's uid read a hidden file (%d)", status);
    p = fork();
    if (p == 0) {
        if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
            _exit(3);
        _exit(open(file, O_RDONLY) >= 0 ? 0 : 1);
    }
    waitpid(p, &status, 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "nobody lost access to a hidden file (%d)", status);
    /* The sweep: a process of the uid, its file in /tmp and its shared memory segment, gone. */
    char left[64];
    snprintf(left, sizeof left, "/tmp/hwgrade-left-%u", (unsigned)u);
    int ids[2];
    ck_assert_int_eq(pipe(ids), 0);
    p = fork();
    if (p == 0) {
        gid_t g = hw_jail_uid_gid();
        if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(u, u, u))
            _exit(3);
        FILE *l = fopen(left, "w");
        if (l)
            fclose(l);
        int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0666);
        if (write(ids[1], &shm, sizeof shm) != sizeof shm)
            _exit(4);
        if (fork() == 0) {
            setsid();
            for (;;)
                pause();
        }
        _exit(0);
    }
    waitpid(p, &status, 0);
    int shm = -1;
    ck_assert_int_eq(read(ids[0], &shm, sizeof shm), sizeof shm);
    close(ids[0]), close(ids[1]);
    struct shmid_ds ds;
    ck_assert_int_ge(shm, 0);
    ck_assert_int_eq(shmctl(shm, IPC_STAT, &ds), 0);
    for (int i = 0; i < 100 && hw_jail_uid_tasks(u, 1) == 0; i++)
        usleep(1000);
    ck_assert_int_gt(hw_jail_uid_tasks(u, 1), 0);
    ck_assert_int_eq(access(left, F_OK), 0);
    hw_jail_uid_sweep(u);
    ck_assert_int_eq(hw_jail_uid_tasks(u, 1), 0);
    ck_assert_int_ne(access(left, F_OK), 0);
    ck_assert_int_ne(shmctl(shm, IPC_STAT, &ds), 0); /* removed */
    unlink(file);
    rmdir(dir);
}
END_TEST

Suite *suite_jail(void)
{
    Suite *s = suite_create("jail");
    TCase *t = tcase_create("cgroups");
    tcase_add_test(t, cgroups_under_our_own);
    tcase_add_test(t, stale_cgroups_swept);
    tcase_add_test(t, cpus_usable);
    tcase_add_test(t, uid_jail_hides);
    suite_add_tcase(s, t);
    return s;
}
