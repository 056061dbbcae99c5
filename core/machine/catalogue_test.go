package machine

// The catalogue of segment shapes (catalogue.go), the row counter (rows.go) and the
// cutter (cutter.go): the counts are the proofs' heights, a run cut by the catalogue
// proves each segment at exactly its shape's heights and verifies against the same
// statement, and the catalogue's ID follows its shapes.

import (
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

func TestCatalogueV1(t *testing.T) {
	m := New(nil)
	c, err := m.CatalogueV1()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Shapes()); n != 54 {
		t.Fatalf("catalogue v1 has %d shapes, want 54", n)
	}
	// Deterministic: built again, the same ID and shapes.
	d, err := m.NewCatalogue("v1", v1Profiles, v1Families)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != c.ID() {
		t.Fatal("catalogue v1 built twice has two IDs")
	}
	hookT, cpu, rom := slices.Index(m.Tables(), "hook"), slices.Index(m.Tables(), "cpu"), slices.Index(m.Tables(), "rom")
	for i, s := range c.Shapes() {
		if s.Index != i || c.Index(s.Leaf()) != i {
			t.Fatalf("%s: index %d", s.String(), c.Index(s.Leaf()))
		}
		if s.LogN[hookT] != stark.Absent || s.LogN[cpu] != s.Class || s.LogN[rom] != s.ROMLogN {
			t.Fatalf("%s: heights %v", s.String(), s.LogN)
		}
		for tb, l := range s.LogN {
			if l != stark.Absent && (l < 0 || l > 22) {
				t.Fatalf("%s: table %s at 2^%d", s.String(), m.Tables()[tb], l)
			}
		}
	}
	t.Logf("catalogue v1: %d shapes, ID %s", len(c.Shapes()), c.ID())
	// Any change of a profile, a class or a family changes the ID.
	edits := map[string]func(p []ShapeProfile, f []Family) ([]ShapeProfile, []Family){
		"an offset": func(p []ShapeProfile, f []Family) ([]ShapeProfile, []Family) {
			p[0].Offset = maps.Clone(p[0].Offset)
			p[0].Offset["mul"]--
			return p, f
		},
		"a class": func(p []ShapeProfile, f []Family) ([]ShapeProfile, []Family) {
			f[0].Classes = append(slices.Clone(f[0].Classes[:5]), 21)
			return p, f
		},
		"a ROM class": func(p []ShapeProfile, f []Family) ([]ShapeProfile, []Family) {
			f[1].ROMLogN = 19
			return p, f
		},
	}
	for name, edit := range edits {
		p, f := edit(slices.Clone(v1Profiles), slices.Clone(v1Families))
		e, err := m.NewCatalogue("v1", p, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e.ID() == c.ID() {
			t.Fatalf("%s changed: the same ID", name)
		}
	}
	// Refused: too many shapes, unknown tables and profiles, classes out of range.
	bad := map[string]func() error{
		"too many shapes": func() error {
			_, err := m.NewCatalogue("x", v1Profiles, append(slices.Clone(v1Families), Family{ROMLogN: 12, Classes: []int{10, 12, 14}, Profiles: []string{"alu", "memory"}}))
			return err
		},
		"an unknown table": func() error {
			_, err := m.NewCatalogue("x", []ShapeProfile{{Name: "a", Offset: map[string]int{"nope": 0}}}, []Family{{ROMLogN: 10, Classes: []int{10}, Profiles: []string{"a"}}})
			return err
		},
		"an unknown profile": func() error {
			_, err := m.NewCatalogue("x", v1Profiles, []Family{{ROMLogN: 10, Classes: []int{10}, Profiles: []string{"b"}}})
			return err
		},
		"a class of 2^22": func() error {
			_, err := m.NewCatalogue("x", v1Profiles, []Family{{ROMLogN: 10, Classes: []int{22}, Profiles: []string{"alu"}}})
			return err
		},
		"a ROM class of 2^21": func() error {
			_, err := m.NewCatalogue("x", v1Profiles, []Family{{ROMLogN: 21, Classes: []int{20}, Profiles: []string{"alu"}}})
			return err
		},
	}
	for name, f := range bad {
		if err := f(); err == nil {
			t.Fatalf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}

// countSegments counts the rows of r's segments of size cycles with the row counter.
func countSegments(r *run, size int) [][]int {
	rc := r.m.NewRowCounter()
	d := rc.NewDelta()
	s := rc.NewSegmentRows(len(r.st.Program.Code), r.st.InputLen)
	var out [][]int
	for i := range r.recs {
		if s.Cycles() == size {
			out = append(out, s.Rows(false))
			s.Reset()
		}
		rc.Delta(&r.recs[i], d)
		s.Add(d)
	}
	return append(out, s.Rows(true))
}

// TestRowCounterMatchesProofs counts the rows of the first segments of programs that
// reach every table and compares each table's height with the proof's (what
// `shapestat -check` does at 2^10 cycles, here at 2^7; the short runs' only segment is
// a final one).
func TestRowCounterMatchesProofs(t *testing.T) {
	const size = 1<<7 - 1
	most := 3
	if testing.Short() {
		most = 2
	}
	for _, c := range padCases(t) {
		if c.name == "hooked" {
			continue // TestRowCounterHooks
		}
		t.Run(c.name, func(t *testing.T) {
			counted := countSegments(c.r, size)
			segs := len(counted)
			compareCounts(t, c.r, size, counted[:min(most, segs)], segs)
		})
	}
}

// compareCounts proves the first len(counted) segments of size cycles and compares
// their heights with the counts.
func compareCounts(t *testing.T, r *run, size int, counted [][]int, segs int) {
	t.Helper()
	var in, out, hooks uint32
	var state hook.State
	mem := imageTree(t, r.st.Program)
	names := r.m.Tables()
	rc := r.m.NewRowCounter()
	for i, rows := range counted {
		present := rc.Present(rows)
		start, end := i*size, min((i+1)*size, len(r.recs))
		recs := make([]trace.Record, end-start)
		for j := range recs {
			recs[j] = *r.recs[start+j].Clone()
		}
		Rebase(recs, uint64(start))
		run := &SegmentRun{Program: r.st.Program, InStart: in, OutStart: out, HookStart: hooks, HookState: state, OutState: outAt(r.st.Output, out),
			Input: r.st.Input, Context: r.st.Context, Memory: mem, Index: i}
		sp, rep, err := r.m.ProveSegment(context.Background(), r.keys, run, recs)
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		in, out, hooks, state = sp.State.InEnd, sp.State.OutEnd, sp.State.HookEnd, sp.State.HookState
		bad := 0
		for tb, n := range names {
			want := 0
			if present[tb] {
				want = air.Height(rows[tb])
			}
			if got := rep.Rows[n]; got != want {
				t.Errorf("segment %d table %s: proof %d rows, counted %d (height %d)", i, n, got, rows[tb], want)
				bad++
			}
		}
		if bad == 0 {
			t.Logf("segment %d of %d (final %v): every one of %d tables' heights as counted", i, segs, sp.State.Final, len(names))
		}
	}
}

// TestRowCounterHooks counts a run with hook calls (the hook table and its Poseidon2
// rows) against its proof, as one segment.
func TestRowCounterHooks(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	counted := countSegments(r, len(r.recs))
	compareCounts(t, r, len(r.recs), counted, 1)
}

// testCatalogue is a small catalogue for fast tests: classes 2^6 and 2^8 with tight
// budgets, so that runs of a few hundred cycles are cut by them.
func testCatalogue(t testing.TB, m *Machine) *Catalogue {
	t.Helper()
	c, err := m.NewCatalogue("test", []ShapeProfile{
		{Name: "tight", Offset: map[string]int{"addsub": -2, "cmp": -2, "bitwise": -3, "mul": -4, "shift": -3, "loadstore": -2, "frame": -3,
			"io": -3, "input": -4, "output": -3, "memory": -2}},
		{Name: "wide", Precompiles: true, Offset: map[string]int{"addsub": 0, "cmp": 0, "bitwise": -3, "mul": 0, "shift": 0, "loadstore": 0, "frame": 0,
			"io": 0, "input": -1, "output": -1, "memory": 0, "keccak": 2, "keccak_memory": -2, "sha256_memory": -4, "sha256": 0}},
	}, []Family{{ROMLogN: 8, Classes: []int{6, 8}, Profiles: []string{"tight", "wide"}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// cutRun cuts r's records with the catalogue into segments of class k, proves each
// padded to its shape under the keys of the program's ROM class, and checks every
// proof has its shape's heights.
func cutRun(t *testing.T, r *run, cat *Catalogue, k int) (*Keys, []*SegmentProof, []*CatalogueShape) {
	t.Helper()
	cut, err := cat.NewCutter(r.m, r.st.Program, r.st.InputLen, k)
	if err != nil {
		t.Fatal(err)
	}
	var ends []int
	var shapes []*CatalogueShape
	for i := range r.recs {
		s, err := cut.Add(&r.recs[i])
		if err != nil {
			t.Fatal(err)
		}
		if s != nil {
			ends, shapes = append(ends, i), append(shapes, s)
		}
	}
	s, err := cut.Finish()
	if err != nil {
		t.Fatal(err)
	}
	ends, shapes = append(ends, len(r.recs)), append(shapes, s)
	keys, err := r.m.SetupROM(r.st.Program, cut.ROMLogN())
	if err != nil {
		t.Fatal(err)
	}
	var segs []*SegmentProof
	var in, out uint32
	mem := imageTree(t, r.st.Program)
	start := 0
	for i, end := range ends {
		recs := make([]trace.Record, end-start)
		for j := range recs {
			recs[j] = *r.recs[start+j].Clone()
		}
		Rebase(recs, uint64(start))
		run := &SegmentRun{Program: r.st.Program, InStart: in, OutStart: out, OutState: outAt(r.st.Output, out),
			Input: r.st.Input, Context: r.st.Context, Memory: mem, Index: i, MinLogN: shapes[i].MinLogN()}
		sp, _, err := r.m.ProveSegment(context.Background(), keys, run, recs)
		if err != nil {
			t.Fatalf("segment %d (%s): %v", i, shapes[i].String(), err)
		}
		if err := cat.Check(sp, shapes[i]); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		in, out = sp.State.InEnd, sp.State.OutEnd
		segs = append(segs, sp)
		start = end
	}
	return keys, segs, shapes
}

// TestCutterProvesShapes cuts runs by a tight catalogue (segments end early when a
// budget would overflow) and by catalogue v1; every segment proves at its shape's
// heights and the segments verify against the run's statement, under the keys of the
// program's ROM padded to its class — and not under the program's own keys.
func TestCutterProvesShapes(t *testing.T) {
	for _, c := range []struct {
		name string
		r    *run
		v1   bool
		k    int
	}{
		{"mix.s, test catalogue 2^8", exampleRun(t, "mix.s", binary.LittleEndian.AppendUint32(nil, 40)), false, 8},
		{"keccak.s, test catalogue 2^8", exampleRun(t, "keccak.s", make([]byte, 300)), false, 8},
		{"mix.s, catalogue v1 2^10", exampleRun(t, "mix.s", binary.LittleEndian.AppendUint32(nil, 200)), true, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(c.name, "keccak") {
				t.Skip("the catalogue's precompile shapes: not in -short (about 20 s)")
			}
			cat := testCatalogue(t, c.r.m)
			if c.v1 {
				var err error
				if cat, err = c.r.m.CatalogueV1(); err != nil {
					t.Fatal(err)
				}
			}
			keys, segs, shapes := cutRun(t, c.r, cat, c.k)
			early := 0
			for i, sp := range segs[:len(segs)-1] {
				if int(sp.State.Cycles) < 1<<c.k-1 {
					early++
				}
				if shapes[i].Class != c.k {
					t.Fatalf("segment %d: class 2^%d", i, shapes[i].Class)
				}
			}
			var names []string
			for _, s := range shapes {
				names = append(names, s.Profile)
			}
			if strings.HasPrefix(c.name, "mix.s, test") && early == 0 {
				t.Fatal("no segment ended by a budget")
			}
			t.Logf("%d cycles: %d segments (%d ended by a budget), profiles %s, last %s", c.r.st.Cycles, len(segs), early, strings.Join(names, " "), shapes[len(shapes)-1].String())
			if err := c.r.m.VerifySegments(keys.VK, c.r.st, segs); err != nil {
				t.Fatalf("the catalogue's segments: %v", err)
			}
			if k, err := c.r.m.KeysForProofs(c.r.st.Program, segs); err != nil || k.VK.Digest != keys.VK.Digest {
				t.Fatalf("the verifier's keys from the proofs: %v", err)
			}
			if keys.VK.Digest == c.r.keys.VK.Digest {
				t.Fatal("the padded ROM's keys are the program's own")
			}
			if err := c.r.m.VerifySegments(c.r.keys.VK, c.r.st, segs); err == nil {
				t.Fatal("segments with a padded ROM verify under the unpadded keys")
			}
		})
	}
}

// TestCatalogueFitRefuses: rows no shape holds are refused naming the table; a run
// with hook calls has no shape; a ROM too tall has no class.
func TestCatalogueFitRefuses(t *testing.T) {
	m := New(nil)
	cat := testCatalogue(t, m)
	rc := m.NewRowCounter()
	s := rc.NewSegmentRows(100, 0)
	rows := s.Rows(true)
	if _, err := cat.Fit(rows, true, 0); err != nil {
		t.Fatalf("an empty segment: %v", err)
	}
	names := m.Tables()
	over := slices.Clone(rows)
	over[slices.Index(names, "loadstore")] = 1 << 9
	if _, err := cat.Fit(over, false, 8); err == nil || !strings.Contains(err.Error(), "loadstore") {
		t.Fatalf("loadstore over every budget: %v", err)
	}
	hooked := slices.Clone(rows)
	hooked[slices.Index(names, "hook")] = 2
	if _, err := cat.Fit(hooked, true, 0); err == nil || !strings.Contains(err.Error(), "hook") {
		t.Fatalf("a hook call: %v", err)
	}
	big := slices.Clone(rows)
	big[slices.Index(names, "rom")] = 300
	if _, err := cat.Fit(big, true, 0); err == nil {
		t.Fatal("a ROM of 300 instructions fits a catalogue of 2^8")
	}
	if _, err := cat.Fit(rows, false, 7); err == nil {
		t.Fatal("a class the catalogue lacks")
	}
	_ = hash.Digest{}
}

// TestAggregateCatalogue aggregates a run cut by a catalogue: the aggregated proof is
// over the catalogue's allowlist, whose root is the catalogue's (the same for every
// run), and it verifies. A cheating prover's segment at a shape outside the catalogue
// has no leaf under that root: its aggregation (over an allowlist that admits the
// shape) is refused when presented as the catalogue's, as are roots under keys outside
// the allowlist and proofs naming another catalogue.
func TestAggregateCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("sets up a catalogue's eight leaves and aggregates three runs: minutes on two cores")
	}
	r := exampleRun(t, "mix.s", binary.LittleEndian.AppendUint32(nil, 40))
	cat := testCatalogue(t, r.m)
	r.m.cat = cat
	keys, segs, _ := cutRun(t, r, cat, 8)
	e := treeEngine(t)
	t0 := time.Now()
	root, err := r.m.CatalogueRoot(e, cat)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the test catalogue's %d leaves set up, root %s, in %.1fs", len(cat.Shapes()), root, time.Since(t0).Seconds())
	t0 = time.Now()
	a, err := r.m.Aggregate(context.Background(), e, keys.VK, r.st, segs, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments aggregated in %.1fs", len(segs), time.Since(t0).Seconds())
	if a.Catalogue == nil || len(a.Shapes) != 0 {
		t.Fatal("a run cut by the catalogue was not aggregated over the catalogue's allowlist")
	}
	pub, err := LeafLayout.Decode(a.Root.Publics)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Root != root {
		t.Fatal("the aggregated proof's vk_root is not the catalogue's root")
	}
	if err := r.m.VerifyAggregated(e, keys.VK, r.st, a); err != nil {
		t.Fatalf("the catalogue's aggregated proof: %v", err)
	}
	if _, err := r.m.AggregatedSecurity(e, keys.VK, a); err != nil {
		t.Fatal(err)
	}
	reject := func(what string, vk *stark.VerifyingKey, b *Aggregated) {
		t.Helper()
		if err := r.m.VerifyAggregated(e, vk, r.st, b); err == nil {
			t.Fatalf("%s: accepted", what)
		} else {
			t.Logf("%s: %v", what, err)
		}
	}
	reject("the program's own keys (another ROM height)", r.keys.VK, a)
	for _, k := range []int{-1, len(cat.Shapes()) + 2, 1 << 10} {
		b := *a.Root
		b.Key = k
		reject(fmt.Sprintf("a root under key %d", k), keys.VK, &Aggregated{Catalogue: cat, Root: &b})
	}
	reject("a catalogue proof naming shapes", keys.VK, &Aggregated{Catalogue: cat, Shapes: []LeafShape{ShapeOfSegment(segs[0])}, Root: a.Root})
	other := testCatalogue(t, r.m)
	other.id[0] = field.New(other.id[0].Uint64() + 1)
	reject("another catalogue", keys.VK, &Aggregated{Catalogue: other, Root: a.Root})

	// The cheating prover: the same run, its segments at their natural heights (under
	// the padded ROM's keys, so that they link): not catalogue shapes. Aggregate makes
	// them a per-run proof; presented over the catalogue's allowlist, it is refused.
	rk := *r
	rk.keys = keys
	nat := proveSegmentsMin(t, &rk, 100, nil)
	if r.m.CatalogueShaped(cat, r.st.Program, keys.VK, nat) {
		t.Fatal("natural segments are catalogue shapes: the test proves nothing")
	}
	if err := r.m.VerifySegments(keys.VK, r.st, nat); err != nil {
		t.Fatal(err)
	}
	cheat, err := r.m.Aggregate(context.Background(), e, keys.VK, r.st, nat, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cheat.Catalogue != nil {
		t.Fatal("segments outside the catalogue aggregated over its allowlist")
	}
	if err := r.m.VerifyAggregated(e, keys.VK, r.st, cheat); err != nil {
		t.Fatalf("the per-run proof: %v", err)
	}
	reject("a per-run root presented over the catalogue", keys.VK, &Aggregated{Catalogue: cat, Root: cheat.Root})
	// Its root is a join, the same join program as the catalogue tree's (the join depends
	// on the depth and the heights only): under the catalogue's join key it verifies as a
	// recursion proof, and only its vk_root (the per-run allowlist's) refuses it.
	ct, _, err := r.m.catalogueTree(e, keys.VK, cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	cj := *cheat.Root
	cj.Key = ct.JoinKey()
	if err := r.m.VerifyAggregated(e, keys.VK, r.st, &Aggregated{Catalogue: cat, Root: &cj}); err == nil || !strings.Contains(err.Error(), "vk_root") {
		t.Fatalf("a per-run join root under the catalogue's join key: %v", err)
	} else {
		t.Logf("a per-run join root under the catalogue's join key: %v", err)
	}
	// The leaf root of a one-segment run at a foreign shape, under a catalogue leaf's key.
	one := proveSegmentsMin(t, &rk, int(r.st.Cycles), nil)
	single, err := r.m.Aggregate(context.Background(), e, keys.VK, r.st, one, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := range cat.Shapes() {
		b := *single.Root
		b.Key = k
		if err := r.m.VerifyAggregated(e, keys.VK, r.st, &Aggregated{Catalogue: cat, Root: &b}); err == nil {
			t.Fatalf("a foreign leaf root accepted under catalogue leaf %d", k)
		}
	}
	// Encoded: a proof over a catalogue the decoder does not know is refused.
	if _, err := DecodeAggregated(a.Encode()); err == nil || !strings.Contains(err.Error(), "this verifier knows") {
		t.Fatalf("a proof over the test catalogue decoded: %v", err)
	}
}

// FuzzDecodeAggregatedCatalogue: a version-2 aggregated proof (over a catalogue) never
// panics the decoder; one that decodes names catalogue v1 and encodes back to its bytes.
func FuzzDecodeAggregatedCatalogue(f *testing.F) {
	cat, err := New(nil).CatalogueV1()
	if err != nil {
		f.Fatal(err)
	}
	head := append([]byte{aggregatedCatalogueVersion, 2, 0, 0, 0, 'v', '1'}, cat.ID().Bytes()...)
	f.Add(head)
	f.Add(append(slices.Clone(head), 0, 0, 0, 0, 0, 0, 0, 0))
	bad := slices.Clone(head)
	bad[len(bad)-1] ^= 1
	f.Add(bad)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAggregated(b)
		if err != nil {
			return
		}
		if a.Catalogue != nil && a.Catalogue.ID() != cat.ID() {
			t.Fatal("decoded a proof over another catalogue")
		}
	})
}
