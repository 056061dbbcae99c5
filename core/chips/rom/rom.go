package rom

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Columns of the ROM: the decoded instruction (preprocessed) and its execution count.
type Columns struct {
	PC, Kind, SubOp, AOff, BOff, COff air.Column
	BImmLo, BImmHi, CImmLo, CImmHi    air.Column
	Mult                              air.Column
}

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		PC: b.Preprocessed("pc"), Kind: b.Preprocessed("kind"), SubOp: b.Preprocessed("sub_op"),
		AOff: b.Preprocessed("a_off"), BOff: b.Preprocessed("b_off"), COff: b.Preprocessed("c_off"),
		BImmLo: b.Preprocessed("b_imm_lo"), BImmHi: b.Preprocessed("b_imm_hi"),
		CImmLo: b.Preprocessed("c_imm_lo"), CImmHi: b.Preprocessed("c_imm_hi"),
		Mult: b.Main("mult"),
	}
}

// Tuple is the Program bus tuple, in order, of the given expressions.
func Tuple(pc, kind, subOp, aOff, bOff, cOff, bImmLo, bImmHi, cImmLo, cImmHi air.Expr) []air.Expr {
	return []air.Expr{pc, kind, subOp, aOff, bOff, cOff, bImmLo, bImmHi, cImmLo, cImmHi}
}

// AIR builds the ROM's AIR: every row sends its instruction on the Program bus with the
// multiplicity the prover claims; the CPU's fetches must consume them exactly.
func AIR() *air.AIR {
	b := air.NewBuilder("rom")
	c := newColumns(b)
	b.Send("instruction", bus.Program,
		Tuple(c.PC.Cur, c.Kind.Cur, c.SubOp.Cur, c.AOff.Cur, c.BOff.Cur, c.COff.Cur, c.BImmLo.Cur, c.BImmHi.Cur, c.CImmLo.Cur, c.CImmHi.Cur),
		c.Mult.Cur)
	return b.MustBuild()
}

var col = newColumns(air.NewBuilder("rom"))

// Preprocessed returns the ROM's fixed columns for a program: one row per instruction,
// then padding rows (kind 0, which no CPU row can fetch) up to a power of two.
func Preprocessed(code []isa.Instruction) [][]field.Elem {
	return PreprocessedRows(code, len(code))
}

// PreprocessedRows is Preprocessed with at least rows rows: more padding rows (kind 0)
// up to the power of two above max(rows, len(code)). A ROM padded so (a catalogue's ROM
// class, core/machine.SetupROM) holds the same program: no CPU row fetches a padding row.
func PreprocessedRows(code []isa.Instruction, rows int) [][]field.Elem {
	cols := air.NewTrace(10, max(rows, len(code)))
	n := len(cols[0])
	for pc := range n {
		cols[col.PC.Index][pc] = field.New(uint64(pc))
		if pc >= len(code) {
			continue
		}
		r := Decode(uint32(pc), code[pc])
		cols[col.Kind.Index][pc] = field.New(uint64(r.Kind))
		cols[col.SubOp.Index][pc] = field.New(uint64(r.SubOp))
		cols[col.AOff.Index][pc] = field.NewInt(int64(r.AOff))
		cols[col.BOff.Index][pc] = field.NewInt(int64(r.BOff))
		cols[col.COff.Index][pc] = field.NewInt(int64(r.COff))
		cols[col.BImmLo.Index][pc] = field.New(uint64(r.BImm & 0xffff))
		cols[col.BImmHi.Index][pc] = field.New(uint64(r.BImm >> 16))
		cols[col.CImmLo.Index][pc] = field.New(uint64(r.CImm & 0xffff))
		cols[col.CImmHi.Index][pc] = field.New(uint64(r.CImm >> 16))
	}
	return cols
}

// Trace returns the main column: how many times each pc was executed.
func Trace(n int, counts []uint64) [][]field.Elem {
	m := make([]field.Elem, air.Height(n))
	for pc, k := range counts {
		m[pc] = field.New(k)
	}
	return [][]field.Elem{m}
}
