// Tests of mkfs and fsck, run on the host from the top of the tree.
//
//   usage: test_fsck [mkfs fsck workdir]
//
// Defaults: mkfs/mkfs, mkfs/fsck, build/fsck. The program writes a few input
// files (one long enough to need the indirect block), builds an image with
// mkfs and checks its layout and contents field by field, then checks that
// fsck finds it clean. Then, for each kind of damage, it copies the clean
// image, corrupts it by writing the on-disk fields, runs fsck and checks the
// exit status and that the report names the problem. It also checks that
// mkfs refuses what it must refuse. It prints one line per failed check and
// the summary `fsck-tests: N passed, N failed`; the exit status is non-zero
// if any check failed.
#include <stdarg.h>
#include <sys/wait.h>

#include "tests/fsck/fsimg.h"

#define MAXBYTES (MAXFILE * BSIZE)   // the largest file

static const char *mkfs = "mkfs/mkfs", *fsck = "mkfs/fsck", *work = "build/fsck";
static int npassed, nfailed;
static char out[1 << 16];   // output of the last command run

static void
check(int ok, const char *fmt, ...)
{
  va_list ap;

  if(ok){
    npassed++;
    return;
  }
  nfailed++;
  printf("FAIL: ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

// A path inside the work directory (one of 32 rotating buffers, enough for
// every path in one command).
static const char *
wpath(const char *name)
{
  static char buf[32][512];
  static int i;

  i = (i + 1) % 32;
  snprintf(buf[i], sizeof(buf[i]), "%s/%s", work, name);
  return buf[i];
}

// Run a shell command, keep its output in out[], return its exit status.
static int
run(const char *fmt, ...)
{
  char cmd[8192];
  va_list ap;
  FILE *f;
  size_t n;
  int st;

  va_start(ap, fmt);
  vsnprintf(cmd, sizeof(cmd), fmt, ap);
  va_end(ap);
  strncat(cmd, " >", sizeof(cmd) - strlen(cmd) - 1);
  strncat(cmd, wpath("out.txt"), sizeof(cmd) - strlen(cmd) - 1);
  strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
  st = system(cmd);
  out[0] = '\0';
  if((f = fopen(wpath("out.txt"), "r")) != NULL){
    n = fread(out, 1, sizeof(out) - 1, f);
    out[n] = '\0';
    fclose(f);
  }
  if(st == -1)
    err(2, "system");
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

// Write n bytes of a pattern seeded by seed to the work file name.
static void
writeinput(const char *name, size_t n, uint seed)
{
  FILE *f = fopen(wpath(name), "wb");
  size_t i;

  if(f == NULL)
    err(2, "%s", wpath(name));
  for(i = 0; i < n; i++){
    seed = seed * 1103515245 + 12345;
    fputc(name[0] == 'R' ? "fsck test text\n"[i % 15] : (int)(seed >> 16), f);
  }
  if(fclose(f) != 0)
    err(2, "%s", wpath(name));
}

// Does the file's content in the image equal the host file's?
static int
samecontent(struct img *im, uint inum, const char *hostname)
{
  struct img *host = img_load(wpath(hostname));
  uint size = ino_get32(im, inum, DI_SIZE), off, b;
  int same = size == host->len;

  for(off = 0; same && off < size; off += BSIZE){
    b = fblock(im, inum, off / BSIZE);
    same = b != 0 && memcmp(blk(im, b), host->p + off,
                            size - off < BSIZE ? size - off : BSIZE) == 0;
  }
  img_free(host);
  return same;
}

// The clean image: its layout, root directory, names and contents.
static void
test_mkfs_image(void)
{
  struct img *im;
  uint inum, nfiles = 5;

  check(run("%s %s %s %s %s %s %s", mkfs, wpath("base.img"), wpath("README"),
            wpath("_cat"), wpath("big"), wpath("empty"), wpath("abcdefghijklmn")) == 0,
        "mkfs of the base image failed: %s", out);
  check(strstr(out, "nmeta 46") != NULL, "mkfs summary lacks \"nmeta 46\": %s", out);
  im = img_load(wpath("base.img"));
  check(im->len == FSSIZE * BSIZE, "image is %zu bytes", im->len);
  check(sb_get(im, SB(magic)) == FSMAGIC, "superblock magic");
  check(sb_get(im, SB(size)) == FSSIZE, "superblock size");
  check(sb_get(im, SB(nblocks)) == 1954, "superblock nblocks %u", sb_get(im, SB(nblocks)));
  check(sb_get(im, SB(ninodes)) == 200, "superblock ninodes");
  check(sb_get(im, SB(nlog)) == LOGSIZE, "superblock nlog");
  check(sb_get(im, SB(logstart)) == 2, "superblock logstart");
  check(sb_get(im, SB(inodestart)) == 32, "superblock inodestart");
  check(sb_get(im, SB(bmapstart)) == 45, "superblock bmapstart");
  check(get32(blk(im, 2)) == 0, "log header is not empty");

  check(ino_get16(im, ROOTINO, DI_TYPE) == T_DIR, "root is not a directory");
  check(ino_get16(im, ROOTINO, DI_NLINK) == 1, "root nlink");
  check(ino_get32(im, ROOTINO, DI_SIZE) == (2 + nfiles) * sizeof(struct dirent), "root size");
  check(dir_lookup(im, ROOTINO, ".") == ROOTINO, "root \".\"");
  check(dir_lookup(im, ROOTINO, "..") == ROOTINO, "root \"..\"");
  check(dir_lookup(im, ROOTINO, "cat") == 3, "_cat is not cat, inode 3");
  check(dir_lookup(im, ROOTINO, "_cat") == 0, "an entry _cat exists");
  check(dir_lookup(im, ROOTINO, "abcdefghijklmn") == 6, "14-character name");

  inum = dir_lookup(im, ROOTINO, "README");
  check(inum == 2 && samecontent(im, inum, "README"), "README content");
  inum = dir_lookup(im, ROOTINO, "cat");
  check(inum && samecontent(im, inum, "_cat"), "cat content");
  inum = dir_lookup(im, ROOTINO, "big");
  check(inum && ino_get32(im, inum, DI_ADDR(NDIRECT)) != 0, "big has no indirect block");
  check(inum && samecontent(im, inum, "big"), "big content (through the indirect block)");
  check(inum && ino_get16(im, inum, DI_TYPE) == T_FILE && ino_get16(im, inum, DI_NLINK) == 1,
        "big type and nlink");
  inum = dir_lookup(im, ROOTINO, "empty");
  check(inum && ino_get32(im, inum, DI_SIZE) == 0 && ino_get32(im, inum, DI_ADDR(0)) == 0,
        "empty file");
  check(bit_get(im, 0) && bit_get(im, 45) && !bit_get(im, FSSIZE - 1), "bitmap bits");
  img_free(im);

  check(run("%s %s", fsck, wpath("base.img")) == 0, "fsck of the base image: %s", out);
  check(run("%s -v %s", fsck, wpath("base.img")) == 0 && strstr(out, "clean") != NULL,
        "fsck -v of the base image: %s", out);
}

// Append the work files prefix0 .. prefix(n-1), each of size bytes, to cmd.
static void
addinputs(char *cmd, size_t cmdsize, const char *prefix, int n, size_t size)
{
  char name[32];
  int i;

  for(i = 0; i < n; i++){
    snprintf(name, sizeof(name), "%s%d", prefix, i);
    writeinput(name, size, i);
    strncat(cmd, " ", cmdsize - strlen(cmd) - 1);
    strncat(cmd, wpath(name), cmdsize - strlen(cmd) - 1);
  }
}

// What mkfs must refuse, and the largest file it must accept.
static void
test_mkfs_limits(void)
{
  static char cmd[16384];

  writeinput("max", MAXBYTES, 7);
  check(run("%s %s %s", mkfs, wpath("max.img"), wpath("max")) == 0,
        "mkfs refused a file of exactly MAXFILE blocks: %s", out);
  check(run("%s %s", fsck, wpath("max.img")) == 0, "fsck of the max-file image: %s", out);

  writeinput("toobig", MAXBYTES + 1, 7);
  check(run("%s %s %s", mkfs, wpath("x.img"), wpath("toobig")) != 0 &&
        strstr(out, "too big") != NULL, "mkfs accepted a too-big file: %s", out);
  writeinput("abcdefghijklmno", 10, 1);
  check(run("%s %s %s", mkfs, wpath("x.img"), wpath("abcdefghijklmno")) != 0 &&
        strstr(out, "DIRSIZ") != NULL, "mkfs accepted a 15-character name: %s", out);
  check(run("%s %s %s %s", mkfs, wpath("x.img"), wpath("README"), wpath("README")) != 0 &&
        strstr(out, "already") != NULL, "mkfs accepted a duplicate name: %s", out);
  check(run("%s %s %s", mkfs, wpath("x.img"), wpath("missing")) != 0 &&
        strstr(out, "missing") != NULL, "mkfs accepted a missing file: %s", out);
  check(run("%s", mkfs) != 0 && strstr(out, "usage") != NULL, "mkfs without arguments: %s", out);

  // Eight of the largest files need more data blocks than the image has.
  snprintf(cmd, sizeof(cmd), "%s %s", mkfs, wpath("x.img"));
  addinputs(cmd, sizeof(cmd), "full", 8, MAXBYTES);
  check(run("%s", cmd) != 0 && strstr(out, "image full") != NULL,
        "mkfs did not report a full image: %s", out);
  // 200 files need more inodes than the image has (199, the root included).
  snprintf(cmd, sizeof(cmd), "%s %s", mkfs, wpath("x.img"));
  addinputs(cmd, sizeof(cmd), "f", 200, 1);
  check(run("%s", cmd) != 0 && strstr(out, "inodes") != NULL,
        "mkfs did not report running out of inodes: %s", out);
}

// ---- Damage, one function per kind; each edits a copy of the clean image.

static uint
named(struct img *im, const char *name)
{
  return dir_lookup(im, ROOTINO, name);
}

static void nothing(struct img *im) { }

// Legal states the kernel produces: subdirectories and a file hard link.
static void
subdirs(struct img *im)
{
  uint a = dir_make(im, ROOTINO, "a"), cat = named(im, "cat");

  dir_make(im, a, "b");
  dir_make(im, dir_make(im, a, "c"), "d");
  dir_add(im, a, "cat2", cat);
  ino_put16(im, cat, DI_NLINK, 2);
}

static void badmagic(struct img *im) { sb_put(im, SB(magic), 0x10203041); }
static void sbsmaller(struct img *im) { sb_put(im, SB(size), FSSIZE - 1); }
static void longer(struct img *im) { im->p = realloc(im->p, im->len += BSIZE); memset(blk(im, FSSIZE), 0, BSIZE); }
static void shorter(struct img *im) { im->len -= 10 * BSIZE; }
static void ragged(struct img *im) { im->len -= 100; }
static void tiny(struct img *im) { im->len = 100; }
static void farlog(struct img *im) { sb_put(im, SB(logstart), 0xfffffff0); }
static void regions(struct img *im) { sb_put(im, SB(inodestart), 20); }
static void badnlog(struct img *im) { sb_put(im, SB(nlog), 1); }
static void badninodes(struct img *im) { sb_put(im, SB(ninodes), 100000); }

static void usedfree(struct img *im) { bit_put(im, ino_get32(im, named(im, "big"), DI_ADDR(0)), 0); }
static void leaked(struct img *im) { bit_put(im, FSSIZE - 1, 1); }
static void metafree(struct img *im) { bit_put(im, 33, 0); }
static void nobitmap(struct img *im) { memset(blk(im, sb_get(im, SB(bmapstart))), 0, BSIZE); }

static void
shared(struct img *im)
{
  uint b = ino_get32(im, named(im, "big"), DI_ADDR(0));
  ino_put32(im, named(im, "README"), DI_ADDR(0), b);
}

static void
twice(struct img *im)
{
  uint big = named(im, "big");
  ino_put32(im, big, DI_ADDR(1), ino_get32(im, big, DI_ADDR(0)));
}

static void beyond(struct img *im) { ino_put32(im, named(im, "README"), DI_ADDR(0), 5000); }
static void intometa(struct img *im) { ino_put32(im, named(im, "README"), DI_ADDR(0), 40); }
static void badindirect(struct img *im) { ino_put32(im, named(im, "big"), DI_ADDR(NDIRECT), 3); }

static void
badindentry(struct img *im)
{
  uint ind = ino_get32(im, named(im, "big"), DI_ADDR(NDIRECT));
  put32(blk(im, ind) + 4, 70000);
}

static void hole(struct img *im) { ino_put32(im, named(im, "big"), DI_ADDR(1), 0); }
static void pastsize(struct img *im) { ino_put32(im, named(im, "README"), DI_ADDR(5), blk_alloc(im)); }
static void indpastsize(struct img *im) { ino_put32(im, named(im, "README"), DI_ADDR(NDIRECT), blk_alloc(im)); }
static void toolarge(struct img *im) { ino_put32(im, named(im, "empty"), DI_SIZE, MAXBYTES + 1); }
static void badtype(struct img *im) { ino_put16(im, named(im, "cat"), DI_TYPE, 7); }
static void ino0(struct img *im) { ino_put16(im, 0, DI_TYPE, T_FILE); }
static void filenlink(struct img *im) { ino_put16(im, named(im, "cat"), DI_NLINK, 2); }
static void rootnlink(struct img *im) { ino_put16(im, ROOTINO, DI_NLINK, 2); }
static void zeronlink(struct img *im) { ino_put16(im, named(im, "cat"), DI_NLINK, 0); }

// A subdirectory whose ".." did not raise its parent's nlink.
static void
dirnlink(struct img *im)
{
  dir_make(im, ROOTINO, "a");
  ino_put16(im, ROOTINO, DI_NLINK, 1);
}

static void dangling(struct img *im) { dir_add(im, ROOTINO, "ghost", 150); }
static void outofrange(struct img *im) { dir_add(im, ROOTINO, "ghost", 300); }

static void
freefields(struct img *im)
{
  ino_put32(im, 150, DI_SIZE, 100);
}

static void orphan(struct img *im) { ino_alloc(im, T_FILE); }
static void orphandir(struct img *im) { uint d = ino_alloc(im, T_DIR); dir_add(im, d, ".", d); dir_add(im, d, "..", ROOTINO); }

static void
unlinked(struct img *im)
{
  // the entry is gone, the inode stays: what a lost unlink leaves
  memset(dent_find(im, ROOTINO, "cat"), 0, sizeof(struct dirent));
}

static void nodot(struct img *im) { put16(dent_find(im, dir_make(im, ROOTINO, "a"), "."), 0); }
static void nodotdot(struct img *im) { put16(dent_find(im, dir_make(im, ROOTINO, "a"), ".."), 0); }
static void baddot(struct img *im) { put16(dent_find(im, ROOTINO, "."), named(im, "cat")); }

static void
baddotdot(struct img *im)
{
  uint a = dir_make(im, ROOTINO, "a"), b = dir_make(im, ROOTINO, "b");
  put16(dent_find(im, b, ".."), a);
  ino_put16(im, ROOTINO, DI_NLINK, 2);
  ino_put16(im, a, DI_NLINK, 2);
}

static void
swapdots(struct img *im)
{
  uchar *dot = dent_find(im, ROOTINO, "."), *dotdot = dent_find(im, ROOTINO, "..");
  memcpy(dot + 2, "..", 3);
  memcpy(dotdot + 2, ".", 2);
}

static void rootdotdot(struct img *im) { put16(dent_find(im, ROOTINO, ".."), dir_make(im, ROOTINO, "a")); }
static void ragdir(struct img *im) { ino_put32(im, ROOTINO, DI_SIZE, ino_get32(im, ROOTINO, DI_SIZE) + 5); }

static void
dirlink(struct img *im)
{
  uint a = dir_make(im, ROOTINO, "a");
  dir_add(im, ROOTINO, "a2", a);
  ino_put16(im, a, DI_NLINK, 2);
}

static void rootfile(struct img *im) { ino_put16(im, ROOTINO, DI_TYPE, T_FILE); }
static void badname(struct img *im) { dir_add(im, ROOTINO, "ab", named(im, "cat")); memcpy(dent_find(im, ROOTINO, "ab") + 2, "ab\0c", 4); ino_put16(im, named(im, "cat"), DI_NLINK, 2); }
static void slashname(struct img *im) { dir_add(im, ROOTINO, "a/b", named(im, "cat")); ino_put16(im, named(im, "cat"), DI_NLINK, 2); }

static void lognbig(struct img *im) { put32(blk(im, 2), LOGSIZE); }
static void lognneg(struct img *im) { put32(blk(im, 2), -1); }
static void logblock(struct img *im) { put32(blk(im, 2), 1); put32(blk(im, 2) + 4, 1); }

// A committed transaction that rewrites inode block b with new content.
static void
logcommit(struct img *im, uint b, const uchar *content)
{
  put32(blk(im, 2), 1);
  put32(blk(im, 2) + 4, b);
  memcpy(blk(im, 3), content, BSIZE);
}

// The log holds the inode block as it is: replay changes nothing.
static void
logsame(struct img *im)
{
  uint b = sb_get(im, SB(inodestart));
  logcommit(im, b, blk(im, b));
}

// The log holds the inode block with cat's type set to 9.
static void
logbad(struct img *im)
{
  uint b = sb_get(im, SB(inodestart)), cat = named(im, "cat");
  uchar save[BSIZE];

  memcpy(save, blk(im, b), BSIZE);
  ino_put16(im, cat, DI_TYPE, 9);
  logcommit(im, b, blk(im, b));
  memcpy(blk(im, b), save, BSIZE);
}

// The log creates file "new" (inode, bitmap, directory and data blocks),
// none of it installed yet: the image is clean before and after replay.
static void
logcreate(struct img *im)
{
  struct img *after = img_load(wpath("base.img"));
  uint n = ino_alloc(after, T_FILE), b = blk_alloc(after), i, nlogged = 0;
  uint blocks[4] = { sb_get(im, SB(inodestart)) + n / IPB, sb_get(im, SB(bmapstart)),
                     fblock(after, ROOTINO, 0), b };

  ino_put32(after, n, DI_SIZE, 10);
  ino_put32(after, n, DI_ADDR(0), b);
  memcpy(blk(after, b), "new file\n", 10);
  dir_add(after, ROOTINO, "new", n);
  for(i = 0; i < 4; i++){
    put32(blk(im, 2) + 4 * (i + 1), blocks[i]);
    memcpy(blk(im, 3 + i), blk(after, blocks[i]), BSIZE);
    nlogged++;
  }
  put32(blk(im, 2), nlogged);
  // the root's size lives in the inode block, logged above
  img_free(after);
}

struct fcase {
  const char *name;                 // what is wrong, for failure messages
  void (*damage)(struct img *);     // applied to a copy of the clean image
  const char *opts;                 // fsck options
  int status;                       // fsck's expected exit status
  const char *keyword;              // its report must contain each '|'-separated
                                    // part of this, if not NULL
};

static const struct fcase cases[] = {
  { "clean copy", nothing, "", 0, NULL },
  { "subdirectories and a hard link", subdirs, "", 0, NULL },
  { "subdirectories, -v", subdirs, "-v", 0, "5 directories" },

  { "bad magic", badmagic, "", 1, "magic" },
  { "superblock size smaller than the file", sbsmaller, "", 1, "does not match" },
  { "file longer than the superblock size", longer, "", 1, "does not match" },
  { "file shorter than the superblock size", shorter, "", 1, "does not match" },
  { "file not a whole number of blocks", ragged, "", 1, "whole number" },
  { "file too small for a superblock", tiny, "", 1, "too small" },
  { "regions out of order", regions, "", 1, "out of order" },
  { "log start far beyond the image", farlog, "", 1, "beyond the image" },
  { "nlog implausible", badnlog, "", 1, "nlog" },
  { "ninodes implausible", badninodes, "", 1, "ninodes" },

  { "bitmap bit cleared for a used block", usedfree, "", 1, "but marked free in the bitmap" },
  { "bitmap bit set for an unused block", leaked, "", 1, "block 1999 is marked in use in the bitmap but no inode uses it" },
  { "bitmap bit cleared for a metadata block", metafree, "", 1, "metadata block 33" },
  { "bitmap block zeroed (many problems)", nobitmap, "", 1, "more problems not shown" },
  { "block shared by two inodes", shared, "", 1, "is used by inode 2 and inode 4" },
  { "block used twice by one inode", twice, "", 1, "used twice by inode 4" },
  { "block pointer beyond the image", beyond, "", 1, "addrs 0 = 5000 is outside the data area" },
  { "block pointer into the metadata", intometa, "", 1, "addrs 0 = 40 is outside" },
  { "indirect pointer into the metadata", badindirect, "", 1, "indirect block 3 is outside" },
  { "indirect entry out of range", badindentry, "", 1, "indirect entry 1 = 70000 is outside" },
  { "hole inside the size", hole, "", 1, "no block for file block 1" },
  { "block pointer past the size", pastsize, "", 1, "past its size" },
  { "indirect block past the size", indpastsize, "", 1, "indirect block" },
  { "size over the maximum", toolarge, "", 1, "exceeds the largest file size|1 problem found" },
  { "bad inode type", badtype, "", 1, "inode 3 has bad type 7" },
  { "inode 0 in use", ino0, "", 1, "inode 0" },
  { "free inode with a size", freefields, "", 1, "free inode 150" },

  { "file nlink too high", filenlink, "", 1, "inode 3 (file) has nlink 2 but 1" },
  { "file nlink zero", zeronlink, "", 1, "has nlink 0 but 1" },
  { "root nlink too high", rootnlink, "", 1, "inode 1 (directory) has nlink 2 but 1" },
  { "parent nlink missing the child's \"..\"", dirnlink, "", 1, "inode 1 (directory) has nlink 1 but 2 directory entries" },

  { "entry to a free inode", dangling, "", 1, "refers to free inode 150" },
  { "entry beyond ninodes", outofrange, "", 1, "beyond ninodes" },
  { "orphan file", orphan, "", 1, "orphan" },
  { "orphan directory", orphandir, "", 1, "orphan" },
  { "entry removed, inode kept", unlinked, "", 1, "inode 3 (file, nlink 1) is not reachable" },
  { "missing \".\"", nodot, "", 1, "has no \".\" entry" },
  { "missing \"..\"", nodotdot, "", 1, "has no \"..\" entry" },
  { "\".\" naming another inode", baddot, "", 1, "\".\" refers to inode 3, not to itself" },
  { "wrong \"..\"", baddotdot, "", 1, "\"..\" refers to inode 7, but its parent is 1" },
  { "\".\" and \"..\" swapped", swapdots, "", 1, "are not its first two entries|1 problem found" },
  { "root's \"..\" not the root", rootdotdot, "", 1, "directory 1: \"..\" refers to inode 7" },
  { "directory size not a multiple of 16", ragdir, "", 1, "not a multiple of 16" },
  { "hard link to a directory", dirlink, "", 1, "directory 7 is linked from directory 1 and directory 1" },
  { "root not a directory", rootfile, "", 1, "root inode 1 is not a directory" },
  { "name not NUL-padded", badname, "", 1, "bad name" },
  { "name with a slash", slashname, "", 1, "bad name" },

  { "log header n too large", lognbig, "", 1, "is impossible: the log holds at most 29 blocks" },
  { "log header n negative", lognneg, "", 1, "is impossible: the log holds at most 29 blocks" },
  { "log entry naming the superblock", logblock, "", 1, "log entry 0 names block 1" },
  { "committed log (legal)", logsame, "", 0, "committed, not yet installed transaction of 1 blocks" },
  { "committed log, replayed", logsame, "-r", 0, "committed" },
  { "committed log creating a file", logcreate, "", 0, "transaction of 4 blocks" },
  { "committed log creating a file, replayed", logcreate, "-r", 0, "checking the image as replayed" },
  { "committed log that damages an inode", logbad, "", 0, "committed" },
  { "committed log that damages an inode, replayed", logbad, "-r", 1, "inode 3 has bad type 9" },
};

// Does out[] contain every '|'-separated part of keys?
static int
mentions(const char *keys)
{
  char part[256];
  const char *end;

  for(; keys != NULL; keys = end ? end + 1 : NULL){
    end = strchr(keys, '|');
    snprintf(part, sizeof(part), "%.*s", end ? (int)(end - keys) : (int)strlen(keys), keys);
    if(strstr(out, part) == NULL)
      return 0;
  }
  return 1;
}

static void
test_fsck_cases(void)
{
  const struct fcase *c;
  struct img *im;
  int st;

  for(c = cases; c < cases + sizeof(cases) / sizeof(cases[0]); c++){
    im = img_load(wpath("base.img"));
    c->damage(im);
    img_save(im, wpath("case.img"));
    img_free(im);
    st = run("%s %s %s", fsck, c->opts, wpath("case.img"));
    check(st == c->status, "%s: fsck %s exited %d, expected %d:\n%s",
          c->name, c->opts, st, c->status, out);
    check(c->keyword == NULL || mentions(c->keyword),
          "%s: fsck %s report lacks \"%s\":\n%s", c->name, c->opts, c->keyword, out);
  }
}

// A log replay with -r reads the log; the file itself must stay as it was.
static void
test_replay_readonly(void)
{
  struct img *im = img_load(wpath("base.img")), *again;

  logbad(im);
  img_save(im, wpath("case.img"));
  run("%s -r %s", fsck, wpath("case.img"));
  again = img_load(wpath("case.img"));
  check(again->len == im->len && memcmp(again->p, im->p, im->len) == 0,
        "fsck -r changed the image file");
  img_free(again);
  img_free(im);
}

static void
test_fsck_usage(void)
{
  check(run("%s", fsck) == 2 && strstr(out, "usage") != NULL, "fsck without arguments: %s", out);
  check(run("%s -x %s", fsck, wpath("base.img")) == 2, "fsck -x: %s", out);
  check(run("%s %s %s", fsck, wpath("base.img"), wpath("base.img")) == 2, "fsck with two images: %s", out);
  check(run("%s %s", fsck, wpath("missing.img")) == 2 && strstr(out, "missing.img") != NULL,
        "fsck of a missing file: %s", out);
}

int
main(int argc, char *argv[])
{
  if(argc == 4){
    mkfs = argv[1];
    fsck = argv[2];
    work = argv[3];
  } else if(argc != 1){
    fprintf(stderr, "usage: test_fsck [mkfs fsck workdir]\n");
    return 2;
  }
  snprintf(out, sizeof(out), "mkdir -p '%s'", work);
  if(system(out) != 0)
    errx(2, "cannot make %s", work);
  writeinput("README", 700, 1);
  writeinput("_cat", 3000, 2);
  writeinput("big", 50000, 3);
  writeinput("empty", 0, 4);
  writeinput("abcdefghijklmn", 100, 5);

  test_mkfs_image();
  test_mkfs_limits();
  test_fsck_cases();
  test_replay_readonly();
  test_fsck_usage();

  printf("fsck-tests: %d passed, %d failed\n", npassed, nfailed);
  return nfailed != 0;
}
