/* Git repositories through libgit2: the tree of one commit, read from the
 * object database. No checkout, nothing from a working tree is trusted. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "../util/buf.h"
#include "internal.h"

static void once(void)
{
    git_libgit2_init();
    /* A class's repositories are cloned by the TA, or handed over, and belong
     * to another user: the owner check would refuse them all. hwgrade only
     * reads objects, never runs hooks or filters, so skipping it is safe. */
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

static const char *git_why(void)
{
    const git_error *ge = git_error_last();
    return ge && ge->message ? ge->message : "unknown libgit2 error";
}

typedef struct walk {
    intake_ctx *c;
    git_repository *repo;
    int stop;
} walk;

static int visit(const char *root, const git_tree_entry *te, void *payload)
{
    walk *w = payload;
    intake_ctx *c = w->c;
    const char *name = git_tree_entry_name(te);
    hw_buf path = {0};
    hw_buf_printf(&path, "%s%s", root, name);
    int rc = 0;
    unsigned depth = 0;
    for (const char *p = root; *p; p++)
        depth += *p == '/';
    switch (git_tree_entry_filemode(te)) {
    case GIT_FILEMODE_TREE:
        if (depth + 1 > c->lim->max_dir_depth) {
            intake_note(c, HW_NOTE_DROPPED, "too-deep", path.data, path.len, "folders nested deeper than %u; left out",
                        c->lim->max_dir_depth);
            rc = 1; /* skip this subtree */
        }
        break;
    case GIT_FILEMODE_LINK:
        intake_note(c, HW_NOTE_DROPPED, "symlink", path.data, path.len, "symbolic link entries are not followed; left out");
        break;
    case GIT_FILEMODE_COMMIT:
        intake_note(c, HW_NOTE_DROPPED, "submodule", path.data, path.len,
                    "a submodule (a link to another repository) is not fetched; left out");
        break;
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE: {
        if (++c->entries > c->lim->max_entries) {
            intake_note(c, HW_NOTE_DROPPED, "too-many", "", 0, "more than %u files; the rest is left out",
                        c->lim->max_entries);
            w->stop = 1;
            rc = -1;
            break;
        }
        /* The size from the object header, before any bytes are inflated. */
        git_odb *odb = NULL;
        size_t size = 0;
        git_object_t type;
        if (git_repository_odb(&odb, w->repo) != 0 ||
            git_odb_read_header(&size, &type, odb, git_tree_entry_id(te)) != 0) {
            intake_note(c, HW_NOTE_DROPPED, "unreadable", path.data, path.len, "object missing: %s", git_why());
            git_odb_free(odb);
            break;
        }
        git_odb_free(odb);
        if (size > c->lim->max_entry_bytes || c->total + size > c->lim->max_total_bytes) {
            intake_note(c, HW_NOTE_DROPPED, "too-large", path.data, path.len,
                        "%zu bytes, over the size limit; left out", size);
            if (size > c->lim->max_entry_bytes)
                intake_add(c, path.data, path.len, NULL, size, 0, NULL);
            break;
        }
        git_blob *blob = NULL;
        if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(te)) != 0) {
            intake_note(c, HW_NOTE_DROPPED, "unreadable", path.data, path.len, "%s", git_why());
            break;
        }
        size_t n = (size_t)git_blob_rawsize(blob);
        unsigned char *data = malloc(n + 1);
        if (!data) {
            c->oom = 1;
        } else {
            memcpy(data, git_blob_rawcontent(blob), n);
            c->total += n;
            intake_add(c, path.data, path.len, data, n, 0, NULL);
        }
        git_blob_free(blob);
        break;
    }
    default:
        break;
    }
    hw_buf_free(&path);
    return c->oom ? -1 : rc;
}

/* The newest commit on rev's first-parent line at or before cutoff. */
static git_commit *at_or_before(git_repository *repo, git_commit *tip, time_t cutoff, int *skipped)
{
    git_commit *c = tip;
    *skipped = 0;
    git_commit_dup(&c, tip);
    while (c && git_commit_time(c) > cutoff) {
        git_commit *parent = NULL;
        if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) != 0) {
            git_commit_free(c);
            return NULL;
        }
        git_commit_free(c);
        c = parent;
        (*skipped)++;
    }
    (void)repo;
    return c;
}

int intake_git(intake_ctx *c, const char *repo_path, const char *rev, time_t cutoff)
{
    once();
    hw_submission *s = c->sub;
    git_repository *repo = NULL;
    git_object *obj = NULL;
    git_commit *tip = NULL, *commit = NULL;
    git_tree *tree = NULL;
    int rc = -1;
    if (git_repository_open_ext(&repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
        s->readable = 0;
        hw_buf r = {0};
        hw_buf_printf(&r, "not a git repository: %s", git_why());
        s->reason = hw_buf_take(&r);
        goto done;
    }
    if (git_revparse_single(&obj, repo, rev && *rev ? rev : "HEAD") != 0 ||
        git_object_peel((git_object **)&tip, obj, GIT_OBJECT_COMMIT) != 0) {
        s->readable = 0;
        hw_buf r = {0};
        hw_buf_printf(&r, "no commit '%s' in the repository: %s", rev && *rev ? rev : "HEAD", git_why());
        s->reason = hw_buf_take(&r);
        goto done;
    }
    int skipped = 0;
    commit = cutoff ? at_or_before(repo, tip, cutoff, &skipped) : NULL;
    if (cutoff && !commit) {
        s->readable = 0;
        s->reason = strdup("no commit on this branch is from before the cutoff (deadline + accepted late days)");
        goto done;
    }
    if (!commit)
        git_commit_dup(&commit, tip);
    if (skipped)
        intake_note(c, HW_NOTE_INFO, "at-deadline", "", 0,
                    "%d later commit%s ignored: graded the last one at or before the cutoff", skipped,
                    skipped == 1 ? "" : "s");
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    s->revision = strdup(hex);
    s->time = (time_t)git_commit_time(commit);
    s->time_source = HW_TIME_COMMIT;
    if (git_commit_tree(&tree, commit) != 0) {
        s->readable = 0;
        s->reason = strdup("the commit's tree cannot be read");
        goto done;
    }
    walk w = {.c = c, .repo = repo};
    git_tree_walk(tree, GIT_TREEWALK_PRE, visit, &w);
    rc = 0;
done:
    git_tree_free(tree);
    git_commit_free(commit);
    git_commit_free(tip);
    git_object_free(obj);
    git_repository_free(repo);
    return rc;
}

int hw_intake_git_branches(const char *repo_path, const char *glob, char ***out, size_t *n, hw_err *e)
{
    once();
    *out = NULL;
    *n = 0;
    git_repository *repo = NULL;
    git_branch_iterator *it = NULL;
    if (git_repository_open_ext(&repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
        return hw_err_set(e, HW_EINVAL, repo_path, 0, 0, "not a git repository: %s", git_why());
    int rc = 0;
    if (git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL) != 0) {
        rc = hw_err_set(e, HW_EIO, repo_path, 0, 0, "cannot list branches: %s", git_why());
    } else {
        git_reference *ref;
        git_branch_t type;
        while (!rc && git_branch_next(&ref, &type, it) == 0) {
            const char *name = NULL;
            git_branch_name(&name, ref);
            if (name && fnmatch(glob, name, 0) == 0) {
                char **v = realloc(*out, (*n + 1) * sizeof *v);
                hw_buf b = {0};
                hw_buf_printf(&b, "%s@%s", repo_path, git_reference_name(ref));
                if (!v || !b.data)
                    rc = hw_err_set(e, HW_ENOMEM, repo_path, 0, 0, "out of memory");
                else {
                    *out = v;
                    v[(*n)++] = hw_buf_take(&b);
                }
                hw_buf_free(&b);
            }
            git_reference_free(ref);
        }
    }
    git_branch_iterator_free(it);
    git_repository_free(repo);
    return rc;
}

int hw_intake_is_git(const char *path, char **repo, char **rev)
{
    once();
    const char *at = strrchr(path, '@');
    char *r = at ? strndup(path, (size_t)(at - path)) : strdup(path);
    git_repository *g = NULL;
    size_t l = strlen(r);
    int bare_name = l > 4 && strcmp(r + l - 4, ".git") == 0;
    int ok = (at || bare_name) && git_repository_open_ext(&g, r, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0;
    git_repository_free(g);
    if (!ok) {
        free(r);
        return 0;
    }
    *repo = r;
    *rev = strdup(at ? at + 1 : "HEAD");
    return 1;
}
