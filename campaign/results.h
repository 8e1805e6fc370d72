// results.h - GDB's result lines: the JSON lines the injector appends to
// $EV6_RESULT, one per delivered error (campaign/README.md, "Job file"
// and "Evidence"), taken apart by SQLite's JSON functions, so that a key
// nested in another object is never mistaken for a top-level one.
#ifndef CAMPAIGN_RESULTS_H
#define CAMPAIGN_RESULTS_H

#include <stdint.h>

#define MAX_ERRORS 8          // result lines read per run (Table 3 has at most 4)

// One result line. Flags are 1 (true), 0 (false) or -1 (absent).
struct delivered {
  int injected;               // "injected": the error was delivered
  int reached;                // "reached": false when the guest never got there
  char error[200];            // "error": why the injector failed
  char link[16];              // "link": the evidence link that broke before delivery
  int resolved;               // "resolved"."ok": the target is in an object of its type
  int landed;                 // "landed": the bytes changed
  char check[120];            // "check": what reading them back showed
  int trap;                   // "trap"."confirmed": the hart took the trap GDB wrote
  int guest_stopped;          // "trap"."guest_stopped": the guest was gone first
  char trap_why[160];         // "trap"."why"
  char interrupt[32];         // "trap"."interrupt": a scrub's record came by this
                              //   interrupt (no hart trapped; "" otherwise)
  int has_stval;              // "stval": the address delivered
  uint64_t stval;
  int has_expect;             // "expect" is {"object", "index"}: what the
  char expect_object[16];     //   kernel's report must name
  long expect_index;
  char where[80];             // "where": the object damaged, for messages
  char driver[16];            // "driver": a driver fault (drvfault.py), or ""
  char fault[16];             // "fault": which one GDB armed
  char expect_why[16];        // "expect"."why": the restart reason the scenario expects
  int expect_reinit;          // "expect"."reinit": 1 device re-init, 0 software only, -1
  char delivery[16];          // "delivery": breakpoint, access or scrub
  char site_pc[24];           // "site_pc": where GDB stopped at the site ("" before)
};

struct results {
  struct delivered line[MAX_ERRORS];
  int n;                      // lines read (later ones are ignored)
  int injected;               // of them with "injected": true
  int unparsed;               // non-blank lines that are not a JSON object
};

// Parse text (the whole result file; NULL or "" for none) into *r.
// Returns 0, or -1 if SQLite itself failed (r is then empty).
int results_parse(const char *text, struct results *r);

#endif
