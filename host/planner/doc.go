// Package planner turns a profile, a configuration, a workload and a machine into a
// plan: the segments of the run with their padded trace heights, how many are proved at
// once and with how many workers, and the estimated peak memory and wall time of each
// segment and of the whole.
//
// # Usage
//
//	cfg, _ := config.Load(path)
//	p, err := profile.Select(cfg) // applies the profile's overrides to cfg
//	plan, err := planner.New(p, cfg, planner.Workload{Cycles: 100_000_000}, planner.Detect())
//
// Segments are cut the way execution produces them: every segment holds
// segments.segment_cycles cycles (the profile's [profile.Profile.SegmentCycles]) except
// the last, which holds the rest; each trace is padded to the next power of two. The
// schedule follows the profile:
//
//   - [profile.Single] (standard): one segment; a longer run is an [ErrTooLong] error,
//     not a silent split.
//   - [profile.Sequential] (continuations): one segment at a time with all workers; the
//     wall time is the sum, the memory that of the largest segment.
//   - [profile.Parallel] (distributed): as many segments at once per machine as cores
//     (by the workers each needs) and memory allow, times [Machine.Nodes] machines,
//     assigned in order to the first free slot as a work queue would.
//
// Workers per segment are engine.workers when set, else the profile's hint, else all
// the cores of a slot. Bad input (0 cycles, more than limits.max_cycles, more than
// [MaxSegments] segments, nodes for a one-machine profile) is an [ErrInput] error.
// Problems that do not stop planning, such as a peak above the machine's memory, are
// listed in [Plan.Warnings].
//
// [Detect] reads the machine it runs on: usable cores, and memory from /proc/meminfo
// bounded by a cgroup limit; elsewhere the memory is 0 (unknown) and not checked.
//
// # Performance
//
// The estimates come from [CostModel], whose constants are documented where they are
// declared and derived in docs/cost-model.md. They are placeholders until the engine's
// benchmarks calibrate them, and every plan carries Calibrated: false until then; read
// them as orders of magnitude. Planning itself is linear in the number of segments
// (at most [MaxSegments]) and takes microseconds for ordinary runs.
package planner
