// The Ev6 self-audit's report, shared by the kernel (audit.c) and user
// programs (user/audit.c).
//
//   int audit(struct audit_violation *v, int max, int *checks)
//
// checks every registered kernel object's invariants (see kernel/audit.c
// for the list), stores the first max violations in v and the number of
// invariants evaluated in *checks, and returns how many violations it
// found (possibly more than max); -1 in a kernel built without recovery
// (no ledger to check against), while another audit runs, or if v or
// checks is not writable.
#define AUDIT_CHECK_LEN  12
#define AUDIT_DETAIL_LEN 48

struct audit_violation {
  int type;                       // the object's type (enum ev6_type)
  int index;                      // table slot; page number for a page
                                  // (run, pipe); -1 for a single object
  char check[AUDIT_CHECK_LEN];    // the invariant, e.g. "refcnt"
  char detail[AUDIT_DETAIL_LEN];  // what was found, e.g. "refcnt 2, holders 1"
};
