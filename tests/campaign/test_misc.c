// test_misc.c - the small pieces: SHA-256 against FIPS 180-4's examples,
// JSON writing and the "injected" check, the job file, workload program
// names, command-line quoting, number parsing, the snapshot of the inputs.
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campaign/campaign.h"
#include "campaign/db.h"
#include "campaign/jobfile.h"
#include "campaign/results.h"
#include "campaign/rundir.h"
#include "campaign/sha256.h"
#include "campaign/snapshot.h"
#include "campaign/util.h"
#include "tests/campaign/check.h"

static void
digest(const char *msg, size_t repeat, const char *want)
{
  struct sha256 c;
  char hex[65];

  sha256_init(&c);
  for(size_t i = 0; i < repeat; i++)
    sha256_update(&c, msg, strlen(msg));
  sha256_hex(&c, hex);
  same_str(hex, want, "sha256");
}

static void
test_sha256(void)
{
  digest("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  digest("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  digest("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void
test_json(void)
{
  struct strbuf sb = {0};
  sqlite3 *mem;
  struct job j;
  char *text;

  json_string(&sb, "a\"b\\c\nd");
  same_str(sb_str(&sb), "\"a\\\"b\\\\c\\u000ad\"", "json_string escapes");
  sb_free(&sb);

  // GDB's result lines, by SQLite's JSON functions: nested keys and
  // values that name a key are not the key.
  {
    struct results r;

    results_parse("{\"injected\": true, \"hart\": 0}\n{\"injected\":true}\n"
                  "{\"injected\": false}\n{\"note\": \"injected\", \"x\": true}\n"
                  "{\"trap\": {\"injected\": true}}\nnot json\n[1]\n\n", &r);
    check(r.n == 5 && r.injected == 2 && r.unparsed == 2,
          "result lines: %d read, %d injected, %d unparsed", r.n, r.injected, r.unparsed);
    check(r.line[2].injected == 0 && r.line[3].injected == -1 && r.line[4].injected == -1,
          "false, absent, nested");
    results_parse("{\"ok\": false, \"reached\": false, \"error\": \"a \\\"b\\\" c\\u00e9\"}\n"
                  "{\"reached\": true}\n{\"ok\": false}\n", &r);
    check(r.line[0].reached == 0 && r.line[1].reached == 1 && r.line[2].reached == -1,
          "reached false, true, absent");
    same_str(r.line[0].error, "a \"b\" c\xc3\xa9", "unescaped error (UTF-8)");
    results_parse("{\"injected\": true, \"stval\": \"0x80012340\", \"landed\": true,"
                  " \"resolved\": {\"ok\": true}, \"trap\": {\"confirmed\": false,"
                  " \"guest_stopped\": true, \"why\": \"gone\"},"
                  " \"expect\": {\"object\": \"buf\", \"index\": 7}}\n"
                  "{\"injected\": true, \"stval\": \"0x1x\", \"expect\": null}\n", &r);
    check(r.line[0].has_stval && r.line[0].stval == 0x80012340ULL && r.line[0].landed == 1 &&
          r.line[0].resolved == 1 && r.line[0].trap == 0 && r.line[0].guest_stopped == 1,
          "evidence fields");
    check(r.line[0].has_expect && strcmp(r.line[0].expect_object, "buf") == 0 &&
          r.line[0].expect_index == 7, "expect");
    check(!r.line[1].has_stval && !r.line[1].has_expect, "bad stval, null expect");
    check(results_parse(NULL, &r) == 0 && r.n == 0, "no result file");
  }

  memset(&j, 0, sizeof(j));
  j.id = 7; j.campaign = 1; j.attempt = 1; j.mode = 1; j.rep = 1; j.seed = 99;
  j.sc.file = "configs/x.ini"; j.sc.name = "buf-\"q\""; j.sc.object = "buf";
  j.sc.site = "bget"; j.sc.hit = 3; j.sc.target = "field:lock"; j.sc.corrupt = "flip";
  j.sc.corrupt_n = 2; j.sc.delivery = "breakpoint"; j.sc.workload = "cat README.md";
  j.sc.cpus = 3; j.sc.harts_at_once = 1; j.sc.during_recovery = "log";
  j.sc.during_hart = "other"; j.sc.recovery_site = "cons_recover"; j.sc.during_site = "begin_op";
  text = job_json(&j, "/abs/kernel", "/tmp/x/gdb.sock", "/tmp/x/gdb.ready", 120);
  sqlite3_open(":memory:", &mem);
  {
    sqlite3_stmt *st = db_prepare(mem,
      "SELECT json_valid(?1), json_extract(?1, '$.hit'), json_extract(?1, '$.mode'),"
      " json_extract(?1, '$.ev6_mode'), json_extract(?1, '$.workload_program'),"
      " json_extract(?1, '$.second_site') IS NULL, json_extract(?1, '$.during_recovery'),"
      " json_extract(?1, '$.scenario'), json_extract(?1, '$.socket'),"
      " json_extract(?1, '$.during_hart'), json_extract(?1, '$.recovery_site'),"
      " json_extract(?1, '$.during_site'), json_extract(?1, '$.target.base'),"
      " json_extract(?1, '$.target.selector'), json_extract(?1, '$.target.field'),"
      " json_extract(?1, '$.target_text'), json_extract(?1, '$.ready')");
    db_bind_text(st, 1, text);
    check(db_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1, "job file is JSON");
    check(sqlite3_column_int(st, 1) == 3, "hit");
    same_str((const char *)sqlite3_column_text(st, 2), "aggressive", "mode");
    check(sqlite3_column_int(st, 3) == 1, "ev6_mode");
    same_str((const char *)sqlite3_column_text(st, 4), "cat", "workload_program");
    check(sqlite3_column_int(st, 5) == 1, "absent second_site is null");
    same_str((const char *)sqlite3_column_text(st, 6), "log", "during_recovery");
    same_str((const char *)sqlite3_column_text(st, 7), "buf-\"q\"", "escaped scenario");
    same_str((const char *)sqlite3_column_text(st, 8), "/tmp/x/gdb.sock", "socket");
    same_str((const char *)sqlite3_column_text(st, 9), "other", "during_hart");
    same_str((const char *)sqlite3_column_text(st, 10), "cons_recover", "recovery_site");
    same_str((const char *)sqlite3_column_text(st, 11), "begin_op", "during_site");
    same_str((const char *)sqlite3_column_text(st, 12), "site", "target taken apart: base");
    same_str((const char *)sqlite3_column_text(st, 13), "field", "selector");
    same_str((const char *)sqlite3_column_text(st, 14), "lock", "field");
    same_str((const char *)sqlite3_column_text(st, 15), "field:lock", "target as written");
    same_str((const char *)sqlite3_column_text(st, 16), "/tmp/x/gdb.ready", "ready file");
    sqlite3_finalize(st);
  }
  sqlite3_close(mem);
  free(text);
}

static void
test_small(void)
{
  char *s;
  long v;
  char *argv[] = { "ev6-campaign", "-j", "2", "it's", "a b", NULL };

  s = workload_program("  mkdir d ; cd d");
  same_str(s, "mkdir", "workload program");
  free(s);
  s = workload_program("echo hi|wc");
  same_str(s, "echo", "program before a pipe");
  free(s);

  s = command_line(5, argv);
  same_str(s, "ev6-campaign -j 2 'it'\\''s' 'a b'", "command line quoting");
  free(s);

  check(parse_long("42", 1, 100, &v) == 0 && v == 42, "parse 42");
  check(parse_long("", 1, 100, &v) < 0, "empty is not a number");
  check(parse_long("4x", 1, 100, &v) < 0, "trailing junk");
  check(parse_long("101", 1, 100, &v) < 0, "out of range");
  check(parse_long("99999999999999999999", 1, 100, &v) < 0, "overflow");
}

// A snapshot holds equal, read-only copies that do not follow later changes
// of the originals, and is gone after snapshot_remove().
static void
test_snapshot(void)
{
  char *src = scratch_path("snap"), *scripts = scratch_path("snap/scripts");
  char *kernel = scratch_path("snap/kernel"), *fs = scratch_path("snap/fs.img");
  char *py = scratch_path("snap/scripts/inject.py"), *other = scratch_path("snap/scripts/b.py");
  char *copy_other, want[65], got[65], dir[PATH_MAX], err[200];
  struct snapshot s;
  struct stat st;

  check(mkdir(src, 0700) == 0 && mkdir(scripts, 0700) == 0, "snapshot: scratch dirs");
  check(rundir_write(kernel, "ELF", err, sizeof(err)) == 0 &&
        rundir_write(fs, "blocks", err, sizeof(err)) == 0 &&
        rundir_write(py, "import b\n", err, sizeof(err)) == 0 &&
        rundir_write(other, "x = 1\n", err, sizeof(err)) == 0, "snapshot: originals");
  snapshot_take(&s, kernel, fs, py);
  snprintf(dir, sizeof(dir), "%s", s.dir);
  sha256_file(fs, want);
  check(sha256_file(s.fs_image, got) == 0 && strcmp(got, want) == 0, "snapshot: image copied");
  check(stat(s.fs_image, &st) == 0 && (st.st_mode & 0222) == 0, "snapshot: image read-only");
  check(strstr(s.gdb_script, "/gdbscripts/inject.py") != NULL, "snapshot: script %s",
        s.gdb_script);
  copy_other = xasprintf("%s/gdbscripts/b.py", s.dir);
  check(access(copy_other, R_OK) == 0, "snapshot: the script's modules copied");
  rundir_write(fs, "rebuilt by make", err, sizeof(err));
  check(sha256_file(s.fs_image, want) == 0 && strcmp(got, want) == 0,
        "snapshot: the copy does not follow the original");
  snapshot_remove(&s);
  check(access(dir, F_OK) != 0, "snapshot: %s removed", dir);
  free(copy_other);
  free(src); free(scripts); free(kernel); free(fs); free(py); free(other);
}

void
test_misc(void)
{
  test_sha256();
  test_json();
  test_small();
  test_snapshot();
}
