// console.h - reading the guest console: the whole lines the campaign
// contract (campaign/README.md) defines, and the shell prompt.
//
// A line may follow one or more shell prompts ("$ ") that another hart's
// output left on the same line; those are skipped. Everything else must
// start the line: "panic: " inside other text is not a panic. Only
// "ev6: event=" lines are events; other "ev6: " lines are information. Pure
// functions, no allocation, so the classifier and the unit tests use them
// directly.
#ifndef CAMPAIGN_CONSOLE_H
#define CAMPAIGN_CONSOLE_H

#include <stddef.h>

enum line_kind {
  LINE_OTHER,
  LINE_EV6,        // "ev6: event=..."
  LINE_PANIC,      // "panic: ..."
  LINE_USERTEST,   // "usertest name=N result=pass|fail ticks=T"
  LINE_PASSED,     // "ALL TESTS PASSED"
  LINE_FAILED,     // "SOME TESTS FAILED..."
  LINE_AUDIT,      // "audit: result=pass|fail ..." (the kernel's self-audit)
  LINE_VIOLATION,  // "audit: violation object=O index=I check=C detail=..."
  LINE_DRV,        // "drv: event=restart task=T why=W ..." (a driver task restarted)
};

// A drv: event= line's fields (kernel/drv.c, drv_restart); absent ones are
// "" (numbers: -1; detect_us is -1 also when the kernel did not know).
struct drv_line {
  char event[16];      // restart
  char task[16];       // the driver task's name
  char why[16];        // hang, heartbeat, crash, ev6
  char bound[16];      // own, device (a hang), none
  char fault[16];      // the fault that fired last, or none
  int reinit;          // 1: the device was re-initialised
  int resubmitted;     // 1: the request in flight was handed over again
  long detect_us;      // the fault to its detection
  long restart_us;     // the restart itself
};

// An ev6: line's fields; absent ones are "" (idx, cost: -1).
struct ev6_line {
  char event[16];      // recovered, failstop, deferred (scrub), or whatever came
  char object[16];
  char address[24];
  char site[40];
  char strategy[16];
  char exit[12];       // SF, PK, FS, none; repaired (site=scrub: no consumer)
  char mode[16];
  char reason[64];
  long idx;
  long cost;
};

// An audit: line's fields; absent numbers are -1, strings "".
struct audit_line {
  int pass;            // result=pass (1) or fail (0); -1 on a violation line
  long checks;         // invariants checked
  long violations;     // of them broken
  char object[16];     // violation: the object type, its index (-1: one of a
  long idx;            //   kind), the invariant and what was found
  char check[32];
  char detail[160];
};

struct usertest_line {
  char name[40];
  int pass;            // 1 pass, 0 fail
  long ticks;          // -1 if absent
};

// What kind of line this is (line has no newline).
enum line_kind console_kind(const char *line);

// Parse an ev6: line. Returns 0, or -1 if line is not one.
int parse_ev6(const char *line, struct ev6_line *e);

// Parse a drv: event= line. Returns 0, or -1 if line is not one.
int parse_drv(const char *line, struct drv_line *d);

// Parse an audit: result or violation line. Returns 0, or -1 if line is
// not one.
int parse_audit(const char *line, struct audit_line *a);

// Parse a usertest line. Returns 0, or -1 if line is not one.
int parse_usertest(const char *line, struct usertest_line *t);

// Call fn(line, offset, arg) for every complete line of text[from..to)
// that starts at or after from; line is NUL-terminated, without its
// newline or carriage return, and at most 1023 characters (longer lines
// are cut). Stops early and returns fn's value if it is non-zero.
int console_lines(const char *text, size_t from, size_t to,
                  int (*fn)(const char *line, size_t off, void *arg), void *arg);

// If text[0..len) ends with a shell prompt ("$ ", the shell waiting for a
// line) that starts at or after offset `after`, return the offset just
// past it (len); else 0.
size_t console_prompt(const char *text, size_t len, size_t after);

// Did the shell prompt ("$ " at the start of a line, at or after offset
// `after`) and then other output follow it, ending with a newline? A
// process the shell no longer waits for (the child of a killed pipeline's
// shell) wrote after the prompt: the shell reads a line, but its prompt is
// no longer at the end. Returns 1 or 0.
int console_buried_prompt(const char *text, size_t len, size_t after);

#endif
