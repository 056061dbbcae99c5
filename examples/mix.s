; mix.s — a long-running mixing loop, for proving benchmarks.
;
; Input:  n as a little-endian u32: the number of iterations (about 12 cycles each).
; Output: the final 32-bit hash, little endian.
; Exit:   halt 0.
;
; Each iteration loads a word of a 1 KiB table, mixes it into the hash with xor, a
; multiplication, an add, a shift and a rotate-free xor-shift, and stores the hash back:
; every ALU family, loads, stores and a branch, in proportions close to compiled code.

.name "mix"
.fp 0x1000
.equ BUF, 0x10000

.equ N, 0
.equ I, 4
.equ H, 8
.equ IDX, 12
.equ X, 16
.equ T, 20

main:   ecall read, [N]
        mov   [I], 0
        mov   [H], 0x9e3779b9
loop:   and   [IDX], [I], 255
        sll   [IDX], [IDX], 2
        lw    [X], [IDX], BUF
        xor   [X], [X], [H]
        mul   [H], [X], 0x01000193
        add   [H], [H], [I]
        srl   [T], [H], 7
        xor   [H], [H], [T]
        sw    [H], [IDX], BUF
        add   [I], [I], 1
        bltu  [I], [N], loop
        ecall write, [H], 4
        halt  0
