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

// The open-file table (file.c) and the inode table (fs.c); the Ev6
// self-audit reads both.
struct ftable {
  struct spinlock lock;  // protects ref of every file
  struct file file[NFILE];
};

struct itable {
  struct spinlock lock;  // protects dev, inum and ref of every entry
  struct inode inode[NINODE];
};

extern struct ftable ftable;
extern struct itable itable;

#if RECOVERY
// Identity of each inode-table entry, kept for Ev6 recovery (fs.c).
struct inode_identity {
  uint dev;
  uint inum;
};

extern struct inode_identity itable_identity[NINODE];
extern struct file file_replica[NFILE];   // every open file but its ref
#endif

// A pipe (pipe.c), in a page of its own. nread and nwrite only grow;
// data[i % PIPESIZE] holds byte i of the stream. Bytes nread .. nwrite-1
// are buffered, so nread <= nwrite <= nread + PIPESIZE. Readers sleep on
// &nread, writers on &nwrite.

struct pipe {
  struct spinlock lock;  // protects everything below
  char data[PIPESIZE];
  uint nread;            // bytes read so far
  uint nwrite;           // bytes written so far
  int readopen;          // read end still open
  int writeopen;         // write end still open
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
