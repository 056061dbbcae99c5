package stark

import (
	"context"
	"fmt"
	"runtime"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Config is what Prove and Verify need besides the keys.
type Config struct {
	Scheme  pcs.Scheme
	Kernels kernel.Kernels // runs the quotient evaluation
	Workers int            // goroutines for trace-sized work; ≥ 1
	// Seed keys the masking randomness of a zero-knowledge proof (Scheme.Hiding() > 0):
	// with a seed the proof is reproducible, the same bytes on every backend, and hides
	// nothing from whoever knows the seed; nil (the default) draws a fresh key from
	// crypto/rand for every proof. Without zero knowledge it is unused.
	Seed *[32]byte
}

// Witness is the prover's input: each table's main trace (column-major, a power-of-two
// number of rows, matching the preprocessed height where there is one), each table's
// public values, and the public bus messages.
type Witness struct {
	Main    [][][]field.Elem
	Publics [][]field.Elem
	Bus     []lookup.Message
}

// Prove proves that every table's trace satisfies its AIR and that the bus balances.
func Prove(cfg Config, pk *ProvingKey, w *Witness) (*Proof, error) {
	return ProveContext(context.Background(), cfg, pk, w)
}

// ProveContext is Prove that stops, returning ctx's error, when ctx is done: it checks
// between the phases (commitments, LogUp columns and each table's quotient, opening).
func ProveContext(ctx context.Context, cfg Config, pk *ProvingKey, w *Witness) (*Proof, error) {
	vk := pk.VK
	T := len(vk.AIRs)
	if len(w.Main) != T || len(w.Publics) != T {
		return nil, fmt.Errorf("stark: witness has %d traces and %d public lists for %d tables", len(w.Main), len(w.Publics), T)
	}
	proof := &Proof{LogN: make([]int, T), CumSums: make([]field.Ext, T), Ext: cfg.Scheme.ExtDegree(), Hash: cfg.Scheme.Hash()}
	for t, a := range vk.AIRs {
		m := w.Main[t]
		if len(w.Publics[t]) != len(a.Publics) {
			return nil, fmt.Errorf("stark: table %s: %d public values given, %d declared", a.Name, len(w.Publics[t]), len(a.Publics))
		}
		if m == nil {
			if !vk.Optional[t] {
				return nil, fmt.Errorf("stark: table %s has no trace, and it is not optional", a.Name)
			}
			proof.LogN[t] = Absent
			continue
		}
		if len(m) != len(a.Main) {
			return nil, fmt.Errorf("stark: table %s: %d main columns given, %d declared", a.Name, len(m), len(a.Main))
		}
		logN := ntt.Log2(len(m[0]))
		if logN < 0 || logN+vk.LogBlowup > field.TwoAdicity {
			return nil, fmt.Errorf("stark: table %s: height %d is not a power of two up to 2^%d", a.Name, len(m[0]), field.TwoAdicity-vk.LogBlowup)
		}
		for c, col := range m {
			if len(col) != len(m[0]) {
				return nil, fmt.Errorf("stark: table %s: column %s has %d rows, want %d", a.Name, a.Main[c], len(col), len(m[0]))
			}
		}
		if vk.PrepLogN[t] >= 0 && vk.PrepLogN[t] != logN {
			return nil, fmt.Errorf("stark: table %s: height 2^%d, but its preprocessed trace has 2^%d rows", a.Name, logN, vk.PrepLogN[t])
		}
		proof.LogN[t] = logN
	}
	if vk.LogBlowup != cfg.Scheme.LogBlowup() {
		return nil, fmt.Errorf("stark: the proving key was made for blowup 2^%d, the commitment scheme uses 2^%d", vk.LogBlowup, cfg.Scheme.LogBlowup())
	}
	if err := CheckBuses(vk, proof.LogN, w.Bus); err != nil {
		return nil, fmt.Errorf("stark: %w", err)
	}
	workers := max(cfg.Workers, 1)
	// w is not read after the LogUp columns are generated (publics is), so that the main
	// traces can be collected while the LogUp columns are committed.
	publics := w.Publics
	tr := startTranscript(cfg.Scheme, vk, proof.LogN, w.Publics, w.Bus)

	present := presentTables(proof.LogN)
	// Zero knowledge: the shapes, the masks' sizes and the randomness (see zk.go).
	var (
		rng      *pcs.Rand
		shapes   []zkShape
		maskLogN int
		err      error
	)
	hT, hQ := zkMasks(cfg.Scheme.Hiding())
	if cfg.Scheme.Hiding() > 0 {
		if shapes, maskLogN, err = vk.shapes(cfg.Scheme, proof.LogN); err != nil {
			return nil, fmt.Errorf("stark: %w", err)
		}
		if rng, err = pcs.NewRand(cfg.Seed); err != nil {
			return nil, fmt.Errorf("stark: %w", err)
		}
	}
	blinds := make([]field.Ext, T) // the LogUp sums' offsets (zero knowledge; lookup.Blinds)
	if rng != nil {
		drawBlinds(vk, proof.LogN, cfg.Scheme.ExtDegree(), rng, blinds)
	}
	var mainMats []pcs.Matrix
	for _, t := range present {
		m := w.Main[t]
		if rng != nil {
			if vk.blinded(t, true) {
				m = append(m[:len(m):len(m)], blindColumns(blinds[t], cfg.Scheme.ExtDegree(), len(m[0]))...)
			}
			m = randomize(m, shapes[t].ext, hT, rng, workers)
		}
		mainMats = append(mainMats, m)
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	mainC, err := commitReleasing(cfg.Scheme, mainMats, rng)
	if err != nil {
		return nil, fmt.Errorf("stark: committing main traces: %w", err)
	}
	proof.MainRoot = mainC.Root()
	tr.ObserveNode(proof.MainRoot)

	logUpBits, deepBits := cfg.Scheme.Grinding()
	if logUpBits < 0 || logUpBits > transcript.MaxBits || deepBits < 0 || deepBits > transcript.MaxBits {
		return nil, fmt.Errorf("stark: grinding bits %d (LogUp) and %d (DEEP) outside [0, %d]", logUpBits, deepBits, transcript.MaxBits)
	}
	proof.LogUpNonce = tr.GrindParallel(logUpBits, workers)
	tr.CheckWitness(logUpBits, proof.LogUpNonce)
	ch := lookup.Sample(tr.SampleExt, vk.AIRs, w.Bus)
	var auxMats []pcs.Matrix
	auxIndex := make([]int, T)
	for t := range auxIndex {
		auxIndex[t] = -1
	}
	for _, t := range present {
		a := vk.AIRs[t]
		if vk.Layouts[t].NumAux() == 0 {
			continue
		}
		if err := context.Cause(ctx); err != nil {
			return nil, err
		}
		aux, cum, err := lookup.Generate(a, vk.Layouts[t], w.Main[t], pk.prepTrace[t], w.Publics[t], ch, workers)
		if err != nil {
			return nil, err
		}
		proof.CumSums[t].Add(&cum, &blinds[t])
		if rng != nil {
			aux = randomize(aux, shapes[t].ext, hT, rng, workers)
		}
		auxIndex[t] = len(auxMats)
		auxMats = append(auxMats, aux)
	}
	tr.ObserveExt(proof.CumSums...)
	collect() // the main traces (the witness is not read again) and the LogUp scratch
	var auxC pcs.Committed
	if len(auxMats) > 0 {
		if auxC, err = commitReleasing(cfg.Scheme, auxMats, rng); err != nil {
			return nil, fmt.Errorf("stark: committing LogUp columns: %w", err)
		}
		proof.AuxRoot = auxC.Root()
	}
	tr.ObserveNode(proof.AuxRoot)

	alphaQ := tr.SampleExt()
	prepIndex := prepIndices(vk)
	quotMats := make([]pcs.Matrix, len(present))
	for i, t := range present {
		in := quotientInput{
			t: t, logN: proof.LogN[t], alphaQ: alphaQ, ch: ch, cumsum: proof.CumSums[t],
			publics: publics[t], kernels: cfg.Kernels, logQ: vk.LogQuot[t],
		}
		in.main, in.shift = mainC.LDE(i)
		if rng != nil && vk.blinded(t, true) {
			nm := len(vk.AIRs[t].Main)
			in.main, in.blind = in.main[:nm], in.main[nm:]
		}
		if prepIndex[t] >= 0 {
			in.prep, _ = pk.prep.LDE(prepIndex[t])
		}
		if rng != nil {
			sh := shapes[t]
			in.logQ, in.qext, in.logC = sh.logQ, sh.qext, sh.logC
			if prepIndex[t] >= 0 { // on the masked trace's coset, which the committed LDE is not
				if in.prep, err = cfg.Kernels.CosetLDE(pk.prepTrace[t], sh.logQ, in.shift); err != nil {
					return nil, fmt.Errorf("stark: preprocessed LDE of table %s: %w", vk.AIRs[t].Name, err)
				}
			}
			in.masks = make([][][]field.Elem, cfg.Scheme.ExtDegree())
			for c := range in.masks {
				in.masks[c] = make([][]field.Elem, 1<<(sh.logQ-sh.logC)-1)
				for j := range in.masks[c] {
					in.masks[c][j] = rng.Column(hQ)
				}
			}
		}
		if auxIndex[t] >= 0 {
			in.aux, _ = auxC.LDE(auxIndex[t])
		}
		if err := context.Cause(ctx); err != nil {
			return nil, err
		}
		if quotMats[i], err = quotientChunks(vk, &in); err != nil {
			return nil, fmt.Errorf("stark: quotient of table %s: %w", vk.AIRs[t].Name, err)
		}
	}
	// The quotients' working vectors are dead.
	collect()
	if rng != nil { // the low-degree test's mask, opened at ζ with the quotients
		R := make(pcs.Matrix, cfg.Scheme.ExtDegree())
		for c := range R {
			R[c] = rng.Column(1 << maskLogN)
		}
		quotMats = append(quotMats, R)
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	quotC, err := commitReleasing(cfg.Scheme, quotMats, rng)
	if err != nil {
		return nil, fmt.Errorf("stark: committing quotients: %w", err)
	}
	proof.QuotRoot = quotC.Root()
	tr.ObserveNode(proof.QuotRoot)

	proof.DEEPNonce = tr.GrindParallel(deepBits, workers)
	tr.CheckWitness(deepBits, proof.DEEPNonce)
	zeta := tr.SampleExt()
	twoPoints := make([][]field.Ext, T)
	for _, t := range present {
		if _, ok := selectorsAt(zeta, proof.LogN[t], omegaInv(proof.LogN[t])); !ok {
			return nil, fmt.Errorf("stark: the out-of-domain point fell on a trace domain (probability ~2^-100); retry")
		}
		var next field.Ext
		w := ntt.RootOfUnity(proof.LogN[t])
		next.MulByElement(&zeta, &w)
		twoPoints[t] = []field.Ext{zeta, next}
	}
	var rounds []pcs.OpenRound
	if vk.HasPrep {
		var pts [][]field.Ext
		for t := range vk.AIRs {
			if prepIndex[t] >= 0 {
				// An absent table's (nil): opened at no point, only in the queries' rows.
				pts = append(pts, twoPoints[t])
			}
		}
		rounds = append(rounds, pcs.OpenRound{Data: pk.prep, Points: pts})
	}
	var mainPts [][]field.Ext
	for _, t := range present {
		mainPts = append(mainPts, twoPoints[t])
	}
	rounds = append(rounds, pcs.OpenRound{Data: mainC, Points: mainPts})
	if auxC != nil {
		var pts [][]field.Ext
		for t := range vk.AIRs {
			if auxIndex[t] >= 0 {
				pts = append(pts, twoPoints[t])
			}
		}
		rounds = append(rounds, pcs.OpenRound{Data: auxC, Points: pts})
	}
	quotPts := make([][]field.Ext, len(quotMats))
	for i := range quotPts {
		quotPts[i] = []field.Ext{zeta}
	}
	rounds = append(rounds, pcs.OpenRound{Data: quotC, Points: quotPts})
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	collect() // the quotient chunks and the quotient tree's scratch
	values, pcsProof, err := cfg.Scheme.Open(rounds, tr, rng)
	if err != nil {
		return nil, fmt.Errorf("stark: opening: %w", err)
	}
	proof.Values = values
	proof.PCS = pcsProof
	return proof, nil
}

// collect runs the garbage collector between the prover's phases. A phase leaves
// hundreds of MB of dead buffers, which at GOGC 25 (backend.TuneGC) would stay until the
// heap had grown a quarter over what is live, the next phase's allocations on top of
// them; collected, their pages take the next phase's buffers. The heap is a few large
// pointer-free buffers, so a collection costs milliseconds. (Measured on mix.s, 990,005
// cycles: peak RSS 2231–2241 -> 2065 MiB; docs/bench.md, Memory.)
func collect() { runtime.GC() }

// commitReleasing commits to mats, which the caller gives up: with a pcs.Releaser each
// matrix can be collected as soon as its LDE is computed (those of the LogUp columns and
// the quotients are the prover's own; the main traces stay referenced by the witness
// until the LogUp columns are generated).
func commitReleasing(s pcs.Scheme, mats []pcs.Matrix, rng *pcs.Rand) (pcs.Committed, error) {
	if r, ok := s.(pcs.Releaser); ok {
		return r.CommitReleasing(mats, rng)
	}
	return s.Commit(mats, rng)
}

// Absent is the log height of an optional table left out of a proof.
const Absent = -1

// presentTables lists the tables that are not absent, in order.
func presentTables(logN []int) []int {
	var p []int
	for t, l := range logN {
		if l != Absent {
			p = append(p, t)
		}
	}
	return p
}

func prepIndices(vk *VerifyingKey) []int {
	idx := make([]int, len(vk.AIRs))
	k := 0
	for t := range vk.AIRs {
		idx[t] = -1
		if vk.PrepLogN[t] >= 0 {
			idx[t] = k
			k++
		}
	}
	return idx
}

func omegaInv(logN int) field.Elem {
	w := ntt.RootOfUnity(logN)
	w.Inverse(&w)
	return w
}
