// util.c - the helpers declared in util.h: fatal errors, memory that
// cannot fail, growable strings, clocks, numbers, whole-file reads and
// copies, and $PATH lookups. Memory ownership is stated in util.h.
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "campaign/util.h"

// The name every message starts with; another program built from these
// files (make bench's ev6-bench) sets its own before anything else.
const char *util_progname = "ev6-campaign";

// Print "ev6-campaign: " and the formatted message, no newline.
static void
vmessage(const char *fmt, va_list ap)
{
  fprintf(stderr, "%s: ", util_progname);
  vfprintf(stderr, fmt, ap);
}

// See util.h.
_Noreturn void
usage_error(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry '%s --help' for more information.\n", util_progname);
  exit(EXIT_USAGE);
}

// See util.h.
_Noreturn void
fatal(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(EXIT_RUNTIME);
}

// See util.h.
void
warning(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  vmessage(fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

// Returns n new bytes the caller frees.
void *
xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);

  if(p == NULL)
    fatal("out of memory");
  return p;
}

// Returns zeroed memory the caller frees.
void *
xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);

  if(p == NULL)
    fatal("out of memory");
  return p;
}

// Returns p resized; the caller frees the result (not p).
void *
xrealloc(void *p, size_t n)
{
  p = realloc(p, n ? n : 1);
  if(p == NULL)
    fatal("out of memory");
  return p;
}

// Returns a copy the caller frees, or NULL for NULL.
char *
xstrdup(const char *s)
{
  char *d;

  if(s == NULL)
    return NULL;
  d = strdup(s);
  if(d == NULL)
    fatal("out of memory");
  return d;
}

// Returns the formatted string; the caller frees it.
char *
xasprintf(const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start(ap, fmt);
  if(vasprintf(&s, fmt, ap) < 0)
    fatal("out of memory");
  va_end(ap);
  return s;
}

// Appends to sb, which the caller frees with sb_free().
void
sb_add(struct strbuf *sb, const char *data, size_t n)
{
  if(sb->len + n + 1 > sb->cap){
    size_t cap = sb->cap ? sb->cap : 256;
    while(cap < sb->len + n + 1)
      cap *= 2;
    sb->s = xrealloc(sb->s, cap);
    sb->cap = cap;
  }
  memcpy(sb->s + sb->len, data, n);
  sb->len += n;
  sb->s[sb->len] = '\0';
}

// Appends formatted text to sb.
void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
  va_list ap;
  char *s;
  int n;

  va_start(ap, fmt);
  n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if(n < 0)
    fatal("out of memory");
  sb_add(sb, s, (size_t)n);
  free(s);
}

// Returns the contents, owned by sb (valid until the next sb_add).
const char *
sb_str(const struct strbuf *sb)
{
  return sb->s ? sb->s : "";
}

// Frees sb's memory and empties it.
void
sb_free(struct strbuf *sb)
{
  free(sb->s);
  sb->s = NULL;
  sb->len = sb->cap = 0;
}

// Returns a static buffer, overwritten by the next call.
const char *
last_line(const struct strbuf *sb)
{
  static char buf[160];
  const char *s = sb_str(sb), *end = s + sb->len, *start;

  while(end > s && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
    end--;
  for(start = end; start > s && start[-1] != '\n'; start--)
    ;
  snprintf(buf, sizeof(buf), "%.*s", (int)(end - start), start);
  return buf;
}

// Monotonic clock in milliseconds.
int64_t
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Unix time in seconds.
int64_t
wall_seconds(void)
{
  return (int64_t)time(NULL);
}

// UTC time into the caller's buf.
void
iso_now(char buf[21])
{
  time_t t = time(NULL);
  struct tm tm;

  gmtime_r(&t, &tm);
  strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

// Strict decimal parse; no allocation.
int
parse_long(const char *s, long min, long max, long *out)
{
  char *end;
  long v;

  if(s == NULL || *s == '\0')
    return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if(errno != 0 || *end != '\0' || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

// Returns the file's bytes plus a NUL, which the caller frees; NULL with
// errno set on failure.
char *
read_file(const char *path, size_t *len)
{
  struct strbuf sb = {0};
  char chunk[65536];
  ssize_t n;
  int fd, saved;

  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return NULL;
  while((n = read(fd, chunk, sizeof(chunk))) != 0){
    if(n < 0){
      if(errno == EINTR)
        continue;
      saved = errno;
      close(fd);
      sb_free(&sb);
      errno = saved;
      return NULL;
    }
    sb_add(&sb, chunk, (size_t)n);
  }
  close(fd);
  if(sb.s == NULL)
    sb_add(&sb, "", 0);
  if(len)
    *len = sb.len;
  return sb.s;
}

// Returns 0, or -1 with errno set; nothing to free.
int
copy_file(const char *src, const char *dst, unsigned mode)
{
  size_t len, done = 0;
  char *text = read_file(src, &len);
  int fd, saved;

  if(text == NULL)
    return -1;
  fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if(fd < 0){
    saved = errno;
    free(text);
    errno = saved;
    return -1;
  }
  while(done < len){
    ssize_t w = write(fd, text + done, len - done);
    if(w < 0){
      saved = errno;
      close(fd);
      free(text);
      errno = saved;
      return -1;
    }
    done += (size_t)w;
  }
  free(text);
  if(fchmod(fd, (mode_t)mode) < 0 || close(fd) < 0)
    return -1;
  return 0;
}

// nftw() callback: remove one entry, children first.
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  if(remove(path) < 0)
    warning("cannot remove %s: %s", path, strerror(errno));
  return 0;
}

// Returns 0, or -1 if dir could not be walked; nothing to free.
int
remove_tree(const char *dir)
{
  return nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

// Is prog an executable in $PATH? No allocation.
int
in_path(const char *prog)
{
  const char *path = getenv("PATH"), *p, *colon;
  char full[4096];
  struct stat st;

  if(strchr(prog, '/'))
    return access(prog, X_OK) == 0;
  if(path == NULL)
    path = "/usr/bin:/bin";
  for(p = path; ; p = colon + 1){
    colon = strchr(p, ':');
    int n = colon ? (int)(colon - p) : (int)strlen(p);
    if(n == 0)
      snprintf(full, sizeof(full), "./%s", prog);   // empty entry: cwd
    else
      snprintf(full, sizeof(full), "%.*s/%s", n, p, prog);
    if(stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
      return 1;
    if(colon == NULL)
      return 0;
  }
}
