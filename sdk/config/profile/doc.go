// Package profile is the registry of proving profiles: named ways of cutting a run into
// segments and scheduling their proofs, each with the configuration that suits it.
//
// Three profiles are built in:
//
//   - standard: the whole run is one segment (schedule [Single]). Its overrides set
//     segments.segment_cycles to [StandardSegmentCycles] (2^21: runs of up to 2^21 − 2
//     cycles); a longer run is refused by the planner and the pipeline rather than cut,
//     because this profile promises exactly one proof. A user's own
//     segments.segment_cycles still wins, up to the schema's 2^21.
//   - continuations: segments of segments.segment_cycles proved one after another
//     ([Sequential]); memory stays that of one segment, and the records of at most two
//     segments (the one being proven and the next) wait on disk in the work directory.
//   - distributed: segments proved in parallel ([Parallel]) by workers pulling jobs from
//     NATS JetStream (host/distributed); the host links them in order.
//
// The same run yields the same claim_root under every profile; profiles change how the
// proof is produced, never what it claims.
//
// # Usage
//
//	cfg, _ := config.Load(path)
//	if flag != "" {
//		cfg.Set("--profile", "profile", flag) // a flag beats the file's profile key
//	}
//	p, err := profile.Select(cfg) // looks it up, applies its overrides beneath the user's settings
//	plan, err := planner.New(p, cfg, workload, machine)
//
// A new profile is registered from an init function:
//
//	func init() {
//		profile.MustRegister(profile.Profile{
//			Name:        "small-segments",
//			Description: "Continuations with 2^18-cycle segments for machines with little memory.",
//			Schedule:    profile.Sequential,
//			Overrides:   func(c *config.Config) { c.Segments.SegmentCycles = 1 << 18 },
//		})
//	}
//
// [Register] refuses duplicate names and profiles whose overrides leave an invalid
// configuration. [Lookup] and [List] hand out copies.
//
// # Performance
//
// A profile carries estimates, not measurements: [Profile.WorkingSet] combines the
// planner's cost model for one segment with the profile's record buffering, and
// [Concurrency] hints bound how many segments run at once. The planner (host/planner)
// turns them into a plan for a given machine.
package profile
