build/grader/json/json.o: grader/json/json.c grader/json/json.h \
 grader/json/../util/err.h grader/json/../util/buf.h \
 grader/json/../util/text.h
grader/json/json.h:
grader/json/../util/err.h:
grader/json/../util/buf.h:
grader/json/../util/text.h:
