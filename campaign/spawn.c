// spawn.c - child processes (see spawn.h).
//
// An exec failure is reported through a close-on-exec pipe: the child
// writes its errno there and exits 127; the parent reads either that or
// end-of-file (exec succeeded).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign/spawn.h"

// Returns the pid; on failure -1 and *why (the caller frees it).
pid_t
spawn(const char *const argv[], const char *const env[], int in, int out,
      int err, char **why)
{
  int report[2], e, devnull = -1;
  pid_t parent = getpid(), pid;
  ssize_t n;

  if(pipe2(report, O_CLOEXEC) < 0){
    *why = xasprintf("pipe: %s", strerror(errno));
    return -1;
  }
  pid = fork();
  if(pid < 0){
    *why = xasprintf("fork: %s", strerror(errno));
    close(report[0]);
    close(report[1]);
    return -1;
  }
  if(pid == 0){
    sigset_t none;
    int i;

    close(report[0]);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if(getppid() != parent)
      _exit(127);
    for(i = 1; i < NSIG; i++)
      signal(i, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if(in < 0 || out < 0 || err < 0)
      devnull = open("/dev/null", O_RDWR);
    dup2(in >= 0 ? in : devnull, 0);
    dup2(out >= 0 ? out : devnull, 1);
    dup2(err >= 0 ? err : devnull, 2);
    for(i = 0; env && env[i]; i++)
      putenv((char *)env[i]);
    execvp(argv[0], (char *const *)argv);
    e = errno;
    if(write(report[1], &e, sizeof(e)) < 0)
      _exit(127);
    _exit(127);
  }
  close(report[1]);
  do
    n = read(report[0], &e, sizeof(e));
  while(n < 0 && errno == EINTR);
  close(report[0]);
  if(n == sizeof(e)){
    waitpid(pid, NULL, 0);
    *why = xasprintf("cannot run %s: %s", argv[0], strerror(e));
    return -1;
  }
  return pid;
}

// Returns the wait status or -1; output goes to the caller's out.
int
run_capture(const char *const argv[], struct strbuf *out, int timeout_ms)
{
  int fds[2], status = -1;
  char buf[4096], *why = NULL;
  int64_t deadline = now_ms() + timeout_ms;
  pid_t pid;
  ssize_t n;

  if(pipe2(fds, O_CLOEXEC) < 0){
    if(out)
      sb_addf(out, "pipe: %s\n", strerror(errno));
    return -1;
  }
  pid = spawn(argv, NULL, -1, fds[1], fds[1], &why);
  close(fds[1]);
  if(pid < 0){
    if(out)
      sb_addf(out, "%s\n", why);
    free(why);
    close(fds[0]);
    return -1;
  }
  for(;;){
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    int64_t left = deadline - now_ms();
    if(left <= 0){
      child_kill(pid);
      close(fds[0]);
      if(out)
        sb_addf(out, "%s: timed out after %d ms\n", argv[0], timeout_ms);
      return -1;
    }
    if(poll(&p, 1, (int)left) < 0){
      if(errno == EINTR)
        continue;
      break;
    }
    n = read(fds[0], buf, sizeof(buf));
    if(n < 0 && errno == EINTR)
      continue;
    if(n <= 0)
      break;
    if(out)
      sb_add(out, buf, (size_t)n);
  }
  close(fds[0]);
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return status;
}

// Reaps pid if it ended; 1 and *status, else 0.
int
child_done(pid_t pid, int *status)
{
  pid_t r;

  do
    r = waitpid(pid, status, WNOHANG);
  while(r < 0 && errno == EINTR);
  return r == pid;
}

// SIGKILL and reap.
void
child_kill(pid_t pid)
{
  if(pid <= 0)
    return;
  kill(pid, SIGKILL);
  while(waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

// Returns a static buffer, overwritten by the next call.
const char *
status_text(int status)
{
  static char buf[32];

  if(status == -1)
    snprintf(buf, sizeof(buf), "not run");
  else if(WIFEXITED(status))
    snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
  else if(WIFSIGNALED(status))
    snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(status));
  else
    snprintf(buf, sizeof(buf), "status 0x%x", status);
  return buf;
}
