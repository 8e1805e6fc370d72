# campaign.mk - build and test the campaign orchestrator, ev6-campaign.
#
#   make campaign/ev6-campaign   the program (needs libsqlite3-dev, libinih-dev)
#   make test-campaign           its unit tests: config errors, job expansion,
#                                leasing and resume, classification of recorded
#                                consoles; ends with `campaign: N passed, N failed`
#   make test-campaign-e2e       a few real runs under QEMU with a stand-in
#                                injector (tests/campaign/e2e.sh)
#   make test-slurm              the Slurm executor on a single-node Slurm
#                                cluster started here (root; installs Slurm
#                                and munge; tests/slurm/test-slurm.sh)
#   make bench-slurm             runs per hour of the local and the Slurm
#                                executor on one campaign (tests/slurm/
#                                throughput.sh; wall time, not a test)
#
# Included from the top Makefile, which defines HOSTCC and HOSTCFLAGS.
# Objects go to build/campaign/. The database schema (db/schema.sql) and
# its migrations (db/migrations/) are compiled in as C strings. Including
# this file does not change the Makefile's default goal.

CAMPAIGN_SAVED_GOAL := $(.DEFAULT_GOAL)

CAMPAIGN_CFLAGS = $(HOSTCFLAGS) -std=c11 -D_GNU_SOURCE -Wextra
CAMPAIGN_LIBS = -lsqlite3 -linih
# The kernel headers it takes facts from (the object types, the fs format).
CAMPAIGN_HDRS = $(wildcard campaign/*.h) kernel/ev6_types.h kernel/fs.h kernel/param.h \
	kernel/stat.h kernel/types.h
CAMPAIGN_OBJS = $(patsubst campaign/%.c,build/campaign/%.o,\
	$(filter-out campaign/main.c,$(wildcard campaign/*.c))) build/campaign/sqltext.o
CAMPAIGN_SQL = db/schema.sql $(sort $(wildcard db/migrations/*.sql))

build/campaign/%.o: campaign/%.c $(CAMPAIGN_HDRS)
	@mkdir -p build/campaign
	$(HOSTCC) $(CAMPAIGN_CFLAGS) -c -o $@ $<

build/campaign/sqltext.c: $(CAMPAIGN_SQL) campaign/embed.awk
	@mkdir -p build/campaign
	awk -f campaign/embed.awk $(CAMPAIGN_SQL) > $@

build/campaign/sqltext.o: build/campaign/sqltext.c campaign/db.h
	$(HOSTCC) $(CAMPAIGN_CFLAGS) -c -o $@ $<

campaign/ev6-campaign: build/campaign/main.o $(CAMPAIGN_OBJS)
	$(HOSTCC) $(CAMPAIGN_CFLAGS) -o $@ $^ $(CAMPAIGN_LIBS)

# The sweep's fault space and plan (campaign/sweep/README.md).
campaign/sweep/ev6-sweep: campaign/sweep/sweep.c $(CAMPAIGN_OBJS)
	$(HOSTCC) $(CAMPAIGN_CFLAGS) -o $@ $^ $(CAMPAIGN_LIBS)

CAMPAIGN_TESTS = $(wildcard tests/campaign/test_*.c)

build/campaign/test-campaign: $(CAMPAIGN_TESTS) tests/campaign/check.h $(CAMPAIGN_OBJS)
	$(HOSTCC) $(CAMPAIGN_CFLAGS) -o $@ $(CAMPAIGN_TESTS) $(CAMPAIGN_OBJS) $(CAMPAIGN_LIBS)

test-campaign: build/campaign/test-campaign campaign/ev6-campaign
	@build/campaign/test-campaign

test-campaign-e2e: campaign/ev6-campaign
	@tests/campaign/e2e.sh

test-slurm:
	@tools/ensure-deps.sh slurm
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s FAULTS=1 kernel
	@tests/slurm/test-slurm.sh

bench-slurm:
	@tools/ensure-deps.sh slurm
	@$(MAKE) -s all mkfs/fsck campaign/ev6-campaign
	@$(MAKE) -s FAULTS=1 kernel
	@tests/slurm/throughput.sh

.PHONY: test-campaign test-campaign-e2e test-slurm bench-slurm

.DEFAULT_GOAL := $(CAMPAIGN_SAVED_GOAL)
