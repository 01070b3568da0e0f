build/grader/checks/run.o: grader/checks/run.c \
 grader/checks/../util/buf.h grader/checks/../util/text.h \
 grader/checks/checks.h grader/checks/../results/results.h \
 grader/checks/../results/../intake/identity.h \
 grader/checks/../results/../intake/../util/rx.h \
 grader/checks/../results/../intake/../util/err.h \
 grader/checks/../results/../intake/intake.h \
 grader/checks/../results/../intake/../util/err.h \
 grader/checks/../results/../intake/limits.h \
 grader/checks/../results/../rubric/rubric.h \
 grader/checks/../results/../rubric/../intake/limits.h \
 grader/checks/../results/../rubric/../util/err.h \
 grader/checks/../results/../rubric/../util/rx.h grader/checks/internal.h \
 grader/checks/../notebook/notebook.h \
 grader/checks/../notebook/../util/err.h
grader/checks/../util/buf.h:
grader/checks/../util/text.h:
grader/checks/checks.h:
grader/checks/../results/results.h:
grader/checks/../results/../intake/identity.h:
grader/checks/../results/../intake/../util/rx.h:
grader/checks/../results/../intake/../util/err.h:
grader/checks/../results/../intake/intake.h:
grader/checks/../results/../intake/../util/err.h:
grader/checks/../results/../intake/limits.h:
grader/checks/../results/../rubric/rubric.h:
grader/checks/../results/../rubric/../intake/limits.h:
grader/checks/../results/../rubric/../util/err.h:
grader/checks/../results/../rubric/../util/rx.h:
grader/checks/internal.h:
grader/checks/../notebook/notebook.h:
grader/checks/../notebook/../util/err.h:
