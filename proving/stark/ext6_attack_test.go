package stark_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// safeVerify verifies p, turning a panic into a test failure (the verifier must reject
// every proof with an error, never panic).
func safeVerify(t *testing.T, s *system, what string, p *stark.Proof) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: verifier panicked: %v", what, r)
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return s.verify(p)
}

func cloneProof(t *testing.T, p *stark.Proof) *stark.Proof {
	t.Helper()
	c, err := stark.Decode(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reshape returns e as an element of the degree-d extension: its first d coordinates
// (dropping the rest) or padded with zeros.
func reshape(e field.Ext, d int) field.Ext {
	co := field.ExtCoords(&e)
	return field.ExtFromCoords(co[:d])
}

// reshapeAll reshapes, in place, every extension element a proof carries outside FRI
// (the cumulative sums and every opened value) to the degree-d extension.
func reshapeAll(p *stark.Proof, d int) {
	for i := range p.CumSums {
		p.CumSums[i] = reshape(p.CumSums[i], d)
	}
	for r := range p.Values {
		for m := range p.Values[r] {
			for pt := range p.Values[r][m] {
				for k := range p.Values[r][m][pt] {
					p.Values[r][m][pt][k] = reshape(p.Values[r][m][pt][k], d)
				}
			}
		}
	}
}

// Elements of the other degree planted at every place a proof carries extension
// elements (each cumulative sum, the first value of every opened point of every round),
// over degree 6 with the Wide hash and over degree 4 with the Narrow one: every one is
// rejected with ErrInvalidProof, never a panic. So are base-field (degree-0) values, which
// are legal elements of either extension but not the opened values.
func TestMixedDegreesAttack(t *testing.T) {
	for _, c := range []struct {
		name       string
		s          *system
		other      int
		proofBytes []byte
	}{
		{"degree 6 + Wide, degree-4 plants", newSystem(t, wide(ext6(testParams))), 4, nil},
		{"degree 4, degree-6 plants", newSystem(t, testParams), 6, nil},
		{"zero knowledge, degree 6 + Wide, degree-4 plants", newSystem(t, wide(ext6(zkParams))), 4, nil},
		{"zero knowledge, degree 4, degree-6 plants", newSystem(t, zkParams), 6, nil},
	} {
		good := c.s.prove(t)
		if err := safeVerify(t, c.s, c.name, good); err != nil {
			t.Fatalf("%s: honest proof: %v", c.name, err)
		}
		for ti := range good.CumSums {
			p := cloneProof(t, good)
			p.CumSums[ti] = reshape(p.CumSums[ti], c.other)
			mustReject(t, fmt.Sprintf("%s: cumulative sum %d", c.name, ti), safeVerify(t, c.s, c.name, p))
		}
		for r := range good.Values {
			for m := range good.Values[r] {
				for pt := range good.Values[r][m] {
					for _, to := range []string{"other", "base"} {
						p := cloneProof(t, good)
						v := &p.Values[r][m][pt][0]
						if to == "other" {
							*v = reshape(*v, c.other)
						} else {
							*v = field.NewExt(v.Base())
						}
						mustReject(t, fmt.Sprintf("%s: %s value at round %d matrix %d point %d", c.name, to, r, m, pt), safeVerify(t, c.s, c.name, p))
					}
				}
			}
		}
		// Every element of the proof of the other degree at once (a whole proof reshaped,
		// its header relabelled): rejected, never a panic.
		p := cloneProof(t, good)
		reshapeAll(p, c.other)
		for _, ext := range []int{c.other, 0, 5, 7, -1} {
			q := *p
			q.Ext = ext
			mustReject(t, fmt.Sprintf("%s: reshaped proof labelled degree %d", c.name, ext), safeVerify(t, c.s, c.name, &q))
		}
		// The reshaped proof through the encoding, under the other degree's label.
		q := *p
		q.Ext = c.other
		dec, err := stark.Decode(q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		mustReject(t, c.name+": reshaped proof, encoded", safeVerify(t, c.s, c.name, dec))
	}
}

// A degree-6 proof turned into a complete degree-4 proof (every element cut to four
// coordinates, the FRI final polynomial too, header degree 4) and a degree-4 proof
// lifted to degree 6 (zero coordinates added; the FRI layers cannot be reshaped and
// keep their rows) are rejected by verifiers of either degree, never a panic.
func TestReshapedProofAcrossDegreesAttack(t *testing.T) {
	s4, s6 := newSystem(t, testParams), newSystem(t, ext6(testParams))
	for _, c := range []struct {
		name     string
		from, to int
		src      *system
	}{{"6 -> 4", 6, 4, s6}, {"4 -> 6", 4, 6, s4}} {
		good := c.src.prove(t)
		p := cloneProof(t, good)
		reshapeAll(p, c.to)
		fp, err := fri.DecodeParams(p.PCS, fri.Params{ExtDegree: c.from, Hash: p.Hash})
		if err != nil {
			t.Fatal(err)
		}
		for i := range fp.FinalPoly {
			fp.FinalPoly[i] = reshape(fp.FinalPoly[i], c.to)
		}
		fp.Ext = c.to
		p.PCS = fp.Encode()
		p.Ext = c.to
		dec, err := stark.Decode(p.Encode())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []*system{s4, s6} {
			mustReject(t, c.name+": in memory", safeVerify(t, v, c.name, p))
			mustReject(t, c.name+": decoded", safeVerify(t, v, c.name, dec))
		}
	}
}

// Wide and Narrow confused: a Narrow proof whose aux or quotient root carries padding,
// a Wide proof relabelled Narrow (roots cut to 8 elements) or carrying the other
// scheme's FRI bytes, unknown schemes, a Narrow-labelled proof of Wide bytes: all
// rejected, never a panic.
func TestWideNarrowConfusionAttack(t *testing.T) {
	sn, sw := newSystem(t, ext6(testParams)), newSystem(t, wide(ext6(testParams)))
	pn, pw := sn.prove(t), sw.prove(t)
	for _, k := range []int{8, 11} {
		for name, f := range map[string]func(p *stark.Proof) *hash.Node{
			"main": func(p *stark.Proof) *hash.Node { return &p.MainRoot },
			"aux":  func(p *stark.Proof) *hash.Node { return &p.AuxRoot },
			"quot": func(p *stark.Proof) *hash.Node { return &p.QuotRoot },
		} {
			p := cloneProof(t, pn)
			f(p)[k].SetUint64(1)
			mustReject(t, fmt.Sprintf("Narrow %s root, element %d set", name, k), safeVerify(t, sn, name, p))
		}
	}
	// A Wide proof relabelled Narrow, its roots cut (as a Narrow encoding would).
	p := cloneProof(t, pw)
	p.Hash = hash.Narrow
	for _, r := range []*hash.Node{&p.MainRoot, &p.AuxRoot, &p.QuotRoot} {
		*r = hash.NodeOf(r.Narrow())
	}
	mustReject(t, "Wide proof relabelled Narrow", safeVerify(t, sn, "relabelled", p))
	dec, err := stark.Decode(p.Encode())
	if err != nil {
		t.Fatal(err)
	}
	mustReject(t, "Wide proof relabelled Narrow, encoded", safeVerify(t, sn, "relabelled", dec))
	// Swapped FRI bytes, under both verifiers.
	a, b := cloneProof(t, pn), cloneProof(t, pw)
	a.PCS, b.PCS = pw.PCS, pn.PCS
	mustReject(t, "Narrow proof with Wide FRI bytes", safeVerify(t, sn, "swap", a))
	mustReject(t, "Wide proof with Narrow FRI bytes", safeVerify(t, sw, "swap", b))
	// Unknown schemes in memory.
	for _, h := range []hash.Scheme{2, 255} {
		for _, c := range []struct {
			s *system
			p *stark.Proof
		}{{sn, pn}, {sw, pw}} {
			q := cloneProof(t, c.p)
			q.Hash = h
			mustReject(t, fmt.Sprintf("hash scheme %d", h), safeVerify(t, c.s, "scheme", q))
		}
	}
	// The Wide proof's bytes with the header's hash byte set to Narrow (and the other
	// way): they do not parse, or are rejected.
	for _, c := range []struct {
		s   *system
		enc []byte
		h   byte
	}{{sn, pw.Encode(), byte(hash.Narrow)}, {sw, pn.Encode(), byte(hash.Wide)}} {
		b := bytes.Clone(c.enc)
		b[9] = c.h
		if dec, err := stark.Decode(b); err == nil {
			mustReject(t, "hash byte relabelled", safeVerify(t, c.s, "hash byte", dec))
		}
	}
	// Version-3 headers with every degree and hash byte: decode errors or rejections.
	for d := range 8 {
		for h := range 4 {
			b := bytes.Clone(pw.Encode())
			b[8], b[9] = byte(d), byte(h)
			if dec, err := stark.Decode(b); err == nil {
				if d == 6 && h == int(hash.Wide) {
					continue
				}
				mustReject(t, fmt.Sprintf("header degree %d hash %d", d, h), safeVerify(t, sw, "header", dec))
			}
		}
	}
	// Truncations inside the version-3 header: a decode error, never a panic.
	enc := pw.Encode()
	for n := 4; n <= 12; n++ {
		if _, err := stark.Decode(enc[:n]); err == nil {
			t.Fatalf("a proof cut to %d bytes decoded", n)
		}
	}
}

// The verifying key under the new surfaces: a Wide key's digest differs from the Narrow
// key's of the same tables (the prep root is 12 elements and the scheme is bound); a key
// whose hash is relabelled, or whose Narrow prep root carries padding, verifies nothing.
func TestVerifyingKeyAttack(t *testing.T) {
	sn, sw := newSystem(t, testParams), newSystem(t, wide(testParams))
	if !sn.vk.HasPrep || !sw.vk.HasPrep {
		t.Fatal("the test system has no preprocessed columns")
	}
	if sn.vk.Digest == sw.vk.Digest {
		t.Fatal("Narrow and Wide verifying keys share a digest")
	}
	if sn.vk.PrepRoot.Narrow() == sw.vk.PrepRoot.Narrow() {
		t.Fatal("Narrow and Wide prep roots agree")
	}
	if !hash.Narrow.Canonical(&sn.vk.PrepRoot) {
		t.Fatal("a Narrow prep root with padding")
	}
	pn, pw := sn.prove(t), sw.prove(t)
	// A Wide key relabelled Narrow (its prep root cut) under the Narrow engine, with the
	// Wide proof relabelled too.
	vk := *sw.vk
	vk.Hash = hash.Narrow
	vk.PrepRoot = hash.NodeOf(vk.PrepRoot.Narrow())
	q := cloneProof(t, pw)
	q.Hash = hash.Narrow
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("panic: %v", r)
			}
		}()
		mustReject(t, "Wide key and proof relabelled Narrow", sn.e.Verify(&vk, q, sn.witness.Publics, sn.bus))
		mustReject(t, "Narrow proof under the Wide key", sw.e.Verify(sw.vk, pn, sw.witness.Publics, sw.bus))
		mustReject(t, "Wide proof under the Narrow key with the Wide engine", sw.e.Verify(sn.vk, pw, sw.witness.Publics, sw.bus))
		// A Narrow prep root with padding: the key's digest does not see it (only 8
		// elements are written), but the root no longer matches the openings.
		vk2 := *sn.vk
		vk2.PrepRoot[10].SetUint64(3)
		mustReject(t, "Narrow key with a padded prep root", sn.e.Verify(&vk2, pn, sn.witness.Publics, sn.bus))
	}()
}
