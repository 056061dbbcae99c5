package wrap

import (
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Shape is what a wrap circuit is built for: the verifying key (the AIRs, the LogUp
// layouts, the preprocessed commitment), the proof parameters, the height of every
// table, and the shape of the statement (the number of public values of each table, and
// the bus, direction and length of every public bus message). Two proofs of one Shape
// share a circuit and its keys; the values (public values, message contents,
// commitments, openings) are the circuit's witness.
type Shape struct {
	VK     *stark.VerifyingKey
	Params fri.Params
	LogN   []int
	// NumPublics is the number of public values of each table (the AIR's).
	NumPublics []int
	// Bus describes each public bus message: its bus, direction and tuple length (its
	// multiplicity and tuple are witness).
	Bus []BusShape

	present  []int
	hasAux   bool
	maxTuple int
	rounds   []roundShape
	groups   []groupShape
	sched    schedule
}

// BusShape is the constant part of a public bus message.
type BusShape struct {
	Bus  uint32
	Send bool
	Len  int
}

// roundShape is one opened commitment: its matrices (a table each), their widths and
// log LDE heights, and whether each is opened at ζ and ζ·ω (two points) or at ζ only.
type roundShape struct {
	tables []int
	widths []int
	logLDE []int
	two    []bool
	logMax int
	group  []int // each matrix's group
}

// groupShape is the matrices of one LDE height opened at the same points (package fri's
// group): two is false for the single point ζ; omega is the table domain's generator
// log size for the second point ζ·ω.
type groupShape struct {
	logL     int
	two      bool
	logOmega int
}

// NewShape derives the circuit shape of proofs of vk under the engine parameters p
// with the table heights logN, the public values publics and the public bus messages
// bus (only their sizes and constant fields are kept). It refuses what the wrap circuit
// does not verify: zero-knowledge proofs, an extension of degree other than 4, and any
// hash but the Outer one (hash.Outer, poseidon2-bn254), whose Merkle trees and
// transcript a BN254 circuit checks natively; and, as the engine's Verify does, a shape
// whose proofs fall below p's security floors (MinSecurityBits, MinProvableBits): a
// circuit built for it would accept proofs the engine rejects.
func NewShape(vk *stark.VerifyingKey, p hemera.Params, logN []int, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	params := p.FRI
	if err := params.Validate(); err != nil {
		return nil, err
	}
	switch {
	case params.ZK:
		return nil, fmt.Errorf("wrap: zero-knowledge proofs are not wrapped (the Groth16 proof hides the witness; prove the outer layer with engine.zk false)")
	case params.Ext() != field.ExtDegree4:
		return nil, fmt.Errorf("wrap: extension degree %d, the wrap circuit verifies degree 4", params.Ext())
	case params.Hash != hash.Outer:
		return nil, fmt.Errorf("wrap: hash %v, the wrap circuit verifies proofs hashed with %v", params.Hash, hash.Outer)
	case vk.Hash != hash.Outer || vk.LogBlowup != params.LogBlowup:
		return nil, fmt.Errorf("wrap: a verifying key for hash %v and blowup 2^%d, the parameters have %v and 2^%d", vk.Hash, vk.LogBlowup, params.Hash, params.LogBlowup)
	}
	T := len(vk.AIRs)
	if len(logN) != T || len(publics) != T {
		return nil, fmt.Errorf("wrap: %d heights and %d public value lists for %d tables", len(logN), len(publics), T)
	}
	s := &Shape{VK: vk, Params: params, LogN: append([]int(nil), logN...), NumPublics: make([]int, T)}
	for t, a := range vk.AIRs {
		if len(publics[t]) != len(a.Publics) {
			return nil, fmt.Errorf("wrap: table %s: %d public values, the AIR declares %d", a.Name, len(publics[t]), len(a.Publics))
		}
		s.NumPublics[t] = len(a.Publics)
		l := logN[t]
		if l == stark.Absent {
			if !vk.Optional[t] {
				return nil, fmt.Errorf("wrap: table %s is absent but not optional", a.Name)
			}
			continue
		}
		if l < 0 || l+params.LogBlowup > field.TwoAdicity {
			return nil, fmt.Errorf("wrap: table %s: height 2^%d out of range", a.Name, l)
		}
		if vk.PrepLogN[t] >= 0 && vk.PrepLogN[t] != l {
			return nil, fmt.Errorf("wrap: table %s: height 2^%d, preprocessed height 2^%d", a.Name, l, vk.PrepLogN[t])
		}
		s.present = append(s.present, t)
		s.hasAux = s.hasAux || vk.Layouts[t].NumAux() > 0
	}
	if len(s.present) == 0 {
		return nil, fmt.Errorf("wrap: every table is absent")
	}
	if sec := hemera.Analyze(params, hemera.ShapeOf(vk, logN, bus)); sec.Conjectured < p.MinSecurityBits || sec.Provable < p.MinProvableBits {
		return nil, fmt.Errorf("wrap: proofs of this shape have %d bits of conjectured and %d of provable security, below the floors %d and %d (raise num_queries, log_blowup or grinding_bits)",
			sec.Conjectured, sec.Provable, p.MinSecurityBits, p.MinProvableBits)
	}
	for _, m := range bus {
		if !field.Canonical(m.Bus) {
			return nil, fmt.Errorf("wrap: a public message on bus %d, not below p", m.Bus)
		}
		s.Bus = append(s.Bus, BusShape{Bus: m.Bus, Send: m.Send, Len: len(m.Tuple)})
	}
	if err := stark.CheckBuses(vk, logN, bus); err != nil {
		return nil, fmt.Errorf("wrap: %w (the native verifier refuses these heights)", err)
	}
	s.maxTuple = lookup.MaxTuple(vk.AIRs, bus)
	B := params.LogBlowup
	var widthErr error
	addRound := func(tables, widths []int, two bool) {
		var r roundShape
		for i, t := range tables {
			if (widths[i] < 1 || widths[i] > maxRowWidth) && widthErr == nil {
				widthErr = fmt.Errorf("wrap: table %s: a committed matrix of width %d, package fri opens widths 1 to %d", vk.AIRs[t].Name, widths[i], maxRowWidth)
			}
			r.tables = append(r.tables, t)
			r.widths = append(r.widths, widths[i])
			r.logLDE = append(r.logLDE, logN[t]+B)
			r.two = append(r.two, two && logN[t] > 0) // a one-row table: ζ·ω = ζ
			r.logMax = max(r.logMax, logN[t]+B)
		}
		s.rounds = append(s.rounds, r)
	}
	if vk.HasPrep {
		var tables, widths []int
		for t, a := range vk.AIRs {
			if vk.PrepLogN[t] >= 0 {
				if logN[t] == stark.Absent {
					return nil, fmt.Errorf("wrap: table %s has preprocessed columns and is absent", a.Name)
				}
				tables, widths = append(tables, t), append(widths, len(a.Prep))
			}
		}
		addRound(tables, widths, true)
	}
	{
		widths := make([]int, len(s.present))
		for i, t := range s.present {
			widths[i] = len(vk.AIRs[t].Main)
		}
		addRound(s.present, widths, true)
	}
	if s.hasAux {
		var tables, widths []int
		for _, t := range s.present {
			if n := vk.Layouts[t].NumAux(); n > 0 {
				tables, widths = append(tables, t), append(widths, field.ExtDegree4*n)
			}
		}
		addRound(tables, widths, true)
	}
	{
		widths := make([]int, len(s.present))
		for i, t := range s.present {
			widths[i] = field.ExtDegree4 << vk.LogQuot[t]
		}
		addRound(s.present, widths, false)
	}
	if widthErr != nil {
		return nil, widthErr
	}
	// The groups, in the order the native verifier finds them (round by round, matrix
	// by matrix): the same LDE height and the same points.
	var logLDEs []int
	for r := range s.rounds {
		rd := &s.rounds[r]
		rd.group = make([]int, len(rd.tables))
		for m, t := range rd.tables {
			g := groupShape{logL: rd.logLDE[m], two: rd.two[m]}
			if g.two {
				g.logOmega = logN[t]
			}
			rd.group[m] = -1
			for i, h := range s.groups {
				if h == g {
					rd.group[m] = i
				}
			}
			if rd.group[m] < 0 {
				rd.group[m] = len(s.groups)
				s.groups = append(s.groups, g)
			}
			logLDEs = append(logLDEs, rd.logLDE[m])
		}
	}
	s.sched = newSchedule(params, logLDEs)
	return s, nil
}

// maxRowWidth is the widest matrix package fri opens (its Verify refuses wider ones).
const maxRowWidth = 1 << 16

// ShapeOf is NewShape for the heights of a proof.
func ShapeOf(vk *stark.VerifyingKey, p hemera.Params, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	return NewShape(vk, p, proof.LogN, publics, bus)
}

// schedule is package fri's folding schedule (fri.FoldSchedule): the largest log LDE
// height, the final codeword's log length and each committed layer's log arity.
type schedule struct {
	logMax   int
	logFinal int
	arities  []int
}

func newSchedule(p fri.Params, logLDEs []int) schedule {
	var s schedule
	s.logMax, s.logFinal, s.arities = fri.FoldSchedule(p, logLDEs)
	return s
}

// StatementDigest is the wrap circuit's public input: the Outer hash (hash.OuterElems)
// of the statement, every table's public values in table order, then every public
// message's multiplicity and tuple. The rest of the statement (the verifying key, the
// heights, the messages' buses and directions) is fixed by the circuit's Shape.
func StatementDigest(publics [][]field.Elem, bus []lookup.Message) fr.Element {
	return hash.OuterElems(statementElems(publics, bus))
}

func statementElems(publics [][]field.Elem, bus []lookup.Message) []field.Elem {
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
