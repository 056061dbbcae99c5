package translate

import (
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// The profile table lets a reader of a run's trace count the WebAssembly instructions
// it executed, to measure normalized cycles per WebAssembly instruction. With
// Options.Profile the program's image holds, at ProfileAddr, three words: ProfileMagic,
// the address of the table, and its length in words. The table is
//
//	R, then R ranges (start pc, end pc): code that is not WebAssembly (entry code,
//	instantiation, trap handlers);
//	N, then N blocks (anchor pc, count): a straight-line run of count WebAssembly
//	instructions whose first normalized instruction is at the anchor pc.
//
// Executed WebAssembly instructions = Σ count × (executions of the anchor pc); cycles of
// WebAssembly code = records whose pc is in no range. Blocks that translate to no
// normalized instruction (only structure, like an end whose values are in place) have
// no anchor and are not counted; code that cannot run has none either.
const (
	ProfileAddr  = 0x8000
	ProfileMagic = 0x31465250 // "PRF1"
)

type profiler struct {
	ranges [][2]uint32
	blocks [][2]uint32
	start  uint32
	n      uint32
	open   bool
}

func newProfiler() *profiler { return &profiler{} }

// begin starts a function's first block at the function's label.
func (p *profiler) begin(c *fn) {
	p.start, p.n, p.open = c.b.PC(), 0, true
}

// instr counts body instruction k, before it is translated.
func (p *profiler) instr(c *fn, k int) {
	if !p.open {
		p.start, p.n, p.open = c.b.PC(), 0, true
	}
	p.n++
}

// after closes the block at a control instruction, once it is translated.
func (p *profiler) after(c *fn, op module.Opcode) {
	switch op {
	case module.OpIf, module.OpElse, module.OpEnd, module.OpLoop, module.OpBr, module.OpBrIf,
		module.OpBrTable, module.OpReturn, module.OpUnreachable:
		p.close(c)
	}
}

func (p *profiler) close(c *fn) {
	if p.open && c.b.PC() > p.start && p.n > 0 {
		p.blocks = append(p.blocks, [2]uint32{p.start, p.n})
	}
	p.open = false
}

func (p *profiler) overhead(start, end uint32) {
	if end > start {
		p.ranges = append(p.ranges, [2]uint32{start, end})
	}
}

// flush writes the table into the image.
func (p *profiler) flush(s *Store) {
	words := []uint32{uint32(len(p.ranges))}
	for _, r := range p.ranges {
		words = append(words, r[0], r[1])
	}
	words = append(words, uint32(len(p.blocks)))
	for _, b := range p.blocks {
		words = append(words, b[0], b[1])
	}
	addr := s.data.alloc(4 * uint32(len(words)))
	s.b.Words(addr, words...)
	s.b.Words(ProfileAddr, ProfileMagic, addr, uint32(len(words)))
}
