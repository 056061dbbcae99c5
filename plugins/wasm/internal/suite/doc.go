// Package suite finds and reads the WebAssembly spec-test conformance suite
// (../shared/conformance/wasm next to the repository, or $ONEIROS_WASM_SUITE) for the
// plugin's own tests. Tests skip when the suite is not there.
package suite
