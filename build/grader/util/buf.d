build/grader/util/buf.o: grader/util/buf.c grader/util/buf.h
grader/util/buf.h:
