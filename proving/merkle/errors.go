package merkle

import "errors"

// ErrMismatch reports an opening whose recomputed root differs from the commitment.
var ErrMismatch = errors.New("merkle: opening does not match the commitment")
