// Package conformance serves the shared Solana sBPF conformance suite (its README:
// ../shared/conformance/svm next to a checkout) through the plugin contract's
// conformance methods (sdk/frontend.Conformer), so that `oneiros conformance svm` runs
// it through the plugin process and the host knows nothing of the suite's format.
//
// # Usage
//
// The plugin's translator forwards to [Cases] and [Judge]:
//
//	func (translator) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
//		return conformance.Cases(ctx, req, emit)
//	}
//
// # Runs
//
// Every case is one run, counted in the group part/version/group (instr/v2/int_math,
// elf/v0/exec), the groups in the order instr before elf, versions and names
// ascending:
//
//   - instr/: Firedancer's single-instruction vectors for sBPF v0, v2 and v3. Each case
//     becomes a container (package container: bytecode, initial registers, input
//     region, a budget of 100 compute units, no heap, no syscalls) whose run dumps
//     r0..r11 into its exit record.
//   - elf/: ELF programs from Agave's sBPF crate, in a container with the upstream
//     test's loader settings, syscalls, read-only input and a budget of the expected
//     instruction count.
//
// A malformed record or a syscall the frontend does not implement is decided without
// running (skipped; a malformed expectation fails).
//
// # Judging
//
// A run's Expect blob (JSON, versioned, decoded as untrusted bytes: see [ErrExpect])
// holds the expectation and the container. instr verify_fail expects Load to refuse
// the program at the verifier; fault, a run that ends in TRAP with a nonzero error code;
// ok, HALT and all twelve registers. elf load_error expects the loader to refuse the
// file at the named stage (elf_parse or load); ok, HALT, r0 and the instruction count;
// error, TRAP with the named error (Agave's name, package translate's ErrorNames) after the
// instruction count. The public output is read with package output.
//
// Every passing case that runs is a proof candidate: its container again, with the
// run's cycles as the cost. The proven outcome (the verified envelope's exit status,
// code and public output) is judged by the same rules.
package conformance
