package verifyshape

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// Statement flattens a statement in the order both verifiers expose it (the wrap
// circuit hashes it into its public input, the recursion program makes it its public
// outputs): every table's public values in table order, then every public message's
// multiplicity and tuple. The rest of the statement (the verifying key, the heights,
// the messages' buses and directions) is fixed by the Shape.
func Statement(publics [][]field.Elem, bus []lookup.Message) []field.Elem {
	var flat []field.Elem
	for _, p := range publics {
		flat = append(flat, p...)
	}
	for _, m := range bus {
		flat = append(flat, m.Mult)
		flat = append(flat, m.Tuple...)
	}
	return flat
}

// StatementLen is the length of Statement's flattening for the statements of s.
func (s *Shape) StatementLen() int {
	n := 0
	for _, k := range s.NumPublics {
		n += k
	}
	for _, b := range s.Bus {
		n += 1 + b.Len
	}
	return n
}
