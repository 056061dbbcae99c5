; keccak.s — Keccak-256 of the input, through the KECCAKF syscall.
;
; Input:  any bytes.
; Output: the 32-byte Keccak-256 digest (the original Keccak padding 0x01 … 0x80 that
;         Ethereum uses, not SHA3-256's 0x06).
;         Example: empty input → c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470.
; Exit:   halt 0.
;
; The whole input is read into BUF (READ pads the last word with zeros, fresh memory is
; zero), padded in place to a multiple of the rate (136 bytes), then absorbed block by
; block: 34 words XORed into the state, then one KECCAKF. The digest is the first 32
; bytes of the state, whose 25 little-endian 64-bit lanes are exactly Keccak's byte
; order.

.name "keccak256"
.fp 0x800

.equ STATE, 0x1000      ; 200 bytes of state
.equ BUF, 0x10000       ; the padded message
.equ RATE, 136          ; bytes absorbed per permutation

; frame slots
.equ LEN, 0             ; message length
.equ END, 4             ; BUF + LEN
.equ P, 8               ; read / absorb pointer
.equ Q, 12              ; end of the padded message
.equ X, 16
.equ Y, 20
.equ T, 24
.equ I, 28
.equ SP, 32             ; holds STATE, for the syscall

main:
        ecall input_len, [LEN]
        add   [END], [LEN], BUF
        mov   [P], BUF
read:   bgeu  [P], [END], pad           ; copy the input, a word at a time
        ecall read, [X]
        sw    [X], [P]
        add   [P], [P], 4
        jmp   read

pad:    divu  [T], [LEN], RATE          ; padded length = (len / 136 + 1) * 136
        add   [T], [T], 1
        mul   [T], [T], RATE
        add   [Q], [T], BUF
        lbu   [X], [END]                ; buf[len] ^= 0x01
        xor   [X], [X], 0x01
        sb    [X], [END]
        lbu   [X], [Q], -1              ; buf[padded-1] ^= 0x80 (the same byte when len % 136 = 135)
        xor   [X], [X], 0x80
        sb    [X], [Q], -1

        mov   [SP], STATE
        mov   [P], BUF
absorb: bgeu  [P], [Q], squeeze
        mov   [I], 0
xor:    sll   [T], [I], 2               ; state word i ^= block word i, i = 0..33
        add   [Y], [T], [P]
        lw    [X], [Y]
        add   [Y], [T], STATE
        lw    [T], [Y]
        xor   [X], [X], [T]
        sw    [X], [Y]
        add   [I], [I], 1
        bltu  [I], RATE/4, xor
        ecall keccakf, [SP]
        add   [P], [P], RATE
        jmp   absorb

squeeze:
        mov   [Y], STATE                ; write the state's first 8 words
out:    lw    [X], [Y]
        ecall write, [X], 4
        add   [Y], [Y], 4
        bltu  [Y], STATE+32, out
        halt  0
