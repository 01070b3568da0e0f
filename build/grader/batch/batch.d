build/grader/batch/batch.o: grader/batch/batch.c grader/batch/batch.h \
 grader/batch/../results/results.h \
 grader/batch/../results/../intake/identity.h \
 grader/batch/../results/../intake/../util/rx.h \
 grader/batch/../results/../intake/../util/err.h \
 grader/batch/../results/../intake/intake.h \
 grader/batch/../results/../intake/../util/err.h \
 grader/batch/../results/../intake/limits.h \
 grader/batch/../results/../rubric/rubric.h \
 grader/batch/../results/../rubric/../intake/limits.h \
 grader/batch/../results/../rubric/../util/err.h \
 grader/batch/../results/../rubric/../util/rx.h \
 grader/batch/../checks/checks.h \
 grader/batch/../checks/../results/results.h grader/batch/../util/buf.h
grader/batch/batch.h:
grader/batch/../results/results.h:
grader/batch/../results/../intake/identity.h:
grader/batch/../results/../intake/../util/rx.h:
grader/batch/../results/../intake/../util/err.h:
grader/batch/../results/../intake/intake.h:
grader/batch/../results/../intake/../util/err.h:
grader/batch/../results/../intake/limits.h:
grader/batch/../results/../rubric/rubric.h:
grader/batch/../results/../rubric/../intake/limits.h:
grader/batch/../results/../rubric/../util/err.h:
grader/batch/../results/../rubric/../util/rx.h:
grader/batch/../checks/checks.h:
grader/batch/../checks/../results/results.h:
grader/batch/../util/buf.h:
