package profile

import "github.com/oneiros-zk/oneiros/sdk/config"

// StandardSegmentCycles is the standard profile's segment size: its single segment
// holds runs of up to 2^21 − 2 cycles (core/machine.MaxCycles: timestamps stay below
// 2^28), about 3 GiB of prover memory by the planner's cost model at log_blowup 1.
const StandardSegmentCycles = 1 << 21

func init() {
	MustRegister(Profile{
		Name: "standard",
		Description: "The whole run proved as one segment: no linking and the fewest proofs. " +
			"Runs longer than one segment (2^21 − 2 cycles under this profile) are refused; use continuations for those.",
		Schedule: Single,
		Overrides: func(c *config.Config) {
			c.Segments.SegmentCycles = StandardSegmentCycles
		},
		RecordBuffers: 1, // the run's records are the segment's
		Concurrency:   Concurrency{Segments: 1},
	})
	MustRegister(Profile{
		Name: "continuations",
		Description: "Segments of segments.segment_cycles proved one after another on this machine; " +
			"memory stays that of one segment whatever the length of the run.",
		Schedule:      Sequential,
		RecordBuffers: 1, // the backend reads the segment it proves; the next waits on disk, not in memory
		Concurrency:   Concurrency{Segments: 1},
	})
	MustRegister(Profile{
		Name: "distributed",
		Description: "Segments proved in parallel by workers that pull jobs from NATS JetStream (oneiros worker); " +
			"without --nats, an embedded server and local workers on this machine.",
		Schedule:      Parallel,
		RecordBuffers: 1, // records wait in the object store, not in memory
		Concurrency:   Concurrency{WorkersPerSegment: 4},
	})
}
