package compile

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
)

// suiteDir is the shared conformance suite, when this checkout has it.
func suiteDir(t testing.TB) string {
	for _, d := range []string{"../../../../shared/conformance/svm", "../../../shared/conformance/svm"} {
		if _, err := os.Stat(filepath.Join(d, "instr")); err == nil {
			return d
		}
	}
	t.Skip("no shared conformance suite next to this checkout")
	return ""
}

type instrCase struct {
	ID         string   `json:"id"`
	Version    uint8    `json:"sbpf_version"`
	Program    string   `json:"program_hex"`
	RegsIn     []string `json:"regs_in"`
	Input      string   `json:"input_hex"`
	Boundaries []uint32 `json:"region_boundaries"`
	Expect     string   `json:"expect"`
	RegsOut    []string `json:"regs_out"`
	Section    string   `json:"section"`
}

func parseRegs(s []string) ([12]uint64, error) {
	var r [12]uint64
	for i, x := range s {
		v, err := strconv.ParseUint(x, 16, 64)
		if err != nil {
			return r, err
		}
		r[i] = v
	}
	return r, nil
}

// runInstr runs one vector and returns "" when it passes, else what went wrong.
func runInstr(c instrCase) string {
	text, err := hex.DecodeString(c.Program)
	if err != nil {
		return err.Error()
	}
	input, _ := hex.DecodeString(c.Input)
	regs, err := parseRegs(c.RegsIn)
	if err != nil {
		return err.Error()
	}
	ct := &container.Container{Text: text, TextVersion: c.Version, Budget: 100, HasHeap: true, Regs: &regs,
		Input: input, InputWritable: true, Boundaries: c.Boundaries, Syscalls: []container.Syscall{}, DumpRegisters: true}
	if input == nil {
		ct.Input = []byte{}
	}
	res, err := FromContainer(ct)
	if c.Expect == "verify_fail" {
		if errors.Is(err, ErrVerify) {
			return ""
		}
		return fmt.Sprintf("want verify_fail, got err=%v", err)
	}
	if err != nil {
		return fmt.Sprintf("compile: %v", err)
	}
	r, err := exec.Run(context.Background(), res.Program, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 24}})
	if err != nil {
		return fmt.Sprintf("exec: %v", err)
	}
	out, derr := output.Decode(r.Output, true)
	if derr != nil {
		return fmt.Sprintf("output: %v (run %v)", derr, r.Trap)
	}
	if c.Expect == "fault" {
		if r.Trap != nil && out.Exit.Status != 0 {
			return ""
		}
		return fmt.Sprintf("want fault, got status %d regs %x", out.Exit.Status, out.Exit.Registers)
	}
	if r.Trap != nil || out.Exit.Status != 0 {
		return fmt.Sprintf("want ok, got status %d (%v)", out.Exit.Status, r.Trap)
	}
	want, _ := parseRegs(c.RegsOut)
	for i := range want {
		if out.Exit.Registers[i] != want[i] {
			return fmt.Sprintf("r%d = %x, want %x", i, out.Exit.Registers[i], want[i])
		}
	}
	return ""
}

func TestInstrVectors(t *testing.T) {
	dir := suiteDir(t)
	for _, v := range []int{0, 2, 3} {
		b, err := os.ReadFile(filepath.Join(dir, "instr", fmt.Sprintf("sbpf_v%d.json", v)))
		if err != nil {
			t.Fatal(err)
		}
		var cases []instrCase
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, c := range cases {
			if msg := runInstr(c); msg != "" {
				failed++
				if failed <= 40 {
					t.Errorf("%s (%s, %s): %s", c.ID, c.Section, c.Expect, msg)
				}
			}
		}
		t.Logf("v%d: %d/%d pass", v, len(cases)-failed, len(cases))
	}
}
