// File-system system calls: argument checking and file descriptors here,
// the work in file.c, fs.c, pipe.c and exec.c.
//
// Every call returns -1 on any bad argument (a bad descriptor, an
// unreadable or unwritable user address, a path longer than MAXPATH);
// none of them panics on user input. Calls that change the file system
// run as one log operation, begin_op() to end_op().
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/fs.h"
#include "kernel/sleeplock.h"
#include "kernel/file.h"
#include "kernel/fcntl.h"
#include "kernel/ledger.h"
#include "kernel/defs.h"

// The n-th argument as a file descriptor of the calling process. Sets
// *pfd and *pf (either may be 0) and returns 0, or returns -1.
static int
argfd(int n, int *pfd, struct file **pf)
{
  int fd;
  struct file *f;

  argint(n, &fd);
  if(fd < 0 || fd >= NOFILE || (f = myproc()->ofile[fd]) == 0)
    return -1;
  if(pfd)
    *pfd = fd;
  if(pf)
    *pf = f;
  return 0;
}

// Give f the lowest free descriptor of the calling process. The
// descriptor, or -1 if all are taken (the caller still owns f then).
static int
fdalloc(struct file *f)
{
  struct proc *p = myproc();
  int fd;

  for(fd = 0; fd < NOFILE; fd++){
    if(p->ofile[fd] == 0){
      p->ofile[fd] = f;
      return fd;
    }
  }
  return -1;
}

uint64
sys_dup(void)
{
  struct file *f;
  int fd;

  if(argfd(0, 0, &f) < 0)
    return -1;
  if((fd = fdalloc(f)) < 0)
    return -1;
  filedup(f);
  return fd;
}

uint64
sys_read(void)
{
  struct file *f;
  uint64 addr;
  int n;

  argaddr(1, &addr);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return fileread(f, addr, n);
}

uint64
sys_write(void)
{
  struct file *f;
  uint64 addr;
  int n;

  argaddr(1, &addr);
  argint(2, &n);
  if(argfd(0, 0, &f) < 0 || n < 0)
    return -1;
  return filewrite(f, addr, n);
}

uint64
sys_close(void)
{
  struct file *f;
  int fd;

  if(argfd(0, &fd, &f) < 0)
    return -1;
  myproc()->ofile[fd] = 0;
  fileclose(f);
  return 0;
}

uint64
sys_fstat(void)
{
  struct file *f;
  uint64 st;

  argaddr(1, &st);
  if(argfd(0, 0, &f) < 0)
    return -1;
  return filestat(f, st);
}

// link(old, new): another name for the file old. Not for directories.
uint64
sys_link(void)
{
  char name[DIRSIZ], new[MAXPATH], old[MAXPATH];
  struct inode *dp, *ip;

  if(argstr(0, old, MAXPATH) < 0 || argstr(1, new, MAXPATH) < 0)
    return -1;

  begin_op();
  if((ip = namei(old)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  if(ip->type == T_DIR){
    iunlockput(ip);
    end_op();
    return -1;
  }
  // Count the link first: a crash then leaves at worst a count too high,
  // never a directory entry the count does not cover.
  ip->nlink++;
  iupdate(ip);
  iunlock(ip);

  if((dp = nameiparent(new, name)) == 0)
    goto undo;
  ilock(dp);
  // dp->nlink is 0 once dp is removed: an entry in it would be lost.
  if(dp->dev != ip->dev || dp->nlink < 1 || dirlink(dp, name, ip->inum) < 0){
    iunlockput(dp);
    goto undo;
  }
  iunlockput(dp);
  iput(ip);
  end_op();
  return 0;

undo:
  ilock(ip);
  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  end_op();
  return -1;
}

// Whether directory dp (locked) has no entries besides "." and "..".
// A directory that cannot be read counts as not empty.
static int
isdirempty(struct inode *dp)
{
  uint off;
  struct dirent de;

  for(off = 2 * sizeof(de); off < dp->size; off += sizeof(de)){
    if(readi(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
      return 0;
    if(de.inum != 0)
      return 0;
  }
  return 1;
}

uint64
sys_unlink(void)
{
  struct inode *ip, *dp;
  struct dirent de;
  char name[DIRSIZ], path[MAXPATH];
  uint off;

  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  if((dp = nameiparent(path, name)) == 0){
    end_op();
    return -1;
  }
  ilock(dp);

  if(namecmp(name, ".") == 0 || namecmp(name, "..") == 0)
    goto bad;
  if((ip = dirlookup(dp, name, &off)) == 0)
    goto bad;
  ilock(ip);
  if(ip->nlink < 1)
    panic("unlink: inode has no links");
  if(ip->type == T_DIR && !isdirempty(ip)){
    iunlockput(ip);
    goto bad;
  }

  // Overwriting an existing entry only rewrites an allocated block.
  memset(&de, 0, sizeof(de));
  if(writei(dp, 0, (uint64)&de, off, sizeof(de)) != sizeof(de))
    panic("unlink: cannot clear the directory entry");
  if(ip->type == T_DIR){
    dp->nlink--;   // ip's ".." no longer refers to dp
    iupdate(dp);
  }
  iunlockput(dp);

  ip->nlink--;
  iupdate(ip);
  iunlockput(ip);
  end_op();
  return 0;

bad:
  iunlockput(dp);
  end_op();
  return -1;
}

// Create path as a new inode of the given type, inside a log operation.
// Returns it locked and referenced, or 0. If path already exists, opening
// it with O_CREATE (type T_FILE) yields the existing file or device;
// any other clash is a failure.
static struct inode*
create(char *path, short type, short major, short minor)
{
  struct inode *ip, *dp;
  char name[DIRSIZ];

  if((dp = nameiparent(path, name)) == 0)
    return 0;
  ilock(dp);
  if(dp->nlink < 1){   // dp has been removed: the new entry would be lost
    iunlockput(dp);
    return 0;
  }

  if((ip = dirlookup(dp, name, 0)) != 0){
    iunlockput(dp);
    ilock(ip);
    if(type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
      return ip;
    iunlockput(ip);
    return 0;
  }

  if((ip = ialloc(dp->dev, type)) == 0){
    iunlockput(dp);
    return 0;
  }
  ilock(ip);
  ip->major = major;
  ip->minor = minor;
  ip->nlink = 1;
  iupdate(ip);

  if(type == T_DIR){
    // "." is not counted in ip->nlink, to avoid a cycle of counts.
    if(dirlink(ip, ".", ip->inum) < 0 || dirlink(ip, "..", dp->inum) < 0)
      goto fail;
  }
  if(dirlink(dp, name, ip->inum) < 0)
    goto fail;
  if(type == T_DIR){
    dp->nlink++;   // for ip's ".."
    iupdate(dp);
  }
  iunlockput(dp);
  return ip;

fail:
  // Nothing refers to ip: with no links, iput() frees it.
  ip->nlink = 0;
  iupdate(ip);
  iunlockput(ip);
  iunlockput(dp);
  return 0;
}

uint64
sys_open(void)
{
  char path[MAXPATH];
  int fd, omode;
  struct file *f;
  struct inode *ip;

  argint(1, &omode);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  begin_op();
  if(omode & O_CREATE){
    if((ip = create(path, T_FILE, 0, 0)) == 0){
      end_op();
      return -1;
    }
  } else {
    if((ip = namei(path)) == 0){
      end_op();
      return -1;
    }
    ilock(ip);
    if(ip->type == T_DIR && omode != O_RDONLY){
      iunlockput(ip);
      end_op();
      return -1;
    }
  }

  if(ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV)){
    iunlockput(ip);
    end_op();
    return -1;
  }

  if((f = filealloc()) == 0 || (fd = fdalloc(f)) < 0){
    if(f)
      fileclose(f);
    iunlockput(ip);
    end_op();
    return -1;
  }

  if(ip->type == T_DEVICE){
    f->type = FD_DEVICE;
    f->major = ip->major;
  } else {
    f->type = FD_INODE;
    f->off = 0;
  }
  f->ip = ip;
  ledger_inode_keep(ip);
  f->readable = !(omode & O_WRONLY);
  f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
  file_replicate(f);

  if((omode & O_TRUNC) && ip->type == T_FILE)
    itrunc(ip);

  iunlock(ip);
  end_op();
  return fd;
}

uint64
sys_mkdir(void)
{
  char path[MAXPATH];
  struct inode *ip;

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = create(path, T_DIR, 0, 0)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

uint64
sys_mknod(void)
{
  char path[MAXPATH];
  struct inode *ip;
  int major, minor;

  argint(1, &major);
  argint(2, &minor);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = create(path, T_DEVICE, major, minor)) == 0){
    end_op();
    return -1;
  }
  iunlockput(ip);
  end_op();
  return 0;
}

uint64
sys_chdir(void)
{
  char path[MAXPATH];
  struct inode *ip;
  struct proc *p = myproc();

  if(argstr(0, path, MAXPATH) < 0)
    return -1;
  begin_op();
  if((ip = namei(path)) == 0){
    end_op();
    return -1;
  }
  ilock(ip);
  if(ip->type != T_DIR){
    iunlockput(ip);
    end_op();
    return -1;
  }
  iunlock(ip);
  iput(p->cwd);
  end_op();
  p->cwd = ip;
  ledger_inode_keep(ip);
  return 0;
}

// Free sys_exec's argument table: the strings, last first, then the
// table page. A string leaves the table only once it is freed, so a free
// that an error interrupted can run again from the ledger (nothing twice).
void
exec_args_free(char **argv)
{
  int n;

  for(n = 0; argv[n] != 0; n++)
    ;
  while(n > 0){
    kfree(argv[n - 1]);
    argv[--n] = 0;
  }
  kfree(argv);
}

// exec(path, argv): copy the path and up to MAXARG argument strings (one
// page each) into the kernel, then exec(). argv[] stays null terminated:
// at most MAXARG of its MAXARG + 1 slots are ever filled.
uint64
sys_exec(void)
{
  char path[MAXPATH];
  char **argv;       // a page: Ev6 unwinding finds and frees it (ledger)
  uint64 uargv, uarg;
  int i, ret = -1;

  argaddr(1, &uargv);
  if(argstr(0, path, MAXPATH) < 0)
    return -1;

  if((argv = kalloc()) == 0)
    return -1;
  memset(argv, 0, PGSIZE);
  ledger_exec_args(argv);
  for(i = 0; ; i++){
    if(fetchaddr(uargv + sizeof(uint64) * i, &uarg) < 0)
      goto out;
    if(uarg == 0)
      break;
    if(i >= MAXARG)
      goto out;
    if((argv[i] = kalloc()) == 0)
      goto out;
    if(fetchstr(uarg, argv[i], PGSIZE) < 0)
      goto out;
  }
  ret = exec(path, argv);

out:
  exec_args_free(argv);
  ledger_exec_args(0);
  return ret;
}

uint64
sys_pipe(void)
{
  uint64 fdarray;   // user address of int[2]
  struct file *rf, *wf;
  int fd0 = -1, fd1 = -1;
  struct proc *p = myproc();

  argaddr(0, &fdarray);
  if(pipealloc(&rf, &wf) < 0)
    return -1;
  if((fd0 = fdalloc(rf)) < 0 || (fd1 = fdalloc(wf)) < 0)
    goto bad;
  if(copyout(p->pagetable, fdarray, (char*)&fd0, sizeof(fd0)) < 0 ||
     copyout(p->pagetable, fdarray + sizeof(fd0), (char*)&fd1, sizeof(fd1)) < 0)
    goto bad;
  return 0;

bad:
  if(fd0 >= 0)
    p->ofile[fd0] = 0;
  if(fd1 >= 0)
    p->ofile[fd1] = 0;
  fileclose(rf);
  fileclose(wf);
  return -1;
}
