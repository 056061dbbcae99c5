package output

// Cheating provers against the output table. Each builds a false witness whose tables
// are committed consistently (the sponge states, the poseidon2 table, the range table's
// counts and the end state made public are recomputed over the forged rows by
// responge), keeps every bus balanced but the one it attacks (the stand-in for the I/O
// chip sends what the forged table receives, unless the test is about what the I/O chip
// sends), and asserts that airtest names what refuses it and (for one instance of each
// kind) that the verifier rejects its proof. Where a polynomial constraint refuses the
// forgery, the test also deletes that constraint and checks that the same witness then
// satisfies every table and bus: the constraint is needed. TestDeletionScan deletes
// every constraint and interaction of the AIR in turn and checks that some witness here
// (an honest one, or a forgery) tells the mutant apart.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

func skipSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// responge makes the tables consistent again after a forger changed the output table's
// rows: it runs the sponge as the constraints read the rows (row r adds its limbs to its
// state; perm = absorb − last·post[15] copies of the sum go to permutation r + 1, whose
// output is row r + 1's state, fresh = perm; else, where last·post[15] ≠ 0, row r + 1's
// state is the sum), rebuilds the poseidon2 table from those calls, makes the final
// row's state the public end state, and recounts the range table from the byte columns
// (leaving out the lookups named in skip).
func responge(tb []chiptest.Table, skip map[string]bool) {
	main, pub := tb[0].Main, tb[0].Publics
	n := len(main[0])
	post15 := pub[PublicPost+BlockBytes-1]
	var calls []poseidon2.Call
	// The rows in the order of k (the row order, unless a forger reordered them): row
	// r's permutation is id k + 1, whose output the row of k + 1 holds.
	byK := map[uint64]int{}
	for r := range n {
		byK[main[col.K.Index][r].Uint64()] = r
	}
	r := 0
	for range n {
		k := main[col.K.Index][r].Uint64()
		next, ok := byK[k+1]
		if !ok {
			break
		}
		var s State
		for i := range s {
			s[i] = main[col.State[i].Index][r]
		}
		for i := range Rate {
			lo, hi := main[col.Byte[2*i].Index][r], main[col.Byte[2*i+1].Index][r]
			c := field.New(256)
			hi.Mul(&hi, &c)
			s[i].Add(&s[i], &lo)
			s[i].Add(&s[i], &hi)
		}
		ab, last := main[col.Absorb.Index][r], main[col.Last.Index][r]
		var carry, perm field.Elem
		carry.Mul(&last, &post15)
		perm.Sub(&ab, &carry)
		main[col.Fresh.Index][next] = perm
		switch {
		case !perm.IsZero():
			for range perm.Uint64() {
				calls = append(calls, poseidon2.Call{Dom: Dom, ID: uint32(k + 1), In: s})
			}
			hash.Permute(&s)
			fallthrough
		case !carry.IsZero():
			for i := range s {
				main[col.State[i].Index][next] = s[i]
			}
		}
		r = next
	}
	for r := range n {
		if !main[col.Final.Index][r].IsZero() {
			for i := range hash.Width {
				pub[PublicEnd+i] = main[col.State[i].Index][r]
			}
		}
	}
	tb[1].Main = poseidon2.Trace(calls)
	rc := new(rangetable.Counter)
	for j := range BlockBytes {
		if skip[fmt.Sprintf("byte%d_range", j)] {
			continue
		}
		for _, x := range main[col.Byte[j].Index] {
			rc.U8(uint32(x.Uint64()))
		}
	}
	tb[2] = chiptest.RangeTable(rc)
}

// forgery is a cheating prover: build returns its tables (the output table's AIR less
// the names in skip) and the public messages; want is what airtest must name in
// refusing it (constraints, or a bus's unbalanced interaction); deleting the
// constraints or interactions del (when there are any) makes it pass; prove asks the
// verifier to reject it too.
type forgery struct {
	what  string
	build func(skip map[string]bool) ([]chiptest.Table, []lookup.Message)
	want  []string
	del   []string
	prove bool
}

var out = bytesN(200, 11)

// tamper is a forgery of the segment g: edit changes the honest table's rows (and may
// return messages to use instead of the honest I/O chip's), then responge.
func tamper(g segment, edit func(main [][]field.Elem) []lookup.Message) func(map[string]bool) ([]chiptest.Table, []lookup.Message) {
	return func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
		tb := g.tables(skip)
		m := edit(tb[0].Main)
		if m == nil {
			m = g.messages()
		}
		responge(tb, skip)
		return tb, m
	}
}

// messagesOf stand for an I/O chip that sends exactly what the forged table receives:
// (Base + 16k + j, byte) for each absorbing row k and byte j that the row's
// multiplicity absorb − first·pre[j] − last·post[j] does not mask, as many times.
func messagesOf(main [][]field.Elem, pub []field.Elem) []lookup.Message {
	var m []lookup.Message
	base := pub[PublicBase].Uint64()
	for r := range len(main[0]) {
		for j := range BlockBytes {
			var mult, t field.Elem
			mult = main[col.Absorb.Index][r]
			t.Mul(&main[col.First.Index][r], &pub[PublicPre+j])
			mult.Sub(&mult, &t)
			t.Mul(&main[col.Last.Index][r], &pub[PublicPost+j])
			mult.Sub(&mult, &t)
			for range mult.Uint64() {
				q := base + BlockBytes*main[col.K.Index][r].Uint64() + uint64(j)
				m = append(m, send(q, main[col.Byte[j].Index][r]))
			}
		}
	}
	return m
}

// free is a forgery of g whose stand-in I/O chip sends whatever the forged table
// receives (the attack is on what the table receives, not on a byte's value).
func free(g segment, edit func(main [][]field.Elem, pub []field.Elem)) func(map[string]bool) ([]chiptest.Table, []lookup.Message) {
	return func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
		tb := g.tables(skip)
		edit(tb[0].Main, tb[0].Publics)
		responge(tb, skip)
		return tb, messagesOf(tb[0].Main, tb[0].Publics)
	}
}

// sweep is 0 … n−1, or with -short its ends only (the deletion scan, which needs every
// member of a family, is skipped then).
func sweep(n int) []int {
	if testing.Short() {
		return []int{0, n - 1}
	}
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func setCol(main [][]field.Elem, c int, r int, v int64) { main[c][r] = field.NewInt(v) }

func forgeries() []forgery {
	var fs []forgery
	add := func(f forgery) { fs = append(fs, f) }

	// A byte absorbed that is not the one the I/O chip sends: byte 19 of the share
	// [5, 40) flipped in the table, the sponge and the end state recomputed over it. The
	// row's receive of (19, forged) has no sender.
	add(forgery{"a byte absorbed differs from the one received",
		tamper(segment{out, 5, 40}, func(main [][]field.Elem) []lookup.Message {
			c := main[col.Byte[3].Index]
			c[1] = field.New(c[1].Uint64() ^ 1)
			return nil
		}), []string{`output row 1 "byte3"`}, nil, true})

	// A position skipped: first = 1 on row 1 of [5, 40) masks positions 16 … 20 there
	// (pre[0 … 4]); the table absorbs zeros for them and the I/O chip's stand-in does not
	// send them. first_next refuses it.
	add(forgery{"positions skipped (first set on a later row)",
		free(segment{out, 5, 40}, func(main [][]field.Elem, pub []field.Elem) {
			setCol(main, col.First.Index, 1, 1)
			for j := range 5 {
				setCol(main, col.Byte[j].Index, 1, 0)
			}
		}), []string{"first_next"}, []string{"first_next"}, true})

	// A position before outStart received: first = 0 on row 0 of [5, 40), so positions
	// 0 … 4 (the previous segment's, already in the start state) are received and
	// absorbed again.
	add(forgery{"positions before outStart absorbed again (first unset on row 0)",
		free(segment{out, 5, 40}, func(main [][]field.Elem, pub []field.Elem) {
			setCol(main, col.First.Index, 0, 0)
			for j := range 5 {
				setCol(main, col.Byte[j].Index, 0, int64(out[j]))
			}
		}), []string{"first_first"}, []string{"first_first"}, false})

	// A block received twice: absorb = 2 on the last absorbing row of [0, 32) (a whole
	// block, so the row permutes twice under one id and the poseidon2 table answers both;
	// last = 2 there and final = 2 on the next row keep the masks and the end state
	// consistent). final_next and last_next each refuse it (absorb − absorb_next = −1 on
	// row 0); with both deleted it passes.
	add(forgery{"the last block received twice (absorb = 2)",
		free(segment{out, 0, 32}, func(main [][]field.Elem, pub []field.Elem) {
			setCol(main, col.Absorb.Index, 1, 2)
			setCol(main, col.Last.Index, 1, 2)
			setCol(main, col.Final.Index, 2, 2)
		}), []string{"final_next", "last_next"}, []string{"final_next", "last_next"}, true})

	// A byte past outEnd absorbed: byte 42 in the last block of [5, 40) set to 7 (the
	// I/O chip sends nothing there). masked10 (last·post[10]·byte = 0) refuses it.
	add(forgery{"a byte past outEnd absorbed",
		tamper(segment{out, 5, 40}, func(main [][]field.Elem) []lookup.Message {
			setCol(main, col.Byte[10].Index, 2, 7)
			return nil
		}), []string{"masked10"}, []string{"masked10"}, true})
	// Every mask: byte j of the first block before outStart (j < 15), byte 15 of the last
	// block past outEnd.
	for _, j := range sweep(BlockBytes) {
		g := segment{out, 17 + uint32(j), 60}
		r := 0
		if j == BlockBytes-1 {
			g, r = segment{out, 5, 47}, 2
		}
		add(forgery{fmt.Sprintf("a masked byte %d absorbed", j),
			tamper(g, func(main [][]field.Elem) []lookup.Message {
				setCol(main, col.Byte[j].Index, r, 9)
				return nil
			}), []string{fmt.Sprintf("masked%d", j)}, []string{fmt.Sprintf("masked%d", j)}, false})
	}

	// A non-byte: bytes 2, 3 of [0, 21) as (x + 256, y − 1), the same limb, so the same
	// sponge and end state; the stand-in sends the forged values. The U8 lookup of
	// byte 2 has no receiver in the range table.
	add(forgery{"a non-byte value (the same limb as two bytes)",
		free(segment{out, 0, 21}, func(main [][]field.Elem, pub []field.Elem) {
			setCol(main, col.Byte[2].Index, 0, int64(out[2])+256)
			setCol(main, col.Byte[3].Index, 0, int64(out[3])-1)
		}), []string{`output row 0 "byte2_range"`}, []string{"byte2_range"}, true})
	for _, j := range sweep(BlockBytes) {
		add(forgery{fmt.Sprintf("a non-byte value in byte %d", j),
			free(segment{out, 0, 21}, func(main [][]field.Elem, pub []field.Elem) {
				setCol(main, col.Byte[j].Index, 0, int64(out[j])+256)
			}), []string{fmt.Sprintf("output row 0 \"byte%d_range\"", j)}, []string{fmt.Sprintf("byte%d_range", j)}, false})
	}

	// A forged sponge step: the final state of [0, 32) (a permutation's output) replaced,
	// and made the public end state; the poseidon2 table answers honestly, so the final
	// row's receive of (out, 5, 2, forged) has no sender.
	forgeEnd := func(g segment, row func(main [][]field.Elem) int, edit func(tb []chiptest.Table)) func(map[string]bool) ([]chiptest.Table, []lookup.Message) {
		return func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			tb := g.tables(skip)
			r := row(tb[0].Main)
			for i := range hash.Width {
				setCol(tb[0].Main, col.State[i].Index, r, int64(1000+i))
				tb[0].Publics[PublicEnd+i] = field.New(uint64(1000 + i))
			}
			if edit != nil {
				edit(tb)
			}
			return tb, g.messages()
		}
	}
	finalRow := func(main [][]field.Elem) int {
		for r := range main[0] {
			if main[col.Final.Index][r].IsOne() {
				return r
			}
		}
		panic("no final row")
	}
	add(forgery{"a final state that is no permutation's output",
		forgeEnd(segment{out, 0, 32}, finalRow, nil), []string{`output row 2 "state"`}, nil, true})
	// The same with the poseidon2 row of call 2 claiming the forged output: its round
	// constraints refuse it.
	add(forgery{"a poseidon2 row whose output is forged to match",
		forgeEnd(segment{out, 0, 32}, finalRow, func(tb []chiptest.Table) {
			full5 := poseidon2.NumColumns - poseidon2.PartialRounds - poseidon2.Width
			for i := range hash.Width {
				tb[1].Main[full5+i][1] = field.New(uint64(1000 + i))
			}
		}), []string{`"full5[0]"`}, nil, true})
	// A forged carry: [0, 21) ends mid-block, so the final state is the last row's state
	// plus its limbs; forged, carry[i] refuses it, for every element.
	add(forgery{"a final state that is not the last row's sum",
		forgeEnd(segment{out, 0, 21}, finalRow, nil), []string{"carry[0]"}, nil, true})
	for _, i := range sweep(hash.Width) {
		add(forgery{fmt.Sprintf("a final state forged in element %d", i),
			func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
				g := segment{out, 0, 21}
				tb := g.tables(skip)
				one := field.New(1)
				v := &tb[0].Main[col.State[i].Index][Blocks(g.from, g.to)]
				v.Add(v, &one)
				e := &tb[0].Publics[PublicEnd+i]
				e.Add(e, &one)
				return tb, g.messages()
			}, []string{fmt.Sprintf("carry[%d]", i)}, []string{fmt.Sprintf("carry[%d]", i)}, false})
	}

	// The shape. Each of these tables absorbs other positions than the share's, or
	// leaves its end state unconstrained; the stand-in I/O chip sends what it receives.
	// k_first: the rows of [5, 40) as k = 1, 2 with the final row at k = 3 = blocks:
	// the table receives [21, 40) only (the first block skipped, and block 1 masked as if
	// it were the first).
	add(forgery{"k shifted by one (the first block skipped)",
		free(segment{out, 5, 40}, func(main [][]field.Elem, pub []field.Elem) {
			for r := range main[0] {
				setCol(main, col.K.Index, r, int64(r+1))
			}
			setCol(main, col.Absorb.Index, 2, 0)
			setCol(main, col.Last.Index, 2, 0)
			setCol(main, col.Last.Index, 1, 1)
			setCol(main, col.Final.Index, 3, 0)
			setCol(main, col.Final.Index, 2, 1)
			for j := 8; j < BlockBytes; j++ {
				setCol(main, col.Byte[j].Index, 1, 0)
			}
		}), []string{"k_first"}, []string{"k_first"}, false})
	// k_next: rows 1 and 2 of [0, 48) swapped (their k and bytes: k = 0, 2, 1, 3; the
	// row flags stay). The sponge follows k
	// (the permutations' ids), so this table proves the honest statement: k_next is
	// what makes k the row index, which the range argument uses.
	add(forgery{"rows out of order",
		free(segment{out, 0, 48}, func(main [][]field.Elem, pub []field.Elem) {
			cs := append([]int{col.K.Index}, col.Byte[0].Index)
			for j := 1; j < BlockBytes; j++ {
				cs = append(cs, col.Byte[j].Index)
			}
			for _, c := range cs {
				main[c][1], main[c][2] = main[c][2], main[c][1]
			}
		}), []string{"k_next"}, []string{"k_next"}, false})
	// final_at_blocks: the table of [0, 48) claimed as the share [0, 32): a block past
	// outEnd received and absorbed.
	add(forgery{"a block past outEnd absorbed",
		func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			g := segment{out, 0, 48}
			tb := g.tables(skip)
			tb[0].Publics = Publics(0, 32, g.start(), IV())
			responge(tb, skip)
			return tb, g.messages()
		}, []string{"final_at_blocks"}, []string{"final_at_blocks"}, true})
	// absorb_last: every row of [0, 21)'s table absorbs (4 rows, last on row 3, so its
	// partial block is not permuted), and no row is final: the end state is free.
	add(forgery{"no final row (every row absorbs)",
		free(segment{out, 0, 21}, func(main [][]field.Elem, pub []field.Elem) {
			for r := range 4 {
				setCol(main, col.Absorb.Index, r, 1)
				setCol(main, col.Last.Index, r, 0)
				setCol(main, col.Final.Index, r, 0)
			}
			setCol(main, col.Last.Index, 3, 1)
			for j := 5; j < BlockBytes; j++ {
				setCol(main, col.Byte[j].Index, 3, 0)
			}
			pub[PublicEnd] = field.New(77)
		}), []string{"absorb_last"}, []string{"absorb_last"}, false})
	// final_first: the empty share [37, 37) with no final row: end ≠ start.
	add(forgery{"an empty share without a final row",
		func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			g := segment{out, 37, 37}
			tb := g.tables(skip)
			setCol(tb[0].Main, col.Final.Index, 0, 0)
			tb[0].Publics[PublicEnd] = field.New(77)
			return tb, nil
		}, []string{"final_first"}, []string{"final_first"}, false})
	// final_next: [0, 21) with its final row unmarked: the end state is free.
	add(forgery{"the final row unmarked",
		func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			g := segment{out, 0, 21}
			tb := g.tables(skip)
			setCol(tb[0].Main, col.Final.Index, 2, 0)
			tb[0].Publics[PublicEnd] = field.New(77)
			return tb, g.messages()
		}, []string{"final_next"}, []string{"final_next"}, false})
	// last_next: [0, 21)'s last absorbing row unmarked: its bytes past outEnd are
	// received and its partial block permuted.
	add(forgery{"the last absorbing row unmarked",
		free(segment{out, 0, 21}, func(main [][]field.Elem, pub []field.Elem) {
			setCol(main, col.Last.Index, 1, 0)
			setCol(main, col.Byte[9].Index, 1, 3)
		}), []string{"last_next"}, []string{"last_next"}, false})

	// fresh, constrained by the bus alone. Unset on row 1 of [0, 32), whose state the
	// forger then chooses (the sponge run on from it): the poseidon2 chip's answer to
	// row 0's permutation has no receiver.
	add(forgery{"fresh unset after a permutation, the state chosen",
		func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			g := segment{out, 0, 32}
			tb := g.tables(skip)
			main := tb[0].Main
			_, honest, _ := Trace(g.start(), g.from, g.share(), new(rangetable.Counter))
			setCol(main, col.Fresh.Index, 1, 0)
			var x State
			for i := range x {
				x[i] = field.New(uint64(500 + i))
				main[col.State[i].Index][1] = x[i]
			}
			for i := range Rate {
				v := field.New(uint64(g.share()[16+2*i]) + 256*uint64(g.share()[17+2*i]))
				x[i].Add(&x[i], &v)
			}
			calls := []poseidon2.Call{honest[0], {Dom: Dom, ID: 2, In: x}}
			hash.Permute(&x)
			for i := range x {
				main[col.State[i].Index][2] = x[i]
				tb[0].Publics[PublicEnd+i] = x[i]
			}
			tb[1].Main = poseidon2.Trace(calls)
			return tb, g.messages()
		}, []string{`poseidon2 row 0 "out"`}, nil, true})
	// fresh set on row 0: its receive of (out, 5, 0, start) has no sender (no row asks
	// for permutation 0).
	add(forgery{"fresh set on row 0",
		tamper(segment{out, 5, 40}, func(main [][]field.Elem) []lookup.Message {
			setCol(main, col.Fresh.Index, 0, 1)
			return nil
		}), []string{`output row 0 "state"`}, nil, false})
	// last set on the table's last row (a padding row of [0, 21), where post[15] = 1):
	// the row sends the Output tuples (48 + j, 0), j ≥ 5 (received here by public
	// messages) and receives the input of a permutation 4 that nobody sends.
	add(forgery{"last set on the table's last row",
		func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
			g := segment{out, 0, 21}
			tb := g.tables(skip)
			n := len(tb[0].Main[0]) - 1
			setCol(tb[0].Main, col.Last.Index, n, 1)
			m := g.messages()
			for j := 5; j < BlockBytes; j++ {
				r := send(uint64(BlockBytes*n+j), field.New(0))
				r.Send = false
				m = append(m, r)
			}
			return tb, m
		}, []string{fmt.Sprintf("output row %d \"absorb\"", 3)}, nil, false})

	// The public states: row 0's state is not start (the sponge run on from another
	// state, the end recomputed), or the end state made public is not the final row's
	// (a digest that does not match the public value), for every element.
	for _, i := range sweep(hash.Width) {
		add(forgery{fmt.Sprintf("another start state in element %d", i),
			tamper(segment{out, 5, 40}, func(main [][]field.Elem) []lookup.Message {
				v := &main[col.State[i].Index][0]
				one := field.New(1)
				v.Add(v, &one)
				return nil
			}), []string{fmt.Sprintf("start[%d]", i)}, []string{fmt.Sprintf("start[%d]", i)}, i == 0})
		add(forgery{fmt.Sprintf("a public end state that is not the final row's in element %d", i),
			func(skip map[string]bool) ([]chiptest.Table, []lookup.Message) {
				g := segment{out, 5, 40}
				tb := g.tables(skip)
				e := &tb[0].Publics[PublicEnd+i]
				one := field.New(1)
				e.Add(e, &one)
				return tb, g.messages()
			}, []string{fmt.Sprintf("end[%d]", i)}, []string{fmt.Sprintf("end[%d]", i)}, i == 0})
	}
	return fs
}

// refuse checks that airtest refuses tb naming want and, if prove, that the verifier
// rejects its proof.
func refuse(t *testing.T, what string, tb []chiptest.Table, m []lookup.Message, want []string, prove bool) {
	t.Helper()
	err := chiptest.Check(tb, m)
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("%s: airtest's refusal does not name %s: %v", what, w, err)
		}
	}
	if prove {
		chiptest.MustReject(t, what, tb, m)
	}
}

func TestForgeries(t *testing.T) {
	for _, f := range forgeries() {
		tb, m := f.build(nil)
		refuse(t, f.what, tb, m, f.want, f.prove)
		if f.del != nil {
			tb, m := f.build(skipSet(f.del...))
			if err := chiptest.Check(tb, m); err != nil {
				t.Errorf("%s: without %s the forgery is still refused: %v", f.what, f.del, err)
			}
		}
	}
}

// TestDeletionScan deletes each constraint and interaction of the AIR in turn: the
// mutant is told apart when a forgery above that it alone refuses satisfies the AIR
// without it (TestForgeries checks that the full AIR refuses each), or, for an
// interaction, when an honest witness no longer satisfies it (its bus is left
// unbalanced).
func TestDeletionScan(t *testing.T) {
	if testing.Short() {
		t.Skip("the scan needs every forgery of each family")
	}
	a := AIR()
	fs := forgeries()
	tellApart := func(name string, honest bool) string {
		skip := skipSet(name)
		for _, f := range fs {
			if len(f.del) != 1 || f.del[0] != name {
				continue
			}
			if tb, m := f.build(skip); chiptest.Check(tb, m) == nil {
				return "the forgery " + f.what
			}
		}
		if honest {
			for _, g := range []segment{{out, 5, 40}, {out, 0, 32}, {out, 0, 0}} {
				if chiptest.Check(g.tables(skip), g.messages()) != nil {
					return fmt.Sprintf("the honest share [%d, %d)", g.from, g.to)
				}
			}
		}
		return ""
	}
	for _, c := range a.Constraints {
		if by := tellApart(c.Name, false); by == "" {
			t.Errorf("deleting constraint %q goes unnoticed", c.Name)
		} else if testing.Verbose() {
			t.Logf("constraint %q: %s", c.Name, by)
		}
	}
	for _, it := range a.Interactions {
		if by := tellApart(it.Name, true); by == "" {
			t.Errorf("deleting interaction %q goes unnoticed", it.Name)
		} else if testing.Verbose() {
			t.Logf("interaction %q: %s", it.Name, by)
		}
	}
}
