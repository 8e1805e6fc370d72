// slurm.h - the Slurm commands ev6-campaign uses, and nothing else of
// Slurm: sinfo (which partitions exist), sbatch (submit a job array) and
// squeue (which of its tasks are still pending or running).
//
// Each command runs with a timeout and its output captured; when Slurm
// refuses, what it said goes into the caller's message. Only the job id
// sbatch prints is kept: a job array on a federation's other cluster
// (sbatch --parsable's "id;cluster") is followed by id alone.
#ifndef CAMPAIGN_SLURM_H
#define CAMPAIGN_SLURM_H

// The Slurm commands missing from $PATH, e.g. "sbatch, squeue", or NULL
// when all are there. A static string.
const char *slurm_missing(void);

// Does the partition exist? 1 or 0 (then *known lists the cluster's
// partitions, "a, b", a string the caller frees), or -1 if sinfo failed
// (*why says how; the caller frees it).
int slurm_partition_exists(const char *partition, char **known, char **why);

// One job array to submit: tasks 0..tasks-1 each run script.
struct slurm_array {
  const char *script;       // the batch script (absolute)
  const char *dir;          // its working directory, and where logs go
  const char *name;         // --job-name
  const char *partition;    // NULL: the cluster's default
  const char *account;      // NULL: the user's default
  const char *time_limit;   // sbatch --time; NULL: the partition's
  int tasks;
  int cpus_per_task;
};

// Submit. Returns the job id (the caller frees it), or NULL with *why
// (sbatch's message; the caller frees it).
char *slurm_submit(const struct slurm_array *a, char **why);

// The tasks of job array `job` that squeue still lists (pending, running,
// completing, suspended, requeued...).
struct slurm_live {
  int pending, running, other;
};

// Fill live[0..n) (1 = listed) and *sl for job. A job Slurm no longer
// knows has no tasks. Returns 0, or -1 if squeue failed (*why, freed by
// the caller).
int slurm_live(const char *job, unsigned char *live, int n, struct slurm_live *sl,
               char **why);

// Is s a time limit sbatch --time accepts ("30", "2:00:00", "1-12",
// "UNLIMITED", ...)? Checked before anything is submitted.
int slurm_time_ok(const char *s);

#endif
