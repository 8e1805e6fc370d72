// ls - list files.
//
// usage: ls [path ...]
//
// For a directory, prints one line per entry; for any other file, one
// line for that file. Each line is "name type inode size", with the name
// padded to a column and type 1 for a directory, 2 for a file, 3 for a
// device. With no arguments, lists ".". Exits with status 1 if any path
// could not be listed.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "user/user.h"

static void
show(const char *name, struct stat *st)
{
  char pad[DIRSIZ+1];
  int n = strlen(name);

  memset(pad, ' ', DIRSIZ);
  pad[n < DIRSIZ ? DIRSIZ - n : 0] = 0;
  printf("%s%s %d %u %lu\n", name, pad, st->type, st->ino, st->size);
}

// List the entries of the open directory fd, whose path is dir.
static int
listdir(int fd, const char *dir)
{
  struct dirent de;
  struct stat st;
  char path[MAXPATH], name[DIRSIZ+1];
  int len = strlen(dir), status = 0;

  if(len + 1 + DIRSIZ + 1 > sizeof(path)){
    fprintf(2, "ls: path too long: %s\n", dir);
    return 1;
  }
  strcpy(path, dir);
  path[len] = '/';
  while(read(fd, &de, sizeof(de)) == sizeof(de)){
    if(de.inum == 0)
      continue;
    memmove(name, de.name, DIRSIZ);
    name[DIRSIZ] = 0;
    strcpy(path + len + 1, name);
    if(stat(path, &st) < 0){
      fprintf(2, "ls: cannot stat %s\n", path);
      status = 1;
      continue;
    }
    show(name, &st);
  }
  return status;
}

static int
ls(const char *path)
{
  struct stat st;
  int fd, status = 0;

  if((fd = open(path, O_RDONLY)) < 0){
    fprintf(2, "ls: cannot open %s\n", path);
    return 1;
  }
  if(fstat(fd, &st) < 0){
    fprintf(2, "ls: cannot stat %s\n", path);
    status = 1;
  } else if(st.type == T_DIR){
    status = listdir(fd, path);
  } else {
    show(path, &st);
  }
  close(fd);
  return status;
}

int
main(int argc, char *argv[])
{
  int status = 0;

  if(argc < 2)
    return ls(".");
  for(int i = 1; i < argc; i++)
    status |= ls(argv[i]);
  return status;
}
