#!/bin/sh
# markdown.sh - assemble report.md (on stdout) from the query results that
# reports/report.sh left in its work directory: the summary first (one
# screen: ours beside the paper, then what the database lacks), then each
# table with a sentence on how to read it and links to its CSV and LaTeX,
# and the figures (PNG, with the SVG linked).
#
# usage: sh reports/markdown.sh workdir outdir database   (report.sh runs it)
set -eu
work=$1
out=$2
db=$3

status() { awk -F '\t' -v k="$1" '$1 == k { print $2 }' "$work/status.tsv"; }
version=$(status schema_version)
links() { echo; echo "Also as [$1.csv]($1.csv) and [$1.tex]($1.tex)."; }
table() {
	echo
	if [ -s "$work/$1.md" ]; then
		cat "$work/$1.md"
		links "$1"
	else
		echo "*No data yet.*"
	fi
}
figure() {	# name alt-text
	if [ -s "$out/$1.png" ]; then
		echo
		echo "![$2]($1.png)"
		echo
		echo "([SVG]($1.svg))"
	fi
}

cat <<EOF
# Ev6 reproduction report

Generated $(date -u +%Y-%m-%dT%H:%M:%SZ) by \`make report\` from \`$db\`
(schema version ${version:-none}). The paper's figures come from
\`reports/paper.tsv\`; the queries are \`reports/sql/*.sql\`.

## Summary
EOF
table summary

# What is missing, in the words of the command that fills it.
{
	[ "$(cat "$work/ev6db")" = yes ] ||
		echo "- the database has no campaign tables (an empty file, or not made by ev6-campaign): run \`make campaign\`"
	if [ "$(status campaigns)" -eq 0 ]; then
		echo "- no campaign yet: run \`make campaign\` (\`CONFIG=configs/smoke.ini\` for a 6-run sample)"
	else
		n=$(( $(status table2_scenarios) - $(status table2_run) ))
		[ "$n" -eq 0 ] || echo "- $n of $(status table2_scenarios) Table 2 scenarios have no result yet: run \`make campaign\`"
		n=$(( $(status table3_scenarios) - $(status table3_run) ))
		[ "$n" -eq 0 ] || echo "- $n of $(status table3_scenarios) Table 3 scenarios have no result yet: run \`make campaign\`"
		[ "$(status jobs)" -eq "$(status jobs_done)" ] ||
			echo "- $(( $(status jobs) - $(status jobs_done) )) jobs are not done: run \`make campaign\` again to finish them"
	fi
	if [ "$(status bench_sessions)" -eq 0 ]; then
		echo "- no benchmark session yet: run \`make bench\` (runtime overhead, Table 4)"
	elif [ "$(status overhead_tests)" -eq 0 ]; then
		echo "- no finished benchmark session with per-test times: run \`make bench\`"
	fi
	[ "$(status memory_phases)" -gt 0 ] || [ "$(status bench_sessions)" -eq 0 ] ||
		echo "- no memory measurements yet: run \`make bench\` (Table 4)"
	[ -z "$(status bench_unfinished)" ] ||
		echo "- benchmark session(s) $(status bench_unfinished) did not finish (running, or interrupted): their runtimes are left out"
} > "$work/missing"
if [ -s "$work/missing" ]; then
	echo
	echo "**Missing from the database:**"
	echo
	cat "$work/missing"
fi

cat <<'EOF'

How to read the tables: for each scenario (a section of `configs/table2.ini`
or `table3.ini`; several can split one paper row) and mode, *ours* counts
the repetitions by how they ended, e.g. `SF 3/3 survived` (the exit the
kernel took, then whether the survival check and fsck passed), `FS`, or an
outcome such as `panic`, `hang`, `harness-error`, `pending` (no run yet).
The verdict, over the runs that injected an error: **agrees** — every run
took an exit the paper reports for that mode and survived when it was SF
or PK; **better** — the paper fail-stopped and every run survived (e.g. the
root-directory and T_DEVICE cases); **differs** — anything else. Each
scenario's results come from the latest campaign that ran it from the
Table 2/3 configs (else from any config, e.g. the smoke set); the campaign
column says which.

## Table 2 — single faults
EOF
table table2

cat <<'EOF'

## Table 3 — multiple faults

In the paper "FS (NMI shepherd), X" means X when the shepherd serialised
the errors and FS when it did not: either agrees.
EOF
table table3

cat <<'EOF'

## Beyond the paper

The scenarios of `configs/beyond.ini`: objects the paper does not recover
(it fail-stops on every one, so it has no result to compare with): the
superblock, the kernel state of a process that is not running, kernel
text, and a process's user pages and the page-table entries its MMU walk
reads, met in user mode (site `user`: GDB stops a hart running the
process). *Ours* as above.
EOF
table beyond

cat <<'EOF'

## Breakpoint and access delivery

Tables 2 and 3 as run (the error raised at the site, by a breakpoint,
before the site reads anything) beside the same configs run with
`ev6-campaign --delivery access` (`make campaign-access`: the error raised
at the first read of the damaged bytes, so the call history that chooses
the exit is the real consumer's), per paper row and mode; **differs**
where the two end differently (outcome and survival; repetitions not
counted). A scenario with more than one error (all of Table 3) has each
raised by its own consumer: the first consumers are held until the last
comes, then all take their errors at once; a scenario whose errors are
not all consumed within its gather time (a hit where no other consumer
comes is put back and a later one tried) is *not-reached*
(campaign/gdbscripts/consumers.py).
EOF
if awk -F '\t' 'NR > 1 && $7 !~ /^not run/ { found = 1 } END { exit !found }' "$work/delivery.tsv"; then
	awk -F '\t' 'NR > 1 && $7 !~ /^not run|pending/ && $6 !~ /^not run|pending/ { n++; if ($8 == "differs") d++ }
		END { printf "\n%d (row, mode) pairs have results both ways; %d of them differ.\n", n, d }' "$work/delivery.tsv"
	table delivery
else
	echo
	echo '*No access campaign yet:* run `make campaign-access`.'
fi

cat <<'EOF'

## Table 4 — extra memory

The paper's M-list is our registry, its PTDUP our replicas; ours is what
the kernel reports (memstat) at each phase of `memtest`, in KB, from the
latest finished benchmark session (else the latest unfinished one).
EOF
table table4

cat <<'EOF'

## Survival per object type

Over every chosen run, by the type of the (first) damaged object:
survived / runs that injected an error, per mode; fail-stops; other
outcomes (panic, hang, corrupt-fs, not reached, harness error); runs that
agree with the paper / runs it has a result for.
EOF
table objects

cat <<'EOF'

## Outcomes per object type
EOF
figure outcomes "Outcomes per object type (stacked bars)"
table outcomes

cat <<'EOF'

## Recovery cost per object type

The `cost=` of each `ev6: event=recovered` line: the hart's `instret`
counter across the recovery. It counts guest instructions only when QEMU
runs with `-icount`; without it QEMU derives `instret` from the host's
cycle counter, so compare magnitudes only.
EOF
table cost

echo
echo "## Runtime overhead (Figure 5)"
echo
if [ "$(status overhead_tests)" -gt 0 ]; then
	case $(status overhead_measure) in
	busy) what="busy time (the time processes ran, \`busytime()\`; deterministic under \`-icount\`)" ;;
	*) what="elapsed guest time (the time CSR)" ;;
	esac
	icount=$(status overhead_icount)
	cat <<EOF
Each usertest's mean time on the recovery kernel over the RECOVERY=0
kernel, benchmark session $(status overhead_session) (QEMU \`-icount\`: ${icount:-none}),
measured in $what; worst first. The paper's mean (about 1.4x) and
maximum (about 7x) are marked in the figure.
EOF
	figure overhead "Runtime overhead per usertest"
	table overhead
else
	echo "No benchmark session yet: run \`make bench\`."
fi

echo
echo "## Driver tasks (docs/drivers.md)"
echo
if [ "$(status drivers_detect)" -gt 0 ]; then
	cat <<EOF
Each fault injected in the disk and the UART driver tasks
(\`bench/drivers.sh\`, no \`-icount\`): the in-kernel detector against
the heartbeat monitor at 1 s and 5 s, the restart's kind (the device is
re-initialised only when the I/O log shows an illegal access) and time,
and when the first request was served again. The monitoring cost (idle
guest under \`-icount\`) and the message boundary's cost per disk request
and per console write follow.
EOF
	table drivers
	figure drivers_cost "Monitoring cost against the number of driver tasks"
	table drivers_cost
	table drivers_request
	table drivers_console
else
	echo "No driver session yet: \`bench/drivers.sh\` stores one (docs/drivers.md)."
fi

echo
echo "### Driver faults made by the injector (configs/drivers.ini)"
echo
if [ "$(status driver_fault_runs)" -gt 0 ]; then
	cat <<EOF
Each fault made by GDB in the middle of a driver request (disk, UART), under the
in-kernel detector alone or the heartbeat monitor alone: what the scenario
expects (restart reason, restart kind), what the kernel's
\`drv: event=restart\` line showed, the detection latency (guest time)
and the outcome (\`restarted\`: detected and restarted as expected, the
workload finished and the survival check passed).
EOF
	table driver_faults
else
	echo "No driver-fault run yet: \`make campaign\` runs configs/drivers.ini."
fi
