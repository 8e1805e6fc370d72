// target.h - the grammar of a scenario's target key, written once: the
// configs are checked by it (config.c) and GDB receives the target taken
// apart (jobfile.c), so no second parser can read it another way.
//
//   TARGET   = BASE | SELECTOR | BASE ";" SELECTOR
//   BASE     = "fi_trap"            the object the site passed to fi_trap()
//            | "arg" DIGIT          argument 0..7 of the site function
//            | "global:" EXPR       kernel memory by a C expression:
//                                   NAME { "." NAME | "->" NAME | "[" N "]"
//                                          | "[" ROLE { "," ROLE } "]"
//                                          | "[block=" N "]" }
//                                   [block=N] (the buffer cache only): the
//                                   buffer holding block N of the root
//                                   device (dev ROOTDEV and blockno N, the
//                                   identity bget matches), as the cache is
//                                   at the site; which slot that is depends
//                                   on timing, the block does not. No
//                                   buffer holding it there: not reached.
//                                   With site access the kernel counts the
//                                   accesses to the bytes of whichever
//                                   buffer holds the block (N < 2^31)
//   ROLE     = "name=" WORD         (the process table only) a live process
//            | "sleeping=" NAME     named WORD, or asleep with NAME on its
//                                   kernel stack; GDB picks, from the table
//                                   as it is at the site, the newest (highest
//                                   pid) process that has every ROLE:
//                                   proc[name=sh,sleeping=wait] is a
//                                   pipeline's shell
//            | "user[" UROLE { "," UROLE } "]"
//                                   (site = user only) the user memory of
//                                   the newest process named WORD, while a
//                                   hart runs it in user mode; SELECTOR
//                                   object: the user page holding va
//                                   (object page), L2/L1/L0: the page-table
//                                   page of that level the hart's MMU walk
//                                   for va reads, at its PTE (pagetable)
//   UROLE    = "name=" WORD         the process (required)
//            | "va=" UVA            the virtual address (default pc)
//   UVA      = "pc" | "sp" | N      the stopped hart's pc or sp, or N
//   SELECTOR = "object"             the whole object (the default)
//            | "field:" PATH        a member: NAME ["[" N "]"] { "." ... }
//            | "offset:" N          byte N of the object (N < 2^20)
//            | "L2" | "L1" | "L0"   a page-table page of that level
// Without a BASE, the object is the one the site is about to touch
// (campaign/gdbscripts/objects.py says how it is found).
#ifndef CAMPAIGN_TARGET_H
#define CAMPAIGN_TARGET_H

#include <stddef.h>

#include "campaign/util.h"

enum target_base { BASE_SITE, BASE_FI_TRAP, BASE_ARG, BASE_GLOBAL, BASE_USER };
enum target_selector { SEL_OBJECT, SEL_FIELD, SEL_OFFSET, SEL_LEVEL };

struct target {
  enum target_base base;
  int arg;                    // BASE_ARG: which
  char expr[128];             // BASE_GLOBAL: the expression
  char uname[16];             // BASE_USER: the process's name
  char uva[24];               //   and its va: "pc", "sp" or "0x..."
  enum target_selector sel;
  char path[96];              // SEL_FIELD: the member path
  long offset;                // SEL_OFFSET: the byte
  int level;                  // SEL_LEVEL: 2, 1 or 0
};

// Parse text into *t. Returns 0, or -1 with the reason in why[n].
int target_parse(const char *text, struct target *t, char *why, size_t n);

// Append *t to sb as a JSON object: {"base": "site"|"fi_trap"|"arg"|"global"
// |"user", "arg": N, "expr": "...", "name": "...", "va": "...",
// "selector": "object"|"field"|"offset"|"level", "field": "...",
// "offset": N, "level": N}, with only the keys that apply.
void target_json(struct strbuf *sb, const struct target *t);

#endif
