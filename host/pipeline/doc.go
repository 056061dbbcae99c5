// Package pipeline runs the host's main job through real plugin processes: the frontend
// plugin loads and executes a program, streaming trace records; the backend plugin
// proves them; the host verifies the proof in pure Go and wraps it in an envelope
// (DESIGN.md §1).
//
// # Usage
//
//	proved, err := pipeline.Prove(ctx, &pipeline.Request{ISA: "asm", Source: src, Config: cfg, Plugins: opts})
//	os.WriteFile(out, proved.Envelope.Encode(), 0o644)
//
// # Security
//
// The host trusts neither plugin: it checks that the frontend's program decodes to the
// program_id it reports, that its records decode and agree with its result, and it
// verifies the backend's proof before writing anything.
//
// # Performance
//
// Records are kept in memory between the two plugins (tens of bytes per cycle); a run
// must fit one segment until continuations land.
package pipeline
