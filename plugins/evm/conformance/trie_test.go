package conformance

import (
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/evm/internal/suitetest"
)

// The fixtures' post states hash to their roots: the trie and the RLP agree with the
// reference implementation (go-ethereum filled these files).
func TestStateRootOfFixtures(t *testing.T) {
	cases, err := Load(suiteDir(t))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if c.Want.State == nil {
			continue
		}
		if got := StateRoot(c.Want.State); got != c.Want.StateRoot {
			t.Errorf("%s: root %s, want %s", c.ID, got, c.Want.StateRoot)
		}
		n++
	}
	if n < 400 {
		t.Errorf("only %d cases have a post state", n)
	}
}

func TestEmptyRoots(t *testing.T) {
	if got := StorageRoot(nil).String(); got != "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421" {
		t.Errorf("empty trie %s", got)
	}
	if got := LogsHash(nil).String(); got != "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347" {
		t.Errorf("no logs %s", got)
	}
}

func TestRLP(t *testing.T) {
	for _, c := range []struct {
		got, want []byte
	}{
		{rlpBytes(nil), []byte{0x80}},
		{rlpBytes([]byte{0x7f}), []byte{0x7f}},
		{rlpBytes([]byte{0x80}), []byte{0x81, 0x80}},
		{rlpList(), []byte{0xc0}},
		{rlpBytes(make([]byte, 56))[:2], []byte{0xb8, 56}},
		{rlpUint(0), []byte{0x80}},
		{rlpUint(1024), []byte{0x82, 0x04, 0x00}},
	} {
		if string(c.got) != string(c.want) {
			t.Errorf("%x, want %x", c.got, c.want)
		}
	}
}

// suiteDir is the shared state-test suite (suitetest.Dir).
func suiteDir(t testing.TB) string { return suitetest.Dir(t) }
