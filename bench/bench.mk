# bench.mk - build and run the benchmark, ev6-bench (bench/main.c says
# what it does; `bench/ev6-bench --help`).
#
#   make bench                 deps, both kernels, fs.img, mkfs/fsck and the
#                              program, then a session into $(DB):
#                              BENCH_REPS boots of each kernel, BENCH_JOBS
#                              QEMUs at once, BENCH_ARGS passed on
#                              (e.g. BENCH_ARGS=--quick); then the driver
#                              tasks' session (bench-drivers, DRIVERS_ARGS)
#   make bench/ev6-bench       the program (needs libsqlite3-dev)
#   make bench-throughput      campaign runs per hour and where a run's
#                              time goes, at 3 and 1 harts, 2 and 3
#                              workers (bench/throughput.sh; wall time)
#   make bench-drivers         the driver tasks' measurements into $(DB)
#                              (bench/drivers.sh: detection, monitoring
#                              cost, message cost, restart; after make
#                              bench has created the database)
#   make test-bench            its unit tests, no QEMU: console parsing,
#                              storing, the bench_overhead view; ends with
#                              `bench: N passed, N failed`
#
# Included from the top Makefile after campaign/campaign.mk, whose objects
# (the database, helpers, child processes, console lines, SHA-256) it
# links. Objects go to build/bench/. Including this file does not change
# the Makefile's default goal.

BENCH_SAVED_GOAL := $(.DEFAULT_GOAL)

BENCH_REPS ?= 3
BENCH_JOBS ?= 2
BENCH_ARGS ?=
DRIVERS_ARGS ?=
DB ?= db/ev6.db

BENCH_HDRS = bench/bench.h $(CAMPAIGN_HDRS)
BENCH_OBJS = $(patsubst bench/%.c,build/bench/%.o,$(filter-out bench/main.c,$(wildcard bench/*.c)))
BENCH_USES = $(addprefix build/campaign/,db.o vocab.o util.o spawn.o console.o sha256.o \
	campaign.o sqltext.o)
BENCH_LIBS = -lsqlite3 -lm

build/bench/%.o: bench/%.c $(BENCH_HDRS)
	@mkdir -p build/bench
	$(SAY) "  CC      $@"
	@$(HOSTCC) $(CAMPAIGN_CFLAGS) -c -o $@ $<

bench/ev6-bench: build/bench/main.o $(BENCH_OBJS) $(BENCH_USES)
	$(SAY) "  LD      $@"
	@$(HOSTCC) $(CAMPAIGN_CFLAGS) -o $@ $^ $(BENCH_LIBS)

build/bench/test-bench: tests/bench/test_bench.c tests/campaign/check.h $(BENCH_OBJS) $(BENCH_USES)
	@mkdir -p build/bench
	@$(HOSTCC) $(CAMPAIGN_CFLAGS) -o $@ tests/bench/test_bench.c $(BENCH_OBJS) $(BENCH_USES) $(BENCH_LIBS)

test-bench: build/bench/test-bench
	@build/bench/test-bench

bench: deps
	@$(MAKE) -s all mkfs/fsck bench/ev6-bench
	@$(MAKE) -s RECOVERY=0 kernel
	bench/ev6-bench -r $(BENCH_REPS) -j $(BENCH_JOBS) -d $(DB) $(BENCH_ARGS)
	@$(MAKE) -s FAULTS=1 kernel
	bench/drivers.sh -d $(DB) $(DRIVERS_ARGS)

bench-throughput: deps
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s FAULTS=1 kernel
	@bench/throughput.sh

bench-drivers: deps
	@$(MAKE) -s all mkfs/fsck
	@$(MAKE) -s FAULTS=1 kernel
	bench/drivers.sh -d $(DB) $(DRIVERS_ARGS)

.PHONY: bench bench-throughput bench-drivers test-bench

.DEFAULT_GOAL := $(BENCH_SAVED_GOAL)
