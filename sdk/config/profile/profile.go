package profile

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

// Schedule says how the segments of a run are proved.
type Schedule string

const (
	Single     Schedule = "single"     // the whole run is one segment
	Sequential Schedule = "sequential" // segments one after another, one at a time
	Parallel   Schedule = "parallel"   // segments at once, on as many slots and workers as there are
)

var schedules = []Schedule{Single, Sequential, Parallel}

// Concurrency holds a profile's hints on how much runs at once. Zero means "decide from
// the machine and the configuration".
type Concurrency struct {
	// Segments is the most segment proofs one machine runs at once; 0 lets the planner
	// fit as many as cores and memory allow. Single and Sequential profiles use 1.
	Segments int `yaml:"segments" json:"segments"`
	// WorkersPerSegment is the goroutines one segment proof uses when engine.workers is
	// 0 (automatic); 0 means all the cores a slot has.
	WorkersPerSegment int `yaml:"workers_per_segment" json:"workers_per_segment"`
}

// Profile is a named way of proving a run: how it is cut into segments, how the
// segments are scheduled, and what configuration suits that.
type Profile struct {
	Name        string // lower-case, as in `--profile NAME` and the config's profile key
	Description string // one or two sentences for `oneiros profiles list`
	Schedule    Schedule

	// Overrides edits the defaults for this profile; nil changes nothing. It is applied
	// beneath the user's own settings (see [Profile.Apply]), so a user's file or flag
	// still wins, and the result must pass config validation.
	Overrides func(*config.Config)

	// TargetCycles returns the cycle budget of one segment under c; nil means
	// segments.segment_cycles. A Single profile refuses runs longer than it.
	TargetCycles func(c *config.Config) uint64

	// RecordBuffers is how many segments' worth of execution records one proving slot
	// holds besides the segment it proves: the working-set estimate is the prover's
	// memory plus RecordBuffers times the records of one segment. 0 means 1.
	RecordBuffers int

	Concurrency Concurrency
}

// SegmentCycles returns the cycle budget of one segment under the configuration c.
func (p *Profile) SegmentCycles(c *config.Config) uint64 {
	if p.TargetCycles != nil {
		return p.TargetCycles(c)
	}
	return c.Segments.SegmentCycles
}

// WorkingSet estimates the peak memory of one proving slot of this profile, given the
// prover's own working set for a segment and the bytes of that segment's execution
// records. The planner's cost model supplies both numbers.
func (p *Profile) WorkingSet(proverBytes, recordBytes uint64) uint64 {
	return proverBytes + uint64(max(p.RecordBuffers, 1))*recordBytes
}

// Apply lays the profile's overrides over c beneath the settings that did not come from
// the defaults; the changed settings get the origin "profile NAME".
func (p *Profile) Apply(c *config.Config) error {
	if p.Overrides == nil {
		return nil
	}
	return c.Preset("profile "+p.Name, p.Overrides)
}

// Overridden lists the settings the profile changes from the defaults, with their new
// values, in the order of the default file.
func (p *Profile) Overridden() ([]config.Setting, error) {
	base, err := config.Default()
	if err != nil {
		return nil, err
	}
	c := base.Clone()
	if err := p.Apply(c); err != nil {
		return nil, err
	}
	keys := config.Diff(base, c)
	var out []config.Setting
	for _, s := range c.Settings() {
		if slices.Contains(keys, s.Key) {
			out = append(out, s)
		}
	}
	return out, nil
}

// check tells what is wrong with p, for [Register].
func (p *Profile) check() error {
	if !validName(p.Name) {
		return fmt.Errorf("profile name %q: want lower-case letters, digits and '-', starting with a letter", p.Name)
	}
	if p.Description == "" {
		return fmt.Errorf("profile %s: empty description", p.Name)
	}
	if !slices.Contains(schedules, p.Schedule) {
		return fmt.Errorf("profile %s: unknown schedule %q (allowed: single, sequential, parallel)", p.Name, p.Schedule)
	}
	if p.RecordBuffers < 0 || p.Concurrency.Segments < 0 || p.Concurrency.WorkersPerSegment < 0 {
		return fmt.Errorf("profile %s: negative record buffers or concurrency hint", p.Name)
	}
	if p.Schedule != Parallel && p.Concurrency.Segments > 1 {
		return fmt.Errorf("profile %s: a %s schedule proves one segment at a time, not %d", p.Name, p.Schedule, p.Concurrency.Segments)
	}
	// The overrides must leave a valid configuration.
	c, err := config.Default()
	if err != nil {
		return err
	}
	if err := p.Apply(c); err != nil {
		return fmt.Errorf("profile %s: overrides: %w", p.Name, err)
	}
	if p.SegmentCycles(c) == 0 {
		return fmt.Errorf("profile %s: target cycles is 0 under the defaults", p.Name)
	}
	return nil
}
