/* hw_intake: reads one submission (a .zip through libzip, or a directory)
 * into memory, applying the limits. Hostile entries become notes and are left
 * out; the rest is kept. Nothing is ever written to disk. */
#ifndef HW_INTAKE_H
#define HW_INTAKE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../util/err.h"
#include "../limits/limits.h"

typedef struct hw_file {
    char *path;          /* normalised: NFC UTF-8, '/'-separated, relative, no '..' */
    unsigned char *data; /* NULL when the bytes were not kept (over a limit) */
    size_t size;         /* bytes inflated, or the declared size when not kept */
} hw_file;

typedef enum {
    HW_NOTE_INFO = 0,    /* something was normalised (wrapper folder, NFD name, ...) */
    HW_NOTE_DROPPED = 1  /* an entry was left out (unsafe, unreadable or over a limit) */
} hw_note_level;

typedef struct hw_note {
    hw_note_level level;
    char *code;    /* short tag: "zip-slip", "symlink", "bomb", ... */
    char *entry;   /* the entry as named in the archive, printable ("" if none) */
    char *message;
} hw_note;

typedef enum {
    HW_SRC_ZIP,
    HW_SRC_DIR,
    HW_SRC_GIT,
    HW_SRC_FILE,   /* a lone .ipynb or .py upload */
    HW_SRC_UPLOADS /* several uploads of one student, graded together */
} hw_source_kind;

/* Where a submission's time came from, most trusted first. */
typedef enum { HW_TIME_NONE, HW_TIME_CSV, HW_TIME_COMMIT, HW_TIME_MTIME } hw_time_source;

typedef struct hw_submission {
    char *source;          /* as given on the command line */
    char *name;            /* base name of the source (NFC), e.g. HW1_A_B_1.zip */
    hw_source_kind kind;
    uint64_t source_bytes; /* the zip's size on disk, or the sum of a folder's files */
    int readable;          /* 0: nothing could be read; `reason` says why */
    char *reason;
    hw_file *files;
    size_t nfiles;
    hw_note *notes;
    size_t nnotes;
    time_t time;           /* when it was submitted, as far as the source tells */
    hw_time_source time_source;
    char *revision;        /* git: the commit graded (hex), else NULL */
    char *branch;          /* git --branches: the branch, else NULL */
    char sha256[65];       /* of what was handed in: a zip's or a lone file's bytes; for a folder, a git
                            * revision or uploads, of the files read (paths and bytes). "" unread */
} hw_submission;

/* Reads path. Returns 0 with *out set, even when the source is unreadable
 * (then (*out)->readable == 0); <0 only when out of memory. */
int hw_intake_open(const char *path, const hw_limits *lim, hw_submission **out, hw_err *e);
/* The same; a git submission (REPO@REV or a bare REPO.git) with cutoff != 0
 * is read at its last commit at or before cutoff (--at-deadline). */
int hw_intake_open_at(const char *path, const hw_limits *lim, time_t cutoff, hw_submission **out, hw_err *e);

/* A student's several uploads (zips, lone notebooks or .py files, each read
 * as hw_intake_open reads it) as one submission called `name` (the zip they
 * stand for, e.g. HW1_Sara_Ahmadi_402105998.zip). A path two uploads both
 * hold comes from the later upload (by time, then by order) and is noted;
 * the time is the latest upload's. Returns as hw_intake_open does. */
int hw_intake_open_uploads(char *const *paths, size_t n, const char *name, const hw_limits *lim, hw_submission **out,
                           hw_err *e);

/* 1 when path names a repository (REPO@REV, or REPO.git): repo and rev set (malloc'd). */
int hw_intake_is_git(const char *path, char **repo, char **rev);
/* "REPO@refs/heads/NAME" for each local branch matching the glob. */
int hw_intake_git_branches(const char *repo, const char *glob, char ***out, size_t *n, hw_err *e);
void hw_intake_free(hw_submission *s);

/* A submission not read at all (graded as unreadable, with reason). NULL when out of memory. */
hw_submission *hw_intake_unread(const char *path, const char *reason);
/* The file with exactly this normalised path, or NULL. Valid until s is freed. */
const hw_file *hw_intake_file(const hw_submission *s, const char *path);
/* The n largest files of s, largest first, into top (NULL past the last);
 * the files skip(arg, f) names left out (skip NULL: none). What to leave
 * out of a zip over its limit. Valid until s is freed. */
void hw_intake_largest(const hw_submission *s, const hw_file **top, size_t n,
                       int (*skip)(const void *arg, const hw_file *f), const void *arg);

#endif
