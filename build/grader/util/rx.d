build/grader/util/rx.o: grader/util/rx.c grader/util/rx.h \
 grader/util/err.h
grader/util/rx.h:
grader/util/err.h:
