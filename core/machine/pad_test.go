package machine

// Padding a segment's tables to given heights (SegmentRun.MinLogN, padding.go): proofs
// of programs that reach every chip, with every paddable table raised above its natural
// height and with the optional tables forced present, have exactly the heights asked and
// verify against the same statement; what cannot be padded is refused.

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// u256Tour calls every table of the 256-bit chip: add and compare (arith), mul and
// mulmod (muldiv), bitwise (bits), shift, and set (the memory table alone).
const u256Tour = `
.fp 0x1000
.data 0x2000
.word 0x01020304, 0x05060708, 9, 10, 11, 12, 13, 0x80000001
.word 3, 4, 5, 6, 7, 8, 9, 10
.word 17, 0, 0, 0, 0, 0, 0, 0
.text
main:   mov   [8], 0x2000
        ecall u256_add, [8], 0
        ecall u256_mul, [8], 0
        ecall u256_mulmod, [8], 0
        ecall u256_cmp, [8], 2
        ecall u256_bit, [8], 2
        ecall 0x2b, [8], 1            ; u256_shift (no assembler name)
        ecall u256_unary, [8], 1
        ecall u256_set, [8], 5
        halt  0
`

type padCase struct {
	name string
	r    *run
}

func exampleRun(t *testing.T, file string, input []byte) *run {
	t.Helper()
	src, err := os.ReadFile("../../examples/" + file)
	if err != nil {
		t.Fatal(err)
	}
	r := newRun(t, string(src), input)
	r.st.Context = hash.Tagged("test/context", input)
	return r
}

// padCases are runs that, together, reach every chip.
func padCases(t *testing.T) []padCase {
	seg := newRun(t, segmented, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40})
	seg.st.Context = hash.Tagged("test/context", seg.st.Input)
	return []padCase{
		{"mix.s", exampleRun(t, "mix.s", binary.LittleEndian.AppendUint32(nil, 40))},
		{"fib.s", exampleRun(t, "fib.s", []byte{20, 0, 0, 0})},
		{"keccak.s", exampleRun(t, "keccak.s", make([]byte, 300))},
		{"sort.s", exampleRun(t, "sort.s", mustRead("../../examples/sort.in"))},
		{"isa_tour.s", exampleRun(t, "isa_tour.s", []byte{7, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 0xaa})},
		{"segmented", seg},
		{"hooked", newHookRun(t, hooked, hostHooks(0))},
		{"u256", newRun(t, u256Tour, nil)},
	}
}

// proveWhole proves r's run as one segment with the given minimum heights.
func proveWhole(r *run, minLogN []int) (*SegmentProof, error) {
	recs := make([]trace.Record, len(r.recs))
	for i := range recs {
		recs[i] = *r.recs[i].Clone()
	}
	run := &SegmentRun{Program: r.st.Program, Input: r.st.Input, Context: r.st.Context, MinLogN: minLogN}
	sp, _, err := r.m.ProveSegment(context.Background(), r.keys, run, recs)
	return sp, err
}

func mustProveWhole(t *testing.T, r *run, minLogN []int) *SegmentProof {
	t.Helper()
	sp, err := proveWhole(r, minLogN)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// paddable says whether table t can be raised above its natural height: it is present
// and has no preprocessed columns.
func paddable(r *run, natural []int, t int) bool {
	return natural[t] != stark.Absent && r.keys.VK.PrepLogN[t] < 0
}

// checkShape proves r with minLogN and checks the proof's heights are want, that it
// verifies against r's statement and that it claims what the natural proof claims.
func checkShape(t *testing.T, r *run, what string, minLogN, want []int, natural *SegmentProof) *SegmentProof {
	t.Helper()
	sp := mustProveWhole(t, r, minLogN)
	if !slices.Equal(sp.Proof.LogN, want) {
		t.Fatalf("%s: heights %v, want %v", what, sp.Proof.LogN, want)
	}
	if err := r.m.Verify(r.keys.VK, r.st, sp); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(sp.State, natural.State) {
		t.Fatalf("%s: the padded proof claims %+v, the natural one %+v", what, sp.State, natural.State)
	}
	return sp
}

// checkPaddedWitness checks r's tables built at minLogN row by row, and every bus's
// balance (chiptest.Check): the padding rows satisfy the constraints and leave the buses
// balanced, the failure named by chip and row (the STARK's verification says only that
// something failed).
func checkPaddedWitness(t *testing.T, r *run, what string, minLogN []int) {
	t.Helper()
	ev := collect(r.st.Program, r.recs)
	ev.inputLen, ev.input = r.st.InputLen, r.st.Input
	ev.hookStart = hook.IV()
	ev.minLogN = minLogN
	pubs := r.m.publicsOf(r.st, r.recs, ev)
	if err := r.m.padTo(r.keys, ev); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var tables []chiptest.Table
	for i, c := range r.m.chips {
		var main [][]field.Elem
		var err error
		if c.name == "cpu" {
			main = cpuTrace(r.recs, ev)
		} else if main, err = c.trace(ev); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if main == nil {
			continue
		}
		if minLogN[i] > 0 && len(main[0]) < 1<<minLogN[i] {
			t.Fatalf("%s: table %s has %d rows, asked 2^%d", what, c.name, len(main[0]), minLogN[i])
		}
		var prep [][]field.Elem
		if c.prep != nil {
			prep = c.prep(r.st.Program)
		}
		tables = append(tables, chiptest.Table{AIR: c.air, Main: main, Prep: prep, Publics: pubs[i]})
	}
	if err := chiptest.Check(tables, messagesOf(r.st, r.recs, ev)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestPadShapes raises every paddable table 1 and 2 log steps above its natural height,
// then forces every optional table present (the hook table of a run with no hook call
// excepted: refused), for programs that together reach every chip.
func TestPadShapes(t *testing.T) {
	reached := map[string]bool{}
	for _, c := range padCases(t) {
		r := c.r
		names := r.m.Tables()
		natural := mustProveWhole(t, r, nil)
		if err := r.m.Verify(r.keys.VK, r.st, natural); err != nil {
			t.Fatalf("%s natural: %v", c.name, err)
		}
		nat := natural.Proof.LogN
		for i, l := range nat {
			if l != stark.Absent {
				reached[names[i]] = true
			}
		}
		for _, d := range []int{1, 2} {
			minLogN := make([]int, len(nat))
			want := slices.Clone(nat)
			for i := range nat {
				if paddable(r, nat, i) {
					minLogN[i] = nat[i] + d
					want[i] = nat[i] + d
				}
			}
			what := fmt.Sprintf("%s +%d", c.name, d)
			if d == 2 {
				checkPaddedWitness(t, r, what, minLogN)
			}
			padded := checkShape(t, r, what, minLogN, want, natural)
			if bytes.Equal(padded.Encode(), natural.Encode()) {
				t.Fatalf("%s +%d: the padded proof is the natural one", c.name, d)
			}
		}
		// The optional tables left out, forced present (all padding): the byte tables
		// at their fixed height, the others at 2^6 (the SHA-256 round table's least:
		// one padding block of 64 rows).
		minLogN := make([]int, len(nat))
		want := slices.Clone(nat)
		forced := 0
		for i := range nat {
			if nat[i] != stark.Absent || !r.keys.VK.Optional[i] || names[i] == "hook" {
				continue
			}
			minLogN[i] = 6
			if p := r.keys.VK.PrepLogN[i]; p >= 0 {
				minLogN[i] = p
			}
			want[i] = minLogN[i]
			forced++
		}
		if forced > 0 {
			checkPaddedWitness(t, r, c.name+" forced present", minLogN)
			checkShape(t, r, c.name+" forced present", minLogN, want, natural)
		}
		t.Logf("%s: %d cycles, natural heights %v, %d optional tables forced present", c.name, r.st.Cycles, nat, forced)
	}
	for _, n := range New(nil).Tables() {
		if !reached[n] {
			t.Errorf("no program reaches table %s with rows", n)
		}
	}
}

// TestPadBelowNatural: minimums at or below the natural heights change nothing (the
// same proof, byte for byte).
func TestPadBelowNatural(t *testing.T) {
	r := newRun(t, segmented, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40})
	natural := mustProveWhole(t, r, nil)
	nat := natural.Proof.LogN
	for _, d := range []int{0, -1, -5} {
		minLogN := make([]int, len(nat))
		for i, l := range nat {
			if l != stark.Absent && r.keys.VK.PrepLogN[i] < 0 {
				minLogN[i] = l + d
			}
		}
		sp := mustProveWhole(t, r, minLogN)
		if !bytes.Equal(sp.Encode(), natural.Encode()) {
			t.Fatalf("minimums %v (natural %+d): another proof (heights %v, natural %v)", minLogN, d, sp.Proof.LogN, nat)
		}
	}
}

// TestPadSegments proves a run in segments, each padded to one shape (every paddable
// table at the tallest natural height any segment has, plus one): they link and verify.
func TestPadSegments(t *testing.T) {
	r := newRun(t, segmented, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40})
	r.st.Context = hash.Tagged("test/context", r.st.Input)
	const size = 50
	natural := proveSegments(t, r, size)
	shape := make([]int, len(natural[0].Proof.LogN))
	for _, sp := range natural {
		for i, l := range sp.Proof.LogN {
			if l != stark.Absent && r.keys.VK.PrepLogN[i] < 0 {
				shape[i] = max(shape[i], l+1)
			}
		}
	}
	segs := proveSegmentsMin(t, r, size, shape)
	for k, sp := range segs {
		for i, l := range sp.Proof.LogN {
			if shape[i] > 0 && l != shape[i] {
				t.Fatalf("segment %d: table %d has height 2^%d, asked 2^%d", k, i, l, shape[i])
			}
		}
		if !reflect.DeepEqual(sp.State, natural[k].State) {
			t.Fatalf("segment %d: the padded proof claims another state", k)
		}
	}
	if err := r.m.VerifySegments(r.keys.VK, r.st, segs); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d segments of shape %v", len(segs), shape)
}

// TestPadRefused: minimums that cannot be met are refused, naming the table.
func TestPadRefused(t *testing.T) {
	r := newRun(t, segmented, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40})
	names := r.m.Tables()
	at := func(name string) int {
		for i, n := range names {
			if n == name {
				return i
			}
		}
		t.Fatalf("no table %s", name)
		return -1
	}
	prep := r.keys.VK.PrepLogN
	maxLog := 0
	for 1<<(maxLog+1) <= r.m.maxRows() {
		maxLog++
	}
	byteTable := bytetable.Name(bytetable.Ops[0])
	for _, c := range []struct {
		what  string
		table string
		log   int
		want  string
	}{
		{"the ROM above its fixed height", "rom", prep[at("rom")] + 1, "table rom has preprocessed columns"},
		{"the range table above its fixed height", "range", prep[at("range")] + 1, "table range has preprocessed columns"},
		{"a byte table below its fixed height", byteTable, prep[at(byteTable)] - 1, "table " + byteTable + " has preprocessed columns"},
		{"the hook table of a run without hook calls", "hook", 2, "table hook"},
		{"the CPU past the tallest table", "cpu", maxLog + 1, "table cpu: a minimum height"},
		{"the memory table past the tallest table", "memory", 40, "table memory: a minimum height"},
	} {
		minLogN := make([]int, len(names))
		minLogN[at(c.table)] = c.log
		_, err := proveWhole(r, minLogN)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Fatalf("%s: %v (want an error with %q)", c.what, err, c.want)
		}
		t.Logf("%s: %v", c.what, err)
	}
	if _, err := proveWhole(r, make([]int, len(names)-1)); err == nil || !strings.Contains(err.Error(), "minimum table heights") {
		t.Fatalf("minimums for too few tables: %v", err)
	}
	// A fixed table asked at its own height is no padding: accepted.
	minLogN := make([]int, len(names))
	minLogN[at("range")] = prep[at("range")]
	if _, err := proveWhole(r, minLogN); err != nil {
		t.Fatalf("the range table at its own height: %v", err)
	}
}
