// test_console.c - recognising contract lines in the guest console: ev6:
// lines and their fields, usertest lines, verdicts, panics (whole lines
// only, after any prompts), and the shell prompt.
#include <string.h>

#include "campaign/console.h"
#include "tests/campaign/check.h"

static void
test_kinds(void)
{
  static const struct { const char *line; enum line_kind kind; } cases[] = {
    { "ev6: event=recovered object=buf exit=SF", LINE_EV6 },
    { "$ ev6: event=failstop object=proc", LINE_EV6 },
    { "ev6: registry 33792 bytes, mode aggressive", LINE_OTHER },
    { "$ $ panic: kerneltrap (hart 1)", LINE_PANIC },
    { "panic: x", LINE_PANIC },
    { "this is not a panic: really", LINE_OTHER },
    { "xpanic: no", LINE_OTHER },
    { "usertrap(): unexpected scause 0xd pid=5", LINE_OTHER },
    { "balloc: out of blocks", LINE_OTHER },
    { "usertest name=pipe1 result=pass ticks=3", LINE_USERTEST },
    { "ALL TESTS PASSED", LINE_PASSED },
    { "ALL TESTS PASSED?", LINE_OTHER },
    { "SOME TESTS FAILED: sbrkmuch", LINE_FAILED },
    { "", LINE_OTHER },
  };

  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    check(console_kind(cases[i].line) == cases[i].kind, "kind of '%s': %d, want %d",
          cases[i].line, console_kind(cases[i].line), cases[i].kind);
}

static void
test_ev6(void)
{
  struct ev6_line e;

  check(parse_ev6("ev6: event=recovered object=buf index=7 addr=0x80012340 site=bget "
                  "strategy=initialize exit=SF mode=conservative cost=1234", &e) == 0,
        "parse a recovered line");
  same_str(e.event, "recovered", "event");
  same_str(e.object, "buf", "object");
  same_str(e.address, "0x80012340", "addr");
  same_str(e.site, "bget", "site");
  same_str(e.strategy, "initialize", "strategy");
  same_str(e.exit, "SF", "exit");
  same_str(e.mode, "conservative", "mode");
  check(e.idx == 7 && e.cost == 1234, "index 7 cost 1234: %ld %ld", e.idx, e.cost);

  check(parse_ev6("ev6: event=failstop object=proc addr=0x1 site=fork "
                  "reason=unrecoverable mode=aggressive", &e) == 0, "parse failstop");
  same_str(e.reason, "unrecoverable", "reason");
  same_str(e.exit, "", "no exit field");
  check(e.idx == -1 && e.cost == -1, "absent numbers are -1");
  // a key that ends another key must not match it
  check(parse_ev6("ev6: event=recovered preexit=XX exit=PK", &e) == 0 &&
        strcmp(e.exit, "PK") == 0, "exit= not confused with preexit=");
  check(parse_ev6("panic: ev6: event=x", &e) < 0, "not an ev6 line");
  check(parse_ev6("caev6: event=recovered object=log index=-1 exit=PK mode=aggressive", &e) == 0 &&
        strcmp(e.object, "log") == 0 && strcmp(e.exit, "PK") == 0,
        "an ev6 report after a process's partial line");
  check(parse_ev6("ev6: event=recovered objeev6: event=failstop object=proc index=3 "
                  "addr=0x00000000800266e8 site=? reason=error-during-recovery mode=conservative",
                  &e) == 0 && strcmp(e.event, "failstop") == 0 && e.idx == 3 &&
        strcmp(e.reason, "error-during-recovery") == 0,
        "a fail-stop report that cut another hart's report short is the fail-stop's");
}

static void
test_usertest(void)
{
  struct usertest_line t;

  check(parse_usertest("usertest name=sbrkmuch result=fail ticks=12", &t) == 0 &&
        strcmp(t.name, "sbrkmuch") == 0 && t.pass == 0 && t.ticks == 12,
        "parse a failed test");
  check(parse_usertest("usertest name=x result=pass", &t) == 0 && t.pass && t.ticks == -1,
        "ticks are optional");
  check(parse_usertest("usertest name=x result=maybe ticks=1", &t) < 0, "bad result");
  check(parse_usertest("usertests name=x result=pass", &t) < 0, "not a usertest line");
}

static int
count_line(const char *line, size_t off, void *arg)
{
  int *n = arg;

  (void)off;
  if(strcmp(line, "two") == 0 || strcmp(line, "one") == 0)
    (*n)++;
  return 0;
}

// Counts the lines that are an ev6: report naming buf at bget.
static int
last_report(const char *line, size_t off, void *arg)
{
  struct ev6_line e;

  (void)off;
  if(console_kind(line) == LINE_EV6 && parse_ev6(line, &e) == 0 &&
     strcmp(e.object, "buf") == 0 && strcmp(e.site, "bget") == 0)
    (*(int*)arg)++;
  return 0;
}

static void
test_lines_and_prompt(void)
{
  const char *text = "one\r\ntwo\nthree";
  int n = 0;

  console_lines(text, 0, strlen(text), count_line, &n);
  check(n == 2, "two complete lines (CR stripped), got %d", n);
  n = 0;
  console_lines(text, 2, strlen(text), count_line, &n);
  check(n == 1, "a line begun before 'from' is skipped, got %d", n);

  // A report printed into a user's line far longer than the buffer.
  {
    static char t[6000];
    int seen = 0;

    memset(t, 'x', 5000);
    strcpy(t + 5000, "ev6: event=recovered object=buf index=20 addr=0x800274e0 site=bget "
                     "strategy=initialize exit=SF mode=aggressive cost=1\n");
    console_lines(t, 0, strlen(t), last_report, &seen);
    check(seen == 1, "a report at the end of a 5 KB line is read (%d)", seen);
  }

  check(console_prompt("init\n$ ", 7, 0) == 7, "prompt at the end");
  check(console_prompt("init\n$ ", 7, 6) == 0, "prompt already consumed");
  check(console_prompt("init\n$ ls\n", 10, 0) == 0, "no prompt: typed");
  check(console_prompt("hello$ ", 7, 0) == 7, "prompt after output without newline");
  check(console_prompt("$", 1, 0) == 0, "half a prompt");
  // beyond.ini with the pipeline's shell killed in wait(): the outer shell
  // prompted, then the orphaned wc printed its counts after the prompt.
  {
    const char *t = "$ cat README.md | wc\nev6: event=recovered\n$ 426 4831 31359\n";
    size_t n = strlen(t), after = strlen("$ cat README.md | wc\n");
    check(console_prompt(t, n, after) == 0, "buried prompt: not at the end");
    check(console_buried_prompt(t, n, after) == 1, "buried prompt found");
    check(console_buried_prompt(t, n - 1, after) == 0, "buried prompt: output still coming");
    check(console_buried_prompt(t, n, n - 5) == 0, "buried prompt before `after'");
    check(console_buried_prompt("x\nwc$ 1\n", 9, 0) == 0, "a prompt not at a line start");
  }
}

void
test_console(void)
{
  test_kinds();
  test_ev6();
  test_usertest();
  test_lines_and_prompt();
}
