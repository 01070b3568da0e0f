build/grader/notebook/notebook.o: grader/notebook/notebook.c \
 grader/notebook/notebook.h grader/notebook/../util/err.h \
 grader/notebook/../json/json.h grader/notebook/../json/../util/err.h \
 grader/notebook/../util/buf.h
grader/notebook/notebook.h:
grader/notebook/../util/err.h:
grader/notebook/../json/json.h:
grader/notebook/../json/../util/err.h:
grader/notebook/../util/buf.h:
