package keys

import (
	"errors"
	"fmt"
)

// SetupCommand is the command that makes the keys for the wrap circuit. Every
// error that says the cached keys cannot be used names it.
const SetupCommand = "oneiros wrap setup"

// howToMake is what the errors tell a user to do.
var howToMake = fmt.Sprintf("make them with %q (a local set-up, for development), or from a ceremony (docs/injector-keys.md)", SetupCommand)

// MissingKeysError reports that the keys for a circuit version are not in the
// cache, or that one of their files is absent. A CLI maps it to exit code 2.
type MissingKeysError struct {
	ID      string // the circuit id asked for
	Missing string // what is absent: "key directory", "meta.json", "vk.bin", "pk.bin"
	Path    string // where it was looked for
}

func (e *MissingKeysError) Error() string {
	if e.Missing == missingBinding {
		return fmt.Sprintf("no wrap keys are set up for %s (nothing at %s); %s", e.ID, e.Path, howToMake)
	}
	return fmt.Sprintf("no wrap keys for circuit %s: %s missing at %s; %s",
		e.ID, e.Missing, e.Path, howToMake)
}

// missingBinding is MissingKeysError.Missing for a label without a binding.
const missingBinding = "binding"

// InvalidKeysError reports that the cached keys are present but cannot be used:
// a file is for another circuit version, its digest does not match meta.json,
// or it does not decode. A CLI maps it to exit code 2, like [MissingKeysError].
type InvalidKeysError struct {
	ID     string // the circuit id asked for
	What   string // what is wrong: "circuit id", "vk.bin digest", "pk.bin", ...
	Path   string // the file at fault
	Want   string // the expected value, when the fault is a mismatch
	Got    string // the value found, when the fault is a mismatch
	Reason error  // the underlying error, when the fault is a decoding error
}

func (e *InvalidKeysError) Error() string {
	msg := fmt.Sprintf("unusable wrap keys for circuit %s: %s", e.ID, e.What)
	if e.Want != "" || e.Got != "" {
		msg += fmt.Sprintf(" mismatch (want %s, got %s)", e.Want, e.Got)
	}
	if e.Reason != nil {
		msg += ": " + e.Reason.Error()
	}
	return msg + fmt.Sprintf(" at %s; %s", e.Path, howToMake)
}

func (e *InvalidKeysError) Unwrap() error { return e.Reason }

// IsKeysError reports whether err says that the cached keys are missing or
// unusable ([MissingKeysError] or [InvalidKeysError]): the user's remedy is
// [SetupCommand], and a CLI exits with code 2.
func IsKeysError(err error) bool {
	var m *MissingKeysError
	var i *InvalidKeysError
	return errors.As(err, &m) || errors.As(err, &i)
}
