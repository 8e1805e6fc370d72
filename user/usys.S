# usys.S - user-side system-call stubs.
#
# usage: #include "user/user.h", then call e.g. write(fd, buf, n)
#
# Every stub follows the kernel's calling convention: the C arguments are
# already in a0..a5, the stub loads the call number from kernel/syscall.h
# into a7 and executes ecall; the kernel leaves the result in a0, which is
# also the C return register, so the stub just returns.
#
# The `stub` assembler macro emits one stub; SYSCALL(name) pastes the
# matching SYS_name constant so each call is listed exactly once below.
#include "kernel/syscall.h"

.macro stub name, number
	.global \name
	.type \name, @function
\name:
	li a7, \number
	ecall
	ret
	.size \name, . - \name
.endm

#define SYSCALL(name) stub name, SYS_##name

SYSCALL(fork)
SYSCALL(exit)
SYSCALL(wait)
SYSCALL(pipe)
SYSCALL(read)
SYSCALL(kill)
SYSCALL(exec)
SYSCALL(fstat)
SYSCALL(chdir)
SYSCALL(dup)
SYSCALL(getpid)
SYSCALL(sbrk)
SYSCALL(sleep)
SYSCALL(uptime)
SYSCALL(open)
SYSCALL(write)
SYSCALL(mknod)
SYSCALL(unlink)
SYSCALL(link)
SYSCALL(mkdir)
SYSCALL(close)
SYSCALL(poweroff)
SYSCALL(freepages)
SYSCALL(ev6_mode)
SYSCALL(ev6_inject)
SYSCALL(memstat)
SYSCALL(busytime)
SYSCALL(audit)
SYSCALL(drvctl)
