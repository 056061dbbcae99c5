; sort.s — insertion sort of unsigned 32-bit words.
;
; Input:  a sequence of little-endian u32 words (a trailing partial word is ignored).
; Output: the same words sorted ascending as unsigned numbers, little endian.
;         Example: input 03 00 00 00 01 00 00 00 02 00 00 00 → output 01 .. 02 .. 03 ..
; Exit:   halt 0.
;
; The words live in an array at ARR; the frame holds the loop variables.

.name "sort"
.fp 0x1000

.equ ARR, 0x10000       ; the array, n words

; frame slots
.equ N, 0               ; number of words
.equ I, 4               ; outer index
.equ P, 8               ; pointer into the array
.equ X, 12              ; the key being inserted
.equ Y, 16              ; its left neighbour

main:
        ecall input_len, [N]
        srl   [N], [N], 2               ; n = len / 4
        mov   [I], 0
        mov   [P], ARR
read:   bgeu  [I], [N], sort            ; for i < n: a[i] = next input word
        ecall read, [X]
        sw    [X], [P], 0
        add   [P], [P], 4
        add   [I], [I], 1
        jmp   read

sort:   mov   [I], 1                    ; for i = 1 .. n-1
outer:  bgeu  [I], [N], print
        sll   [P], [I], 2
        add   [P], [P], ARR             ; p = &a[i]
        lw    [X], [P], 0               ; x = a[i]
inner:  beq   [P], ARR, place           ; while p > &a[0]
        lw    [Y], [P], -4              ;   y = p[-1]
        bgeu  [X], [Y], place           ;   and y > x:
        sw    [Y], [P], 0               ;     p[0] = y
        sub   [P], [P], 4               ;     p--
        jmp   inner
place:  sw    [X], [P], 0               ; *p = x
        add   [I], [I], 1
        jmp   outer

print:  mov   [I], 0
        mov   [P], ARR
out:    bgeu  [I], [N], done            ; write a[0..n) as 4-byte words
        lw    [X], [P], 0
        ecall write, [X], 4
        add   [P], [P], 4
        add   [I], [I], 1
        jmp   out

done:   halt  0
