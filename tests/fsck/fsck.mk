# fsck.mk - build and run the host tests of mkfs and fsck.
#
#   make test-fsck    build mkfs/mkfs, mkfs/fsck and the test program, run it
#
# Included from the top Makefile, which defines HOSTCC and HOSTCFLAGS and the
# rules for mkfs/mkfs and mkfs/fsck. The test works in build/fsck and ends
# with the line `fsck-tests: N passed, N failed`.

FSCK_TEST = build/fsck/test_fsck

$(FSCK_TEST): tests/fsck/test_fsck.c tests/fsck/fsimg.h \
	  kernel/fs.h kernel/param.h kernel/stat.h kernel/types.h
	@mkdir -p build/fsck
	$(HOSTCC) $(HOSTCFLAGS) -o $@ tests/fsck/test_fsck.c

test-fsck: mkfs/mkfs mkfs/fsck $(FSCK_TEST)
	@$(FSCK_TEST) mkfs/mkfs mkfs/fsck build/fsck

.PHONY: test-fsck
