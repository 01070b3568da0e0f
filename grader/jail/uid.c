/* The uid jail: a uid per jail, one group for all of them, the files they
 * must not read denied to that group by a POSIX ACL entry, and the sweep of
 * what a jail leaves behind (processes and files). */
#define _GNU_SOURCE
#include "uid.h"
#include "jail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define UID_BASE 1500000000u /* far above any account's uid and below (uid_t)-1 */
#define SLICES (1u << 21)    /* one slice of 256 uids per hwgrade process, by pid: distinct for every pid below
                              * 2^21, and the last uid (2 036 870 911) still below 2^31 */
#define CLEAN_DEPTH 128      /* folders below a shared place swept for a jail's files */

gid_t hw_jail_uid_gid(void) { return (gid_t)(UID_BASE - 1); }

long hw_jail_uid_tasks(uid_t uid, int live_only)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    long n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        char p[300], buf[4096];
        snprintf(p, sizeof p, "/proc/%s/status", de->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[k > 0 ? k : 0] = 0;
        const char *u = strstr(buf, "\nUid:"), *t = strstr(buf, "\nThreads:"), *s = strstr(buf, "\nState:");
        if (live_only && s && strchr("ZX", s[7 + strspn(s + 7, " \t")]))
            continue; /* a zombie holds nothing: only its parent can reap it */
        if (u && t && (uid_t)strtoul(u + 5, NULL, 10) == uid)
            n += strtol(t + 9, NULL, 10);
    }
    closedir(d);
    return n;
}

uid_t hw_jail_uid_pick(void)
{
    static unsigned next;
    uid_t slice = UID_BASE + ((uid_t)getpid() % SLICES) * 256u;
    for (int tries = 0; tries < 256; tries++) {
        uid_t u = slice + __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % 256u;
        if (hw_jail_uid_tasks(u, 0) == 0)
            return u;
    }
    return 0;
}

/* Runs what(arg) in a child that is a jail's identity (uid, the jails'
 * group, no other; raw system calls: a fork of a threaded process). Its
 * exit status: what returned; 126 when the identity could not be taken, -1
 * when no child ran. */
static int as_jail(uid_t uid, int (*what)(const void *), const void *arg)
{
    pid_t p = fork();
    if (p == 0) {
        gid_t g = hw_jail_uid_gid();
        if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setresgid, g, g, g) != 0 ||
            syscall(SYS_setresuid, uid, uid, uid) != 0)
            _exit(126);
        _exit(what(arg));
    }
    int st = 0;
    while (p > 0 && waitpid(p, &st, 0) < 0 && errno == EINTR)
        ;
    return p > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- the sweep ------------------------------------------------------------ */

static int kill_mine(const void *arg)
{
    (void)arg;
    kill(-1, SIGKILL); /* as the jail's uid: exactly its processes */
    return 0;
}

static void kill_all(uid_t uid)
{
    for (int round = 0; round < 200; round++) {
        as_jail(uid, kill_mine, NULL);
        if (hw_jail_uid_tasks(uid, 1) <= 0)
            return;
        usleep(2000);
    }
}

/* Removes what uid owns below the folder dfd (closed here). */
static void clean(int dfd, uid_t uid, dev_t dev, int depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        int isdir = S_ISDIR(st.st_mode);
        if (isdir && st.st_dev == dev && depth < CLEAN_DEPTH) {
            int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                clean(sub, uid, dev, depth + 1);
        }
        if (st.st_uid == uid)
            unlinkat(dirfd(d), de->d_name, isdir ? AT_REMOVEDIR : 0);
    }
    closedir(d);
}

/* System V IPC objects uid made or owns (there is no IPC namespace to
 * take them away): removed. The columns of /proc/sysvipc/{shm,sem,msg}. */
static void clean_ipc(uid_t uid)
{
    static const struct {
        const char *file;
        int id_col, uid_col, cuid_col;
        int kind; /* 0 shm, 1 sem, 2 msg */
    } t[] = {{"/proc/sysvipc/shm", 2, 8, 10, 0}, {"/proc/sysvipc/sem", 2, 5, 7, 1}, {"/proc/sysvipc/msg", 2, 8, 10, 2}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        FILE *f = fopen(t[k].file, "r");
        char line[512];
        for (int first = 1; f && fgets(line, sizeof line, f); first = 0) {
            if (first)
                continue; /* the header */
            long col[12] = {0};
            int n = 0;
            for (char *save = NULL, *w = strtok_r(line, " \t\n", &save); w && n < 12; w = strtok_r(NULL, " \t\n", &save))
                col[n++] = strtol(w, NULL, 10);
            if (n < t[k].cuid_col || ((uid_t)col[t[k].uid_col - 1] != uid && (uid_t)col[t[k].cuid_col - 1] != uid))
                continue;
            int id = (int)col[t[k].id_col - 1];
            if (t[k].kind == 0)
                shmctl(id, IPC_RMID, NULL);
            else if (t[k].kind == 1)
                semctl(id, 0, IPC_RMID);
            else
                msgctl(id, IPC_RMID, NULL);
        }
        if (f)
            fclose(f);
    }
}

void hw_jail_uid_sweep(uid_t uid)
{
    if (!uid)
        return;
    kill_all(uid);
    clean_ipc(uid);
    static const char *const shared[] = {"/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/run/lock", NULL};
    for (int i = 0; shared[i]; i++) {
        struct stat st;
        int fd = open(shared[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) == 0)
            clean(fd, uid, st.st_dev, 0);
        else if (fd >= 0)
            close(fd);
    }
}

/* ---- can it be built here ------------------------------------------------- */

static int nothing(const void *arg)
{
    (void)arg;
    return 0;
}

static const char *uid_why;
static void uid_probe(void)
{
    if (geteuid() != 0) {
        uid_why = "the uid jail needs root (it runs each jail under a uid of its own)";
        return;
    }
    if (as_jail(UID_BASE - 2, nothing, NULL) != 0)
        uid_why = "this process cannot change to another uid (no CAP_SETUID)";
}

const char *hw_jail_uid_unavailable(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, uid_probe);
    return uid_why;
}

/* ---- hiding files from the jails' group ------------------------------------
 * A POSIX ACL entry group:GID:--- on a file or folder: a process in that
 * group is judged by the group entries alone, never by "other"'s bits, so
 * it can neither read the file nor enter the folder, while every other user
 * keeps the access the mode gives. The entry stays (it denies only hwgrade's
 * own jail group): taken away at exit, it would open a file to the jails of
 * another hwgrade still grading. */

#define ACL_EA "system.posix_acl_access"
enum { USER_OBJ = 0x01, USER = 0x02, GROUP_OBJ = 0x04, GROUP = 0x08, MASK = 0x10, OTHER = 0x20 };
#define NOID 0xffffffffu

typedef struct {
    uint16_t tag, perm;
    uint32_t id;
} acl_entry;

static int by_tag(const void *a, const void *b)
{
    const acl_entry *x = a, *y = b;
    return x->tag != y->tag ? (x->tag < y->tag ? -1 : 1) : x->id < y->id ? -1 : x->id > y->id;
}

/* The ACL with the jails' group denied: old (len bytes, or none) plus the entry. */
static size_t with_denial(const char *old, ssize_t len, mode_t mode, char *out, size_t cap)
{
    acl_entry e[64];
    size_t n = 0;
    if (old && len >= 4) {
        for (ssize_t at = 4; at + 8 <= len && n < 62; at += 8) {
            memcpy(&e[n], old + at, 8);
            if (!(e[n].tag == GROUP && e[n].id == hw_jail_uid_gid()))
                n++;
        }
    } else {
        e[n++] = (acl_entry){USER_OBJ, (mode >> 6) & 7, NOID};
        e[n++] = (acl_entry){GROUP_OBJ, (mode >> 3) & 7, NOID};
        e[n++] = (acl_entry){OTHER, mode & 7, NOID};
    }
    e[n++] = (acl_entry){GROUP, 0, hw_jail_uid_gid()};
    int has_mask = 0;
    uint16_t group_class = 0;
    for (size_t i = 0; i < n; i++) {
        has_mask |= e[i].tag == MASK;
        if (e[i].tag == GROUP_OBJ || e[i].tag == GROUP || e[i].tag == USER)
            group_class |= e[i].perm;
    }
    if (!has_mask) /* the mask keeps the owning group's (and named entries') access as it was */
        e[n++] = (acl_entry){MASK, group_class, NOID};
    qsort(e, n, sizeof e[0], by_tag);
    uint32_t version = 2;
    if (4 + n * 8 > cap)
        return 0;
    memcpy(out, &version, 4);
    memcpy(out + 4, e, n * 8);
    return 4 + n * 8;
}

static int refused(const void *path)
{
    return access(path, R_OK) == 0 || access(path, X_OK) == 0 ? 1 : 0;
}

/* 1 when a process of the jails' group cannot read path (nor enter it). */
static int denied_to_jails(const char *path) { return as_jail(UID_BASE - 2, refused, path) == 0; }

/* 1 when real is a place the jails' code must reach, or a folder above one
 * (hiding it would stop every jail): the system's, and the jails' folders. */
static int needed(const char *real)
{
    const char *tmpdir = getenv("TMPDIR");
    const char *const system[] = {"/usr", "/etc", "/tmp", "/var/tmp", "/dev", "/proc", "/lib", "/lib64", "/bin",
                                  "/sbin", tmpdir && *tmpdir == '/' ? tmpdir : "/tmp", NULL};
    size_t n = strlen(real);
    if (strcmp(real, "/") == 0)
        return 1;
    for (int i = 0; system[i]; i++)
        if (strncmp(system[i], real, n) == 0 && (system[i][n] == '/' || system[i][n] == 0))
            return 1;
    return 0;
}

int hw_jail_hide(const char *path, hw_err *e)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    char *real = realpath(path, NULL);
    if (!real)
        return hw_err_set(e, HW_EIO, path, 0, 0, "cannot hide it from student code: %s", strerror(errno));
    int rc = 0;
    if (needed(real)) {
        rc = hw_err_set(e, HW_EINVAL, real, 0, 0, "student code needs what is under it, so it cannot be hidden "
                                                   "from it: give hwgrade's files a folder of their own");
        free(real);
        return rc;
    }
    pthread_mutex_lock(&lock);
    struct stat st;
    char old[4 + 64 * 8], acl[4 + 65 * 8];
    ssize_t len = denied_to_jails(real) ? 0 : getxattr(real, ACL_EA, old, sizeof old);
    size_t n = 0;
    if (len < 0 && errno != ENODATA && errno != ENOTSUP)
        rc = hw_err_set(e, HW_EIO, real, 0, 0, "cannot read its ACL: %s", strerror(errno));
    else if (len != 0 && !(stat(real, &st) == 0 && (n = with_denial(len > 0 ? old : NULL, len, st.st_mode, acl,
                                                                    sizeof acl)) > 0))
        rc = hw_err_set(e, HW_EIO, real, 0, 0, "its ACL is too long to extend");
    else if (n && setxattr(real, ACL_EA, acl, n, 0) != 0)
        rc = hw_err_set(e, HW_EIO, real, 0, 0, "cannot hide it from student code (a POSIX ACL): %s", strerror(errno));
    else if (!denied_to_jails(real)) /* believed only once a jail's identity is refused */
        rc = hw_err_set(e, HW_EIO, real, 0, 0, "still readable by student code after its ACL was set");
    pthread_mutex_unlock(&lock);
    free(real);
    return rc;
}

int hw_jail_hide_self(hw_err *e)
{
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return hw_err_set(e, HW_EIO, "/proc/self/exe", 0, 0, "cannot find hwgrade's own binary");
    exe[n] = 0;
    /* Built in a source tree (TREE/build/hwgrade, TREE/build-asan/hwgrade;
     * TREE holds grader/): the whole tree, the reference's sources included;
     * installed: the binary. */
    size_t tree = (size_t)n;
    for (int up = 0; up < 2 && tree > 0; up++)
        while (tree > 0 && exe[--tree] != '/')
            ;
    if (tree > 0 && snprintf(probe, sizeof probe, "%.*s/grader/cli/main.c", (int)tree, exe) < (int)sizeof probe &&
        access(probe, F_OK) == 0)
        exe[tree] = 0;
    int rc = hw_jail_hide(exe, e);
    if (!rc && access(HW_SHAREDIR, F_OK) == 0)
        rc = hw_jail_hide(HW_SHAREDIR, e);
    return rc;
}
