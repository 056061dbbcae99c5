package poseidon2

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the permutation table: one row per permutation.
type Columns struct {
	// Real is 1 on a row whose permutation some chip asked for (0: padding).
	Real air.Column
	// Dom and ID name the call on the bus: a caller's domain and its identifier within it.
	Dom, ID air.Column
	// In is the permutation's input state.
	In [Width]air.Column
	// Full holds the state after each full round (after its M_E); Full[FullRounds−1] is
	// the permutation's output.
	Full [FullRounds][Width]air.Column
	// Partial holds each partial round's S-box output (x_0 + c)^3; the other 15 elements
	// of a partial round's state are linear in the columns before it and are not stored.
	Partial [PartialRounds]air.Column
}

// NumColumns is the number of main columns: 3 + 16 + 6·16 + 21 = 136.
const NumColumns = 3 + Width + FullRounds*Width + PartialRounds

func newColumns(b *air.Builder) *Columns {
	c := &Columns{Real: b.Main("real"), Dom: b.Main("dom"), ID: b.Main("id")}
	copy(c.In[:], b.MainN("in", Width))
	for f := range c.Full {
		copy(c.Full[f][:], b.MainN(fmt.Sprintf("full%d", f), Width))
	}
	copy(c.Partial[:], b.MainN("partial", PartialRounds))
	return c
}
