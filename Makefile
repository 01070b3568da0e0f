# hwgrade — one hand-written Makefile. `make demo` and `make check` first
# install missing Debian packages (as root) through scripts/install-deps.sh.

VERSION  := 0.1.0
PKGS     := libzip yaml-0.1 libpcre2-8 libutf8proc libseccomp libgit2 sqlite3 zlib
CC       ?= cc
BUILD    ?= build
CFLAGS   ?= -O2 -g
HW_CFLAGS = $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -MMD -MP -DHW_VERSION='"$(VERSION)"' \
            -DHW_SHAREDIR='"$(PREFIX)/share/hwgrade"' $(HW_WARN_EXTRA)
PREFIX   ?= /usr/local
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lpthread -lm
CHECK_LIBS = $(shell pkg-config --libs check)

LIB_SRC  := $(sort $(filter-out grader/cli/main.c,$(wildcard grader/*/*.c grader/*/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/runner_py.o $(BUILD)/gen/oracle_py.o $(BUILD)/gen/warm_py.o \
            $(BUILD)/gen/nbrun_py.o
# The reference: the toolkit (ref/: arrays, the RNGs, the argument language,
# the table machinery) and every homework's reference (homeworks/NAME/reference/),
# listed in homeworks/list.c.
REF_SRC  := $(sort $(wildcard ref/*.c homeworks/*/reference/*.c)) homeworks/list.c
REF_OBJ  := $(REF_SRC:%.c=$(BUILD)/%.o)
# A homework's own reference tests (homeworks/NAME/tests/*.c): one binary each.
HOMEWORKS := $(patsubst homeworks/%/rubric.yaml,%,$(wildcard homeworks/*/rubric.yaml))
HW_TESTS  := $(foreach h,$(HOMEWORKS),$(if $(wildcard homeworks/$(h)/tests/*.c),$(BUILD)/homeworks/$(h)/tests/run))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

HWGRADE  := $(BUILD)/hwgrade
UNIT     := $(BUILD)/unit-tests

.PHONY: all deps check unit e2e docs realworld mutate asan fuzz demo bench install clean fixtures gradescope deb debcheck
all: $(HWGRADE)

deps:
	@sh scripts/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HW_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libhwgrade.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# The runner, the oracle, the notebook run and the warm start that forks the
# first two are compiled into the binary as strings, each after plan.py
# (framing and the notebook loader's rules): nothing to find at run time.
$(BUILD)/gen/%_py.c: grader/runner/plan.py grader/runner/%.py
	@mkdir -p $(dir $@)
	/usr/bin/python3 -c 'import sys; d = b"".join(open(f, "rb").read() for f in sys.argv[2:]); print("const char hw_" + sys.argv[1] + "_py[] = {" + ",".join(str(b) for b in d) + ",0};")' $* $^ > $@

$(BUILD)/gen/%_py.o: $(BUILD)/gen/%_py.c
	$(CC) $(HW_CFLAGS) -c $< -o $@

# The reference is a library of its own: it knows nothing of the grader.
$(BUILD)/libhwref.a: $(REF_OBJ)
	rm -f $@ && ar rcs $@ $^

$(HWGRADE): $(BUILD)/grader/cli/main.o $(BUILD)/libhwgrade.a $(BUILD)/libhwref.a
	$(CC) $(HW_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(UNIT): $(TEST_OBJ) $(BUILD)/libhwgrade.a $(BUILD)/libhwref.a
	$(CC) $(HW_CFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS)

.SECONDEXPANSION:
$(BUILD)/homeworks/%/tests/run: $$(addprefix $(BUILD)/,$$(subst .c,.o,$$(wildcard homeworks/$$*/tests/*.c))) \
                                $(BUILD)/libhwref.a
	$(CC) $(HW_CFLAGS) -o $@ $^ -lm $(CHECK_LIBS)

# Hostile fixtures too large to commit are generated next to the build.
fixtures: $(BUILD)/fixtures/.done
$(BUILD)/fixtures/.done: tests/fixtures/make_fixtures.py
	@mkdir -p $(BUILD)/fixtures
	/usr/bin/python3 tests/fixtures/make_fixtures.py --large $(BUILD)/fixtures
	@touch $@

unit: $(UNIT) $(HW_TESTS) fixtures
	HW_FIXTURES=tests/fixtures HW_LARGE=$(BUILD)/fixtures HW_RUBRIC=tests/fixtures/rubric_static.yaml ./$(UNIT)
	@for t in $(HW_TESTS); do echo "$$t"; ./$$t || exit 1; done
	sh tests/style.sh

e2e: $(HWGRADE) fixtures samples
	HW_ASAN=$(HW_ASAN) HW_SAMPLE_TERM='$(SAMPLE_TERM)' sh tests/e2e/run.sh $(HWGRADE) $(BUILD)
	sh tests/e2e/homeworks.sh $(HWGRADE) $(BUILD)

# Every sh and console example of the README and docs/*.md, run.
docs: $(HWGRADE) samples
	/usr/bin/python3 tests/docs/run.py $(HWGRADE) $(BUILD)

# check also installs a browser: the e2e test renders DIR/index.html in it.
check:
	@sh scripts/install-deps.sh chromium lintian man-db dpkg-dev
	@$(MAKE) --no-print-directory unit e2e docs realworld debcheck

# The Debian package: its own build with PREFIX=/usr (HW_SHAREDIR is built in).
deb: deps
	@$(MAKE) --no-print-directory BUILD=build-deb PREFIX=/usr build-deb/hwgrade
	@sh scripts/build-deb.sh build-deb/hwgrade $(VERSION) $(BUILD)

# The package checked (lintian, its contents, the man page) and, as root,
# installed with dpkg, grading the sample class from the installed paths, removed.
debcheck: deb samples
	sh tests/deb/run.sh $(BUILD) $(VERSION)

# Real submissions (test data from outside the project, beside the checkout):
# zipped and uploaded per exercise as students hand them in, verdicts pinned.
REALWORLD ?= ../shared/realworld
realworld: $(HWGRADE)
	@rm -rf $(BUILD)/realworld
	HWGRADE_KEY=$(CURDIR)/tests/fixtures/course.key /usr/bin/python3 tests/realworld/run.py $(HWGRADE) $${HW_REALWORLD:-$(REALWORLD)} $(BUILD)/realworld

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    HW_ASAN=1 unit e2e

# libFuzzer targets (clang), each run FUZZ_SECONDS over tests/fuzz/corpus/T,
# which also holds every input that once crashed one (kept as regressions).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := zip notebook rubric frame
FUZZ_CFLAGS   = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
fuzz:
	@sh scripts/install-deps.sh clang
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang CFLAGS='$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link' \
	    HW_WARN_EXTRA=-Wno-missing-field-initializers \
	    $(FUZZ_BUILD)/libhwgrade.a $(FUZZ_BUILD)/libhwref.a
	@for t in $(FUZZ_TARGETS); do \
	    clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) tests/fuzz/fuzz_$$t.c $(FUZZ_BUILD)/libhwgrade.a \
	        $(FUZZ_BUILD)/libhwref.a $(PKG_LIBS) -o $(FUZZ_BUILD)/fuzz_$$t || exit 1; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    ./$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t \
	        2>$(FUZZ_BUILD)/fuzz_$$t.log || { tail -40 $(FUZZ_BUILD)/fuzz_$$t.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units|Done' $(FUZZ_BUILD)/fuzz_$$t.log | tail -1; \
	done

# Sample submissions: every homework's samples/ zipped into BUILD/samples/NAME.
# The demo grades the first homework's class as one term's (its deadline and
# the submission system's export), with the tests' course key so that its
# numbers are the pinned ones; tests/e2e/homeworks.sh grades every class.
DEMO        := $(firstword $(HOMEWORKS))
SAMPLE_TERM  = --rubric homeworks/$(DEMO)/samples/term.yaml --times homeworks/$(DEMO)/samples/times.csv
.PHONY: samples
samples:
	@for h in $(HOMEWORKS); do sh scripts/samples.sh homeworks/$$h/samples $(BUILD)/samples/$$h || exit 1; done

demo: deps
	@$(MAKE) --no-print-directory $(HWGRADE) samples
	@rm -rf out
	HWGRADE_KEY=tests/fixtures/course.key ./$(HWGRADE) grade -j2 $(SAMPLE_TERM) --out out $(BUILD)/samples/$(DEMO)

bench: $(HWGRADE) fixtures samples
	sh bench/class.sh $(HWGRADE) $(BUILD)/samples/$(DEMO)
	sh bench/static.sh $(HWGRADE)
	sh bench/hostile.sh $(HWGRADE) tests/fixtures/zips $(BUILD)/fixtures
	/usr/bin/python3 bench/tolerances.py $(HWGRADE)

# The rubric's mutation score (a few minutes): bench/mutate.sh.
mutate: $(HWGRADE)
	sh bench/mutate.sh $(HWGRADE)

install: deps
	@$(MAKE) --no-print-directory $(HWGRADE)
	install -D -m 0755 $(HWGRADE) $(DESTDIR)$(PREFIX)/bin/hwgrade
	for h in $(HOMEWORKS); do install -D -m 0644 homeworks/$$h/rubric.yaml \
	    $(DESTDIR)$(PREFIX)/share/hwgrade/homeworks/$$h/rubric.yaml || exit 1; done

# The Gradescope autograder (upload build/gradescope/autograder.zip; HOMEWORK=NAME
# picks a shipped homework, else the first): see docs/ci.md.
gradescope:
	sh gradescope/build.sh $(BUILD)/gradescope/autograder.zip $(HOMEWORK)

clean:
	rm -rf build build-asan build-fuzz build-deb out

-include $(REF_OBJ:.o=.d) $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/grader/cli/main.d \
         $(patsubst %.c,$(BUILD)/%.d,$(wildcard homeworks/*/tests/*.c))
