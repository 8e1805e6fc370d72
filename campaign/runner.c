// runner.c - one run (see runner.h and campaign/README.md).
//
// The run is a state machine driven by what comes out of QEMU's console
// pipe, polled every POLL_MS, and by GDB's and QEMU's exits:
//
//   BOOT      -> first shell prompt, and GDB's ready file: type the workload
//                (the guest boots while GDB starts and attaches)  (boot timeout)
//   REACH     -> GDB exits having injected                    (reach timeout)
//                the workload's prompt instead: not reached
//   RECOVERY  -> an ev6: or drv: event= line (FAILSTOP: wait for QEMU to stop), or the
//                workload's prompt without one and REPORT_GRACE_MS more
//                                                             (recovery timeout)
//   WORKLOAD  -> the workload's prompt: type the survival check
//   CHECK     -> its prompt: type poweroff
//                (In both, a prompt that other output followed, from a
//                process the shell no longer waits for, is buried: after
//                IDLE_PROMPT_MS of silence we type an empty line, once, and
//                the shell prompts again at the end.)
//   POWEROFF  -> QEMU exits                                   (survival timeout,
//                                                              all three)
//                or the guest sits silent at a new prompt for IDLE_PROMPT_MS:
//                poweroff could not run (an exec failure) or returned, and
//                the guest will never stop by itself; we stop it (SIGTERM)
//                and check its disk, instead of waiting for the survival
//                timeout. (Silent: a
//                workload that runs a shell of its own, `echo x | sh', makes
//                us type ahead of the outer shell, which then prompts and
//                goes on reading what we typed; typed-ahead input is kept.)
// After the injection, a console silent for SILENCE_DIVISOR-th of the
// survival timeout ends the run as a hang of its phase (the guest stopped
// making progress): usertests -q prints a line per test, and no healthy
// test is silent for more than a second on an idle machine, so 30 s (the
// default) is a wide margin on a loaded one; a hung guest then holds its
// worker for 30 s, not 300.
// A hang (a phase's timeout or the silence bound, once the workload was
// typed) is looked at before QEMU is killed: GDB attaches once more and
// records every hart, process and lock (hang_snapshot), for the run's
// console_logs stream 'hang'.
// A panic line anywhere moves to DYING (QEMU should exit with status 3 at
// once); QEMU's exit ends the run in any state. GDB is given a short grace
// to exit when the guest ends or the workload's prompt comes back while it
// may still be finishing an injection.
//
// A result line of GDB's that already breaks a link of the evidence chain
// (the trap it delivered was not seen, gdb_line_broken) ends the run at
// once: it is a harness-error whatever the guest does next, and a guest
// that never took the error would otherwise hold its worker until the
// silence bound.
// Temporary files live in a rundir (rundir.c), removed at the end; QEMU
// and GDB are killed by pid if still running.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/console.h"
#include "campaign/jobfile.h"
#include "campaign/results.h"
#include "campaign/rundir.h"
#include "campaign/runner.h"
#include "campaign/spawn.h"

#define POLL_MS        50
#define SOCKET_WAIT_MS 10000   // QEMU creating its gdbstub socket
#define GDB_GRACE_MS   5000    // GDB noticing that the guest has stopped
#define PROMPT_GRACE_MS 1000   // GDB's result arriving after the workload ends
#define REPORT_GRACE_MS 12000  // the kernel's report after the workload ends: a
                               // surgery waits up to EV6_LOCK_STUCK (10 s) for a lock
#define DYING_MS       5000    // QEMU stopping after a panic line
#define QEMU_TERM_MS   3000    // QEMU closing its disk after SIGTERM
#define IDLE_PROMPT_MS 5000    // silence at a prompt after poweroff (it failed), or
                               // after output that buried the prompt
#define SILENCE_DIVISOR 10     // silence bound = survival timeout / this
#define FORENSICS_MS   15000   // GDB attaching to a hung guest and reading its state
#define CPU_SAMPLE_MS  500     // QEMU's CPU use measured over this, before
#define QMP_MS         2000    // QEMU answering query-status
#define DEBUG_CHECK_MS 2000    // console silence after which QEMU's state is asked

enum state {
  ST_BOOT, ST_REACH, ST_REACH_GRACE, ST_RECOVERY, ST_FAILSTOP,
  ST_WORKLOAD, ST_CHECK, ST_POWEROFF, ST_DYING, ST_END
};

// One run in progress.
struct run {
  const struct runenv *env;
  const struct job *j;
  struct runresult *rr;
  struct rundir d;                // the temporary files
  pid_t qemu, gdb;
  int to_qemu, from_qemu;         // our ends of QEMU's stdin and stdout
  int qemu_done, gdb_done;
  int qemu_ws, gdb_ws;            // wait statuses
  enum state st;
  int64_t t0, t_phase, t_workload, t_inject, t_survival, t_qemu_exit, t_gdb_exit;
  int64_t t_ev6, t_panic, grace_until;
  int64_t report_until;           // the workload ended unreported: type after this
  int64_t t_output;               // when QEMU last wrote to the console
  int64_t t_checked;              // when debug_stop_check last asked QEMU
  int debug_resumes;              // times it let a guest stopped on a debug event go on
  double debug_first_s;           //   the silence before the first
  size_t debug_first_at;          //   and the console's length then
  size_t prompt_after;            // a prompt counts only if it starts here or later
  size_t scan_pos;                // console lines before this are scanned
  int injected, results_read, workload_done, saw_ev6, saw_failstop, saw_panic;
  int stop_gently;                // end QEMU with SIGTERM, not SIGKILL
  int reprompted;                 // typed an empty line for a buried prompt
  int booted;                     // the first shell prompt came (boot_ms set)
  int gdb_broke;                  // GDB's line broke a link: a harness-error, whatever
                                  // the guest does next (gdb_line_broken)
};

// Record the first harness failure (later ones are consequences).
static void __attribute__((format(printf, 2, 3)))
harness(struct run *r, const char *fmt, ...)
{
  va_list ap;

  if(r->rr->ev.harness_error)
    return;
  va_start(ap, fmt);
  vsnprintf(r->rr->harness, sizeof(r->rr->harness), fmt, ap);
  va_end(ap);
  r->rr->ev.harness_error = r->rr->harness;
}

// The last line GDB has written so far, in a static buffer.
static const char *
gdb_said(struct run *r)
{
  struct strbuf sb = {0};
  size_t len;
  char *text = read_file(r->d.gdbf, &len);
  static char line[160];

  if(text)
    sb_add(&sb, text, len);
  snprintf(line, sizeof(line), "%s", sb.len ? last_line(&sb) : "(no output)");
  free(text);
  sb_free(&sb);
  return line;
}

// Does GDB take its time between errors, writing nothing until the last
// (more than one error, each raised by its consumer: consumers.py waits
// up to 10 s for each)? Then the workload's prompt (the consumer held may
// be the shell itself) or the first error's ev6: line may come long before
// GDB's result, and GDB is waited for until the reach phase would end, not
// PROMPT_GRACE_MS or GDB_GRACE_MS: its own deadline bounds it.
static int
holds_consumers(const struct scenario *s)
{
  return s->delivery && strcmp(s->delivery, "access") == 0 && multi_error(s);
}

// When the reach phase would time out.
static int64_t
reach_end(const struct run *r)
{
  return r->t_phase + r->env->timeout[PHASE_REACH] * 1000;
}

// The phase (and so the timeout) a state belongs to.
static enum phase
phase_of(enum state st)
{
  switch(st){
  case ST_BOOT: return PHASE_BOOT;
  case ST_REACH: return PHASE_REACH;
  case ST_RECOVERY: case ST_FAILSTOP: return PHASE_RECOVERY;
  case ST_WORKLOAD: case ST_CHECK: case ST_POWEROFF: return PHASE_SURVIVAL;
  default: return PHASE_NONE;
  }
}

// Move to st, starting the phase clock if the phase changes.
static void
enter(struct run *r, enum state st)
{
  if(phase_of(st) != phase_of(r->st) && phase_of(st) != PHASE_NONE)
    r->t_phase = now_ms();
  if(phase_of(st) == PHASE_SURVIVAL && r->t_survival == 0)
    r->t_survival = now_ms();
  r->st = st;
}

// Create the run's directory, disk, job file and result file.
static int
setup(struct run *r)
{
  char *json;
  int rc;

  if(rundir_make(&r->d, r->env->fs_image, r->rr->harness, sizeof(r->rr->harness)) < 0){
    r->rr->ev.harness_error = r->rr->harness;
    return -1;
  }
  json = job_json(r->j, r->env->kernel, r->d.sock, r->d.readyf, r->env->timeout[PHASE_REACH]);
  rc = rundir_write(r->d.jobf, json, r->rr->harness, sizeof(r->rr->harness));
  free(json);
  if(rc < 0)
    r->rr->ev.harness_error = r->rr->harness;
  return rc;
}

// Returns 0, or -1 with the harness error set.
static int
start_qemu(struct run *r)
{
  int in[2], out[2];
  char smp[16], *drive, *chardev, *qmp, *why = NULL;

  if(pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0){
    harness(r, "pipe: %s", strerror(errno));
    return -1;
  }
  snprintf(smp, sizeof(smp), "%ld", r->j->sc.cpus);
  drive = xasprintf("file=%s,if=none,format=raw,id=x0", r->d.disk);
  chardev = xasprintf("socket,path=%s,server=on,wait=off,id=g", r->d.sock);
  qmp = xasprintf("unix:%s,server=on,wait=off", r->d.qmp);
  const char *argv[] = {
    "qemu-system-riscv64", "-machine", "virt", "-bios", "none",
    "-kernel", r->env->kernel, "-m", "128M", "-smp", smp,
    "-nographic", "-monitor", "none",
    "-global", "virtio-mmio.force-legacy=false",
    "-drive", drive, "-device", "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0",
    "-chardev", chardev, "-gdb", "chardev:g",
    "-qmp", qmp,                // its run state, asked when the guest hangs
    // the scenario's guest clock (its icount key), or the host's
    r->j->sc.icount ? "-icount" : NULL, r->j->sc.icount, NULL
  };
  r->qemu = spawn(argv, NULL, in[0], out[1], out[1], &why);
  close(in[0]);
  close(out[1]);
  free(drive);
  free(chardev);
  free(qmp);
  r->to_qemu = in[1];
  r->from_qemu = out[0];
  fcntl(r->to_qemu, F_SETFL, O_NONBLOCK);
  fcntl(r->from_qemu, F_SETFL, O_NONBLOCK);
  if(r->qemu < 0){
    harness(r, "%s", why);
    free(why);
    return -1;
  }
  return 0;
}

// Read what QEMU has written, waiting up to wait_ms for something; reap
// QEMU and GDB if they ended.
static void
pump(struct run *r, int wait_ms)
{
  char buf[8192];
  ssize_t n;
  struct pollfd p = { .fd = r->from_qemu, .events = POLLIN };

  if(r->from_qemu >= 0 && poll(&p, 1, wait_ms) > 0){
    while((n = read(r->from_qemu, buf, sizeof(buf))) > 0){
      sb_add(&r->rr->console, buf, (size_t)n);
      r->t_output = now_ms();
      if(r->env->echo){
        fwrite(buf, 1, (size_t)n, stdout);
        fflush(stdout);
      }
    }
    if(n == 0){                 // end of file: QEMU closed its output
      close(r->from_qemu);
      r->from_qemu = -1;
    }
  } else if(r->from_qemu < 0 && wait_ms > 0)
    poll(NULL, 0, wait_ms);
  if(!r->qemu_done && child_done(r->qemu, &r->qemu_ws)){
    r->qemu_done = 1;
    r->t_qemu_exit = now_ms();
  }
  if(r->gdb > 0 && !r->gdb_done && child_done(r->gdb, &r->gdb_ws)){
    r->gdb_done = 1;
    r->t_gdb_exit = now_ms();
  }
}

// console_lines() callback: note ev6: and panic lines and when they came.
static int
scan_line(const char *line, size_t off, void *arg)
{
  struct run *r = arg;
  struct ev6_line e;

  (void)off;
  switch(console_kind(line)){
  case LINE_EV6:
    if(!r->saw_ev6)
      r->t_ev6 = now_ms();
    r->saw_ev6 = 1;
    if(parse_ev6(line, &e) == 0 &&
       (strcmp(e.event, "failstop") == 0 || strcmp(e.exit, "FS") == 0))
      r->saw_failstop = 1;
    break;
  case LINE_DRV:             // a driver task restarted: a driver run's recovery
    if(!r->saw_ev6)
      r->t_ev6 = now_ms();
    r->saw_ev6 = 1;
    break;
  case LINE_PANIC:
    if(!r->saw_panic)
      r->t_panic = now_ms();
    r->saw_panic = 1;
    break;
  default:
    break;
  }
  return 0;
}

// Look at the console lines completed since the last call.
static void
scan(struct run *r)
{
  const char *s = sb_str(&r->rr->console);
  size_t len = r->rr->console.len, end = len;

  while(end > r->scan_pos && s[end - 1] != '\n')
    end--;
  if(end > r->scan_pos){
    console_lines(s, r->scan_pos, end, scan_line, r);
    r->scan_pos = end;
  }
}

// Read GDB's result lines; set injected if one says so. Cheap when the
// file has not grown.
static void
read_results(struct run *r)
{
  struct stat st;
  struct results res;
  size_t len;
  char *text;

  if(stat(r->d.resf, &st) < 0 || (size_t)st.st_size == r->rr->results.len)
    return;
  text = read_file(r->d.resf, &len);
  if(text == NULL)
    return;
  sb_free(&r->rr->results);
  sb_add(&r->rr->results, text, len);
  if(results_parse(text, &res) == 0 && res.injected > 0)
    r->injected = 1;
  for(int k = 0; k < res.n; k++)
    if(gdb_line_broken(&res.line[k]))
      r->gdb_broke = 1;
  free(text);
}

// Start GDB with the campaign's script on the run's job, its output to
// log, with EV6_JOB and one more "NAME=value" (extra): the one way a run
// starts GDB. Returns its pid, or -1 with the reason in *why.
static pid_t
launch_gdb(struct run *r, const char *log, const char *extra, char **why)
{
  char *envs[3];
  const char *argv[] = { "gdb-multiarch", "-q", "-nx", "-batch", "-x",
                         r->env->gdb_script, NULL };
  pid_t pid;
  int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  if(logfd < 0){
    *why = xasprintf("cannot create %s: %s", log, strerror(errno));
    return -1;
  }
  envs[0] = xasprintf("EV6_JOB=%s", r->d.jobf);
  envs[1] = (char *)extra;
  envs[2] = NULL;
  pid = spawn(argv, (const char *const *)envs, -1, logfd, logfd, why);
  close(logfd);
  free(envs[0]);
  return pid;
}

// Returns 0, or -1 with the harness error set.
static int
start_gdb(struct run *r)
{
  int64_t deadline = now_ms() + SOCKET_WAIT_MS;
  struct stat sbuf;
  char *result, *why = NULL;

  // QEMU creates the socket at startup; GDB must not race it.
  while(stat(r->d.sock, &sbuf) < 0){
    pump(r, 10);
    if(r->qemu_done){
      harness(r, "QEMU ended (%s) at startup: %s", status_text(r->qemu_ws),
              last_line(&r->rr->console));
      return -1;
    }
    if(now_ms() > deadline){
      harness(r, "QEMU did not create its gdbstub socket within %d s", SOCKET_WAIT_MS / 1000);
      return -1;
    }
  }
  result = xasprintf("EV6_RESULT=%s", r->d.resf);
  r->gdb = launch_gdb(r, r->d.gdbf, result, &why);
  free(result);
  if(r->gdb < 0){
    harness(r, "%s", why);
    free(why);
    return -1;
  }
  return 0;
}

// QEMU's run state by QMP's query-status, its answer's status field
// ("running", "paused", "debug": a breakpoint, watchpoint or single step
// stopped it, ...) in st[n]; "(...)" saying why if there was no answer.
// With resume, a guest stopped on a debug event is let go on first
// (QMP cont); st is the state it was in.
static void
qemu_status(const char *sock, int resume, char *st, size_t n)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  const char *ask = "{\"execute\": \"qmp_capabilities\"}\n"
                    "{\"execute\": \"query-status\"}\n";
  const char *cont = "{\"execute\": \"cont\"}\n";
  char buf[2048], *f;
  size_t got = 0;
  int64_t until = now_ms() + QMP_MS;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  buf[0] = '\0';
  snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
  if(fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
     write(fd, ask, strlen(ask)) != (ssize_t)strlen(ask)){
    snprintf(st, n, "(no QMP answer: %s)", strerror(errno));
    if(fd >= 0)
      close(fd);
    return;
  }
  // The greeting, the capabilities' {"return": {}}, then the status.
  while(got < sizeof(buf) - 1 && now_ms() < until && strstr(buf, "\"status\": \"") == NULL){
    struct pollfd p = { .fd = fd, .events = POLLIN };
    ssize_t k;
    if(poll(&p, 1, 50) > 0 && (k = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
      got += (size_t)k;
    buf[got] = '\0';
  }
  if((f = strstr(buf, "\"status\": \"")) == NULL){
    snprintf(st, n, "(no status in QMP's answer within %d s)", QMP_MS / 1000);
    close(fd);
    return;
  }
  f += strlen("\"status\": \"");
  snprintf(st, n, "%.*s", (int)strcspn(f, "\""), f);
  if(resume && strcmp(st, "debug") == 0 && write(fd, cont, strlen(cont)) == (ssize_t)strlen(cont)){
    struct pollfd p = { .fd = fd, .events = POLLIN };
    poll(&p, 1, QMP_MS);      // its {"return": {}}; QEMU runs the guest on at once
  }
  close(fd);
}

// Once the injector's GDB is gone, no debugger is attached: a console
// silent for DEBUG_CHECK_MS makes the runner ask QEMU's state, and a
// guest QEMU holds stopped on a debug event is let go on (QMP cont),
// noted in rr->hang at the end (finish). A breakpoint left in QEMU stops
// the guest again at once: the console stays silent, and the silence
// bound ends the run (hang_snapshot then finds it stopped: a harness-error). QEMU 7.2 can leave such an event behind when two
// harts meet an access watchpoint at once (access delivery; docs/qemu-gdb.md):
// it reports one hit and keeps the other hart's, which stops the guest
// later with nobody to continue it; the guest never sees the stop.
static void
debug_stop_check(struct run *r)
{
  char state[160];
  int64_t now = now_ms();

  if(r->gdb <= 0 || !r->gdb_done || r->qemu_done || !r->injected ||
     now - r->t_output < DEBUG_CHECK_MS || now - r->t_checked < DEBUG_CHECK_MS)
    return;
  r->t_checked = now;
  qemu_status(r->d.qmp, 1, state, sizeof(state));
  if(strcmp(state, "debug") != 0)
    return;
  if(r->debug_resumes++ == 0){
    r->debug_first_s = (now - r->t_output) / 1000.0;
    r->debug_first_at = r->rr->console.len;
  }
}

// QEMU's CPU time so far (user + system, in clock ticks), or -1.
static long
cpu_ticks(pid_t pid)
{
  char path[64], buf[1024], *p;
  unsigned long utime, stime;
  FILE *f;
  int ok;

  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  if((f = fopen(path, "r")) == NULL)
    return -1;
  ok = fgets(buf, sizeof(buf), f) != NULL;
  fclose(f);
  // Fields 14 and 15, after the command name in parentheses.
  if(!ok || (p = strrchr(buf, ')')) == NULL ||
     sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return -1;
  return (long)(utime + stime);
}

// The guest hangs (a phase's timeout or the silence bound, once the
// workload was typed): before QEMU is killed, GDB attaches to it once
// more and writes what every hart, process and lock was doing
// (gdbscripts/forensics.py) to rr->hang, followed by what the host saw:
// QEMU's run state (QMP), its CPU use, bytes left in the console pipe and
// bytes that came while GDB looked. Bounded by FORENSICS_MS: a snapshot
// that fails or does not come in time says so instead. While the
// injector still holds the gdbstub (QEMU serves one debugger) GDB takes
// none. The snapshot never changes the verdict; QEMU's state may: a
// guest QEMU holds stopped on a debug event (a breakpoint, watchpoint or
// single step), with no debugger attached, did not hang by itself.
static void
hang_snapshot(struct run *r)
{
  struct strbuf *out = &r->rr->hang, host = {0};
  int64_t until = now_ms() + FORENSICS_MS;
  char *env, *why = NULL, *text, state[160];
  size_t len, had = r->rr->console.len;
  long cpu0, cpu1;
  pid_t pid;
  int ws, done = 0, unread = -1;

  if(r->qemu_done || r->t_workload == 0)
    return;
  cpu0 = cpu_ticks(r->qemu);
  if(r->from_qemu >= 0 && ioctl(r->from_qemu, FIONREAD, &unread) < 0)
    unread = -1;
  pump(r, CPU_SAMPLE_MS);     // how busy QEMU is meanwhile: a stopped one uses nothing
  cpu1 = cpu_ticks(r->qemu);
  qemu_status(r->d.qmp, 0, state, sizeof(state));
  if(strcmp(state, "debug") == 0 && (r->gdb <= 0 || r->gdb_done))
    harness(r, "QEMU held the guest stopped on a debug event (QMP status debug) with no "
            "debugger attached: a breakpoint, watchpoint or single step left from GDB's "
            "session, not a hang of the kernel");
  sb_addf(&host, "host: QEMU status %s; it used %ld ms of CPU in %d ms; %d bytes unread in "
          "its console pipe", state,
          cpu0 < 0 || cpu1 < 0 ? -1L : (cpu1 - cpu0) * 1000 / sysconf(_SC_CLK_TCK),
          CPU_SAMPLE_MS, unread);
  if(r->gdb > 0 && !r->gdb_done)
    sb_addf(out, "hang snapshot: none taken, the injector's GDB still holds the gdbstub\n");
  else {
    env = xasprintf("EV6_FORENSICS=%s", r->d.hangf);
    pid = launch_gdb(r, r->d.hanglog, env, &why);
    free(env);
    if(pid < 0){
      sb_addf(out, "hang snapshot: none taken: %s\n", why);
      free(why);
    } else {
      while(!(done = child_done(pid, &ws)) && now_ms() < until)
        pump(r, 50);          // QEMU's console pipe must not fill meanwhile
      if(!done)
        child_kill(pid);
      if((text = read_file(r->d.hangf, &len)) != NULL && len > 0)
        sb_add(out, text, len);
      else {
        struct strbuf log = {0};
        char *gdb = read_file(r->d.hanglog, &len);
        if(gdb)
          sb_add(&log, gdb, len);
        sb_addf(out, "hang snapshot: none taken: GDB %s within %d s: %s\n",
                done ? status_text(ws) : "did not finish", FORENSICS_MS / 1000,
                log.len ? last_line(&log) : "(no output)");
        free(gdb);
        sb_free(&log);
      }
      free(text);
      // the guest ran between GDB's looks
      sb_addf(&host, "; %zu console bytes came while GDB looked", r->rr->console.len - had);
    }
  }
  sb_addf(out, "%s\n", sb_str(&host));
  sb_free(&host);
}

// Type one line at the guest's shell.
static void
type(struct run *r, const char *line)
{
  char *s = xasprintf("%s\n", line);
  size_t n = strlen(s), done = 0;
  int64_t deadline = now_ms() + 2000;

  while(done < n && now_ms() < deadline){
    ssize_t w = write(r->to_qemu, s + done, n - done);
    if(w > 0)
      done += (size_t)w;
    else if(w < 0 && errno != EAGAIN && errno != EINTR)
      break;                  // QEMU is gone; its exit will end the run
    else
      poll(NULL, 0, 5);
  }
  free(s);
}

// A new prompt since prompt_after? Consume it.
static int
prompt(struct run *r)
{
  size_t p = console_prompt(sb_str(&r->rr->console), r->rr->console.len, r->prompt_after);

  if(p == 0)
    return 0;
  r->prompt_after = p;
  return 1;
}

// The injection happened: note when, and start the recovery phase.
static void
injected_now(struct run *r)
{
  r->t_inject = r->gdb_done ? r->t_gdb_exit : now_ms();
  if(r->saw_ev6 && r->t_ev6 < r->t_inject)
    r->t_inject = r->t_ev6;
  if(r->saw_panic && r->t_panic < r->t_inject)
    r->t_inject = r->t_panic;
  if(r->t_workload)
    r->rr->reach_ms = r->t_inject - r->t_workload;
  enter(r, ST_RECOVERY);
  r->t_phase = r->t_inject;
}

// Type the survival check and remember where it starts.
static void
type_survival(struct run *r)
{
  r->rr->ev.survival_at = r->rr->console.len;
  type(r, r->env->survival);
  r->prompt_after = r->rr->console.len;
  enter(r, ST_CHECK);
}

// One step of the state machine (see the header comment).
static void
step(struct run *r)
{
  struct runresult *rr = r->rr;
  int64_t now = now_ms();

  // GDB writes its result line before it detaches and exits: look for
  // it while waiting for the injection, and once more when GDB is gone.
  if(r->st == ST_BOOT || r->st == ST_REACH || r->st == ST_REACH_GRACE ||
     (r->gdb_done && !r->results_read)){
    read_results(r);
    r->results_read = r->gdb_done;
  }
  // A link GDB's line broke makes the run a harness-error whatever
  // follows: end it now instead of waiting for a guest that never took
  // the error to go silent (the silence bound) or finish its check.
  if(r->gdb_broke && r->injected){
    if(r->t_inject == 0)
      injected_now(r);
    r->st = ST_END;
    return;
  }
  switch(r->st){
  case ST_BOOT:
    if(r->injected)
      injected_now(r);
    else if(r->gdb_done){
      harness(r, "GDB ended (%s) before the workload could start: %s",
              status_text(r->gdb_ws), gdb_said(r));
      r->st = ST_END;
    } else if(r->qemu_done)
      r->st = ST_END;
    else if(!r->booted && prompt(r)){
      rr->boot_ms = now - r->t0;
      r->booted = 1;
    } else if(r->booted && access(r->d.readyf, F_OK) == 0){
      // GDB waits for the workload's exec: type it
      rr->ev.workload_at = rr->console.len;
      type(r, r->j->sc.workload);
      r->prompt_after = rr->console.len;
      r->t_workload = now;
      enter(r, ST_REACH);
    }
    break;
  case ST_REACH:
    if(r->injected)
      injected_now(r);
    else if(r->gdb_done){
      harness(r, "GDB ended (%s) without injecting: %s", status_text(r->gdb_ws),
              gdb_said(r));
      r->st = ST_END;
    } else if(r->qemu_done || r->saw_panic){
      r->grace_until = now + GDB_GRACE_MS;
      r->st = ST_REACH_GRACE;
    } else if(r->saw_ev6){
      r->grace_until = holds_consumers(&r->j->sc) ? reach_end(r) : now + GDB_GRACE_MS;
      r->st = ST_REACH_GRACE;
    } else if(prompt(r)){
      r->workload_done = 1;
      r->grace_until = holds_consumers(&r->j->sc) ? reach_end(r) : now + PROMPT_GRACE_MS;
      r->st = ST_REACH_GRACE;
    }
    break;
  case ST_REACH_GRACE:
    if(r->injected)
      injected_now(r);
    else if(r->gdb_done || now > r->grace_until)
      r->st = ST_END;         // not reached (or the guest died by itself)
    break;
  case ST_RECOVERY:
    if(r->saw_panic){
      rr->recovery_ms = r->t_panic - r->t_inject;
      r->grace_until = now + DYING_MS;
      r->st = ST_DYING;
    } else if(r->saw_failstop){
      rr->recovery_ms = r->t_ev6 - r->t_inject;
      r->st = ST_FAILSTOP;
    } else if(r->qemu_done)
      r->st = ST_END;
    else if(r->saw_ev6){
      rr->recovery_ms = r->t_ev6 - r->t_inject;
      enter(r, ST_WORKLOAD);
    } else if(r->workload_done || prompt(r)){
      // The error's consumer may be the workload's last write (its prompt
      // came), its recovery still waiting for a lock: the survival check
      // typed now would be echoed into the report (campaign-access run 69:
      // `$ eavudit6: ;event=r ecouvered ...`, classified unreported).
      r->workload_done = 1;
      if(r->report_until == 0)
        r->report_until = now + REPORT_GRACE_MS;
      else if(now > r->report_until)
        enter(r, ST_WORKLOAD);
    }
    break;
  case ST_FAILSTOP:
    if(r->qemu_done)
      r->st = ST_END;
    break;
  case ST_WORKLOAD:
  case ST_CHECK:
  case ST_POWEROFF:
    if(r->qemu_done)
      r->st = ST_END;
    else if(r->saw_panic){
      r->grace_until = now + DYING_MS;
      r->st = ST_DYING;
    } else if(r->st == ST_WORKLOAD && (r->workload_done || prompt(r)))
      type_survival(r);
    else if((r->st == ST_WORKLOAD || r->st == ST_CHECK) && !r->reprompted &&
            now - r->t_output > IDLE_PROMPT_MS &&
            console_buried_prompt(sb_str(&rr->console), rr->console.len, r->prompt_after)){
      // Output came after the shell's prompt (console_buried_prompt): an
      // empty line makes the shell prompt again, at the end.
      type(r, "");
      r->reprompted = 1;
    }
    else if(r->st == ST_CHECK && prompt(r)){
      type(r, "poweroff");
      r->prompt_after = rr->console.len;
      enter(r, ST_POWEROFF);
    } else if(r->st == ST_POWEROFF && now - r->t_output > IDLE_PROMPT_MS &&
              console_prompt(sb_str(&rr->console), rr->console.len, r->prompt_after)){
      rr->ev.poweroff_failed = 1;
      rr->survival_ms = r->t_output - r->t_survival;
      r->stop_gently = 1;
      r->st = ST_END;
    }
    break;
  case ST_DYING:
    if(r->qemu_done || now > r->grace_until)
      r->st = ST_END;
    break;
  case ST_END:
    break;
  }
}

// Has the guest been silent, after the injection, for longer than the
// silence bound? (Silence before the error is the reach timeout's job.)
static int
silent_too_long(struct run *r)
{
  int64_t quiet_since = r->t_output > r->t_phase ? r->t_output : r->t_phase;
  long bound_ms = r->env->timeout[PHASE_SURVIVAL] * 1000 / SILENCE_DIVISOR;

  switch(r->st){
  case ST_RECOVERY: case ST_WORKLOAD: case ST_CHECK: case ST_POWEROFF:
    return now_ms() - quiet_since > bound_ms;
  default:
    return 0;
  }
}

// End QEMU ourselves with SIGTERM, on which it closes the disk, or SIGKILL
// if that takes too long. Either way this is not
// the guest stopping by itself: qemu_done stays 0.
static void
terminate_qemu(struct run *r)
{
  int64_t until = now_ms() + QEMU_TERM_MS;
  int ws;

  kill(r->qemu, SIGTERM);
  while(now_ms() < until){
    if(child_done(r->qemu, &ws))
      return;
    poll(NULL, 0, 20);
  }
  child_kill(r->qemu);
}

// Stop everything, collect the logs, check the disk, clean up.
static void
finish(struct run *r)
{
  struct runresult *rr = r->rr;
  struct evidence *ev = &rr->ev;
  char *text;
  size_t len;

  if(r->qemu > 0 && !r->qemu_done && r->stop_gently)
    terminate_qemu(r);
  else if(r->qemu > 0 && !r->qemu_done)
    child_kill(r->qemu);
  // GDB exits by itself once the guest is gone; give it a moment
  for(int64_t until = now_ms() + 1000; r->gdb > 0 && !r->gdb_done && now_ms() < until; )
    pump(r, 20);
  if(r->from_qemu >= 0)
    pump(r, 0);               // whatever QEMU wrote before it ended
  if(r->gdb > 0 && !r->gdb_done){
    child_kill(r->gdb);
    rr->gdb_status = -1;
  } else if(r->gdb > 0)
    rr->gdb_status = r->gdb_ws;
  ev->gdb_status = rr->gdb_status == -1 ? -1 : WIFEXITED(rr->gdb_status) ?
                   WEXITSTATUS(rr->gdb_status) : 128 + WTERMSIG(rr->gdb_status);
  if(r->from_qemu >= 0)
    close(r->from_qemu);
  if(r->to_qemu >= 0)
    close(r->to_qemu);
  if(r->d.resf)
    read_results(r);
  if(r->debug_resumes)
    sb_addf(&rr->hang, "host: QEMU held the guest stopped on a debug event with no debugger "
            "attached %d time%s, first after %.1f s of silence at console byte %zu; the runner "
            "let it go on each time (QMP cont)\n", r->debug_resumes,
            r->debug_resumes == 1 ? "" : "s", r->debug_first_s, r->debug_first_at);
  if(r->d.gdbf && (text = read_file(r->d.gdbf, &len)) != NULL){
    sb_add(&rr->gdblog, text, len);
    free(text);
  }

  ev->injected = r->injected;
  if(r->qemu_done){
    ev->qemu_exited = WIFEXITED(r->qemu_ws);
    ev->qemu_status = WIFEXITED(r->qemu_ws) ? WEXITSTATUS(r->qemu_ws) : -1;
    ev->qemu_signal = WIFSIGNALED(r->qemu_ws) ? WTERMSIG(r->qemu_ws) : 0;
    if(r->t_survival && ev->qemu_exited)
      rr->survival_ms = r->t_qemu_exit - r->t_survival;
  }
  if(ev->timed_out != PHASE_NONE)
    ev->timeout_s = r->env->timeout[ev->timed_out];
  // an ev6: or panic line that came after the state machine moved on
  if(rr->recovery_ms < 0 && r->t_inject && (r->saw_ev6 || r->saw_panic)){
    int64_t t = r->saw_ev6 ? r->t_ev6 : r->t_panic;
    rr->recovery_ms = t > r->t_inject ? t - r->t_inject : 0;
  }
  if(r->injected && (ev->qemu_exited || ev->poweroff_failed) && !rr->aborted &&
     ev->harness_error == NULL){
    char err[sizeof(rr->harness)];
    int st = rundir_fsck(&r->d, r->env->fsck, &rr->fscklog, err, sizeof(err));
    if(st < 0)
      harness(r, "%s", err);
    else
      ev->fsck_status = st;
  }
  rr->total_ms = now_ms() - r->t0;
  ev->console = sb_str(&rr->console);
  ev->results = sb_str(&rr->results);
  ev->console_len = rr->console.len;
  ev->hang = rr->hang.len ? sb_str(&rr->hang) : NULL;

  rundir_remove(&r->d);
}

// Fills *rr, which the caller frees with runresult_free().
void
run_job(const struct runenv *env, const struct job *j, struct runresult *rr)
{
  struct run r = { .env = env, .j = j, .rr = rr, .to_qemu = -1, .from_qemu = -1 };

  memset(rr, 0, sizeof(*rr));
  rr->ev.workload_at = rr->ev.survival_at = NOPOS;
  rr->ev.fsck_status = -1;
  rr->boot_ms = rr->reach_ms = rr->recovery_ms = rr->survival_ms = -1;
  rr->gdb_status = -1;
  iso_now(rr->started);
  r.t0 = r.t_phase = now_ms();
  r.st = ST_BOOT;

  if(setup(&r) == 0 && start_qemu(&r) == 0 && start_gdb(&r) == 0){
    while(r.st != ST_END){
      enum phase ph;

      if(*env->stop){
        rr->aborted = 1;
        break;
      }
      pump(&r, POLL_MS);
      scan(&r);
      step(&r);
      debug_stop_check(&r);
      ph = phase_of(r.st);
      if(ph != PHASE_NONE && now_ms() - r.t_phase > env->timeout[ph] * 1000){
        rr->ev.timed_out = ph;
        r.st = ST_END;
      } else if(silent_too_long(&r)){
        rr->ev.timed_out = ph;
        rr->ev.silent_s = env->timeout[PHASE_SURVIVAL] / SILENCE_DIVISOR;
        r.st = ST_END;
      }
      if(rr->ev.timed_out != PHASE_NONE)
        hang_snapshot(&r);
    }
  }
  finish(&r);
}

// Frees the logs of a runresult.
void
runresult_free(struct runresult *rr)
{
  sb_free(&rr->console);
  sb_free(&rr->gdblog);
  sb_free(&rr->fscklog);
  sb_free(&rr->results);
  sb_free(&rr->hang);
}

