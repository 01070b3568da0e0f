#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const hw_file *file(const hw_submission *s, const char *p) { return hw_intake_file(s, p); }

START_TEST(good_zip)
{
    hw_submission *s = intake(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"));
    ck_assert_int_eq(s->readable, 1);
    ck_assert_uint_eq(s->nfiles, 5);
    ck_assert_uint_eq(s->nnotes, 0);
    const hw_file *f = file(s, "pytorch_basic.py");
    ck_assert_ptr_nonnull(f);
    ck_assert(memmem(f->data, f->size, "Hello from pytorch_basic.py!", 28) != NULL);
    ck_assert_str_eq(s->name, "HW1_Sara_Ahmadi_402105998.zip");
    hw_intake_free(s);
}
END_TEST

START_TEST(folder)
{
    hw_submission *s = intake(fixture("subs/HW1_Sara_Ahmadi_402105998"));
    ck_assert_int_eq(s->kind, HW_SRC_DIR);
    ck_assert_uint_eq(s->nfiles, 5);
    ck_assert_ptr_nonnull(file(s, "Lazy_Gradient.ipynb"));
    ck_assert_str_eq(s->name, "HW1_Sara_Ahmadi_402105998");
    hw_intake_free(s);
}
END_TEST

START_TEST(folder_symlink_not_followed)
{
    const char *d = temp_dir();
    write_file(d, "a.py", "x = 1\n");
    char link[4096];
    snprintf(link, sizeof link, "%s/shadow", d);
    ck_assert_int_eq(symlink("/etc/shadow", link), 0);
    hw_submission *s = intake(d);
    ck_assert_ptr_nonnull(find_note(s, "symlink"));
    ck_assert_ptr_null(file(s, "shadow"));
    ck_assert_ptr_nonnull(file(s, "a.py"));
    hw_intake_free(s);
}
END_TEST

/* One exercise uploaded on its own, and one student's several uploads. */
START_TEST(uploads)
{
    const char *d = temp_dir();
    write_file(d, "HW1_Sara_Ahmadi_402105998_NN.ipynb", "{\"cells\": []}");
    write_file(d, "HW1_Sara_Ahmadi_402105998_Basics.py", "x = 1\n");
    write_file(d, "pytorch_basic.py", "x = 2\n");
    char nb[4096], py[4096], mod[4096], zip[4096], dup[4096];
    snprintf(nb, sizeof nb, "%s/HW1_Sara_Ahmadi_402105998_NN.ipynb", d);
    snprintf(py, sizeof py, "%s/HW1_Sara_Ahmadi_402105998_Basics.py", d);
    snprintf(mod, sizeof mod, "%s/pytorch_basic.py", d);
    snprintf(zip, sizeof zip, "%s", fixture("zips/HW1_Sara_Ahmadi_402105998.zip"));
    snprintf(dup, sizeof dup, "%s/missing.zip", d);
    hw_submission *s = intake(nb);
    ck_assert_int_eq(s->kind, HW_SRC_FILE);
    ck_assert_uint_eq(s->nfiles, 1);
    ck_assert_ptr_nonnull(file(s, "HW1_Sara_Ahmadi_402105998_NN.ipynb"));
    hw_intake_free(s);

    hw_limits lim;
    hw_limits_default(&lim);
    /* the zip, then a pytorch_basic.py uploaded again: the later upload's copy counts */
    char *const ups[] = {zip, mod, nb, dup};
    ck_assert_int_eq(hw_intake_open_uploads(ups, 4, "HW1_Sara_Ahmadi_402105998.zip", &lim, &s, NULL), 0);
    ck_assert_int_eq(s->kind, HW_SRC_UPLOADS);
    ck_assert_int_eq(s->readable, 1);
    ck_assert_str_eq(s->name, "HW1_Sara_Ahmadi_402105998.zip");
    ck_assert_uint_eq(s->nfiles, 6); /* the zip's 5 and the notebook */
    const hw_file *f = file(s, "pytorch_basic.py");
    ck_assert(f && f->size == 6 && memcmp(f->data, "x = 2\n", 6) == 0);
    ck_assert_ptr_nonnull(find_note(s, "uploaded-twice"));
    ck_assert_ptr_nonnull(find_note(s, "unreadable-upload")); /* missing.zip: said, the rest graded */
    ck_assert_ptr_nonnull(strstr(s->source, " + "));
    hw_intake_free(s);
    char *const none[] = {dup};
    ck_assert_int_eq(hw_intake_open_uploads(none, 1, "x.zip", &lim, &s, NULL), 0);
    ck_assert_int_eq(s->readable, 0);
    ck_assert_ptr_nonnull(strstr(s->reason, "missing.zip"));
    hw_intake_free(s);
    (void)py;
}
END_TEST

START_TEST(slip_and_absolute)
{
    hw_submission *s = intake(fixture("zips/slip.zip"));
    ck_assert_int_eq(s->readable, 1);
    ck_assert_ptr_nonnull(find_note(s, "zip-slip"));
    size_t absolute = 0;
    for (size_t i = 0; i < s->nnotes; i++)
        absolute += strcmp(s->notes[i].code, "absolute") == 0;
    ck_assert_uint_eq(absolute, 2); /* /etc/... and C:/... */
    for (size_t i = 0; i < s->nfiles; i++) {
        ck_assert(strstr(s->files[i].path, "..") == NULL);
        ck_assert(s->files[i].path[0] != '/');
    }
    ck_assert_ptr_nonnull(file(s, "notes/readme.txt")); /* backslashes read as '/' */
    ck_assert_ptr_nonnull(find_note(s, "backslash"));
    ck_assert_ptr_nonnull(file(s, "pytorch_basic.py"));
    hw_intake_free(s);
}
END_TEST

START_TEST(symlink_entry)
{
    hw_submission *s = intake(fixture("zips/symlink.zip"));
    const hw_note *n = find_note(s, "symlink");
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(n->entry, "shadow_link");
    ck_assert_int_eq(n->level, HW_NOTE_DROPPED);
    ck_assert_ptr_null(file(s, "shadow_link"));
    ck_assert_ptr_nonnull(file(s, "pytorch_basic.py"));
    hw_intake_free(s);
}
END_TEST

START_TEST(encrypted_entry)
{
    hw_submission *s = intake(fixture("zips/encrypted.zip"));
    ck_assert_ptr_nonnull(find_note(s, "encrypted"));
    ck_assert_ptr_null(file(s, "secret.ipynb"));
    ck_assert_ptr_nonnull(file(s, "pytorch_basic.py"));
    hw_intake_free(s);
}
END_TEST

START_TEST(unreadable_archives)
{
    const char *names[] = {"zips/truncated.zip", "zips/notzip.zip", "zips/zero.zip"};
    for (int i = 0; i < 3; i++) {
        hw_submission *s = intake(fixture(names[i]));
        ck_assert_int_eq(s->readable, 0);
        ck_assert_ptr_nonnull(strstr(s->reason, "not a zip archive"));
        ck_assert_uint_eq(s->nfiles, 0);
        hw_intake_free(s);
    }
    hw_submission *s = intake("/nonexistent/HW1_A_B_123456.zip");
    ck_assert_int_eq(s->readable, 0);
    ck_assert_ptr_nonnull(strstr(s->reason, "No such file"));
    hw_intake_free(s);
}
END_TEST

START_TEST(empty_archive)
{
    hw_submission *s = intake(fixture("zips/empty.zip"));
    ck_assert_int_eq(s->readable, 1);
    ck_assert_uint_eq(s->nfiles, 0);
    ck_assert_ptr_nonnull(find_note(s, "empty"));
    hw_intake_free(s);
}
END_TEST

START_TEST(duplicate_names)
{
    hw_submission *s = intake(fixture("zips/duplicate.zip"));
    ck_assert_uint_eq(s->nfiles, 1);
    const hw_file *f = file(s, "pytorch_basic.py");
    ck_assert(memmem(f->data, f->size, "second copy", 11) == NULL); /* the first copy is kept */
    ck_assert_ptr_nonnull(find_note(s, "duplicate"));
    hw_intake_free(s);
}
END_TEST

START_TEST(wrapper_folder)
{
    hw_submission *s = intake(fixture("zips/wrapper.zip"));
    ck_assert_uint_eq(s->nfiles, 5);
    ck_assert_ptr_nonnull(file(s, "1-Basics.ipynb"));
    ck_assert_ptr_nonnull(find_note(s, "wrapper"));
    for (size_t i = 0; i < s->nfiles; i++)
        ck_assert(strstr(s->files[i].path, "__MACOSX") == NULL);
    hw_intake_free(s);
}
END_TEST

START_TEST(nested_zip)
{
    hw_submission *s = intake(fixture("zips/nested.zip"));
    ck_assert_uint_eq(s->nfiles, 5);
    ck_assert_ptr_nonnull(file(s, "NN_Scratch.ipynb"));
    ck_assert_ptr_nonnull(find_note(s, "nested-zip"));
    hw_intake_free(s);

    s = intake(fixture("zips/nested2.zip")); /* only one level is opened */
    ck_assert_ptr_nonnull(file(s, "level2.zip"));
    ck_assert_ptr_null(file(s, "pytorch_basic.py"));
    hw_intake_free(s);
}
END_TEST

START_TEST(cp1256_name)
{
    hw_submission *s = intake(fixture("zips/cp1256.zip"));
    ck_assert_ptr_nonnull(file(s, "\xd8\xaa\xd9\x85\xd8\xb1\xd9\x8a\xd9\x86.py")); /* تمرين.py */
    const hw_note *n = find_note(s, "legacy-name");
    ck_assert_ptr_nonnull(n);
    ck_assert_ptr_nonnull(strstr(n->entry, "\\xCA")); /* raw bytes shown escaped */
    hw_intake_free(s);
}
END_TEST

START_TEST(nfd_name)
{
    hw_submission *s = intake(fixture("zips/nfd.zip"));
    ck_assert_ptr_nonnull(file(s, "r\xc3\xa9sum\xc3\xa9_Basics.ipynb")); /* NFC é */
    ck_assert_ptr_nonnull(find_note(s, "nfd-name"));
    hw_intake_free(s);
}
END_TEST

START_TEST(lying_size)
{
    hw_submission *s = intake(fixture("zips/liar.zip"));
    const hw_note *n = find_note(s, "bomb");
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(n->entry, "liar.txt");
    ck_assert_ptr_null(file(s, "liar.txt"));
    hw_intake_free(s);
}
END_TEST

START_TEST(bombs)
{
    hw_submission *s = intake(large_fixture("bomb_ratio.zip"));
    ck_assert_ptr_nonnull(find_note(s, "bomb"));
    ck_assert_ptr_null(file(s, "bomb.ipynb"));
    hw_intake_free(s);

    s = intake(large_fixture("bomb_lying.zip"));
    ck_assert_ptr_nonnull(find_note(s, "bomb"));
    hw_intake_free(s);

    s = intake(large_fixture("bomb_many.zip"));
    ck_assert_ptr_nonnull(find_note(s, "too-large"));
    size_t kept = 0;
    for (size_t i = 0; i < s->nfiles; i++)
        kept += s->files[i].size;
    hw_limits l;
    hw_limits_default(&l);
    ck_assert_uint_le(kept, l.max_total_bytes);
    hw_intake_free(s);

    s = intake(large_fixture("many_entries.zip"));
    ck_assert_ptr_nonnull(find_note(s, "too-many"));
    ck_assert_uint_le(s->nfiles, l.max_entries);
    hw_intake_free(s);
}
END_TEST

START_TEST(limits_are_data)
{
    hw_limits l;
    hw_limits_default(&l);
    l.max_entry_bytes = 100; /* smaller than every notebook */
    hw_submission *s = NULL;
    ck_assert_int_eq(hw_intake_open(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"), &l, &s, NULL), 0);
    const hw_file *f = file(s, "NN_Scratch.ipynb");
    ck_assert_ptr_nonnull(f); /* listed with its size, bytes not kept */
    ck_assert_ptr_null(f->data);
    ck_assert_uint_gt(f->size, 100);
    ck_assert_ptr_nonnull(find_note(s, "too-large"));
    hw_intake_free(s);

    l.max_archive_bytes = 1000;
    ck_assert_int_eq(hw_intake_open(fixture("zips/HW1_Sara_Ahmadi_402105998.zip"), &l, &s, NULL), 0);
    ck_assert_int_eq(s->readable, 0);
    ck_assert_ptr_nonnull(strstr(s->reason, "over the 1000 bytes"));
    hw_intake_free(s);
}
END_TEST

static int skip_named(const void *name, const hw_file *f) { return strcmp(f->path, name) == 0; }

/* What to leave out of a zip over its limit: the largest first, some skipped. */
START_TEST(largest_files)
{
    const char *dir = temp_dir();
    write_file(dir, "a.txt", "0123456789");
    write_file(dir, "b.txt", "0123456789012345678901234567890123456789");
    write_file(dir, "c.txt", "01234567890123456789");
    write_file(dir, "d.txt", "012345678901234567890123456789");
    hw_submission *s = intake(dir);
    const hw_file *top[5];
    hw_intake_largest(s, top, 3, NULL, NULL);
    ck_assert_str_eq(top[0]->path, "b.txt");
    ck_assert_str_eq(top[1]->path, "d.txt");
    ck_assert_str_eq(top[2]->path, "c.txt");
    hw_intake_largest(s, top, 5, skip_named, "b.txt");
    ck_assert_str_eq(top[0]->path, "d.txt");
    ck_assert_str_eq(top[1]->path, "c.txt");
    ck_assert_str_eq(top[2]->path, "a.txt");
    ck_assert_ptr_null(top[3]);
    ck_assert_ptr_null(top[4]);
    hw_intake_free(s);
}
END_TEST

Suite *suite_intake(void)
{
    Suite *s = suite_create("intake");
    TCase *t = tcase_create("zip and folder");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, good_zip);
    tcase_add_test(t, folder);
    tcase_add_test(t, folder_symlink_not_followed);
    tcase_add_test(t, slip_and_absolute);
    tcase_add_test(t, symlink_entry);
    tcase_add_test(t, encrypted_entry);
    tcase_add_test(t, unreadable_archives);
    tcase_add_test(t, empty_archive);
    tcase_add_test(t, duplicate_names);
    tcase_add_test(t, wrapper_folder);
    tcase_add_test(t, nested_zip);
    tcase_add_test(t, cp1256_name);
    tcase_add_test(t, nfd_name);
    tcase_add_test(t, lying_size);
    tcase_add_test(t, bombs);
    tcase_add_test(t, limits_are_data);
    tcase_add_test(t, uploads);
    tcase_add_test(t, largest_files);
    suite_add_tcase(s, t);
    return s;
}
