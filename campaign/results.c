// results.c - read GDB's result lines (see results.h). Each line is given
// to SQLite's json_extract() on a private in-memory connection, opened and
// closed per call (a few hundred microseconds; no connection outlives the
// call, so none crosses a worker's fork).
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/results.h"

// The paths read from each line, in column order.
static const char query[] =
  "SELECT json_valid(?1) AND json_type(?1) = 'object',"
  " json_extract(?1, '$.injected'), json_extract(?1, '$.reached'),"
  " json_extract(?1, '$.error'), json_extract(?1, '$.link'),"
  " json_extract(?1, '$.resolved.ok'), json_extract(?1, '$.landed'),"
  " json_extract(?1, '$.check'), json_extract(?1, '$.trap.confirmed'),"
  " json_extract(?1, '$.trap.guest_stopped'), json_extract(?1, '$.trap.why'),"
  " json_extract(?1, '$.stval'), json_type(?1, '$.expect'),"
  " json_extract(?1, '$.expect.object'), json_extract(?1, '$.expect.index'),"
  " json_extract(?1, '$.where'), json_extract(?1, '$.driver'),"
  " json_extract(?1, '$.fault'), json_extract(?1, '$.expect.why'),"
  " json_extract(?1, '$.expect.reinit'), json_extract(?1, '$.trap.interrupt'),"
  " json_extract(?1, '$.delivery'), json_extract(?1, '$.site_pc')";
enum { C_VALID, C_INJECTED, C_REACHED, C_ERROR, C_LINK, C_RESOLVED, C_LANDED, C_CHECK,
       C_TRAP, C_STOPPED, C_WHY, C_STVAL, C_EXPECT, C_EXPECT_OBJECT, C_EXPECT_INDEX,
       C_WHERE, C_DRIVER, C_FAULT, C_EXPECT_WHY, C_EXPECT_REINIT, C_INTERRUPT,
       C_DELIVERY, C_SITE_PC };

// A JSON boolean column as 1, 0 or -1 (absent or not a boolean).
static int
flag(sqlite3_stmt *st, int col)
{
  if(sqlite3_column_type(st, col) != SQLITE_INTEGER)
    return -1;
  return sqlite3_column_int(st, col) != 0;
}

// A text column into buf (size > 0), cut short; "" if absent.
static void
text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
  const unsigned char *s = sqlite3_column_text(st, col);

  snprintf(buf, size, "%s", s && sqlite3_column_type(st, col) == SQLITE_TEXT ?
           (const char *)s : "");
}

// Fill *d from the row st stepped to.
static void
take(sqlite3_stmt *st, struct delivered *d)
{
  char stval[32];

  d->injected = flag(st, C_INJECTED);
  d->reached = flag(st, C_REACHED);
  text(st, C_ERROR, d->error, sizeof(d->error));
  text(st, C_LINK, d->link, sizeof(d->link));
  d->resolved = flag(st, C_RESOLVED);
  d->landed = flag(st, C_LANDED);
  text(st, C_CHECK, d->check, sizeof(d->check));
  d->trap = flag(st, C_TRAP);
  d->guest_stopped = flag(st, C_STOPPED);
  text(st, C_WHY, d->trap_why, sizeof(d->trap_why));
  text(st, C_STVAL, stval, sizeof(stval));
  if(stval[0]){
    char *end;
    d->stval = strtoull(stval, &end, 16);
    d->has_stval = *end == '\0';
  }
  d->has_expect = sqlite3_column_type(st, C_EXPECT) == SQLITE_TEXT &&
                  strcmp((const char *)sqlite3_column_text(st, C_EXPECT), "object") == 0;
  text(st, C_EXPECT_OBJECT, d->expect_object, sizeof(d->expect_object));
  d->expect_index = sqlite3_column_type(st, C_EXPECT_INDEX) == SQLITE_INTEGER ?
                    sqlite3_column_int64(st, C_EXPECT_INDEX) : -1;
  text(st, C_WHERE, d->where, sizeof(d->where));
  text(st, C_DRIVER, d->driver, sizeof(d->driver));
  text(st, C_FAULT, d->fault, sizeof(d->fault));
  text(st, C_EXPECT_WHY, d->expect_why, sizeof(d->expect_why));
  text(st, C_DELIVERY, d->delivery, sizeof(d->delivery));
  text(st, C_SITE_PC, d->site_pc, sizeof(d->site_pc));
  d->expect_reinit = sqlite3_column_type(st, C_EXPECT_REINIT) == SQLITE_INTEGER ?
                     sqlite3_column_int(st, C_EXPECT_REINIT) : -1;
  text(st, C_INTERRUPT, d->interrupt, sizeof(d->interrupt));
}

int
results_parse(const char *all, struct results *r)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  const char *s, *nl;

  memset(r, 0, sizeof(*r));
  if(all == NULL || *all == '\0')
    return 0;
  if(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
     sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK){
    sqlite3_close(db);
    return -1;
  }
  for(s = all; *s; s = nl ? nl + 1 : s + strlen(s)){
    size_t n;
    nl = strchr(s, '\n');
    n = nl ? (size_t)(nl - s) : strlen(s);
    if(strspn(s, " \t\r") >= n)
      continue;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, s, (int)n, SQLITE_STATIC);
    if(sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_int(st, C_VALID)){
      r->unparsed++;
      continue;
    }
    if(r->n == MAX_ERRORS)
      continue;
    take(st, &r->line[r->n]);
    if(r->line[r->n].injected == 1)
      r->injected++;
    r->n++;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
