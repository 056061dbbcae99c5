// Package ssecheck checks the machine code of the AVX2 kernels for the two habits that
// keep them fast on every x86 core: no legacy SSE instruction writes an xmm register
// inside a kernel, and every kernel that returns to ordinary Go code clears the upper
// halves of the vector registers (VZEROUPPER) first.
//
// Why: on an AMD EPYC Zen 3 instance without AVX-512 (a microVM; whether the core or the
// virtualization is to blame cannot be told from inside) each legacy SSE write to an
// xmm register while the upper halves of the ymm registers are dirty cost about 130 ns,
// some 400 cycles — a MOVQ of a shift count into X1, a MOVUPS of an array copy, or
// Go's memmove after a kernel returned. The Go compiler emits such instructions for
// archsimd's ShiftAllRight by a count, for array values copied or returned, and for
// spills of 128-bit values, and (Go 1.26) inserts no VZEROUPPER of its own. One such
// instruction in the partial rounds made the 8-lane Poseidon2 five times slower there.
//
// The check builds the calling test's package (`go test -c`, the environment's
// GOEXPERIMENT and GOAMD64 included) and reads it with GNU objdump.
package ssecheck

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// Func is one function's instructions, in AT&T syntax (GNU objdump's).
type Func struct {
	Name  string
	Insts []string
}

var header = regexp.MustCompile(`^[0-9a-f]+ <(.+)>:$`)

// Disassemble returns the functions whose names match pattern (a regular expression on
// the full symbol name) in the test binary of the package in the working directory (a
// test's own package), built again with symbols (`go test` runs stripped binaries). It
// skips the test, saying why, where GNU objdump is missing: the Go toolchain's own
// disassembler misreads some AVX2 encodings (VPMULUDQ's among them) as legacy
// instructions, so it cannot serve.
func Disassemble(t testing.TB, pattern string) map[string]*Func {
	t.Helper()
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("ssecheck: GNU objdump (binutils) is not installed: the kernels' machine code is not checked (apt-get install binutils)")
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("ssecheck: pattern %q: %v", pattern, err)
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		gobin = "go"
	}
	exe := filepath.Join(t.TempDir(), "pkg.test")
	var stderr bytes.Buffer
	build := exec.Command(gobin, "test", "-c", "-o", exe, ".")
	build.Stderr = &stderr
	if err := build.Run(); err != nil {
		t.Fatalf("ssecheck: %s test -c: %v\n%s", gobin, err, stderr.String())
	}
	cmd := exec.Command(objdump, "-d", "--no-show-raw-insn", exe)
	stderr.Reset()
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ssecheck: objdump: %v\n%s", err, stderr.String())
	}
	funcs := map[string]*Func{}
	var cur *Func
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := header.FindStringSubmatch(line); m != nil {
			cur = nil
			if re.MatchString(m[1]) {
				cur = &Func{Name: m[1]}
				funcs[m[1]] = cur
			}
			continue
		}
		// "  addr:\tinstruction"
		if _, in, ok := strings.Cut(line, ":\t"); ok && cur != nil {
			cur.Insts = append(cur.Insts, strings.TrimSpace(in))
		}
	}
	return funcs
}

var xmmDest = regexp.MustCompile(`,%xmm\d+$`)

// SSEWrites are the instructions of f that write an xmm register with a legacy SSE
// encoding (a mnemonic without the VEX v; AT&T syntax puts the destination last) while
// the upper halves may be dirty: after any VEX instruction with no VZEROUPPER since, or
// from the start when f is not an entry (a helper runs among its caller's vectors),
// reading the instructions in address order.
func (f *Func) SSEWrites(entry bool) []string {
	var bad []string
	dirty := !entry
	for _, in := range f.Insts {
		op, _, _ := strings.Cut(in, " ")
		switch {
		case op == "vzeroupper":
			dirty = false
		case strings.HasPrefix(op, "v"):
			dirty = true
		case dirty && xmmDest.MatchString(in):
			bad = append(bad, in)
		}
	}
	return bad
}

// UsesAVX reports whether f has a VEX-encoded instruction.
func (f *Func) UsesAVX() bool {
	for _, in := range f.Insts {
		if strings.HasPrefix(in, "v") {
			return true
		}
	}
	return false
}

// ClearsBeforeReturn reports whether every RET of f follows a VZEROUPPER with no vector
// instruction between them.
func (f *Func) ClearsBeforeReturn() error {
	clean := false
	rets := 0
	for _, in := range f.Insts {
		switch {
		case in == "vzeroupper":
			clean = true
		case in == "ret":
			rets++
			if !clean {
				return fmt.Errorf("a RET without VZEROUPPER before it")
			}
		case strings.HasPrefix(in, "v"):
			clean = false
		}
	}
	if rets == 0 {
		return fmt.Errorf("no RET found")
	}
	return nil
}

// Check asserts the two habits on the named functions of package pkg (their names
// without the package path): entries return to ordinary Go code and must clear the
// upper halves first; every function of the package that uses AVX (entries, helpers,
// inlined bodies alike) must have no legacy SSE write.
func Check(t *testing.T, pkg string, entries ...string) {
	t.Helper()
	funcs := Disassemble(t, "^"+regexp.QuoteMeta(pkg)+`\.`)
	if len(funcs) == 0 {
		t.Fatalf("ssecheck: no function of %s in the test binary", pkg)
	}
	isEntry := map[string]bool{}
	for _, e := range entries {
		isEntry[pkg+"."+e] = true
		f := funcs[pkg+"."+e]
		if f == nil {
			t.Errorf("ssecheck: kernel %s.%s is not in the test binary (inlined or renamed? mark it //go:noinline or update the list)", pkg, e)
			continue
		}
		if err := f.ClearsBeforeReturn(); err != nil {
			t.Errorf("%s: %v: call archsimd.ClearAVXUpperBits() before each return", e, err)
		}
	}
	avx := 0
	for name, f := range funcs {
		if !f.UsesAVX() || strings.Contains(name, ".Test") || strings.Contains(name, ".Benchmark") || strings.Contains(name, ".Fuzz") {
			continue
		}
		avx++
		if bad := f.SSEWrites(isEntry[name]); len(bad) > 0 {
			t.Errorf("%s: legacy SSE writes among AVX code (≈130 ns each on Zen 3): %q", name, bad)
		}
	}
	if avx == 0 {
		t.Fatalf("ssecheck: no function of %s uses AVX: is the kernel built (GOEXPERIMENT=simd)?", pkg)
	}
}
