package verifyshape

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Shape is what a verifier is built for: the verifying key, the proof parameters, the
// height of every table and the shape of the statement, with what follows from them.
type Shape struct {
	VK     *stark.VerifyingKey
	Params fri.Params
	LogN   []int
	// NumPublics is the number of public values of each table (the AIR's).
	NumPublics []int
	// Bus describes each public bus message: its bus, direction and tuple length (its
	// multiplicity and tuple are the verifier's witness).
	Bus []Message

	// Present are the tables that are not absent, in table order.
	Present []int
	// HasAux is whether some present table has LogUp columns (an aux commitment).
	HasAux bool
	// MaxTuple is the longest tuple of an interaction or public message
	// (lookup.MaxTuple): LogUp draws 1 + MaxTuple challenges β.
	MaxTuple int
	// Rounds are the opened commitments, in the proof's order: the preprocessed one
	// (when the key has preprocessed columns), the main one, the aux one (HasAux) and
	// the quotient one.
	Rounds []Round
	// Groups are package fri's groups, in the order its verifier finds them (round by
	// round, matrix by matrix).
	Groups []Group
	// LogMax, LogFinal and Arities are package fri's folding schedule
	// (fri.FoldSchedule): the largest log LDE height, the final codeword's log length
	// and each committed layer's log arity.
	LogMax   int
	LogFinal int
	Arities  []int
}

// Message is the constant part of a public bus message.
type Message struct {
	Bus  uint32
	Send bool
	Len  int
}

// Round is one opened commitment: per matrix its table, its width, its log LDE height,
// the number of value lists opened (0 for an absent optional table's preprocessed
// matrix, 1 at ζ, 2 at ζ and ζ·ω — a one-row table too, whose two lists must be equal)
// and its group (−1 when opened nowhere); LogMax is the commitment's tree height.
type Round struct {
	Tables []int
	Widths []int
	LogLDE []int
	Lists  []int
	Group  []int
	LogMax int
}

// Group is package fri's group: the matrices of one LDE height opened at the same
// distinct points — ζ alone, or (Two) ζ and ζ·ω with ω the generator of the tables'
// domain of log size LogL − log_blowup (a one-row table's ζ·ω is ζ: it has one point).
type Group struct {
	LogL int
	Two  bool
}

// MaxRowWidth is the widest matrix package fri opens (its Verify refuses wider ones).
const MaxRowWidth = 1 << 16

// New derives the shape of the proofs of vk under the engine parameters p with the
// table heights logN, the public values publics and the public bus messages bus (only
// their sizes and constant fields are kept). It refuses what the native verifier
// rejects whatever the proof (the package documentation lists it); the caller checks
// p.FRI (Validate) and the scheme its verifier supports first. Its errors name no
// package: the caller prefixes its own.
func New(vk *stark.VerifyingKey, p hemera.Params, logN []int, publics [][]field.Elem, bus []lookup.Message) (*Shape, error) {
	params := p.FRI
	T := len(vk.AIRs)
	if len(logN) != T || len(publics) != T {
		return nil, fmt.Errorf("%d heights and %d public value lists for %d tables", len(logN), len(publics), T)
	}
	s := &Shape{VK: vk, Params: params, LogN: append([]int(nil), logN...), NumPublics: make([]int, T)}
	for t, a := range vk.AIRs {
		if len(publics[t]) != len(a.Publics) {
			return nil, fmt.Errorf("table %s: %d public values, the AIR declares %d", a.Name, len(publics[t]), len(a.Publics))
		}
		s.NumPublics[t] = len(a.Publics)
		l := logN[t]
		if l == stark.Absent {
			if !vk.Optional[t] {
				return nil, fmt.Errorf("table %s is absent but not optional", a.Name)
			}
			continue
		}
		if l < 0 || l+params.LogBlowup > field.TwoAdicity {
			return nil, fmt.Errorf("table %s: height 2^%d out of range", a.Name, l)
		}
		if vk.PrepLogN[t] >= 0 && vk.PrepLogN[t] != l {
			return nil, fmt.Errorf("table %s: height 2^%d, preprocessed height 2^%d", a.Name, l, vk.PrepLogN[t])
		}
		s.Present = append(s.Present, t)
		s.HasAux = s.HasAux || vk.Layouts[t].NumAux() > 0
	}
	if len(s.Present) == 0 {
		return nil, fmt.Errorf("every table is absent")
	}
	if sec := hemera.Analyze(params, hemera.ShapeOf(vk, logN, bus)); sec.Conjectured < p.MinSecurityBits || sec.Provable < p.MinProvableBits {
		return nil, fmt.Errorf("proofs of this shape have %d bits of conjectured and %d of provable security, below the floors %d and %d (raise num_queries, log_blowup or grinding_bits)",
			sec.Conjectured, sec.Provable, p.MinSecurityBits, p.MinProvableBits)
	}
	for _, m := range bus {
		if !field.Canonical(m.Bus) {
			return nil, fmt.Errorf("a public message on bus %d, not below p", m.Bus)
		}
		s.Bus = append(s.Bus, Message{Bus: m.Bus, Send: m.Send, Len: len(m.Tuple)})
	}
	if err := stark.CheckBuses(vk, logN, bus); err != nil {
		return nil, fmt.Errorf("%w (the native verifier refuses these heights)", err)
	}
	s.MaxTuple = lookup.MaxTuple(vk.AIRs, bus)
	if err := s.addRounds(); err != nil {
		return nil, err
	}
	// The groups, in the order package fri finds them (round by round, matrix by
	// matrix): one LDE height and the same distinct points.
	var logLDEs []int
	for r := range s.Rounds {
		rd := &s.Rounds[r]
		rd.Group = make([]int, len(rd.Tables))
		for m, t := range rd.Tables {
			logLDEs = append(logLDEs, rd.LogLDE[m])
			rd.Group[m] = -1
			if rd.Lists[m] == 0 {
				continue
			}
			g := Group{LogL: rd.LogLDE[m], Two: rd.Lists[m] == 2 && logN[t] > 0}
			i := slices.Index(s.Groups, g)
			if i < 0 {
				i = len(s.Groups)
				s.Groups = append(s.Groups, g)
			}
			rd.Group[m] = i
		}
	}
	s.LogMax, s.LogFinal, s.Arities = fri.FoldSchedule(params, logLDEs)
	top := false
	for _, g := range s.Groups {
		top = top || g.LogL == s.LogMax
	}
	if !top {
		return nil, fmt.Errorf("no matrix opened at the largest height 2^%d (the native verifier rejects every such proof)", s.LogMax)
	}
	return s, nil
}

// addRounds adds the opened commitments: the preprocessed matrices (an absent optional
// table's at its preprocessed height, opened nowhere), the main ones and the aux ones
// at ζ and ζ·ω, the quotient chunks at ζ. It refuses a matrix package fri does not
// open, after building them all.
func (s *Shape) addRounds() error {
	vk, B := s.VK, s.Params.LogBlowup
	var widthErr error
	add := func(tables, widths []int, lists int) {
		var r Round
		for i, t := range tables {
			if (widths[i] < 1 || widths[i] > MaxRowWidth) && widthErr == nil {
				widthErr = fmt.Errorf("table %s: a committed matrix of width %d, package fri opens widths 1 to %d", vk.AIRs[t].Name, widths[i], MaxRowWidth)
			}
			l, n := s.LogN[t], lists
			if l == stark.Absent {
				l, n = vk.PrepLogN[t], 0
			}
			r.Tables = append(r.Tables, t)
			r.Widths = append(r.Widths, widths[i])
			r.LogLDE = append(r.LogLDE, l+B)
			r.Lists = append(r.Lists, n)
			r.LogMax = max(r.LogMax, l+B)
		}
		s.Rounds = append(s.Rounds, r)
	}
	if vk.HasPrep {
		var tables, widths []int
		for t, a := range vk.AIRs {
			if vk.PrepLogN[t] >= 0 {
				tables, widths = append(tables, t), append(widths, len(a.Prep))
			}
		}
		add(tables, widths, 2)
	}
	widths := make([]int, len(s.Present))
	for i, t := range s.Present {
		widths[i] = len(vk.AIRs[t].Main)
	}
	add(s.Present, widths, 2)
	if s.HasAux {
		var tables, widths []int
		for _, t := range s.Present {
			if n := vk.Layouts[t].NumAux(); n > 0 {
				tables, widths = append(tables, t), append(widths, field.ExtDegree4*n)
			}
		}
		add(tables, widths, 2)
	}
	widths = make([]int, len(s.Present))
	for i, t := range s.Present {
		widths[i] = field.ExtDegree4 << vk.LogQuot[t]
	}
	add(s.Present, widths, 1)
	return widthErr
}

// Matrix returns the matrix of table t in round r, −1 if the round has none.
func (s *Shape) Matrix(r, t int) int {
	for m, u := range s.Rounds[r].Tables {
		if u == t {
			return m
		}
	}
	return -1
}

// MainRound, AuxRound and QuotRound are the indices of the main, aux and quotient
// commitments in Rounds (the preprocessed one, when there is one, is round 0; AuxRound
// is meaningful only with HasAux).
func (s *Shape) MainRound() int {
	if s.VK.HasPrep {
		return 1
	}
	return 0
}

// AuxRound is the index of the aux commitment (see MainRound).
func (s *Shape) AuxRound() int { return s.MainRound() + 1 }

// QuotRound is the index of the quotient commitment (see MainRound).
func (s *Shape) QuotRound() int { return len(s.Rounds) - 1 }
