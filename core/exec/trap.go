package exec

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// TrapError describes how a trapped run ended. Run reports it in Result.Trap; it is a
// result of the program, not a failure of Run.
type TrapError struct {
	Status isa.ExitStatus
	Code   uint32 // the operand of an explicit TRAP; 0 otherwise
	PC     uint32 // the instruction that trapped (or the invalid pc)
	Clk    uint64 // its cycle number
	Msg    string // the cause, with the values involved
}

func (e *TrapError) Error() string {
	return fmt.Sprintf("trap at pc %d (clk %d): %s: %s", e.PC, e.Clk, e.Status, e.Msg)
}
