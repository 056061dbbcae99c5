package wasmgen

import (
	"math/rand"
)

func (g *gen) op(b ...byte) { g.body = append(g.body, b...) }

func (g *gen) localOf(t byte, settable bool) (int, bool) {
	var idx []int
	limit := len(g.locals)
	if settable {
		limit = g.fixed
	}
	for i := 0; i < limit; i++ {
		if g.locals[i] == t {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return 0, false
	}
	return idx[g.r.Intn(len(idx))], true
}

var edge32 = []uint32{0, 1, 2, 3, 7, 31, 32, 33, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF, 4095, 4096, 65535, 65536}

var edge64 = []uint64{0, 1, 2, 63, 64, 65, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF00000000, 0x80000000, 0x7FFFFFFF}

// Value32 and Value64 draw argument values: edge cases or random bits.
func Value32(r *rand.Rand) uint32 {
	if r.Intn(3) == 0 {
		return edge32[r.Intn(len(edge32))]
	}
	if r.Intn(2) == 0 {
		return uint32(r.Intn(200)) - 100
	}
	return r.Uint32()
}

// Value64 draws an i64 argument value.
func Value64(r *rand.Rand) uint64 {
	if r.Intn(3) == 0 {
		return edge64[r.Intn(len(edge64))]
	}
	switch r.Intn(3) {
	case 0:
		return uint64(int64(r.Intn(200) - 100))
	case 1:
		return uint64(r.Uint32())
	}
	return r.Uint64()
}

func (g *gen) const32(v uint32) { g.op(0x41); g.body = sleb(g.body, int64(int32(v))) }

func (g *gen) const64(v uint64) { g.op(0x42); g.body = sleb(g.body, int64(v)) }

// addr pushes a memory address: usually inside the first KiB, sometimes anything.
func (g *gen) addr() {
	g.expr(I32)
	if g.r.Intn(40) != 0 {
		g.const32(0x3FF)
		g.op(0x71) // and
	}
}

func (g *gen) memarg(natural int) {
	align := g.r.Intn(natural + 1)
	off := uint64(g.r.Intn(64))
	if g.r.Intn(60) == 0 {
		off = uint64(g.r.Intn(70000))
	}
	g.op(byte(align))
	g.body = uleb(g.body, off)
}

// expr emits code pushing one value of type t.
func (g *gen) expr(t byte) {
	g.budget--
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 6 || g.budget <= 0 {
		g.leaf(t)
		return
	}
	switch g.r.Intn(16) {
	case 0, 1:
		g.leaf(t)
	case 2, 3, 4:
		g.binary(t)
	case 5:
		g.unary(t)
	case 6:
		g.compare(t)
	case 7:
		g.load(t)
	case 8: // select
		g.expr(t)
		g.expr(t)
		g.expr(I32)
		g.op(0x1B)
	case 9: // if (result t)
		g.expr(I32)
		g.op(0x04, t)
		g.labels++
		g.expr(t)
		g.op(0x05)
		g.expr(t)
		g.labels--
		g.op(0x0B)
	case 10: // block (result t) with a conditional early exit
		g.op(0x02, t)
		g.labels++
		g.expr(t)
		g.expr(I32)
		g.op(0x0D, 0) // br_if 0
		g.op(0x1A)    // drop
		g.expr(t)
		g.labels--
		g.op(0x0B)
	case 11: // call an earlier function returning t first
		g.call(t)
	case 12: // local.tee
		if x, ok := g.localOf(t, true); ok {
			g.expr(t)
			g.op(0x22, byte(x))
		} else {
			g.leaf(t)
		}
	case 13:
		if t == I32 && g.r.Intn(2) == 0 {
			g.op(0x3F, 0x00) // memory.size
		} else if t == I32 {
			g.const32(uint32(g.r.Intn(2)))
			g.op(0x40, 0x00) // memory.grow (0 or 1 page; fails past the maximum)
		} else {
			g.leaf(t)
		}
	case 14: // br_table inside nested blocks, each leaving t
		if k := g.r.Intn(5); k == 0 {
			g.blockParam(t)
		} else if k == 1 {
			g.blockPair(t)
		} else if k == 2 {
			g.loopParam(t)
		} else {
			g.brTable(t)
		}
	default:
		g.callIndirect(t)
	}
}

func (g *gen) leaf(t byte) {
	switch g.r.Intn(4) {
	case 0, 1:
		if x, ok := g.localOf(t, false); ok {
			g.op(0x20, byte(x))
			return
		}
	case 2:
		if t == I32 {
			g.op(0x23, byte(g.r.Intn(2)))
		} else {
			g.op(0x23, byte(2+g.r.Intn(2)))
		}
		return
	}
	if t == I32 {
		g.const32(Value32(g.r))
	} else {
		g.const64(Value64(g.r))
	}
}

func (g *gen) binary(t byte) {
	op := byte(0x6A)
	if t == I64 {
		op = 0x7C
	}
	k := byte(g.r.Intn(15)) // add … rotr
	op += k
	g.expr(t)
	if g.r.Intn(4) == 0 { // small or edge right operand (shifts, divisions)
		g.leaf(t)
	} else {
		g.expr(t)
	}
	if k >= 3 && k <= 6 && g.r.Intn(8) != 0 { // div/rem: mostly a non-zero divisor
		if t == I32 {
			g.const32(1)
			g.op(0x72)
		} else {
			g.const64(1)
			g.op(0x84)
		}
	}
	g.op(op)
}

func (g *gen) unary(t byte) {
	if t == I32 {
		switch g.r.Intn(6) {
		case 0:
			g.expr(I32)
			g.op(0x67 + byte(g.r.Intn(3))) // clz ctz popcnt
		case 1:
			g.expr(I32)
			g.op(0xC0 + byte(g.r.Intn(2))) // extend8_s extend16_s
		case 2:
			g.expr(I64)
			g.op(0xA7) // wrap
		case 3:
			g.expr(I32)
			g.op(0x45) // eqz
		case 4:
			g.expr(I64)
			g.op(0x50) // i64.eqz
		default:
			g.expr(I32)
			g.op(0x45)
		}
		return
	}
	switch g.r.Intn(4) {
	case 0:
		g.expr(I64)
		g.op(0x79 + byte(g.r.Intn(3)))
	case 1:
		g.expr(I64)
		g.op(0xC2 + byte(g.r.Intn(3))) // extend8/16/32_s
	default:
		g.expr(I32)
		g.op(0xAC + byte(g.r.Intn(2))) // extend_i32_s/u
	}
}

func (g *gen) compare(t byte) {
	if t == I64 {
		g.expr(I32)
		g.op(0xAC + byte(g.r.Intn(2)))
		return
	}
	if g.r.Intn(2) == 0 {
		g.expr(I32)
		g.expr(I32)
		g.op(0x46 + byte(g.r.Intn(10)))
	} else {
		g.expr(I64)
		g.expr(I64)
		g.op(0x51 + byte(g.r.Intn(10)))
	}
}

func (g *gen) load(t byte) {
	g.addr()
	if t == I32 {
		ops := []struct {
			op  byte
			nat int
		}{{0x28, 2}, {0x2C, 0}, {0x2D, 0}, {0x2E, 1}, {0x2F, 1}}
		o := ops[g.r.Intn(len(ops))]
		g.op(o.op)
		g.memarg(o.nat)
		return
	}
	ops := []struct {
		op  byte
		nat int
	}{{0x29, 3}, {0x30, 0}, {0x31, 0}, {0x32, 1}, {0x33, 1}, {0x34, 2}, {0x35, 2}}
	o := ops[g.r.Intn(len(ops))]
	g.op(o.op)
	g.memarg(o.nat)
}

// blockPair: a block leaving two values (t, u), with an early exit carrying both below
// an extra value; u is then dropped or folded into t.
func (g *gen) blockPair(t byte) {
	u := []byte{I32, I64}[g.r.Intn(2)]
	idx := g.sigIndex(nil, []byte{t, u})
	g.op(0x02)
	g.body = sleb(g.body, int64(idx))
	g.labels++
	g.expr(I64) // an extra value below the pair: the branch must move the pair down
	g.expr(t)
	g.expr(u)
	g.expr(I32)
	g.op(0x0D, 0) // br_if 0 carrying (t, u)
	g.op(0x1A, 0x1A, 0x1A)
	g.expr(t)
	g.expr(u)
	g.labels--
	g.op(0x0B)
	if u == t {
		if t == I32 {
			g.op(0x73) // xor
		} else {
			g.op(0x85)
		}
	} else {
		g.op(0x1A)
	}
}

// loopParam: a loop whose parameter is its counter, carried by the branch back.
func (g *gen) loopParam(t byte) {
	if g.loops >= 3 {
		g.leaf(t)
		return
	}
	c := g.fixed + g.loops
	g.loops++
	g.const32(uint32(1 + g.r.Intn(4)))
	idx := g.sigIndex([]byte{I32}, []byte{I32})
	g.op(0x03)
	g.body = sleb(g.body, int64(idx))
	g.labels++
	g.stmt()
	g.const32(1)
	g.op(0x6B, 0x22, byte(c), 0x20, byte(c), 0x0D, 0) // n−1, tee c, br_if 0 (carrying n−1)
	g.labels--
	g.op(0x0B)
	g.loops--
	if t == I32 {
		g.expr(I32)
		g.op(0x6A)
	} else {
		g.op(0xAD) // extend_i32_u
		g.expr(I64)
		g.op(0x7C)
	}
}

// blockParam: a block taking a t parameter and returning t, with a conditional early
// exit carrying a value (multi-value blocks with a type index).
func (g *gen) blockParam(t byte) {
	g.expr(t)
	idx := g.sigIndex([]byte{t}, []byte{t})
	g.op(0x02)
	g.body = sleb(g.body, int64(idx))
	g.labels++
	g.expr(t)
	if t == I32 {
		g.op(0x6A)
	} else {
		g.op(0x7C)
	}
	g.expr(t)
	g.expr(I32)
	g.op(0x0D, 0, 0x1A) // br_if 0 (carrying the value), drop
	g.labels--
	g.op(0x0B)
}

func (g *gen) call(t byte) {
	if g.cur < g.leaves {
		g.leaf(t)
		return
	}
	var cands []int
	for j := 0; j < g.cur; j++ {
		if f := g.funcs[j]; len(f.Results) >= 1 && f.Results[0] == t {
			cands = append(cands, j)
		}
	}
	if len(cands) == 0 {
		g.leaf(t)
		return
	}
	j := cands[g.r.Intn(len(cands))]
	for _, p := range g.funcs[j].Params {
		g.expr(p)
	}
	g.op(0x10, byte(j))
	for range g.funcs[j].Results[1:] {
		g.op(0x1A) // drop the extra results: the first is the value
	}
}

// callIndirect calls through the table with a signature of some function returning t:
// the entry may be null, of another type, or past the table (traps).
func (g *gen) callIndirect(t byte) {
	var cands []int
	for j := 0; j < g.leaves && g.cur >= g.leaves; j++ {
		if f := g.funcs[j]; len(f.Results) == 1 && f.Results[0] == t {
			cands = append(cands, j)
		}
	}
	if len(cands) == 0 {
		g.leaf(t)
		return
	}
	f := g.funcs[cands[g.r.Intn(len(cands))]]
	for _, p := range f.Params {
		g.expr(p)
	}
	g.expr(I32)
	g.const32(uint32(tableSize + 1))
	g.op(0x70) // rem_u: mostly in range, sometimes one past
	g.op(0x11)
	g.body = uleb(g.body, uint64(g.sigIndex(f.Params, f.Results)))
	g.op(0x00)
}

// brTable: block block block (value) (index) br_table … end … .
func (g *gen) brTable(t byte) {
	n := 2 + g.r.Intn(2)
	for k := 0; k < n; k++ {
		g.op(0x02, t)
	}
	g.labels += n
	if g.r.Intn(2) == 0 {
		g.expr(I64) // an extra value below the carried one (discarded by the branch)
	}
	g.expr(t)
	g.expr(I32)
	g.op(0x0E)
	cnt := 1 + g.r.Intn(4)
	g.body = uleb(g.body, uint64(cnt))
	for k := 0; k < cnt; k++ {
		g.body = uleb(g.body, uint64(g.r.Intn(n)))
	}
	g.body = uleb(g.body, uint64(g.r.Intn(n)))
	g.labels -= n
	for k := 0; k < n; k++ {
		g.op(0x0B)
		if k < n-1 { // each outer block gets a fresh value from the inner one
			if g.r.Intn(2) == 0 {
				g.expr(t)
				if t == I32 {
					g.op(0x6A)
				} else {
					g.op(0x7C)
				}
			}
		}
	}
}

// stmt emits code with no net stack effect.
func (g *gen) stmt() {
	g.budget--
	if g.budget <= 0 {
		return
	}
	switch g.r.Intn(10) {
	case 0, 1:
		t := []byte{I32, I64}[g.r.Intn(2)]
		if x, ok := g.localOf(t, true); ok {
			g.expr(t)
			g.op(0x21, byte(x))
		}
	case 2:
		k := g.r.Intn(numGlobals)
		t := byte(I32)
		if k >= 2 {
			t = I64
		}
		g.expr(t)
		g.op(0x24, byte(k))
	case 3, 4: // store
		g.addr()
		if g.r.Intn(2) == 0 {
			g.expr(I32)
			ops := []struct {
				op  byte
				nat int
			}{{0x36, 2}, {0x3A, 0}, {0x3B, 1}}
			o := ops[g.r.Intn(len(ops))]
			g.op(o.op)
			g.memarg(o.nat)
		} else {
			g.expr(I64)
			ops := []struct {
				op  byte
				nat int
			}{{0x37, 3}, {0x3C, 0}, {0x3D, 1}, {0x3E, 2}}
			o := ops[g.r.Intn(len(ops))]
			g.op(o.op)
			g.memarg(o.nat)
		}
	case 5: // bulk memory
		g.addr()
		switch g.r.Intn(3) {
		case 0:
			g.expr(I32)
			g.const32(uint32(g.r.Intn(40)))
			g.op(0xFC, 11, 0x00) // memory.fill
		case 1:
			g.addr()
			g.const32(uint32(g.r.Intn(40)))
			g.op(0xFC, 10, 0x00, 0x00) // memory.copy
		default:
			g.const32(uint32(g.r.Intn(20)))
			g.const32(uint32(g.r.Intn(20)))
			g.op(0xFC, 8, 1, 0x00) // memory.init from the passive segment
		}
	case 6: // bounded loop
		if g.loops >= 3 {
			return
		}
		c := g.fixed + g.loops
		g.const32(uint32(1 + g.r.Intn(4)))
		g.op(0x21, byte(c))
		g.loops++
		g.labels++
		g.op(0x03, 0x40)
		for k := 1 + g.r.Intn(3); k > 0; k-- {
			g.stmt()
		}
		g.op(0x20, byte(c))
		g.const32(1)
		g.op(0x6B, 0x22, byte(c)) // c = c - 1 (tee)
		g.op(0x0D, 0)             // br_if loop
		g.op(0x0B)
		g.labels--
		g.loops--
	case 7: // if / else
		g.expr(I32)
		g.op(0x04, 0x40)
		g.labels++
		g.stmt()
		g.op(0x05)
		g.stmt()
		g.labels--
		g.op(0x0B)
	case 8: // block with an early exit
		g.op(0x02, 0x40)
		g.labels++
		g.stmt()
		g.expr(I32)
		g.op(0x0D, 0)
		g.stmt()
		g.labels--
		g.op(0x0B)
	default: // a trap or a return now and then
		switch k := g.r.Intn(12); {
		case k == 0:
			g.expr(I32)
			g.op(0x04, 0x40, 0x00, 0x0B) // if (cond) unreachable
		case k == 1: // if (cond) { results…; return }
			g.expr(I32)
			g.op(0x04, 0x40)
			g.labels++
			if g.r.Intn(2) == 0 {
				g.expr(I64) // an extra value below the results
			}
			for _, r := range g.funcs[g.cur].Results {
				g.expr(r)
			}
			g.op(0x0F, 0x0B)
			g.labels--
		default:
			g.expr([]byte{I32, I64}[g.r.Intn(2)])
			g.op(0x1A) // drop
		}
	}
}

// Args draws arguments for f.
func Args(r *rand.Rand, f Func) []uint64 {
	a := make([]uint64, len(f.Params))
	for i, p := range f.Params {
		if p == I32 {
			a[i] = uint64(Value32(r))
		} else {
			a[i] = Value64(r)
		}
	}
	return a
}
