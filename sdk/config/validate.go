package config

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/configs"
)

func defaultName() string { return configs.DefaultName }

// Validate checks every setting of c against its allowed range or set, and the
// constraints between settings, reporting each problem where its value came from.
// [Load], [Parse], [Config.Overlay] and [Config.Set] call it; call it yourself after
// changing a Config in Go.
//
// Constraints that depend on the engine's arithmetic (the conjectured security level,
// log_final_poly_len against trace heights) are the engine's to check.
func (c *Config) Validate() error {
	var errs ErrorList
	add := func(key, msg string) {
		e := c.Errorf(key, "%s", msg)
		errs = append(errs, e)
	}
	for i := range schema {
		s := &schema[i]
		for _, p := range s.check(valueOf(s.ptr(c))) {
			key := p.key
			if key == "" {
				key = s.key
			}
			add(key, p.msg)
		}
	}
	if len(errs) > 0 {
		return errs.err() // cross-field checks assume each field is sound
	}
	// The CUDA device lives only in the CUDA backend; the reverse (the CUDA backend on
	// ICICLE's CPU device) is how the cgo path is tested without a GPU.
	if c.Backend.Kind == "cpu" && c.Backend.Device == "cuda" {
		add("backend.device", fmt.Sprintf("device cuda needs backend.kind cuda or auto (backend.kind is cpu%s)", setAt(c.Origin("backend.kind"))))
	}
	if c.Engine.ExtDegree == 5 {
		add("engine.ext_degree", "5 is not an extension the engine has (want 4 or 6)")
	}
	if c.Plugins.StartTimeout > c.Plugins.CallTimeout {
		add("plugins.start_timeout", fmt.Sprintf("%s is longer than plugins.call_timeout (%s%s)", c.Plugins.StartTimeout, c.Plugins.CallTimeout, setAt(c.Origin("plugins.call_timeout"))))
	}
	return errs.err()
}

// setAt writes ", set at ORIGIN" for a message, or nothing when the origin is unknown.
func setAt(o Origin) string {
	if o.File == "" {
		return ""
	}
	return ", set at " + o.String()
}
