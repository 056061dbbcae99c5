// Package svm runs the shared Solana sBPF conformance suite through the sBPF frontend
// plugin (oneiros-frontend-svm), as `oneiros conformance svm` does. It is host code: it
// starts the plugin with the plugin manager (host/plugin) and speaks to it only through
// the frontend contract (sdk/frontend), like the pipeline does, so it checks the plugin a
// user actually runs.
//
// # Usage
//
//	rep, err := svm.Run(ctx, svm.Options{Suite: "../shared/conformance/svm", Plugins: opts})
//	fmt.Println(rep.Passed, rep.Failed, rep.Skipped)
//
// The suite has two parts (see its README):
//
//   - instr/: Firedancer's single-instruction vectors for sBPF v0, v2 and v3. Each case
//     becomes a container (the frontend's own program format: bytecode, initial
//     registers, input region, a budget of 100 compute units, no heap, no syscalls) whose
//     run dumps r0..r11 into its exit record. verify_fail expects Load to refuse the
//     program at the verifier; fault expects a run that ends in TRAP; ok expects HALT and
//     all twelve registers.
//   - elf/: ELF programs from Agave's sBPF crate. exec cases run with the upstream test's
//     loader settings, syscalls, read-only input and instruction meter, and compare r0,
//     the error and the instruction count; load cases expect the loader to refuse the
//     file at the named stage (elf_parse or load).
//
// With Options.Prove > 0, N passing runs — taken from each group in turn — are also
// proven and verified end to end through the pipeline (frontend, backend, host verifier).
//
// # Formats
//
// The container and the output record formats are the frontend's, specified in
// docs/svm.md; this package has its own small encoder and decoder for them, because host
// code never imports a plugin.
package svm
