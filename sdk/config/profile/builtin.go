package profile

import "github.com/oneiros-zk/oneiros/sdk/config"

// StandardSegmentCycles is the largest run the standard profile proves as its single
// segment: 2^22 cycles, about 6 GiB of prover memory by the planner's (uncalibrated)
// cost model at log_blowup 1, so that it fits a common 8–16 GiB machine.
const StandardSegmentCycles = 1 << 22

func init() {
	MustRegister(Profile{
		Name: "standard",
		Description: "The whole run proved as one segment: no linking and the fewest proofs. " +
			"Runs longer than segments.segment_cycles (2^22 under this profile) are refused; use continuations for those.",
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
		RecordBuffers: 2, // the next segment executes while this one is proved
		Concurrency:   Concurrency{Segments: 1},
	})
	MustRegister(Profile{
		Name: "distributed",
		Description: "Segments proved in parallel by workers that pull jobs from NATS JetStream (oneiros worker); " +
			"only planning is available so far.",
		Schedule:      Parallel,
		RecordBuffers: 1, // records wait in the object store, not in memory
		Concurrency:   Concurrency{WorkersPerSegment: 4},
	})
}
