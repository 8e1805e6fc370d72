// bench.h - ev6-bench, the runtime and memory overhead of Ev6 recovery
// (the paper's Figure 5 and Table 4): the pieces main.c puts together.
//
//   guest.c   boot one kernel on its own copy of fs.img under QEMU, type a
//             command at its shell and poweroff, record the console with
//             the host time each piece of it arrived, check the disk
//   parse.c   the console of a boot -> usertest lines (with host time
//             between them), verdict, memstat lines; pure, no allocation
//             but the result arrays
//   store.c   sessions, runs, tests and memory phases into the database
//             (campaign/db.c), each boot in one transaction
//   report.c  the result table of a session, from the database
//
// Strings and arrays in the structs below belong to the struct and are
// freed by its *_free function.
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "campaign/util.h"

// The two kernels compared. Names as in bench_runs.kernel.
enum kernel { KERNEL_RECOVERY, KERNEL_VANILLA, NKERNELS };
extern const char *const kernel_names[NKERNELS];

// ------------------------------------------------------------ parse.c

// A console as it arrived: after each read, the console's length and the
// host time (now_ms()) at that moment.
struct stamp {
  size_t len;
  int64_t ms;
};

struct console_rec {
  struct strbuf text;
  struct stamp *stamps;
  size_t nstamps, cap;
};

// Append data that arrived at time ms.
void console_rec_add(struct console_rec *c, const char *data, size_t n, int64_t ms);
void console_rec_free(struct console_rec *c);

// One `usertest name=N result=R ticks=T time=C busy=B` line.
struct bench_test {
  char name[40];
  int pass;
  long ticks;
  int64_t time;          // -1: absent
  int64_t busy;          // -1: absent (a usertests older than busytime())
  int64_t wall_ms;       // host ms since the previous test line (the first:
                         // since "usertests starting"); -1: unknown
};

// What a usertests boot printed.
struct usertests_out {
  struct bench_test *tests;
  int ntests, cap;
  int all_passed;        // "ALL TESTS PASSED"
  int some_failed;       // "SOME TESTS FAILED"
  int started;           // "usertests starting"
  char bad[160];         // a malformed usertest line, or ""
};

// Parse the usertests lines of text[0..len) into *out (zeroed first).
// stamps (may be NULL) give each line's arrival time. Returns 0, or -1 if
// a `usertest name=` line was malformed (copied into out->bad).
int parse_usertests(const char *text, size_t len, const struct stamp *stamps,
                    size_t nstamps, struct usertests_out *out);
void usertests_out_free(struct usertests_out *out);

// Did the boot pass? ALL TESTS PASSED, no SOME TESTS FAILED, at least one
// test and every test line pass.
int usertests_passed(const struct usertests_out *out);

// The memstat phases of user/memtest, in order.
#define NPHASES_MEM 7
extern const char *const mem_phases[NPHASES_MEM];

struct mem_line {
  int seen;
  int64_t registry, replicas, free_pages;
};

// What a memtest boot printed, by phase (index into mem_phases).
struct memtest_out {
  struct mem_line phase[NPHASES_MEM];
  int done;              // "memtest: done"
  char bad[160];         // a malformed memstat line, or a memtest error
};

// Parse the memstat lines of text[0..len). Returns 0 if every phase was
// seen and memtest said done, else -1 with the reason in out->bad.
int parse_memtest(const char *text, size_t len, struct memtest_out *out);

// ------------------------------------------------------------ guest.c

// One boot, driven step by step so that several run at once.
struct guest {
  // set by the caller before guest_start
  const char *kernel;       // kernel ELF
  const char *fs_image;     // copied to a scratch file for this boot
  const char *fsck;         // mkfs/fsck
  const char *tmpdir;       // where the copy goes
  const char *command;      // typed at the first prompt
  const char *icount;       // QEMU's -icount argument, "" for none
  int cpus;
  long timeout_s;           // for the whole boot
  // state
  char disk[PATH_MAX];
  pid_t qemu;
  int to_qemu, from_qemu;
  int qemu_done, qemu_ws;
  int state;                // guest.c's enum
  size_t prompt_after;
  int64_t t0, t_end;
  struct console_rec con;
  int progress;             // usertest lines seen so far
  size_t counted;           // console bytes counted for progress
  char error[400];          // why the boot failed, or ""
};

// Copy the disk and start QEMU. Returns 0, or -1 with g->error set (the
// boot is then over: guest_finish still must be called).
int guest_start(struct guest *g);

// QEMU's console descriptor to poll, or -1.
int guest_fd(const struct guest *g);

// Read what QEMU wrote, answer prompts, notice its exit and the timeout.
// Returns 1 when the boot is over.
int guest_step(struct guest *g);

// Kill QEMU if it still runs, check the disk after a clean poweroff,
// remove the scratch copy. Sets g->error if anything failed.
void guest_finish(struct guest *g);
void guest_free(struct guest *g);

// ------------------------------------------------------------ store.c

struct session_info {
  const char *command_line;
  const char *git_commit;
  const char *qemu_version;
  int cpus;
  const char *icount;
  int repetitions;
};

// Insert a session (finished NULL). Returns its id.
int64_t bench_session_new(sqlite3 *db, const struct session_info *s);
// Set its finished time.
void bench_session_finished(sqlite3 *db, int64_t session);

// Store one usertests boot and its test lines in one transaction. verdict:
// "pass", "fail", or NULL (did not finish). wall_ms < 0: NULL. Returns the
// run id.
int64_t bench_store_run(sqlite3 *db, int64_t session, enum kernel k, const char *kernel_sha,
                  int rep, const char *verdict, int64_t wall_ms,
                  const struct usertests_out *out);

// Store the memstat phases that were seen, in one transaction.
void bench_store_memory(sqlite3 *db, int64_t session, const struct memtest_out *m);

// ------------------------------------------------------------ report.c

// Goals of this project for the runtime overhead, and the paper's figures.
#define GOAL_MEAN  1.03
#define GOAL_MAX   1.15
#define PAPER_MEAN 1.4
#define PAPER_MAX  7.0
// ... and for the registry + replicas (KB): after boot, and with all of
// memory allocated from a shuffled free list (the paper: 624, 960).
#define GOAL_BOOT_KB     64
#define GOAL_SHUFFLED_KB 128

// Print the result table of session to out: per test, totals, means,
// spread, memory (vanilla: the memtest of the vanilla kernel, or NULL),
// goals.
void report_session(sqlite3 *db, int64_t session, const struct memtest_out *vanilla,
                    FILE *out);

#endif
