package lookup

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Challenges are the LogUp challenges, drawn after the main traces are committed.
//
// A tuple is compressed with an independent challenge per position: the fingerprint
// bus + Beta[0]·len + Σ_l Beta[l+1]·t_l is affine in the challenges, so the bus
// identity cleared of denominators has total degree ≤ M in (Alpha, Beta) for M
// fractions, whatever the tuples' length (powers of one β would make it M·(k + 1) for
// tuples of k elements). See [Sample].
type Challenges struct {
	Alpha field.Ext   // the pole: each message contributes mult / (Alpha − fingerprint)
	Beta  []field.Ext // Beta[0] weighs the tuple's length, Beta[1+l] its element l
}

// Degree is the degree of the extension the challenges were drawn from.
func (ch *Challenges) Degree() int { return ch.Alpha.Degree() }

// MaxTuple is the longest tuple of the tables' interactions and the public messages:
// the challenges need 1 + MaxTuple betas.
func MaxTuple(airs []*air.AIR, msgs []Message) int {
	k := 0
	for _, a := range airs {
		for _, it := range a.Interactions {
			k = max(k, len(it.Tuple))
		}
	}
	for _, m := range msgs {
		k = max(k, len(m.Tuple))
	}
	return k
}

// Sample draws the challenges from sample (the transcript's SampleExt): Alpha, then
// 1 + MaxTuple(airs, msgs) betas. Prover and verifier call it at the same point of the
// transcript with the same verifying key and public messages.
func Sample(sample func() field.Ext, airs []*air.AIR, msgs []Message) *Challenges {
	ch := &Challenges{Alpha: sample(), Beta: make([]field.Ext, 1+MaxTuple(airs, msgs))}
	for i := range ch.Beta {
		ch.Beta[i] = sample()
	}
	return ch
}

// Layout assigns a table's interactions to auxiliary (extension-field) columns: each
// group shares one column h = Σ ±m_j/d_j, and a last column holds the running sum.
type Layout struct {
	Groups [][]int
}

// NumAux is the number of extension-field auxiliary columns (the running sum last).
func (l Layout) NumAux() int {
	if len(l.Groups) == 0 {
		return 0
	}
	return len(l.Groups) + 1
}

// NumConstraints is the number of LogUp constraints: one per group, and the running
// sum's first-row, transition and last-row constraints.
func (l Layout) NumConstraints() int {
	if len(l.Groups) == 0 {
		return 0
	}
	return len(l.Groups) + 3
}

func degs(a *air.AIR, it air.Interaction) (den, num int) {
	for _, t := range it.Tuple {
		den = max(den, a.Nodes[t].Degree)
	}
	return den, a.Nodes[it.Mult].Degree
}

// GroupDegree is the degree of the constraint h·Π d_j − Σ ±m_j Π_{k≠j} d_k.
func GroupDegree(a *air.AIR, g []int) int {
	sumDen := 0
	for _, j := range g {
		d, _ := degs(a, a.Interactions[j])
		sumDen += d
	}
	deg := 1 + sumDen
	for _, j := range g {
		d, m := degs(a, a.Interactions[j])
		deg = max(deg, m+sumDen-d)
	}
	return deg
}

// NewLayout groups interactions greedily, in order, keeping every constraint's degree
// at most maxDegree.
func NewLayout(a *air.AIR, maxDegree int) (Layout, error) {
	var l Layout
	var cur []int
	for j, it := range a.Interactions {
		if GroupDegree(a, []int{j}) > maxDegree {
			return l, fmt.Errorf("lookup: table %s: interaction %q needs degree %d, more than %d", a.Name, it.Name, GroupDegree(a, []int{j}), maxDegree)
		}
		if len(cur) > 0 && GroupDegree(a, append(cur, j)) > maxDegree {
			l.Groups = append(l.Groups, cur)
			cur = nil
		}
		cur = append(cur, j)
	}
	if len(cur) > 0 {
		l.Groups = append(l.Groups, cur)
	}
	return l, nil
}

// Fingerprint is α − (bus + β_0·len + Σ_l β_(l+1)·t_l) for a tuple of len elements
// given as extension elements. The coefficients (bus, len, t_0, …) determine the tuple
// and its length, so tuples of different lengths on one bus never share a fingerprint
// polynomial ((a) and (a, 0) differ in the coefficient of β_0). Bus ids are below p
// (stark.Setup and stark.Verify check it). The tuple has at most len(ch.Beta) − 1
// elements (Sample draws enough betas for every tuple of the statement).
func Fingerprint(ch *Challenges, bus uint32, tuple []field.Ext) field.Ext {
	if len(tuple) >= len(ch.Beta) {
		panic(fmt.Sprintf("lookup: a tuple of %d elements with %d betas", len(tuple), len(ch.Beta))) // invariant of Sample's callers
	}
	var acc, t field.Ext
	for l := range tuple {
		t.Mul(&ch.Beta[l+1], &tuple[l])
		acc.Add(&acc, &t)
	}
	t.MulByElement(&ch.Beta[0], ptrElem(field.New(uint64(len(tuple)))))
	acc.Add(&acc, &t)
	t = field.NewExt(field.New(uint64(bus)))
	acc.Add(&acc, &t)
	t.Sub(&ch.Alpha, &acc)
	return t
}

// Message is a bus message outside every table: a public boundary term the verifier
// adds to the bus balance (a send when Mult > 0 as a field element's sign is meaningless,
// so Send says which).
type Message struct {
	Bus   uint32
	Send  bool
	Tuple []field.Elem
	Mult  field.Elem
}

// PublicSum returns Σ ±mult/fingerprint over messages; the bus balances when the
// tables' cumulative sums plus this sum are zero.
func PublicSum(ch *Challenges, msgs []Message) (field.Ext, error) {
	var sum field.Ext
	for i, m := range msgs {
		tuple := make([]field.Ext, len(m.Tuple))
		for l, v := range m.Tuple {
			tuple[l] = field.NewExt(v)
		}
		if len(tuple) >= len(ch.Beta) {
			return sum, fmt.Errorf("lookup: public message %d has %d elements, the challenges cover %d", i, len(tuple), len(ch.Beta)-1)
		}
		d := Fingerprint(ch, m.Bus, tuple)
		if d.IsZero() {
			return sum, fmt.Errorf("lookup: public message %d has a zero fingerprint", i)
		}
		d.Inverse(&d)
		d.MulByElement(&d, &m.Mult)
		if m.Send {
			sum.Add(&sum, &d)
		} else {
			sum.Sub(&sum, &d)
		}
	}
	return sum, nil
}

// MaxDegree is the largest degree among the layout's constraints (at least 2, the
// degree of the running sum's constraints with their selectors).
func (l Layout) MaxDegree(a *air.AIR) int {
	d := 2
	for _, g := range l.Groups {
		d = max(d, GroupDegree(a, g))
	}
	return d
}
