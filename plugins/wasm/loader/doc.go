// Package loader turns what a user hands the wasm frontend — a binary module, or an
// invocation container (package container) — into a normalized program: decode and
// validate (package module), link and translate (package translate).
//
// # Usage
//
//	l, err := loader.Load(src, loader.Options{})
//	// l.Program is the normalized program, l.Instructions the WebAssembly instruction
//	// count, l.Entry the function a plain module's run calls ("_start" or "main").
//
// A plain module must translate without floating point; a container may ask for
// lenient floats (its flag), making float functions trap when called. Errors wrap
// module.ErrMalformed, ErrInvalid, ErrUnsupported, translate.ErrLink or
// translate.ErrUnsupported, or container.ErrFormat. In a container, a module that fails
// to load is a step whose outcome says so, not an error of the whole container.
//
// # Security
//
// Load takes untrusted bytes and never panics (FuzzLoad, which also runs what loads).
package loader
