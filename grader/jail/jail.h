/* hw_jail: one process (the Python runner) in a bubblewrap jail: every
 * namespace unshared (no network), a read-only /usr, a private tmpfs as the
 * only writable place, no capabilities, nobody's uid, a seccomp filter,
 * rlimits, a pids/memory cgroup where one can be made, a wall-clock kill and
 * an output cap. Requests and responses travel over their own pipes as
 * length-prefixed frames; the jail's stdout/stderr are drained and counted. */
#ifndef HW_JAIL_H
#define HW_JAIL_H

#include <stddef.h>

#include "../util/err.h"

/* What holds student code: hw_jail_config.jailed. */
enum {
    HW_JAIL_NONE = 0,  /* the interpreter run directly (--no-sandbox, or a student's own check) */
    HW_JAIL_BWRAP = 1, /* bubblewrap's namespaces */
    HW_JAIL_UID = 2    /* no namespaces here, but root: a uid of its own per jail (docs/isolation.md) */
};

typedef struct hw_jail_config {
    int jailed;            /* HW_JAIL_NONE, HW_JAIL_BWRAP or HW_JAIL_UID */
    const char *python;    /* interpreter path, e.g. /usr/bin/python3 */
    const char *script;    /* the program, passed as python -c */
    unsigned memory_mb;    /* address-space rlimit and cgroup memory limit */
    unsigned max_pids;     /* cgroup pids limit */
    unsigned cpu_s;        /* CPU-seconds rlimit for the whole process */
    size_t output_cap;     /* bytes of stdout+stderr before it is killed for flooding */
    size_t max_frame;      /* bytes of one answer frame; a longer one is a protocol failure */
    unsigned tmpfs_mb;     /* each private tmpfs (/tmp, /work, /dev/shm); together at most memory_mb */
    const char *const *args; /* NULL-terminated, at most 4: the script's sys.argv[1:] */
    int warm;              /* set by hw_jail_warm_new: the jail of a warm start */
    int loopback;          /* IP sockets allowed (a Jupyter kernel's messaging): the jail's own loopback only */
    int echo_fd;           /* > 0: what the jail prints is also written here as it comes, made safe (hwgrade run) */
} hw_jail_config;

void hw_jail_config_default(hw_jail_config *c);
/* The size of each of the jail's private tmpfs: c->tmpfs_mb, lowered so
 * that all of them together fit in c->memory_mb. */
unsigned hw_jail_tmpfs_mb(const hw_jail_config *c);

typedef enum {
    HW_JAIL_ALIVE = 0,
    HW_JAIL_TIMEOUT,       /* killed at the wall-clock deadline */
    HW_JAIL_OOM,           /* killed by the memory limit */
    HW_JAIL_CRASHED,       /* died of a signal */
    HW_JAIL_EXITED,        /* exited on its own (sys.exit in the wrong place, os._exit) */
    HW_JAIL_FLOOD,         /* printed more than output_cap */
    HW_JAIL_PROTOCOL,      /* answered something that is not a frame, or a frame over max_frame */
    HW_JAIL_INTERRUPTED    /* killed because grading was interrupted (SIGINT, SIGTERM) */
} hw_jail_state;

typedef struct hw_jail hw_jail;

/* NULL when a bubblewrap jail can be built here; else why not (static string). */
const char *hw_jail_unavailable(void);
/* NULL when the uid jail can be built here (root, able to change uid); else why not. */
const char *hw_jail_uid_unavailable(void);
/* Denies every uid jail path (a file, or a folder and all below it) by a
 * POSIX ACL entry for the jails' group, which stays; checked by trying to
 * read it as a jail would. Refuses a place the jails need (/usr, /tmp, a
 * folder above one). */
int hw_jail_hide(const char *path, hw_err *e);
/* Hides hwgrade itself: its source tree when it runs from a folder of one
 * (TREE/build/, TREE/build-asan/), else its binary, and HW_SHAREDIR. */
int hw_jail_hide_self(hw_err *e);

/* Called from a SIGINT/SIGTERM handler (async-signal-safe): every jail is
 * killed at its next poll (within 0.1 s), and none starts any more. */
void hw_jail_interrupt(void);
int hw_jail_interrupted(void);

/* How many CPUs this process may use: its affinity mask, lowered to the CPU
 * quota of its cgroup and every cgroup above it; at least 1 (grade's -j). */
int hw_jail_cpus(void);

/* 1 when a jail here gets its own pids cgroup; 0 when jails fall back on
 * RLIMIT_NPROC, which all jails of one user share. */
int hw_jail_has_cgroups(void);

int hw_jail_spawn(const hw_jail_config *c, hw_jail **out, hw_err *e);
/* Sends one frame and waits for the answer until timeout_ms. 0 with *resp
 * (malloc'd, NUL-terminated) set; <0 when the jail died or was killed: see
 * hw_jail_status. */
int hw_jail_exchange(hw_jail *j, const char *req, size_t len, char **resp, size_t *resp_len, unsigned timeout_ms);
hw_jail_state hw_jail_status(const hw_jail *j);
/* A sentence for the student: "timed out after 5 s", "killed by signal 11"... */
const char *hw_jail_describe(const hw_jail *j);
/* The last bytes the process printed (for diagnostics), NUL-terminated. */
const char *hw_jail_output_tail(const hw_jail *j);
/* Kills (if alive), reaps and frees. */
void hw_jail_free(hw_jail *j);

/* A warm start (grader/runner/warm.py): one jail whose Python imported
 * numpy, torch and matplotlib once and then forks each jail asked of it,
 * the child in new mount, pid, IPC and network namespaces of its own, with
 * fresh /work, /tmp and /dev/shm, its own cgroup, no capabilities and the
 * seccomp filter before its script runs (docs/isolation.md). c->args are
 * the scripts it may run (sys.argv[1:] of c->script, the warm start).
 * Started on the first hw_jail_warm_spawn, restarted when it dies (three times). */
typedef struct hw_warm hw_warm;

int hw_jail_warm_new(const hw_jail_config *c, unsigned start_ms, hw_warm **out, hw_err *e);
/* A jail running c->args[script]: the same as hw_jail_spawn's, forked.
 * HW_ENOTFOUND when there is no warm start here (then for good:
 * hw_jail_warm_unavailable says why, and the caller starts jails cold). */
int hw_jail_warm_spawn(hw_warm *w, int script, hw_jail **out, hw_err *e);
const char *hw_jail_warm_unavailable(const hw_warm *w);
/* Stops it (its children were freed before) and frees. */
void hw_jail_warm_free(hw_warm *w);

#endif
