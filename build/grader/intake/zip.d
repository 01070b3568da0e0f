build/grader/intake/zip.o: grader/intake/zip.c grader/intake/internal.h \
 grader/intake/intake.h grader/intake/../util/err.h \
 grader/intake/limits.h
grader/intake/internal.h:
grader/intake/intake.h:
grader/intake/../util/err.h:
grader/intake/limits.h:
