package machine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// segmentStatement proves a one-segment run of src under p and returns the segment's
// verifying key, proof, public values and public bus messages: what the engine's
// Verify sees (and the recursion verifier program verifies).
func segmentStatement(t *testing.T, p hemera.Params, src string, input []byte) (*Machine, *stark.VerifyingKey, *stark.Proof, [][]field.Elem, []lookup.Message) {
	t.Helper()
	prog := assemble(t, src)
	res, recs, err := Execute(context.Background(), prog, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	keys, err := m.Setup(prog)
	if err != nil {
		t.Fatal(err)
	}
	st := StatementOf(prog, res, input)
	sp, err := m.Prove(keys, st, recs)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(keys.VK, st, sp); err != nil {
		t.Fatal(err)
	}
	l := m.NewLinker(keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	v, err := l.view(sp, st.Output, st.Status, st.ExitCode)
	if err != nil {
		t.Fatal(err)
	}
	return m, keys.VK, sp.Proof, v.publics(m), v.messages()
}

func statsLine(p *recursion.Program) string {
	st := p.Stats()
	ops := make([]recursion.Op, 0, len(st))
	for op := range st {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i] < ops[j] })
	var b strings.Builder
	fmt.Fprintf(&b, "%d instructions, %d cells, %d inputs:", len(p.Insts), p.Cells, p.Inputs)
	for _, op := range ops {
		fmt.Fprintf(&b, " %s %d", op, st[op])
	}
	return b.String()
}

// partsLine counts a program's instructions by what they check (its labels, a query's
// number left out), largest first.
func partsLine(p *recursion.Program) string {
	parts := map[string]int{}
	for i := range p.Insts {
		l := p.Labels[p.Insts[i].Label]
		if rest, ok := strings.CutPrefix(l, "fri: query "); ok {
			if _, after, ok := strings.Cut(rest, ": "); ok {
				l = "fri: query: " + after
			}
		}
		if strings.HasPrefix(l, "constraints: ") {
			l = "constraints"
		}
		parts[l]++
	}
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return parts[names[i]] > parts[names[j]] })
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, " [%s] %d", n, parts[n])
	}
	return b.String()
}

// The recursion verifier program of a zkVM segment proof executes on the honest proof,
// states the segment's statement, and fails on a tampered one.
func TestRecursionVerifierSegment(t *testing.T) {
	m, vk, proof, publics, bus := segmentStatement(t, chiptest.Params, arith, nil)
	sh, err := verifier.ShapeOf(vk, m.engine.Params(), proof, publics, bus)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := verifier.Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("arith segment, %d tables, test parameters (%d queries): %s", len(vk.AIRs), chiptest.Params.FRI.NumQueries, statsLine(prog))
	in, err := verifier.Inputs(sh, proof, publics, bus)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := prog.Execute(in)
	if err != nil {
		t.Fatal(err)
	}
	var want []field.Elem
	for _, p := range publics {
		want = append(want, p...)
	}
	for _, msg := range bus {
		want = append(want, msg.Mult)
		want = append(want, msg.Tuple...)
	}
	if len(want) != len(prog.Publics) {
		t.Fatalf("%d public outputs, the statement has %d elements", len(prog.Publics), len(want))
	}
	for i, c := range prog.Publics {
		if w := field.NewExt(want[i]); !mem[c].Equal(&w) {
			t.Fatalf("public output %d: %v, want %v", i, mem[c], w)
		}
	}

	// A false statement (another exit code: the CPU table's public values or the exit
	// message) and a tampered proof fail.
	fail := func(name string, publics [][]field.Elem, bus []lookup.Message, proof *stark.Proof) {
		t.Helper()
		if err := m.engine.Verify(vk, proof, publics, bus); err == nil {
			t.Fatalf("%s: the engine accepts", name)
		}
		in, err := verifier.Inputs(sh, proof, publics, bus)
		if err != nil {
			t.Fatal(err)
		}
		var ee *recursion.ExecError
		if _, err := prog.Execute(in); !errors.As(err, &ee) {
			t.Fatalf("%s: the program executes (%v)", name, err)
		}
	}
	for i, msg := range bus {
		if len(msg.Tuple) == 0 {
			continue
		}
		forged := append([]lookup.Message(nil), bus...)
		forged[i].Tuple = append([]field.Elem(nil), msg.Tuple...)
		one := field.New(1)
		forged[i].Tuple[0].Add(&forged[i].Tuple[0], &one)
		fail(fmt.Sprintf("message %d", i), publics, forged, proof)
	}
	for tb := range publics {
		if len(publics[tb]) == 0 {
			continue
		}
		forged := make([][]field.Elem, len(publics))
		copy(forged, publics)
		forged[tb] = append([]field.Elem(nil), publics[tb]...)
		one := field.New(1)
		forged[tb][0].Add(&forged[tb][0], &one)
		fail(fmt.Sprintf("public value of %s", vk.AIRs[tb].Name), forged, bus, proof)
	}
	bad, err := stark.Decode(proof.Encode())
	if err != nil {
		t.Fatal(err)
	}
	one := field.NewExt(field.New(1))
	bad.Values[1][0][0][0].Add(&bad.Values[1][0][0][0], &one)
	fail("opened value", publics, bus, bad)
}

// TestRecursionVerifierCounts reports the verifier program's instruction counts for the
// segment proof of a small program at the default parameters and cheaper ones (the
// cost of aggregating a segment). It proves at the default parameters: not in -short.
func TestRecursionVerifierCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("proves segments at the default parameters")
	}
	src, err := os.ReadFile("../../examples/fib.s")
	if err != nil {
		t.Fatal(err)
	}
	settings := []struct {
		name string
		p    hemera.Params
	}{
		{"default (log_blowup 1, 203 queries, arity 4)", hemera.DefaultParams},
		{"log_blowup 3, 28 queries, arity 4 (100 conjectured bits)", hemera.Params{FRI: fri.Params{LogBlowup: 3, NumQueries: 28, GrindingBits: 16,
			LogArity: 2, LogFinalPolyLen: 3, LogUpGrindingBits: 12, DEEPGrindingBits: 8}, MinSecurityBits: 100}},
		{"log_blowup 3, 28 queries, arity 8 (100 conjectured bits)", hemera.Params{FRI: fri.Params{LogBlowup: 3, NumQueries: 28, GrindingBits: 16,
			LogArity: 3, LogFinalPolyLen: 3, LogUpGrindingBits: 12, DEEPGrindingBits: 8}, MinSecurityBits: 100}},
	}
	for _, s := range settings {
		m, vk, proof, publics, bus := segmentStatement(t, s.p, string(src), []byte{10, 0, 0, 0})
		sh, err := verifier.ShapeOf(vk, m.engine.Params(), proof, publics, bus)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := verifier.Program(sh)
		if err != nil {
			t.Fatal(err)
		}
		in, err := verifier.Inputs(sh, proof, publics, bus)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := prog.Execute(in); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		sec := m.engine.Security(vk, proof.LogN, bus)
		maxLog := 0
		for _, l := range proof.LogN {
			maxLog = max(maxLog, l)
		}
		t.Logf("fib(10) segment, %s: %d conjectured / %d provable bits, tallest table 2^%d, proof %d bytes: %s",
			s.name, sec.Conjectured, sec.Provable, maxLog, len(proof.Encode()), statsLine(prog))
		t.Logf("by part:%s", partsLine(prog))
	}
}
