package ntt

import (
	"sync"
	"sync/atomic"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// twiddleTable holds, for every power of two h < len(fwd), the twiddles of the butterfly
// layer of half-width h at fwd[h:2h]: fwd[h+j] = ω_{2h}^j, with ω_{2h} = RootOfUnity(log2(2h))
// (gnark-crypto's generator of the subgroup of order 2h), and inv[h+j] = ω_{2h}^−j.
// gnark-crypto picks ω_m = r^(2^24/m) for one fixed root r of order 2^24, so the layer
// h of a transform of any size n uses ω_n^(n/2h) = ω_{2h}: one table serves every size up
// to its length, a smaller size reading a prefix.
type twiddleTable struct {
	logN     int
	fwd, inv []field.Elem
}

var (
	twiddles   atomic.Pointer[twiddleTable]
	twiddlesMu sync.Mutex
)

// twiddlesFor returns a table covering transforms of size 2^logN (read-only, cached: the
// largest table built so far, rebuilt larger when a bigger size comes).
func twiddlesFor(logN int) *twiddleTable {
	if t := twiddles.Load(); t != nil && t.logN >= logN {
		return t
	}
	twiddlesMu.Lock()
	defer twiddlesMu.Unlock()
	if t := twiddles.Load(); t != nil && t.logN >= logN {
		return t
	}
	n := 1 << logN
	t := &twiddleTable{logN: logN, fwd: make([]field.Elem, n), inv: make([]field.Elem, n)}
	if n > 0 {
		t.fwd[0].SetOne()
		t.inv[0].SetOne()
	}
	for h, logH := 1, 0; h < n; h, logH = 2*h, logH+1 {
		w := RootOfUnity(logH + 1)
		var wInv field.Elem
		wInv.Inverse(&w)
		t.fwd[h].SetOne()
		t.inv[h].SetOne()
		for j := 1; j < h; j++ {
			t.fwd[h+j].Mul(&t.fwd[h+j-1], &w)
			t.inv[h+j].Mul(&t.inv[h+j-1], &wInv)
		}
	}
	twiddles.Store(t)
	return t
}

type scaledKey struct {
	n int
	s field.Elem
}

var scaledPowers sync.Map // scaledKey → []field.Elem

// ScaledPowers returns the cached vector s^k/n for k < n (read-only): the coset shift's
// powers with the inverse transform's 1/n folded in.
func ScaledPowers(n int, s field.Elem) []field.Elem {
	k := scaledKey{n, s}
	if v, ok := scaledPowers.Load(k); ok {
		return v.([]field.Elem)
	}
	v := make([]field.Elem, n)
	if n > 0 {
		v[0] = field.New(uint64(n))
		v[0].Inverse(&v[0])
	}
	for i := 1; i < n; i++ {
		v[i].Mul(&v[i-1], &s)
	}
	p, _ := scaledPowers.LoadOrStore(k, v)
	return p.([]field.Elem)
}
