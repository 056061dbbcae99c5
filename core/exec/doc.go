// Package exec is the reference executor of the normalized ISA: it runs an [isa.Program]
// on an input tape, produces the public output and exit status, and optionally emits one
// [trace.Record] per executed instruction for the prover. Frontends serve their own
// syscalls (numbers from isa.FirstHook up) with hooks.
//
// # Usage
//
//	res, err := exec.Run(ctx, prog, exec.Options{
//		Input:  input,
//		Limits: exec.Limits{MaxCycles: 1 << 30, MaxMemoryBytes: 1 << 30},
//		Hooks:  map[uint32]exec.Syscall{0x100: storageRead},
//		Sink:   writer.Write, // nil: no records
//	})
//	if err != nil { … }              // invalid program, cancelled, sink or hook failure
//	if res.Trap != nil { … }         // the program trapped: a result, not an error
//	fmt.Println(res.ExitCode, res.Output, res.Cycles)
//
// A hook reads and writes aligned words through its [Call], each access recorded in the
// next slot:
//
//	func storageRead(c *exec.Call) error {
//		key, err := c.Load(c.A)
//		if err != nil {
//			return err
//		}
//		v := db[key]
//		c.Attach(v) // the nondeterministic answer, for the chip
//		return c.Store(c.A+4, v)
//	}
//
// The Keccak-f[1600] permutation ([KeccakF1600]) and the SHA-256 compression function
// ([SHA256Compress]) behind the KECCAKF and SHA256_COMPRESS syscalls are exported so that
// frontends and chips share one implementation; the tests check them through full
// Keccak-256 and SHA-256 against golang.org/x/crypto/sha3 and crypto/sha256.
//
// # Security
//
// The executor is the reference the chips must agree with; it is deterministic (the same
// program, input and hooks give the same result, output and records) and a run with a
// sink behaves exactly like one without. Programs are untrusted: every trap is a result,
// limits bound cycles, memory pages and output, and nothing a program does can panic the
// executor. Hooks are trusted code of the frontend.
//
// # Performance
//
// Memory is a two-level page table (4 KiB pages); without a sink no record is built and
// no timestamp kept. BenchmarkRun reports cycles/s per example and sink mode; the target
// is more than 30 M cycles/s without records. The context is checked, and Progress
// called, every [ProgressInterval] cycles.
package exec
