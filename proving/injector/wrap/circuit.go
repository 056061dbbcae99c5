package wrap

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Circuit is the Groth16 circuit (R1CS over BN254's scalar field) that verifies one
// Hemera STARK proof of a given Shape, exactly as stark.Verify does. Its public inputs
// are the statement's digest (StatementDigest), or the statement's exposed values
// (Shape.Inputs); everything else is witness.
type Circuit struct {
	Inputs []frontend.Variable `gnark:",public"`

	Publics  [][]frontend.Variable // per table
	BusMult  []frontend.Variable   // per public message
	BusTuple [][]frontend.Variable

	MainRoot, AuxRoot, QuotRoot frontend.Variable // F_r commitments
	LogUpNonce, DEEPNonce       frontend.Variable
	CumSums                     [][4]frontend.Variable
	Values                      [][][][][4]frontend.Variable // [round][matrix][point][column]

	FRI FRIProof

	shape *Shape
}

// FRIProof is the witness of the FRI opening proof.
type FRIProof struct {
	LayerRoots []frontend.Variable
	FinalPoly  [][4]frontend.Variable
	Nonce      frontend.Variable
	Queries    []Query
}

// Query is one query's openings: every input commitment's, then every layer's.
type Query struct {
	Inputs []Opening
	Layers []Opening
}

// Opening is one Merkle opening: the row of every matrix and the sibling path.
type Opening struct {
	Rows [][]frontend.Variable
	Path []frontend.Variable
}

// NewCircuit allocates the circuit of a shape (for compiling it; Assign fills one).
func NewCircuit(s *Shape) *Circuit {
	c := &Circuit{shape: s, Inputs: make([]frontend.Variable, s.NumInputs())}
	vk := s.VK
	c.Publics = make([][]frontend.Variable, len(vk.AIRs))
	for t := range c.Publics {
		c.Publics[t] = make([]frontend.Variable, s.NumPublics[t])
	}
	c.BusMult = make([]frontend.Variable, len(s.Bus))
	c.BusTuple = make([][]frontend.Variable, len(s.Bus))
	for i, b := range s.Bus {
		c.BusTuple[i] = make([]frontend.Variable, b.Len)
	}
	c.CumSums = make([][4]frontend.Variable, len(vk.AIRs))
	c.Values = make([][][][][4]frontend.Variable, len(s.Rounds))
	for r, rd := range s.Rounds {
		c.Values[r] = make([][][][4]frontend.Variable, len(rd.Tables))
		for m := range rd.Tables {
			c.Values[r][m] = make([][][4]frontend.Variable, rd.Lists[m]) // the quotient round: ζ only
			for p := range rd.Lists[m] {
				c.Values[r][m][p] = make([][4]frontend.Variable, rd.Widths[m])
			}
		}
	}
	c.FRI.LayerRoots = make([]frontend.Variable, len(s.Arities))
	c.FRI.FinalPoly = make([][4]frontend.Variable, 1<<(s.LogFinal-s.Params.LogBlowup))
	c.FRI.Queries = make([]Query, s.Params.NumQueries)
	for q := range c.FRI.Queries {
		qp := &c.FRI.Queries[q]
		qp.Inputs = make([]Opening, len(s.Rounds))
		for r, rd := range s.Rounds {
			qp.Inputs[r] = Opening{Rows: make([][]frontend.Variable, len(rd.Tables)), Path: make([]frontend.Variable, rd.LogMax)}
			for m := range rd.Tables {
				qp.Inputs[r].Rows[m] = make([]frontend.Variable, rd.Widths[m])
			}
		}
		qp.Layers = make([]Opening, len(s.Arities))
		cur := s.LogMax
		for l, a := range s.Arities {
			qp.Layers[l] = Opening{Rows: [][]frontend.Variable{make([]frontend.Variable, field.ExtDegree4<<a)}, Path: make([]frontend.Variable, cur-a)}
			cur -= a
		}
	}
	return c
}

// Define implements frontend.Circuit.
func (c *Circuit) Define(api frontend.API) error {
	if c.shape == nil {
		return fmt.Errorf("wrap: a circuit without a shape (use NewCircuit)")
	}
	return newVerifier(api, c).verify()
}

// Assign returns the circuit's full assignment for a proof of the shape with the given
// statement. The proof is checked against the shape (not verified: a proof that does
// not verify gives an assignment the circuit does not satisfy).
func Assign(s *Shape, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Circuit, error) {
	if len(proof.LogN) != len(s.LogN) {
		return nil, fmt.Errorf("wrap: a proof of %d tables for a shape of %d", len(proof.LogN), len(s.LogN))
	}
	for t := range s.LogN {
		if proof.LogN[t] != s.LogN[t] {
			return nil, fmt.Errorf("wrap: table %s has height 2^%d, the circuit's shape 2^%d", s.VK.AIRs[t].Name, proof.LogN[t], s.LogN[t])
		}
	}
	if proof.ExtDegree() != field.ExtDegree4 || proof.Hash != hash.Outer {
		return nil, fmt.Errorf("wrap: a proof over degree %d with hash %v, the circuit verifies degree 4 with %v", proof.ExtDegree(), proof.Hash, hash.Outer)
	}
	if len(publics) != len(s.NumPublics) || len(bus) != len(s.Bus) {
		return nil, fmt.Errorf("wrap: %d public value lists and %d messages, the shape has %d and %d", len(publics), len(bus), len(s.NumPublics), len(s.Bus))
	}
	c := NewCircuit(s)
	ins, err := s.StatementInputs(publics, bus)
	if err != nil {
		return nil, err
	}
	for i := range ins {
		c.Inputs[i] = ins[i].BigInt(new(big.Int))
	}
	for t := range publics {
		if len(publics[t]) != s.NumPublics[t] {
			return nil, fmt.Errorf("wrap: table %s: %d public values, the shape has %d", s.VK.AIRs[t].Name, len(publics[t]), s.NumPublics[t])
		}
		for i, v := range publics[t] {
			c.Publics[t][i] = v.Uint64()
		}
	}
	for i, m := range bus {
		if m.Bus != s.Bus[i].Bus || m.Send != s.Bus[i].Send || len(m.Tuple) != s.Bus[i].Len {
			return nil, fmt.Errorf("wrap: public message %d differs from the shape's (bus, direction or length)", i)
		}
		c.BusMult[i] = m.Mult.Uint64()
		for j, v := range m.Tuple {
			c.BusTuple[i][j] = v.Uint64()
		}
	}
	node := func(n hash.Node) frontend.Variable {
		v, ok := hash.OuterValue(&n)
		if !ok && err == nil {
			err = fmt.Errorf("wrap: a commitment that is not a %v digest", hash.Outer)
		}
		return v.BigInt(new(big.Int))
	}
	c.MainRoot, c.AuxRoot, c.QuotRoot = node(proof.MainRoot), node(proof.AuxRoot), node(proof.QuotRoot)
	c.LogUpNonce, c.DEEPNonce = proof.LogUpNonce.Uint64(), proof.DEEPNonce.Uint64()
	if len(proof.CumSums) != len(c.CumSums) {
		return nil, fmt.Errorf("wrap: %d cumulative sums for %d tables", len(proof.CumSums), len(c.CumSums))
	}
	for t := range proof.CumSums {
		c.CumSums[t] = extValue(proof.CumSums[t])
	}
	if len(proof.Values) != len(c.Values) {
		return nil, fmt.Errorf("wrap: %d opened rounds, the shape has %d", len(proof.Values), len(c.Values))
	}
	for r := range c.Values {
		if len(proof.Values[r]) != len(c.Values[r]) {
			return nil, fmt.Errorf("wrap: round %d opens %d matrices, the shape %d", r, len(proof.Values[r]), len(c.Values[r]))
		}
		for m := range c.Values[r] {
			if len(proof.Values[r][m]) != len(c.Values[r][m]) {
				return nil, fmt.Errorf("wrap: round %d matrix %d: %d points, the shape %d", r, m, len(proof.Values[r][m]), len(c.Values[r][m]))
			}
			for p := range c.Values[r][m] {
				if len(proof.Values[r][m][p]) != len(c.Values[r][m][p]) {
					return nil, fmt.Errorf("wrap: round %d matrix %d point %d: %d values, the shape %d", r, m, p, len(proof.Values[r][m][p]), len(c.Values[r][m][p]))
				}
				for i, v := range proof.Values[r][m][p] {
					c.Values[r][m][p][i] = extValue(v)
				}
			}
		}
	}
	fp, derr := fri.DecodeParams(proof.PCS, s.Params)
	if derr != nil {
		return nil, fmt.Errorf("wrap: %w", derr)
	}
	if len(fp.LayerRoots) != len(c.FRI.LayerRoots) || len(fp.FinalPoly) != len(c.FRI.FinalPoly) || len(fp.Queries) != len(c.FRI.Queries) {
		return nil, fmt.Errorf("wrap: an opening proof of %d layers, %d final coefficients and %d queries, the shape has %d, %d and %d",
			len(fp.LayerRoots), len(fp.FinalPoly), len(fp.Queries), len(c.FRI.LayerRoots), len(c.FRI.FinalPoly), len(c.FRI.Queries))
	}
	for l, r := range fp.LayerRoots {
		c.FRI.LayerRoots[l] = node(r)
	}
	for i, v := range fp.FinalPoly {
		c.FRI.FinalPoly[i] = extValue(v)
	}
	c.FRI.Nonce = fp.Nonce.Uint64()
	fill := func(dst *Opening, o merkle.Opening, what string) error {
		if len(o.Rows) != len(dst.Rows) || len(o.Path) != len(dst.Path) {
			return fmt.Errorf("wrap: %s: %d rows and a path of %d, the shape has %d and %d", what, len(o.Rows), len(o.Path), len(dst.Rows), len(dst.Path))
		}
		for m := range dst.Rows {
			if len(o.Rows[m]) != len(dst.Rows[m]) {
				return fmt.Errorf("wrap: %s: row %d has %d elements, the shape %d", what, m, len(o.Rows[m]), len(dst.Rows[m]))
			}
			for i, v := range o.Rows[m] {
				dst.Rows[m][i] = v.Uint64()
			}
		}
		for k, n := range o.Path {
			dst.Path[k] = node(n)
		}
		return nil
	}
	for q, qp := range fp.Queries {
		if len(qp.Inputs) != len(c.FRI.Queries[q].Inputs) || len(qp.Layers) != len(c.FRI.Queries[q].Layers) {
			return nil, fmt.Errorf("wrap: query %d has %d input and %d layer openings", q, len(qp.Inputs), len(qp.Layers))
		}
		for r := range qp.Inputs {
			if err := fill(&c.FRI.Queries[q].Inputs[r], qp.Inputs[r], fmt.Sprintf("query %d commitment %d", q, r)); err != nil {
				return nil, err
			}
		}
		for l := range qp.Layers {
			if err := fill(&c.FRI.Queries[q].Layers[l], qp.Layers[l], fmt.Sprintf("query %d layer %d", q, l)); err != nil {
				return nil, err
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func extValue(e field.Ext) [4]frontend.Variable {
	co := field.ExtCoords(&e)
	return [4]frontend.Variable{co[0].Uint64(), co[1].Uint64(), co[2].Uint64(), co[3].Uint64()}
}
