package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// The source ISA of this template is "stack", a tiny stack machine of 32-bit words, one
// instruction per line ('#' starts a comment):
//
//	push N     push the constant N
//	add sub mul   pop y, pop x, push x op y (mod 2^32)
//	dup        push a copy of the top
//	swap       exchange the two top words
//	drop       pop and discard
//	read       push the next 4 bytes of the private input (little endian)
//	sload      pop a key, push the host's storage word at that key (host state: a hook)
//	print      pop a word and append its 4 bytes to the public output
//	NAME:      a label
//	jmp NAME   jump
//	jnz NAME   pop; jump if it was not zero
//	halt       pop the exit code and stop
//
// Translation: the stack depth at every instruction is known when loading (it must be
// the same on every path into a label), so stack position d lives in the frame slot
// [base + 4d]: no stack pointer at run time, each stack instruction becomes at most
// one or two normalized instructions. This is how stack machines (WebAssembly, EVM)
// lower to the normalized ISA.
//
// sload is host state: the program asks the host a question (here, a storage slot)
// whose answer is not computed by the program. It lowers to one ECALL of the hook
// SysStorage (host.go), which takes the key in B and leaves the answer in [a]: the
// shape of a provable hook, whose answers the proof binds (docs/plugins.md).

const (
	fp   = 0x10000 // the frame holding the stack
	base = 16      // slot of stack position 0
	max  = 1024    // deepest stack allowed
	tmp  = 8       // scratch slot
)

func slot(depth int) int32 { return int32(base + 4*depth) }

type srcError struct {
	line int
	msg  string
}

func (e *srcError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// translate compiles stack source into a normalized program.
func translate(src []byte) (*isa.Program, error) {
	type inst struct {
		line     int
		op, arg  string
		isLabel  bool
		depthIn  int
		reachIn  bool
		labelDef string
	}
	var prog []inst
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		if len(f) == 1 && strings.HasSuffix(f[0], ":") {
			prog = append(prog, inst{line: n, isLabel: true, labelDef: strings.TrimSuffix(f[0], ":")})
			continue
		}
		in := inst{line: n, op: strings.ToLower(f[0])}
		switch in.op {
		case "push", "jmp", "jnz":
			if len(f) != 2 {
				return nil, &srcError{n, in.op + " takes one argument"}
			}
			in.arg = f[1]
		case "add", "sub", "mul", "dup", "swap", "drop", "read", "print", "halt", "sload":
			if len(f) != 1 {
				return nil, &srcError{n, in.op + " takes no argument"}
			}
		default:
			return nil, &srcError{n, fmt.Sprintf("unknown instruction %q", f[0])}
		}
		prog = append(prog, in)
	}

	b := isa.NewBuilder()
	b.SetFP(fp)
	labels := map[string]isa.Label{}
	depthAt := map[string]int{}
	for _, in := range prog {
		if in.isLabel {
			if _, dup := labels[in.labelDef]; dup {
				return nil, &srcError{in.line, "label " + in.labelDef + " defined twice"}
			}
			labels[in.labelDef] = b.NewLabel(in.labelDef)
		}
	}
	label := func(name string, line int) (isa.Label, error) {
		l, ok := labels[name]
		if !ok {
			return l, &srcError{line, "no label " + name}
		}
		return l, nil
	}
	// One pass in program order; the depth at a label comes from the fall-through or
	// from the first jump seen to it, and every other path must agree.
	depth, live := 0, true
	need := func(in inst, k int) error {
		if depth < k {
			return &srcError{in.line, fmt.Sprintf("%s needs %d stack words, the stack holds %d", in.op, k, depth)}
		}
		return nil
	}
	agree := func(name string, d, line int) error {
		if prev, ok := depthAt[name]; ok && prev != d {
			return &srcError{line, fmt.Sprintf("stack depth %d at %s differs from %d on another path", d, name, prev)}
		}
		depthAt[name] = d
		return nil
	}
	for _, in := range prog {
		if in.isLabel {
			if live {
				if err := agree(in.labelDef, depth, in.line); err != nil {
					return nil, err
				}
			} else if d, ok := depthAt[in.labelDef]; ok {
				depth = d
			} else {
				depth = 0
			}
			live = true
			b.Bind(labels[in.labelDef])
			continue
		}
		if !live {
			return nil, &srcError{in.line, "unreachable instruction (add a label)"}
		}
		// The source map: cycles of what follows count for this source instruction
		// (oneiros execute --profile-cycles, oneiros translate --disasm).
		b.SourceLabel(in.op)
		switch in.op {
		case "push":
			v, err := strconv.ParseInt(in.arg, 0, 64)
			if err != nil || v < -(1<<31) || v >= 1<<32 {
				return nil, &srcError{in.line, fmt.Sprintf("bad constant %q", in.arg)}
			}
			b.Move(slot(depth), isa.Imm(uint32(v)))
			depth++
		case "add", "sub", "mul":
			if err := need(in, 2); err != nil {
				return nil, err
			}
			op := map[string]isa.Opcode{"add": isa.ADD, "sub": isa.SUB, "mul": isa.MUL}[in.op]
			b.ALU(op, slot(depth-2), isa.Slot(slot(depth-2)), isa.Slot(slot(depth-1)))
			depth--
		case "dup":
			if err := need(in, 1); err != nil {
				return nil, err
			}
			b.Move(slot(depth), isa.Slot(slot(depth-1)))
			depth++
		case "swap":
			if err := need(in, 2); err != nil {
				return nil, err
			}
			b.Move(tmp, isa.Slot(slot(depth-1)))
			b.Move(slot(depth-1), isa.Slot(slot(depth-2)))
			b.Move(slot(depth-2), isa.Slot(tmp))
		case "drop":
			if err := need(in, 1); err != nil {
				return nil, err
			}
			depth--
		case "read":
			b.Ecall(isa.SysRead, slot(depth), isa.Imm(0))
			depth++
		case "sload":
			if err := need(in, 1); err != nil {
				return nil, err
			}
			// [a] = the key's slot: the hook reads the key as B and writes the answer there.
			b.Ecall(SysStorage, slot(depth-1), isa.Slot(slot(depth-1)))
		case "print":
			if err := need(in, 1); err != nil {
				return nil, err
			}
			b.Ecall(isa.SysWrite, slot(depth-1), isa.Imm(4))
			depth--
		case "halt":
			if err := need(in, 1); err != nil {
				return nil, err
			}
			b.Halt(isa.Slot(slot(depth - 1)))
			live = false
		case "jmp", "jnz":
			l, err := label(in.arg, in.line)
			if err != nil {
				return nil, err
			}
			if in.op == "jnz" {
				if err := need(in, 1); err != nil {
					return nil, err
				}
				depth--
				if err := agree(in.arg, depth, in.line); err != nil {
					return nil, err
				}
				b.Branch(isa.BNE, slot(depth), isa.Imm(0), l)
			} else {
				if err := agree(in.arg, depth, in.line); err != nil {
					return nil, err
				}
				b.Jump(l)
				live = false
			}
		}
		if depth > max {
			return nil, &srcError{in.line, fmt.Sprintf("stack deeper than %d words", max)}
		}
	}
	if live {
		return nil, fmt.Errorf("the program can run past its end: end it with halt or jmp")
	}
	return b.Program()
}
