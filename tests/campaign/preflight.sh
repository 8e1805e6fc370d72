#!/bin/sh
# preflight.sh - the orchestrator refuses scenarios the kernel or image
# cannot carry out before any run, naming file:line, with exit status 2
# and nothing written: an out-of-range or mistyped global: target, a
# member that does not exist, a process picked by role (proc[name=wc]) or
# a buffer by its block (bcache.buf[block=N]) in another table, an unknown site or recovery-path function, a
# workload program missing from fs.img (also the process of a stop in
# user mode), a driver fault in a driver the kernel does not have
# (tests/campaign/preflight/bad.ini), a stop in user mode on a kernel
# without FAULTS=1,
# and the good configs pass. Needs the FAULTS=1 kernel, fs.img and
# gdb-multiarch (make test builds them). Ends with
# `preflight: N passed, N failed`.
set -u
cd "$(dirname "$0")/../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/ev6-preflight-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() {	# DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@" > /dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $d"; fi
}
has() { grep -qF -- "$2" "$1"; }

bad=tests/campaign/preflight/bad.ini
campaign/ev6-campaign -d "$work/x.db" "$bad" > "$work/out" 2> "$work/err"
rc=$?
ok "bad scenarios: exit 2" [ "$rc" -eq 2 ]
ok "bad scenarios: no database written" [ ! -e "$work/x.db" ]
ok "out of range, file:line" has "$work/err" "$bad:8: [buf-out-of-range] target global:bcache.buf[99999]: index 99999 is out of range (bcache.buf has"
ok "wrong type" has "$work/err" "$bad:17: [buf-in-kmem] target global:kmem is a struct kmem, which holds no buf"
ok "no such member" has "$work/err" "$bad:26: [buf-no-member] target global:bcache.buf[3] has no member nosuch"
ok "unknown site" has "$work/err" "$bad:34: [unknown-site] site: cannot resolve site bgett"
ok "missing program" has "$work/err" "$bad:43: [missing-program] workload 'cat README.md | nosuchprog -x > out': nosuchprog is not a program in fs.img"
ok "unknown recovery site" has "$work/err" "$bad:48: [unknown-recovery-site] recovery_site: cannot resolve symbol 'no_such_function'"
ok "role outside the process table" has "$work/err" "$bad:61: [role-not-proc] target global:bcache.buf[name=wc]: a role picks a process, and bcache.buf is not the process table"
ok "a driver with no task" has "$work/err" "$bad:66: [no-such-driver] site: cannot resolve site nosuch_serve"
ok "a stop in user mode in a program fs.img lacks" has "$work/err" "$bad:80: [user-missing-program] workload 'nosuchwc README.md': nosuchwc is not a program in fs.img"
ok "a block outside the buffer cache" has "$work/err" "$bad:88: [block-not-buf] target global:proc[block=3]: a block picks a buffer, and proc is not the buffer cache"
ok "the count" has "$work/err" "10 problems with the scenarios against"
ok "no traceback" sh -c "! grep -q Traceback '$work/err'"

campaign/ev6-campaign --dry-run "$bad" > "$work/out" 2> "$work/err"
rc=$?
ok "--dry-run checks too: exit 2" [ "$rc" -eq 2 ]
ok "--dry-run lists no jobs" sh -c "! grep -q 'nothing was run' '$work/out'"

campaign/ev6-campaign --dry-run configs/table2.ini configs/table3.ini configs/beyond.ini configs/smoke.ini configs/drivers.ini \
	> "$work/out" 2> "$work/err"
rc=$?
ok "the campaign's own configs pass" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || cat "$work/err"

# site = user waits for the workload's exec: a kernel without FAULTS=1 cannot
if [ -f kernel/kernel ]; then
	awk '/^\[/ { on = $0 == "[userpage-text-clean]" } on' configs/beyond.ini > "$work/user.ini"
	campaign/ev6-campaign --dry-run --kernel kernel/kernel "$work/user.ini" > "$work/out" 2> "$work/err"
	rc=$?
	ok "site user on a kernel without FAULTS=1: exit 2" [ "$rc" -eq 2 ]
	ok "site user on a kernel without FAULTS=1: says so" has "$work/err" ":3: [userpage-text-clean] site user waits for its program's exec: it needs a FAULTS=1 kernel (no fi_workload_name, fi_workload_start)"
fi

campaign/ev6-campaign --dry-run --image README.md configs/smoke.ini > "$work/out" 2> "$work/err"
rc=$?
ok "not an image: exit 2" [ "$rc" -eq 2 ]
ok "not an image: says so" has "$work/err" "README.md is not a file-system image of this kernel"

echo "preflight: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
