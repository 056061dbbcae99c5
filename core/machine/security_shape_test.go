package machine

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// The default configuration proves ≥ 100 bits (provable, unique decoding) on a segment
// where every chip is present at 2^20 rows (the default segment is 2^20 cycles) and at
// 2^22, thanks to the proof of work before the LogUp challenges and before ζ; without
// it the LogUp and DEEP terms are below 100 (docs/security-computation.md).
func TestEveryChipSegmentProvableBits(t *testing.T) {
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := New(e).Setup(assemble(t, ".fp 0x1000\nmain: halt 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	vk := keys.VK
	term := func(s hemera.Security, name string) int {
		for _, tm := range s.Terms {
			if tm.Regime == fri.UniqueDecoding && tm.Name == name {
				return tm.Bits
			}
		}
		t.Fatalf("no %s term", name)
		return 0
	}
	p := hemera.DefaultParams.FRI
	noGrind := p
	noGrind.LogUpGrindingBits, noGrind.DEEPGrindingBits = 0, 0
	for _, logN := range []int{16, 18, 20, 22} {
		heights := make([]int, len(vk.AIRs))
		for i := range heights {
			heights[i] = logN
			if vk.PrepLogN[i] >= 0 {
				heights[i] = vk.PrepLogN[i]
			}
		}
		shape := hemera.ShapeOf(vk, heights, nil)
		s, s0 := hemera.Analyze(p, shape), hemera.Analyze(noGrind, shape)
		t.Logf("every chip at 2^%d rows: provable %d (%s; without grinding %d): batching %d, commit %d, query %d, DEEP %d (%d), ALI %d, LogUp %d (%d)",
			logN, s.Provable, s.Weakest(s.ProvableRegime).Name, s0.Provable, term(s, "FRI batching"), term(s, "FRI commit phase"),
			term(s, "FRI query phase"), term(s, "DEEP"), term(s0, "DEEP"), term(s, "ALI"), term(s, "LogUp"), term(s0, "LogUp"))
		// Grinding adds its bits to its term (up to the floor's rounding).
		if d := term(s, "DEEP") - term(s0, "DEEP"); d < p.DEEPGrindingBits || d > p.DEEPGrindingBits+1 {
			t.Errorf("2^%d: DEEP gains %d bits from %d bits of grinding", logN, d, p.DEEPGrindingBits)
		}
		if d := term(s, "LogUp") - term(s0, "LogUp"); d < p.LogUpGrindingBits || d > p.LogUpGrindingBits+1 {
			t.Errorf("2^%d: LogUp gains %d bits from %d bits of grinding", logN, d, p.LogUpGrindingBits)
		}
		if logN <= 22 && s.Provable < 100 {
			t.Errorf("every chip at 2^%d rows: %d provable bits with the defaults, want ≥ 100", logN, s.Provable)
		}
		if err := e.CheckFloors(s); logN <= 22 && err != nil { // min_provable_bits 100 by default
			t.Errorf("every chip at 2^%d rows: %v", logN, err)
		}
		if logN == 20 && s0.Provable >= 100 {
			t.Errorf("every chip at 2^20 rows: %d provable bits without grinding; the docs say 92", s0.Provable)
		}
	}
}
