// Package spectest replays the conformance suite's JSON files in process (decode,
// translate, run on the reference executor) for the plugin's own tests. The host's
// `oneiros conformance wasm` does the same through the plugin process.
package spectest
