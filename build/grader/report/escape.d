build/grader/report/escape.o: grader/report/escape.c \
 grader/report/escape.h grader/report/../results/results.h \
 grader/report/../results/../intake/identity.h \
 grader/report/../results/../intake/../util/rx.h \
 grader/report/../results/../intake/../util/err.h \
 grader/report/../results/../intake/intake.h \
 grader/report/../results/../intake/../util/err.h \
 grader/report/../results/../intake/limits.h \
 grader/report/../results/../rubric/rubric.h \
 grader/report/../results/../rubric/../intake/limits.h \
 grader/report/../results/../rubric/../util/err.h \
 grader/report/../results/../rubric/../util/rx.h \
 grader/report/../util/text.h
grader/report/escape.h:
grader/report/../results/results.h:
grader/report/../results/../intake/identity.h:
grader/report/../results/../intake/../util/rx.h:
grader/report/../results/../intake/../util/err.h:
grader/report/../results/../intake/intake.h:
grader/report/../results/../intake/../util/err.h:
grader/report/../results/../intake/limits.h:
grader/report/../results/../rubric/rubric.h:
grader/report/../results/../rubric/../intake/limits.h:
grader/report/../results/../rubric/../util/err.h:
grader/report/../results/../rubric/../util/rx.h:
grader/report/../util/text.h:
