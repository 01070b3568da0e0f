build/grader/results/results.o: grader/results/results.c \
 grader/results/results.h grader/results/../intake/identity.h \
 grader/results/../intake/../util/rx.h \
 grader/results/../intake/../util/err.h grader/results/../intake/intake.h \
 grader/results/../intake/../util/err.h grader/results/../intake/limits.h \
 grader/results/../rubric/rubric.h \
 grader/results/../rubric/../intake/limits.h \
 grader/results/../rubric/../util/err.h \
 grader/results/../rubric/../util/rx.h
grader/results/results.h:
grader/results/../intake/identity.h:
grader/results/../intake/../util/rx.h:
grader/results/../intake/../util/err.h:
grader/results/../intake/intake.h:
grader/results/../intake/../util/err.h:
grader/results/../intake/limits.h:
grader/results/../rubric/rubric.h:
grader/results/../rubric/../intake/limits.h:
grader/results/../rubric/../util/err.h:
grader/results/../rubric/../util/rx.h:
