package wasm

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// measure reads the program's profile table (docs/wasm.md) and returns the cycles spent
// in WebAssembly code and the WebAssembly instructions executed.
func measure(p *isa.Program, counts []uint64) (cycles, instrs uint64) {
	word := func(addr uint32) uint32 {
		for _, s := range p.Data {
			if addr >= s.Addr && uint64(addr)+4 <= s.End() {
				return binary.LittleEndian.Uint32(s.Bytes[addr-s.Addr:])
			}
		}
		return 0
	}
	if word(profileAddr) != profileMagic {
		return 0, 0
	}
	a := word(profileAddr + 4)
	next := func() uint32 { v := word(a); a += 4; return v }
	over := make([]bool, len(counts))
	for n := next(); n > 0; n-- {
		s, e := next(), next()
		for pc := s; pc < e && int(pc) < len(over); pc++ {
			over[pc] = true
		}
	}
	for pc, n := range counts {
		if !over[pc] {
			cycles += n
		}
	}
	for n := next(); n > 0; n-- {
		pc, k := next(), next()
		if int(pc) < len(counts) {
			instrs += counts[pc] * uint64(k)
		}
	}
	return cycles, instrs
}

// judge checks an outcome against an expectation with the suite's rules; "" is a pass.
func judge(e expectation, o outcome) string {
	switch e.kind {
	case "unlinkable":
		if o.kind == outcomeRejected {
			return "" // rejected at link time (or earlier)
		}
		return fmt.Sprintf("the module linked (outcome %s)", o)
	case "uninstantiable":
		if o.kind == outcomeTrapped {
			return ""
		}
		return fmt.Sprintf("instantiation did not trap (outcome %s)", o)
	case "trap":
		if o.kind == outcomeTrapped {
			return ""
		}
		return fmt.Sprintf("%s did not trap (%q expected): outcome %s", e.cmd.Action.Field, e.cmd.Text, o)
	case "return":
		if o.kind != outcomeReturned {
			return fmt.Sprintf("%s: outcome %s, want a return", e.cmd.Action.Field, o)
		}
		var want []uint32
		for _, v := range e.cmd.Expected {
			s, _ := v.Value.(string)
			if strings.HasPrefix(s, "nan:") {
				return "a NaN expectation (float)"
			}
			val, err := parseValue(v)
			if err != nil {
				return err.Error()
			}
			want = append(want, uint32(val.bits))
			if v.Type == "i64" || v.Type == "f64" {
				want = append(want, uint32(val.bits>>32))
			}
		}
		if len(want) != len(o.words) {
			return fmt.Sprintf("%s returned %d words, want %d", e.cmd.Action.Field, len(o.words), len(want))
		}
		for i := range want {
			if want[i] != o.words[i] {
				return fmt.Sprintf("%s returned %v, want %v", e.cmd.Action.Field, o.words, want)
			}
		}
		return ""
	}
	return ""
}

func (o outcome) String() string {
	switch o.kind {
	case outcomeReturned:
		return fmt.Sprintf("returned %v", o.words)
	case outcomeTrapped:
		return fmt.Sprintf("trapped (code %d)", o.payload)
	case outcomeRejected:
		return fmt.Sprintf("rejected (reason %d)", o.payload)
	}
	return fmt.Sprintf("unknown outcome %d", o.kind)
}
