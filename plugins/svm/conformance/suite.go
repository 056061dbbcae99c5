package conformance

import (
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// ErrSuite reports a suite directory that cannot be read. It wraps
// frontend.ErrInvalidInput: the host's request was at fault, not the plugin.
var ErrSuite = fmt.Errorf("%w: svm conformance suite", frontend.ErrInvalidInput)

// limits are every run's: far above what a case needs (instruction vectors have a budget
// of 100 compute units, the ELF cases their upstream instruction count).
var limits = frontend.Limits{MaxCycles: 1 << 28, MaxOutputBytes: 1 << 24}

// Cases reads the suite in req.SuiteDir and emits one run per case, the groups in
// report order (instr before elf, versions ascending, group names ascending), each
// group's cases in suite order. A case the frontend cannot run (a malformed record, a
// syscall it does not implement) is a run with only a decided case.
func Cases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	cases, err := readSuite(req.SuiteDir)
	if err != nil {
		return err
	}
	slices.SortStableFunc(cases, func(a, b testCase) int {
		if a.part != b.part {
			return -strings.Compare(a.part, b.part) // instr before elf
		}
		return cmp.Or(strings.Compare(a.version, b.version), strings.Compare(a.group, b.group))
	})
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		group := c.part + "/" + c.version + "/" + c.group
		if req.Filter != "" && !strings.Contains(c.id, req.Filter) && !strings.Contains(group, req.Filter) {
			continue
		}
		r := &frontend.ConformanceRun{ID: c.id, Group: group}
		switch {
		case c.decided != nil:
			d := *c.decided
			d.ID, d.Group = c.id, group
			r.Decided = []frontend.ConformanceCase{d}
		default:
			r.FileName, r.Source, r.Limits = c.id+".osvm", c.exp.Source, limits
			if r.Expect, err = c.exp.encode(); err != nil {
				return fmt.Errorf("case %s: %w", c.id, err)
			}
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// testCase is one case of either part: its expectation (with the container to run), or
// a verdict reached without running it.
type testCase struct {
	id, part, version, group string
	exp                      expectation
	decided                  *frontend.ConformanceCase
}

func skipped(reason string) *frontend.ConformanceCase {
	return &frontend.ConformanceCase{Status: frontend.CaseSkipped, Reason: reason}
}

func failed(reason string) *frontend.ConformanceCase {
	return &frontend.ConformanceCase{Status: frontend.CaseFailed, Reason: reason}
}

// readSuite reads both parts of the suite.
func readSuite(dir string) ([]testCase, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	var cases []testCase
	for _, v := range []int{0, 2, 3} {
		path := filepath.Join(dir, "instr", fmt.Sprintf("sbpf_v%d.json", v))
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSuite, err)
		}
		cs, err := instrCases(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrSuite, path, err)
		}
		cases = append(cases, cs...)
	}
	path := filepath.Join(dir, "elf", "cases.json")
	if b, err := os.ReadFile(path); err == nil {
		cs, err := elfCases(b, filepath.Join(dir, "elf", "programs"))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrSuite, path, err)
		}
		cases = append(cases, cs...)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%w: %s holds neither instr/sbpf_v*.json nor elf/cases.json", ErrSuite, dir)
	}
	return cases, nil
}

type instrJSON struct {
	ID         string   `json:"id"`
	Version    uint8    `json:"sbpf_version"`
	File       string   `json:"file"`
	Program    string   `json:"program_hex"`
	RegsIn     []string `json:"regs_in"`
	Input      string   `json:"input_hex"`
	Boundaries []uint32 `json:"region_boundaries"`
	Expect     string   `json:"expect"`
	RegsOut    []string `json:"regs_out"`
}

func parseRegs(s []string) (*[12]uint64, error) {
	if len(s) != 12 {
		return nil, fmt.Errorf("%d registers, want 12", len(s))
	}
	var r [12]uint64
	for i, x := range s {
		v, err := strconv.ParseUint(x, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("register %d: %w", i, err)
		}
		r[i] = v
	}
	return &r, nil
}

// instrCases turns instruction vectors into containers: bytecode, registers, a writable
// input region (split at the boundaries), budget 100, no heap, no syscalls, registers
// dumped at exit.
func instrCases(b []byte) ([]testCase, error) {
	var raw []instrJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	var out []testCase
	for _, r := range raw {
		c := testCase{id: r.ID, part: partInstr, version: fmt.Sprintf("v%d", r.Version),
			group: strings.TrimSuffix(filepath.Base(r.File), ".instr")}
		text, err1 := hex.DecodeString(r.Program)
		input, err2 := hex.DecodeString(r.Input)
		regs, err3 := parseRegs(r.RegsIn)
		if err := errors.Join(err1, err2, err3); err != nil {
			c.decided = skipped("malformed case: " + err.Error())
			out = append(out, c)
			continue
		}
		if input == nil {
			input = []byte{}
		}
		c.exp = expectation{Format: expectFormat, Part: partInstr, Result: r.Expect}
		switch r.Expect {
		case instrOK:
			want, err := parseRegs(r.RegsOut)
			if err != nil {
				c.decided = failed("malformed expectation: " + err.Error())
				out = append(out, c)
				continue
			}
			c.exp.Regs = want[:]
		case instrFault, instrVerifyFail:
		default:
			c.decided = failed(fmt.Sprintf("unknown expectation %q", r.Expect))
			out = append(out, c)
			continue
		}
		ct := &container.Container{Text: text, TextVersion: r.Version, Budget: 100, HasHeap: true, Regs: regs,
			Input: input, InputWritable: true, Boundaries: r.Boundaries, Syscalls: []container.Syscall{}, DumpRegisters: true}
		c.exp.Source = ct.Encode()
		if err := c.exp.validate(); err != nil && c.decided == nil {
			c.decided = failed("malformed expectation: " + err.Error())
		}
		out = append(out, c)
	}
	return out, nil
}

type elfJSON struct {
	ID         string `json:"id"`
	Group      string `json:"group"`
	ELF        string `json:"elf"`
	ELFVersion uint8  `json:"elf_sbpf_version"`
	Config     struct {
		Versions       []uint8 `json:"enabled_sbpf_versions"`
		OptimizeRodata *bool   `json:"optimize_rodata"`
		Reject         bool    `json:"reject_broken_elfs"`
	} `json:"config"`
	Syscalls map[string]string `json:"syscalls"`
	Input    string            `json:"input_hex"`
	Expect   struct {
		Result string `json:"result"`
		R0     string `json:"r0"`
		Count  uint64 `json:"instruction_count"`
		Error  string `json:"error"`
		Stage  string `json:"stage"`
	} `json:"expect"`
}

// syscallImpls are the suite's syscall implementations the frontend has.
var syscallImpls = map[string]translate.Syscall{"log_string": translate.SysLogString, "log_u64": translate.SysLogU64}

// elfCases turns the ELF cases into containers with the upstream test's settings:
// loader flags, versions, syscalls, read-only input and a budget of the expected
// instruction count.
func elfCases(b []byte, programs string) ([]testCase, error) {
	var raw []elfJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	var out []testCase
	for _, r := range raw {
		c := testCase{id: r.ID, part: partELF, version: fmt.Sprintf("v%d", r.ELFVersion), group: r.Group}
		elf, err := os.ReadFile(filepath.Join(programs, filepath.Base(r.ELF)))
		input, err2 := hex.DecodeString(r.Input)
		if err := errors.Join(err, err2); err != nil {
			c.decided = skipped("unreadable case: " + err.Error())
			out = append(out, c)
			continue
		}
		e := r.Expect
		c.exp = expectation{Format: expectFormat, Part: partELF, Result: e.Result, Error: e.Error, Stage: e.Stage, Count: e.Count}
		switch e.Result {
		case elfOK:
			r0, err := strconv.ParseUint(strings.TrimPrefix(e.R0, "0x"), 16, 64)
			if err != nil {
				c.decided = failed("malformed expectation: r0: " + err.Error())
				out = append(out, c)
				continue
			}
			c.exp.R0 = r0
		case elfError, elfLoadError:
		default:
			c.decided = failed(fmt.Sprintf("unknown expectation %q", e.Result))
			out = append(out, c)
			continue
		}
		ct := &container.Container{ELF: elf, RejectBrokenELFs: r.Config.Reject,
			OptimizeRodata: r.Config.OptimizeRodata == nil || *r.Config.OptimizeRodata,
			HasHeap:        true, Input: input, Syscalls: []container.Syscall{}, Budget: max(e.Count, 1)}
		if ct.Input == nil {
			ct.Input = []byte{}
		}
		if len(r.Config.Versions) == 2 {
			ct.HasVersions, ct.MinVersion, ct.MaxVersion = true, r.Config.Versions[0], r.Config.Versions[1]
		}
		names := make([]string, 0, len(r.Syscalls))
		for name := range r.Syscalls {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			impl, ok := syscallImpls[r.Syscalls[name]]
			if !ok {
				c.decided = skipped(fmt.Sprintf("syscall %q (%s) has no implementation in the frontend", name, r.Syscalls[name]))
				break
			}
			ct.Syscalls = append(ct.Syscalls, container.Syscall{Impl: uint8(impl), Name: name})
		}
		c.exp.Source = ct.Encode()
		if err := c.exp.validate(); err != nil && c.decided == nil {
			c.decided = failed("malformed expectation: " + err.Error())
		}
		out = append(out, c)
	}
	return out, nil
}
