package pluginv1

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Errors that cross the process boundary keep their identity: the server
// maps them to gRPC codes (ToStatus) and the client maps the codes back
// (FromStatus), so errors.Is works on the host as it did in the plugin.
var (
	// ErrInvalidInput: the request was refused because of its content (a
	// program the frontend cannot parse, records the backend cannot decode).
	ErrInvalidInput = errors.New("invalid input")
	// ErrUnimplemented: the plugin does not implement the method.
	ErrUnimplemented = errors.New("not implemented by the plugin")
	// ErrProtocol: a peer broke the protocol (chunk too large, sequence out
	// of order, missing final message, ...).
	ErrProtocol = errors.New("protocol violation")
	// ErrUnavailable: the connection to the plugin is gone, usually because
	// its process died.
	ErrUnavailable = errors.New("plugin unreachable")
)

// ToStatus turns an error returned by a plugin implementation into a gRPC
// status error.
func ToStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	code := codes.Unknown
	switch {
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	case errors.Is(err, ErrInvalidInput), errors.Is(err, ErrProtocol):
		code = codes.InvalidArgument
	case errors.Is(err, ErrUnimplemented):
		code = codes.Unimplemented
	}
	return status.Error(code, err.Error())
}

// RemoteError is an error that came back from the other end of a call.
type RemoteError struct {
	Code    codes.Code // gRPC code on the wire
	Message string     // the peer's error text
	kind    error      // sentinel matched by errors.Is, or nil
}

func (e *RemoteError) Error() string {
	switch e.Code {
	case codes.Unavailable:
		return fmt.Sprintf("%v: %s", ErrUnavailable, e.Message)
	case codes.ResourceExhausted, codes.Internal:
		if e.kind == ErrProtocol {
			return fmt.Sprintf("%v: %s", ErrProtocol, e.Message)
		}
	case codes.Unimplemented:
		if e.Message == "" {
			return ErrUnimplemented.Error()
		}
	}
	return e.Message
}

func (e *RemoteError) Unwrap() error { return e.kind }

// FromStatus turns an error returned by a gRPC call into a RemoteError whose
// sentinel (ErrInvalidInput, ErrUnimplemented, ErrProtocol, ErrUnavailable,
// context.Canceled, context.DeadlineExceeded) matches with errors.Is.
func FromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	e := &RemoteError{Code: st.Code(), Message: st.Message()}
	switch st.Code() {
	case codes.InvalidArgument:
		e.kind = ErrInvalidInput
	case codes.Unimplemented:
		e.kind = ErrUnimplemented
	case codes.ResourceExhausted:
		// gRPC refuses messages above MaxMessageSize with this code.
		e.kind = ErrProtocol
	case codes.Internal:
		// gRPC reports bytes that do not decode as the expected message
		// with this code; plugin panics (Recover) are Internal too.
		if strings.HasPrefix(st.Message(), "grpc: failed to unmarshal") {
			e.kind = ErrProtocol
		}
	case codes.Unavailable:
		e.kind = ErrUnavailable
	case codes.Canceled:
		e.kind = context.Canceled
	case codes.DeadlineExceeded:
		e.kind = context.DeadlineExceeded
	}
	return e
}

// Recover turns a panic in a plugin's method into an Internal status error,
// so that one bad request does not take the plugin process down; the stack
// goes to stderr, which the host logs under the plugin's name. Use it as
// `defer pluginv1.Recover("Load", &err)` in a method with a named result.
func Recover(op string, errp *error) {
	r := recover()
	if r == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "[ERROR] panic in %s: %v\n%s", op, r, debug.Stack())
	*errp = status.Errorf(codes.Internal, "plugin panicked in %s: %v", op, r)
}
