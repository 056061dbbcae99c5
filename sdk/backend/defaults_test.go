package backend

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// The default configuration file and the engine's defaults agree, the grinding before
// the LogUp challenges and ζ and the provable floor included.
func TestConfigDefaultsAreTheEngines(t *testing.T) {
	c, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := c.Engine
	got := EngineParams(Params{Params: e.FRI()}).FRI
	if got != fri.DefaultParams {
		t.Errorf("configs/oneiros.default.yaml gives %+v, fri.DefaultParams is %+v", got, fri.DefaultParams)
	}
	if e.MinSecurityBits != hemera.DefaultParams.MinSecurityBits || e.MinProvableBits != hemera.DefaultParams.MinProvableBits {
		t.Errorf("floors %d/%d, hemera.DefaultParams has %d/%d", e.MinSecurityBits, e.MinProvableBits,
			hemera.DefaultParams.MinSecurityBits, hemera.DefaultParams.MinProvableBits)
	}
}
