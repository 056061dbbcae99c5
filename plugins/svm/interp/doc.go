// Package interp is a plain sBPF interpreter, the reference the translator is tested
// against: random programs run here and, translated, on the normalized executor, and
// must end alike (same fault or same registers, units and memory). It follows the same
// semantics (Firedancer's and Agave's): instructions as [sbpf.Decode] describes them,
// the memory map with v0's stack gaps and the input's sub-regions, call frames and the
// instruction meter. It has no syscalls.
package interp
