// Host unit test of kernel/string.c: memmove with overlap in both
// directions, memcmp's sign, strncmp, strncpy padding, safestrcpy
// truncation and termination, memset, strlen, and the word-at-a-time paths
// of memset and memmove at every alignment.
//
//   gcc -Wall -Werror -I. tests/unit/test_string.c -o build/test_string
//   build/test_string
//
// kernel/string.c is compiled into this program by the #include below, with
// each function renamed k_*. Under their own names they would conflict with
// the host C library's declarations (size_t, not uint) and would replace the
// library's functions for the whole program, printf included.
#include "tests/unit/testhelp.h"

#define memset     k_memset
#define memcmp     k_memcmp
#define memmove    k_memmove
#define memcpy     k_memcpy
#define strncmp    k_strncmp
#define strncpy    k_strncpy
#define safestrcpy k_safestrcpy
#define strlen     k_strlen
#include "kernel/string.c"
#undef memset
#undef memcmp
#undef memmove
#undef memcpy
#undef strncmp
#undef strncpy
#undef safestrcpy
#undef strlen

// Does buf hold exactly the n bytes of want?
static int
same(const char *buf, const char *want, int n)
{
  int i;

  for(i = 0; i < n; i++)
    if(buf[i] != want[i])
      return 0;
  return 1;
}

static void
test_memmove(void)
{
  char b[16];

  k_memcpy(b, "abcdefghij", 11);
  test_cond("memmove returns dst", k_memmove(b + 2, b, 5) == b + 2);
  test_cond("memmove overlap, dst above src", same(b, "ababcdehij", 11));

  k_memcpy(b, "abcdefghij", 11);
  k_memmove(b, b + 3, 5);
  test_cond("memmove overlap, dst below src", same(b, "defghfghij", 11));

  k_memcpy(b, "abcdefghij", 11);
  k_memmove(b + 1, b, 9);
  test_cond("memmove shift right by one", same(b, "aabcdefghi", 11));

  k_memcpy(b, "abcdefghij", 11);
  k_memmove(b, b + 1, 9);
  test_cond("memmove shift left by one", same(b, "bcdefghijj", 11));

  k_memcpy(b, "abcdefghij", 11);
  k_memmove(b, b, 10);
  test_cond("memmove onto itself", same(b, "abcdefghij", 11));
  k_memmove(b + 4, b, 0);
  test_cond("memmove of 0 bytes", same(b, "abcdefghij", 11));

  k_memcpy(b, "abcdefghij", 11);
  k_memcpy(b + 1, b, 9);
  test_cond("memcpy is overlap-safe too", same(b, "aabcdefghi", 11));
}

static void
test_memcmp_memset(void)
{
  char x[4] = { 1, 2, 3, 4 };
  char y[4] = { 1, 2, 5, 4 };
  char hi[1] = { (char)0xf0 };
  char lo[1] = { 0x10 };
  char b[8];

  test_cond("memcmp equal", k_memcmp(x, x, 4) == 0);
  test_cond("memcmp less", k_memcmp(x, y, 4) < 0);
  test_cond("memcmp greater", k_memcmp(y, x, 4) > 0);
  test_cond("memcmp stops at n", k_memcmp(x, y, 2) == 0);
  test_cond("memcmp bytes are unsigned", k_memcmp(hi, lo, 1) > 0);
  test_cond("memcmp bytes are unsigned, reversed", k_memcmp(lo, hi, 1) < 0);

  k_memset(b, 'z', 8);
  test_cond("memset returns dst", k_memset(b + 1, 'q', 3) == b + 1);
  test_cond("memset fills exactly n", same(b, "zqqqzzzz", 8));
}

// The word-at-a-time paths: every destination and source alignment, every
// length up to a few words, both directions of overlap, against a copy
// made one byte at a time.
static void
test_words(void)
{
  static unsigned long long store[16];
  static char want[sizeof(store)];
  char *b = (char *)store;
  int d, s, n, i, ok_set = 1, ok_move = 1;

  for(d = 0; d < 16; d++){
    for(n = 0; n < 40; n++){
      for(i = 0; i < (int)sizeof(store); i++)
        b[i] = want[i] = (char)i;
      for(i = 0; i < n; i++)
        want[d + i] = (char)0xa5;
      k_memset(b + d, 0xa5, n);
      if(!same(b, want, sizeof(store)))
        ok_set = 0;
      for(s = 0; s < 16; s++){
        for(i = 0; i < (int)sizeof(store); i++)
          b[i] = want[i] = (char)i;
        for(i = 0; i < n; i++)     // what a correct memmove leaves at dst
          want[d + i] = (char)(s + i);
        k_memmove(b + d, b + s, n);
        if(!same(b, want, sizeof(store)))
          ok_move = 0;
      }
    }
  }
  test_cond("memset, any alignment and length", ok_set);
  test_cond("memmove, any alignments, lengths and overlap", ok_move);
}

static void
test_strings(void)
{
  char b[8];

  test_cond("strncmp equal", k_strncmp("hello", "hello", 10) == 0);
  test_cond("strncmp stops at n", k_strncmp("hello", "help", 3) == 0);
  test_cond("strncmp less", k_strncmp("hello", "help", 4) < 0);
  test_cond("strncmp greater", k_strncmp("help", "hello", 4) > 0);
  test_cond("strncmp prefix is less", k_strncmp("he", "hello", 5) < 0);
  test_cond("strncmp n == 0", k_strncmp("a", "b", 0) == 0);
  test_cond("strncmp chars are unsigned", k_strncmp("\xf0", "a", 1) > 0);

  k_memset(b, 'z', 8);
  k_strncpy(b, "ab", 5);
  test_cond("strncpy pads with NULs to n", same(b, "ab\0\0\0zzz", 8));
  k_memset(b, 'z', 8);
  k_strncpy(b, "abcdef", 4);
  test_cond("strncpy does not terminate a long src", same(b, "abcdzzzz", 8));

  k_memset(b, 'z', 8);
  test_cond("safestrcpy returns dst", k_safestrcpy(b, "abcdef", 4) == b);
  test_cond("safestrcpy truncates and terminates", same(b, "abc\0zzzz", 8));
  k_memset(b, 'z', 8);
  k_safestrcpy(b, "ab", 8);
  test_cond("safestrcpy short src", same(b, "ab\0zzzzz", 8));
  k_memset(b, 'z', 8);
  k_safestrcpy(b, "abc", 4);
  test_cond("safestrcpy src exactly fills", same(b, "abc\0zzzz", 8));
  k_memset(b, 'z', 8);
  k_safestrcpy(b, "abc", 1);
  test_cond("safestrcpy n == 1 gives empty string", same(b, "\0zzzzzzz", 8));
  k_memset(b, 'z', 8);
  k_safestrcpy(b, "abc", 0);
  test_cond("safestrcpy n == 0 writes nothing", same(b, "zzzzzzzz", 8));

  test_cond("strlen", k_strlen("hello") == 5);
  test_cond("strlen empty", k_strlen("") == 0);
}

int
main(void)
{
  test_memmove();
  test_words();
  test_memcmp_memset();
  test_strings();
  return test_report();
}
