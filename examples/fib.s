; fib.s — the n-th Fibonacci number mod 2^32, by tail-recursive calls.
;
; Input:  n as a little-endian u32 (4 bytes).
; Output: fib(n) mod 2^32 as a little-endian u32; fib(0) = 0, fib(1) = 1.
;         Example: input 0a 00 00 00 → output 37 00 00 00 (fib(10) = 55).
; Exit:   halt 0.
;
; fib(n, a, b) = n == 0 ? a : fib(n-1, b, a+b), called as fib(n, 0, 1). Every level is a
; real CALL with its own frame F bytes above the caller's; the results come back
; through n RETs. A frame: [0] return pc, [4] caller's fp (both written by CALL),
; [8] n, [12] a, [16] b, [20] result.

.name "fib"
.fp 0x100000
.entry main

.equ F, 24              ; frame size: the callee's frame starts at fp + F
.equ RET_PC, 0
.equ N, 8
.equ A, 12
.equ B, 16
.equ R, 20

main:
        ecall read, [F+N]               ; the arguments go into the callee's frame
        mov   [F+A], 0
        mov   [F+B], 1
        call  fib, F
        ecall write, [F+R], 4
        halt  0

fib:    bne   [N], 0, step
        mov   [R], [A]                  ; fib(0, a, b) = a
        ret
step:   sub   [F+N], [N], 1             ; fib(n-1, b, a+b)
        mov   [F+A], [B]
        add   [F+B], [A], [B]
        call  fib, F
        mov   [R], [F+R]
        ret
