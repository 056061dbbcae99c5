package machine

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Review of the fixed-size segment boundary (memory root, output sponge): attacks on
// the verifier's side of it, each with a real proof.

// TestReviewPoseidon2Domains: every caller of the poseidon2 table names its domain and
// the message kind as constants, never as a column (a column dom would let one table's
// row answer, or be answered under, another table's identifier), sends only KindIn and
// receives only KindOut (a caller that sent KindOut could answer another caller's
// call), and no two callers share a domain but the memtree's node and leaf tables,
// whose identifiers are disjoint heap indices (nodes < 2^27 ≤ blocks: package memtree,
// Uniqueness). The domains are the ones package poseidon2 lists.
func TestReviewPoseidon2Domains(t *testing.T) {
	want := map[string][]uint64{
		"input":        {poseidon2.DomInput},
		"hook":         {poseidon2.DomHook},
		"output":       {output.Dom},
		"memtree_node": {poseidon2.DomMemInit, poseidon2.DomMemFinal},
		"memtree_leaf": {poseidon2.DomMemInit, poseidon2.DomMemFinal},
	}
	constOf := func(a *air.AIR, id int32) (uint64, bool) {
		n := a.Nodes[id]
		if n.Kind != air.KindConst {
			return 0, false
		}
		return n.Val.Uint64(), true
	}
	owner := map[uint64]string{}
	seen := map[string]bool{}
	for _, c := range standard() {
		if c.name == "poseidon2" {
			continue
		}
		doms := map[uint64]bool{}
		for _, it := range c.air.Interactions {
			if it.Bus.ID != bus.Poseidon2.ID {
				continue
			}
			kind, ok := constOf(c.air, it.Tuple[0])
			if !ok {
				t.Errorf("%s/%s: the message kind is not a constant", c.name, it.Name)
				continue
			}
			dom, ok := constOf(c.air, it.Tuple[1])
			if !ok {
				t.Errorf("%s/%s: the domain is not a constant", c.name, it.Name)
				continue
			}
			if (kind == poseidon2.KindIn) != it.Send || (kind != poseidon2.KindIn && kind != poseidon2.KindOut) {
				t.Errorf("%s/%s: kind %d, send %v: a caller sends KindIn and receives KindOut", c.name, it.Name, kind, it.Send)
			}
			doms[dom] = true
		}
		if len(doms) == 0 {
			continue
		}
		seen[c.name] = true
		w, ok := want[c.name]
		if !ok {
			t.Errorf("%s calls the poseidon2 table (domains %v) and is not reviewed here", c.name, doms)
			continue
		}
		if len(doms) != len(w) {
			t.Errorf("%s: domains %v, want %v", c.name, doms, w)
		}
		for _, d := range w {
			if !doms[d] {
				t.Errorf("%s: domains %v, want %v", c.name, doms, w)
			}
			if o, ok := owner[d]; ok && !(o == "memtree_node" && c.name == "memtree_leaf") {
				t.Errorf("domain %d is used by %s and %s", d, o, c.name)
			}
			owner[d] = c.name
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s: no interaction on bus.Poseidon2 found", name)
		}
	}
}

// TestReviewFirstSegmentNotImage: the first segment of forgeProg (9 cycles) proven from
// a memory other than the program image — the image with word 0x30000/4, which the run
// never touches, set to 5 — every table consistent with that memory. The verifier's
// MemTree message starts from ImageRoot(p), so the root row's receive has no sender. A
// linker whose root is the forged memory's accepts the same proof (the forgery is
// consistent: only the root refuses it).
func TestReviewFirstSegmentNotImage(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	recs := cut(e.recs, 0, 9)
	mem, err := MemoryTree(e.p, []memtree.Touch{{Addr: 0x30000 / 4, Value: 5}})
	if err != nil {
		t.Fatal(err)
	}
	forged := mem.Root()
	sp := pv.prove(t, e, &segWitness{recs: recs, v: e.view(t, recs, 0, 0), mem: mem})
	st := e.statement(nil)
	rejected(t, pv.link(st, sp), "a first segment from a memory other than the image")

	l := pv.m.NewLinker(pv.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	l.root = forged
	if err := l.verifyAll(st, []*SegmentProof{sp}); err != nil {
		t.Fatalf("the forgery is not consistent (refused with the forged root too): %v", err)
	}
}

// TestReviewSegmentStartsElsewhere: forgeProg cut after 9 cycles; the second segment
// proven from the memory the first leaves with one word changed that the second
// segment never touches (so every table of its proof is consistent). The linker holds
// the first segment's final root: the MemTree message finds no receiver. Given the
// forged root, the linker accepts (control).
func TestReviewSegmentStartsElsewhere(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	first := pv.segment(t, e, cut(e.recs, 0, 9), 0, 0)
	recs := cut(e.recs, 9, len(e.recs))
	mem := memoryAt(t, e.p, e.recs, 9)
	w, err := mem.Apply([]memtree.Touch{{Addr: 0x30000 / 4, Value: 0xdeadbeef}})
	if err != nil {
		t.Fatal(err)
	}
	forged := w.Roots[memtree.Final]
	v := e.view(t, recs, first.State.InEnd, first.State.OutEnd)
	second := pv.prove(t, e, &segWitness{recs: recs, v: v, mem: mem})
	st := e.statement(nil)
	rejected(t, pv.verify(st, first, second), "a segment starting from another memory than the previous left")

	l := pv.m.NewLinker(pv.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	if err := l.verifyAll(st, []*SegmentProof{first}); err != nil {
		t.Fatal(err)
	}
	l.root = forged
	if err := l.verifyAll(st, []*SegmentProof{second}); err != nil {
		t.Fatalf("the forgery is not consistent (refused with the forged root too): %v", err)
	}
	if err := l.Finish(st); err != nil {
		t.Fatal(err)
	}
}

// TestReviewOutputAcrossCut: forgeProg cut after 9 cycles (the first segment writes
// one byte, the second the rest): claims whose output differs from the written one at
// the cut — the byte at the cut dropped, duplicated, moved to the other side, or the
// whole output rotated (same bytes, same length) — are refused (share lengths, the
// Absorb check of each segment's OutState, Finish's digest); the segment states edited
// to the forged claim's sponge states are refused by the STARK (the output table's
// public start/end). The honest claim verifies.
func TestReviewOutputAcrossCut(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	segs := pv.segments(t, e, e.recs, 9, len(e.recs))
	st := e.statement(nil)
	if err := pv.verify(st, segs...); err != nil {
		t.Fatal(err)
	}
	out := st.Output
	a := int(segs[0].State.OutEnd)
	if a == 0 || a >= len(out) {
		t.Fatalf("the cut leaves output [0, %d) of %d on the first side: pick another", a, len(out))
	}
	claims := map[string][]byte{
		"dropped at the cut":    append(bytes.Clone(out[:a-1]), out[a:]...),
		"duplicated at the cut": append(bytes.Clone(out[:a]), out[a-1:]...),
		"swapped across the cut": func() []byte {
			o := bytes.Clone(out)
			o[a-1], o[a] = o[a], o[a-1]
			return o
		}(),
		"rotated": append(bytes.Clone(out[1:]), out[0]),
	}
	for name, o := range claims {
		if bytes.Equal(o, out) {
			continue
		}
		st := e.statement(func(st *Statement) { st.Output = o })
		rejected(t, pv.verify(st, segs...), name)

		// The states edited to the forged output's sponge (same cut, OutEnd kept).
		forged := make([]*SegmentProof, len(segs))
		from := uint32(0)
		s := output.IV()
		for i, sp := range segs {
			c := *sp
			end := min(c.State.OutEnd, uint32(len(o)))
			if i == len(segs)-1 {
				end = uint32(len(o))
			}
			s = output.Absorb(s, from, o[from:end])
			c.State.OutEnd, c.State.OutState = end, s
			forged[i] = &c
			from = end
		}
		rejected(t, pv.verify(st, forged...), name+", states edited")
	}
}

// TestReviewDecodeNonCanonical: an honest segment proof's encoding with one element of
// the state (a hook state's, the memory root's, an output state's) set to p, p + 1 or
// 2^32 − 1 (all non-canonical): the decoder refuses each; and it never panics on any
// prefix of the encoding.
func TestReviewDecodeNonCanonical(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	seg := pv.segments(t, e, e.recs, 9, len(e.recs))[0]
	enc := seg.Encode()
	// version, cycles, flags, exit pc, fp, in end, out end, hook end
	const head = 1 + 8 + 1 + 4*5
	elems := hash.Width + hash.DigestLen + hash.Width
	for i := range elems {
		for _, v := range []uint32{uint32(field.Modulus), uint32(field.Modulus) + 1, ^uint32(0)} {
			m := bytes.Clone(enc)
			binary.LittleEndian.PutUint32(m[head+4*i:], v)
			if _, err := DecodeSegmentProof(m); err == nil {
				t.Errorf("state element %d = %d: decoded", i, v)
			}
		}
	}
	// Sanity: the offsets are the state's (an in-range edit decodes to another state).
	m := bytes.Clone(enc)
	binary.LittleEndian.PutUint32(m[head+4*(hash.Width+hash.DigestLen):], 1)
	d, err := DecodeSegmentProof(m)
	if err != nil || d.State.OutState[0] != field.New(1) {
		t.Fatalf("the output state's first element is not where the test edits: %v", err)
	}
	for n := range head + 4*elems + 1 {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("a %d-byte prefix panics: %v", n, r)
				}
			}()
			if _, err := DecodeSegmentProof(enc[:n]); err == nil {
				t.Errorf("a %d-byte prefix decodes", n)
			}
		}()
	}
}

// TestReviewTouchedWordInitNotTree: the second segment of forgeProg (cut after 9
// cycles) loads word w = 0x20000/4, which the first stored. The cheater takes the second
// segment's records from a run whose first input word is another (so its load finds
// 0x09090909, and its output differs), and proves it on the memory the honest first
// segment leaves (the start root the linker holds): the memory table opens w at
// 0x09090909, the memtree leaf sends the tree's value on Image. The Image bus refuses
// it; the claim's output (the other run's) is false for the statement's input.
func TestReviewTouchedWordInitNotTree(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	const c = 9
	honest := pv.segments(t, e, e.recs, c, len(e.recs))
	oin := append([]byte{9, 9, 9, 9}, forgeInput[4:]...)
	res, orecs := e.execute(t, e.p, oin)
	recs := cut(orecs, c, len(orecs))
	mem := memoryAt(t, e.p, e.recs, c)
	if mem.Root() != honest[0].State.MemRoot {
		t.Fatal("the honest memory after the first segment is not its final root")
	}
	v := e.view(t, recs, honest[0].State.InEnd, honest[0].State.OutEnd)
	tail := pv.prove(t, e, &segWitness{recs: recs, v: v, mem: mem})
	if tail.State.MemRoot == honest[1].State.MemRoot {
		t.Log("the forged segment leaves the honest memory")
	}
	forged := e.statement(func(st *Statement) {
		st.Output = append(bytes.Clone(e.st.Output[:honest[0].State.OutEnd]), res.Output[honest[0].State.OutEnd:]...)
	})
	if bytes.Equal(forged.Output, e.st.Output) {
		t.Fatal("the other run writes the same output: the test shows nothing")
	}
	rejected(t, pv.verify(forged, honest[0], tail), "a touched word opened at another value than the tree's", "segment 1", "bus check failed")
}

// TestReviewOutputTrailingZero: a zero byte leaves the sponge's rate as it was (it adds
// 0 to a limb) unless it ends a block, so a claim with a zero byte appended to the
// output (7 bytes, so the 8th ends no block), and the final segment's OutEnd moved one
// on with its OutState unchanged, passes every check the linker makes outside the
// STARKs: the segment's Absorb check and Finish's digest (the length is in the
// finishing permutation, and the claim's length is the forged one). Only the STARK
// refuses it: the I/O chip's and the output table's public OutEnd (the output table
// receives position 7 unmasked, which no WRITE sends).
func TestReviewOutputTrailingZero(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	segs := pv.segments(t, e, e.recs, 9, len(e.recs))
	out := e.st.Output
	n := uint32(len(out))
	if n%output.BlockBytes == output.BlockBytes-1 {
		t.Fatalf("an output of %d bytes: the appended zero would end a block", n)
	}
	last := *segs[len(segs)-1]
	if last.State.OutEnd != n {
		t.Fatal("the last segment does not end the output")
	}
	if output.Absorb(last.State.OutState, n, []byte{0}) != last.State.OutState {
		t.Fatal("a zero byte changes the sponge state: the attack does not apply")
	}
	last.State.OutEnd = n + 1
	st := e.statement(func(st *Statement) { st.Output = append(st.Output, 0) })
	forged := []*SegmentProof{segs[0], &last}
	if _, err := pv.m.SegmentsSecurity(pv.keys.VK, st, forged); err != nil {
		t.Fatalf("the linker's checks outside the STARKs refuse it already: %v", err)
	}
	l := pv.m.NewLinker(pv.keys.VK, st.Program, st.InputLen, st.InputDigest, st.Context)
	for _, sp := range forged {
		o, err := segmentOutput(st, l.outOff, sp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Security(sp, o, st.Status, st.ExitCode); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Finish(st); err != nil {
		t.Fatalf("Finish refuses it already: %v", err)
	}
	rejected(t, pv.verify(st, forged...), "a zero byte appended to the output", "segment 1")
}

// TestReviewClaimsNoMemoryChange: the first segment of forgeProg (9 cycles: it stores
// the input's first word and writes the frame) proven with the memtree told that no
// word changed — its roots equal (the image's), the memory table honest. Every word
// the memory table opens and closes is left without its Image send and MemoryFinal
// receive: the buses refuse it.
func TestReviewClaimsNoMemoryChange(t *testing.T) {
	e := newForgeEnv(t, forgeProg, forgeInput)
	pv := e.machine(t)
	recs := cut(e.recs, 0, 9)
	none := func([]memtree.Touch) []memtree.Touch { return nil }
	sp := pv.prove(t, e, &segWitness{recs: recs, v: e.view(t, recs, 0, 0), list: none})
	if sp.State.MemRoot != ImageRoot(e.p) {
		t.Fatal("the forged segment's final root is not the image's")
	}
	rejected(t, pv.link(e.statement(nil), sp), "a segment claiming no memory change", "segment 0", "bus check failed")
}
