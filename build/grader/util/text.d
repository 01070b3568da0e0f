build/grader/util/text.o: grader/util/text.c grader/util/text.h \
 grader/util/buf.h
grader/util/text.h:
grader/util/buf.h:
