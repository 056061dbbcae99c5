package cli

import (
	"fmt"
	"strings"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// parseProgramIDs checks the values of --allow-program and returns them in
// the form the claim prints (lowercase hex): any case is accepted, anything
// that is not a program ID is bad input.
func parseProgramIDs(ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		d, err := hash.ParseDigest(strings.TrimSpace(id))
		if err != nil {
			return nil, BadInput(fmt.Errorf("--allow-program %q is not a program ID (%d hex digits, as verify and inspect print it): %w", id, 2*hash.DigestByteSize, err))
		}
		out = append(out, d.String())
	}
	return out, nil
}
