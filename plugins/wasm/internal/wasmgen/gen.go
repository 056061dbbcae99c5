package wasmgen

import (
	"fmt"
	"math/rand"
)

// Value types.
const (
	I32 = 0x7F
	I64 = 0x7E
)

// Func is a generated function's signature.
type Func struct {
	Params, Results []byte
}

// Module is a generated module.
type Module struct {
	Bytes []byte
	Funcs []Func // exported as f0, f1, …
}

type gen struct {
	r      *rand.Rand
	funcs  []Func
	sigs   [][2][]byte // type section entries
	cur    int         // index of the function being generated
	locals []byte      // params then locals of the current function
	fixed  int         // locals from here on are loop counters (never set by statements)
	depth  int         // expression nesting
	labels int         // enclosing blocks (for br_if / br_table depths)
	loops  int         // enclosing loops (bounded)
	body   []byte
	budget int
	leaves int // functions 0…leaves-1 call nothing; the table holds only them
}

// New generates a module from seed: nfuncs functions and "checksum".
func New(seed int64, nfuncs int) *Module {
	g := &gen{r: rand.New(rand.NewSource(seed))}
	g.leaves = max(1, nfuncs/2)
	for i := 0; i < nfuncs; i++ {
		f := Func{Params: g.types(g.r.Intn(4)), Results: g.types(1 + g.r.Intn(2)*g.r.Intn(2))}
		g.funcs = append(g.funcs, f)
	}
	return &Module{Bytes: g.module(), Funcs: g.funcs}
}

func (g *gen) types(n int) []byte {
	t := make([]byte, n)
	for i := range t {
		t[i] = []byte{I32, I64}[g.r.Intn(2)]
	}
	return t
}

// ---- encoding helpers

func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func section(b []byte, id byte, payload []byte) []byte {
	b = append(b, id)
	b = uleb(b, uint64(len(payload)))
	return append(b, payload...)
}

func vec(items ...[]byte) []byte {
	b := uleb(nil, uint64(len(items)))
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

func name(s string) []byte { return append(uleb(nil, uint64(len(s))), s...) }

func (g *gen) sigIndex(params, results []byte) int {
	for i, s := range g.sigs {
		if string(s[0]) == string(params) && string(s[1]) == string(results) {
			return i
		}
	}
	g.sigs = append(g.sigs, [2][]byte{params, results})
	return len(g.sigs) - 1
}

// ---- the module

const (
	numGlobals = 4 // g0, g1: i32; g2, g3: i64 (mutable)
	tableSize  = 8
	memPages   = 1
	memMax     = 3
	checksumFn = -1
)

func (g *gen) module() []byte {
	var bodies [][]byte
	for i := range g.funcs {
		g.cur = i
		bodies = append(bodies, g.function(i))
	}
	bodies = append(bodies, checksum())
	ck := g.sigIndex(nil, []byte{I32})
	var funcSec [][]byte
	for _, f := range g.funcs {
		funcSec = append(funcSec, uleb(nil, uint64(g.sigIndex(f.Params, f.Results))))
	}
	funcSec = append(funcSec, uleb(nil, uint64(ck)))
	var types [][]byte
	for _, s := range g.sigs {
		t := []byte{0x60}
		t = append(t, vec(bytesItems(s[0])...)...)
		t = append(t, vec(bytesItems(s[1])...)...)
		types = append(types, t)
	}
	b := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	b = section(b, 1, vec(types...))
	b = section(b, 3, vec(funcSec...))
	b = section(b, 4, vec([]byte{0x70, 0x00, tableSize}))
	b = section(b, 5, vec([]byte{0x01, memPages, memMax}))
	var globals [][]byte
	for i := 0; i < numGlobals; i++ {
		if i < 2 {
			globals = append(globals, append(sleb([]byte{I32, 1, 0x41}, int64(int32(g.r.Uint32()))), 0x0B))
		} else {
			globals = append(globals, append(sleb([]byte{I64, 1, 0x42}, int64(g.r.Uint64())), 0x0B))
		}
	}
	b = section(b, 6, vec(globals...))
	var exports [][]byte
	for i := range g.funcs {
		exports = append(exports, append(name(fmt.Sprintf("f%d", i)), 0x00, byte(i)))
	}
	exports = append(exports, append(name("checksum"), 0x00, byte(len(g.funcs))))
	b = section(b, 7, vec(exports...))
	// Table: some slots hold functions, the rest stay null.
	var elems [][]byte
	for i := 0; i < tableSize-2; i++ {
		elems = append(elems, uleb(nil, uint64(g.r.Intn(g.leaves))))
	}
	b = section(b, 9, vec(append([]byte{0x00, 0x41, 0x00, 0x0B}, vec(elems...)...)))
	b = section(b, 12, uleb(nil, 2))
	var code [][]byte
	for _, body := range bodies {
		code = append(code, append(uleb(nil, uint64(len(body))), body...))
	}
	b = section(b, 10, vec(code...))
	data := make([]byte, 64)
	g.r.Read(data)
	seg := append([]byte{0x00, 0x41}, sleb(nil, int64(g.r.Intn(256)))...)
	seg = append(seg, 0x0B)
	seg = append(seg, uleb(nil, uint64(len(data)))...)
	seg = append(seg, data...)
	passive := append([]byte{0x01}, uleb(nil, 32)...)
	passive = append(passive, data[:32]...)
	b = section(b, 11, vec(seg, passive))
	return b
}

func bytesItems(b []byte) [][]byte {
	var out [][]byte
	for _, c := range b {
		out = append(out, []byte{c})
	}
	return out
}

// checksum: fold the first 1024 words of memory and the globals into one i32.
func checksum() []byte {
	b := []byte{1, 2, I32} // locals: 2 × i32 (index, hash)
	b = append(b,
		0x03, 0x40, // loop
		0x20, 1, 0x41, 31, 0x77, // rotl(h, 31)
		0x20, 0, 0x28, 0x00, 0x00, // i32.load (local 0)
		0x73,                               // xor
		0x41, 0x93, 0x83, 0x80, 0x08, 0x6C, // mul by 0x1000193 (FNV prime)
		0x21, 1, // local.set h
		0x20, 0, 0x41, 4, 0x6A, 0x22, 0, // i = i + 4 (tee)
		0x41, 0x80, 0x20, 0x49, // i < 4096
		0x0D, 0, // br_if loop
		0x0B, // end
	)
	b = append(b, 0x20, 1, 0x23, 0, 0x73, 0x23, 1, 0x73) // h ^ g0 ^ g1
	b = append(b, 0x23, 2, 0xA7, 0x73, 0x23, 2, 0x42, 32, 0x88, 0xA7, 0x73)
	b = append(b, 0x23, 3, 0xA7, 0x73, 0x23, 3, 0x42, 32, 0x88, 0xA7, 0x73)
	b = append(b, 0x3F, 0x00, 0x73) // ^ memory.size
	return append(b, 0x0B)
}

// ---- functions

func (g *gen) function(i int) []byte {
	f := g.funcs[i]
	g.locals = append([]byte(nil), f.Params...)
	extra := g.types(2 + g.r.Intn(4))
	g.locals = append(g.locals, extra...)
	g.fixed = len(g.locals)
	counters := 3
	for k := 0; k < counters; k++ {
		g.locals = append(g.locals, I32)
	}
	g.body, g.depth, g.labels, g.loops = nil, 0, 0, 0
	g.budget = 60 + g.r.Intn(120)
	nstmt := 1 + g.r.Intn(5)
	for k := 0; k < nstmt; k++ {
		g.stmt()
	}
	for _, t := range f.Results {
		g.expr(t)
	}
	g.op(0x0B)
	var decls [][]byte
	for _, t := range g.locals[len(f.Params):] {
		decls = append(decls, []byte{1, t})
	}
	return append(vec(decls...), g.body...)
}
