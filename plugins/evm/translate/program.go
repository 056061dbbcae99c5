package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/runtime"
)

// Translation is a container translated into a normalized program, with what the cycle
// statistics need.
type Translation struct {
	Program   *isa.Program
	Contracts []*Contract       // the translated contracts, in address order, then the init code
	Routines  map[uint32]string // first pc of each runtime routine (runtime.Gen.Routines)
	// Instructions is the number of EVM instructions translated (the source
	// instructions the host reports normalized instructions against).
	Instructions int
}

// needsInterpreter reports whether code may run that is not known when translating:
// only CREATE and CREATE2 run code made at run time.
func needsInterpreter(c *container.Container) bool {
	for _, acc := range c.Pre {
		if container.Creates(acc.Code) {
			return true
		}
	}
	return c.Tx.To == nil && container.Creates(c.Tx.Data)
}

// Build translates a container: every contract of the pre-state and a creation's init
// code ahead of time, the runtime, the interpreter when some code can create contracts,
// and the memory image. The same container always gives the same program.
func Build(c *container.Container) (*Translation, error) { return build(c, false) }

// BuildInterpreted is Build with every contract left to the interpreter (how the tests
// run the interpreter on the whole suite).
func BuildInterpreted(c *container.Container) (*Translation, error) { return build(c, true) }

func build(c *container.Container, interpret bool) (*Translation, error) {
	l, err := runtime.PlanLayout(c)
	if err != nil {
		return nil, err
	}
	g := runtime.New()
	tr := &Translation{}
	entries := runtime.Entries{Accounts: map[container.Address]isa.Label{}}
	for _, a := range c.SortedAddresses() {
		if code := c.Pre[a].Code; len(code) > 0 && !interpret {
			ct := contract(g, code, l.JumpTable(a))
			entries.Accounts[a] = ct.Entry
			tr.Contracts = append(tr.Contracts, ct)
			tr.Instructions += len(container.Decode(code))
		}
	}
	if c.Tx.To == nil && len(c.Tx.Data) > 0 {
		if !interpret {
			ct := contract(g, c.Tx.Data, l.InitJumpTable())
			entries.Init = ct.Entry
			tr.Contracts = append(tr.Contracts, ct)
		}
		tr.Instructions += len(container.Decode(c.Tx.Data))
	}
	if needsInterpreter(c) || interpret {
		g.Interpreter()
	} else {
		g.NoInterpreter()
	}
	tr.Program, err = g.Program(c, l, entries)
	if err != nil {
		return nil, err
	}
	tr.Routines = g.Routines()
	return tr, nil
}
