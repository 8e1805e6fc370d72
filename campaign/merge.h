// merge.h - merge shard databases (shard.h) into the campaign database.
//
// A merge takes, from one published shard, every job the shard has done:
// each of its runs (a harness-error attempt and the run after it, as a
// local worker would leave them) is copied with everything that refers to
// it (the injections, ev6: events, test results and logs: every table
// with a foreign key to runs), and the campaign's job is marked done, all
// in one transaction. Jobs are matched by what they are (config file,
// section, mode, repetition), not by id, so a shard can be merged into
// any database of its campaign. merged_runs remembers each shard run
// taken, so merging a shard again, or while its task still adds runs,
// never copies a run twice; and a job that already has a result (another
// shard, a local run) keeps it: the shard's runs of it are noted as
// skipped. A job leased by a local worker right now is left for a later
// merge.
//
// A shard of another campaign (an input's digest differs) is refused
// whole, as is one made by a newer ev6-campaign; nothing of it is merged.
#ifndef CAMPAIGN_MERGE_H
#define CAMPAIGN_MERGE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct merge_stats {
  int runs;                     // copied
  int jobs;                     // marked done by them
  int skipped;                  // runs of jobs that had a result already
  int before;                   // runs merged by an earlier merge
  int refused;                  // shards refused
};

// Merge the shard at path into campaign of db. Adds to *ms. Returns 0,
// or -1 with the reason in why[n] when the shard is refused (or cannot be
// read). Exits if db stays locked (nothing is merged then).
int merge_shard(sqlite3 *db, int64_t campaign, const char *path, struct merge_stats *ms,
                char *why, size_t n);

// Merge every shard recorded for campaign (its arrays' shards) whose file
// changed since its last merge, or all of them if force. A refusal is
// printed once and kept in shards.refused. Adds to *ms; returns the
// number of shards refused now.
int merge_recorded(sqlite3 *db, int64_t campaign, int force, struct merge_stats *ms);

// How many recorded shards of campaign stand refused (shards.refused).
int merge_refused(sqlite3 *db, int64_t campaign);

#endif
