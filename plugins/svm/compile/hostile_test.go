package compile

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
)

func text(ins ...sbpf.Insn) []byte {
	var b []byte
	for _, in := range ins {
		b = in.Encode(b)
	}
	return b
}

// TestHostile: hostile programs end in a load refusal or a trap with the right error
// code — a provable outcome — never a crash or a run without end.
func TestHostile(t *testing.T) {
	lddw := func(dst uint8, v uint64) []sbpf.Insn {
		return []sbpf.Insn{{Op: 0x18, Dst: dst, Imm: int32(uint32(v))}, {Imm: int32(uint32(v >> 32))}}
	}
	cat := func(parts ...[]sbpf.Insn) []sbpf.Insn {
		var out []sbpf.Insn
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	exit := []sbpf.Insn{{Op: 0x95}}
	bad := []byte{0xff, 0xfe, 'x'}
	for _, c := range []struct {
		name    string
		code    []sbpf.Insn
		version sbpf.Version
		loadErr error
		want    uint32
		input   []byte
	}{
		{name: "infinite loop", code: []sbpf.Insn{{Op: 0x05, Off: -1}, {Op: 0x95}}, want: translate.ErrExceededMaxInstructions},
		{name: "loop through calls", code: []sbpf.Insn{{Op: 0x85, Src: 1, Imm: -1}, {Op: 0x95}}, version: sbpf.V3, want: translate.ErrCallDepthExceeded},
		{name: "deep recursion", code: []sbpf.Insn{{Op: 0x85, Imm: int32(sbpf.SymbolHash("entrypoint"))}, {Op: 0x95}}, want: translate.ErrCallDepthExceeded},
		{name: "jump out of the text", code: []sbpf.Insn{{Op: 0x05, Off: 7}, {Op: 0x95}}, loadErr: ErrVerify},
		{name: "jump into lddw", code: cat([]sbpf.Insn{{Op: 0x05, Off: 1}}, lddw(0, 1), exit), loadErr: ErrVerify},
		{name: "write r10", code: []sbpf.Insn{{Op: 0xb7, Dst: 10}, {Op: 0x95}}, loadErr: ErrVerify},
		{name: "no exit", code: []sbpf.Insn{{Op: 0xb7, Dst: 0}}, want: translate.ErrExecutionOverrun},
		{name: "load from nowhere", code: cat(lddw(1, 0x7_0000_0000), []sbpf.Insn{{Op: 0x79, Src: 1}, {Op: 0x95}}), want: translate.ErrAccessViolation},
		{name: "store into the program", code: cat(lddw(1, 0x1_0000_0000), []sbpf.Insn{{Op: 0x7a, Dst: 1, Imm: 1}, {Op: 0x95}}), want: translate.ErrAccessViolation},
		{name: "stack gap", code: []sbpf.Insn{{Op: 0x79, Dst: 0, Src: 10, Off: 8}, {Op: 0x95}}, want: translate.ErrAccessViolation},
		{name: "divide by zero", code: []sbpf.Insn{{Op: 0x3f, Dst: 0, Src: 2}, {Op: 0x95}}, want: translate.ErrDivideByZero},
		{name: "callx into data", code: cat(lddw(2, 0x4_0000_0000), []sbpf.Insn{{Op: 0x8d, Imm: 2}, {Op: 0x95}}), want: translate.ErrCallOutsideTextSegment},
		{name: "unknown syscall", code: []sbpf.Insn{{Op: 0x85, Imm: 0x12345678}, {Op: 0x95}}, want: translate.ErrUnsupportedInstruction},
		{name: "huge memcpy", code: cat(lddw(3, 1<<40), []sbpf.Insn{{Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_memcpy_"))}, {Op: 0x95}}),
			want: translate.ErrExceededMaxInstructions},
		{name: "memcpy overlap", code: cat([]sbpf.Insn{{Op: 0xbf, Dst: 2, Src: 1}, {Op: 0x07, Dst: 2, Imm: 1}, {Op: 0xb7, Dst: 3, Imm: 4}},
			[]sbpf.Insn{{Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_memcpy_"))}, {Op: 0x95}}), want: translate.ErrCopyOverlapping,
			input: make([]byte, 16)},
		{name: "log of a bad string", code: []sbpf.Insn{{Op: 0xb7, Dst: 2, Imm: 3}, {Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_log_"))}, {Op: 0x95}},
			want: translate.ErrInvalidString, input: bad},
		{name: "log past the input", code: []sbpf.Insn{{Op: 0xb7, Dst: 2, Imm: 4}, {Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_log_"))}, {Op: 0x95}},
			want: translate.ErrAccessViolation, input: bad},
		{name: "panic", code: []sbpf.Insn{{Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_panic_"))}, {Op: 0x95}}, want: translate.ErrPanic},
		{name: "abort", code: []sbpf.Insn{{Op: 0x85, Imm: int32(sbpf.SymbolHash("abort"))}, {Op: 0x95}}, want: translate.ErrAbort},
		{name: "return data too large", code: []sbpf.Insn{{Op: 0xb7, Dst: 2, Imm: 2000}, {Op: 0x85, Imm: int32(sbpf.SymbolHash("sol_set_return_data"))}, {Op: 0x95}},
			want: translate.ErrReturnDataTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			input := c.input
			if input == nil {
				input = []byte{}
			}
			res, err := FromContainer(&container.Container{Text: text(c.code...), TextVersion: uint8(c.version), Budget: 1000,
				Input: input, InputWritable: true})
			if c.loadErr != nil {
				if !errors.Is(err, c.loadErr) {
					t.Fatalf("want %v, got %v", c.loadErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := exec.Run(context.Background(), res.Program, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 24}})
			if err != nil {
				t.Fatal(err)
			}
			if r.ExitStatus != isa.StatusTrap || r.ExitCode != c.want {
				t.Fatalf("ended %v code %d (%v), want a TRAP with %s", r.ExitStatus, r.ExitCode, r.Trap, translate.ErrorNames[c.want])
			}
			out, err := output.Decode(r.Output, false)
			if err != nil || out.Exit.Status != c.want {
				t.Fatalf("output %+v, %v", out, err)
			}
		})
	}
}

// TestHostileELF: malformed ELF files are refused with loader errors.
func TestHostileELF(t *testing.T) {
	for name, src := range map[string][]byte{
		"empty":        {},
		"magic only":   []byte("\x7fELF"),
		"short header": append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 40)...),
		"v9":           append(append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 41)...), 9, 0, 0, 0, 0, 0, 0, 0),
	} {
		if _, err := Compile(src); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
