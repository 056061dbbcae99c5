package stark

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Tag is the transcript's domain-separation tag for this proof system and version.
const Tag = "oneiros/hemera/stark/v1"

// startTranscript absorbs the statement: the commitment scheme's parameters, the
// verifying key, the table heights, the public values and the public bus messages.
func startTranscript(scheme pcs.Scheme, vk *VerifyingKey, logN []int, publics [][]field.Elem, bus []lookup.Message) *transcript.Challenger {
	tr := transcript.NewFor(Tag, scheme.ExtDegree(), scheme.Hash())
	scheme.ObserveParams(tr)
	tr.ObserveDigest(vk.Digest)
	for _, l := range logN {
		tr.ObserveUint(uint64(l))
	}
	for _, p := range publics {
		tr.ObserveUint(uint64(len(p)))
		tr.Observe(p...)
	}
	tr.ObserveUint(uint64(len(bus)))
	for _, m := range bus {
		tr.ObserveUint(uint64(m.Bus))
		if m.Send {
			tr.ObserveUint(1)
		} else {
			tr.ObserveUint(0)
		}
		tr.Observe(m.Mult)
		tr.ObserveUint(uint64(len(m.Tuple)))
		tr.Observe(m.Tuple...)
	}
	return tr
}

// selectors are the values at a point x of the trace domain's selectors and vanishing
// polynomial, for a domain of size n = 2^logN with generator ω.
type selectors struct {
	first, last, trans, zh field.Ext
}

func selectorsAt(z field.Ext, logN int, omegaInv field.Elem) (selectors, bool) {
	var s selectors
	var zn field.Ext
	zn.Set(&z)
	for range logN {
		zn.Square(&zn)
	}
	one := field.NewExt(field.New(1))
	s.zh.Sub(&zn, &one)
	var nE, d field.Ext
	nE = field.NewExt(field.New(uint64(1) << logN))
	d.Sub(&z, &one)
	d.Mul(&d, &nE)
	if d.IsZero() || s.zh.IsZero() {
		return s, false
	}
	d.Inverse(&d)
	s.first.Mul(&s.zh, &d)
	oi := field.NewExt(omegaInv)
	s.trans.Sub(&z, &oi)
	d.Mul(&s.trans, &nE)
	if d.IsZero() {
		return s, false
	}
	d.Inverse(&d)
	s.last.Mul(&s.zh, &d)
	return s, true
}

func (s *selectors) of(sel int) field.Ext {
	switch sel {
	case 1:
		return s.first
	case 2:
		return s.last
	case 3:
		return s.trans
	}
	return field.NewExt(field.New(1))
}
