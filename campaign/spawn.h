// spawn.h - starting, waiting for and killing the programs a run uses
// (QEMU, GDB, fsck, git).
//
// Every child gets SIGKILL when the process that started it dies (so a
// killed orchestrator leaves no QEMU behind), default signal handling, and
// optionally its own process group (so a terminal's Ctrl-C reaches only
// the orchestrator, which then stops its children itself).
#ifndef CAMPAIGN_SPAWN_H
#define CAMPAIGN_SPAWN_H

#include <sys/types.h>

#include "campaign/util.h"

// Start argv[0] (looked up in $PATH) with stdin, stdout and stderr on the
// given descriptors (-1: /dev/null), each "NAME=value" of env added to the
// environment (env may be NULL). Returns the pid, or -1 with a reason in
// why (a string the caller frees) if it could not be started.
pid_t spawn(const char *const argv[], const char *const env[],
            int in, int out, int err, char **why);

// Run argv to completion with output (stdout and stderr) captured into out
// (may be NULL), killing it after timeout_ms. Returns its wait status, or
// -1 if it could not be started or timed out (reason appended to out).
int run_capture(const char *const argv[], struct strbuf *out, int timeout_ms);

// Non-blocking wait: 1 and *status set if pid has ended, else 0.
int child_done(pid_t pid, int *status);

// SIGKILL pid and reap it. No-op for pid <= 0.
void child_kill(pid_t pid);

// A wait status as text ("exit 3", "signal 9") in a static buffer.
const char *status_text(int status);

#endif
