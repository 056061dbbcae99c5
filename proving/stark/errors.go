package stark

import (
	"errors"
	"fmt"
)

// ErrInvalidProof is wrapped by every rejection of a proof.
var ErrInvalidProof = errors.New("stark: invalid proof")

// Error says which check rejected a proof, and where.
type Error struct {
	Check string // "shape", "decode", "bus", "constraints", "pcs"
	Table string // the table concerned, if any
	Msg   string
	Err   error // the underlying rejection (e.g. from the PCS), if any
}

func (e *Error) Error() string {
	s := "stark: " + e.Check + " check failed"
	if e.Table != "" {
		s += " for table " + e.Table
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap lets errors.Is find both ErrInvalidProof and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidProof, e.Err}
	}
	return []error{ErrInvalidProof}
}

func reject(check, table, format string, args ...any) error {
	return &Error{Check: check, Table: table, Msg: fmt.Sprintf(format, args...)}
}
