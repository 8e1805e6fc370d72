// db.c - open the campaign database and run SQL on it (see db.h).
//
// Opening sets WAL mode (readers never block the workers' writers, and a
// killed process loses nothing that was committed), a busy timeout, and
// foreign keys; then creates the schema in an empty database or applies
// the migrations a database lacks, all in one transaction, and adds
// the kernel's object types it lacks (vocab.h).
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "campaign/db.h"
#include "campaign/util.h"
#include "campaign/vocab.h"

static const char *db_path = "";   // for messages

// The file of db's main database, for messages: as it was given to the
// latest db_open() if it is that one, else its absolute path.
static const char *
db_name(sqlite3 *db)
{
  const char *f = sqlite3_db_filename(db, "main");
  static char real[PATH_MAX];

  if(f == NULL || *f == '\0' || (realpath(db_path, real) && strcmp(real, f) == 0))
    return db_path;
  return f;
}

// Returns the handle; the caller closes it with db_close().
sqlite3 *
db_open(const char *path)
{
  sqlite3 *db = NULL;
  int64_t have, latest = 0;
  int rc, i, created = 0;

  db_path = path;
  rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if(rc != SQLITE_OK)
    fatal("cannot open database %s: %s (does its directory exist and is it writable?)",
          path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if(sqlite3_db_readonly(db, "main") == 1)
    fatal("database %s is read-only (check its and its directory's permissions)", path);
  sqlite3_busy_timeout(db, DB_BUSY_MS);
  sqlite3_extended_result_codes(db, 1);
  // journal_mode returns a row; a locked or unwritable file fails here.
  {
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if(rc == SQLITE_OK)
      rc = sqlite3_step(st);
    if(rc != SQLITE_ROW){
      const char *msg = sqlite3_errmsg(db);
      if((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        fatal("database %s is locked by another process (waited %d s)", path, DB_BUSY_MS / 1000);
      fatal("cannot use database %s: %s", path, msg);
    }
    if(strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
      fatal("database %s cannot use WAL mode (is it on a network file system?)", path);
    sqlite3_finalize(st);
  }
  db_exec(db, "PRAGMA synchronous = NORMAL");

  for(i = 0; i < ev6_nmigrations; i++)
    if(ev6_migrations[i].version > latest)
      latest = ev6_migrations[i].version;

  db_begin(db);
  if(db_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'", 0) == 0){
    if(db_int(db, "SELECT count(*) FROM sqlite_master", 0) != 0)
      fatal("%s is not a campaign database (it has tables but no schema_version)", path);
    db_exec(db, ev6_schema_sql);
    created = 1;
  } else {
    have = db_int(db, "SELECT max(version) FROM schema_version", 0);
    if(have > latest)
      fatal("database %s has schema version %lld, newer than this program's %lld: "
            "rebuild ev6-campaign", path, (long long)have, (long long)latest);
    for(i = 0; i < ev6_nmigrations; i++)
      if(ev6_migrations[i].version > have){
        warning("migrating %s to schema version %d (%s)", path,
                ev6_migrations[i].version, ev6_migrations[i].name);
        db_exec(db, ev6_migrations[i].sql);
      }
  }
  object_types_sync(db);
  // A migration may rebuild a table (foreign keys must be off for that,
  // and cannot be switched inside a transaction): check them all now.
  if(db_int(db, "SELECT count(*) FROM pragma_foreign_key_check", 0) != 0)
    fatal("database %s: its rows break foreign keys after migrating; nothing was changed",
          path);
  db_commit(db);
  db_exec(db, "PRAGMA foreign_keys = ON");
  // A new database file stays empty until its first checkpoint, and
  // another process opening it then would not see the schema.
  if(created)
    sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  return db;
}

// Closes a handle from db_open().
void
db_close(sqlite3 *db)
{
  if(db && sqlite3_close(db) != SQLITE_OK)
    warning("closing %s: %s", db_name(db), sqlite3_errmsg(db));
}

// Returns a statement the caller finalizes.
sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql)
{
  sqlite3_stmt *st = NULL;

  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    fatal("%s: SQL error: %s\n  in: %s", db_name(db), sqlite3_errmsg(db), sql);
  return st;
}

// Steps st; the caller still owns (and finalizes) it.
int
db_step(sqlite3_stmt *st)
{
  int rc = sqlite3_step(st);

  if(rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  if((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return SQLITE_BUSY;
  fatal("%s: SQL error: %s\n  in: %s", db_name(sqlite3_db_handle(st)),
        sqlite3_errmsg(sqlite3_db_handle(st)), sqlite3_sql(st));
}

// Runs SQL without results; nothing to free.
int
db_exec(sqlite3 *db, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

  if(rc == SQLITE_OK)
    return SQLITE_OK;
  if((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED){
    sqlite3_free(msg);
    return SQLITE_BUSY;
  }
  fatal("%s: SQL error: %s\n  in: %.400s", db_name(db), msg ? msg : sqlite3_errstr(rc), sql);
}

// Binds a copy of s (SQLITE_TRANSIENT), or NULL.
void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if(s == NULL)
    sqlite3_bind_null(st, i);
  else
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

// Binds an integer.
void
db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
  sqlite3_bind_int64(st, i, v);
}

// Binds v, or NULL when v < 0.
void
db_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
  if(v < 0)
    sqlite3_bind_null(st, i);
  else
    sqlite3_bind_int64(st, i, v);
}

// The first column of the first row as an integer; nothing to free.
int64_t
db_int(sqlite3 *db, const char *sql, int64_t dflt)
{
  return db_int_of(db, sql, 0, dflt);
}

// The same, with ?1 (if sql has it) bound to key.
int64_t
db_int_of(sqlite3 *db, const char *sql, int64_t key, int64_t dflt)
{
  sqlite3_stmt *st = db_prepare(db, sql);
  int64_t v = dflt;
  int rc;

  if(sqlite3_bind_parameter_count(st) > 0)
    sqlite3_bind_int64(st, 1, key);
  rc = db_step(st);
  if(rc == SQLITE_BUSY)
    fatal("database %s is locked by another process (waited %d s)", db_name(db),
          DB_BUSY_MS / 1000);
  if(rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

// Returns a copy of the column's text, which the caller frees, or NULL.
char *
db_col_text(sqlite3_stmt *st, int col)
{
  const unsigned char *t = sqlite3_column_text(st, col);

  return t ? xstrdup((const char *)t) : NULL;
}

// Starts a write transaction or exits.
void
db_begin(sqlite3 *db)
{
  for(int tries = 0; tries < 2; tries++)
    if(db_exec(db, "BEGIN IMMEDIATE") == SQLITE_OK)
      return;
  fatal("database %s is locked by another process (waited %d s)",
        db_name(db), 2 * DB_BUSY_MS / 1000);
}

// Commits or exits.
void
db_commit(sqlite3 *db)
{
  for(int tries = 0; tries < 3; tries++)
    if(db_exec(db, "COMMIT") == SQLITE_OK)
      return;
  fatal("database %s: cannot commit, locked by another process", db_name(db));
}

// Rolls back the open transaction, if any.
void
db_rollback(sqlite3 *db)
{
  if(sqlite3_get_autocommit(db) == 0)
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

// The columns of table in db, as "\nname\nname\n" in sb (owned by the
// caller), in their order; returns how many.
static int
columns(sqlite3 *db, const char *table, struct strbuf *sb)
{
  sqlite3_stmt *st = db_prepare(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  int n = 0;

  db_bind_text(st, 1, table);
  sb_add(sb, "\n", 1);
  while(db_step(st) == SQLITE_ROW){
    sb_addf(sb, "%s\n", (const char *)sqlite3_column_text(st, 0));
    n++;
  }
  sqlite3_finalize(st);
  return n;
}

// Returns the rows copied; nothing for the caller to free.
int
db_copy_rows(sqlite3 *from, sqlite3 *to, const char *table, const char *where,
             int64_t key, const char *omit, const char *set, int64_t set_val)
{
  struct strbuf theirs = {0}, ours = {0}, sel = {0}, ins = {0}, vals = {0};
  sqlite3_stmt *s, *i;
  int n = 0, rows = 0;
  char *c, *next, *pat;

  columns(from, table, &theirs);
  if(columns(to, table, &ours) == 0)
    fatal("%s: no table %s to copy rows into", db_name(to), table);
  sb_addf(&ins, "INSERT INTO \"%s\" (", table);
  for(c = ours.s + 1; *c; c = next){
    next = strchr(c, '\n');
    *next++ = '\0';
    pat = xasprintf("\n%s\n", c);
    if(omit && strcmp(c, omit) == 0)
      ;
    else if(set && strcmp(c, set) == 0){
      sb_addf(&sel, "%s?2", n ? ", " : "");
      sb_addf(&ins, "%s\"%s\"", n ? ", " : "", c);
      sb_addf(&vals, "%s?%d", n ? ", " : "", n + 1);
      n++;
    } else if(strstr(sb_str(&theirs), pat)){   // else it takes its default
      sb_addf(&sel, "%s\"%s\"", n ? ", " : "", c);
      sb_addf(&ins, "%s\"%s\"", n ? ", " : "", c);
      sb_addf(&vals, "%s?%d", n ? ", " : "", n + 1);
      n++;
    }
    free(pat);
  }
  sb_addf(&ins, ") VALUES (%s)", sb_str(&vals));
  pat = xasprintf("SELECT %s FROM \"%s\" WHERE %s", sb_str(&sel), table, where);
  s = db_prepare(from, pat);
  i = db_prepare(to, sb_str(&ins));
  free(pat);
  db_bind_int(s, 1, key);
  if(set)
    db_bind_int(s, 2, set_val);
  while(db_step(s) == SQLITE_ROW){
    sqlite3_reset(i);
    for(int k = 0; k < n; k++)
      sqlite3_bind_value(i, k + 1, sqlite3_column_value(s, k));
    if(db_step(i) == SQLITE_BUSY)
      fatal("database %s is locked by another process", db_name(to));
    rows++;
  }
  sqlite3_finalize(s);
  sqlite3_finalize(i);
  sb_free(&theirs);
  sb_free(&ours);
  sb_free(&sel);
  sb_free(&ins);
  sb_free(&vals);
  return rows;
}
