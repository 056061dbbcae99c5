package aggregate

import (
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark/backend/groth16"

	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// outerFigureParams are the outer-layer parameter sets docs/injector.md compares (no
// floors: the test reports the security instead of refusing).
var outerFigureParams = []struct {
	name string
	p    hemera.Params
}{
	{"OuterParams: log_blowup 4, 20 queries, fold by 8, 20 grinding bits", OuterParams},
	{"log_blowup 4, 3 queries, fold by 8, 2 grinding bits (the wrap's slope)", outerFRI(4, 3, 3, 2)},
	{"log_blowup 4, 20 queries, fold by 4, 20 grinding bits", outerFRI(4, 20, 2, 20)},
	{"log_blowup 4, 20 queries, fold by 16, 20 grinding bits", outerFRI(4, 20, 4, 20)},
	{"log_blowup 3, 27 queries, fold by 8, 20 grinding bits", outerFRI(3, 27, 3, 20)},
	{"log_blowup 2, 40 queries, fold by 8, 20 grinding bits", outerFRI(2, 40, 3, 20)},
}

func outerFRI(logBlowup, queries, logArity, grinding int) hemera.Params {
	p := OuterParams
	p.FRI.LogBlowup, p.FRI.NumQueries, p.FRI.LogArity, p.FRI.GrindingBits = logBlowup, queries, logArity, grinding
	p.MinSecurityBits, p.MinProvableBits = 0, 0
	return p
}

// peakRSS is the process's peak resident memory (VmHWM), in MiB, or -1.
func peakRSS() int { return procStatus("VmHWM:") }

// rss is the process's resident memory now (VmRSS), in MiB, or -1.
func rss() int { return procStatus("VmRSS:") }

func procStatus(key string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == key {
			kb, _ := strconv.Atoi(f[1])
			return kb >> 10
		}
	}
	return -1
}

// resetPeak restarts the peak (VmHWM) from the current resident memory (Linux
// clear_refs), so that peakRSS measures the phase that follows.
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// TestOuterFigures logs, for a tree at Params (toy leaves, K = 2, C = 1) and per outer
// parameter set picked by OUTER_FIGURES (a regular expression on the names; the test
// skips without it): the outer program's instructions and heights, the security of its
// proofs, and the wrap circuit's constraints and compile time. OUTER_PROVE=1 also
// proves two leaves, their join and the outer layer on it (time, proof size);
// OUTER_SETUP=1 also runs the Groth16 setup and a wrap (OUTER_PROVE's proof). Peak
// memory is the process's (VmHWM): run one set per process to attribute it.
func TestOuterFigures(t *testing.T) {
	re := os.Getenv("OUTER_FIGURES")
	if testing.Short() || re == "" {
		t.Skip("set OUTER_FIGURES to a regular expression on the parameter sets' names")
	}
	only := regexp.MustCompile(re)
	prove, setup := os.Getenv("OUTER_PROVE") == "1", os.Getenv("OUTER_SETUP") == "1"
	e, err := hemera.New(Params)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	tr, err := NewTree(e, lay, toyLeaf(1), toyLeaf(0))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tree at Params: NewTree %.1fs, heights %v, join %d instructions (load %s)", time.Since(t0).Seconds(), tr.Heights(), len(tr.JoinProgram().Insts), loadavg())
	var root *Node
	if prove {
		a, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{1, 2}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		b, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{2, 3}, []uint64{7}))
		if err != nil {
			t.Fatal(err)
		}
		if root, err = tr.Join(a, b); err != nil {
			t.Fatal(err)
		}
		t.Logf("root: a join of two leaves, proof %d bytes", len(root.Proof.Encode()))
	}
	for _, fp := range outerFigureParams {
		if !only.MatchString(fp.name) {
			continue
		}
		t1 := time.Now()
		o, err := tr.Outer(fp.p, nil)
		if err != nil {
			t.Fatalf("%s: %v", fp.name, err)
		}
		st := o.Program().Stats()
		sec := o.Security()
		t.Logf("%s: outer program %d instructions (perm %d, compress %d, add %d, sub %d, mul %d, dot %d, input_base4 %d), rows %v, heights %v, set up in %.1fs; %d conjectured / %d provable bits (%s; weakest provable: %v)",
			fp.name, len(o.Program().Insts), st[ir.OpPerm], st[ir.OpCompress], st[ir.OpAdd], st[ir.OpSub], st[ir.OpMul], st[ir.OpDot], st[ir.OpInputBase4],
			o.pk.Rows(), o.Heights(), time.Since(t1).Seconds(), sec.Conjectured, sec.Provable, sec.ProvableRegime, sec.Weakest(sec.ProvableRegime))
		var op *OuterProof
		if prove {
			runtime.GC()
			resetPeak()
			before := rss()
			t2 := time.Now()
			if op, err = o.Prove(root); err != nil {
				t.Fatal(err)
			}
			tp := time.Since(t2)
			t3 := time.Now()
			if _, err := o.Verify(op); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: outer proof %.1fs (load %s), %d bytes, verified in %.3fs; peak RSS %d MiB (from %d)",
				fp.name, tp.Seconds(), loadavg(), len(op.Proof.Encode()), time.Since(t3).Seconds(), peakRSS(), before)
		}
		sh, err := o.WrapShape()
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		resetPeak()
		before := rss()
		t4 := time.Now()
		ccs, id, err := wrap.Compile(sh)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: wrap circuit %d constraints, compiled in %.1fs (load %s); peak RSS %d MiB (from %d)",
			fp.name, ccs.GetNbConstraints(), time.Since(t4).Seconds(), loadavg(), peakRSS(), before)
		if !setup || op == nil {
			continue
		}
		runtime.GC()
		resetPeak()
		before = rss()
		t5 := time.Now()
		pk, vk, err := groth16.Setup(ccs)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: Groth16 setup %.1fs (load %s); peak RSS %d MiB (from %d)", fp.name, time.Since(t5).Seconds(), loadavg(), peakRSS(), before)
		w := &WrapKeys{Shape: sh, CCS: ccs, ID: id, PK: pk, VK: vk}
		runtime.GC()
		resetPeak()
		before = rss()
		t6 := time.Now()
		wp, err := o.Wrap(w, op)
		if err != nil {
			t.Fatal(err)
		}
		tw := time.Since(t6)
		stmt, err := o.Statement(op.Publics[hash.DigestLen:])
		if err != nil {
			t.Fatal(err)
		}
		if err := wrap.Verify(vk, id, wp, stmt); err != nil {
			t.Fatal(err)
		}
		enc, err := wp.Encode()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: wrap %.1fs (load %s), %d bytes; peak RSS %d MiB (from %d)", fp.name, tw.Seconds(), loadavg(), len(enc), peakRSS(), before)
	}
}
