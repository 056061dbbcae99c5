// Package config loads and checks the configuration of OneirOS: engine parameters,
// segment size, backend choice, plugin search and pinning, resource limits and logging.
//
// The canonical defaults live in configs/oneiros.default.yaml, embedded in the binary.
// A user's file names only what it changes and is laid over them key by key; the
// command line's flags and the chosen profile (package [profile]) are further layers.
// From lowest to highest precedence:
//
//	embedded defaults  <  profile overrides  <  the user's file  <  flags
//
// # Usage
//
//	cfg, err := config.Load("oneiros.yaml") // defaults, then the file
//	if err != nil {
//		return err // e.g. "oneiros.yaml:7: engine.num_queris: unknown key (did you mean num_queries?)"
//	}
//	err = cfg.Set("--log-level", "logging.level", "debug") // a flag, checked like the file
//	p, err := profile.Select(cfg)                            // profile overrides beneath both
//
// [Default] returns the defaults alone and [Parse] reads a document from memory. Every
// problem is an [*Error] with the file, line, full key path and a message that quotes
// the bad value and what is allowed; a document with several problems yields an
// [ErrorList] of all of them, and errors.As finds the first. [Config.Origin] tells where
// each value came from, and [Config.Errorf] lets code that checks a setting later (the
// engine, the plugin manager) report it at the same place.
//
// Reading rules, none of them silent:
//   - Unknown keys are errors, at any depth, with a suggestion for likely typos.
//   - Types are strict: "100" (a string) is not 100, 1.0 is not an integer, and a
//     duration needs a unit ("10s"). Integers may use YAML's 0x, 0o, 0b and _ forms.
//   - Every number is checked against its range and every name against its set; nothing
//     is clamped. segments.segment_cycles must be a power of two.
//   - A section left empty ("engine:") changes nothing; a setting left empty is an error,
//     except plugins.dirs and plugins.sha256, where it means "none".
//   - Lists and maps (plugins.dirs, plugins.sha256) replace the lower layer's whole.
//   - Duplicate keys, merge keys (<<), several documents in one file and an empty file
//     are errors. Anchors and aliases are followed.
//   - A file without version is read as version 1; any other version is refused before
//     the rest of the file is read.
//   - SHA-256 pins are stored in lower case.
//
// After the per-setting checks, [Config.Validate] checks constraints between settings:
// backend.device cuda needs backend.kind cuda or auto, and plugins.start_timeout may not
// exceed plugins.call_timeout. Constraints that need the engine's arithmetic (the
// conjectured security level, the FRI final degree against trace heights) are the
// engine's.
//
// # Security
//
// The engine settings decide what a proof promises: engine.min_security_bits is the
// floor the engine enforces on the conjectured security of the other engine settings.
// plugins.sha256 pins plugin binaries by digest; the plugin manager refuses a pinned
// binary whose digest differs. Configuration files are trusted input as far as their
// meaning goes, but the decoder treats their bytes as untrusted: it never panics (it is
// fuzzed, see FuzzParse), bounds the file size ([MaxFileBytes]) and walks only the keys
// the schema knows, so aliases cannot multiply work.
//
// # Performance
//
// Loading is a one-off of microseconds: the defaults are parsed once per process and
// copied. Nothing here sits on a proving path.
package config
