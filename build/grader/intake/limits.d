build/grader/intake/limits.o: grader/intake/limits.c \
 grader/intake/limits.h
grader/intake/limits.h:
