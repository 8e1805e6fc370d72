# First instructions of every hart. QEMU starts all harts here, in machine
# mode, with a0 = hart id. Give each hart its own boot stack (stack0 in
# start.c) and call start().
        .section .text.entry
        .globl _entry
_entry:
        la sp, stack0
        li t0, 4096
        csrr t1, mhartid
        addi t1, t1, 1
        mul t0, t0, t1
        add sp, sp, t0
        call start
1:
        wfi
        j 1b
