// The parts of the ELF64 executable format that exec() reads: the file
// header and the program headers (one per segment). Layouts are those of
// the ELF specification.

#define ELF_MAGIC 0x464C457FU   // "\x7FELF" read as a little-endian word

struct elfhdr {
  uint magic;          // ELF_MAGIC
  uchar ident[12];     // class, byte order, version, ABI: not checked
  ushort type;
  ushort machine;
  uint version;
  uint64 entry;        // virtual address of the first instruction
  uint64 phoff;        // file offset of the program header table
  uint64 shoff;
  uint flags;
  ushort ehsize;
  ushort phentsize;    // size of one program header
  ushort phnum;        // number of program headers
  ushort shentsize;
  ushort shnum;
  ushort shstrndx;
};

struct proghdr {
  uint32 type;         // ELF_PROG_LOAD for a segment to load
  uint32 flags;        // ELF_PROG_FLAG_*
  uint64 off;          // file offset of the segment's bytes
  uint64 vaddr;        // where they go in memory
  uint64 paddr;
  uint64 filesz;       // bytes taken from the file
  uint64 memsz;        // bytes in memory; the rest is zero filled
  uint64 align;
};

#define ELF_PROG_LOAD 1

#define ELF_PROG_FLAG_EXEC  1
#define ELF_PROG_FLAG_WRITE 2
#define ELF_PROG_FLAG_READ  4
