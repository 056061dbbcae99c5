package translate

import (
	"errors"
	"fmt"
)

// Errors of translation, for errors.Is. Decoding and validation errors come from the
// module package (module.ErrMalformed, module.ErrInvalid, module.ErrUnsupported).
var (
	// ErrLink: an import cannot be resolved or has an incompatible type.
	ErrLink = errors.New("link error")
	// ErrUnsupported: the module is valid but cannot be translated (floating point in
	// strict mode, an implementation limit).
	ErrUnsupported = errors.New("unsupported")
)

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnsupported, fmt.Sprintf(format, args...))
}

func linkErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrLink, fmt.Sprintf(format, args...))
}
