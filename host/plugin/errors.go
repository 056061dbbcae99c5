package plugin

import (
	"errors"
	"fmt"
)

// What can go wrong with a plugin, as sentinels for errors.Is. Every error of
// this package is an [*Error] that wraps one of these with the detail.
var (
	// ErrNotPlugin: the binary did not complete a go-plugin handshake (it
	// printed something else, or exited first), or it does not serve the
	// protocol its name promises.
	ErrNotPlugin = errors.New("not a OneirOS plugin")
	// ErrIncompatible: the plugin speaks another protocol major.
	ErrIncompatible = errors.New("incompatible plugin protocol")
	// ErrChecksum: the binary's SHA-256 is not the pinned one.
	ErrChecksum = errors.New("SHA-256 mismatch")
	// ErrCrashed: the plugin's process died during a call.
	ErrCrashed = errors.New("plugin process died")
	// ErrTimeout: the plugin did not start or answer in time; it was
	// killed. A plugin that does not start in time is also ErrNotPlugin.
	ErrTimeout = errors.New("timed out")
	// ErrMalformed: the plugin sent data that breaks the protocol; it was
	// killed.
	ErrMalformed = errors.New("malformed data from the plugin")
	// ErrClosed: the plugin was closed or killed earlier.
	ErrClosed = errors.New("plugin not running")
)

// Error is an error of a plugin: which binary, during what, and why.
type Error struct {
	Plugin string // file name of the binary, e.g. "oneiros-frontend-stack"
	Path   string // where the binary is
	Op     string // "launch", "Describe", "Execute", ...
	Err    error  // wraps one of the sentinels above, or the plugin's own error
}

func (e *Error) Error() string { return fmt.Sprintf("plugin %s: %s: %v", e.Plugin, e.Op, e.Err) }

func (e *Error) Unwrap() error { return e.Err }
