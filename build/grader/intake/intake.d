build/grader/intake/intake.o: grader/intake/intake.c \
 grader/intake/intake.h grader/intake/../util/err.h \
 grader/intake/limits.h grader/intake/../util/buf.h \
 grader/intake/../util/text.h grader/intake/internal.h
grader/intake/intake.h:
grader/intake/../util/err.h:
grader/intake/limits.h:
grader/intake/../util/buf.h:
grader/intake/../util/text.h:
grader/intake/internal.h:
