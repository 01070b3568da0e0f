build/grader/intake/identity.o: grader/intake/identity.c \
 grader/intake/identity.h grader/intake/../util/rx.h \
 grader/intake/../util/err.h grader/intake/../util/buf.h \
 grader/intake/../util/text.h
grader/intake/identity.h:
grader/intake/../util/rx.h:
grader/intake/../util/err.h:
grader/intake/../util/buf.h:
grader/intake/../util/text.h:
