// The kernel's symbol table, generated at build time from the linked kernel
// (tools/gen-ksyms.awk), sorted by address. The first link uses an empty
// table; the table lives in .rodata, after .text, so adding it moves no
// function (the Makefile checks this).
struct ksym {
  uint64 start;       // first instruction
  uint64 frame_ready; // first instruction after the prologue set up s0
  int saves_ra;       // does the prologue save ra (not a leaf)?
  const char *name;
};

extern const struct ksym ksyms[];
extern const int nksyms;
