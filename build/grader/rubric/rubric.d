build/grader/rubric/rubric.o: grader/rubric/rubric.c \
 grader/rubric/rubric.h grader/rubric/../intake/limits.h \
 grader/rubric/../util/err.h grader/rubric/../util/rx.h \
 grader/rubric/../util/err.h
grader/rubric/rubric.h:
grader/rubric/../intake/limits.h:
grader/rubric/../util/err.h:
grader/rubric/../util/rx.h:
grader/rubric/../util/err.h:
