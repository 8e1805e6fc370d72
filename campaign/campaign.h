// campaign.h - which campaign this invocation belongs to.
//
// A campaign is identified by a SHA-256 over its inputs: the kernel, the
// file-system image, the GDB scripts, each config file and the paper's
// results file (path and contents; reports/paper.tsv, paper.h), the seed
// and the survival check. The same inputs find the same campaign (a rerun
// resumes it); different ones start a new campaign. The paper file is
// folded into campaigns.config_sha256, as one more line after the configs'
// (it decides the paper's results stored with the scenarios).
// The row also records what the results depend on but do not identify:
// git commit, QEMU and GDB versions, the command line, the timeouts.
#ifndef CAMPAIGN_CAMPAIGN_H
#define CAMPAIGN_CAMPAIGN_H

#include <sqlite3.h>
#include <stdint.h>

struct campaign_inputs {
  const char *kernel;            // paths, as given (recorded for --replay)
  const char *fs_image;
  const char *gdb_script;
  const char *kernel_copy;       // what the runs use and the fingerprint
  const char *fs_image_copy;     // hashes (snapshot.h); NULL: the paths
  const char *gdb_script_copy;   // above
  const char *survival;          // the survival check command
  char *const *configs;          // [nconfigs] config files
  int nconfigs;
  const char *paper;             // the paper's results file (--paper)
  const char *paper_sha;         //   and its SHA-256 as read (paper.h)
  long seed;
  const char *delivery;          // --delivery, or NULL (each scenario's own)
  const char *timeouts;          // "boot=60 reach=120 ..."
  const char *command_line;
};

// Fingerprints of the inputs. Strings owned by the struct (campaign_free).
struct campaign_ids {
  char kernel_sha[65];
  char fs_sha[65];
  char scripts_sha[65];          // every *.py beside the GDB script
  char config_sha[65];           // all configs, in order, then the paper file
  char **config_shas;            // [nconfigs], then NULL
  char ident[65];
};

// Hash the inputs; exits naming any file it cannot read.
void campaign_fingerprint(const struct campaign_inputs *in, struct campaign_ids *ids);
void campaign_free(struct campaign_ids *ids);

// Only the kernel, image and scripts digests of ids (a Slurm task checks
// its staged inputs with them); exits naming a file it cannot read.
void campaign_hash_files(const char *kernel, const char *fs_image, const char *gdb_script,
                         struct campaign_ids *ids);

// Find the campaign with ids->ident or create it (recording versions and
// commit). Sets *is_new. Runs in its own transaction. Returns its id.
int64_t campaign_open(sqlite3 *db, const struct campaign_inputs *in,
                      const struct campaign_ids *ids, int *is_new);

// The command line as one shell-quoted string the caller frees.
char *command_line(int argc, char **argv);

// s as one word for sh (quoted if need be), a string the caller frees.
char *shell_word(const char *s);

// The first line of a program's output (e.g. `qemu-system-riscv64
// --version`), or "unknown" if it fails or says nothing within 10 s. The
// caller frees it.
char *first_line(const char *const argv[]);

// The commit checked out, with "-dirty" if tracked files differ from it,
// or "unknown" outside a git tree. The caller frees it.
char *git_commit(void);

#endif
