// target.c - parse a scenario's target and write it for GDB (see target.h).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/jobfile.h"
#include "campaign/target.h"
#include "campaign/util.h"

#define LETTERS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
#define DIGITS "0123456789"

// Length of a NAME at s (a C identifier), or 0.
static size_t
name_len(const char *s)
{
  size_t n = strspn(s, LETTERS);

  return n ? n + strspn(s + n, LETTERS DIGITS) : 0;
}

// Length of one ROLE at s ("name=WORD" or "sleeping=NAME"), or 0.
static size_t
role_len(const char *s)
{
  size_t n;

  if(strncmp(s, "name=", 5) == 0){
    n = strspn(s + 5, LETTERS DIGITS ".-");
    return n ? 5 + n : 0;
  }
  if(strncmp(s, "sleeping=", 9) == 0){
    n = name_len(s + 9);
    return n ? 9 + n : 0;
  }
  return 0;
}

// Length of "[block=N]" at s (a buffer named by the block it holds), or 0.
static size_t
block_len(const char *s)
{
  size_t n;
  long block;
  char num[16];

  if(strncmp(s, "[block=", 7) != 0)
    return 0;
  n = strspn(s + 7, DIGITS);
  if(n == 0 || n >= sizeof(num) || s[7 + n] != ']')
    return 0;
  snprintf(num, sizeof(num), "%.*s", (int)n, s + 7);
  return parse_long(num, 0, INT32_MAX, &block) == 0 ? n + 8 : 0;
}

// Length of "[N]", or with roles also of "[ROLE,ROLE...]" or "[block=N]",
// at s; or 0.
static size_t
index_len(const char *s, int roles)
{
  size_t n, r;

  if(*s != '[')
    return 0;
  n = strspn(s + 1, DIGITS);
  if(n || !roles)
    return n && s[1 + n] == ']' ? n + 2 : 0;
  if((n = block_len(s)) != 0)
    return n;
  for(n = 1; (r = role_len(s + n)) != 0; n++){
    n += r;
    if(s[n] == ']')
      return n + 1;
    if(s[n] != ',')
      return 0;
  }
  return 0;
}

// Is s a C expression naming kernel memory (BASE's EXPR)?
static int
is_expr(const char *s)
{
  size_t n = name_len(s);

  if(n == 0)
    return 0;
  for(s += n; *s; s += n){
    if(*s == '.' || (s[0] == '-' && s[1] == '>')){
      s += *s == '.' ? 1 : 2;
      n = name_len(s);
    } else
      n = index_len(s, 1);
    if(n == 0)
      return 0;
  }
  return 1;
}

// Is s a member path (SELECTOR's PATH): NAME[N].NAME...?
static int
is_path(const char *s)
{
  size_t n;

  for(;;){
    if((n = name_len(s)) == 0)
      return 0;
    s += n;
    s += index_len(s, 0);
    if(*s == '\0')
      return 1;
    if(*s++ != '.')
      return 0;
  }
}

// A user virtual address, decimal or 0x-hex, below Sv39's 2^38 (MAXVA):
// 0 or -1.
static int
user_va(const char *s, long *va)
{
  char *end;

  if(strncmp(s, "0x", 2) != 0)
    return parse_long(s, 0, (1L << 38) - 1, va);
  if(s[2] == '\0' || strspn(s + 2, DIGITS "abcdefABCDEF") != strlen(s + 2) ||
     strlen(s + 2) > 10)
    return -1;
  *va = strtol(s + 2, &end, 16);
  return *va < (1L << 38) ? 0 : -1;
}

// Parse the UROLEs of "user[...]" (s is past the bracket) into *t; 0 or -1.
static int
parse_user(const char *s, struct target *t)
{
  long va;
  size_t n;

  snprintf(t->uva, sizeof(t->uva), "pc");
  for(;;){
    n = strcspn(s, ",]");
    if(strncmp(s, "name=", 5) == 0 && n > 5 && n - 5 < sizeof(t->uname) &&
       strspn(s + 5, LETTERS DIGITS ".-") == n - 5){
      snprintf(t->uname, sizeof(t->uname), "%.*s", (int)(n - 5), s + 5);
    } else if(strncmp(s, "va=", 3) == 0 && n > 3 && n - 3 < sizeof(t->uva)){
      char *num = xstrdup(s + 3);
      num[n - 3] = '\0';
      if(strcmp(num, "pc") == 0 || strcmp(num, "sp") == 0)
        snprintf(t->uva, sizeof(t->uva), "%s", num);
      else if(user_va(num, &va) == 0)
        snprintf(t->uva, sizeof(t->uva), "0x%lx", va);
      else
        n = 0;
      free(num);
      if(n == 0)
        return -1;
    } else
      return -1;
    s += n;
    if(*s == ']')
      return s[1] == '\0' && t->uname[0] ? 0 : -1;
    if(*s++ != ',')
      return -1;
  }
}

// Parse a BASE into *t; 0 or -1.
static int
parse_base(const char *s, struct target *t)
{
  if(strncmp(s, "user[", 5) == 0){
    t->base = BASE_USER;
    return parse_user(s + 5, t);
  }
  if(strcmp(s, "fi_trap") == 0){
    t->base = BASE_FI_TRAP;
    return 0;
  }
  if(strncmp(s, "arg", 3) == 0 && s[3] >= '0' && s[3] <= '7' && s[4] == '\0'){
    t->base = BASE_ARG;
    t->arg = s[3] - '0';
    return 0;
  }
  if(strncmp(s, "global:", 7) == 0 && is_expr(s + 7) && strlen(s + 7) < sizeof(t->expr)){
    t->base = BASE_GLOBAL;
    snprintf(t->expr, sizeof(t->expr), "%s", s + 7);
    return 0;
  }
  return -1;
}

// Parse a SELECTOR into *t; 0 or -1.
static int
parse_selector(const char *s, struct target *t)
{
  if(strcmp(s, "object") == 0){
    t->sel = SEL_OBJECT;
    return 0;
  }
  if(s[0] == 'L' && s[1] >= '0' && s[1] <= '2' && s[2] == '\0'){
    t->sel = SEL_LEVEL;
    t->level = s[1] - '0';
    return 0;
  }
  if(strncmp(s, "offset:", 7) == 0 && parse_long(s + 7, 0, (1L << 20) - 1, &t->offset) == 0){
    t->sel = SEL_OFFSET;
    return 0;
  }
  if(strncmp(s, "field:", 6) == 0 && is_path(s + 6) && strlen(s + 6) < sizeof(t->path)){
    t->sel = SEL_FIELD;
    snprintf(t->path, sizeof(t->path), "%s", s + 6);
    return 0;
  }
  return -1;
}

int
target_parse(const char *text, struct target *t, char *why, size_t n)
{
  const char *semi = strchr(text, ';');
  int ok;

  memset(t, 0, sizeof(*t));
  if(semi){
    char *base = xstrdup(text);
    base[semi - text] = '\0';
    ok = parse_base(base, t) == 0 && parse_selector(semi + 1, t) == 0;
    free(base);
  } else
    ok = parse_base(text, t) == 0 || parse_selector(text, t) == 0;
  if(!ok)
    snprintf(why, n, "bad target '%s' (expected BASE, SELECTOR or BASE;SELECTOR; BASE is "
             "fi_trap, arg0..arg7 or global:EXPR (EXPR may pick a process by role: "
             "proc[name=wc], proc[sleeping=wait], or a buffer by its block: "
             "bcache.buf[block=N]) or user[name=WORD,va=pc|sp|N]; SELECTOR "
             "is object, field:A.B[N], offset:N or L2/L1/L0; see campaign/target.h)", text);
  return ok ? 0 : -1;
}

// Appends to sb (owned by the caller).
void
target_json(struct strbuf *sb, const struct target *t)
{
  static const char *const bases[] = { "site", "fi_trap", "arg", "global", "user" };
  static const char *const sels[] = { "object", "field", "offset", "level" };

  sb_addf(sb, "{\"base\": \"%s\"", bases[t->base]);
  if(t->base == BASE_ARG)
    sb_addf(sb, ", \"arg\": %d", t->arg);
  if(t->base == BASE_GLOBAL){
    sb_addf(sb, ", \"expr\": ");
    json_string(sb, t->expr);
  }
  if(t->base == BASE_USER){
    sb_addf(sb, ", \"name\": ");
    json_string(sb, t->uname);
    sb_addf(sb, ", \"va\": ");
    json_string(sb, t->uva);
  }
  sb_addf(sb, ", \"selector\": \"%s\"", sels[t->sel]);
  if(t->sel == SEL_FIELD){
    sb_addf(sb, ", \"field\": ");
    json_string(sb, t->path);
  }
  if(t->sel == SEL_OFFSET)
    sb_addf(sb, ", \"offset\": %ld", t->offset);
  if(t->sel == SEL_LEVEL)
    sb_addf(sb, ", \"level\": %d", t->level);
  sb_add(sb, "}", 1);
}
