// User-space interface: system calls and the small C library in ulib.c,
// printf.c and umalloc.c. Include after kernel/types.h.
struct stat;

// system calls (usys.S)
int fork(void);
int exit(int status) __attribute__((noreturn));
int wait(int *status);
int pipe(int *fds);
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int flags);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *oldpath, const char *newpath);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sbrk(int n);
int sleep(int ticks);
int uptime(void);
int poweroff(int status);   // sync the disk and stop the machine with status
int freepages(void);        // free physical pages in the kernel
int ev6_mode(int mode);     // recovery mode: 0 conservative, 1 aggressive; -1 asks
long ev6_inject(int object, int which, int offset, int now); // mark a kernel object bad (test builds)
struct memstat;
int memstat(struct memstat *m); // recovery's memory (kernel/memstat.h)
uint64 busytime(void);      // time processes ran, all harts (10 MHz units)
struct audit_violation;
int audit(struct audit_violation *v, int max, int *checks); // kernel self-audit (kernel/audit.h)
int drvctl(int cmd, int arg, void *out); // driver tasks (kernel/drvctl.h)

// ulib.c
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
void *memmove(void *dst, const void *src, int n);
char *strchr(const char *s, char c);
int strcmp(const char *p, const char *q);
char *gets(char *buf, int max);
uint strlen(const char *s);
void *memset(void *dst, int c, uint n);
int atoi(const char *s);
int memcmp(const void *a, const void *b, uint n);
void *memcpy(void *dst, const void *src, uint n);

// printf.c
void fprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// umalloc.c
void *malloc(uint n);
void free(void *p);
