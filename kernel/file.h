// Open files, in-memory inodes and the device switch.
//
// struct file is what a file descriptor refers to (file.c): a pipe end, an
// inode opened as a regular file or directory, or a device. fork() and
// dup() share one struct file, counted by ref.
//
// struct inode is the in-memory copy of an on-disk inode (fs.c). The
// table entry lives while ref > 0; its copy of the disk fields is loaded
// by ilock() (valid) and must only be used with ip->lock held.
//
// devsw[major] holds the read and write functions of device major, set by
// the device's driver at boot (the console sets devsw[CONSOLE]).

struct file {
  enum { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE } type;
  int ref;            // ftable.lock: descriptors referring to this file
  char readable;
  char writable;
  struct pipe *pipe;  // FD_PIPE
  struct inode *ip;   // FD_INODE and FD_DEVICE
  uint off;           // FD_INODE: ip->lock: offset of the next read/write
  short major;        // FD_DEVICE
};

struct inode {
  uint dev;              // itable.lock: identity of the inode
  uint inum;             // itable.lock
  int ref;               // itable.lock: C pointers to this entry
  struct sleeplock lock; // protects everything below
  int valid;             // the fields below have been read from disk

  // Copy of the on-disk inode (struct dinode).
  short type;
  short major;
  short minor;
  short nlink;
  uint size;
  uint addrs[NDIRECT+1];
};

struct devsw {
  int (*read)(int user_dst, uint64 dst, int n);
  int (*write)(int user_src, uint64 src, int n);
};

extern struct devsw devsw[];

#define CONSOLE 1

#if RECOVERY
void file_replicate(struct file *f);
#else
#define file_replicate(f) do { } while(0)
#endif
