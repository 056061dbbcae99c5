package sbpf

import (
	"errors"
	"fmt"
)

// ErrVerify is wrapped by every error of [Verify].
var ErrVerify = errors.New("sbpf verifier")

// VerifyError says which instruction the verifier rejects and why. Reason is one of the
// Reason* constants.
type VerifyError struct {
	PC     int
	Reason string
}

// Reasons of [VerifyError]; they follow Firedancer's fd_vm_validate and Agave's verifier.
const (
	ReasonEmpty         = "empty text"
	ReasonUnaligned     = "text size is not a multiple of 8"
	ReasonOpcode        = "invalid opcode"
	ReasonSrcReg        = "invalid source register"
	ReasonDstReg        = "invalid destination register"
	ReasonJumpOut       = "jump out of bounds"
	ReasonJumpToLddw    = "jump into the second slot of lddw"
	ReasonEndImm        = "invalid endianness immediate"
	ReasonIncompleteLD  = "incomplete lddw at the end of the text"
	ReasonLddwNoSecond  = "lddw without its second slot"
	ReasonDivByZeroImm  = "division by an immediate zero"
	ReasonShiftOverflow = "shift immediate out of range"
	ReasonCallxReg      = "callx names an invalid register"
)

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%v: instruction %d: %s", ErrVerify, e.PC, e.Reason)
}

func (e *VerifyError) Unwrap() error { return ErrVerify }

// StackFrameAlign is the alignment of add64 r10, imm in versions with manual stack frame
// bumps.
const StackFrameAlign = 64

// Verify runs the static verifier on a text section: every instruction must exist in the
// version, jumps must stay inside the text and not land on the second slot of lddw,
// registers must be r0..r10 (r10 only as a store's base, or in add64 r10, imm where the
// version bumps stack frames by hand), and immediates must be in range for division,
// shifts and byte swaps. It reports the first violation in text order.
func Verify(text []byte, v Version) error {
	if len(text)%InsnSize != 0 {
		return &VerifyError{PC: len(text) / InsnSize, Reason: ReasonUnaligned}
	}
	n := len(text) / InsnSize
	if n == 0 {
		return &VerifyError{Reason: ReasonEmpty}
	}
	at := func(i int) Insn { return DecodeInsn(text[i*InsnSize:]) }
	for i := 0; i < n; i++ {
		in := at(i)
		o := Decode(in.Op, v)
		if !o.Valid() {
			return &VerifyError{PC: i, Reason: ReasonOpcode}
		}
		switch o.Check {
		case CheckJump:
			t := i + int(in.Off) + 1
			if t < 0 || t >= n {
				return &VerifyError{PC: i, Reason: ReasonJumpOut}
			}
			if at(t).Op == 0 {
				return &VerifyError{PC: i, Reason: ReasonJumpToLddw}
			}
		case CheckEnd:
			if in.Imm != 16 && in.Imm != 32 && in.Imm != 64 {
				return &VerifyError{PC: i, Reason: ReasonEndImm}
			}
		case CheckLddw:
			if i+1 >= n {
				return &VerifyError{PC: i, Reason: ReasonIncompleteLD}
			}
			if at(i+1).Op != 0 {
				return &VerifyError{PC: i, Reason: ReasonLddwNoSecond}
			}
			i++ // the second slot is not an instruction
		case CheckDivImm:
			if in.Imm == 0 {
				return &VerifyError{PC: i, Reason: ReasonDivByZeroImm}
			}
		case CheckSh32:
			if uint32(in.Imm) >= 32 {
				return &VerifyError{PC: i, Reason: ReasonShiftOverflow}
			}
		case CheckSh64:
			if uint32(in.Imm) >= 64 {
				return &VerifyError{PC: i, Reason: ReasonShiftOverflow}
			}
		case CheckCallx:
			if CallxReg(in, v) > 9 {
				return &VerifyError{PC: i, Reason: ReasonCallxReg}
			}
		}
		if in.Src > 10 {
			return &VerifyError{PC: i, Reason: ReasonSrcReg}
		}
		if in.Dst == 10 && v.ManualStackFrameBump() && in.Op == 0x07 && uint32(in.Imm)%StackFrameAlign == 0 {
			continue
		}
		if in.Dst > 10 || (in.Dst == 10 && o.Check != CheckStore) {
			return &VerifyError{PC: i, Reason: ReasonDstReg}
		}
	}
	return nil
}

// CallxReg returns the register callx takes its target from: the immediate in v0 and v1,
// the source register in v2, the destination register from v3 on. A value above 15 (an
// immediate) is returned as is; the verifier rejects anything above 9.
func CallxReg(in Insn, v Version) uint32 {
	switch {
	case v.CallxUsesSrc():
		return uint32(in.Src)
	case v.CallxUsesDst():
		return uint32(in.Dst)
	}
	return uint32(in.Imm)
}
