// db.h - the campaign database: opening it (WAL, busy timeout, foreign
// keys, schema created or migrated), and the one way to run SQL.
//
// All SQL goes through db_prepare(), which reports the statement's text if
// it fails; statements are always finalized by the code that prepared
// them. Errors that mean the program or the database is broken are fatal
// (exit 1 with the SQL and SQLite's message); SQLITE_BUSY after the busy
// timeout is returned to callers that can wait and retry.
#ifndef CAMPAIGN_DB_H
#define CAMPAIGN_DB_H

#include <sqlite3.h>
#include <stdint.h>

#define DB_BUSY_MS 10000        // how long one statement waits for a lock

// Open (creating if need be) the database at path and bring its schema up
// to date. Exits with a message naming path if it cannot be opened or
// written, is locked for longer than DB_BUSY_MS, or is newer than this
// program. The caller owns the handle and closes it with db_close().
sqlite3 *db_open(const char *path);
void db_close(sqlite3 *db);

// Prepare sql or exit naming it. The caller finalizes the statement.
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);

// Step st. Returns SQLITE_ROW, SQLITE_DONE or SQLITE_BUSY; any other
// result exits naming the statement.
int db_step(sqlite3_stmt *st);

// Run SQL that returns no rows; exits on any error but SQLITE_BUSY, which
// it returns. Returns SQLITE_OK otherwise.
int db_exec(sqlite3 *db, const char *sql);

// Bind helpers: NULL text, and negative "optional" integers, bind NULL.
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
void db_bind_int(sqlite3_stmt *st, int i, int64_t v);
void db_bind_opt(sqlite3_stmt *st, int i, int64_t v);  // v < 0 -> NULL

// The integer in the first column of the only row of sql, or dflt if the
// query returns no row or NULL.
int64_t db_int(sqlite3 *db, const char *sql, int64_t dflt);

// The same with ?1 bound to key.
int64_t db_int_of(sqlite3 *db, const char *sql, int64_t key, int64_t dflt);

// Column text as a new string the caller frees (NULL for NULL).
char *db_col_text(sqlite3_stmt *st, int col);

// Copy the rows of table for which `where` holds (SQL over the table's
// columns, with ?1 bound to key) from one database to another that has the
// table: the columns both have, but omit (NULL: none), and column set
// (NULL: none) taking set_val instead. Returns the number of rows copied;
// the last one's rowid is sqlite3_last_insert_rowid(to). Exits on an SQL
// error, or if `to` stays locked.
int db_copy_rows(sqlite3 *from, sqlite3 *to, const char *table, const char *where,
                 int64_t key, const char *omit, const char *set, int64_t set_val);

// BEGIN IMMEDIATE, waiting two busy timeouts; exits if the database
// stays locked. Every begin is followed by db_commit or db_rollback.
void db_begin(sqlite3 *db);
void db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

// The schema this program creates and the migrations it can apply
// (generated from db/schema.sql and db/migrations/*.sql at build time).
struct migration {
  int version;
  const char *name;
  const char *sql;
};
extern const char ev6_schema_sql[];
extern const struct migration ev6_migrations[];
extern const int ev6_nmigrations;

#endif
