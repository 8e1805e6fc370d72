// check.h - the counters and checks of the orchestrator's unit tests
// (build/campaign/test-campaign). Every test file uses
//
//   check(cond, "what was expected, with %s", args)   count one check; a
//                                 failed one prints FAIL: message (file:line)
//   same_str(got, want, what)     check(strcmp(got, want) == 0), showing both
//
// test_main.c defines the counters and prints the final line
// `campaign: N passed, N failed` that tests/run-all.sh adds up.
#ifndef TESTS_CAMPAIGN_CHECK_H
#define TESTS_CAMPAIGN_CHECK_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern int checks_passed, checks_failed;

#define check(cond, ...) do { \
    if(cond) \
      checks_passed++; \
    else { \
      checks_failed++; \
      printf("FAIL: "); \
      printf(__VA_ARGS__); \
      printf(" (%s:%d)\n", __FILE__, __LINE__); \
    } \
  } while(0)

#define same_str(got, want, what) do { \
    const char *got_ = (got), *want_ = (want); \
    check(got_ && want_ ? strcmp(got_, want_) == 0 : got_ == want_, \
          "%s: got '%s', want '%s'", (what), got_ ? got_ : "(null)", \
          want_ ? want_ : "(null)"); \
  } while(0)

// The suites, one per file.
void test_config(void);
void test_paper(void);
void test_console(void);
void test_classify(void);
void test_jobs(void);
void test_misc(void);
void test_shard(void);

// A scratch directory for this run (test_main.c), and a path in it that
// the caller frees.
const char *scratch(void);
char *scratch_path(const char *name);
// Write text to a new scratch file NAME; returns its path, freed by the caller.
char *scratch_file(const char *name, const char *text);
// Messages a loader printed, with "F" standing for path at line starts.
char *messages_as_F(const char *msgs, const char *path);

// A campaign row with fixed digests (kernel 'ks', image 'fs', scripts
// 'gs', configs 'cs', seed 1) and the given ident; returns its id.
int64_t make_campaign(sqlite3 *db, const char *ident);
// Load text as a config (scratch file jobs.ini) into *cfg.
struct config;
void load_config(struct config *cfg, const char *text);
// A run result as the runner would leave it, with console text and GDB's
// result lines (or NULL).
struct runresult;
void fake_result(struct runresult *rr, const char *console, const char *results);

#endif
