package stark

import (
	"fmt"
	"runtime"
	"sync"
	"weak"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
)

// VerifyingKey fixes the tables of a proof system: their AIRs, the LogUp layouts, the
// number of quotient chunks, and the commitment to the preprocessed columns.
type VerifyingKey struct {
	AIRs      []*air.AIR
	Layouts   []lookup.Layout
	LogQuot   []int  // log2 of the number of quotient chunks per table
	PrepLogN  []int  // log height of the preprocessed trace per table, −1 if none
	Optional  []bool // tables a proof may leave out (Absent): they have no rows
	PrepRoot  hash.Node
	HasPrep   bool
	LogBlowup int
	Hash      hash.Scheme // the commitments' hash (the preprocessed root is one of its digests)
	Digest    hash.Digest // binds all of the above; absorbed first by the transcript
}

// ProvingKey is the prover's side: the verifying key and the committed preprocessed
// traces.
type ProvingKey struct {
	VK        *VerifyingKey
	prep      pcs.Committed
	prepTrace [][][]field.Elem
}

// Setup checks the AIRs against the scheme (constraint degrees must fit the blowup) and
// commits to the preprocessed traces (prep[t] is nil for a table without preprocessed
// columns). Prover and verifier run it alike; it is deterministic.
//
// optional, when given, marks the tables a proof may leave out entirely (a table with
// no rows costs nothing). Only a table whose all-padding trace would satisfy its AIR and
// contribute nothing to any bus may be optional — leaving it out then proves the same
// statement — and it may have no public values. An optional table may have preprocessed
// columns (a fixed lookup table that a run may not use): they stay in the preprocessed
// commitment, and a proof that leaves the table out opens them at no point (their rows
// are only part of the Merkle openings). Such a table may be no taller than the tallest
// required table with preprocessed columns, so that leaving it out never changes the
// height the low-degree test starts from.
func Setup(scheme pcs.Scheme, airs []*air.AIR, prep [][][]field.Elem, optional ...[]bool) (*ProvingKey, *VerifyingKey, error) {
	if len(airs) == 0 {
		return nil, nil, fmt.Errorf("stark: no tables")
	}
	opt := make([]bool, len(airs))
	if len(optional) > 0 {
		if len(optional[0]) != len(airs) {
			return nil, nil, fmt.Errorf("stark: %d optional flags for %d tables", len(optional[0]), len(airs))
		}
		copy(opt, optional[0])
	}
	if len(prep) != len(airs) {
		return nil, nil, fmt.Errorf("stark: %d preprocessed traces for %d tables", len(prep), len(airs))
	}
	B := scheme.LogBlowup()
	maxDeg := 1<<B + 1
	vk := &VerifyingKey{AIRs: airs, LogBlowup: B, Optional: opt, Hash: scheme.Hash()}
	var prepMats []pcs.Matrix
	for t, a := range airs {
		if opt[t] && len(a.Publics) > 0 {
			// A left-out table has no trace to constrain its public values: the verifier
			// would accept any.
			return nil, nil, fmt.Errorf("stark: table %s is optional but has %d public values (an absent table cannot constrain them)", a.Name, len(a.Publics))
		}
		if d := a.MaxConstraintDegree(); d > maxDeg {
			return nil, nil, fmt.Errorf("stark: table %s has constraint degree %d; blowup 2^%d allows at most %d", a.Name, d, B, maxDeg)
		}
		for _, it := range a.Interactions {
			if !field.Canonical(it.Bus.ID) {
				return nil, nil, fmt.Errorf("stark: table %s: interaction %q uses bus id %d, not below p = %d (it would alias bus %d)", a.Name, it.Name, it.Bus.ID, field.Modulus, it.Bus.ID%field.Modulus)
			}
		}
		l, err := lookup.NewLayout(a, maxDeg)
		if err != nil {
			return nil, nil, err
		}
		vk.Layouts = append(vk.Layouts, l)
		d := max(a.MaxConstraintDegree(), 2)
		if l.NumAux() > 0 {
			d = max(d, l.MaxDegree(a))
		}
		q := 0
		for 1<<q < d-1 {
			q++
		}
		vk.LogQuot = append(vk.LogQuot, q)
		if len(a.Prep) == 0 {
			if prep[t] != nil {
				return nil, nil, fmt.Errorf("stark: table %s has no preprocessed columns but a preprocessed trace was given", a.Name)
			}
			vk.PrepLogN = append(vk.PrepLogN, -1)
			continue
		}
		if len(prep[t]) != len(a.Prep) {
			return nil, nil, fmt.Errorf("stark: table %s: %d preprocessed columns given, %d declared", a.Name, len(prep[t]), len(a.Prep))
		}
		logN := ntt.Log2(len(prep[t][0]))
		if logN < 0 {
			return nil, nil, fmt.Errorf("stark: table %s: preprocessed height %d is not a power of two", a.Name, len(prep[t][0]))
		}
		for c, col := range prep[t] {
			if len(col) != len(prep[t][0]) {
				return nil, nil, fmt.Errorf("stark: table %s: preprocessed column %s has %d rows, want %d", a.Name, a.Prep[c], len(col), len(prep[t][0]))
			}
		}
		vk.PrepLogN = append(vk.PrepLogN, logN)
		prepMats = append(prepMats, prep[t])
	}
	required := -1 // the tallest required table with preprocessed columns
	for t, l := range vk.PrepLogN {
		if l >= 0 && !opt[t] {
			required = max(required, l)
		}
	}
	for t, l := range vk.PrepLogN {
		if l >= 0 && opt[t] && l > required {
			return nil, nil, fmt.Errorf("stark: optional table %s has preprocessed columns of height 2^%d, taller than every required table's (2^%d): a proof leaving it out would open nothing at the preprocessed commitment's height", airs[t].Name, l, required)
		}
	}
	pk := &ProvingKey{VK: vk, prepTrace: prep}
	if len(prepMats) > 0 {
		c, err := scheme.Commit(prepMats, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("stark: committing preprocessed traces: %w", err)
		}
		pk.prep = c
		vk.PrepRoot = c.Root()
		vk.HasPrep = true
	}
	vk.Digest = vk.digest()
	return pk, vk, nil
}

// airDigests remembers AIRDigest's answers while their AIRs live.
var airDigests sync.Map // weak.Pointer[air.AIR] → hash.Digest

// AIRDigest is a.Digest(), computed once per AIR: an AIR is read-only once built
// (air.Builder.Build), and encoding and hashing the zkVM's AIRs (65k expression nodes)
// takes about 9 ms, which the machine ID, every Setup and every key comparison would
// otherwise repeat. A copy of an AIR with other constraints is another AIR, with its
// own digest.
func AIRDigest(a *air.AIR) hash.Digest {
	k := weak.Make(a)
	if d, ok := airDigests.Load(k); ok {
		return d.(hash.Digest)
	}
	d := a.Digest()
	if _, loaded := airDigests.LoadOrStore(k, d); !loaded {
		runtime.AddCleanup(a, func(k weak.Pointer[air.AIR]) { airDigests.Delete(k) }, k)
	}
	return d
}

func (vk *VerifyingKey) digest() hash.Digest {
	var w codec.Writer
	w.Uint32(uint32(len(vk.AIRs)))
	for t, a := range vk.AIRs {
		w.Digest(AIRDigest(a))
		w.Uint32(uint32(vk.LogQuot[t]))
		w.Uint32(uint32(int32(vk.PrepLogN[t])))
		if vk.Optional[t] {
			w.Uint8(1)
		} else {
			w.Uint8(0)
		}
		w.Uint32(uint32(len(vk.Layouts[t].Groups)))
		for _, g := range vk.Layouts[t].Groups {
			w.Uint32(uint32(len(g)))
			for _, j := range g {
				w.Uint32(uint32(j))
			}
		}
	}
	w.Uint32(uint32(vk.LogBlowup))
	if vk.HasPrep {
		w.Node(vk.PrepRoot, vk.Hash)
	}
	if vk.Hash != hash.Narrow { // a Narrow key keeps the digest it had before schemes existed
		w.Uint8(uint8(vk.Hash))
	}
	return hash.Tagged("oneiros/stark/vk/v1", w.Buf)
}
