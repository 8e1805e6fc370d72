// printf.c - formatted output for user programs.
//
// usage: #include "kernel/types.h"
//        #include "user/user.h"
//
//   void printf(const char *fmt, ...);            writes to fd 1
//   void fprintf(int fd, const char *fmt, ...);   writes to fd
//
// Conversions: %d (signed decimal), %u (unsigned decimal), %x (hex),
// %p (0x and 16 hex digits), %s (string; a null pointer prints "(null)"),
// %c (character) and %% (a percent sign). An 'l' before d, u or x (one or
// two of them) takes a 64-bit argument instead of an int. An unknown
// conversion is printed as written.
//
// Output is collected in a small buffer on the stack and handed to write()
// when the buffer fills and at the end of the call, so a short message
// reaches the file in one piece even when other processes are writing to
// the same file.
#include <stdarg.h>
#include "kernel/types.h"
#include "user/user.h"

#define OUTBUF 128

static const char digits[] = "0123456789abcdef";

struct out {
  int fd;
  int n;             // bytes waiting in buf
  char buf[OUTBUF];
};

static void
flush(struct out *o)
{
  if(o->n > 0)
    write(o->fd, o->buf, o->n);
  o->n = 0;
}

static void
outc(struct out *o, char c)
{
  if(o->n == OUTBUF)
    flush(o);
  o->buf[o->n++] = c;
}

static void
outs(struct out *o, const char *s)
{
  while(*s)
    outc(o, *s++);
}

// Print x in the given base, least significant digit computed first.
static void
outnum(struct out *o, uint64 x, int base, int negative)
{
  char tmp[24];
  int i = 0;

  do {
    tmp[i++] = digits[x % base];
    x /= base;
  } while(x != 0);
  if(negative)
    outc(o, '-');
  while(i > 0)
    outc(o, tmp[--i]);
}

static void
format(int fd, const char *fmt, va_list ap)
{
  struct out o;
  const char *s;
  int longs;
  long v;
  uint64 u;

  o.fd = fd;
  o.n = 0;
  for(; *fmt; fmt++){
    if(*fmt != '%'){
      outc(&o, *fmt);
      continue;
    }
    s = fmt++;               // remember where the conversion began
    for(longs = 0; *fmt == 'l'; fmt++)
      longs++;
    switch(*fmt){
    case 'd':
      v = longs ? va_arg(ap, long) : va_arg(ap, int);
      u = v < 0 ? -(uint64)v : (uint64)v;
      outnum(&o, u, 10, v < 0);
      break;
    case 'u':
    case 'x':
      u = longs ? va_arg(ap, uint64) : va_arg(ap, uint);
      outnum(&o, u, *fmt == 'u' ? 10 : 16, 0);
      break;
    case 'p':
      u = (uint64)va_arg(ap, void *);
      outs(&o, "0x");
      for(int shift = 60; shift >= 0; shift -= 4)
        outc(&o, digits[(u >> shift) & 0xf]);
      break;
    case 's':
      s = va_arg(ap, const char *);
      outs(&o, s ? s : "(null)");
      break;
    case 'c':
      outc(&o, va_arg(ap, int));
      break;
    case '%':
      outc(&o, '%');
      break;
    case 0:
      // A lone '%' (or "%l") at the end: print it and stop.
      while(*s)
        outc(&o, *s++);
      fmt--;
      break;
    default:
      while(s <= fmt)
        outc(&o, *s++);
      break;
    }
  }
  flush(&o);
}

void
fprintf(int fd, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  format(fd, fmt, ap);
  va_end(ap);
}

void
printf(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  format(1, fmt, ap);
  va_end(ap);
}
