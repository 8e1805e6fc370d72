// ulib.c - program entry and the string, memory and input helpers of the
// user C library.
//
// usage: #include "kernel/types.h"
//        #include "user/user.h"
//
//   void  start(int argc, char **argv);   entry point named in user.ld
//   char *strcpy(char *dst, const char *src);
//   int   strcmp(const char *p, const char *q);
//   uint  strlen(const char *s);
//   char *strchr(const char *s, char c);
//   void *memset(void *dst, int c, uint n);
//   void *memmove(void *dst, const void *src, int n);
//   void *memcpy(void *dst, const void *src, uint n);
//   int   memcmp(const void *a, const void *b, uint n);
//   char *gets(char *buf, int max);
//   int   stat(const char *path, struct stat *st);
//   int   atoi(const char *s);
//
// start() is where exec enters a program (a0 = argc, a1 = argv); it runs
// main and exits with main's return value. gets() reads one line from fd 0,
// keeping the newline; it returns buf with buf[0] == 0 at end of input.
// stat() is open + fstat + close. atoi() reads an optional '-' and decimal
// digits. The byte loops use volatile pointers so the compiler cannot turn
// them back into calls to the very functions being defined.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

int main(int argc, char **argv);

void
start(int argc, char **argv)
{
  exit(main(argc, argv));
}

char *
strcpy(char *dst, const char *src)
{
  char *d = dst;

  while((*d++ = *src++) != 0)
    ;
  return dst;
}

int
strcmp(const char *p, const char *q)
{
  while(*p && *p == *q){
    p++;
    q++;
  }
  return (uchar)*p - (uchar)*q;
}

uint
strlen(const char *s)
{
  const char *e = s;

  while(*e)
    e++;
  return e - s;
}

char *
strchr(const char *s, char c)
{
  for(; *s; s++)
    if(*s == c)
      return (char *)s;
  return 0;
}

void *
memset(void *dst, int c, uint n)
{
  volatile uchar *d = dst;

  while(n-- > 0)
    *d++ = c;
  return dst;
}

void *
memmove(void *dst, const void *src, int n)
{
  volatile uchar *d = dst;
  const uchar *s = src;

  if(n <= 0 || d == s)
    return dst;
  if(d < s){
    while(n-- > 0)
      *d++ = *s++;
  } else {
    // Copy backwards so an overlapping source is read before it is
    // overwritten.
    d += n;
    s += n;
    while(n-- > 0)
      *--d = *--s;
  }
  return dst;
}

void *
memcpy(void *dst, const void *src, uint n)
{
  volatile uchar *d = dst;
  const uchar *s = src;

  while(n-- > 0)
    *d++ = *s++;
  return dst;
}

int
memcmp(const void *a, const void *b, uint n)
{
  const volatile uchar *x = a;
  const volatile uchar *y = b;

  for(; n > 0; n--, x++, y++)
    if(*x != *y)
      return *x - *y;
  return 0;
}

char *
gets(char *buf, int max)
{
  int i = 0;
  char c;

  while(i + 1 < max){
    if(read(0, &c, 1) != 1)
      break;
    buf[i++] = c;
    if(c == '\n' || c == '\r')
      break;
  }
  buf[i] = 0;
  return buf;
}

int
stat(const char *path, struct stat *st)
{
  int fd, r;

  fd = open(path, O_RDONLY);
  if(fd < 0)
    return -1;
  r = fstat(fd, st);
  close(fd);
  return r;
}

int
atoi(const char *s)
{
  int n = 0, neg = 0;

  if(*s == '-'){
    neg = 1;
    s++;
  }
  while(*s >= '0' && *s <= '9')
    n = n * 10 + (*s++ - '0');
  return neg ? -n : n;
}
