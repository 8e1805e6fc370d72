// Byte and string routines for the kernel, which has no C library.
//
// Interface: memset, memcmp, memmove, memcpy, strncmp, strncpy, safestrcpy,
// strlen, with the signatures declared in defs.h (sizes are uint or int,
// not size_t). They keep no state and take no locks; callable anywhere.
//
// memcpy exists because GCC may emit calls to it for structure copies even
// in freestanding code; it is memmove, so overlap is always safe.
//
// memset and memmove move 8-byte words once the destination is aligned
// (for memmove, when source and destination have the same offset in a
// word, as pages and blocks do): eight times fewer loads and stores. Under
// an emulator that is most of the cost of boot (kinit fills every free
// page) and much of the file-system tests.
//
// Only types.h is included, so tests/unit/test_string.c can compile this
// file on the host under other names.
#include "kernel/types.h"

// A word that may alias any object (the copies are of arbitrary types).
typedef uint64 __attribute__((may_alias)) word;

void*
memset(void *dst, int c, uint n)
{
  uchar *d = dst;
  word w;

  if(n >= 8){
    for(; ((uint64)d & 7) != 0; n--)
      *d++ = (uchar)c;
    w = (uchar)c;
    w |= w << 8;
    w |= w << 16;
    w |= w << 32;
    for(; n >= 8; n -= 8, d += 8)
      *(word*)d = w;
  }
  while(n-- > 0)
    *d++ = (uchar)c;
  return dst;
}

// Negative, zero or positive as the first differing byte of a, taken as
// unsigned, is below, equal to or above that of b.
int
memcmp(const void *a, const void *b, uint n)
{
  const uchar *p = a;
  const uchar *q = b;

  for(; n > 0; n--, p++, q++){
    if(*p != *q)
      return *p - *q;
  }
  return 0;
}

// Copy n bytes; the two ranges may overlap.
void*
memmove(void *dst, const void *src, uint n)
{
  uchar *d = dst;
  const uchar *s = src;

  if(s < d && d < s + n){
    // dst starts inside src: a forward copy would overwrite bytes of src
    // before reading them, so copy from the end.
    d += n;
    s += n;
    if((((uint64)d ^ (uint64)s) & 7) == 0 && n >= 8){
      for(; ((uint64)d & 7) != 0; n--)
        *--d = *--s;
      for(; n >= 8; n -= 8){
        d -= 8;
        s -= 8;
        *(word*)d = *(const word*)s;
      }
    }
    while(n-- > 0)
      *--d = *--s;
  } else {
    // Equally aligned: if they overlap, src is at least a word above dst,
    // so a word is read before any store reaches it.
    if((((uint64)d ^ (uint64)s) & 7) == 0 && n >= 8){
      for(; ((uint64)d & 7) != 0; n--)
        *d++ = *s++;
      for(; n >= 8; n -= 8, d += 8, s += 8)
        *(word*)d = *(const word*)s;
    }
    while(n-- > 0)
      *d++ = *s++;
  }
  return dst;
}

void*
memcpy(void *dst, const void *src, uint n)
{
  return memmove(dst, src, n);
}

// Compare at most n characters, stopping after a NUL; characters compare
// as unsigned.
int
strncmp(const char *p, const char *q, uint n)
{
  for(; n > 0; n--, p++, q++){
    if(*p != *q)
      return (uchar)*p - (uchar)*q;
    if(*p == 0)
      return 0;
  }
  return 0;
}

// The C library's strncpy: copy at most n characters and fill the rest of
// the n bytes with NULs. dst is not terminated if src has n or more
// characters (directory entries rely on exactly this).
char*
strncpy(char *dst, const char *src, int n)
{
  int i = 0;

  for(; i < n && src[i] != 0; i++)
    dst[i] = src[i];
  for(; i < n; i++)
    dst[i] = 0;
  return dst;
}

// Like strncpy, but dst is always NUL-terminated (if n > 0), keeping at
// most n-1 characters of src, and the rest of dst is left alone.
char*
safestrcpy(char *dst, const char *src, int n)
{
  int i = 0;

  if(n <= 0)
    return dst;
  for(; i < n - 1 && src[i] != 0; i++)
    dst[i] = src[i];
  dst[i] = 0;
  return dst;
}

int
strlen(const char *s)
{
  int n = 0;

  while(s[n] != 0)
    n++;
  return n;
}
