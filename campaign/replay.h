// replay.h - --replay RUN: run a recorded run's job again, exactly (same
// scenario, mode, seed, kernel, image, GDB scripts, survival check),
// showing its console as it comes, and record it as a new run that
// replays RUN (it does not change the job's result).
#ifndef CAMPAIGN_REPLAY_H
#define CAMPAIGN_REPLAY_H

#include <sqlite3.h>
#include <stdint.h>

#include "campaign/runner.h"

// env supplies the fsck path, timeouts and stop flag; the rest comes from
// the campaign of RUN. Exits if RUN does not exist or an input changed
// since. Returns the exit status for main.
int replay(sqlite3 *db, int64_t run, const struct runenv *env);

#endif
