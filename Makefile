# One Makefile for the whole tree: the kernel, user programs, the file-system
# image, host tools (mkfs, fsck) and the test and campaign entry points.
#
#   make              kernel/kernel and fs.img
#   make qemu         boot interactively (CPUS=3); quit with Ctrl-A x
#   make qemu-gdb     boot halted, waiting for gdb-multiarch on a unix socket
#   make test         host tests, fsck tests, full usertests at -smp 1 and 3
#   make campaign     the fault-injection campaign, then make report
#   make report       the paper's tables and figures from db/ev6.db into reports/out/
#   make bench        runtime and memory overhead of recovery (bench/bench.mk)
#   make RECOVERY=0   the same kernel without Ev6 recovery (the baseline)
#   make FAULTS=1     the fault-injection build: the ev6_inject system call and
#                     the site counters the campaign's GDB scripts use
#   make TRACE=1      FAULTS=1 with every load and store hooked (kernel/ev6_trace.c)
#   make sweep        golden run, pruning, SWEEP_BUDGET experiments, the sweep report
#
# Kernel variants build in build/kernel-rRfF/; the default (RECOVERY=1
# FAULTS=0) is linked to kernel/kernel.

K = kernel
U = user
CPUS ?= 3
RECOVERY ?= 1
FAULTS ?= 0
# TRACE=1: the access-tracing build of a sweep (kernel/ev6_trace.c), always
# with the injection sites.
TRACE ?= 0
ifeq ($(TRACE),1)
override FAULTS = 1
KB = build/kernel-r$(RECOVERY)f1t1
else
KB = build/kernel-r$(RECOVERY)f$(FAULTS)
endif
ifeq ($(RECOVERY)$(FAULTS)$(TRACE),100)
KERNEL = $(K)/kernel
else
KERNEL = $(KB)/kernel
endif

TOOLPREFIX ?= riscv64-unknown-elf-
CC = $(TOOLPREFIX)gcc
AS = $(TOOLPREFIX)gas
LD = $(TOOLPREFIX)ld
OBJCOPY = $(TOOLPREFIX)objcopy
OBJDUMP = $(TOOLPREFIX)objdump
NM = $(TOOLPREFIX)nm

# Frame pointers and full debug info: the recovery code walks kernel stacks
# and the campaign's GDB scripts read kernel structs by name.
CFLAGS = -Wall -Werror -O2 -fno-omit-frame-pointer -ggdb -gdwarf-4 -MD
CFLAGS += -mcmodel=medany -ffreestanding -fno-common -nostdlib -mno-relax
CFLAGS += -fno-stack-protector -fno-pie -no-pie -fno-builtin-printf -I.
# Keep every non-inline C function a real call with its own frame, so that a
# stack walk is the exact kernel call history and GDB can break on any of them.
CFLAGS += -fno-inline-functions -fno-inline-small-functions
CFLAGS += -fno-inline-functions-called-once -fno-optimize-sibling-calls -fno-shrink-wrap
KCFLAGS = $(CFLAGS) -DRECOVERY=$(RECOVERY) -DFAULTS=$(FAULTS) -DTRACE=$(TRACE)
# TRACE=1: every load and store checks the shadow (kernel/memlayout.h) and
# calls a hook (__asan_report_load8_noabort, ...) for a traced object's
# bytes; not in the hooks themselves, the registry they consult, start.c
# (machine mode, before the kernel is set up), and the code that reaches
# devices whose registers have no shadow (the UART before paging, PLIC,
# the test device).
TRACE_SHADOW_OFFSET := $(shell sed -n 's/^\#define TRACE_SHADOW_OFFSET *\(0x[0-9a-fA-F]*\)L.*/\1/p' kernel/memlayout.h)
TRACE_CFLAGS = -fsanitize=kernel-address -fasan-shadow-offset=$(TRACE_SHADOW_OFFSET) \
  --param asan-instrumentation-with-call-threshold=1000000 \
  --param asan-globals=0 --param asan-stack=0 -fno-sanitize-address-use-after-scope
TRACE_EXEMPT = ev6_trace ev6_registry start uart plic poweroff
LDFLAGS = -z max-page-size=4096 --no-warn-rwx-segments

# One short line per compiled file, none under `make -s`.
ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
SAY = @true
else
SAY = @echo
endif

HOSTCC = gcc
HOSTCFLAGS = -Wall -Werror -O2 -g -I.

KSRCS = $(wildcard $(K)/*.c) $(wildcard $(K)/*.S)
KOBJS = $(KB)/entry.o $(filter-out $(KB)/entry.o,$(patsubst $(K)/%.S,$(KB)/%.o,$(patsubst $(K)/%.c,$(KB)/%.o,$(KSRCS))))

all: $(KERNEL) fs.img

kernel: $(KERNEL)

# Two links: the first with an empty symbol table, from which
# tools/gen-ksyms.awk builds the real one for the second. The table sits
# after .text, so the check below proves no function moved
# (-mno-relax keeps every instruction's size fixed).
$(KERNEL): $(KOBJS) $(K)/kernel.ld tools/gen-ksyms.awk
	@printf '#include "kernel/types.h"\n#include "kernel/ksyms.h"\nconst struct ksym ksyms[1];\nconst int nksyms = 0;\n' > $(KB)/ksyms0.c
	@$(CC) $(KCFLAGS) -c -o $(KB)/ksyms0.o $(KB)/ksyms0.c
	@$(LD) $(LDFLAGS) -T $(K)/kernel.ld -o $(KB)/kernel.pass1 $(KOBJS) $(KB)/ksyms0.o
	@$(OBJDUMP) -d $(KB)/kernel.pass1 | awk -f tools/gen-ksyms.awk > $(KB)/ksyms.c
	@$(CC) $(KCFLAGS) -c -o $(KB)/ksyms.o $(KB)/ksyms.c
	$(LD) $(LDFLAGS) -T $(K)/kernel.ld -o $@ $(KOBJS) $(KB)/ksyms.o
	@$(NM) -n $(KB)/kernel.pass1 | grep -i ' t ' > $(KB)/text.pass1
	@$(NM) -n $@ | grep -i ' t ' > $(KB)/text.final
	@cmp -s $(KB)/text.pass1 $(KB)/text.final || { echo "kernel functions moved between links" >&2; rm -f $@; exit 1; }
	@$(OBJDUMP) -S $@ > $(KB)/kernel.asm

# The flags a build directory was compiled with: objects depend on this
# file, rewritten only when the flags change, so a change to the flags
# (e.g. TRACE_CFLAGS) rebuilds them.
KFLAGS_USED = $(KCFLAGS) | $(TRACE_CFLAGS) | $(TRACE_EXEMPT)
$(KB)/flags: FORCE
	@mkdir -p $(KB)
	@echo '$(KFLAGS_USED)' | cmp -s - $@ || echo '$(KFLAGS_USED)' > $@
FORCE:

$(KB)/%.o: $(K)/%.c $(KB)/flags
	@mkdir -p $(KB)
	$(SAY) "  CC      $@"
	@$(CC) $(KCFLAGS) $(if $(filter 1,$(TRACE)),$(if $(filter $*,$(TRACE_EXEMPT)),,$(TRACE_CFLAGS))) -c -o $@ $<

$(KB)/%.o: $(K)/%.S $(KB)/flags
	@mkdir -p $(KB)
	$(SAY) "  AS      $@"
	@$(CC) $(KCFLAGS) -c -o $@ $<

# User programs: linked at 0 against the small C library.
ULIB = $(U)/ulib.o $(U)/usys.o $(U)/printf.o $(U)/umalloc.o

UPROGS = $(patsubst %,$(U)/_%,init sh cat echo grep kill ln ls mkdir rm wc \
	poweroff stress usertests ev6test ev6mode memtest audit trace drvtest)

$(U)/_%: $(U)/%.o $(ULIB) $(U)/user.ld
	$(SAY) "  LD      $@"
	@$(LD) $(LDFLAGS) -T $(U)/user.ld -o $@ $< $(ULIB)
	@$(OBJDUMP) -S $@ > $(U)/$*.asm

$(U)/%.o: $(U)/%.c
	$(SAY) "  CC      $@"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(U)/%.o: $(U)/%.S
	$(SAY) "  AS      $@"
	@$(CC) $(CFLAGS) -c -o $@ $<

mkfs/mkfs: mkfs/mkfs.c $(K)/fs.h $(K)/param.h
	$(HOSTCC) $(HOSTCFLAGS) -o $@ mkfs/mkfs.c

mkfs/fsck: mkfs/fsck.c $(K)/fs.h $(K)/param.h
	$(HOSTCC) $(HOSTCFLAGS) -o $@ mkfs/fsck.c

# The image gets copies without debug info (GDB reads user/_* instead).
FSPROGS = $(patsubst $(U)/_%,build/fsroot/_%,$(UPROGS))

build/fsroot/_%: $(U)/_%
	@mkdir -p build/fsroot
	@$(OBJCOPY) --strip-debug $< $@

fs.img: mkfs/mkfs README.md $(FSPROGS)
	mkfs/mkfs fs.img README.md $(FSPROGS)

QEMU = qemu-system-riscv64
QEMUOPTS = -machine virt -bios none -kernel $(KERNEL) -m 128M -smp $(CPUS) -nographic
QEMUOPTS += -global virtio-mmio.force-legacy=false
QEMUOPTS += -drive file=fs.img,if=none,format=raw,id=x0
QEMUOPTS += -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0

qemu: $(KERNEL) fs.img
	$(QEMU) $(QEMUOPTS)

GDBSOCK = /tmp/ev6-gdb-$(shell id -u).sock
qemu-gdb: $(KERNEL) fs.img
	@echo "*** now run: gdb-multiarch -ex 'target remote $(GDBSOCK)' $(KERNEL)"
	$(QEMU) $(QEMUOPTS) -S -chardev socket,path=$(GDBSOCK),server=on,wait=off,id=gdb0 -gdb chardev:gdb0

clean:
	rm -f $(K)/kernel \
	  $(U)/*.o $(U)/*.d $(U)/_* $(U)/*.asm mkfs/mkfs mkfs/fsck fs.img
	rm -rf build

-include $(KB)/*.d $(U)/*.d

.PRECIOUS: $(U)/%.o
# The sweep (campaign/sweep/README.md): golden run, pruning, SWEEP_BUDGET
# experiments drawn by weight (SWEEP_SEED; SWEEP_BUDGET=all runs every
# class), the report. Resumable: run it again to continue.
SWEEP_BUDGET ?= 250
SWEEP_SEED ?= 1
sweep: fs.img mkfs/fsck campaign/ev6-campaign campaign/sweep/ev6-sweep
	@$(MAKE) -s TRACE=1 kernel
	@SWEEP_BUDGET=$(SWEEP_BUDGET) SWEEP_SEED=$(SWEEP_SEED) SWEEP_DB=$(DB) campaign/sweep/sweep.sh

.PHONY: all kernel qemu qemu-gdb clean test campaign campaign-access deps sweep ev6-objects FORCE

deps:
	@tools/ensure-deps.sh

# The campaign: every scenario of CONFIG, both modes, into DB (default
# db/ev6.db; reports/reports.mk), then the reports from it (make report;
# a failed report does not change the status).
# Interrupted? Run it again: it finishes only what is missing.
# EXECUTOR=slurm runs it as a Slurm job array instead (campaign/array.h),
# with SLURM_OPTS for the cluster, e.g. SLURM_OPTS='--partition batch
# --time-limit 2:00:00 --tasks 50 --shard-dir /shared/ev6'.
CONFIG ?= configs/table2.ini configs/table3.ini configs/beyond.ini configs/drivers.ini
EXECUTOR ?= local
SLURM_OPTS ?=
CAMPAIGN_ARGS = --executor $(EXECUTOR) $(if $(filter slurm,$(EXECUTOR)),$(SLURM_OPTS))
campaign: deps
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s FAULTS=1 kernel
	$(SAY) "campaign/ev6-campaign -d $(DB) $(CAMPAIGN_ARGS) $(CONFIG)"
	@status=0; campaign/ev6-campaign -d "$(DB)" $(CAMPAIGN_ARGS) $(CONFIG) || status=$$?; \
	$(MAKE) --no-print-directory report || echo "campaign: make report failed; the results are in the database" >&2; \
	exit $$status

# The paper's tables again with every error delivered at the first read of
# the damaged bytes (ev6-campaign --delivery access): a campaign of its own
# in DB, shown beside breakpoint delivery and the paper by make report
# ("Breakpoint and access delivery"). Not part of make campaign: about 16
# more minutes on 2 cores (Table 2's 98 runs about 10, Table 3's 28 about
# 6; a Table 3 error is raised by its own consumer,
# campaign/gdbscripts/consumers.py).
ACCESS_CONFIG ?= configs/table2.ini configs/table3.ini
campaign-access: deps
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s FAULTS=1 kernel
	$(SAY) "campaign/ev6-campaign -d $(DB) --delivery access $(CAMPAIGN_ARGS) $(ACCESS_CONFIG)"
	@status=0; campaign/ev6-campaign -d "$(DB)" --delivery access $(CAMPAIGN_ARGS) $(ACCESS_CONFIG) || status=$$?; \
	$(MAKE) --no-print-directory report || echo "campaign-access: make report failed; the results are in the database" >&2; \
	exit $$status

-include tests/fsck/fsck.mk
include campaign/campaign.mk
include reports/reports.mk
include bench/bench.mk

# Host-side tests first (fast), then the kernel in QEMU: the whole
# usertests at 1 hart (each test started half a time slice after a tick,
# as make bench does) and 3 harts, the same without recovery (RECOVERY=0), the
# kernel's self-audit (healthy, and damaged through GDB), Ev6 recovery on
# the FAULTS=1 kernel, driver-task faults and restarts (tests/drivers.sh),
# the GDB injector's delivery against real guests,
# the orchestrator end to end with a stand-in injector, delivery = scrub
# end to end (tests/campaign/scrub.sh, 10 runs, under a minute), beyond.ini's
# stops in user mode end to end (tests/campaign/userpage.sh, 10 runs), a real smoke
# campaign (QEMU, GDB, orchestrator, database), and the same through a
# Slurm cluster started for it (tests/slurm/; about 1.5 minutes), and the
# sweep at a small scale (tests/sweep.sh: golden run, pruning, a plan, two
# experiments, the report; about 1 minute).
TEST_SUITES = 'make -s test-unit' 'make -s test-fsck' 'make -s test-campaign' \
	'tests/campaign/preflight.sh' \
	'make -s test-report' \
	'make -s test-bench' 'tests/usertests.sh 1 -p 50000' 'tests/usertests.sh 3' \
	'tests/usertests.sh -K build/kernel-r0f0/kernel 1' 'tests/audit.sh' \
	'tests/ev6.sh build/kernel-r1f1/kernel' 'tests/drivers.sh' 'tests/gdbscripts/test_deliver.sh' 'tests/gdbscripts/test_forensics.sh' \
	'tests/campaign/e2e.sh' 'tests/campaign/scrub.sh' 'tests/campaign/userpage.sh' 'tests/campaign/smoke.sh' 'tests/slurm/test-slurm.sh' \
	'tests/docs.sh' 'tests/sweep.sh'

# docs/ev6-objects.md's object table, from kernel/ev6_rules.c (the one
# source); tests/docs.sh checks that it is current.
ev6-objects:
	@awk -v b='<!-- generated by tools/ev6-objects.awk: begin -->' \
	  -v e='<!-- generated by tools/ev6-objects.awk: end -->' \
	  -v t="$$(awk -f tools/ev6-objects.awk kernel/ev6_types.h kernel/ev6_rules.c)" \
	  '$$0 == e { on = 0 } !on { print } $$0 == b { print t; on = 1 }' \
	  docs/ev6-objects.md > docs/ev6-objects.md.new && mv docs/ev6-objects.md.new docs/ev6-objects.md

test:
	@tools/ensure-deps.sh slurm
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s RECOVERY=0 kernel
	@$(MAKE) -s FAULTS=1 kernel
	@$(MAKE) -s RECOVERY=0 FAULTS=1 kernel
	@$(MAKE) -s TRACE=1 kernel
	@$(MAKE) -s campaign/sweep/ev6-sweep
	@tests/run-all.sh $(TEST_SUITES)

# Host unit tests: each tests/unit/test_*.c is one program.
UNIT_TESTS = $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))

build/unit/%: tests/unit/%.c tests/unit/testhelp.h
	@mkdir -p build/unit
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

test-unit: $(UNIT_TESTS)
	@fail=0; for t in $(UNIT_TESTS); do $$t || fail=1; done; exit $$fail
