package profile

import (
	"errors"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

func TestBuiltins(t *testing.T) {
	if got := Names(); !slices.Equal(got, []string{"continuations", "distributed", "standard"}) {
		t.Fatalf("Names() = %v", got)
	}
	c, _ := config.Default()
	want := map[string]struct {
		schedule Schedule
		cycles   uint64
	}{
		"standard":      {Single, StandardSegmentCycles},
		"continuations": {Sequential, 1 << 20},
		"distributed":   {Parallel, 1 << 20},
	}
	for _, p := range List() {
		// every name is one the config's profile key accepts
		if err := c.Clone().Set("t", "profile", p.Name); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		cfg, _ := config.Default()
		if err := p.Apply(cfg); err != nil {
			t.Fatal(err)
		}
		w := want[p.Name]
		if p.Schedule != w.schedule || p.SegmentCycles(cfg) != w.cycles {
			t.Errorf("%s: schedule %s, segment cycles %d; want %s, %d", p.Name, p.Schedule, p.SegmentCycles(cfg), w.schedule, w.cycles)
		}
	}
	std, _ := Lookup("standard")
	over, err := std.Overridden()
	if err != nil || len(over) != 1 || over[0].Key != "segments.segment_cycles" || over[0].Value != "2097152" || over[0].Origin.File != "profile standard" {
		t.Errorf("standard overrides: %+v, %v", over, err)
	}
	cont, _ := Lookup("continuations")
	if over, _ := cont.Overridden(); len(over) != 0 {
		t.Errorf("continuations overrides: %+v", over)
	}
	if got := cont.WorkingSet(1000, 10); got != 1010 {
		t.Errorf("continuations working set = %d, want prover + 1 record buffer (the next segment waits on disk)", got)
	}
}

func TestLookup(t *testing.T) {
	_, err := Lookup("stndard")
	if !errors.Is(err, ErrUnknown) || err.Error() != `unknown profile "stndard" (registered: continuations, distributed, standard)` {
		t.Errorf("got %v", err)
	}
	p, _ := Lookup("standard")
	p.Schedule = Parallel
	if q, _ := Lookup("standard"); q.Schedule != Single {
		t.Error("Lookup handed out the registry's own profile")
	}
}

func TestRegister(t *testing.T) {
	ok := Profile{Name: "test-small", Description: "small segments", Schedule: Sequential,
		Overrides: func(c *config.Config) { c.Segments.SegmentCycles = 1 << 18 }}
	if err := Register(ok); err != nil {
		t.Fatal(err)
	}
	if err := Register(ok); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate: %v", err)
	}
	for _, tt := range []struct {
		p    Profile
		want string
	}{
		{Profile{Name: "Big", Description: "d", Schedule: Single}, `profile name "Big": want lower-case letters, digits and '-', starting with a letter`},
		{Profile{Name: "test-a", Schedule: Single}, "profile test-a: empty description"},
		{Profile{Name: "test-b", Description: "d", Schedule: "round-robin"}, `profile test-b: unknown schedule "round-robin" (allowed: single, sequential, parallel)`},
		{Profile{Name: "test-c", Description: "d", Schedule: Single, Concurrency: Concurrency{Segments: 2}}, "profile test-c: a single schedule proves one segment at a time, not 2"},
		{Profile{Name: "test-d", Description: "d", Schedule: Sequential, Overrides: func(c *config.Config) { c.Segments.SegmentCycles = 1000 }},
			"profile test-d: overrides: profile test-d: segments.segment_cycles: 1000 is out of range (allowed 1024..2097152 (2^10..2^21))"},
	} {
		if err := Register(tt.p); err == nil || err.Error() != tt.want {
			t.Errorf("Register(%s):\n got %v\nwant %s", tt.p.Name, err, tt.want)
		}
	}
	if slices.Contains(Names(), "test-d") {
		t.Error("a refused profile was registered")
	}
}

func TestSelect(t *testing.T) {
	// The file's profile key selects; the profile's override sits beneath the file.
	cfg, err := config.Parse("u.yaml", []byte("profile: standard\nengine:\n  num_queries: 80\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Select(cfg)
	if err != nil || p.Name != "standard" || cfg.Segments.SegmentCycles != StandardSegmentCycles || cfg.Engine.NumQueries != 80 {
		t.Fatalf("Select: %v %+v", err, cfg)
	}
	// A user's explicit segment size beats the profile's.
	cfg, _ = config.Parse("u.yaml", []byte("segments:\n  segment_cycles: 65536\n"))
	if _, err := Select(cfg); err != nil || cfg.Segments.SegmentCycles != 65536 {
		t.Errorf("user's segment_cycles lost: %v %d", err, cfg.Segments.SegmentCycles)
	}
	// A flag beats the file.
	cfg, _ = config.Parse("u.yaml", []byte("profile: standard\n"))
	cfg.Set("--profile", "profile", "continuations")
	if p, err := Select(cfg); err != nil || p.Name != "continuations" || cfg.Segments.SegmentCycles != 1<<20 {
		t.Errorf("flag: %v %v %d", p, err, cfg.Segments.SegmentCycles)
	}
	// An unknown name is reported where it was written.
	cfg, _ = config.Parse("u.yaml", []byte("version: 1\nprofile: fast\n"))
	_, err = Select(cfg)
	var e *config.Error
	if !errors.As(err, &e) || e.Line != 2 || !errors.Is(err, ErrUnknown) ||
		err.Error() != `u.yaml:2: profile: unknown profile "fast" (registered: continuations, distributed, standard, test-small)` &&
			err.Error() != `u.yaml:2: profile: unknown profile "fast" (registered: continuations, distributed, standard)` {
		t.Errorf("got %v", err)
	}
}
