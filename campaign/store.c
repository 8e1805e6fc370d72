// store.c - one transaction per run (see store.h). The console is parsed
// again here, line by line, for the ev6_events and test_results rows;
// GDB's JSON lines are taken apart by SQLite's JSON functions, and a line
// that is not JSON is kept as {"unparsed": "..."} rather than lost.
#include <string.h>
#include <sys/wait.h>

#include "campaign/console.h"
#include "campaign/db.h"
#include "campaign/store.h"
#include "campaign/util.h"

struct lines_ctx {
  sqlite3_stmt *ev, *test, *finding;
  int64_t run;
  size_t workload_at, survival_at;
  int nev, ntest[2], nfinding;
};

// The member of set equal to s (a static string), or NULL.
static const char *
known(const char *s, const char *const *set)
{
  for(; *set; set++)
    if(strcmp(s, *set) == 0)
      return *set;
  return NULL;
}

// console_lines() callback: one ev6_events, test_results or
// audit_findings row.
static int
store_line(const char *line, size_t off, void *arg)
{
  static const char *const events[] = { "recovered", "failstop", NULL };
  static const char *const exits[] = { "SF", "PK", "FS", "none", NULL };
  struct lines_ctx *c = arg;
  struct ev6_line e;
  struct usertest_line t;
  struct audit_line a;
  const char *ev;
  int phase;

  if(console_kind(line) == LINE_VIOLATION && parse_audit(line, &a) == 0){
    sqlite3_reset(c->finding);
    db_bind_int(c->finding, 1, c->run);
    db_bind_int(c->finding, 2, ++c->nfinding);
    db_bind_text(c->finding, 3, a.object[0] ? a.object : NULL);
    db_bind_opt(c->finding, 4, a.idx);
    db_bind_text(c->finding, 5, a.check[0] ? a.check : NULL);
    db_bind_text(c->finding, 6, a.detail[0] ? a.detail : NULL);
    db_bind_text(c->finding, 7, line);
    db_step(c->finding);
    return 0;
  }

  if(parse_ev6(line, &e) == 0){
    ev = known(e.event, events);
    sqlite3_reset(c->ev);
    db_bind_int(c->ev, 1, c->run);
    db_bind_int(c->ev, 2, ++c->nev);
    db_bind_text(c->ev, 3, ev ? ev : "other");
    db_bind_text(c->ev, 4, e.object[0] ? e.object : NULL);
    db_bind_opt(c->ev, 5, e.idx);
    db_bind_text(c->ev, 6, e.address[0] ? e.address : NULL);
    db_bind_text(c->ev, 7, e.site[0] ? e.site : NULL);
    db_bind_text(c->ev, 8, e.strategy[0] ? e.strategy : NULL);
    db_bind_text(c->ev, 9, known(e.exit, exits));
    db_bind_text(c->ev, 10, e.mode[0] ? e.mode : NULL);
    db_bind_text(c->ev, 11, e.reason[0] ? e.reason : NULL);
    db_bind_opt(c->ev, 12, e.cost);
    db_bind_text(c->ev, 13, line);
    db_step(c->ev);
  } else if(c->workload_at != NOPOS && off >= c->workload_at &&
            parse_usertest(line, &t) == 0){
    phase = c->survival_at != NOPOS && off >= c->survival_at;
    sqlite3_reset(c->test);
    db_bind_int(c->test, 1, c->run);
    db_bind_text(c->test, 2, phase ? "survival" : "workload");
    db_bind_int(c->test, 3, ++c->ntest[phase]);
    db_bind_text(c->test, 4, t.name);
    db_bind_text(c->test, 5, t.pass ? "pass" : "fail");
    db_bind_opt(c->test, 6, t.ticks);
    db_step(c->test);
  }
  return 0;
}

// The run's evidence chain, one run_evidence row per link.
static void
store_evidence(sqlite3 *db, int64_t run, const struct verdict *v)
{
  sqlite3_stmt *st = db_prepare(db,
    "INSERT INTO run_evidence (run, error, link, state, detail) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (run, error, link) DO NOTHING");

  for(int i = 0; i < v->nlinks; i++){
    const struct link_row *l = &v->links[i];
    sqlite3_reset(st);
    db_bind_int(st, 1, run);
    db_bind_int(st, 2, l->error);
    db_bind_text(st, 3, link_names[l->link]);
    db_bind_text(st, 4, link_state_names[l->state]);
    db_bind_text(st, 5, l->detail[0] ? l->detail : NULL);
    db_step(st);
  }
  sqlite3_finalize(st);
}

// One console_logs row (the console always; other streams if not empty).
static void
store_log(sqlite3 *db, int64_t run, const char *stream, const struct strbuf *sb)
{
  sqlite3_stmt *st;

  if(sb->len == 0 && strcmp(stream, "console") != 0)
    return;
  st = db_prepare(db, "INSERT INTO console_logs (run, stream, text) VALUES (?1, ?2, ?3)");
  db_bind_int(st, 1, run);
  db_bind_text(st, 2, stream);
  sqlite3_bind_text(st, 3, sb_str(sb), (int)sb->len, SQLITE_TRANSIENT);
  db_step(st);
  sqlite3_finalize(st);
}

// One injections row per non-blank line GDB wrote.
static void
store_injections(sqlite3 *db, int64_t run, const struct strbuf *results)
{
  sqlite3_stmt *st = db_prepare(db,
    "INSERT INTO injections (run, seq, raw, injected, hart, pc, function, object,"
    " address, size, before, after)"
    " SELECT ?1, ?2, j, json_extract(j, '$.injected'), json_extract(j, '$.hart'),"
    "  json_extract(j, '$.pc'), json_extract(j, '$.function'),"
    "  json_extract(j, '$.object'),"
    "  coalesce(json_extract(j, '$.address'), json_extract(j, '$.addr')),"
    "  json_extract(j, '$.size'), json_extract(j, '$.before'),"
    "  json_extract(j, '$.after')"
    " FROM (SELECT CASE WHEN json_valid(?3) AND json_type(?3) = 'object' THEN ?3"
    "       ELSE json_object('unparsed', ?3) END AS j)");
  const char *s = sb_str(results), *nl;
  int seq = 0;

  for(; *s; s = nl ? nl + 1 : s + strlen(s)){
    size_t n;
    nl = strchr(s, '\n');
    n = nl ? (size_t)(nl - s) : strlen(s);
    if(n == 0 || strspn(s, " \t\r") >= n)
      continue;
    sqlite3_reset(st);
    db_bind_int(st, 1, run);
    db_bind_int(st, 2, ++seq);
    sqlite3_bind_text(st, 3, s, (int)n, SQLITE_TRANSIENT);
    db_step(st);
  }
  sqlite3_finalize(st);
}

// Returns the new run id; nothing to free.
int64_t
store_run(sqlite3 *db, const struct job *j, const struct runresult *rr,
          const struct verdict *v, pid_t worker, int64_t replay_of)
{
  const struct evidence *ev = &rr->ev;
  struct lines_ctx c = {0};
  sqlite3_stmt *st;
  int64_t run;

  db_begin(db);
  st = db_prepare(db,
    "INSERT INTO runs (job, replay_of, attempt, worker_pid, started, outcome, exit,"
    " survived, injected, hang_phase, verdict, boot_ms, reach_ms, recovery_ms,"
    " survival_ms, total_ms, qemu_status, qemu_signal, gdb_status, fsck_status,"
    " workload_at, survival_at, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " ?17, ?18, ?19, ?20, ?21, ?22, ?23)");
  db_bind_int(st, 1, j->id);
  db_bind_opt(st, 2, replay_of ? replay_of : -1);
  db_bind_int(st, 3, j->attempt);
  db_bind_int(st, 4, worker);
  db_bind_text(st, 5, rr->started[0] ? rr->started : "unknown");
  db_bind_text(st, 6, v->outcome);
  db_bind_text(st, 7, v->exit);
  db_bind_int(st, 8, v->survived);
  db_bind_int(st, 9, ev->injected);
  db_bind_text(st, 10, v->hang_phase);
  db_bind_text(st, 11, v->check < 0 ? NULL : v->check ? "pass" : "fail");
  db_bind_opt(st, 12, rr->boot_ms);
  db_bind_opt(st, 13, rr->reach_ms);
  db_bind_opt(st, 14, rr->recovery_ms);
  db_bind_opt(st, 15, rr->survival_ms);
  db_bind_int(st, 16, rr->total_ms);
  db_bind_opt(st, 17, ev->qemu_exited ? ev->qemu_status : -1);
  db_bind_opt(st, 18, ev->qemu_signal ? ev->qemu_signal : -1);
  db_bind_opt(st, 19, ev->gdb_status);
  db_bind_opt(st, 20, ev->fsck_status);
  db_bind_opt(st, 21, ev->workload_at == NOPOS ? -1 : (int64_t)ev->workload_at);
  db_bind_opt(st, 22, ev->survival_at == NOPOS ? -1 : (int64_t)ev->survival_at);
  db_bind_text(st, 23, v->detail[0] ? v->detail : NULL);
  db_step(st);
  sqlite3_finalize(st);
  run = sqlite3_last_insert_rowid(db);

  store_injections(db, run, &rr->results);

  c.run = run;
  c.workload_at = ev->workload_at;
  c.survival_at = ev->survival_at;
  c.ev = db_prepare(db,
    "INSERT INTO ev6_events (run, seq, event, object, idx, address, site, strategy,"
    " exit, mode, reason, cost, line)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  c.test = db_prepare(db,
    "INSERT INTO test_results (run, phase, seq, name, result, ticks)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  c.finding = db_prepare(db,
    "INSERT INTO audit_findings (run, seq, object, idx, invariant, detail, line)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  console_lines(sb_str(&rr->console), 0, rr->console.len, store_line, &c);
  sqlite3_finalize(c.ev);
  sqlite3_finalize(c.test);
  sqlite3_finalize(c.finding);
  store_evidence(db, run, v);
  if(v->driver_run && j->sc.detector){
    st = db_prepare(db,
      "INSERT INTO run_driver (run, detector, why, restart, detect_us, restart_us)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    db_bind_int(st, 1, run);
    db_bind_text(st, 2, j->sc.detector);
    db_bind_text(st, 3, v->has_drv ? v->drv.why : NULL);
    db_bind_text(st, 4, !v->has_drv ? NULL : v->drv.reinit == 1 ? "reinit" : "software");
    db_bind_opt(st, 5, v->has_drv ? v->drv.detect_us : -1);
    db_bind_opt(st, 6, v->has_drv ? v->drv.restart_us : -1);
    db_step(st);
    sqlite3_finalize(st);
  }

  store_log(db, run, "console", &rr->console);
  store_log(db, run, "gdb", &rr->gdblog);
  store_log(db, run, "fsck", &rr->fscklog);
  store_log(db, run, "hang", &rr->hang);

  if(replay_of == 0){
    int again = strcmp(v->outcome, "harness-error") == 0 && j->attempt < MAX_ATTEMPTS;
    st = db_prepare(db,
      "UPDATE jobs SET state = ?2, lease_pid = NULL, lease_time = NULL"
      " WHERE id = ?1 AND state = 'leased' AND lease_pid = ?3");
    db_bind_int(st, 1, j->id);
    db_bind_text(st, 2, again ? "queued" : "done");
    db_bind_int(st, 3, worker);
    db_step(st);
    if(sqlite3_changes(db) == 0)
      warning("job %lld was no longer leased to %d; its run %lld is kept",
              (long long)j->id, (int)worker, (long long)run);
    sqlite3_finalize(st);
  }
  db_commit(db);
  return run;
}
