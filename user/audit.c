// audit - run the kernel's self-audit and print what it found.
//
// usage: audit [-n count] [-w] [-r ms]
//
// Asks the kernel (the audit system call, kernel/audit.c) to check every
// registered object's invariants, and prints one line per violation and
// then the result:
//   audit: violation object=buf index=3 check=refcnt detail="refcnt 2, holders 1 + log pins 0"
//   audit: result=pass checks=1234
//   audit: result=fail violations=1 checks=1234
// (object names as in kernel/ev6_types.h; index -1 for a single object,
// the page number for a page).
//   -n count  audit count times, one result line each
//   -w        before each audit, wait for a line on standard input (end of
//             file stops), so that a debugger can change the kernel in
//             between without this program's start touching it
//   -r ms     (FAULTS=1 kernels, tests/audit.sh) once the first audit
//             runs, a child's hart stops inside release() of ftable.lock
//             for ms milliseconds (ev6_inject's EV6_INJECT_RELEASING),
//             as a hart a loaded host keeps off its CPU there (from
//             before that audit checks any lock): no audit may call that
//             lock damaged. After the audits, prints
//             `audit: releasing ms=N audit-running-at-release=yes|no`
//             (yes: the audit waited for the stopped hart)
// Exit status: 0 if every audit passed, 1 if one found a violation, 2 if
// the kernel cannot audit (built without recovery, or another audit is
// running) or the usage is wrong.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/audit.h"
#include "kernel/ev6_types.h"
#include "user/user.h"

#define NAME_OF(upper, lower) #lower,
static char *type_names[] = { EV6_TYPES(NAME_OF) };

static struct audit_violation found[AUDIT_REPORT_MAX];

static void
usage(void)
{
  fprintf(2, "usage: audit [-n count] [-w] [-r ms]\n");
  exit(2);
}

// One audit; returns the number of violations.
static int
run(void)
{
  int i, n, checks = 0;

  n = audit(found, AUDIT_REPORT_MAX, &checks);
  if(n < 0){
    if(ev6_mode(-1) < 0)
      fprintf(2, "audit: error: this kernel was built without recovery (RECOVERY=0): "
              "it has no ledger to audit against\n");
    else
      fprintf(2, "audit: error: another audit is running\n");
    exit(2);
  }
  for(i = 0; i < n && i < AUDIT_REPORT_MAX; i++){
    struct audit_violation *v = &found[i];
    char *name = v->type >= 0 && v->type < EV6_NTYPES ? type_names[v->type] : "unknown";
    printf("audit: violation object=%s index=%d check=%s detail=\"%s\"\n",
           name, v->index, v->check, v->detail);
  }
  if(n > AUDIT_REPORT_MAX)
    printf("audit: %d more violations not shown\n", n - AUDIT_REPORT_MAX);
  if(n == 0)
    printf("audit: result=pass checks=%d\n", checks);
  else
    printf("audit: result=fail violations=%d checks=%d\n", n, checks);
  return n;
}

// -r ms: a child waits in the kernel for the first audit, then stops
// inside a release for ms milliseconds; returns its pid.
static int
start_releasing(int ms)
{
  int pid = fork();

  if(pid < 0){
    fprintf(2, "audit: error: cannot fork the -r child\n");
    exit(2);
  }
  if(pid == 0)
    exit(ev6_inject(EV6_T_FILE, 0, ms, EV6_INJECT_RELEASING));
  return pid;
}

static void
end_releasing(int pid, int ms)
{
  int status;

  if(wait(&status) != pid || status < 0){
    fprintf(2, "audit: error: -r: no audit met the stopped release "
            "(a FAULTS=1 kernel is needed)\n");
    exit(2);
  }
  printf("audit: releasing ms=%d audit-running-at-release=%s\n", ms, status ? "yes" : "no");
}

int
main(int argc, char **argv)
{
  int i, count = 1, wait = 0, failed = 0, ms = 0, child = 0;
  char line[64];

  for(i = 1; i < argc; i++){
    if(strcmp(argv[i], "-w") == 0)
      wait = 1;
    else if(strcmp(argv[i], "-n") == 0 && i + 1 < argc && (count = atoi(argv[++i])) > 0)
      ;
    else if(strcmp(argv[i], "-r") == 0 && i + 1 < argc && (ms = atoi(argv[++i])) > 0)
      ;
    else
      usage();
  }
  for(i = 0; i < count; i++){
    if(wait && (gets(line, sizeof(line)), line[0] == 0))
      break;
    if(i == 0 && ms > 0)
      child = start_releasing(ms);
    if(run() > 0)
      failed = 1;
  }
  if(child)
    end_releasing(child, ms);
  exit(failed);
}
