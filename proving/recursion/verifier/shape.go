package verifier

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Shape is what a verifier program is emitted for: the verifying key, the proof
// parameters, the height of every table and the shape of the statement (each table's
// number of public values; each public bus message's bus, direction and tuple length).
// Everything else — the public values, the messages' multiplicities and tuples, the
// commitments, nonces, opened values and the FRI proof — is the program's input.
type Shape struct {
	VK     *stark.VerifyingKey
	Params fri.Params
	LogN   []int
	// NumPublics is the number of public values of each table (the AIR's).
	NumPublics []int
	// Bus describes each public bus message: its bus, direction and tuple length.
	Bus []BusShape

	present  []int
	hasAux   bool
	maxTuple int
	rounds   []roundShape
	groups   []groupShape
	logMax   int // the FRI schedule (fri.FoldSchedule)
	logFinal int
	arities  []int
}

// BusShape is the constant part of a public bus message.
type BusShape struct {
	Bus  uint32
	Send bool
	Len  int
}

// roundShape is one opened commitment: per matrix its table, width, log LDE height,
// the number of opened value lists (0 for an absent optional table's preprocessed
// matrix, 1 at ζ, 2 at ζ and ζ·ω) and its group (−1 when opened nowhere).
type roundShape struct {
	tables []int
	widths []int
	logLDE []int
	lists  []int
	group  []int
	logMax int
}

// groupShape is package fri's group: the matrices of one LDE height opened at the same
// distinct points — ζ alone, or ζ and ζ·ω with ω the generator of the tables' domain of
// log size logL − log_blowup (a one-row table's ζ·ω is ζ: it has one point).
type groupShape struct {
	logL int
	two  bool
}

// maxRowWidth is the widest matrix package fri opens (its Verify refuses wider ones).
const maxRowWidth = 1 << 16

// NewShape derives the shape of the proofs of vk under the engine parameters p with the
// table heights logN, the public values publics and the public bus messages bus (only
// their sizes and constant fields are kept). It refuses what the verifier program does
// not verify — zero knowledge, an extension of degree other than 4, any hash but the
// Narrow one — and what the native verifier (hemera.Engine.Verify) rejects whatever the
// proof: heights out of range or unlike the preprocessed ones, an absent table that is
// not optional, bus slot counts that could wrap, security below p's floors.
func NewShape(vk *stark.VerifyingKey, p hemera.Params, logN []int, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	params := p.FRI
	if err := params.Validate(); err != nil {
		return nil, err
	}
	switch {
	case params.ZK:
		return nil, fmt.Errorf("recursion verifier: zero-knowledge proofs are not verified (engine.zk must be false)")
	case params.Ext() != field.ExtDegree4:
		return nil, fmt.Errorf("recursion verifier: extension degree %d, the program verifies degree 4", params.Ext())
	case params.Hash != hash.Narrow:
		return nil, fmt.Errorf("recursion verifier: hash %v, the program verifies proofs hashed with %v", params.Hash, hash.Narrow)
	case vk.Hash != hash.Narrow || vk.LogBlowup != params.LogBlowup:
		return nil, fmt.Errorf("recursion verifier: a verifying key for hash %v and blowup 2^%d, the parameters have %v and 2^%d", vk.Hash, vk.LogBlowup, params.Hash, params.LogBlowup)
	}
	T := len(vk.AIRs)
	if len(logN) != T || len(publics) != T {
		return nil, fmt.Errorf("recursion verifier: %d heights and %d public value lists for %d tables", len(logN), len(publics), T)
	}
	s := &Shape{VK: vk, Params: params, LogN: append([]int(nil), logN...), NumPublics: make([]int, T)}
	for t, a := range vk.AIRs {
		if len(publics[t]) != len(a.Publics) {
			return nil, fmt.Errorf("recursion verifier: table %s: %d public values, the AIR declares %d", a.Name, len(publics[t]), len(a.Publics))
		}
		s.NumPublics[t] = len(a.Publics)
		l := logN[t]
		if l == stark.Absent {
			if !vk.Optional[t] {
				return nil, fmt.Errorf("recursion verifier: table %s is absent but not optional", a.Name)
			}
			continue
		}
		if l < 0 || l+params.LogBlowup > field.TwoAdicity {
			return nil, fmt.Errorf("recursion verifier: table %s: height 2^%d out of range", a.Name, l)
		}
		if vk.PrepLogN[t] >= 0 && vk.PrepLogN[t] != l {
			return nil, fmt.Errorf("recursion verifier: table %s: height 2^%d, preprocessed height 2^%d", a.Name, l, vk.PrepLogN[t])
		}
		s.present = append(s.present, t)
		s.hasAux = s.hasAux || vk.Layouts[t].NumAux() > 0
	}
	if len(s.present) == 0 {
		return nil, fmt.Errorf("recursion verifier: every table is absent")
	}
	if sec := hemera.Analyze(params, hemera.ShapeOf(vk, logN, bus)); sec.Conjectured < p.MinSecurityBits || sec.Provable < p.MinProvableBits {
		return nil, fmt.Errorf("recursion verifier: proofs of this shape have %d bits of conjectured and %d of provable security, below the floors %d and %d",
			sec.Conjectured, sec.Provable, p.MinSecurityBits, p.MinProvableBits)
	}
	if err := stark.CheckBuses(vk, logN, bus); err != nil {
		return nil, fmt.Errorf("recursion verifier: %w (the native verifier refuses these heights)", err)
	}
	for _, m := range bus {
		s.Bus = append(s.Bus, BusShape{Bus: m.Bus, Send: m.Send, Len: len(m.Tuple)})
	}
	s.maxTuple = lookup.MaxTuple(vk.AIRs, bus)

	B := params.LogBlowup
	var widthErr error
	// addRound adds a round whose matrices are opened at ζ (lists 1) or at ζ and ζ·ω
	// (lists 2); an absent table's matrix has its preprocessed height and no lists.
	addRound := func(tables, widths []int, lists int) {
		var r roundShape
		for i, t := range tables {
			if (widths[i] < 1 || widths[i] > maxRowWidth) && widthErr == nil {
				widthErr = fmt.Errorf("recursion verifier: table %s: a committed matrix of width %d, package fri opens widths 1 to %d", vk.AIRs[t].Name, widths[i], maxRowWidth)
			}
			l, n := logN[t], lists
			if l == stark.Absent {
				l, n = vk.PrepLogN[t], 0
			}
			r.tables = append(r.tables, t)
			r.widths = append(r.widths, widths[i])
			r.logLDE = append(r.logLDE, l+B)
			r.lists = append(r.lists, n)
			r.logMax = max(r.logMax, l+B)
		}
		s.rounds = append(s.rounds, r)
	}
	if vk.HasPrep {
		var tables, widths []int
		for t, a := range vk.AIRs {
			if vk.PrepLogN[t] >= 0 {
				tables, widths = append(tables, t), append(widths, len(a.Prep))
			}
		}
		addRound(tables, widths, 2)
	}
	{
		widths := make([]int, len(s.present))
		for i, t := range s.present {
			widths[i] = len(vk.AIRs[t].Main)
		}
		addRound(s.present, widths, 2)
	}
	if s.hasAux {
		var tables, widths []int
		for _, t := range s.present {
			if n := vk.Layouts[t].NumAux(); n > 0 {
				tables, widths = append(tables, t), append(widths, field.ExtDegree4*n)
			}
		}
		addRound(tables, widths, 2)
	}
	{
		widths := make([]int, len(s.present))
		for i, t := range s.present {
			widths[i] = field.ExtDegree4 << vk.LogQuot[t]
		}
		addRound(s.present, widths, 1)
	}
	if widthErr != nil {
		return nil, widthErr
	}
	// The groups, in the order package fri finds them (round by round, matrix by
	// matrix): one LDE height and the same distinct points.
	var logLDEs []int
	for r := range s.rounds {
		rd := &s.rounds[r]
		rd.group = make([]int, len(rd.tables))
		for m, t := range rd.tables {
			logLDEs = append(logLDEs, rd.logLDE[m])
			rd.group[m] = -1
			if rd.lists[m] == 0 {
				continue
			}
			g := groupShape{logL: rd.logLDE[m], two: rd.lists[m] == 2 && logN[t] > 0}
			for i, h := range s.groups {
				if h == g {
					rd.group[m] = i
				}
			}
			if rd.group[m] < 0 {
				rd.group[m] = len(s.groups)
				s.groups = append(s.groups, g)
			}
		}
	}
	s.logMax, s.logFinal, s.arities = fri.FoldSchedule(params, logLDEs)
	top := false
	for _, g := range s.groups {
		top = top || g.logL == s.logMax
	}
	if !top {
		return nil, fmt.Errorf("recursion verifier: no matrix opened at the largest height 2^%d (the native verifier rejects every such proof)", s.logMax)
	}
	return s, nil
}

// ShapeOf is NewShape for the heights of a proof.
func ShapeOf(vk *stark.VerifyingKey, p hemera.Params, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	return NewShape(vk, p, proof.LogN, publics, bus)
}

// StatementLen is the number of the program's public outputs: every table's public
// values, then every public message's multiplicity and tuple.
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
