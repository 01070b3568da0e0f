#define _GNU_SOURCE
#include "jail.h"
#include "../cgroup/cgroup.h"
#include "uid.h"
#include "../util/text.h"
#include "../util/timeutil.h"

#ifndef HW_SHAREDIR
#define HW_SHAREDIR "/usr/local/share/hwgrade"
#endif

#include <dirent.h>

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* bubblewrap: HWGRADE_BWRAP (an absolute path) when set, else Debian's. */
static const char *bwrap = "/usr/bin/bwrap";
#define TAIL 2048

struct hw_jail {
    pid_t pid;
    int req, resp, out;       /* parent ends */
    hw_jail_state state;
    int exit_code, signal;
    size_t printed;
    size_t cap;
    size_t max_frame;
    unsigned timeout_ms;
    char tail[TAIL + 1];
    hw_cg cg;                 /* the jail's cgroups (some or none may exist) */
    double cpu0;              /* the jail's CPU time at the start of the exchange, ms (-1: unknown) */
    char why[160];
    char work[256];           /* unjailed or uid jail: the runner's private folder, removed with it ("" else) */
    uid_t uid;                /* uid jail: the jail's own uid (else 0) */
    struct sock_fprog prog;   /* uid jail: the seccomp filter the child loads itself */
    int pidfd;                /* forked from a warm start: its pid 1, which is not our child (else -1) */
    int cred;                 /* forked: the socket its pid 1 reports on (else -1) */
    int echo_fd;              /* > 0: what it prints, echoed there (sanitised) */
};

void hw_jail_config_default(hw_jail_config *c)
{
    *c = (hw_jail_config){.jailed = 1, .python = "/usr/bin/python3", .memory_mb = 4096, .max_pids = 64,
                          .cpu_s = 600, .output_cap = 4u << 20, .tmpfs_mb = 256,
                          .max_frame = 8u << 20};
}

/* Whether bwrap can build a jail here at all: containers (Docker's default
 * seccomp profile, Colab) refuse it the user namespace it needs. Tried once. */
static const char *probe_why;
static void probe(void)
{
    const char *env = getenv("HWGRADE_BWRAP");
    if (env && env[0] == '/')
        bwrap = env;
    if (access(bwrap, X_OK) != 0) {
        probe_why = "bubblewrap is not installed";
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1), dup2(null, 2);
        char *argv[] = {(char *)bwrap, "--unshare-all", "--ro-bind", "/", "/", "--", "/bin/true", NULL};
        char *envp[] = {NULL};
        execve(bwrap, argv, envp);
        _exit(127);
    }
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        probe_why = "bubblewrap cannot make the namespaces of a jail here (a container without user namespaces?)";
}

const char *hw_jail_unavailable(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, probe);
    return probe_why;
}

/* The jail's system-call policy, as data: what a grading run never needs
 * and an escape would (docs/isolation.md says what each closes). */
static const char *const denied[] = {
    "ptrace", "process_vm_readv", "process_vm_writev",          /* other processes' memory */
    "mount", "umount2", "pivot_root", "chroot",                 /* the file system's shape */
    "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr", /* the new mount API */
    "unshare", "setns",                                         /* new or other namespaces */
    "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "syslog", "acct", "quotactl",
    "kexec_load", "init_module", "finit_module", "delete_module", "swapon", "swapoff", "reboot",
    "open_by_handle_at", "name_to_handle_at", NULL};
/* clone with any of these makes a namespace: refused with EPERM. clone3
 * passes its flags in memory a filter cannot read, so it answers ENOSYS and
 * the C library falls back on clone, whose flags it can. */
static const unsigned long new_namespace[] = {0x00020000 /* NEWNS */,  0x02000000 /* NEWCGROUP */,
                                               0x04000000 /* NEWUTS */, 0x08000000 /* NEWIPC */,
                                               0x10000000 /* NEWUSER */, 0x20000000 /* NEWPID */,
                                               0x40000000 /* NEWNET */};

static int seccomp_fd(int loopback)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return -1;
    int rc = 0;
    for (int i = 0; denied[i] && !rc; i++) {
        int nr = seccomp_syscall_resolve_name(denied[i]);
        if (nr != __NR_SCMP_ERROR)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    }
    for (size_t i = 0; i < sizeof new_namespace / sizeof *new_namespace && !rc; i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, new_namespace[i], new_namespace[i]));
    if (!rc && seccomp_syscall_resolve_name("clone3") != __NR_SCMP_ERROR)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), seccomp_syscall_resolve_name("clone3"), 0);
    /* Sockets: only AF_UNIX (numpy/torch use none; the network is unshared
     * anyway). Where the jail runs a Jupyter kernel, IP and netlink too: its
     * messaging (ZMQ) lists the interfaces and binds 127.0.0.1, the jail's
     * own loopback, routed nowhere. */
    static const int kernel_families[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};
    for (int f = 0; !rc && f < AF_MAX; f++) {
        int allowed = f == AF_UNIX;
        for (size_t k = 0; loopback && k < sizeof kernel_families / sizeof *kernel_families; k++)
            allowed |= f == kernel_families[k];
        if (!allowed)
            rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, f));
    }
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GE, AF_MAX));
    int fd = rc ? -1 : memfd_create("hwgrade-seccomp", 0);
    if (fd >= 0 && (seccomp_export_bpf(ctx, fd) != 0 || lseek(fd, 0, SEEK_SET) != 0)) {
        close(fd);
        fd = -1;
    }
    seccomp_release(ctx);
    return fd;
}

/* Where student code may write: a fresh tmpfs each, private to one jail. */
static const char *const private_dirs[] = {"/tmp", "/work", "/dev/shm", NULL};

/* fds: what becomes 1-2 (output) and 3-4 (requests, answers; -1: /dev/null). */
static void child(const hw_jail_config *c, hw_jail *j, int out_w, int fd3, int fd4, int sfd, rlim_t nproc)
{
    /* Into the cgroups first, so that everything the jail starts is counted. */
    hw_cgroup_enter(&j->cg, getpid());
    /* The address-space limit is set by the runner itself once numpy and torch
     * are imported (HWGRADE_MEMORY_MB): set here it would also bind this
     * process between fork and exec, which sanitizer builds cannot bear. */
    struct rlimit r;
    r.rlim_cur = r.rlim_max = c->cpu_s;
    setrlimit(RLIMIT_CPU, &r);
    r.rlim_cur = r.rlim_max = 64u << 20;
    setrlimit(RLIMIT_FSIZE, &r);
    r.rlim_cur = r.rlim_max = 256;
    setrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &r);
    if (nproc) { /* no pids cgroup: the user's task count now, plus the jail's share */
        r.rlim_cur = r.rlim_max = nproc;
        setrlimit(RLIMIT_NPROC, &r);
    }

    /* Lift every source above the targets first, so no dup2 clobbers another. */
    int src[5] = {open("/dev/null", O_RDONLY), out_w, out_w, fd3 >= 0 ? fd3 : open("/dev/null", O_RDONLY),
                  fd4 >= 0 ? fd4 : open("/dev/null", O_WRONLY)};
    for (int i = 0; i < 5; i++)
        src[i] = fcntl(src[i], F_DUPFD, 100);
    int hs = sfd >= 0 ? fcntl(sfd, F_DUPFD, 100) : -1;
    for (int i = 0; i < 5; i++)
        dup2(src[i], i); /* 0 stdin, 1-2 output, 3 requests, 4 responses */
    if (hs >= 0) {
        dup2(hs, 5);
        sfd = 5;
    }
    for (int fd = 0; fd <= (sfd >= 0 ? 5 : 4); fd++)
        fcntl(fd, F_SETFD, 0);
    for (int fd = sfd >= 0 ? 6 : 5; fd < 1024; fd++)
        close(fd);

    char mem[48];
    snprintf(mem, sizeof mem, "HWGRADE_MEMORY_MB=%u", c->memory_mb);
    size_t nargs = 0;
    while (c->args && c->args[nargs] && nargs < 4)
        nargs++;
    if (c->jailed != HW_JAIL_BWRAP) {
        /* Its own folder, never the grader's current one nor a host /work. */
        char wenv[300], tenv[300];
        snprintf(wenv, sizeof wenv, "HWGRADE_WORK=%s", j->work);
        snprintf(tenv, sizeof tenv, "TMPDIR=%s", j->work);
        if (chdir(j->work) != 0)
            _exit(127);
        char hom[300];
        snprintf(hom, sizeof hom, "HOME=%s", c->jailed == HW_JAIL_UID ? j->work : "/nonexistent");
        /* The uid jail: its own uid, the jails' group and no other, no way
         * back to privilege, then the filter (raw system calls: this is a
         * fork of a threaded process). */
        if (c->jailed == HW_JAIL_UID) {
            umask(077);
            gid_t g = hw_jail_uid_gid();
            if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setresgid, g, g, g) != 0 ||
                syscall(SYS_setresuid, j->uid, j->uid, j->uid) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
                prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &j->prog) != 0)
                _exit(126);
        }
        char *argv[] = {(char *)c->python, "-I", "-c", (char *)c->script, NULL};
        char *envp[] = {"PYTHONDONTWRITEBYTECODE=1", "OMP_NUM_THREADS=1", "MPLBACKEND=Agg", hom, mem, wenv, tenv, NULL};
        execve(c->python, argv, envp);
        _exit(127);
    }
    char *argv[160]; /* the fixed list, what is hidden, seccomp or capabilities, the memory variable and the command */
    int a = 0;
    const char *fixed[] = {bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                           "--uid", "65534", "--gid", "65534",
                           "--ro-bind", "/usr", "/usr",
                           "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
                           "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                           /* Debian keeps matplotlib's defaults and fontconfig's here */
                           "--ro-bind-try", "/etc/matplotlibrc", "/etc/matplotlibrc",
                           "--ro-bind-try", "/etc/fonts", "/etc/fonts",
                           "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                           "--symlink", "usr/bin", "/bin",
                           "--proc", "/proc", "--dev", "/dev",
                           "--clearenv", "--setenv", "HWGRADE_WORK", "/work",
                           "--setenv", "HOME", "/work", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
                           "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "MPLBACKEND", "Agg", NULL};
    /* fixed, then 20 (private) + 2 (/dev) + 9 (hidden) + 2 (/) + 4 (seccomp or capabilities) + 3 (memory) + 5
     * (the command) + 4 (args) + NULL */
    _Static_assert(sizeof fixed / sizeof fixed[0] + 50 <= sizeof argv / sizeof argv[0], "argv too small");
    for (int i = 0; fixed[i]; i++)
        argv[a++] = (char *)fixed[i];
    /* The only places it can write: its own, capped (the pages count
     * against the jail's memory cgroup as they are written). Everything else
     * is read-only, bwrap's own tmpfs root and /dev included. */
    char size[24];
    snprintf(size, sizeof size, "%llu", (unsigned long long)hw_jail_tmpfs_mb(c) << 20);
    for (int i = 0; private_dirs[i]; i++) {
        const char *mk[] = {"--size", size, "--perms", "1777", "--tmpfs", private_dirs[i]};
        for (int k = 0; k < 6; k++)
            argv[a++] = (char *)mk[k];
    }
    argv[a++] = "--remount-ro";
    argv[a++] = "/dev";
    argv[a++] = "--chdir";
    argv[a++] = "/work";
    /* Student code sees what Python needs, not hwgrade: /usr/local (where
     * `make install` puts it), and its binary and rubrics wherever else
     * under /usr a package put them. */
    if (access("/usr/local", F_OK) == 0) {
        argv[a++] = "--tmpfs";
        argv[a++] = "/usr/local";
        argv[a++] = "--remount-ro";
        argv[a++] = "/usr/local";
    }
    static char exe[PATH_MAX];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (el > 0 && (exe[el] = 0, strncmp(exe, "/usr/", 5) == 0 && strncmp(exe, "/usr/local/", 11) != 0)) {
        argv[a++] = "--ro-bind";
        argv[a++] = "/dev/null";
        argv[a++] = exe;
    }
    if (strncmp(HW_SHAREDIR, "/usr/", 5) == 0 && strncmp(HW_SHAREDIR, "/usr/local/", 11) != 0 &&
        access(HW_SHAREDIR, F_OK) == 0) {
        argv[a++] = "--tmpfs";
        argv[a++] = HW_SHAREDIR;
        argv[a++] = "--remount-ro";
        argv[a++] = HW_SHAREDIR;
    }
    argv[a++] = "--remount-ro";
    argv[a++] = "/";
    if (c->warm) { /* it builds each child's namespaces; the filter (fd 5) is applied there */
        argv[a++] = "--cap-add";
        argv[a++] = "CAP_SYS_ADMIN";
        argv[a++] = "--cap-add";
        argv[a++] = "CAP_SETPCAP";
    } else if (sfd >= 0) {
        argv[a++] = "--seccomp";
        argv[a++] = "5";
    }
    argv[a++] = "--setenv";
    argv[a++] = "HWGRADE_MEMORY_MB";
    argv[a++] = mem + strlen("HWGRADE_MEMORY_MB=");
    argv[a++] = "--";
    argv[a++] = (char *)c->python;
    argv[a++] = "-I";
    argv[a++] = "-c";
    argv[a++] = (char *)c->script;
    for (size_t i = 0; i < nargs; i++)
        argv[a++] = (char *)c->args[i];
    argv[a] = NULL;
    char *envp[] = {NULL};
    execve(bwrap, argv, envp);
    _exit(127);
}

unsigned hw_jail_tmpfs_mb(const hw_jail_config *c)
{
    unsigned n = sizeof private_dirs / sizeof *private_dirs - 1;
    return c->tmpfs_mb * n > c->memory_mb ? c->memory_mb / n : c->tmpfs_mb;
}

static volatile sig_atomic_t interrupted;
void hw_jail_interrupt(void) { interrupted = 1; }
int hw_jail_interrupted(void) { return interrupted != 0; }

int hw_jail_cpus(void)
{
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1, q = hw_cgroup_cpu_quota();
    if (q && q < n)
        n = q;
    return n > 0 ? n : 1;
}

int hw_jail_has_cgroups(void)
{
    hw_cg cg;
    hw_cgroup_make(&cg, 1, 64);
    int yes = hw_cgroup_has(&cg, HW_CG_PIDS);
    hw_cgroup_remove(&cg);
    return yes;
}

/* Without a pids cgroup, RLIMIT_NPROC bounds the tasks of the uid the jail
 * runs as (nobody as root, else the user's own), counted now, plus the
 * jail's share; 0 when they cannot be counted. */
static rlim_t nproc_now(const hw_jail_config *c)
{
    long now = hw_jail_uid_tasks(c->jailed && getuid() == 0 ? 65534 : getuid(), 0);
    return now >= 0 ? (rlim_t)now + c->max_pids : 0;
}

static hw_jail *jail_new(const hw_jail_config *c)
{
    hw_jail *j = calloc(1, sizeof *j);
    if (j) {
        j->cap = c->output_cap;
        j->max_frame = c->max_frame;
        j->req = j->resp = j->out = j->pidfd = j->cred = -1;
        j->echo_fd = c->echo_fd;
    }
    return j;
}

/* The exported filter (a memfd) back in memory, for a child that loads it itself. */
static int read_filter(int fd, struct sock_fprog *prog)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter) ||
        st.st_size / (off_t)sizeof(struct sock_filter) > 65535)
        return -1;
    prog->filter = malloc((size_t)st.st_size);
    if (!prog->filter || pread(fd, prog->filter, (size_t)st.st_size, 0) != st.st_size) {
        free(prog->filter);
        prog->filter = NULL;
        return -1;
    }
    prog->len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
    return 0;
}

/* Forks the jail's process into j (pid, out), fd3 and fd4 becoming its 3
 * and 4; those two are closed here, whatever happens. */
static int launch(const hw_jail_config *c, hw_jail *j, int fd3, int fd4, hw_err *e)
{
    int outp[2] = {-1, -1}, rc = 0;
    if (pipe2(outp, O_CLOEXEC))
        rc = hw_err_set(e, HW_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    if (!rc && c->jailed != HW_JAIL_BWRAP) {
        const char *tmp = getenv("TMPDIR");
        snprintf(j->work, sizeof j->work, "%s/hwgrade-run-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
        if (!mkdtemp(j->work)) {
            j->work[0] = 0;
            rc = hw_err_set(e, HW_EIO, NULL, 0, 0, "cannot make the runner's folder: %s", strerror(errno));
        }
    }
    if (!rc && c->jailed == HW_JAIL_UID) { /* a uid no process has, owning the folder and nothing else */
        j->uid = hw_jail_uid_pick();
        if (!j->uid || chown(j->work, j->uid, hw_jail_uid_gid()) != 0)
            rc = hw_err_set(e, HW_EIO, NULL, 0, 0, "no uid for the jail: %s", j->uid ? strerror(errno) : "none free");
    }
    if (!rc && c->jailed)
        hw_cgroup_make(&j->cg, c->max_pids, c->memory_mb);
    /* The warm start sets RLIMIT_NPROC in each child instead; a uid jail's uid is its own. */
    rlim_t nproc = !rc && !c->warm && !hw_cgroup_has(&j->cg, HW_CG_PIDS)
                       ? (c->jailed == HW_JAIL_UID ? (rlim_t)c->max_pids : nproc_now(c))
                       : 0;
    int sfd = !rc && c->jailed ? seccomp_fd(c->loopback) : -1;
    if (!rc && c->jailed && sfd < 0)
        rc = hw_err_set(e, HW_EINVAL, NULL, 0, 0, "cannot build the seccomp filter");
    if (!rc && c->jailed == HW_JAIL_UID && read_filter(sfd, &j->prog) != 0)
        rc = hw_err_set(e, HW_EINVAL, NULL, 0, 0, "cannot read the seccomp filter back");
    pid_t pid = rc ? -1 : fork();
    if (pid == 0)
        child(c, j, outp[1], fd3, fd4, sfd, nproc);
    if (!rc && pid < 0)
        rc = hw_err_set(e, HW_EIO, NULL, 0, 0, "fork: %s", strerror(errno));
    for (int *fd = (int[]){outp[1], fd3, fd4, sfd, rc ? outp[0] : -1}, k = 0; k < 5; k++)
        if (fd[k] >= 0)
            close(fd[k]);
    free(j->prog.filter); /* the child has its copy */
    j->prog.filter = NULL;
    if (rc) {
        hw_cgroup_remove(&j->cg);
        if (j->work[0])
            rmdir(j->work);
        return rc;
    }
    j->pid = pid;
    j->out = outp[0];
    fcntl(j->out, F_SETFL, O_NONBLOCK);
    signal(SIGPIPE, SIG_IGN); /* a dead jail must not kill the grader */
    return 0;
}

int hw_jail_spawn(const hw_jail_config *c, hw_jail **out, hw_err *e)
{
    if (c->jailed == HW_JAIL_BWRAP && hw_jail_unavailable())
        return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "%s", hw_jail_unavailable());
    if (c->jailed == HW_JAIL_UID && hw_jail_uid_unavailable())
        return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "%s", hw_jail_uid_unavailable());
    if (c->jailed == HW_JAIL_UID && c->loopback) /* a kernel's sockets would reach the host's network */
        return hw_err_set(e, HW_EINVAL, NULL, 0, 0, "a Jupyter kernel needs a network namespace of its own (its "
                                                     "sockets), which this machine cannot make");
    if (interrupted)
        return hw_err_set(e, HW_EIO, NULL, 0, 0, "grading was interrupted");
    hw_jail *j = jail_new(c);
    int req[2], resp[2];
    if (!j || pipe2(req, O_CLOEXEC)) {
        free(j);
        return hw_err_set(e, j ? HW_EIO : HW_ENOMEM, NULL, 0, 0, "pipe or memory: %s", strerror(errno));
    }
    if (pipe2(resp, O_CLOEXEC)) {
        close(req[0]), close(req[1]);
        free(j);
        return hw_err_set(e, HW_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    }
    if (launch(c, j, req[0], resp[1], e) != 0) {
        close(req[1]), close(resp[0]);
        free(j);
        return e ? e->code : HW_EIO;
    }
    j->req = req[1];
    j->resp = resp[0];
    *out = j;
    return 0;
}

/* How a process ended (a wait status): exited or crashed, OOM when the
 * cgroup says so. bwrap reports its sandboxed process's signal as 128+N. */
static hw_jail_state ended(hw_jail *j, int st)
{
    if (WIFSIGNALED(st)) {
        j->signal = WTERMSIG(st);
        return hw_cgroup_oom(&j->cg) ? HW_JAIL_OOM : HW_JAIL_CRASHED;
    }
    j->exit_code = WEXITSTATUS(st);
    if (j->pidfd < 0 && j->exit_code > 128 && j->exit_code < 160) {
        j->signal = j->exit_code - 128;
        return hw_cgroup_oom(&j->cg) ? HW_JAIL_OOM : HW_JAIL_CRASHED;
    }
    return HW_JAIL_EXITED;
}

static void drain(hw_jail *j)
{
    char buf[8192];
    ssize_t n;
    while ((n = read(j->out, buf, sizeof buf)) > 0) {
        j->printed += (size_t)n;
        char *shown = j->echo_fd > 0 ? hw_safe(buf, (size_t)n, 0, 0) : NULL; /* escapes never reach a terminal */
        if (shown && write(j->echo_fd, shown, strlen(shown)) < 0)
            j->echo_fd = -1;
        free(shown);
        size_t keep = (size_t)n < TAIL ? (size_t)n : TAIL;
        size_t have = strlen(j->tail);
        if (have + keep > TAIL) {
            memmove(j->tail, j->tail + (have + keep - TAIL), TAIL - keep);
            have = TAIL - keep;
        }
        memcpy(j->tail + have, buf + (size_t)n - keep, keep);
        j->tail[have + keep] = 0;
    }
}

/* Waits for one message on fd (draining the jail's output meanwhile); its
 * length, or -1 after ms or when the other end is gone. */
static ssize_t wait_message(hw_jail *j, int fd, char *buf, size_t size, unsigned ms, struct ucred *who)
{
    double end = hw_monotonic_s() * 1e3 + ms;
    for (;;) {
        double left = end - hw_monotonic_s() * 1e3;
        if (left <= 0 || interrupted)
            return -1;
        struct pollfd p[2] = {{fd, POLLIN, 0}, {j ? j->out : -1, POLLIN, 0}};
        if (poll(p, 2, left > 100 ? 100 : (int)left + 1) < 0 && errno != EINTR)
            return -1;
        if (j && p[1].revents)
            drain(j);
        if (!(p[0].revents & (POLLIN | POLLHUP)))
            continue;
        union {
            struct cmsghdr h;
            char space[CMSG_SPACE(sizeof(struct ucred))];
        } cm;
        struct iovec io = {buf, size - 1};
        struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof cm};
        ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
        if (n <= 0)
            return -1;
        buf[n] = 0;
        struct cmsghdr *h = CMSG_FIRSTHDR(&m);
        if (who && h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS)
            memcpy(who, CMSG_DATA(h), sizeof *who);
        return n;
    }
}

/* A forked jail's pid 1 says how the script ended: "x" + wait status, or
 * "e" + why it could not be set up. 1 when told within ms. */
static int told_status(hw_jail *j, unsigned ms, int *st)
{
    char buf[320];
    ssize_t n = wait_message(NULL, j->cred, buf, sizeof buf, ms, NULL);
    if (n == 5 && buf[0] == 'x') {
        memcpy(st, buf + 1, sizeof *st);
        return 1;
    }
    if (n > 1 && buf[0] == 'e') {
        snprintf(j->tail, sizeof j->tail, "its jail could not be set up: %s", buf + 1);
        *st = 127 << 8;
        return 1;
    }
    return 0;
}

static void finish(hw_jail *j, hw_jail_state why)
{
    if (j->pidfd >= 0) { /* forked from a warm start: its pid 1 ends the whole namespace */
        int st = 0, told = why == HW_JAIL_EXITED && told_status(j, 500, &st);
        pidfd_send_signal(j->pidfd, SIGKILL, NULL, 0);
        hw_cgroup_kill(&j->cg);
        struct pollfd p = {j->pidfd, POLLIN, 0};
        poll(&p, 1, 2000);
        if (why == HW_JAIL_EXITED)
            why = told ? ended(j, st) : hw_cgroup_oom(&j->cg) ? HW_JAIL_OOM : (j->signal = SIGKILL, HW_JAIL_CRASHED);
        close(j->pidfd);
        j->pidfd = -1;
    } else if (j->pid > 0) {
        int st = 0;
        pid_t done = 0;
        /* It closed its pipe: give it a moment to end on its own, so that an
         * exit is told from a crash. Otherwise (or then) kill everything. */
        for (int i = 0; why == HW_JAIL_EXITED && i < 50 && !(done = waitpid(j->pid, &st, WNOHANG)); i++)
            usleep(4000);
        if (done <= 0)
            kill(j->pid, SIGKILL);
        hw_cgroup_kill(&j->cg);
        if (done <= 0)
            waitpid(j->pid, &st, 0);
        if (why == HW_JAIL_EXITED)
            why = ended(j, st);
        j->pid = 0;
    }
    if (j->state == HW_JAIL_ALIVE)
        j->state = why;
    switch (j->state) {
    case HW_JAIL_TIMEOUT: snprintf(j->why, sizeof j->why, "timed out after %.1f s", j->timeout_ms / 1000.0); break;
    case HW_JAIL_OOM: snprintf(j->why, sizeof j->why, "ran out of memory"); break;
    case HW_JAIL_CRASHED: snprintf(j->why, sizeof j->why, "crashed (signal %d)", j->signal); break;
    case HW_JAIL_EXITED: snprintf(j->why, sizeof j->why, "exited (status %d)", j->exit_code); break;
    case HW_JAIL_FLOOD: snprintf(j->why, sizeof j->why, "printed more than %zu bytes", j->cap); break;
    case HW_JAIL_INTERRUPTED: snprintf(j->why, sizeof j->why, "was stopped: grading was interrupted"); break;
    case HW_JAIL_PROTOCOL:
        snprintf(j->why, sizeof j->why, "broke the protocol (an answer over %zu MB, or not a frame)", j->max_frame >> 20);
        break;
    default: break;
    }
    hw_cgroup_remove(&j->cg);
}

/* Reads exactly n bytes from the response pipe before the deadline. */
static int read_full(hw_jail *j, char *dst, size_t n, double deadline)
{
    size_t got = 0;
    while (got < n) {
        double left = deadline - hw_monotonic_s() * 1e3;
        /* The budget is CPU time where the jail's is known (another jail's
         * busy students cannot use it up); the wall clock, at twice it, still
         * ends a sleeper. */
        if (interrupted) {
            finish(j, HW_JAIL_INTERRUPTED);
            return -1;
        }
        if (left <= 0 || (j->cpu0 >= 0 && hw_cgroup_cpu_ms(&j->cg) - j->cpu0 > j->timeout_ms)) {
            finish(j, HW_JAIL_TIMEOUT);
            return -1;
        }
        struct pollfd p[2] = {{j->resp, POLLIN, 0}, {j->out, POLLIN, 0}};
        int rc = poll(p, 2, left > 100 ? 100 : (int)left + 1);
        if (rc < 0 && errno != EINTR) {
            finish(j, HW_JAIL_EXITED);
            return -1;
        }
        if (p[1].revents)
            drain(j);
        if (j->printed > j->cap) {
            finish(j, HW_JAIL_FLOOD);
            return -1;
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t r = read(j->resp, dst + got, n - got);
            if (r <= 0) {
                finish(j, HW_JAIL_EXITED);
                return -1;
            }
            got += (size_t)r;
        }
    }
    return 0;
}

int hw_jail_exchange(hw_jail *j, const char *req, size_t len, char **resp, size_t *resp_len, unsigned timeout_ms)
{
    if (j->state != HW_JAIL_ALIVE)
        return -1;
    j->timeout_ms = timeout_ms;
    unsigned char head[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                             (unsigned char)len};
    j->cpu0 = hw_cgroup_cpu_ms(&j->cg);
    double deadline = hw_monotonic_s() * 1e3 + (j->cpu0 >= 0 ? 2.0 * timeout_ms + 1000 : timeout_ms);
    /* Requests are small next to the pipe buffer, but a stuck reader must not block us forever. */
    const char *parts[2] = {(const char *)head, req};
    size_t sizes[2] = {4, len};
    for (int k = 0; k < 2; k++) {
        size_t off = 0;
        while (off < sizes[k]) {
            struct pollfd p[2] = {{j->req, POLLOUT, 0}, {j->out, POLLIN, 0}};
            double left = deadline - hw_monotonic_s() * 1e3;
            if (left <= 0) {
                finish(j, HW_JAIL_TIMEOUT);
                return -1;
            }
            poll(p, 2, (int)left + 1);
            if (p[1].revents)
                drain(j);
            if (p[0].revents & (POLLERR | POLLHUP)) {
                finish(j, HW_JAIL_EXITED);
                return -1;
            }
            if (p[0].revents & POLLOUT) {
                ssize_t w = write(j->req, parts[k] + off, sizes[k] - off);
                if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    finish(j, HW_JAIL_EXITED);
                    return -1;
                }
                off += w > 0 ? (size_t)w : 0;
            }
        }
    }
    unsigned char rh[4];
    if (read_full(j, (char *)rh, 4, deadline))
        return -1;
    size_t n = (size_t)rh[0] << 24 | (size_t)rh[1] << 16 | (size_t)rh[2] << 8 | rh[3];
    if (n > j->max_frame) {
        finish(j, HW_JAIL_PROTOCOL);
        return -1;
    }
    char *buf = malloc(n + 1);
    if (!buf) {
        finish(j, HW_JAIL_PROTOCOL);
        return -1;
    }
    if (read_full(j, buf, n, deadline)) {
        free(buf);
        return -1;
    }
    buf[n] = 0;
    drain(j);
    *resp = buf;
    *resp_len = n;
    return 0;
}

hw_jail_state hw_jail_status(const hw_jail *j) { return j->state; }
const char *hw_jail_describe(const hw_jail *j) { return j->why; }
const char *hw_jail_output_tail(const hw_jail *j) { return j->tail; }

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    if (remove(path) != 0 && errno == EACCES) { /* a folder the student made unwritable */
        chmod(path, 0700);
        remove(path);
    }
    return 0;
}

void hw_jail_free(hw_jail *j)
{
    if (!j)
        return;
    if (j->pid > 0 || j->pidfd >= 0) {
        close(j->req); /* the runner ends on EOF */
        j->req = -1;
        finish(j, HW_JAIL_EXITED);
    }
    for (int *fd = (int[]){j->req, j->resp, j->out, j->cred}, k = 0; k < 4; k++)
        if (fd[k] >= 0)
            close(fd[k]);
    hw_cgroup_remove(&j->cg); /* a forked jail that never started has one; finish() removed any other */
    hw_jail_uid_sweep(j->uid); /* a uid jail: every process it left killed, every file it left in /tmp & co removed */
    if (j->work[0])
        nftw(j->work, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(j);
}

/* ---- the warm start ------------------------------------------------------
 * One jail per grading worker whose Python has imported numpy and torch and
 * forks every runner into new namespaces (grader/runner/warm.py). The
 * messages on its control socket are in docs/protocol.md ("Warm start"); how
 * the isolation is built, in docs/isolation.md. */

struct hw_warm {
    hw_jail_config c;         /* c.warm set; c.args = the scripts it may run */
    unsigned start_ms;
    hw_jail *jail;            /* its own jail; NULL until first needed */
    int ctl;                  /* our end of its control socket */
    int starts;
    char why[400];            /* why there is no warm start here ("" while there is) */
};

int hw_jail_warm_new(const hw_jail_config *c, unsigned start_ms, hw_warm **out, hw_err *e)
{
    hw_warm *w = calloc(1, sizeof *w);
    if (!w)
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "out of memory");
    w->c = *c;
    w->c.warm = 1;
    w->start_ms = start_ms;
    w->ctl = -1;
    if (!c->jailed)
        snprintf(w->why, sizeof w->why, "runners are not jailed");
    *out = w;
    return 0;
}

const char *hw_jail_warm_unavailable(const hw_warm *w) { return w->why[0] ? w->why : NULL; }

static void warm_stop(hw_warm *w)
{
    if (w->ctl >= 0)
        close(w->ctl); /* it ends on EOF */
    w->ctl = -1;
    if (w->jail) {
        w->jail->req = -1;
        hw_jail_free(w->jail);
    }
    w->jail = NULL;
}

static int warm_start(hw_warm *w, hw_err *e)
{
    if (w->starts++ >= 3) {
        if (!w->why[0])
            snprintf(w->why, sizeof w->why, "the warm start died three times");
        return hw_err_set(e, HW_ENOTFOUND, NULL, 0, 0, "%s", w->why);
    }
    int sv[2];
    hw_jail *j = jail_new(&w->c);
    if (!j || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        free(j);
        return hw_err_set(e, HW_ENOMEM, NULL, 0, 0, "socketpair: %s", strerror(errno));
    }
    if (launch(&w->c, j, sv[1], -1, e) != 0) {
        close(sv[0]);
        free(j);
        return e ? e->code : HW_EIO;
    }
    w->jail = j;
    w->ctl = sv[0];
    char buf[512];
    ssize_t n = wait_message(j, w->ctl, buf, sizeof buf, w->start_ms, NULL);
    if (n < 6 || strncmp(buf, "ready ", 6) != 0) {
        drain(j);
        snprintf(w->why, sizeof w->why, "the warm start did not start (%.300s)", j->tail);
        warm_stop(w);
        return hw_err_set(e, HW_ENOTFOUND, NULL, 0, 0, "%s", w->why);
    }
    return 0;
}

/* Sends the fds of one child (and its settings) to the warm start. */
static int send_fds(int ctl, const char *msg, const int fds[4])
{
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(4 * sizeof(int))];
    } cm;
    memset(&cm, 0, sizeof cm);
    struct iovec io = {(void *)msg, strlen(msg)};
    struct msghdr m = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof cm};
    struct cmsghdr *h = CMSG_FIRSTHDR(&m);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(4 * sizeof(int));
    memcpy(CMSG_DATA(h), fds, 4 * sizeof(int));
    return sendmsg(ctl, &m, MSG_NOSIGNAL) == (ssize_t)io.iov_len ? 0 : -1;
}

int hw_jail_warm_spawn(hw_warm *w, int script, hw_jail **out, hw_err *e)
{
    if (w->why[0])
        return hw_err_set(e, HW_ENOTFOUND, NULL, 0, 0, "%s", w->why);
    if (interrupted)
        return hw_err_set(e, HW_EIO, NULL, 0, 0, "grading was interrupted");
    struct pollfd alive = {w->ctl, 0, 0};
    if (w->jail && poll(&alive, 1, 0) > 0 && (alive.revents & (POLLHUP | POLLERR)))
        warm_stop(w); /* it died between two submissions */
    if (!w->jail && warm_start(w, e) != 0)
        return e ? e->code : HW_ENOTFOUND;
    drain(w->jail);
    hw_jail *j = jail_new(&w->c);
    int req[2] = {-1, -1}, resp[2] = {-1, -1}, outp[2] = {-1, -1}, cred[2] = {-1, -1}, one = 1;
    if (!j || pipe2(req, O_CLOEXEC) || pipe2(resp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC) ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cred) ||
        setsockopt(cred[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one)) {
        for (int *fd = (int[]){req[0], req[1], resp[0], resp[1], outp[0], outp[1], cred[0], cred[1]}, k = 0; k < 8; k++)
            if (fd[k] >= 0)
                close(fd[k]);
        free(j);
        return hw_err_set(e, HW_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    }
    hw_cgroup_make(&j->cg, w->c.max_pids, w->c.memory_mb);
    char msg[128];
    snprintf(msg, sizeof msg, "{\"script\": %d, \"nproc\": %lu, \"tmpfs_mb\": %u}", script,
             hw_cgroup_has(&j->cg, HW_CG_PIDS) ? 0ul : (unsigned long)nproc_now(&w->c), hw_jail_tmpfs_mb(&w->c));
    int rc = send_fds(w->ctl, msg, (int[]){req[0], resp[1], outp[1], cred[1]});
    close(req[0]), close(resp[1]), close(outp[1]), close(cred[1]);
    j->req = req[1], j->resp = resp[0], j->out = outp[0], j->cred = cred[0];
    fcntl(j->out, F_SETFL, O_NONBLOCK);
    char buf[320];
    struct ucred who = {0};
    ssize_t n = rc ? -1 : wait_message(NULL, j->cred, buf, sizeof buf, w->start_ms, &who);
    if (n == 1 && buf[0] == 'y' && who.pid > 0 && (j->pidfd = pidfd_open(who.pid, 0)) >= 0) {
        hw_cgroup_enter(&j->cg, who.pid); /* before it forks the script */
        if (send(j->cred, "g", 1, MSG_NOSIGNAL) == 1) {
            *out = j;
            return 0;
        }
    }
    if (n > 1 && buf[0] == 'e')
        snprintf(w->why, sizeof w->why, "a child of the warm start could not be set up: %.300s", buf + 1);
    else if (!interrupted)
        warm_stop(w); /* no answer: the next spawn starts it again */
    hw_jail_free(j);
    return hw_err_set(e, w->why[0] ? HW_ENOTFOUND : HW_EIO, NULL, 0, 0, "%s",
                      w->why[0] ? w->why : "the warm start did not fork");
}

void hw_jail_warm_free(hw_warm *w)
{
    if (!w)
        return;
    warm_stop(w);
    free(w);
}
