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

// A hook like a frontend's storage read: [a] points at a key of two words; the hook
// writes the value found for it after the key, sets [a] to 1 (found), and attaches the
// value to the record as its nondeterministic answer.
func TestHook(t *testing.T) {
	const sysLookup = 0x100
	store := map[[2]uint32]uint32{{7, 8}: 99}
	hook := func(c *exec.Call) error {
		if c.B != 3 {
			return c.Trap(isa.StatusBadArgument, "lookup flavour %d", c.B)
		}
		if err := c.SetA(1); err != nil {
			return err
		}
		k0, err := c.Load(c.A)
		if err != nil {
			return err
		}
		k1, err := c.Load(c.A + 4)
		if err != nil {
			return err
		}
		v := store[[2]uint32{k0, k1}]
		if err := c.Attach(v); err != nil {
			return err
		}
		return c.Store(c.A+8, v)
	}
	p := assemble(t, `.fp 0x100
		mov [0], 0x2000
		ecall 0x100, [0], 3
		lw [4], 0x2008
		add [4], [4], [0]
		halt [4]
		.data 0x2000
		.word 7, 8`)
	opts := exec.Options{Hooks: map[uint32]exec.Syscall{sysLookup: hook}}
	res, recs := run(t, p, opts)
	wantHalt(t, res, 100)
	r := recs[1]
	if r.Sys.Number != sysLookup || len(r.Sys.Data) != 1 || r.Sys.Data[0] != 99 || r.A != 1 || r.B != 3 {
		t.Fatalf("hook record %v %+v", r, r.Sys)
	}
	wantSlots := []int{trace.SlotA, 3, 4, 5}
	wantKinds := []trace.AccessKind{trace.Write, trace.Read, trace.Read, trace.Write}
	if len(r.Accesses) != len(wantSlots) {
		t.Fatalf("accesses %v", r.Accesses)
	}
	for i, a := range r.Accesses {
		if a.Slot() != wantSlots[i] || a.Kind != wantKinds[i] {
			t.Errorf("access %d: %v, want %v in slot %d", i, a, wantKinds[i], wantSlots[i])
		}
	}
	if a := r.Accesses[0]; a.Before != 0x2000 || a.After != 1 {
		t.Errorf("[a] access %v", a)
	}

	// The hook's own trap.
	bad := assemble(t, ".fp 0x100\necall 0x100, [0], 4\nhalt")
	res, _ = run(t, bad, opts)
	if res.ExitStatus != isa.StatusBadArgument || !strings.Contains(res.Trap.Error(), "lookup flavour 4") {
		t.Fatalf("%+v", res)
	}
}

func TestHookMisuse(t *testing.T) {
	p := assemble(t, ".fp 0x100\nmov [0], 0x2000\necall 0x100, [0]\nhalt")
	cases := []struct {
		name   string
		hook   exec.Syscall
		err    error // Run's error, or
		status isa.ExitStatus
	}{
		{"SetA after Load", func(c *exec.Call) error {
			if _, err := c.Load(c.A); err != nil {
				return err
			}
			return c.SetA(1)
		}, exec.ErrHook, 0},
		{"too many accesses", func(c *exec.Call) error {
			for i := range trace.MaxHookAccesses + 1 {
				if _, err := c.Load(c.A + 4*uint32(i)); err != nil {
					return err
				}
			}
			return nil
		}, exec.ErrHook, 0},
		{"host failure", func(c *exec.Call) error { return errors.ErrUnsupported }, errors.ErrUnsupported, 0},
		{"misaligned load", func(c *exec.Call) error {
			_, err := c.Load(c.A + 2)
			return err
		}, nil, isa.StatusMisaligned},
		{"misaligned store, error swallowed", func(c *exec.Call) error {
			_ = c.Store(c.A+1, 0)
			return nil
		}, nil, isa.StatusMisaligned},
		{"memory limit", func(c *exec.Call) error {
			if err := c.Store(0x9000_0000, 1); err != nil {
				return err
			}
			return c.Store(0xa000_0000, 1) // the third page
		}, nil, isa.StatusMemoryLimit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := exec.Options{Hooks: map[uint32]exec.Syscall{0x100: tc.hook}, Limits: exec.Limits{MaxMemoryBytes: 2 * 4096}}
			res, err := exec.Run(context.Background(), p, opts)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), "syscall 0x100 at pc 1") {
					t.Fatalf("error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || res.ExitStatus != tc.status {
				t.Fatalf("err %v result %+v, want %v", err, res, tc.status)
			}
		})
	}
}
