// On-disk file-system format, shared by the kernel, mkfs and fsck.
//
// Disk layout, in 1024-byte blocks:
//   [ boot | superblock | log header + log | inodes | free bitmap | data ]
// mkfs computes the boundaries and records them in the superblock.

#define ROOTINO  1      // inode number of the root directory
#define BSIZE 1024      // block size in bytes
#define FSMAGIC 0x10203040

struct superblock {
  uint magic;        // FSMAGIC
  uint size;         // total blocks in the image
  uint nblocks;      // data blocks
  uint ninodes;      // inodes
  uint nlog;         // log blocks, header included
  uint logstart;     // first log block (the header)
  uint inodestart;   // first inode block
  uint bmapstart;    // first free-bitmap block
};

#define NDIRECT 12
#define NINDIRECT (BSIZE / sizeof(uint))
#define MAXFILE (NDIRECT + NINDIRECT)

// On-disk inode: 64 bytes.
struct dinode {
  short type;              // 0 = free, else T_DIR, T_FILE, T_DEVICE
  short major;             // device major (T_DEVICE only)
  short minor;             // device minor (T_DEVICE only)
  short nlink;             // directory entries that refer to this inode
  uint size;               // bytes of content
  uint addrs[NDIRECT+1];   // direct blocks, then the indirect block
};

#define IPB           (BSIZE / sizeof(struct dinode))   // inodes per block
#define IBLOCK(i, sb) ((i) / IPB + (sb).inodestart)     // block holding inode i
#define BPB           (BSIZE*8)                          // bitmap bits per block
#define BBLOCK(b, sb) ((b)/BPB + (sb).bmapstart)         // bitmap block for block b

#define DIRSIZ 14

// Directory entry: 16 bytes. inum 0 marks a free slot.
struct dirent {
  ushort inum;
  char name[DIRSIZ];
};
