# bpfhost: `make` builds, `make test` tests, `make asan` tests under ASan+UBSan,
# `make check` runs the tests, the format check and a short fuzz run.
CC ?= gcc
BUILD ?= build
.DEFAULT_GOAL := all
OPT ?= -O2
WARN := -Wall -Wextra -Werror -Wshadow -Wvla -Wmissing-prototypes -Wstrict-prototypes \
	-Wimplicit-fallthrough -Wformat=2 -Wpointer-arith -Wcast-qual -Wundef
SAN ?=
ALL_CFLAGS = $(OPT) -g $(SAN) -std=gnu11 -fvisibility=hidden $(WARN) -Iinclude -D_GNU_SOURCE $(CFLAGS)
# libbpf parses BTF for us (btf__new); the static one, as Debian ships it
LDLIBS += -l:libbpf.a -lelf -lz -lpthread -lm

LIB_SRCS := $(sort $(filter-out src/preload/%,$(wildcard src/*/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
TOOL_SRCS := $(sort $(wildcard tools/*.c))
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
LIB := $(BUILD)/libbpfhost.a
BIN := $(BUILD)/bpfhost

.PHONY: all test asan switch-test check fuzz bench format check-format clean example conformance
BPF_SRCS := $(sort $(wildcard tests/bpf/*.bpf.c))
BPF_OBJS := $(BPF_SRCS:tests/bpf/%.c=$(BUILD)/tests/bpf/%.o)
LIBBPF_SRCS := $(sort $(wildcard tests/libbpf/*.c))
LIBBPF_TESTS := $(foreach t,$(LIBBPF_SRCS:tests/libbpf/%.c=%),$(BUILD)/tests/libbpf/$(t) \
	$(BUILD)/tests/libbpf/$(t)_kernel)

# The LD_PRELOAD library: the library again, position-independent, plus the
# interposed libc functions (the link-time wrappers stay out of it).
PRELOAD := $(BUILD)/libbpfhost-preload.so
PIC_SRCS := $(filter-out src/core/wrap.c src/preload/%,$(LIB_SRCS)) src/preload/preload.c
PIC_OBJS := $(PIC_SRCS:%.c=$(BUILD)/pic/%.o)
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(PRELOAD): $(PIC_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared $^ -o $@ -ldl -lbpf -lelf -lz -lpthread -lm

all: $(BIN) $(BIN)-exec $(PRELOAD) $(BUILD)/tests/run_data $(UNIT_BINS) $(BPF_OBJS) $(LIBBPF_TESTS)

# BPF programs, compiled for the kernel as users compile them
$(BUILD)/tests/bpf/%.bpf.o: tests/bpf/%.bpf.c
	@mkdir -p $(dir $@)
	clang -O2 -g -target bpf -Wall -Werror -I/usr/include/$(shell gcc -print-multiarch) -c $< -o $@

# Debian's libbpf, unmodified, routed to bpfhost at link time
WRAP := -Wl,--wrap=syscall,--wrap=close,--wrap=mmap,--wrap=mmap64,--wrap=epoll_ctl,--wrap=epoll_wait,--wrap=ioctl \
	-Wl,--wrap=mkdir,--wrap=unlink,--wrap=statfs64,--wrap=munmap
LIBBPF_LIBS := -l:libbpf.a -lelf -lz
$(BUILD)/tests/libbpf/%_kernel: tests/libbpf/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DKERNEL_BACKEND $(LDFLAGS) $< $(LIBBPF_LIBS) -o $@ $(LDLIBS)

# test_stack walks its own call chain by frame pointers
$(BUILD)/tests/libbpf/test_stack.o $(BUILD)/tests/libbpf/test_stack_kernel: ALL_CFLAGS += -fno-omit-frame-pointer

$(BUILD)/tests/libbpf/%: $(BUILD)/tests/libbpf/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(WRAP) $< $(LIBBPF_LIBS) $(LIB) -o $@ $(LDLIBS)

# A light skeleton (bpftool gen skeleton -L) for tests/libbpf/test_lskel.c: its
# loader program runs bpf_sys_bpf. Without bpftool the test says it skipped.
BPFTOOL ?= bpftool
$(BUILD)/tests/bpf/lskel.lskel.h: $(BUILD)/tests/bpf/lskel.bpf.o
	if command -v $(BPFTOOL) >/dev/null 2>&1; then $(BPFTOOL) gen skeleton -L $< name lskel \
		>$@.tmp && mv $@.tmp $@; else echo '#define LSKEL_MISSING 1' >$@; fi
$(BUILD)/tests/libbpf/test_lskel.o $(BUILD)/tests/libbpf/test_lskel_kernel: \
	$(BUILD)/tests/bpf/lskel.lskel.h
$(BUILD)/tests/libbpf/test_lskel.o $(BUILD)/tests/libbpf/test_lskel_kernel: \
	ALL_CFLAGS += -I$(BUILD)/tests/bpf

# the bpf_conformance plugin entry point: bpfhost-exec [MEMORY] [OPTIONS]
$(BIN)-exec: $(BIN)
	ln -sf bpfhost $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# the tool loads objects through Debian's libbpf, routed to bpfhost at link time
$(BIN): $(TOOL_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(WRAP) $(TOOL_OBJS) -l:libbpf.a $(LIB) -o $@ -lpcap $(LDLIBS)

$(BUILD)/tests/run_data: $(BUILD)/tests/run_data.o $(BUILD)/tests/kernel.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

test: all
	tests/run.sh $(BUILD)

ASAN_BUILD ?= build-asan
asan:
	$(MAKE) BUILD=$(ASAN_BUILD) OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

# libFuzzer targets: fuzz_exec (bytes -> validate -> checked interpreter, and
# the disassembly round trip) and fuzz_asm (text -> assembler -> round trip).
FUZZ_SRCS := $(LIB_SRCS) $(wildcard src/*/*.h src/*/*.inc src/*/*.def)
build-fuzz/%: fuzz/%.c $(FUZZ_SRCS)
	@mkdir -p build-fuzz
	clang -std=gnu11 -O1 -g -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $< $(filter-out src/core/wrap.c,$(LIB_SRCS)) -o $@ \
		-l:libbpf.a -lelf -lz -lpthread -lm

FUZZ_SECONDS ?= 15
fuzz: build-fuzz/fuzz_exec build-fuzz/fuzz_asm
	@for t in exec asm; do \
		mkdir -p build-fuzz/corpus-$$t; \
		extra=; [ $$t = asm ] && extra=examples; \
		echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			build-fuzz/corpus-$$t fuzz/seeds-$$t $$extra >build-fuzz/fuzz_$$t.log 2>&1 || \
			{ tail -40 build-fuzz/fuzz_$$t.log; exit 1; }; \
		grep '^Done' build-fuzz/fuzz_$$t.log; \
	done


# the interpreters built with a switch instead of computed goto, every enum case checked
switch-test:
	$(MAKE) BUILD=build-switch CFLAGS="-DVM_NO_COMPUTED_GOTO -Wswitch-enum" test

check: test asan switch-test check-format fuzz

bench: $(BIN)
	$(MAKE) -C bench BPFHOST_BUILD=../$(BUILD)

FORMAT_FILES := $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
check-format:
	clang-format --dry-run --Werror $(FORMAT_FILES)

# The examples: mkcapture writes a sample capture (and the odd ones the tests
# use); three BPF programs run over it with bpfhost run; plugin_host runs a
# BPF plugin at an application's hook (examples/run.sh).
EXAMPLE_DIR := $(BUILD)/examples
EXAMPLE_BPF := $(patsubst examples/%.bpf.c,$(EXAMPLE_DIR)/%.bpf.o,$(wildcard examples/*.bpf.c))
.PHONY: example-build
example-build: $(EXAMPLE_DIR)/mkcapture $(EXAMPLE_BPF) $(EXAMPLE_DIR)/plugin_host

$(EXAMPLE_DIR)/mkcapture: examples/mkcapture.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< -o $@ -lpcap

$(EXAMPLE_DIR)/%.bpf.o: examples/%.bpf.c
	@mkdir -p $(dir $@)
	clang -O2 -g -target bpf -Wall -Werror -I/usr/include/$(shell gcc -print-multiarch) -c $< -o $@

# an application running BPF plugins: Debian's libbpf routed to bpfhost, as the tests'
$(EXAMPLE_DIR)/plugin_host: examples/plugin_host.c examples/plugin.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(WRAP) $< $(LIBBPF_LIBS) $(LIB) -o $@ $(LDLIBS)
$(EXAMPLE_DIR)/plugin.bpf.o: examples/plugin.h

$(EXAMPLE_DIR)/sample.pcap: $(EXAMPLE_DIR)/mkcapture
	$< sample $@

example: $(BIN) example-build $(EXAMPLE_DIR)/sample.pcap
	@examples/run.sh $(BUILD)

# The public ISA conformance suite (bpf_conformance, not in this repository):
# make conformance CONFORMANCE_DIR=path/to/bpf_conformance/tests
CONFORMANCE_DIR ?= ../conformance/tests
conformance: $(BIN)
	@test -d "$(CONFORMANCE_DIR)" || { echo "no suite at $(CONFORMANCE_DIR): set CONFORMANCE_DIR"; exit 1; }
	python3 tests/conformance/run.py -r --plugin $(BIN) --plugin-args "--interp checked" $(CONFORMANCE_DIR)
	python3 tests/conformance/run.py -r --plugin $(BIN) --plugin-args "--interp fast" $(CONFORMANCE_DIR)

clean:
	rm -rf build build-asan build-switch build-fuzz

-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
