// stress - exercise the file system, pipes and fork from many processes
// at once.
//
// usage: stress [nprocs] [rounds]
//
// Creates a scratch directory stress.PID and forks nprocs workers (default
// 4, at most 20) that run concurrently. In each of rounds rounds (default
// 10) a worker
//   - creates its own file of a few KiB with O_CREATE|O_TRUNC, writes a
//     pattern unique to the worker and round in odd-sized pieces, reads it
//     back and compares, links a second name to it, checks that the link
//     shows the same data, and unlinks both names;
//   - with every other worker, opens the shared file "common" with
//     O_CREATE and writes the same 2500 bytes over it from the start, and
//     races to mkdir and unlink the shared directory "shared";
//   - forks a child that sends a numbered byte stream through a pipe while
//     the worker reads and checks it.
// The parent waits for all workers and then checks that the scratch
// directory holds nothing but "common" (exactly once, with the right
// contents) and possibly "shared", removes it, and prints "stress: ok". Any mismatch prints
// "stress: FAILED ..." and the exit status is 1.
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "user/user.h"

#define MAXPROCS   20
#define PIPEBYTES  5000
#define CHUNK      300      // write size: not a divisor of the block size
#define COMMONBYTES 2500    // size of the shared file

static char dir[32];
static char wbuf[BSIZE*10];
static char rbuf[BSIZE];

static void
fail(int worker, int round, const char *what, const char *name)
{
  fprintf(2, "stress: FAILED worker %d round %d: %s %s\n",
          worker, round, what, name);
  exit(1);
}

// Append the decimal form of x (x >= 0) to s; returns the new end.
static char *
putint(char *s, int x)
{
  char tmp[12];
  int n = 0;

  do {
    tmp[n++] = '0' + x % 10;
    x /= 10;
  } while(x > 0);
  while(n > 0)
    *s++ = tmp[--n];
  *s = 0;
  return s;
}

// Build "dir/<prefix><worker>.<round>" in buf.
static void
filename(char *buf, const char *prefix, int worker, int round)
{
  char *p;

  strcpy(buf, dir);
  p = buf + strlen(buf);
  *p++ = '/';
  strcpy(p, prefix);
  p = putint(p + strlen(p), worker);
  *p++ = '.';
  putint(p, round);
}

static char
pattern(int worker, int round, int i)
{
  return (i * 13 + worker * 101 + round * 7) % 251;
}

// Read all of path and compare it with the first size bytes of wbuf.
static void
verify(const char *path, int size, int worker, int round)
{
  int fd, n, off = 0;

  if((fd = open(path, O_RDONLY)) < 0)
    fail(worker, round, "cannot open", path);
  while((n = read(fd, rbuf, sizeof(rbuf))) > 0){
    if(off + n > size || memcmp(rbuf, wbuf + off, n) != 0)
      fail(worker, round, "wrong data in", path);
    off += n;
  }
  close(fd);
  if(n < 0 || off != size)
    fail(worker, round, "short read of", path);
}

static void
privatefile(int worker, int round)
{
  char path[64], other[64];
  int fd, size, n;

  filename(path, "f", worker, round);
  filename(other, "l", worker, round);
  size = 1000 + ((worker * 7 + round * 13) % 9) * BSIZE;
  for(int i = 0; i < size; i++)
    wbuf[i] = pattern(worker, round, i);

  if((fd = open(path, O_CREATE | O_TRUNC | O_RDWR)) < 0)
    fail(worker, round, "cannot create", path);
  for(int off = 0; off < size; off += n){
    n = size - off < CHUNK ? size - off : CHUNK;
    if(write(fd, wbuf + off, n) != n)
      fail(worker, round, "cannot write", path);
  }
  close(fd);
  verify(path, size, worker, round);

  if(link(path, other) < 0)
    fail(worker, round, "cannot link", other);
  verify(other, size, worker, round);
  if(unlink(path) < 0)
    fail(worker, round, "cannot unlink", path);
  verify(other, size, worker, round);
  if(unlink(other) < 0)
    fail(worker, round, "cannot unlink", other);
  if(open(other, O_RDONLY) >= 0)
    fail(worker, round, "unlinked file still opens:", other);
}

// Byte i of the shared file "common". Every worker writes the same bytes,
// so however their writes interleave the file must end up exactly so.
static char
commonbyte(int i)
{
  return 'a' + i % 26;
}

static void
shared(int worker, int round)
{
  char path[64], c[CHUNK];
  int fd, n;

  strcpy(path, dir);
  strcpy(path + strlen(path), "/common");
  if((fd = open(path, O_CREATE | O_RDWR)) < 0)
    fail(worker, round, "cannot open", path);
  for(int off = 0; off < COMMONBYTES; off += n){
    n = COMMONBYTES - off < CHUNK ? COMMONBYTES - off : CHUNK;
    for(int i = 0; i < n; i++)
      c[i] = commonbyte(off + i);
    if(write(fd, c, n) != n)
      fail(worker, round, "cannot write", path);
  }
  close(fd);

  // Whether these succeed depends on the other workers; they only must
  // not break anything.
  strcpy(path + strlen(dir), "/shared");
  mkdir(path);
  unlink(path);
}

static void
pipes(int worker, int round)
{
  int p[2], pid, n, got = 0, status;
  char c[CHUNK];

  if(pipe(p) < 0)
    fail(worker, round, "cannot make", "a pipe");
  if((pid = fork()) < 0)
    fail(worker, round, "cannot fork", "a pipe writer");
  if(pid == 0){
    close(p[0]);
    for(int off = 0; off < PIPEBYTES; off += n){
      n = PIPEBYTES - off < sizeof(c) ? PIPEBYTES - off : sizeof(c);
      for(int i = 0; i < n; i++)
        c[i] = pattern(worker, round, off + i);
      if(write(p[1], c, n) != n)
        exit(1);
    }
    exit(0);
  }
  close(p[1]);
  while((n = read(p[0], c, 64)) > 0){
    for(int i = 0; i < n; i++)
      if(got + i >= PIPEBYTES || c[i] != pattern(worker, round, got + i))
        fail(worker, round, "wrong data from", "a pipe");
    got += n;
  }
  close(p[0]);
  if(got != PIPEBYTES)
    fail(worker, round, "short read from", "a pipe");
  if(wait(&status) != pid || status != 0)
    fail(worker, round, "bad exit of", "the pipe writer");
}

static void
worker(int id, int rounds)
{
  for(int r = 0; r < rounds; r++){
    privatefile(id, r);
    shared(id, r);
    pipes(id, r);
  }
  exit(0);
}

// Does the shared file hold exactly what the workers wrote? 0 or -1.
static int
checkcommon(const char *path)
{
  int fd, n, off = 0, bad = 0;

  if((fd = open(path, O_RDONLY)) < 0)
    return -1;
  while((n = read(fd, rbuf, sizeof(rbuf))) > 0){
    for(int i = 0; i < n; i++)
      if(rbuf[i] != commonbyte(off + i))
        bad = 1;
    off += n;
  }
  close(fd);
  return bad || n < 0 || off != COMMONBYTES ? -1 : 0;
}

// Check what the workers left in dir, then remove it. 0 or -1.
static int
cleanup(void)
{
  struct dirent de;
  char path[64], name[DIRSIZ+1];
  int fd, commons = 0, bad = 0;

  if((fd = open(dir, O_RDONLY)) < 0){
    fprintf(2, "stress: FAILED cannot open %s\n", dir);
    return -1;
  }
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum == 0)
      continue;
    memmove(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;
    if(strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
       strcmp(name, "shared") == 0)
      continue;
    if(strcmp(name, "common") == 0){
      commons++;
      continue;
    }
    fprintf(2, "stress: FAILED leftover entry %s/%s\n", dir, name);
    bad = 1;
  }
  close(fd);
  if(commons != 1){
    fprintf(2, "stress: FAILED %s/common appears %d times\n", dir, commons);
    bad = 1;
  }

  strcpy(path, dir);
  strcpy(path + strlen(dir), "/common");
  if(checkcommon(path) < 0){
    fprintf(2, "stress: FAILED %s has the wrong contents\n", path);
    bad = 1;
  }
  unlink(path);
  strcpy(path + strlen(dir), "/shared");
  unlink(path);
  if(unlink(dir) < 0){
    fprintf(2, "stress: FAILED cannot remove %s\n", dir);
    bad = 1;
  }
  return bad ? -1 : 0;
}

int
main(int argc, char *argv[])
{
  int nprocs = 4, rounds = 10, failed = 0, status;

  if(argc > 3 || (argc > 1 && (nprocs = atoi(argv[1])) < 1) ||
     nprocs > MAXPROCS || (argc > 2 && (rounds = atoi(argv[2])) < 1)){
    fprintf(2, "usage: stress [nprocs] [rounds]   (1 <= nprocs <= %d)\n",
            MAXPROCS);
    exit(1);
  }
  strcpy(dir, "stress.");
  putint(dir + strlen(dir), getpid());
  if(mkdir(dir) < 0){
    fprintf(2, "stress: FAILED cannot create %s\n", dir);
    exit(1);
  }

  for(int i = 0; i < nprocs; i++){
    int pid = fork();
    if(pid < 0){
      fprintf(2, "stress: FAILED cannot fork worker %d\n", i);
      failed++;
      break;
    }
    if(pid == 0)
      worker(i, rounds);
  }
  while(wait(&status) >= 0)
    if(status != 0)
      failed++;

  if(cleanup() < 0)
    failed++;
  if(failed){
    printf("stress: FAILED (%d problems)\n", failed);
    exit(1);
  }
  printf("stress: ok\n");
  return 0;
}
