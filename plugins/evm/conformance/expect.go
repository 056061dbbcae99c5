package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// expect is a run's Expect: what the judge needs to decide the case without the suite
// (the host hands it back, possibly from another process of the plugin).
type expect struct {
	ID        string  `json:"id"`
	Label     string  `json:"label,omitempty"`
	Container string  `json:"container"`      // base64 of the run's source, byte for byte: the pre-state the output applies to
	StateRoot string  `json:"state_root"`     // the fixture's post-state root
	LogsHash  string  `json:"logs_hash"`      // the fixture's logs hash
	GasUsed   *uint64 `json:"gas_used"`       // the fixture's gas used, when it has it
	Post      string  `json:"post,omitempty"` // base64 of the fixture's post-state, as a container's pre-state
}

// maxExpect bounds an Expect: a container's code, calldata and storage are far smaller
// in any state test.
const maxExpect = 16 << 20

// encodeExpect is c's Expect, with src its container as the run's source.
func encodeExpect(c *Case, src []byte) []byte {
	b, _ := json.Marshal(expect{ID: c.ID, Label: c.Label, Container: base64.StdEncoding.EncodeToString(src),
		StateRoot: c.Want.StateRoot.String(), LogsHash: c.Want.LogsHash.String(), GasUsed: c.Want.GasUsed,
		Post: base64.StdEncoding.EncodeToString(c.post)})
	return b
}

// decodeExpect reads an Expect back into a case. The bytes crossed two process
// boundaries: every field is checked, and an error names the one that is wrong.
func decodeExpect(b []byte) (*Case, []byte, error) {
	if len(b) > maxExpect {
		return nil, nil, fmt.Errorf("%d bytes, more than %d", len(b), maxExpect)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	var e expect
	if err := d.Decode(&e); err != nil {
		return nil, nil, fmt.Errorf("not the expectations' JSON: %v", err)
	}
	if d.More() {
		return nil, nil, errors.New("trailing data after the expectations' JSON")
	}
	if e.ID == "" {
		return nil, nil, errors.New("id is empty")
	}
	src, err := base64.StdEncoding.DecodeString(e.Container)
	switch {
	case err != nil:
		return nil, nil, fmt.Errorf("container: not base64: %v", err)
	case len(src) == 0:
		return nil, nil, errors.New("container is missing")
	}
	c := &Case{ID: e.ID, Label: e.Label}
	if c.Container, err = container.Parse(src); err != nil {
		return nil, nil, fmt.Errorf("container: %v", err)
	}
	if c.Want.StateRoot, err = word(e.StateRoot); err != nil {
		return nil, nil, fmt.Errorf("state_root: %v", err)
	}
	if c.Want.LogsHash, err = word(e.LogsHash); err != nil {
		return nil, nil, fmt.Errorf("logs_hash: %v", err)
	}
	c.Want.GasUsed = e.GasUsed
	if e.Post != "" {
		if c.post, err = base64.StdEncoding.DecodeString(e.Post); err != nil {
			return nil, nil, fmt.Errorf("post: not base64: %v", err)
		}
		sc, err := container.Parse(c.post)
		if err != nil {
			return nil, nil, fmt.Errorf("post: %v", err)
		}
		c.Want.State = sc.Pre
	}
	return c, src, nil
}
