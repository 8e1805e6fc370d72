// A minimal harness for host-side unit tests: two macros.
//
//   test_cond(descr, cond)  count one check; a failed one is reported as
//                           "FAIL: descr (file:line)"
//   test_report()           print "unit: N passed, N failed" (the line
//                           tests/run-all.sh adds up) and evaluate to
//                           non-zero if any check failed, for main to return
//
// The counters are static, so include this in one source file per program.
#include <stdio.h>

static int test_passed, test_failed;

#define test_cond(descr, cond) do { \
    if(cond) \
      test_passed++; \
    else { \
      test_failed++; \
      printf("FAIL: %s (%s:%d)\n", (descr), __FILE__, __LINE__); \
    } \
  } while(0)

#define test_report() \
  (printf("unit: %d passed, %d failed\n", test_passed, test_failed), \
   test_failed != 0)
