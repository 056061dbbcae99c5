package config_test

import (
	"testing"

	"github.com/oneiros-zk/oneiros/configs"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// Every preset meets its own floors (min_security_bits, min_provable_bits) on every
// segment the planner makes: every chip of the zkVM present at 2^16 … 2^22 rows (the
// largest segment is 2^21 cycles). secure128 reaches 128 provable bits.
func TestPresetsMeetTheirFloors(t *testing.T) {
	prog, err := isa.Assemble("p.s", []byte(".fp 0x1000\nmain: halt 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range configs.PresetNames() {
		cfg, err := config.Default()
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.ApplyPreset(name); err != nil {
			t.Fatal(err)
		}
		hp := hemera.Params{FRI: cfg.Engine.FRI(), MinSecurityBits: cfg.Engine.MinSecurityBits, MinProvableBits: cfg.Engine.MinProvableBits}
		e, err := hemera.New(hp)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		keys, err := machine.New(e).Setup(prog)
		if err != nil {
			t.Fatal(err)
		}
		vk := keys.VK
		for logN := 16; logN <= 22; logN++ {
			heights := make([]int, len(vk.AIRs))
			for i := range heights {
				heights[i] = logN
				if vk.PrepLogN[i] >= 0 {
					heights[i] = vk.PrepLogN[i]
				}
			}
			s := hemera.Analyze(hp.FRI, hemera.ShapeOf(vk, heights, nil))
			if err := e.CheckFloors(s); err != nil {
				t.Errorf("preset %s, every chip at 2^%d rows: %v", name, logN, err)
			}
			if name == "secure128" && s.Provable < 128 {
				t.Errorf("secure128 at 2^%d rows: %d provable bits", logN, s.Provable)
			}
			if logN == 20 {
				t.Logf("preset %s, every chip at 2^20 rows: %d conjectured, %d provable (%s; weakest %s)", name, s.Conjectured, s.Provable, s.ProvableRegime, s.Weakest(s.ProvableRegime).Name)
			}
		}
	}
}
