package exec_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

func TestTraps(t *testing.T) {
	cases := []struct {
		name   string
		src    string
		opts   exec.Options
		status isa.ExitStatus
		pc     uint32
		cycles uint64
		msg    string
	}{
		{"invalid pc by jump", "jmp 100", exec.Options{}, isa.StatusInvalidPC, 100, 1, "pc 100 is outside"},
		{"invalid pc by falling off", "mov [0], 1", exec.Options{}, isa.StatusInvalidPC, 1, 1, "outside the program's 1 instructions"},
		{"invalid pc by ret", ".fp 0x100\nmov [0], 50\nret", exec.Options{}, isa.StatusInvalidPC, 50, 2, "pc 50"},
		{"misaligned keccakf", ".fp 0x100\nmov [0], 0x1001\necall keccakf, [0]", exec.Options{}, isa.StatusMisaligned, 1, 1, "0x1001 is not word aligned"},
		{"misaligned sha256", ".fp 0x100\nmov [0], 0x1000\necall sha256_compress, [0], 2", exec.Options{}, isa.StatusMisaligned, 1, 1, "must be word aligned"},
		{"memory limit", ".fp 0x100\nlw [0], 0x5000\nhalt", exec.Options{Limits: exec.Limits{MaxMemoryBytes: 4096}}, isa.StatusMemoryLimit, 0, 0, "needs page 2 of 1 allowed"},
		{"memory limit of the image", ".fp 0x100\nhalt\n.data 0x4000\n.word 1\n.data 0x8000\n.word 2", exec.Options{Limits: exec.Limits{MaxMemoryBytes: 4096}}, isa.StatusMemoryLimit, 0, 0, "initial image"},
		{"cycle limit", "loop: jmp loop", exec.Options{Limits: exec.Limits{MaxCycles: 10}}, isa.StatusCycleLimit, 0, 10, "10 cycles"},
		{"output limit", ".fp 0x100\necall write, [0], 4", exec.Options{Limits: exec.Limits{MaxOutputBytes: 3}}, isa.StatusOutputLimit, 0, 0, "max_output_bytes 3"},
		{"input exhausted", ".fp 0x100\necall read, [0]\necall read, [0]", exec.Options{Input: []byte{1, 2}}, isa.StatusInputExhausted, 1, 1, "2-byte input"},
		{"unknown core syscall", ".fp 0x100\necall 0x50, [0]", exec.Options{}, isa.StatusUnknownSyscall, 0, 0, "not a core syscall"},
		{"reserved syscall", ".fp 0x100\necall poseidon2, [0]", exec.Options{}, isa.StatusUnknownSyscall, 0, 0, "reserved"},
		{"unserved hook", ".fp 0x100\necall 0x100, [0]", exec.Options{}, isa.StatusUnknownSyscall, 0, 0, "no hook"},
		{"explicit trap", "trap 7", exec.Options{}, isa.StatusTrap, 0, 1, "code 7"},
		{"bad frame below 0", ".fp 0x10\ncall f, -32\nf: ret", exec.Options{}, isa.StatusBadFrame, 0, 0, "leaves the address space"},
		{"bad frame above 2^32", ".fp 0xfffffff0\ncall f, 16\nf: ret", exec.Options{}, isa.StatusBadFrame, 0, 0, "leaves the address space"},
		{"bad frame on ret", ".fp 0x100\nmov [4], 0x1002\nret", exec.Options{}, isa.StatusBadFrame, 1, 1, "not a multiple of 4"},
		{"write of 0 bytes", ".fp 0x100\necall write, [0], 0", exec.Options{}, isa.StatusBadArgument, 0, 0, "1..4"},
		{"write of 5 bytes", ".fp 0x100\necall write, [0], 5", exec.Options{}, isa.StatusBadArgument, 0, 0, "1..4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := assemble(t, tc.src)
			res, _ := run(t, p, tc.opts)
			var te *exec.TrapError
			if !errors.As(res.Trap, &te) {
				t.Fatalf("no trap: %+v", res)
			}
			if res.ExitStatus != tc.status || te.Status != tc.status || te.PC != tc.pc || res.Cycles != tc.cycles || res.PC != tc.pc {
				t.Errorf("got status %v pc %d cycles %d (final pc %d), want %v pc %d cycles %d: %v",
					res.ExitStatus, te.PC, res.Cycles, res.PC, tc.status, tc.pc, tc.cycles, te)
			}
			if !strings.Contains(te.Error(), tc.msg) || !strings.Contains(te.Error(), "trap at pc") {
				t.Errorf("message %q does not say %q", te.Error(), tc.msg)
			}
		})
	}
}

func TestCycleLimitBoundary(t *testing.T) {
	p := assemble(t, "mov [0], 1\nmov [0], 2\nhalt 3")
	res, _ := run(t, p, exec.Options{Limits: exec.Limits{MaxCycles: 3}})
	wantHalt(t, res, 3) // the third cycle is the HALT: within the limit
	res, _ = run(t, p, exec.Options{Limits: exec.Limits{MaxCycles: 2}})
	if res.ExitStatus != isa.StatusCycleLimit || res.Cycles != 2 || res.PC != 2 {
		t.Fatalf("%+v", res)
	}
}

func TestMemoryLimitBoundary(t *testing.T) {
	// Three pages: the frame's, and two for an unaligned load across a boundary.
	p := assemble(t, ".fp 0x100\nlw [0], 0x5ffe\nhalt")
	res, _ := run(t, p, exec.Options{Limits: exec.Limits{MaxMemoryBytes: 3 * 4096}})
	wantHalt(t, res, 0)
	res, _ = run(t, p, exec.Options{Limits: exec.Limits{MaxMemoryBytes: 3*4096 - 1}})
	if res.ExitStatus != isa.StatusMemoryLimit {
		t.Fatalf("%+v", res)
	}
}

func TestOutputLimitBoundary(t *testing.T) {
	p := assemble(t, ".fp 0x100\nmov [0], 0x64636261\necall write, [0], 4\necall write, [0], 2\nhalt")
	res, _ := run(t, p, exec.Options{Limits: exec.Limits{MaxOutputBytes: 6}})
	wantHalt(t, res, 0)
	if string(res.Output) != "abcdab" {
		t.Fatalf("output %q", res.Output)
	}
	res, _ = run(t, p, exec.Options{Limits: exec.Limits{MaxOutputBytes: 5}})
	if res.ExitStatus != isa.StatusOutputLimit || string(res.Output) != "abcd" {
		t.Fatalf("%+v", res)
	}
}

func TestInput(t *testing.T) {
	p := assemble(t, `.fp 0x100
		ecall input_len, [0]
		ecall write, [0], 1
		ecall read, [4]
		ecall write, [4], 4
		ecall input_len, [0]
		ecall write, [0], 1
		ecall read, [4]
		ecall write, [4], 4
		ecall input_len, [0]
		ecall write, [0], 1
		halt`)
	res, recs := run(t, p, exec.Options{Input: []byte("abcdef")})
	wantHalt(t, res, 0)
	if want := "\x06abcd\x02ef\x00\x00\x00"; string(res.Output) != want {
		t.Fatalf("output %q, want %q", res.Output, want)
	}
	if r := recs[6]; string(r.Sys.Input) != "ef" || r.Sys.InputOffset != 4 || r.A != 0x6665 {
		t.Fatalf("second read record %+v", r.Sys)
	}
	if r := recs[7]; string(r.Sys.Output) != "ef\x00\x00" || r.Sys.OutputOffset != 6 {
		t.Fatalf("write record %+v", r.Sys)
	}
}

func TestRunErrors(t *testing.T) {
	p := assemble(t, "halt")
	bad := p.Clone()
	bad.Entry = 5
	if _, err := exec.Run(context.Background(), bad, exec.Options{}); !errors.Is(err, isa.ErrProgram) {
		t.Errorf("invalid program: %v", err)
	}
	hook := func(*exec.Call) error { return nil }
	if _, err := exec.Run(context.Background(), p, exec.Options{Hooks: map[uint32]exec.Syscall{isa.SysKeccakF: hook}}); err == nil {
		t.Error("a hook for a core syscall number is accepted")
	}
	loop := assemble(t, "l: jmp l")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := exec.Run(ctx, loop, exec.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
	sinkErr := errors.New("disk full")
	_, err := exec.Run(context.Background(), loop, exec.Options{Sink: func(r *trace.Record) error {
		if r.Clk == 5 {
			return sinkErr
		}
		return nil
	}})
	if !errors.Is(err, sinkErr) || !strings.Contains(err.Error(), "clk 5") {
		t.Errorf("sink error: %v", err)
	}
}

func TestProgress(t *testing.T) {
	p := assemble(t, ".fp 0x100\nmov [0], 0\nl: add [0], [0], 1\nbltu [0], 600000, l\nhalt")
	var calls []uint64
	res, err := exec.Run(context.Background(), p, exec.Options{Progress: func(c uint64) { calls = append(calls, c) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0] != exec.ProgressInterval || calls[1] != res.Cycles {
		t.Fatalf("progress calls %v for %d cycles", calls, res.Cycles)
	}
}
