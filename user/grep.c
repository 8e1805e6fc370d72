// grep - print lines that match a pattern.
//
// usage: grep pattern [file ...]
//
// Reads each file (or fd 0 if none is given) and writes every line that
// contains a match for pattern to fd 1. The pattern language:
//   c    any other character matches itself
//   .    matches any character
//   x*   zero or more of x, where x is a character or '.'
//   ^    at the start of the pattern: the match must begin the line
//   $    at the end of the pattern: the match must end the line
// A line longer than the 1 KiB buffer is split into pieces that are matched
// separately. Exit status: 0 if some line matched, 1 if none did or on
// an error.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "user/user.h"

static char buf[1024];
static int matched;

// Does the single pattern element at p match character c?
static int
matchone(const char *p, char c)
{
  return c != 0 && (*p == '.' || *p == c);
}

// Does re match a prefix of text?
static int
matchprefix(const char *re, const char *text)
{
  const char *t;

  for(;;){
    if(re[0] == 0)
      return 1;
    if(re[1] == '*'){
      // Try the rest of the pattern after 0, 1, 2, ... repetitions.
      for(t = text; ; t++){
        if(matchprefix(re + 2, t))
          return 1;
        if(!matchone(re, *t))
          return 0;
      }
    }
    if(re[0] == '$' && re[1] == 0)
      return *text == 0;
    if(!matchone(re, *text))
      return 0;
    re++;
    text++;
  }
}

// Does re match anywhere in the NUL-terminated line?
static int
match(const char *re, const char *line)
{
  if(re[0] == '^')
    return matchprefix(re + 1, line);
  for(;;){
    if(matchprefix(re, line))
      return 1;
    if(*line++ == 0)
      return 0;
  }
}

// Match one line of n bytes at s (no newline); print it if it matches.
static void
grepline(const char *re, char *s, int n)
{
  char saved = s[n];

  s[n] = 0;
  if(match(re, s)){
    matched = 1;
    s[n] = '\n';
    write(1, s, n + 1);
  }
  s[n] = saved;
}

static void
grep(const char *re, int fd, const char *name)
{
  int n, have = 0;
  char *start, *nl;

  while((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0){
    have += n;
    buf[have] = 0;
    start = buf;
    while((nl = strchr(start, '\n')) != 0){
      grepline(re, start, nl - start);
      start = nl + 1;
    }
    have -= start - buf;
    if(have == sizeof(buf) - 1){
      grepline(re, buf, have);   // no newline in a full buffer
      have = 0;
    } else {
      memmove(buf, start, have);
    }
  }
  if(n < 0){
    fprintf(2, "grep: cannot read %s\n", name);
    exit(1);
  }
  if(have > 0)
    grepline(re, buf, have);
}

int
main(int argc, char *argv[])
{
  int fd;

  if(argc < 2){
    fprintf(2, "usage: grep pattern [file ...]\n");
    exit(1);
  }
  if(argc == 2)
    grep(argv[1], 0, "standard input");
  for(int i = 2; i < argc; i++){
    if((fd = open(argv[i], O_RDONLY)) < 0){
      fprintf(2, "grep: cannot open %s\n", argv[i]);
      exit(1);
    }
    grep(argv[1], fd, argv[i]);
    close(fd);
  }
  return matched ? 0 : 1;
}
