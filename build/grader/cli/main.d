build/grader/cli/main.o: grader/cli/main.c \
 grader/cli/../../reference/args.h grader/cli/../../reference/array.h \
 grader/cli/../../reference/registry.h grader/cli/../batch/batch.h \
 grader/cli/../batch/../results/results.h \
 grader/cli/../batch/../results/../intake/identity.h \
 grader/cli/../batch/../results/../intake/../util/rx.h \
 grader/cli/../batch/../results/../intake/../util/err.h \
 grader/cli/../batch/../results/../intake/intake.h \
 grader/cli/../batch/../results/../intake/../util/err.h \
 grader/cli/../batch/../results/../intake/limits.h \
 grader/cli/../batch/../results/../rubric/rubric.h \
 grader/cli/../batch/../results/../rubric/../intake/limits.h \
 grader/cli/../batch/../results/../rubric/../util/err.h \
 grader/cli/../batch/../results/../rubric/../util/rx.h \
 grader/cli/../report/report.h grader/cli/../report/../results/results.h \
 grader/cli/../util/buf.h
grader/cli/../../reference/args.h:
grader/cli/../../reference/array.h:
grader/cli/../../reference/registry.h:
grader/cli/../batch/batch.h:
grader/cli/../batch/../results/results.h:
grader/cli/../batch/../results/../intake/identity.h:
grader/cli/../batch/../results/../intake/../util/rx.h:
grader/cli/../batch/../results/../intake/../util/err.h:
grader/cli/../batch/../results/../intake/intake.h:
grader/cli/../batch/../results/../intake/../util/err.h:
grader/cli/../batch/../results/../intake/limits.h:
grader/cli/../batch/../results/../rubric/rubric.h:
grader/cli/../batch/../results/../rubric/../intake/limits.h:
grader/cli/../batch/../results/../rubric/../util/err.h:
grader/cli/../batch/../results/../rubric/../util/rx.h:
grader/cli/../report/report.h:
grader/cli/../report/../results/results.h:
grader/cli/../util/buf.h:
