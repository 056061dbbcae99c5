package isa

import (
	"fmt"
	"strings"
)

// String formats in as one assembler line without labels, e.g. "add [8], [4], 5",
// "beq [8], 0, 12", "ecall write, [8], 4". Assemble accepts what it prints.
func (in Instruction) String() string { return in.format(nil) }

// format prints in; targets that have a name in labels are printed by name.
func (in Instruction) format(labels map[uint32]string) string {
	op := in.Op.String()
	b := operandString(in.B, in.ImmB())
	c := operandString(in.C, in.ImmC())
	target := func() string {
		if name, ok := labels[in.C]; ok && in.ImmC() {
			return name
		}
		return c
	}
	switch in.Op.Class() {
	case ClassALU, ClassLoad, ClassStore:
		return fmt.Sprintf("%s %s, %s, %s", op, formatSlot(in.A), b, c)
	case ClassBranch:
		return fmt.Sprintf("%s %s, %s, %s", op, formatSlot(in.A), b, target())
	case ClassJump:
		return fmt.Sprintf("%s %s", op, target())
	case ClassCall:
		return fmt.Sprintf("%s %s, %d", op, target(), int32(in.A))
	case ClassRet:
		return op
	case ClassHalt, ClassTrap:
		return fmt.Sprintf("%s %s", op, b)
	case ClassEcall:
		num := formatImm(in.C)
		if name := SyscallName(in.C); name != "" {
			num = name
		}
		return fmt.Sprintf("%s %s, %s, %s", op, num, formatSlot(in.A), b)
	}
	return fmt.Sprintf(".invalid op=0x%02x flags=0x%02x a=0x%x b=0x%x c=0x%x", uint8(in.Op), uint8(in.Flags), in.A, in.B, in.C)
}

func operandString(v uint32, imm bool) string {
	if imm {
		return formatImm(v)
	}
	return formatSlot(v)
}

func formatImm(v uint32) string {
	switch s := int32(v); {
	case v < 0x10000:
		return fmt.Sprint(v)
	case s < 0 && s > -0x10000:
		return fmt.Sprint(s)
	}
	return fmt.Sprintf("0x%x", v)
}

func formatSlot(off uint32) string { return fmt.Sprintf("[%d]", int32(off)) }

// Disassemble prints p as assembler source that Assemble turns back into the same
// program (the same canonical encoding). Jump, branch and call targets inside the code,
// and the entry, get labels "L<index>".
func Disassemble(p *Program) []byte { return DisassembleNoted(p, nil) }

// DisassembleNoted is Disassemble with a comment line "  ; NOTE" before each
// instruction for which note returns a non-empty string (oneiros translate --disasm
// puts the source map's labels there). Comments do not change what Assemble makes of it.
func DisassembleNoted(p *Program, note func(pc uint32) string) []byte {
	var sb strings.Builder
	labels := map[uint32]string{}
	label := func(pc uint32) {
		if uint64(pc) < uint64(len(p.Code)) {
			labels[pc] = fmt.Sprintf("L%d", pc)
		}
	}
	for _, in := range p.Code {
		switch cl := in.Op.Class(); {
		case cl == ClassBranch, (cl == ClassJump || cl == ClassCall) && in.ImmC():
			label(in.C)
		}
	}
	label(p.Entry)
	fmt.Fprintf(&sb, "; %d instructions, %d data segments, program_id %s\n", len(p.Code), len(p.Data), p.ID())
	fmt.Fprintf(&sb, ".name %s\n", quote(p.Name))
	if p.Source != nil {
		fmt.Fprintf(&sb, ".source %q\n", p.Source.String())
	}
	fmt.Fprintf(&sb, ".fp 0x%x\n", p.FP)
	entry := fmt.Sprint(p.Entry)
	if name, ok := labels[p.Entry]; ok {
		entry = name
	}
	fmt.Fprintf(&sb, ".entry %s\n\n", entry)
	for i, in := range p.Code {
		if name, ok := labels[uint32(i)]; ok {
			fmt.Fprintf(&sb, "%s:\n", name)
		}
		if note != nil {
			if n := note(uint32(i)); n != "" {
				fmt.Fprintf(&sb, "  ; %s\n", n)
			}
		}
		fmt.Fprintf(&sb, "\t%s\n", in.format(labels))
	}
	for _, s := range p.Data {
		fmt.Fprintf(&sb, "\n.data 0x%x\n", s.Addr)
		for i := 0; i < len(s.Bytes); i += 16 {
			row := s.Bytes[i:min(i+16, len(s.Bytes))]
			parts := make([]string, len(row))
			for j, v := range row {
				parts[j] = fmt.Sprintf("0x%02x", v)
			}
			fmt.Fprintf(&sb, "\t.byte %s\n", strings.Join(parts, ", "))
		}
	}
	return []byte(sb.String())
}

// quote writes s as an assembler string literal.
func quote(s string) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&sb, "\\x%02x", c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
