package module

import (
	"errors"
	"fmt"
)

// The three ways a module is refused, for errors.Is.
var (
	// ErrMalformed: the bytes are not a WebAssembly binary module (decoding failed).
	ErrMalformed = errors.New("malformed module")
	// ErrInvalid: the module decodes but does not validate.
	ErrInvalid = errors.New("invalid module")
	// ErrUnsupported: the module is valid but uses something this VM does not run
	// (floating point, SIMD, more than one memory, or an implementation limit).
	ErrUnsupported = errors.New("unsupported module")
)

// Error is a decoding or validation error at a byte offset of the module.
type Error struct {
	Kind error  // ErrMalformed, ErrInvalid or ErrUnsupported
	Off  int    // byte offset in the module
	Func int    // function index, or -1
	Msg  string // what is wrong, in the words of the WebAssembly spec where it has some
}

func (e *Error) Error() string {
	if e.Func >= 0 {
		return fmt.Sprintf("%v: offset 0x%x: function %d: %s", e.Kind, e.Off, e.Func, e.Msg)
	}
	return fmt.Sprintf("%v: offset 0x%x: %s", e.Kind, e.Off, e.Msg)
}

func (e *Error) Unwrap() error { return e.Kind }

func malformed(off int, format string, args ...any) *Error {
	return &Error{Kind: ErrMalformed, Off: off, Func: -1, Msg: fmt.Sprintf(format, args...)}
}

func invalid(off int, format string, args ...any) *Error {
	return &Error{Kind: ErrInvalid, Off: off, Func: -1, Msg: fmt.Sprintf(format, args...)}
}

func unsupported(off int, format string, args ...any) *Error {
	return &Error{Kind: ErrUnsupported, Off: off, Func: -1, Msg: fmt.Sprintf(format, args...)}
}
