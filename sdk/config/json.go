package config

import (
	"encoding/json"
	"fmt"
	"time"
)

// pluginsJSON is [Plugins] with its durations written as text ("10s"), the way the
// YAML file writes them, instead of encoding/json's nanosecond integers.
type pluginsJSON struct {
	Dirs         []string          `json:"dirs"`
	SHA256       map[string]string `json:"sha256"`
	StartTimeout string            `json:"start_timeout"`
	CallTimeout  string            `json:"call_timeout"`
}

// MarshalJSON writes the durations as text, such as "10m0s".
func (p Plugins) MarshalJSON() ([]byte, error) {
	dirs, pins := p.Dirs, p.SHA256
	if dirs == nil {
		dirs = []string{}
	}
	if pins == nil {
		pins = map[string]string{}
	}
	return json.Marshal(pluginsJSON{Dirs: dirs, SHA256: pins, StartTimeout: p.StartTimeout.String(), CallTimeout: p.CallTimeout.String()})
}

// UnmarshalJSON reads what MarshalJSON writes. It checks only the duration syntax; call
// [Config.Validate] on the result.
func (p *Plugins) UnmarshalJSON(data []byte) error {
	var j pluginsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	start, err := time.ParseDuration(j.StartTimeout)
	if err != nil {
		return fmt.Errorf("plugins.start_timeout: %w", err)
	}
	call, err := time.ParseDuration(j.CallTimeout)
	if err != nil {
		return fmt.Errorf("plugins.call_timeout: %w", err)
	}
	*p = Plugins{Dirs: j.Dirs, SHA256: j.SHA256, StartTimeout: start, CallTimeout: call}
	return nil
}
