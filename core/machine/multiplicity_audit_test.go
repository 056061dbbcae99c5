package machine

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// The multiplicity audit: every interaction of every table of the standard machine, its
// multiplicity expression classified by what the AIR proves about it on every row. The
// LogUp engine (stark.CheckBuses) bounds the number of message slots on a bus below p,
// which is what soundness needs only where each slot's multiplicity is 0 or 1 or fixed
// by the key; a multiplicity the prover picks freely can be p − 1 = −1 and un-send a
// message (an extra memory write, an ALU request no chip answers, a range check of an
// out-of-range value cancelled). That is sound only on the answering side of a lookup
// (a table's count column, its tuples fixed), so every free multiplicity must be on the
// allowlist below with its reason, and a new one fails the test.
//
// The analysis (multAudit) reads the expression graph: linear forms over columns and
// products; facts from the constraints that hold on every row (x·(1 − x) = 0,
// x² − x = 0, linear identities, products A·B = 0, the is-zero gadget d·(1 − nz) = 0
// with nz = d·inv); and it proves a multiplicity in {0, 1} as a boolean column or its
// complement, a product of boolean factors, or a sum of 0/1 terms each below a disjoint
// part of a one-hot family (boolean columns whose sum is boolean, so as integers below p
// at most one of them is 1). First-row, last-row and transition constraints prove
// nothing per row: a multiplicity boolean only through them is listed in
// boolByArgument, with its argument and a cheating prover.

// multKind is what the AIR proves about a multiplicity expression on every row.
type multKind int

const (
	multConst  multKind = iota // a constant or the table's public values only
	multPrep                   // preprocessed columns (and constants) only: fixed by the key
	multBool                   // reads main columns; the per-row constraints force it into {0, 1}
	multArgued                 // boolean by an argument beyond the per-row constraints (boolByArgument)
	multFree                   // reads main columns the constraints leave free
)

func (k multKind) String() string {
	return [...]string{"constant", "preprocessed", "boolean", "boolean*", "FREE"}[k]
}

// freeAllowed lists the free multiplicities, by "table/interaction", that are sound
// because they are on the answering side of a lookup. The test checks that on each such
// bus every other interaction is a querier (the other direction, multiplicity 0/1 or
// fixed) and that the answering side's tuple is fixed by the key (or listed in
// boundTuples).
var freeAllowed = map[string]string{
	"rom/instruction":   "Program bus: the ROM's tuple (pc and decoded instruction) is preprocessed; the count answers the CPU's fetches (is_real, boolean). Padding rows (kind 0) match no fetch",
	"bytes_and/bitwise": "Bitwise bus: the AND table's (op, x, y, z) is preprocessed; its count answers boolean senders",
	"bytes_or/bitwise":  "Bitwise bus: the OR table's (op, x, y, z) is preprocessed; its count answers boolean senders",
	"bytes_xor/bitwise": "Bitwise bus: the XOR table's (op, x, y, z) is preprocessed; its count answers boolean senders",
	"range/u16":         "U16 bus: the range table's value is preprocessed (0 … 2^16 − 1); its count answers boolean or constant senders",
	"range/u12":         "U12 bus: value and is_u12 are preprocessed (is_u12 = 0 zeroes rows ≥ 2^12); its count answers boolean senders",
	"range/u8":          "U8 bus: value and is_u8 are preprocessed (is_u8 = 0 zeroes rows ≥ 2^8); its count answers boolean senders",
	"range/byte_pair":   "Bitwise bus (OpRange): (OpRange, hi, lo, 0) is preprocessed; its count answers boolean senders",
	"input/word0":       "Input bus: the input table's words answer the I/O chip's READs (is_read, boolean); the tuple is bound, see boundTuples",
	"input/word1":       "Input bus: as input/word0",
	"input/word2":       "Input bus: as input/word0",
	"input/word3":       "Input bus: as input/word0",
}

// boundTuples lists the answering sides among freeAllowed whose tuples read main
// columns: what binds the tuples instead of the key. A table side with prover-chosen
// tuples and free counts answers nothing (it could "receive" any tuple with +1 and send
// it back with −1).
var boundTuples = map[string]string{
	"input/word0": "(16k + 4j, lo_j, hi_j), k = r + first − 1: r is the row index (r_first, r_next), first the verifier's; the count is 0 off the carry and absorbing rows (mult_j·(1 − carry − absorb) = 0), an absorbing row's limbs enter the Poseidon2 sponge whose end state is public and the carry row's are the previous segment's last absorbed block (carry_in, carry_out; package input's Statement): the tuples with a nonzero count are the claimed input's words",
	"input/word1": "as input/word0",
	"input/word2": "as input/word0",
	"input/word3": "as input/word0",
}

// boolByArgument lists multiplicities boolean only by first-row, last-row or transition
// constraints, pinned to their expression: the argument, and the cheating prover that
// shows it is what protects them.
var boolByArgument = map[string]struct{ expr, why string }{
	"input/half_range": {"last", "last = final_next on every transition (final boolean on every row, so last ∈ {0, 1}) and last = 0 on the last row (last_last); TestInputHalfLimbMultiplicityForged un-sends the check with last = −1 on the last row and is rejected by last_last alone"},
	"output/absorb":    {"(absorb − last·pub:post[15])", outputArgument + " perm = absorb − last·post_15 is then 1 on absorbing rows whose block ends within the share and 0 elsewhere (on the table's last row post_15 = 1 asks for permutation n, which no row receives)"},
	"output/state":     {"fresh", "fresh is fixed by the Poseidon2 bus: only the output table sends KindIn under output.Dom, once per identifier k + 1 with perm ∈ {0, 1} (output/absorb), so the poseidon2 chip answers identifier k exactly perm_{k−1} times and row k's receive balances only with fresh = perm_{k−1} (core/chips/output doc, Constraints; TestForgeries' forged fresh flags)"},
}

// outputArgument is why the output table's selectors are 0/1 (core/chips/output's doc,
// Constraints, and its TestForgeries and TestDeletionScan): k is the row index (k = 0
// first, k_next = k + 1), final·(k − blocks) = 0, final_next = absorb − absorb_next,
// final = 1 − absorb on the first row and absorb = 0 on the last make absorb = [k <
// blocks] and final = [k = blocks]; first = [row 0]; last = absorb − absorb_next = [k =
// blocks − 1] off the last row.
const outputArgument = "absorb, first and last are 0/1 by the shape constraints (outputArgument);"

func init() {
	for j := range 16 {
		boolByArgument[fmt.Sprintf("output/byte%d", j)] = struct{ expr, why string }{
			fmt.Sprintf("(absorb − (first·pub:pre[%d] + last·pub:post[%d]))", j, j),
			outputArgument + " the verifier's masks pre_j and post_j are 0/1 and disjoint (a one-block share has outStart < outEnd), and pre is set only below the first block's outStart, post only in the last block, so absorb − first·pre_j − last·post_j ∈ {0, 1}: each position of the blocks is received once or masked (its byte then 0: masked_j); on the table's last row last is free, but post_j = 1 implies post_15 = 1 (post is a suffix), so a nonzero last·post_j asks for permutation n through output/absorb, which no row receives; TestForgeries' masked-byte and received-twice forgeries",
		}
	}
}

// auditRow is one interaction of the standard machine, classified.
type auditRow struct {
	table, name, bus string
	busID            uint32
	send             bool
	kind             multKind
	expr             string
	why              string // the rule that proves a boolean multiplicity
	tupleMain        bool   // some tuple element reads a main column
}

func (r auditRow) key() string { return r.table + "/" + r.name }

// auditTables classifies every interaction of the given tables.
func auditTables(tables []chip) []auditRow {
	var rows []auditRow
	for _, c := range tables {
		au := newMultAudit(c.air)
		for _, it := range c.air.Interactions {
			tm := false
			for _, e := range it.Tuple {
				tm = tm || au.reads(e, air.KindMain)
			}
			rows = append(rows, auditRow{table: c.name, name: it.Name, bus: it.Bus.Name, busID: it.Bus.ID, send: it.Send,
				kind: au.classify(it.Mult), expr: au.str(it.Mult, 0), why: au.why(it.Mult), tupleMain: tm})
		}
	}
	for i, r := range rows {
		if a, ok := boolByArgument[r.key()]; ok && r.kind == multFree && r.expr == a.expr {
			rows[i].kind = multArgued
		}
	}
	return rows
}

// auditErrors is what the audit refuses in rows.
func auditErrors(rows []auditRow) []string {
	var errs []string
	seen := map[string]bool{}
	answering := map[uint32][]auditRow{}
	for _, r := range rows {
		seen[r.key()] = true
		if r.kind != multFree {
			continue
		}
		if _, ok := freeAllowed[r.key()]; !ok {
			errs = append(errs, fmt.Sprintf("%s (bus %s): free multiplicity %s not on the allowlist: the prover can set it to −1 and un-send the tuple", r.key(), r.bus, r.expr))
			continue
		}
		answering[r.busID] = append(answering[r.busID], r)
		if r.tupleMain && boundTuples[r.key()] == "" {
			errs = append(errs, fmt.Sprintf("%s (bus %s): allowlisted as an answering side, but its tuple reads main columns: prover-chosen tuples with free counts answer nothing", r.key(), r.bus))
		}
	}
	for key, a := range boolByArgument {
		if !seen[key] {
			errs = append(errs, fmt.Sprintf("boolByArgument entry %s: no such interaction (stale entry)", key))
		}
		for _, r := range rows {
			if r.key() == key && r.kind != multArgued {
				errs = append(errs, fmt.Sprintf("boolByArgument entry %s: the multiplicity is now %s (%s), the argument was for %s: review it", key, r.expr, r.kind, a.expr))
			}
		}
	}
	// On a bus with an answering side, the answering sides face one way and every other
	// interaction (a querier, 0/1 or fixed) the other.
	for id, ans := range answering {
		for _, r := range rows {
			if r.busID != id || r.kind == multFree {
				continue
			}
			if r.send == ans[0].send {
				errs = append(errs, fmt.Sprintf("%s (bus %s): faces the same way as the answering side %s: it could cancel a querier's tuple", r.key(), r.bus, ans[0].key()))
			}
		}
		for _, a := range ans[1:] {
			if a.send != ans[0].send {
				errs = append(errs, fmt.Sprintf("bus %s: answering sides %s and %s face opposite ways: free counts could cancel each other's tuples", a.bus, a.key(), ans[0].key()))
			}
		}
	}
	return errs
}

// TestMultiplicityAudit classifies every interaction of the standard machine (the table
// goes to the log) and fails on a free multiplicity that is not an allowlisted answering
// side, on a stale allowlist entry, and on an answering side whose tuple is free or
// whose bus has another interaction facing its way.
func TestMultiplicityAudit(t *testing.T) {
	rows := auditTables(standard())
	counts := map[multKind]int{}
	for _, r := range rows {
		counts[r.kind]++
		dir := "recv"
		if r.send {
			dir = "send"
		}
		t.Logf("%-14s %-30s %-13s %s  %-12s  %-44s  %s", r.table, r.name, r.bus, dir, r.kind, r.why, r.expr)
	}
	for _, e := range auditErrors(rows) {
		t.Error(e)
	}
	for key := range freeAllowed {
		found := false
		for _, r := range rows {
			found = found || (r.key() == key && r.kind == multFree)
		}
		if !found {
			t.Errorf("allowlist entry %s: no such free multiplicity (stale entry)", key)
		}
	}
	for key := range boundTuples {
		if _, ok := freeAllowed[key]; !ok {
			t.Errorf("boundTuples entry %s is not an allowlisted answering side", key)
		}
	}
	t.Logf("%d interactions: %d constant, %d preprocessed, %d boolean, %d boolean by argument, %d free (%d allowlisted answering sides)",
		len(rows), counts[multConst], counts[multPrep], counts[multBool], counts[multArgued], counts[multFree], len(freeAllowed))
	for _, k := range slices.Sorted(maps.Keys(freeAllowed)) {
		t.Logf("allowed: %s: %s", k, freeAllowed[k])
	}
}

// TestMultiplicityAuditClassifier: the analysis on small AIRs, each multiplicity with
// the class it must get — the free ones above all, so that the audit cannot pass a
// multiplicity it has not proven.
func TestMultiplicityAuditClassifier(t *testing.T) {
	b := air.NewBuilder("t")
	x, y, z, w, u := b.Main("x"), b.Main("y"), b.Main("z"), b.Main("w"), b.Main("u")
	s1, s2, s3 := b.Main("s1"), b.Main("s2"), b.Main("s3") // one-hot
	cond := b.Main("cond")                                 // cond ⇒ s1
	d, inv, nz := b.Main("d"), b.Main("inv"), b.Main("nz") // nz = [d ≠ 0]
	nz2 := b.Main("nz2")                                   // nz2 = d·inv only
	g, gx := b.Main("g"), b.Main("gx")                     // gx boolean where g = 1
	tr := b.Main("tr")                                     // boolean by transition only
	sum := b.Main("sum")                                   // sum = s1 + s2
	c1, c2 := b.Main("c1"), b.Main("c2")                   // c1 + c2 = s1 + s2
	free := b.Main("free")
	pre := b.Preprocessed("pre")
	pub := b.Public("pub")
	for _, c := range []air.Column{x, y, z, s1, s2, s3, cond, g, c1, c2} {
		b.AssertBool(c.Name+"_bool", c.Cur)
	}
	b.Assert("w_square", w.Cur.Mul(w.Cur).Sub(w.Cur))
	b.Assert("xz_excl", x.Cur.Mul(z.Cur))
	b.AssertBool("one_hot", b.Sum(s1.Cur, s2.Cur, s3.Cur))
	b.Assert("cond_implies", cond.Cur.Mul(s1.Cur.OneMinus()))
	b.AssertEq("nz_inv", nz.Cur, d.Cur.Mul(inv.Cur))
	b.Assert("nz_one", d.Cur.Mul(nz.Cur.OneMinus()))
	b.AssertEq("nz2_inv", nz2.Cur, d.Cur.Mul(inv.Cur).AddC(1))
	b.Assert("gx_gated", g.Cur.Mul(gx.Cur.Mul(gx.Cur.OneMinus())))
	b.AssertTransition("tr_next", tr.Cur.Sub(x.Cur).Add(x.Next))
	b.AssertEq("sum", sum.Cur, s1.Cur.Add(s2.Cur))
	b.AssertEq("c_sum", c1.Cur.Add(c2.Cur), s1.Cur.Add(s2.Cur))
	b.AssertEq("u_diff", u.Cur, x.Cur.Sub(y.Cur))
	want := map[string]multKind{}
	n := 0
	send := func(k multKind, m air.Expr) {
		n++
		name := fmt.Sprint("m", n)
		b.Send(name, air.Bus{ID: 100, Name: "t"}, []air.Expr{x.Cur}, m)
		want[name] = k
	}
	send(multConst, b.Const(1))
	send(multConst, pub)
	send(multPrep, pre.Cur)
	send(multFree, pre.Cur.Mul(free.Cur))
	send(multFree, free.Cur)
	send(multBool, x.Cur)
	send(multBool, x.Cur.OneMinus())
	send(multBool, w.Cur)
	send(multBool, x.Cur.Mul(y.Cur))
	send(multFree, x.Cur.Mul(free.Cur))
	send(multFree, x.Cur.Add(y.Cur))              // both may be 1
	send(multBool, x.Cur.Add(z.Cur))              // x·z = 0
	send(multFree, x.Cur.MulC(2))                 // 0 or 2
	send(multFree, x.Cur.Neg())                   // 0 or −1
	send(multBool, s1.Cur.Add(s3.Cur))            // part of a one-hot family
	send(multFree, s1.Cur.Add(s2.Cur).Add(x.Cur)) // x is outside the family
	send(multFree, s1.Cur.Add(s1.Cur))
	send(multBool, cond.Cur.Add(s2.Cur)) // cond ≤ s1
	send(multFree, cond.Cur.Add(s1.Cur)) // both 1 on one row
	send(multBool, nz.Cur)               // is-zero gadget
	send(multFree, nz2.Cur)              // d·inv + 1, unconstrained
	send(multFree, gx.Cur)               // boolean only where g = 1
	send(multFree, tr.Cur)               // a transition constraint only
	send(multBool, sum.Cur)              // equal to a one-hot part
	send(multBool, c1.Cur.Add(c2.Cur))   // equal to a one-hot part
	send(multBool, c1.Cur)               // and each part of it
	send(multFree, u.Cur)                // x − y ∈ {−1, 0, 1}
	send(multBool, s1.Cur.Mul(x.Cur).Add(s2.Cur.Mul(free.Cur).Mul(y.Cur).Mul(z.Cur).Mul(free.Cur.OneMinus()).Mul(b.Const(0)).Add(s2.Cur.Mul(y.Cur))))
	send(multFree, s1.Cur.Mul(x.Cur).Add(s1.Cur.Mul(y.Cur))) // both below s1: 0, 1 or 2
	a := b.MustBuild()
	au := newMultAudit(a)
	for _, it := range a.Interactions {
		if got := au.classify(it.Mult); got != want[it.Name] {
			t.Errorf("%s = %s: classified %s, want %s", it.Name, au.str(it.Mult, 0), got, want[it.Name])
		}
	}
	// The audit's refusals, on rows made up for them.
	row := func(table, name string, bus uint32, send bool, k multKind, tupleMain bool) auditRow {
		return auditRow{table: table, name: name, bus: "b", busID: bus, send: send, kind: k, expr: "e", tupleMain: tupleMain}
	}
	for _, c := range []struct {
		what string
		rows []auditRow
	}{
		{"a free multiplicity not allowlisted", []auditRow{row("cpu", "alu", 6, true, multFree, true)}},
		{"an answering side with main-column tuples", []auditRow{row("range", "u16", 3, false, multFree, true)}},
		{"a querier facing the answering side's way", []auditRow{row("range", "u16", 3, false, multFree, false), row("cpu", "x", 3, false, multBool, true)}},
	} {
		if errs := auditErrors(c.rows); len(errs) == 0 {
			t.Errorf("%s: the audit accepts it", c.what)
		}
	}
}

// ---- the expression-graph analysis ----

const modP = uint64(field.Modulus)

// linForm is a linear form over atoms (node ids of columns, public values and
// non-linear products), the constant term under key constKey; values canonical mod p.
type linForm map[int32]uint64

const constKey = int32(-1)

func (l linForm) key() string {
	ks := make([]int32, 0, len(l))
	for k := range l {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%d:%d,", k, l[k])
	}
	return b.String()
}

func addScaled(dst linForm, src linForm, c uint64) {
	for k, v := range src {
		s := (dst[k] + v*c%modP) % modP
		if s == 0 {
			delete(dst, k)
		} else {
			dst[k] = s
		}
	}
}

func invMod(a uint64) uint64 {
	r, b, e := uint64(1), a%modP, modP-2
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = r * b % modP
		}
		b = b * b % modP
	}
	return r
}

type multAudit struct {
	a         *air.AIR
	lins      map[int32]linForm
	boolForms map[string]linForm // linear forms the constraints force into {0, 1}
	boolAtoms map[int32]bool     // main columns the constraints force into {0, 1}
	implies   map[int32][]int32  // x ⇒ s: x·(1 − s) = 0 (x, s columns)
	zeros     []linForm          // linear forms the constraints force to 0 on every row
	products  []int32            // constraints A·B = 0, by the product's node
}

// maxAtoms bounds the linear forms the analysis keeps (the hash chips' big sums are
// no multiplicities).
const maxAtoms = 96

func newMultAudit(a *air.AIR) *multAudit {
	au := &multAudit{a: a, lins: map[int32]linForm{}, boolForms: map[string]linForm{}, boolAtoms: map[int32]bool{},
		implies: map[int32][]int32{}}
	for _, c := range a.Constraints {
		if c.Sel != air.EveryRow { // first, last and transition rows prove nothing per row
			continue
		}
		n := a.Nodes[c.Root]
		if n.Kind == air.KindMul {
			la, lb := au.lin(n.A), au.lin(n.B)
			if la != nil && lb != nil {
				s := linForm{}
				addScaled(s, la, 1)
				addScaled(s, lb, 1)
				if len(s) == 1 && s[constKey] == 1 { // x·(1 − x)
					au.addBool(la)
					au.addBool(lb)
				}
			}
		}
		if l := au.lin(c.Root); l != nil {
			au.zeros = append(au.zeros, l)
			au.squareFact(l)
			if len(l) == 1 {
				for k := range l {
					if k != constKey && a.Nodes[k].Kind == air.KindMul {
						au.products = append(au.products, k)
					}
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		mark := func(atom int32) {
			if !au.boolAtoms[atom] {
				au.boolAtoms[atom] = true
				changed = true
			}
		}
		addForm := func(l linForm) {
			if _, ok := au.boolForms[l.key()]; !ok && len(l) > 0 {
				au.addBool(l)
				changed = true
			}
		}
		// A·B = 0: x ⇒ s when B = 1 − s; two boolean columns x·y = 0 are exclusive
		// (x + y is boolean).
		for _, p := range au.products {
			n := a.Nodes[p]
			for _, ab := range [][2]int32{{n.A, n.B}, {n.B, n.A}} {
				x, y := au.single(ab[0]), au.single(ab[1])
				if x < 0 || !au.boolAtoms[x] {
					continue
				}
				if m := au.lin(ab[1]); m != nil && len(m) == 2 && m[constKey] == 1 {
					for s, v := range m {
						if s != constKey && v == modP-1 && !slices.Contains(au.implies[x], s) {
							au.implies[x] = append(au.implies[x], s)
							changed = true
						}
					}
				}
				if y >= 0 && au.boolAtoms[y] {
					addForm(linForm{x: 1, y: 1})
				}
			}
		}
		for _, z := range au.zeros {
			// atom = −rest/c, a boolean form.
			for atom, c := range z {
				if atom == constKey || au.boolAtoms[atom] || a.Nodes[atom].Kind != air.KindMain {
					continue
				}
				rest := linForm{}
				addScaled(rest, z, 1)
				delete(rest, atom)
				f := linForm{}
				addScaled(f, rest, (modP-invMod(c))%modP)
				if au.isBool(f, 0) || au.isZeroGadget(atom, z) {
					mark(atom)
				}
			}
			// P = N with P, N sums of columns: one boolean makes the other boolean.
			pos, neg, ok := linForm{}, linForm{}, true
			for k, v := range z {
				switch {
				case k == constKey:
					ok = false
				case v == 1:
					pos[k] = 1
				case v == modP-1:
					neg[k] = 1
				default:
					ok = false
				}
			}
			if ok && len(pos) > 0 && len(neg) > 0 {
				if au.isBool(neg, 0) {
					addForm(pos)
				}
				if au.isBool(pos, 0) {
					addForm(neg)
				}
			}
		}
	}
	return au
}

// single is the column (or product) a node is, −1 when it is a larger form.
func (au *multAudit) single(id int32) int32 {
	l := au.lin(id)
	if len(l) != 1 {
		return -1
	}
	for k, v := range l {
		if k != constKey && v == 1 {
			return k
		}
	}
	return -1
}

// isZeroGadget: z says nz = X·Y and a constraint says X·(1 − nz) = 0 (or Y·(1 − nz)):
// nz = 0 where X = 0, nz = 1 elsewhere.
func (au *multAudit) isZeroGadget(nz int32, z linForm) bool {
	if len(z) != 2 {
		return false
	}
	var m int32 = -1
	for k, v := range z {
		if k != nz && ((z[nz] == 1 && v == modP-1) || (z[nz] == modP-1 && v == 1)) {
			m = k
		}
	}
	if m < 0 || au.a.Nodes[m].Kind != air.KindMul {
		return false
	}
	xy := au.a.Nodes[m]
	for _, p := range au.products {
		n := au.a.Nodes[p]
		for _, ab := range [][2]int32{{n.A, n.B}, {n.B, n.A}} {
			one := au.lin(ab[1])
			if one == nil || len(one) != 2 || one[constKey] != 1 || one[nz] != modP-1 {
				continue
			}
			x := au.lin(ab[0])
			if x != nil && (x.key() == au.lin(xy.A).key() || x.key() == au.lin(xy.B).key()) {
				return true
			}
		}
	}
	return false
}

// squareFact recognizes x·x − x = 0 (or its negation).
func (au *multAudit) squareFact(l linForm) {
	for atom, c := range l {
		if atom == constKey {
			continue
		}
		n := au.a.Nodes[atom]
		if n.Kind != air.KindMul || n.A != n.B {
			continue
		}
		x := au.lin(n.A)
		if x == nil {
			continue
		}
		rest := linForm{}
		addScaled(rest, l, 1)
		delete(rest, atom)
		addScaled(rest, x, c) // c·x² − c·x: rest + c·x = 0
		if len(rest) == 0 {
			au.addBool(x)
		}
	}
}

func (au *multAudit) addBool(l linForm) {
	au.boolForms[l.key()] = l
	if len(l) == 1 {
		for k, v := range l {
			if k != constKey && v == 1 && au.a.Nodes[k].Kind == air.KindMain {
				au.boolAtoms[k] = true
			}
		}
	}
}

// lin is the linear form of node id (nil when too large).
func (au *multAudit) lin(id int32) linForm {
	if l, ok := au.lins[id]; ok {
		return l
	}
	n := au.a.Nodes[id]
	var l linForm
	switch n.Kind {
	case air.KindConst:
		l = linForm{}
		if v := n.Val.Uint64(); v != 0 {
			l[constKey] = v
		}
	case air.KindMain, air.KindPrep, air.KindPublic:
		l = linForm{id: 1}
	case air.KindAdd, air.KindSub:
		la, lb := au.lin(n.A), au.lin(n.B)
		if la != nil && lb != nil {
			l = linForm{}
			addScaled(l, la, 1)
			c := uint64(1)
			if n.Kind == air.KindSub {
				c = modP - 1
			}
			addScaled(l, lb, c)
		}
	case air.KindNeg:
		if la := au.lin(n.A); la != nil {
			l = linForm{}
			addScaled(l, la, modP-1)
		}
	case air.KindMul:
		na, nb := au.a.Nodes[n.A], au.a.Nodes[n.B]
		switch {
		case na.Kind == air.KindConst:
			if lb := au.lin(n.B); lb != nil {
				l = linForm{}
				addScaled(l, lb, na.Val.Uint64())
			}
		case nb.Kind == air.KindConst:
			if la := au.lin(n.A); la != nil {
				l = linForm{}
				addScaled(l, la, nb.Val.Uint64())
			}
		default:
			l = linForm{id: 1} // a non-linear atom
		}
	}
	if len(l) > maxAtoms {
		l = nil
	}
	au.lins[id] = l
	return l
}

// atomBool: a boolean column, or a product of boolean factors.
func (au *multAudit) atomBool(atom int32, depth int) bool {
	if au.boolAtoms[atom] {
		return true
	}
	n := au.a.Nodes[atom]
	if n.Kind != air.KindMul || depth > 8 {
		return false
	}
	la, lb := au.lin(n.A), au.lin(n.B)
	return la != nil && lb != nil && au.isBool(la, depth+1) && au.isBool(lb, depth+1)
}

// isBool reports whether the constraints force the linear form into {0, 1}.
func (au *multAudit) isBool(l linForm, depth int) bool {
	if len(l) == 0 {
		return true // 0
	}
	if len(l) == 1 && l[constKey] == 1 {
		return true
	}
	if _, ok := au.boolForms[l.key()]; ok {
		return true
	}
	if len(l) == 1 {
		for k, v := range l {
			if k != constKey && v == 1 && au.atomBool(k, depth) {
				return true
			}
		}
	}
	// 1 − l
	m := linForm{constKey: 1}
	addScaled(m, l, modP-1)
	if _, ok := au.boolForms[m.key()]; ok {
		return true
	}
	if len(m) == 1 {
		for k, v := range m {
			if k != constKey && v == 1 && au.atomBool(k, depth) {
				return true
			}
		}
	}
	// A sum of 0/1 terms, each below a disjoint part of a one-hot family G (boolean
	// columns whose sum is boolean: as integers below p, at most one is 1): the
	// integer sum is at most 1.
	if depth > 8 || !au.unitBoolSum(l, depth) {
		return false
	}
	for _, g := range au.boolForms {
		if !au.oneHot(g) {
			continue
		}
		if d := au.below(l, g, depth); d != nil {
			return true
		}
	}
	return false
}

// oneHot: g is a sum of boolean columns with coefficient 1 (and g is boolean).
func (au *multAudit) oneHot(g linForm) bool {
	for k, v := range g {
		if k == constKey || v != 1 || !au.boolAtoms[k] {
			return false
		}
	}
	return true
}

// below returns disjoint sets D(a) ⊆ supp(g), one per atom a of the unit sum l, with
// a ≤ Σ D(a) as integers; nil when it finds none.
func (au *multAudit) below(l, g linForm, depth int) map[int32]bool {
	used := map[int32]bool{}
	for a := range l {
		d := au.belowAtom(a, g, depth)
		if d == nil {
			return nil
		}
		for x := range d {
			if used[x] {
				return nil
			}
			used[x] = true
		}
	}
	return used
}

func (au *multAudit) belowAtom(a int32, g linForm, depth int) map[int32]bool {
	if _, ok := g[a]; ok {
		return map[int32]bool{a: true}
	}
	for _, s := range au.implies[a] {
		if _, ok := g[s]; ok {
			return map[int32]bool{s: true}
		}
	}
	n := au.a.Nodes[a]
	if n.Kind != air.KindMul || depth > 8 || !au.atomBool(a, depth) {
		return nil
	}
	for _, f := range []int32{n.A, n.B} { // A·B ≤ A and ≤ B
		if lf := au.lin(f); lf != nil && au.unitBoolSum(lf, depth+1) {
			if d := au.below(lf, g, depth+1); d != nil {
				return d
			}
		}
	}
	return nil
}

func (au *multAudit) unitBoolSum(l linForm, depth int) bool {
	for k, v := range l {
		if k == constKey || v != 1 || !au.atomBool(k, depth) {
			return false
		}
	}
	return true
}

// reads reports whether node id reads a column of the given kind.
func (au *multAudit) reads(id int32, kind air.Kind) bool {
	n := au.a.Nodes[id]
	switch n.Kind {
	case kind:
		return true
	case air.KindAdd, air.KindSub, air.KindMul:
		return au.reads(n.A, kind) || au.reads(n.B, kind)
	case air.KindNeg:
		return au.reads(n.A, kind)
	}
	return false
}

func (au *multAudit) classify(id int32) multKind {
	switch {
	case !au.reads(id, air.KindMain) && !au.reads(id, air.KindPrep):
		return multConst
	case !au.reads(id, air.KindMain):
		return multPrep
	}
	if l := au.lin(id); l != nil && au.isBool(l, 0) {
		return multBool
	}
	return multFree
}

// why names the rule that proves a boolean multiplicity ("" for the other kinds).
func (au *multAudit) why(id int32) string {
	if au.classify(id) != multBool {
		return ""
	}
	l := au.lin(id)
	if _, ok := au.boolForms[l.key()]; ok {
		if len(l) == 1 && au.a.Nodes[au.single(id)].Kind == air.KindMain {
			return "boolean column"
		}
		return "boolean sum (a constraint or an equality)"
	}
	if len(l) == 1 {
		for k := range l {
			switch {
			case k == constKey:
				return "constant"
			case au.a.Nodes[k].Kind == air.KindMain:
				return "boolean column (an equality, is-zero)"
			default:
				return "product of boolean factors"
			}
		}
	}
	m := linForm{constKey: 1}
	addScaled(m, l, modP-1)
	if au.isBool(m, 0) && len(m) == 1 {
		return "complement of a boolean"
	}
	return "disjoint parts of a one-hot family"
}

// str prints an expression (cut at depth 6).
func (au *multAudit) str(id int32, depth int) string {
	a := au.a
	n := a.Nodes[id]
	if depth > 6 {
		return "…"
	}
	switch n.Kind {
	case air.KindConst:
		return fmt.Sprint(n.Val.Uint64())
	case air.KindMain:
		return a.Main[n.Col]
	case air.KindPrep:
		return "prep:" + a.Prep[n.Col]
	case air.KindPublic:
		return "pub:" + a.Publics[n.Col]
	case air.KindAdd:
		return "(" + au.str(n.A, depth+1) + " + " + au.str(n.B, depth+1) + ")"
	case air.KindSub:
		return "(" + au.str(n.A, depth+1) + " − " + au.str(n.B, depth+1) + ")"
	case air.KindMul:
		return au.str(n.A, depth+1) + "·" + au.str(n.B, depth+1)
	case air.KindNeg:
		return "−" + au.str(n.A, depth+1)
	}
	return "?"
}

// TestMultiplicityAuditCatchesDroppedChecks: the standard machine with one constraint
// that makes a multiplicity boolean left out of its table — the audit must refuse the
// multiplicity it protected.
func TestMultiplicityAuditCatchesDroppedChecks(t *testing.T) {
	for _, c := range []struct {
		drop check
		key  string // a multiplicity the check protects
	}{
		{check{"cpu", []string{"a_read_or_write"}}, "cpu/mem_a.next"},
		{check{"cpu", []string{"one_class"}}, "cpu/alu"},
		{check{"cpu", []string{"cond_only_in_branch"}}, "cpu/target_range"},
		{check{"memory", []string{"is_real_bool"}}, "memory/init"},
		{check{"loadstore", []string{"one_offset"}}, "loadstore/word1.prev"},
		{check{"divrem", []string{"nz_one"}}, "divrem/t_lo_range"},
		{check{"io", []string{"one_count"}}, "io/output0"},
		{check{"input", []string{"one_kind"}}, "input/state"},
		// boundTuples' arguments are prose the audit cannot check: without mult0_live
		// it still passes (package input's TestForgeReadOffNonAbsorbingRow refuses it).
		{check{"input", []string{"mult0_live"}}, ""},
	} {
		tables := slices.Clone(standard())
		for i := range tables {
			if tables[i].name == c.drop.table {
				tables[i].air = without(t, tables[i].air, c.drop.names)
			}
		}
		errs := auditErrors(auditTables(tables))
		found := false
		for _, e := range errs {
			found = found || strings.HasPrefix(e, c.key+" ")
		}
		switch {
		case c.key == "" && len(errs) > 0:
			t.Errorf("without %v: %v", c.drop, errs)
		case c.key != "" && !found:
			t.Errorf("without %v: the audit does not refuse %s (%v)", c.drop, c.key, errs)
		}
	}
}
