build/grader/util/sha256.o: grader/util/sha256.c grader/util/sha256.h
grader/util/sha256.h:
