// sh - the command interpreter.
//
// usage: sh
//
// sh prints the prompt "$ " on fd 2, reads one line from fd 0, runs it,
// and repeats until end of input. A line is parsed into a small tree of
// commands and then run; the tree is freed before the next line.
//
//   line      = list
//   list      = pipeline { (";" | "&") [pipeline] }
//   pipeline  = command [ "|" pipeline ]
//   command   = "(" list ")" { redir }  |  ( word | redir ) { word | redir }
//   redir     = "<" word  |  ">" word  |  ">>" word
//
// `a ; b` runs a, then b. `a &` starts a without waiting for it. `a | b`
// connects a's fd 1 to b's fd 0. `< f` reads fd 0 from f, `> f` truncates
// or creates f for fd 1, `>> f` appends to it. `( ... )` runs a list in a
// subshell, so redirections after it apply to the whole group and a cd
// inside it does not change the shell's directory. Words are separated by
// blanks and by the operator characters | ; & ( ) < >; there is no
// quoting. `cd [dir]` (default "/") is built in; any other command
// is a program, looked up as given and then, if that fails and the name
// has no '/', in the root directory.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define MAXLINE 512
#define MAXNEST 16      // deepest ( ) nesting

// Parse-tree node types.
enum { EXEC, REDIR, PIPE, LIST, BACK, GROUP };

// Token kinds. The single-character operators | ; & ( ) < > are their own
// characters.
#define T_END    0
#define T_WORD   'w'
#define T_APPEND 'A'     // ">>"

struct cmd {
  int type;
  struct cmd *left;      // REDIR, BACK, GROUP: the command; PIPE, LIST: first
  struct cmd *right;     // PIPE, LIST: second part
  char *argv[MAXARG+1];  // EXEC: arguments, 0-terminated
  int argc;              // EXEC
  char *file;            // REDIR: file name
  int fd;                // REDIR: descriptor to replace
  int mode;              // REDIR: open() flags
  int append;            // REDIR: start writing at the end of file
  struct cmd *allnext;   // every node of the current line, for freeing
};

static char line[MAXLINE];
static char words[2*MAXLINE];  // NUL-terminated copies of the line's words
static struct cmd *allnodes;   // nodes allocated for the current line

// The lexer's state: the current token and where the next one starts.
static char *lp;
static int tok;
static char *tokword;          // text of the current T_WORD
static char *wordfree;         // next free byte of words[]
static int nest;               // ( ) levels open while parsing

static void run(struct cmd *c);
static void runchild(struct cmd *c) __attribute__((noreturn));

static int
isblank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v';
}

static int
isoperator(char c)
{
  return c != 0 && strchr("|;&()<>", c) != 0;
}

// Advance to the next token.
static void
next(void)
{
  while(isblank(*lp))
    lp++;
  if(*lp == 0){
    tok = T_END;
  } else if(isoperator(*lp)){
    tok = *lp++;
    if(tok == '>' && *lp == '>'){
      tok = T_APPEND;
      lp++;
    }
  } else {
    tok = T_WORD;
    tokword = wordfree;
    while(*lp != 0 && !isblank(*lp) && !isoperator(*lp))
      *wordfree++ = *lp++;
    *wordfree++ = 0;
  }
}

static struct cmd *
newcmd(int type)
{
  struct cmd *c;

  c = malloc(sizeof(*c));
  if(c == 0){
    fprintf(2, "sh: out of memory\n");
    return 0;
  }
  memset(c, 0, sizeof(*c));
  c->type = type;
  c->allnext = allnodes;
  allnodes = c;
  return c;
}

static struct cmd *
pair(int type, struct cmd *left, struct cmd *right)
{
  struct cmd *c;

  if((c = newcmd(type)) == 0)
    return 0;
  c->left = left;
  c->right = right;
  return c;
}

static void
freecmds(void)
{
  struct cmd *c;

  while((c = allnodes) != 0){
    allnodes = c->allnext;
    free(c);
  }
}

// Report a syntax error at the current token; returns 0 for the caller.
static struct cmd *
syntax(void)
{
  if(tok == T_END)
    fprintf(2, "sh: syntax error at end of line\n");
  else if(tok == T_WORD)
    fprintf(2, "sh: syntax error near %s\n", tokword);
  else if(tok == T_APPEND)
    fprintf(2, "sh: syntax error near >>\n");
  else
    fprintf(2, "sh: syntax error near %c\n", tok);
  return 0;
}

static int
isredir(int t)
{
  return t == '<' || t == '>' || t == T_APPEND;
}

// redir = ("<" | ">" | ">>") word
static struct cmd *
parseredir(void)
{
  int op = tok;
  struct cmd *c;

  next();
  if(tok != T_WORD)
    return syntax();
  if((c = newcmd(REDIR)) == 0)
    return 0;
  c->file = tokword;
  if(op == '<'){
    c->fd = 0;
    c->mode = O_RDONLY;
  } else if(op == '>'){
    c->fd = 1;
    c->mode = O_WRONLY | O_CREATE | O_TRUNC;
  } else {
    c->fd = 1;
    c->mode = O_RDWR | O_CREATE;
    c->append = 1;
  }
  next();
  return c;
}

static struct cmd *parselist(void);

// command = "(" list ")" {redir} | (word | redir) {word | redir}
// Redirections wrap the command they apply to; the first one written is
// the outermost, so it is applied first and a later one wins.
static struct cmd *
parsecommand(void)
{
  struct cmd *top = 0, **hole = &top, *body, *r;

  if(tok == '('){
    if(++nest > MAXNEST){
      fprintf(2, "sh: ( ) nested too deeply\n");
      return 0;
    }
    next();
    if((body = parselist()) == 0)
      return 0;
    if(tok != ')')
      return syntax();
    next();
    nest--;
    if((body = pair(GROUP, body, 0)) == 0)
      return 0;
  } else {
    if((body = newcmd(EXEC)) == 0)
      return 0;
  }
  for(;;){
    if(isredir(tok)){
      if((r = parseredir()) == 0)
        return 0;
      *hole = r;
      hole = &r->left;
    } else if(tok == T_WORD && body->type == EXEC){
      if(body->argc == MAXARG){
        fprintf(2, "sh: too many arguments\n");
        return 0;
      }
      body->argv[body->argc++] = tokword;
      next();
    } else {
      break;
    }
  }
  if(body->type == EXEC && body->argc == 0)
    return syntax();
  *hole = body;
  return top;
}

// pipeline = command ["|" pipeline]
// Built in a loop rather than by recursion, which could overflow the
// one-page stack on a long line.
static struct cmd *
parsepipeline(void)
{
  struct cmd *pipeline = 0, **hole = &pipeline, *c;

  for(;;){
    if((c = parsecommand()) == 0)
      return 0;
    if(tok != '|'){
      *hole = c;
      return pipeline;
    }
    next();
    if((*hole = pair(PIPE, c, 0)) == 0)
      return 0;
    hole = &(*hole)->right;
  }
}

// list = pipeline {(";" | "&") [pipeline]}
static struct cmd *
parselist(void)
{
  struct cmd *list = 0, **hole = &list, *c;

  for(;;){
    if((c = parsepipeline()) == 0)
      return 0;
    if(tok == '&'){
      if((c = pair(BACK, c, 0)) == 0)
        return 0;
    } else if(tok != ';'){
      *hole = c;
      return list;
    }
    next();
    if(tok == T_END || tok == ')'){
      *hole = c;
      return list;
    }
    if((*hole = pair(LIST, c, 0)) == 0)
      return 0;
    hole = &(*hole)->right;
  }
}

// Parse a whole line. Returns 0 for an empty line or an error.
static struct cmd *
parse(char *s)
{
  struct cmd *c;

  lp = s;
  wordfree = words;
  nest = 0;
  next();
  if(tok == T_END)
    return 0;
  if((c = parselist()) == 0)
    return 0;
  if(tok != T_END)
    return syntax();
  return c;
}

// The built-in cd. Returns 0 or -1.
static int
cd(struct cmd *c)
{
  char *dir = c->argc > 1 ? c->argv[1] : "/";

  if(c->argc > 2){
    fprintf(2, "usage: cd [dir]\n");
    return -1;
  }
  if(chdir(dir) < 0){
    fprintf(2, "cd: cannot cd to %s\n", dir);
    return -1;
  }
  return 0;
}

static int
iscd(struct cmd *c)
{
  return c->type == EXEC && strcmp(c->argv[0], "cd") == 0;
}

// Wait for child pid; returns its exit status.
static int
waitfor(int pid)
{
  int status, r;

  do {
    r = wait(&status);
  } while(r != pid && r >= 0);
  return r == pid ? status : -1;
}

static void
execute(struct cmd *c)
{
  char path[MAXPATH];

  exec(c->argv[0], c->argv);
  if(strchr(c->argv[0], '/') == 0 && strlen(c->argv[0]) + 2 <= MAXPATH){
    path[0] = '/';
    strcpy(path + 1, c->argv[0]);
    exec(path, c->argv);
  }
  fprintf(2, "sh: cannot run %s\n", c->argv[0]);
}

// Open c's file as its fd, which the caller has just closed.
static int
openredir(struct cmd *c)
{
  struct stat st;
  char buf[512];
  int fd;

  if((fd = open(c->file, c->mode)) < 0)
    return -1;
  if(c->append && fstat(fd, &st) == 0 && st.type == T_FILE){
    // There is no seek: reading to the end moves the offset there.
    while(read(fd, buf, sizeof(buf)) > 0)
      ;
  }
  return fd;
}

// Start a child that runs c with fd (0 or 1) connected to the matching end
// of pipe p. Returns its pid, or -1.
static int
pipeend(struct cmd *c, int *p, int fd)
{
  int pid;

  if((pid = fork()) == 0){
    close(fd);
    dup(p[fd]);
    close(p[0]);
    close(p[1]);
    runchild(c);
  }
  return pid;
}

// Run c in the current process, which must be a child of the shell, and
// exit with its status. Never returns. Steps that just lead to another
// node continue the loop instead of recursing.
static void
runchild(struct cmd *c)
{
  int p[2], left, right, pid;

  for(;;){
    switch(c->type){
    case EXEC:
      if(iscd(c))
        exit(cd(c) < 0);
      execute(c);
      exit(1);

    case REDIR:
      close(c->fd);
      if(openredir(c) != c->fd){
        fprintf(2, "sh: cannot open %s\n", c->file);
        exit(1);
      }
      c = c->left;
      continue;

    case GROUP:
      c = c->left;
      continue;

    case LIST:
      run(c->left);
      c = c->right;
      continue;

    case PIPE:
      if(pipe(p) < 0){
        fprintf(2, "sh: cannot make a pipe\n");
        exit(1);
      }
      left = pipeend(c->left, p, 1);
      right = left < 0 ? -1 : pipeend(c->right, p, 0);
      close(p[0]);
      close(p[1]);
      if(right < 0){
        fprintf(2, "sh: fork failed\n");
        if(left > 0)
          waitfor(left);
        exit(1);
      }
      waitfor(left);
      exit(waitfor(right));

    case BACK:
      // The job runs in a grandchild that init adopts once we exit, so the
      // shell never has to collect it.
      if((pid = fork()) == 0){
        c = c->left;
        continue;
      }
      if(pid < 0)
        fprintf(2, "sh: fork failed\n");
      exit(pid < 0);
    }
  }
}

// Run c from the shell process itself and wait for it to finish (a
// background job only has to be started). Lists and cd run here, so that
// `cd dir; ls` changes the shell's own directory; everything else,
// including a ( ) group, runs in a child.
static void
run(struct cmd *c)
{
  int pid;

  for(; c->type == LIST; c = c->right)
    run(c->left);
  if(iscd(c)){
    cd(c);
  } else if((pid = fork()) < 0){
    fprintf(2, "sh: fork failed\n");
  } else if(pid == 0){
    runchild(c);
  } else {
    waitfor(pid);
  }
}

// Read one line into line[]. Returns 0 at end of input, -1 for a line that
// does not fit (it is discarded), 1 otherwise.
static int
getline(void)
{
  int n;
  char c;

  gets(line, sizeof(line));
  n = strlen(line);
  if(n == 0)
    return 0;
  if(n < sizeof(line) - 1 || line[n-1] == '\n' || line[n-1] == '\r')
    return 1;
  while(read(0, &c, 1) == 1 && c != '\n' && c != '\r')
    ;
  return -1;
}

int
main(void)
{
  struct cmd *c;
  int r;

  for(;;){
    fprintf(2, "$ ");
    if((r = getline()) == 0)
      break;
    if(r < 0){
      fprintf(2, "sh: line too long\n");
      continue;
    }
    if((c = parse(line)) != 0)
      run(c);
    freecmds();
  }
  exit(0);
}
