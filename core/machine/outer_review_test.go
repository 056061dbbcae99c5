package machine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The review of the outer layer's finish (outer.go) from the attacker's side: the
// outer program reads the aggregation root's cells — which the leaves and joins prove,
// but which a cheating prover chooses wherever the recursion leaves them free — and a
// witness (the origin and program_id) that nothing but OuterFinish constrains. These
// tests run OuterFinish alone on cells (no proofs: the cells stand for any root a
// prover could produce) and check it against the native checks (checkRoot: the run's
// start, the claim's constants, endMatches) and encodings (OuterPublics).

// outerCellsProgram is OuterFinish alone: its inputs are vk_root, start, end, consts
// (the root's cells, base elements) and the witness, its public outputs OuterFinish's.
func outerCellsProgram() *ir.Program {
	b := ir.NewBuilder()
	var c aggregate.Cells
	copy(c.Root[:], b.InputBases(hash.DigestLen))
	c.Start = b.InputBases(StateLen)
	c.End = b.InputBases(StateLen)
	c.Consts = b.InputBases(ConstsLen)
	for _, v := range OuterFinish(b, &c) {
		b.Public(v)
	}
	return b.Program()
}

// outerCells are one root's cells and the outer witness.
type outerCells struct {
	root                    hash.Digest
	start, end, consts, wit []field.Elem
}

func (c *outerCells) clone() *outerCells {
	return &outerCells{root: c.root, start: slices.Clone(c.start), end: slices.Clone(c.end), consts: slices.Clone(c.consts), wit: slices.Clone(c.wit)}
}

// exec runs the program on the cells: its public outputs (Execute returns the
// memory), or the execution's error.
func (c *outerCells) exec(p *ir.Program) ([]field.Elem, error) {
	var in []field.Ext
	for _, part := range [][]field.Elem{c.root[:], c.start, c.end, c.consts, c.wit} {
		in = append(in, baseExts(part)...)
	}
	mem, err := p.Execute(in)
	if err != nil {
		return nil, err
	}
	res := make([]field.Elem, len(p.Publics))
	for i, v := range p.Publics {
		co := field.ExtCoords(&mem[v])
		res[i] = co[0]
	}
	return res, nil
}

// nativeAccepts is what the native verifier of an aggregated proof checks of a root's
// cells (checkRoot): the run's start, the claim's constants, its end (endMatches).
func nativeAccepts(m *Machine, vk *stark.VerifyingKey, st *Statement, c *outerCells) bool {
	start := LeafState(m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context).State(), 0, 0)
	return slices.Equal(c.start, start) && slices.Equal(c.consts, LeafConsts(vk, st)) && endMatches(c.end, st) == nil
}

// honestCells are cells a root of a run of st has where the native check passes: the
// run's start and constants, and an end built from the claim (the state's parts no
// claim field fixes — the memory root, the input offset and carry, the sponges'
// capacities — at random).
func honestCells(rng *rand.Rand, m *Machine, vk *stark.VerifyingKey, st *Statement, o Origin) *outerCells {
	c := &outerCells{root: randDigest(rng)}
	c.start = LeafState(m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context).State(), 0, 0)
	c.consts = LeafConsts(vk, st)
	e := make([]field.Elem, StateLen)
	e[StDone] = field.New(1)
	e[StCycles] = field.New(st.Cycles)
	e[StIn] = field.New(rng.Uint64N(uint64(st.InputLen) + 1))
	e[StOut] = field.New(uint64(len(st.Output)))
	e[StHooks] = field.New(uint64(st.HookCount))
	e[StStatus] = field.New(uint64(st.Status))
	e[StCodeLo], e[StCodeHi] = limbs(st.ExitCode)
	hs := randState(rng)
	copy(hs[:], st.HookDigest[:])
	if st.HookCount == 0 {
		hs = hook.IV()
	}
	copy(e[StHookState:], hs[:])
	mr := randDigest(rng)
	copy(e[StMemRoot:], mr[:])
	os := output.Absorb(output.IV(), 0, st.Output)
	copy(e[StOutState:], os[:])
	is := randInState(rng)
	copy(is.Sponge[:], st.InputDigest[:])
	copy(e[StInSponge:], is.Sponge[:])
	copy(e[StInCarry:], is.Carry[:])
	c.end = e
	c.wit = OuterWitness(st, o)
	return c
}

// outerFixture is a real run's statement and keys (no proofs).
func outerFixture(t *testing.T) (*Machine, *stark.VerifyingKey, *Statement) {
	t.Helper()
	input := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	p := assemble(t, segmented)
	res, _, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	m, keys := testKeys(t, p)
	st := StatementOf(p, res, input)
	st.Context = claim.Context(testOrigin.ISA, testOrigin.Source, st.InputDigest)
	return m, keys.VK, st
}

func sameElems(a, b []field.Elem) bool { return slices.Equal(a, b) }

// TestReviewOuterFinishCells: on the cells of a root the native verifier accepts for a
// run, OuterFinish outputs exactly OuterPublics of the run. Changing any one cell of
// the start, the end or the constants, or any witness element, either leaves the
// native check passing and the outputs the same (the end's cells no claim field fixes),
// or makes the outer program fail, or changes claim_root or the program key — never a
// root the native verifier refuses with the honest run's outputs.
func TestReviewOuterFinishCells(t *testing.T) {
	m, vk, st := outerFixture(t)
	rng := rand.New(rand.NewPCG(7, 11))
	prog := outerCellsProgram()
	honest := honestCells(rng, m, vk, st, testOrigin)
	if !nativeAccepts(m, vk, st, honest) {
		t.Fatal("the honest cells fail the native check")
	}
	want, err := m.OuterPublics(vk, st, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	got, err := honest.exec(prog)
	if err != nil {
		t.Fatal(err)
	}
	if !sameElems(got, want) {
		t.Fatal("the outer program's outputs on the honest cells are not OuterPublics")
	}
	type part struct {
		name  string
		cells func(c *outerCells) []field.Elem
	}
	parts := []part{
		{"start", func(c *outerCells) []field.Elem { return c.start }},
		{"end", func(c *outerCells) []field.Elem { return c.end }},
		{"consts", func(c *outerCells) []field.Elem { return c.consts }},
		{"witness", func(c *outerCells) []field.Elem { return c.wit }},
	}
	free := 0
	for _, pt := range parts {
		for i := range pt.cells(honest) {
			for _, delta := range []uint64{1, field.Modulus - 1, 1 << 16} {
				c := honest.clone()
				x := pt.cells(c)
				d := field.New(delta)
				x[i].Add(&x[i], &d)
				nat := pt.name != "witness" && nativeAccepts(m, vk, st, c)
				out, err := c.exec(prog)
				switch {
				case nat && (err != nil || !sameElems(out, want)):
					t.Fatalf("%s cell %d (+%d): the native check passes, the outer program gives %v (err %v)", pt.name, i, delta, out, err)
				case !nat && err == nil && sameElems(out, want):
					t.Fatalf("%s cell %d (+%d): the native check refuses it, the outer program states the run's claim_root and program key", pt.name, i, delta)
				case !nat && err == nil && sameElems(out[:hash.DigestLen], want[:hash.DigestLen]):
					// claim_root unchanged: allowed only where the changed cell enters the program
					// key alone (the start's pc, fp and memory root, the key's constants).
					inKey := (pt.name == "start" && (i == StPC || i == StFP || (i >= StMemRoot && i < StMemRoot+hash.DigestLen))) ||
						(pt.name == "consts" && (i < CoContext || i == CoCodeLen))
					if !inKey {
						t.Fatalf("%s cell %d (+%d): refused natively, and the outer program keeps the run's claim_root", pt.name, i, delta)
					}
				}
				if nat {
					free++
				}
			}
		}
	}
	t.Logf("%d single-cell changes pass the native check (the end's memory root, input offset and carry, sponge capacities)", free/3)
}

// TestReviewOuterFinishStartForgeries: starts that are not a run's start but look like
// one — an input sponge for another length (with the constants' length, or without),
// a carried input block, nonzero offsets, cycles or hook calls, a done flag, another
// capacity of the hook or output sponge — are refused by the outer program, or state
// another claim_root (another input length, which the leaves bind to the io table).
func TestReviewOuterFinishStartForgeries(t *testing.T) {
	m, vk, st := outerFixture(t)
	rng := rand.New(rand.NewPCG(3, 5))
	prog := outerCellsProgram()
	honest := honestCells(rng, m, vk, st, testOrigin)
	want, err := honest.exec(prog)
	if err != nil {
		t.Fatal(err)
	}
	other := chipinput.IV(st.InputLen + 16)
	cases := map[string]func(c *outerCells){
		"the input IV of another length": func(c *outerCells) { copy(c.start[StInSponge:], other[:]) },
		"the input IV and constants of another length": func(c *outerCells) {
			copy(c.start[StInSponge:], other[:])
			c.consts[CoInputLen] = other[chipinput.Rate+1]
		},
		"a carried input block":     func(c *outerCells) { c.start[StInCarry+3] = field.New(7) },
		"an input offset":           func(c *outerCells) { c.start[StIn] = field.New(4) },
		"an output offset":          func(c *outerCells) { c.start[StOut] = field.New(1) },
		"cycles":                    func(c *outerCells) { c.start[StCycles] = field.New(1) },
		"hook calls":                func(c *outerCells) { c.start[StHooks] = field.New(1) },
		"done":                      func(c *outerCells) { c.start[StDone] = field.New(1) },
		"an exit status":            func(c *outerCells) { c.start[StStatus] = field.New(1) },
		"the hook sponge's domain":  func(c *outerCells) { c.start[StHookState+hook.Rate] = field.New(1) },
		"the output sponge's state": func(c *outerCells) { c.start[StOutState] = field.New(1) },
		"the input sponge's domain": func(c *outerCells) { c.start[StInSponge+chipinput.Rate] = field.New(0) },
		"the input sponge's rate":   func(c *outerCells) { c.start[StInSponge+2] = field.New(9) },
		"an input sponge capacity":  func(c *outerCells) { c.start[StInSponge+hash.Width-1] = field.New(9) },
	}
	for name, edit := range cases {
		c := honest.clone()
		edit(c)
		out, err := c.exec(prog)
		if err == nil && sameElems(out, want) {
			t.Errorf("%s: accepted with the run's outputs", name)
		}
		if err == nil && sameElems(out[:hash.DigestLen], want[:hash.DigestLen]) {
			t.Errorf("%s: accepted with the run's claim_root", name)
		}
		t.Logf("%s: %v", name, errOr(err, "another claim_root"))
	}
}

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// TestReviewOuterFinishEndForgeries: ends that are not a run's end — not done, a pc or
// fp left, or done with the sponge state of a shorter output — are refused or state
// another claim_root.
func TestReviewOuterFinishEndForgeries(t *testing.T) {
	m, vk, st := outerFixture(t)
	rng := rand.New(rand.NewPCG(13, 17))
	prog := outerCellsProgram()
	honest := honestCells(rng, m, vk, st, testOrigin)
	want, err := honest.exec(prog)
	if err != nil {
		t.Fatal(err)
	}
	short := output.Absorb(output.IV(), 0, st.Output[:len(st.Output)-1])
	cases := map[string]func(c *outerCells){
		"not done":      func(c *outerCells) { c.end[StDone] = field.New(0) },
		"done twice":    func(c *outerCells) { c.end[StDone] = field.New(2) },
		"a pc left":     func(c *outerCells) { c.end[StPC] = field.New(3) },
		"an fp left":    func(c *outerCells) { c.end[StFP] = field.New(1) },
		"output length": func(c *outerCells) { c.end[StOut] = field.New(uint64(len(st.Output) - 1)) },
		"a shorter output's sponge, the same length": func(c *outerCells) { copy(c.end[StOutState:], short[:]) },
		"another input digest":                       func(c *outerCells) { c.end[StInSponge] = field.New(5) },
	}
	for name, edit := range cases {
		c := honest.clone()
		edit(c)
		out, err := c.exec(prog)
		if err == nil && sameElems(out[:hash.DigestLen], want[:hash.DigestLen]) {
			t.Errorf("%s: accepted with the run's claim_root", name)
		}
		t.Logf("%s: %v", name, errOr(err, "another claim_root"))
	}
}

// TestReviewOuterFinishEncodingEdges: for claims at the edges of every integer field —
// input length, cycles and hook count at 0, 2^16 ± 1, 2^29 − 1 and up to p − 1 (every
// canonical value a cell can hold), exit codes 0, 2^16 − 1, 2^16 and 2^32 − 1, every
// exit status and 255, outputs of 0, 15, 16 and 17 bytes, with and without hooks — the
// outer program's claim_root and program key equal the native encodings (OuterPublics
// on the statement, claim.Fields through ClaimFields).
func TestReviewOuterFinishEncodingEdges(t *testing.T) {
	m, vk, base := outerFixture(t)
	rng := rand.New(rand.NewPCG(19, 23))
	prog := outerCellsProgram()
	counts := []uint64{0, 1, 0xffff, 0x10000, 0x10001, 1<<29 - 1, 1 << 29, 1<<30 + 12345, field.Modulus - 1}
	codes := []uint32{0, 1, 0xffff, 0x10000, 0xfffeffff, 0xffffffff}
	statuses := []isa.ExitStatus{isa.StatusHalted, isa.StatusTrap, isa.StatusBadArgument, 255}
	outs := []int{0, 15, 16, 17}
	n := 0
	check := func(st *Statement) {
		t.Helper()
		st.Context = claim.Context(testOrigin.ISA, testOrigin.Source, st.InputDigest)
		c := honestCells(rng, m, vk, st, testOrigin)
		want, err := m.OuterPublics(vk, st, testOrigin)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.exec(prog)
		if err != nil {
			t.Fatalf("cycles %d, input %d, hooks %d, code %#x, status %d: %v", st.Cycles, st.InputLen, st.HookCount, st.ExitCode, st.Status, err)
		}
		if !sameElems(got, want) {
			t.Fatalf("cycles %d, input %d, hooks %d, code %#x, status %d, output %d bytes: the outer program's encoding is not the native one", st.Cycles, st.InputLen, st.HookCount, st.ExitCode, st.Status, len(st.Output))
		}
		n++
	}
	for _, v := range counts {
		for k := range 3 {
			st := *base
			st.InputDigest = randDigest(rng)
			switch k {
			case 0:
				st.Cycles = v
			case 1:
				st.InputLen = uint32(v)
			case 2:
				st.HookCount = uint32(v)
				if v > 0 {
					st.HookDigest = randDigest(rng)
				}
			}
			check(&st)
		}
	}
	for _, code := range codes {
		for _, s := range statuses {
			for _, o := range outs {
				st := *base
				st.ExitCode, st.Status = code, s
				st.Output = make([]byte, o)
				for i := range st.Output {
					st.Output[i] = byte(rng.Uint32())
				}
				check(&st)
			}
		}
	}
	t.Logf("%d claims: the outer program's encoding is the native one", n)
}

// TestReviewClaimRootVsProgramKeyAndContext: the three digests a wrapped proof's inputs
// and constants carry cannot stand for one another: the outer program computes the
// context, claim_root and the program key under distinct prefixes, so equal witness
// values give three different digests, and program_id changes claim_root and the
// program key but not the context (it is not in it: the segments do not bind it).
func TestReviewClaimRootVsProgramKeyAndContext(t *testing.T) {
	m, vk, st := outerFixture(t)
	rng := rand.New(rand.NewPCG(29, 31))
	prog := outerCellsProgram()
	c := honestCells(rng, m, vk, st, testOrigin)
	out, err := c.exec(prog)
	if err != nil {
		t.Fatal(err)
	}
	ctx := st.Context[:]
	root, key := out[:hash.DigestLen], out[hash.DigestLen:]
	if sameElems(root, key) || sameElems(root, ctx) || sameElems(key, ctx) {
		t.Fatal("two of claim_root, the program key and the context are equal")
	}
	for _, tag := range []string{claim.TagRoot, claim.TagContext, claim.TagProgramKey, claim.TagISA} {
		for _, other := range []string{claim.TagRoot, claim.TagContext, claim.TagProgramKey, claim.TagISA} {
			if tag != other && claim.Prefix(tag) == claim.Prefix(other) {
				t.Fatalf("tags %q and %q share a prefix", tag, other)
			}
		}
	}
}

// TestReviewProveOuterWithoutProgram: ProveOuter computes the outer public values
// (OuterPublics) before it verifies the aggregated proof, so a statement without a
// program, or a nil key, reaches OuterPublics first: an error, not a panic.
func TestReviewProveOuterWithoutProgram(t *testing.T) {
	m, vk, st := outerFixture(t)
	noProg := &Statement{Context: claim.Context(testOrigin.ISA, testOrigin.Source, hash.Digest{})}
	for name, call := range map[string]func() error{
		"OuterPublics, no program": func() error { _, err := m.OuterPublics(vk, noProg, testOrigin); return err },
		"OuterPublics, no key":     func() error { _, err := m.OuterPublics(nil, st, testOrigin); return err },
		"OuterPublics, no statement": func() error {
			_, err := m.OuterPublics(vk, nil, testOrigin)
			return err
		},
		"ProveOuter, no program": func() error {
			_, _, err := m.ProveOuter(nil, vk, noProg, testOrigin, &Aggregated{}, nil)
			return err
		},
	} {
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v", r)
					t.Errorf("%s: %v", name, err)
				}
			}()
			return call()
		}()
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestReviewClaimRootAloneDoesNotPinProgram: program_id is a free witness of the outer
// program, bound only through the program key. The root of a run of one program, with
// another program's ID as witness, gives exactly the claim_root of a claim that names
// the other program (with this run's exit, output, cycles, input) — a claim no native
// verifier accepts for it — and a program key that is neither program's. So a verifier
// of wrapped proofs must check the program key (docs/wrap.md): claim_root alone does
// not say which program ran.
func TestReviewClaimRootAloneDoesNotPinProgram(t *testing.T) {
	m, vk, st := outerFixture(t)
	rng := rand.New(rand.NewPCG(37, 39))
	prog := outerCellsProgram()
	c := honestCells(rng, m, vk, st, testOrigin)
	other := assemble(t, arith)
	if other.ID() == st.Program.ID() {
		t.Fatal("the two programs have one ID")
	}
	pid := other.ID()
	copy(c.wit[2*hash.DigestLen:], pid[:])
	out, err := c.exec(prog)
	if err != nil {
		t.Fatal(err)
	}
	named := *st
	named.Program = other
	f := ClaimFields(&named, testOrigin)
	root := f.Root()
	if !sameElems(out[:hash.DigestLen], root[:]) {
		t.Fatal("claim_root is not the claim that names the other program")
	}
	if k := ProgramKey(vk, &named); sameElems(out[hash.DigestLen:], k[:]) {
		t.Fatal("the program key is the other program's")
	}
	if k := ProgramKey(vk, st); sameElems(out[hash.DigestLen:], k[:]) {
		t.Fatal("the program key is the run's program's, with another program_id")
	}
}

// TestReviewWrapOtherProgram proves, with real proofs, the substitution the program key
// stops. Program B differs from A in one instruction (the same length and image: the
// same leaf programs, so the same allowlist and vk_root). B's run, aggregated, and its
// outer proof with A's program_id as witness state the claim_root of the false claim
// "A ran and ended as B did", and the vk_root a verifier of that claim computes; only
// the program key differs from the inputs WrapStatement computes for the claim — so
// VerifyWrapped refuses it (wrap.Verify compares every input), and a verifier that
// checked claim_root and vk_root alone would not.
func TestReviewWrapOtherProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("aggregates a run and proves the outer layer")
	}
	input := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	srcB := strings.Replace(segmented, "halt  [8]", "halt  [12]", 1)
	ra := newRun(t, segmented, input)
	rb := newRun(t, srcB, input)
	rb.st.Context = claim.Context(testOrigin.ISA, testOrigin.Source, rb.st.InputDigest)
	if ra.st.ExitCode == rb.st.ExitCode {
		t.Fatal("A and B end alike")
	}
	e, agg := aggregateRun(t, rb, proveSegments(t, rb, 50))
	tree, _, err := rb.m.cachedTree(e, rb.keys.VK, agg.Shapes)
	if err != nil {
		t.Fatal(err)
	}
	o, err := tree.Outer(outerTestParams, OuterFinish, OuterInputs...)
	if err != nil {
		t.Fatal(err)
	}
	lie := *rb.st // B's outcome, claimed of A
	lie.Program = ra.st.Program
	op, err := o.Prove(agg.Root, OuterWitness(&lie, testOrigin)...)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := o.Verify(op)
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.Statement(outs)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ra.m.WrapStatement(e, ra.keys.VK, &lie, testOrigin, agg.Shapes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(want) != 3 {
		t.Fatalf("%d and %d inputs", len(got), len(want))
	}
	if got[0] != want[0] {
		t.Error("claim_root differs: the substitution is caught without the program key (the test's premise changed)")
	}
	if got[2] != want[2] {
		t.Error("vk_root differs: A's and B's allowlists are not one (the test's premise changed)")
	}
	if got[1] == want[1] {
		t.Fatal("the program key of B's run with A's program_id is A's: a wrapped proof of B's run verifies as A's")
	}
	honest, err := rb.m.WrapStatement(e, rb.keys.VK, rb.st, testOrigin, agg.Shapes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[1] == honest[1] {
		t.Fatal("the program key with A's program_id is B's")
	}
}

// TestReviewProgramKeyPerROMHeight: the program key binds the segments' key, so the
// same program proven with its ROM padded to another height (SetupROM: a catalogue
// class) has another program key — a contract pins the one of the ROM height its
// provers use (docs/wrap.md).
func TestReviewProgramKeyPerROMHeight(t *testing.T) {
	m, vk, st := outerFixture(t)
	padded, err := m.SetupROM(st.Program, ROMLogN(st.Program)+1)
	if err != nil {
		t.Fatal(err)
	}
	if ProgramKey(vk, st) == ProgramKey(padded.VK, st) {
		t.Fatal("one program key for two ROM heights")
	}
	again, err := m.SetupROM(st.Program, ROMLogN(st.Program))
	if err != nil {
		t.Fatal(err)
	}
	if ProgramKey(vk, st) != ProgramKey(again.VK, st) {
		t.Fatal("the natural ROM height's key differs from Setup's")
	}
}

// TestReviewWrappedEncodeWithoutProof: Encode of a machine wrapped proof without its
// wrap proof, or without the Groth16 proof inside, is an error, not a panic.
func TestReviewWrappedEncodeWithoutProof(t *testing.T) {
	inner := testWrapped().Proof
	inner.Proof = nil
	for name, w := range map[string]*Wrapped{"nil": nil, "no wrap proof": {Shapes: testWrapped().Shapes}, "no Groth16 proof": {Shapes: testWrapped().Shapes, Proof: inner}} {
		if _, err := w.Encode(); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}
