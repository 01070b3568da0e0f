build/grader/util/err.o: grader/util/err.c grader/util/err.h
grader/util/err.h:
