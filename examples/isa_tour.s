; isa_tour.s — one pass over every instruction of the normalized ISA.
;
; Input:  two little-endian u32 words x and y (8 bytes); any further bytes are left unread.
;         If x = 0xdead the program stops at once with TRAP 3.
; Output: little-endian u32 words, in this order:
;   1. x op y for the 20 ALU opcodes in opcode order:
;      add sub mul mulh mulhu mulhsu div divu rem remu slt sltu eq ne and or xor sll srl sra
;   2. immediate operands: x + 5, 100 - y, x ^ 0xffffffff
;   3. memory, with x stored unaligned at BUF+1 (sw) and y's low half stored across a page
;      boundary at 0x1ffff (sh): lw BUF+1, lh BUF+1, lhu BUF+1, lb BUF+2, lbu BUF+2,
;      the words at 0x1fffc and 0x20000, then (after sb y at BUF+7) the word at BUF+4
;   4. branches on (x, y), 1 if taken: beq bne blt bge bltu bgeu
;   5. control: 0x4a4d50 ("PMJ") after an indirect and a direct jump, x*x by a direct call,
;      y*y by an indirect call, and the input bytes left unread
;   6. Keccak-f[1600] of the zero state, lane 0: low word then high word
;      (0x40e1dde7, 0xf1258f79)
;   7. SHA-256("abc") by one SHA256_COMPRESS: the 32 digest bytes
;      (ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad)
; Exit:   halt with code (x + y) & 0xff.

.name "isa_tour"
.fp 0x2000

.equ BUF, 0x8000        ; scratch memory
.equ EDGE, 0x1fffc      ; the last word of a page
.equ KSTATE, 0x9000     ; 200 zero bytes for KECCAKF
.equ SHASTATE, 0xa000   ; SHA-256 state, big-endian bytes
.equ SHABLOCK, 0xa040   ; the padded block of "abc"

; frame slots
.equ X, 0
.equ Y, 4
.equ R, 8               ; the word to print
.equ T, 12
.equ L, 16
.equ F, 64              ; callee frames start F bytes above ours: [0] pc, [4] fp, [8] arg, [12] result

main:
        ecall read, [X]
        ecall read, [Y]
        beq   [X], 0xdead, boom

        ; 1. ALU, both operands slots
        add    [R], [X], [Y]
        ecall  write, [R], 4
        sub    [R], [X], [Y]
        ecall  write, [R], 4
        mul    [R], [X], [Y]
        ecall  write, [R], 4
        mulh   [R], [X], [Y]
        ecall  write, [R], 4
        mulhu  [R], [X], [Y]
        ecall  write, [R], 4
        mulhsu [R], [X], [Y]
        ecall  write, [R], 4
        div    [R], [X], [Y]
        ecall  write, [R], 4
        divu   [R], [X], [Y]
        ecall  write, [R], 4
        rem    [R], [X], [Y]
        ecall  write, [R], 4
        remu   [R], [X], [Y]
        ecall  write, [R], 4
        slt    [R], [X], [Y]
        ecall  write, [R], 4
        sltu   [R], [X], [Y]
        ecall  write, [R], 4
        eq     [R], [X], [Y]
        ecall  write, [R], 4
        ne     [R], [X], [Y]
        ecall  write, [R], 4
        and    [R], [X], [Y]
        ecall  write, [R], 4
        or     [R], [X], [Y]
        ecall  write, [R], 4
        xor    [R], [X], [Y]
        ecall  write, [R], 4
        sll    [R], [X], [Y]
        ecall  write, [R], 4
        srl    [R], [X], [Y]
        ecall  write, [R], 4
        sra    [R], [X], [Y]
        ecall  write, [R], 4

        ; 2. immediates as B or C
        add    [R], [X], 5
        ecall  write, [R], 4
        sub    [R], 100, [Y]
        ecall  write, [R], 4
        xor    [R], [X], -1
        ecall  write, [R], 4

        ; 3. memory
        mov    [T], BUF
        sw     [X], [T], 1              ; unaligned: bytes BUF+1 .. BUF+4
        lw     [R], [T], 1
        ecall  write, [R], 4
        lh     [R], [T], 1
        ecall  write, [R], 4
        lhu    [R], [T], 1
        ecall  write, [R], 4
        lb     [R], [T], 2
        ecall  write, [R], 4
        lbu    [R], [T], 2
        ecall  write, [R], 4
        sh     [Y], EDGE, 3             ; bytes 0x1ffff and 0x20000: two pages
        lw     [R], EDGE
        ecall  write, [R], 4
        lw     [R], EDGE, 4
        ecall  write, [R], 4
        sb     [Y], [T], 7
        lw     [R], [T], 4
        ecall  write, [R], 4

        ; 4. branches
        mov    [R], 1
        beq    [X], [Y], t1
        mov    [R], 0
t1:     ecall  write, [R], 4
        mov    [R], 1
        bne    [X], [Y], t2
        mov    [R], 0
t2:     ecall  write, [R], 4
        mov    [R], 1
        blt    [X], [Y], t3
        mov    [R], 0
t3:     ecall  write, [R], 4
        mov    [R], 1
        bge    [X], [Y], t4
        mov    [R], 0
t4:     ecall  write, [R], 4
        mov    [R], 1
        bltu   [X], [Y], t5
        mov    [R], 0
t5:     ecall  write, [R], 4
        mov    [R], 1
        bgeu   [X], [Y], t6
        mov    [R], 0
t6:     ecall  write, [R], 4

        ; 5. jumps and calls
        mov    [T], hop                 ; a code label is an instruction index
        jmp    [T]
        trap   98
hop:    jmp    landed
        trap   99
landed: mov    [R], 0x4a4d50
        ecall  write, [R], 4
        mov    [F+8], [X]
        call   square, F
        ecall  write, [F+12], 4
        mov    [T], square
        mov    [F+8], [Y]
        call   [T], F
        ecall  write, [F+12], 4
        ecall  input_len, [L]
        ecall  write, [L], 4

        ; 6. KECCAKF on the zero state
        mov    [T], KSTATE
        ecall  keccakf, [T]
        lw     [R], KSTATE
        ecall  write, [R], 4
        lw     [R], KSTATE, 4
        ecall  write, [R], 4

        ; 7. SHA256_COMPRESS: state pointer in [a], block pointer as an immediate B
        mov    [T], SHASTATE
        ecall  sha256_compress, [T], SHABLOCK
        mov    [T], 0
digest: lw     [R], [T], SHASTATE
        ecall  write, [R], 4
        add    [T], [T], 4
        bltu   [T], 32, digest

        add    [R], [X], [Y]
        and    [R], [R], 0xff
        halt   [R]

boom:   trap   3

square: mul    [12], [8], [8]           ; [12] = [8]^2 in the callee's frame
        ret

.data SHASTATE                          ; H(0), big-endian
        .byte 0x6a, 0x09, 0xe6, 0x67, 0xbb, 0x67, 0xae, 0x85
        .byte 0x3c, 0x6e, 0xf3, 0x72, 0xa5, 0x4f, 0xf5, 0x3a
        .byte 0x51, 0x0e, 0x52, 0x7f, 0x9b, 0x05, 0x68, 0x8c
        .byte 0x1f, 0x83, 0xd9, 0xab, 0x5b, 0xe0, 0xcd, 0x19
.data SHABLOCK                          ; "abc", 0x80, zeros, bit length 24
        .ascii "abc"
        .byte 0x80
        .zero 59
        .byte 24
