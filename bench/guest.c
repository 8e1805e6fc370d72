// guest.c - one benchmark boot (see bench.h), as tests/guest-run.sh does
// it: QEMU with the same machine, memory and disk options (plus -icount),
// on a private copy of fs.img; the command typed when the shell first
// prompts, `poweroff` when it prompts again; the guest must power itself
// off with status 0, and then fsck -r must find its disk clean.
//
// States: BOOT (to the first prompt) -> COMMAND (to the next prompt) ->
// POWEROFF (to QEMU's exit) -> OVER. QEMU's exit, a panic or the timeout
// end the boot in any state. The caller polls guest_fd() and calls
// guest_step() whenever it is readable, and at least every few hundred
// milliseconds (for the timeout).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "campaign/console.h"
#include "campaign/spawn.h"

enum { G_BOOT, G_COMMAND, G_POWEROFF, G_OVER };

// Record the first failure only; later ones follow from it.
static void __attribute__((format(printf, 2, 3)))
failed(struct guest *g, const char *fmt, ...)
{
  va_list ap;

  if(g->error[0])
    return;
  va_start(ap, fmt);
  vsnprintf(g->error, sizeof(g->error), fmt, ap);
  va_end(ap);
}

// Returns 0, or -1 with g->error set.
int
guest_start(struct guest *g)
{
  int in[2], out[2], fd;
  char smp[16], *drive, *why = NULL;
  const char *argv[32];
  int n = 0;

  g->qemu = -1;
  g->to_qemu = g->from_qemu = -1;
  g->state = G_BOOT;
  g->t0 = now_ms();
  snprintf(g->disk, sizeof(g->disk), "%s/disk.XXXXXX", g->tmpdir);
  if((fd = mkstemp(g->disk)) < 0){
    failed(g, "cannot create a disk copy in %s: %s", g->tmpdir, strerror(errno));
    g->disk[0] = '\0';
    g->state = G_OVER;
    return -1;
  }
  close(fd);
  if(copy_file(g->fs_image, g->disk, 0644) < 0){
    failed(g, "cannot copy %s to %s: %s", g->fs_image, g->disk, strerror(errno));
    g->state = G_OVER;
    return -1;
  }
  if(pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0){
    failed(g, "pipe: %s", strerror(errno));
    g->state = G_OVER;
    return -1;
  }
  snprintf(smp, sizeof(smp), "%d", g->cpus);
  drive = xasprintf("file=%s,if=none,format=raw,id=x0", g->disk);
  argv[n++] = "qemu-system-riscv64";
  argv[n++] = "-machine"; argv[n++] = "virt";
  argv[n++] = "-bios"; argv[n++] = "none";
  argv[n++] = "-kernel"; argv[n++] = g->kernel;
  argv[n++] = "-m"; argv[n++] = "128M";
  argv[n++] = "-smp"; argv[n++] = smp;
  argv[n++] = "-nographic";
  argv[n++] = "-monitor"; argv[n++] = "none";
  if(g->icount[0]){
    argv[n++] = "-icount"; argv[n++] = g->icount;
  }
  argv[n++] = "-global"; argv[n++] = "virtio-mmio.force-legacy=false";
  argv[n++] = "-drive"; argv[n++] = drive;
  argv[n++] = "-device"; argv[n++] = "virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0";
  argv[n] = NULL;
  g->qemu = spawn(argv, NULL, in[0], out[1], out[1], &why);
  close(in[0]);
  close(out[1]);
  free(drive);
  g->to_qemu = in[1];
  g->from_qemu = out[0];
  fcntl(g->to_qemu, F_SETFL, O_NONBLOCK);
  fcntl(g->from_qemu, F_SETFL, O_NONBLOCK);
  if(g->qemu < 0){
    failed(g, "%s", why);
    free(why);
    g->state = G_OVER;
    return -1;
  }
  return 0;
}

int
guest_fd(const struct guest *g)
{
  return g->from_qemu;
}

// Type one line at the guest's shell (QEMU reads its stdin promptly; give
// up after 2 s, when QEMU's exit will end the boot anyway).
static void
type(struct guest *g, const char *line)
{
  char *s = xasprintf("%s\n", line);
  size_t n = strlen(s), done = 0;
  int64_t deadline = now_ms() + 2000;

  while(done < n && now_ms() < deadline){
    ssize_t w = write(g->to_qemu, s + done, n - done);
    if(w > 0)
      done += (size_t)w;
    else if(w < 0 && errno != EAGAIN && errno != EINTR)
      break;
    else
      poll(NULL, 0, 5);
  }
  free(s);
}

// A prompt that began after the last one we answered? Consume it.
static int
prompt(struct guest *g)
{
  size_t p = console_prompt(sb_str(&g->con.text), g->con.text.len, g->prompt_after);

  if(p == 0)
    return 0;
  g->prompt_after = p;
  return 1;
}

// Count the usertest result lines that arrived since the last call (for
// the progress line); look for a panic.
static int
count_lines(struct guest *g)
{
  const char *s = sb_str(&g->con.text);
  size_t end = g->con.text.len, i, start = g->counted;
  int panic = 0;

  while(end > start && s[end - 1] != '\n')
    end--;
  for(i = start; i < end; i++){
    if(s[i] != '\n')
      continue;
    if(strncmp(s + start, "usertest name=", 14) == 0 &&
       memmem(s + start, i - start, " result=", 8) != NULL)
      g->progress++;
    if(strncmp(s + start, "panic: ", 7) == 0)
      panic = 1;
    start = i + 1;
  }
  g->counted = end;
  return panic;
}

// Returns 1 when the boot is over.
int
guest_step(struct guest *g)
{
  char buf[8192];
  ssize_t n;

  if(g->state == G_OVER)
    return 1;
  if(g->from_qemu >= 0){
    while((n = read(g->from_qemu, buf, sizeof(buf))) > 0)
      console_rec_add(&g->con, buf, (size_t)n, now_ms());
    if(n == 0){
      close(g->from_qemu);
      g->from_qemu = -1;
    }
  }
  if(count_lines(g))
    failed(g, "the kernel panicked: %s", last_line(&g->con.text));
  if(!g->qemu_done && child_done(g->qemu, &g->qemu_ws)){
    g->qemu_done = 1;
    // whatever QEMU wrote just before it ended
    while(g->from_qemu >= 0 && (n = read(g->from_qemu, buf, sizeof(buf))) > 0)
      console_rec_add(&g->con, buf, (size_t)n, now_ms());
    count_lines(g);
    if(g->state != G_POWEROFF)
      failed(g, "QEMU ended (%s) before the guest powered off: %s",
             status_text(g->qemu_ws), last_line(&g->con.text));
    else if(!WIFEXITED(g->qemu_ws) || WEXITSTATUS(g->qemu_ws) != 0)
      failed(g, "QEMU ended with %s at poweroff: %s", status_text(g->qemu_ws),
             last_line(&g->con.text));
    g->state = G_OVER;
    g->t_end = now_ms();
    return 1;
  }
  if(now_ms() - g->t0 > g->timeout_s * 1000){
    failed(g, "timed out after %ld s; last line: %s", g->timeout_s,
           last_line(&g->con.text));
    g->state = G_OVER;
    g->t_end = now_ms();
    return 1;
  }
  switch(g->state){
  case G_BOOT:
    if(prompt(g)){
      type(g, g->command);
      g->prompt_after = g->con.text.len;
      g->state = G_COMMAND;
    }
    break;
  case G_COMMAND:
    if(prompt(g)){
      type(g, "poweroff");
      g->prompt_after = g->con.text.len;
      g->state = G_POWEROFF;
    }
    break;
  default:
    break;
  }
  return 0;
}

// Sets g->error if the disk is not clean.
void
guest_finish(struct guest *g)
{
  struct strbuf out = {0};
  int st;

  if(g->qemu > 0 && !g->qemu_done){
    child_kill(g->qemu);
    g->qemu_done = 1;
  }
  if(g->to_qemu >= 0)
    close(g->to_qemu);
  if(g->from_qemu >= 0)
    close(g->from_qemu);
  g->to_qemu = g->from_qemu = -1;
  if(g->t_end == 0)
    g->t_end = now_ms();
  if(!g->error[0] && g->disk[0]){
    const char *argv[] = { g->fsck, "-rv", g->disk, NULL };
    st = run_capture(argv, &out, 60000);
    console_rec_add(&g->con, out.s ? out.s : "", out.len, now_ms());  // into the log
    if(st != 0)
      failed(g, "%s -rv on the guest's disk: %s: %s", g->fsck,
             st == -1 ? "could not run" : status_text(st), last_line(&out));
    sb_free(&out);
  }
  if(g->disk[0])
    unlink(g->disk);
  g->disk[0] = '\0';
}

void
guest_free(struct guest *g)
{
  console_rec_free(&g->con);
}
