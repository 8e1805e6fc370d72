// jobfile.h - the JSON job file GDB reads through $EV6_JOB. Its fields are
// specified in campaign/README.md under "Job file"; this is the only code
// that writes it.
#ifndef CAMPAIGN_JOBFILE_H
#define CAMPAIGN_JOBFILE_H

#include "campaign/jobs.h"
#include "campaign/util.h"

// The job as one JSON object (and a newline). kernel is the absolute path
// of the kernel ELF, socket the gdbstub's unix socket, ready the file GDB
// creates once it waits for the workload's exec, reach_timeout how
// long the orchestrator will wait for the site (seconds). Returns a string
// the caller frees.
char *job_json(const struct job *j, const char *kernel, const char *socket, const char *ready,
               long reach_timeout);

// Append s to sb as a JSON string literal, quotes included.
void json_string(struct strbuf *sb, const char *s);

#endif
