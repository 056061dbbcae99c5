package translate

import (
	"testing"

	conf "github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/internal/suitetest"
)

// suiteDir is the shared state-test suite (suitetest.Dir).
func suiteDir(t testing.TB) string { return suitetest.Dir(t) }

// TestStateTests runs every case of the shared suite in process (translation and the
// reference executor, no plugin process) and checks the post-state root and the logs.
func TestStateTests(t *testing.T) {
	cases, err := conf.Load(suiteDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range cases {
		if testing.Short() && k%4 != 0 {
			continue
		}
		out, _, _ := runContainer(t, c.Container, nil)
		if err := c.Check(out); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
}

// TestStateTestsInterpreted runs the suite with every contract on the interpreter (the
// code of CREATE and of contracts deployed during a transaction runs there).
func TestStateTestsInterpreted(t *testing.T) {
	cases, err := conf.Load(suiteDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range cases {
		if testing.Short() && k%4 != 1 {
			continue
		}
		out, _, _ := runMode(t, c.Container, nil, true)
		if err := c.Check(out); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
}
