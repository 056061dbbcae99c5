// Package wasm runs the WebAssembly spec-test conformance suite (wast2json output, see
// the suite's README) through the WebAssembly frontend plugin (oneiros-frontend-wasm),
// as `oneiros conformance wasm` does. It is host code: it starts the plugin with the
// plugin manager (host/plugin) and speaks to it only through the frontend contract
// (sdk/frontend), like the pipeline does, so it checks the plugin a user runs.
//
// # Usage
//
//	rep, err := wasm.Run(ctx, wasm.Options{Suite: "../shared/conformance/wasm", Plugins: opts})
//	fmt.Println(rep.Passed, rep.Failed, rep.Skipped)
//
// # How a file runs
//
// Each JSON file's commands are replayed in order in one store. assert_malformed and
// assert_invalid modules are loaded on their own, as a user's module would be: the
// plugin must refuse them (an error wrapping ErrInvalidInput). Every other command
// becomes a step of one invocation container (docs/wasm.md): module commands
// (assert_unlinkable and assert_uninstantiable ones included) instantiate, register
// makes exports importable, actions invoke or read globals. The plugin translates the
// container into one normalized program and runs it on the reference executor; the
// program writes each step's outcome (returned values, trapped, or rejected at load) to
// the public output, and the runner judges every assertion against its outcome with the
// suite's rules. Float-flagged cases (manifest.json uses_float) are skipped, never run
// and never passed; modules that contain floats still load (their float functions
// trap if called), so the integer cases of such modules run.
//
// The container asks for the profile table, and the runner counts each pc's executions
// in the streamed trace: cycles of WebAssembly code over WebAssembly instructions
// executed gives the normalized cycles per WebAssembly instruction of each group
// (the entry code and trap handlers excluded).
//
// With Options.Prove > 0, N passing cases are also proven and verified end to end
// through the pipeline (frontend, backend, host verifier): each as a container holding
// its file's steps up to that case, whose proven public output must carry the expected
// outcome.
//
// # Formats
//
// The container and outcome formats are the frontend's, specified in docs/wasm.md; this
// package has its own small encoder and decoder for them, because host code never
// imports a plugin.
package wasm
