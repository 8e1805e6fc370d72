// paper.h - the paper's result for each scenario, from reports/paper.tsv.
//
// reports/paper.tsv is the one place the paper's figures live (its header
// comment gives the format: 12 TAB-separated fields a record, '#'
// comments). Its Table 2 and Table 3 records (field 1 = 2 or 3) are keyed
// by field 3, id = the config section name; fields 6 and 7 are the
// paper's result in conservative and aggressive mode: SF, PK or FS,
// several joined by '|', or '-' (none). A scenario takes the results of
// the record whose id is its section name, and has none (NULL) when there
// is no such record. The configs never carry the paper's results.
#ifndef CAMPAIGN_PAPER_H
#define CAMPAIGN_PAPER_H

#include <stdio.h>

#include "campaign/config.h"

#define DEFAULT_PAPER_FILE "reports/paper.tsv"

// One Table 2 or 3 record. Strings owned by the struct paper.
struct paper_rec {
  char *id;                 // field 3: the section name
  char *result[NMODES];     // fields 6 and 7, or NULL for '-'
  int line;
};

struct paper {
  struct paper_rec *rec;    // [n], in file order
  int n;
  char sha[65];             // SHA-256 of the file as read
};

// Read path into pp (empty it first). Every problem is printed to errs as
// "path:line: message" ("path: message" when it cannot be read). Returns
// the number of problems (0 = ok).
int paper_load(struct paper *pp, const char *path, FILE *errs);

// The record with this id, or NULL.
const struct paper_rec *paper_find(const struct paper *pp, const char *id);

// Set every scenario's paper[] from its record (copies, freed with the
// scenario), or to NULL. When msgs is not NULL, a scenario of table 2 or 3
// without a record is named there as "file:line: warning: ...". Returns
// the number of such scenarios.
int paper_apply(const struct paper *pp, const char *path, struct config *cfg, FILE *msgs);

// Free the records and reset pp to no records (sha is kept).
void paper_free(struct paper *pp);

#endif
