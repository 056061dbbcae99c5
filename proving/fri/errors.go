package fri

import (
	"errors"
	"fmt"
)

// ErrInvalidProof is wrapped by every rejection.
var ErrInvalidProof = errors.New("fri: invalid proof")

// Error says which check rejected the proof.
type Error struct {
	Check string // "shape", "merkle", "fold", "final", "pow", "decode", "point"
	Query int    // query number, −1 when not query-specific
	Msg   string
}

func (e *Error) Error() string {
	if e.Query >= 0 {
		return fmt.Sprintf("fri: %s check failed at query %d: %s", e.Check, e.Query, e.Msg)
	}
	return fmt.Sprintf("fri: %s check failed: %s", e.Check, e.Msg)
}

func (e *Error) Unwrap() error { return ErrInvalidProof }

func fail(check string, q int, format string, args ...any) error {
	return &Error{Check: check, Query: q, Msg: fmt.Sprintf(format, args...)}
}
