// util.h - helpers every file of the orchestrator uses: exit statuses, the
// two fatal-error helpers, memory that cannot fail, a growable string,
// clocks, and strict number parsing.
//
// Memory from x*() and strbuf belongs to the caller, who frees it with
// free() (strbuf: sb_free()). Nothing here keeps a pointer it was given.
#ifndef CAMPAIGN_UTIL_H
#define CAMPAIGN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

// Exit statuses of ev6-campaign (documented in its --help).
#define EXIT_DONE     0   // every job has a result
#define EXIT_RUNTIME  1   // a run-time error stopped the campaign
#define EXIT_USAGE    2   // bad command line or configuration; nothing ran
#define EXIT_HARNESS  3   // finished, but some runs are harness-error

// The program name the messages below start with: "ev6-campaign" unless
// the program sets its own first (ev6-bench does).
extern const char *util_progname;

// Command-line error: print "ev6-campaign: msg" and a pointer to --help,
// exit EXIT_USAGE.
_Noreturn void usage_error(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));
// Run-time error: print "ev6-campaign: msg", exit EXIT_RUNTIME.
_Noreturn void fatal(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));
// Print "ev6-campaign: msg" and carry on.
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);                 // NULL stays NULL
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A growable, always NUL-terminated string. Zero-initialise to start.
struct strbuf {
  char *s;        // NULL until something is added
  size_t len;
  size_t cap;
};
void sb_add(struct strbuf *sb, const char *data, size_t n);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
const char *sb_str(const struct strbuf *sb);   // "" when empty; owned by sb
void sb_free(struct strbuf *sb);

// The last non-empty line of sb, at most 159 characters, in a static
// buffer that the next call overwrites.
const char *last_line(const struct strbuf *sb);

int64_t now_ms(void);              // monotonic milliseconds
int64_t wall_seconds(void);        // Unix time
// The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" in buf[21].
void iso_now(char buf[21]);

// Parse all of s as a decimal integer in [min, max]. Returns 0, or -1 if s
// is empty, has other characters, or is out of range.
int parse_long(const char *s, long min, long max, long *out);

// Read a whole file. Returns a NUL-terminated buffer the caller frees, with
// its length in *len, or NULL with errno set.
char *read_file(const char *path, size_t *len);

// Write the whole of src's contents to a new file dst (replacing one that
// exists) with the given mode. Returns 0, or -1 with errno set.
int copy_file(const char *src, const char *dst, unsigned mode);

// Remove dir and everything under it, warning about what cannot be
// removed. Returns 0, or -1 if dir could not be walked.
int remove_tree(const char *dir);

// Does path name an executable program in $PATH (or, with a '/', itself)?
int in_path(const char *prog);

#endif
