// Package configs serves the data files of OneirOS to the code: the canonical defaults
// in oneiros.default.yaml, the presets in presets/, and the workloads of `oneiros bench
// run` in bench/suites.yaml ([BenchSuites], read by host/benchsuite), embedded into every
// binary.
//
// # Usage
//
// Programs read configuration through package sdk/config, which decodes and validates
// these bytes and lays a user's file over them:
//
//	cfg, err := config.Load("oneiros.yaml") // defaults, then the user's file
//
// [Default] hands out the raw YAML with its comments, which is what
// `oneiros config default` prints as a starting point for a user's own file. Every key
// the configuration schema knows appears in the file with a one-line comment that states
// its meaning and its allowed range or set; a test in sdk/config keeps the two in step.
//
// # Security
//
// The defaults target at least 100 bits of conjectured security (engine.min_security_bits);
// changing engine parameters here changes what every proof promises.
//
// # Performance
//
// The file is a few kilobytes, embedded with go:embed; [Default] copies it.
package configs
