// Package benchsuite is `oneiros bench run`: a fixed, versioned suite of workloads (the
// engine's kernels at a few sizes, and end-to-end proofs of real programs through the
// plugins), a fingerprint of the machine, results as JSON, comparisons of results, and
// an HTML report with plots.
//
// A suite's rows have stable identifiers ("kernel/merkle/2^16x32/hemera",
// "prove/mix-2^18"); results of the same suite version compare row by row. A change to
// a suite's workloads bumps Version.
package benchsuite

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/oneiros-zk/oneiros/configs"
)

// Version is the suite definitions' version (configs/bench/suites.yaml); results of
// different versions compare with a warning naming the rows that differ.
var Version int

// Suite is a named set of workloads.
type Suite struct {
	Name    string
	Kernels []KernelCase
	Proves  []ProveCase
}

// KernelCase measures every kernel on a trace of 2^LogN rows and Cols columns.
type KernelCase struct {
	LogN int `yaml:"log_n"`
	Cols int `yaml:"cols"`
	Reps int `yaml:"reps"`
}

// ProveCase proves a program through the plugins.
type ProveCase struct {
	ID            string `yaml:"id"`             // row identifier: "prove/" + ID
	ISA           string `yaml:"isa"`            // frontend
	Program       string `yaml:"program"`        // path from the repository root
	Input         []byte `yaml:"-"`              // the input tape (nil: none)
	InputFile     string `yaml:"input_file"`     // or a file holding it, from the repository root
	Profile       string `yaml:"profile"`        // standard or continuations
	SegmentCycles uint64 `yaml:"segment_cycles"` // 0: the configuration's
	Reps          int    `yaml:"reps"`
	// Aggregate also aggregates the last proof's segment proofs (oneiros aggregate):
	// a row aggregate/<ID> of its own, measured once.
	Aggregate bool `yaml:"aggregate"`
	// Wrap also wraps the aggregated proof (oneiros wrap; Aggregate must be set): a row
	// wrap/<ID>, measured once, skipped without the wrap circuit's keys.
	Wrap bool `yaml:"wrap"`
}

// suites are the definitions of configs/bench/suites.yaml: data, so that the host's
// code names no ISA and no program.
var suites = mustParse(configs.BenchSuites())

func mustParse(b []byte) map[string]Suite {
	v, s, err := parse(b)
	if err != nil {
		panic(fmt.Sprintf("benchsuite: the embedded configs/bench/suites.yaml: %v", err)) // a build defect: a test parses it
	}
	Version = v
	return s
}

// parse reads suite definitions; unknown keys and incomplete cases are errors.
func parse(b []byte) (int, map[string]Suite, error) {
	var doc struct {
		Version int `yaml:"version"`
		Suites  map[string]struct {
			Kernels []KernelCase `yaml:"kernels"`
			Proves  []struct {
				ProveCase `yaml:",inline"`
				Input     *string `yaml:"input"`
				InputU32  *uint32 `yaml:"input_u32"`
			} `yaml:"proves"`
		} `yaml:"suites"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return 0, nil, err
	}
	if doc.Version < 1 || len(doc.Suites) == 0 {
		return 0, nil, fmt.Errorf("want a version ≥ 1 and at least one suite")
	}
	out := map[string]Suite{}
	for name, d := range doc.Suites {
		s := Suite{Name: name, Kernels: d.Kernels}
		seen := map[string]bool{}
		for _, p := range d.Proves {
			c := p.ProveCase
			switch {
			case c.ID == "" || c.ISA == "" || c.Program == "" || c.Reps < 1:
				return 0, nil, fmt.Errorf("suite %s: a prove case needs id, isa, program and reps ≥ 1 (%+v)", name, c)
			case seen[c.ID]:
				return 0, nil, fmt.Errorf("suite %s: two cases named %s", name, c.ID)
			case c.Profile != "standard" && c.Profile != "continuations":
				return 0, nil, fmt.Errorf("suite %s: case %s: profile %q, want standard or continuations", name, c.ID, c.Profile)
			case c.Aggregate && c.Profile != "continuations":
				return 0, nil, fmt.Errorf("suite %s: case %s: aggregate needs the continuations profile", name, c.ID)
			case c.Wrap && !c.Aggregate:
				return 0, nil, fmt.Errorf("suite %s: case %s: wrap needs aggregate", name, c.ID)
			case (p.Input != nil) && (p.InputU32 != nil) || (p.Input != nil || p.InputU32 != nil) && c.InputFile != "":
				return 0, nil, fmt.Errorf("suite %s: case %s: at most one of input, input_u32 and input_file", name, c.ID)
			}
			seen[c.ID] = true
			switch {
			case p.Input != nil:
				c.Input = []byte(*p.Input)
			case p.InputU32 != nil:
				c.Input = binary.LittleEndian.AppendUint32(nil, *p.InputU32)
			}
			s.Proves = append(s.Proves, c)
		}
		for _, k := range s.Kernels {
			if k.LogN < 1 || k.Cols < 1 || k.Reps < 1 {
				return 0, nil, fmt.Errorf("suite %s: a kernel case needs log_n, cols and reps ≥ 1 (%+v)", name, k)
			}
		}
		out[name] = s
	}
	return doc.Version, out, nil
}

// Names lists the suites.
func Names() []string {
	n := make([]string, 0, len(suites))
	for k := range suites {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Lookup returns the named suite.
func Lookup(name string) (*Suite, error) {
	s, ok := suites[name]
	if !ok {
		return nil, fmt.Errorf("unknown suite %q (valid: %s)", name, strings.Join(Names(), ", "))
	}
	return &s, nil
}
