package planner

import (
	"cmp"
	"math"

	"github.com/oneiros-zk/oneiros/sdk/config"
)

// CostModel holds the constants the planner's estimates are made of. docs/cost-model.md
// derives the formulas. The values of [DefaultCostModel] are placeholders, chosen by
// reasoning about the engine's design, until benchmarks still to be written with the
// prover (BenchmarkProve in proving/stark, BenchmarkPermutation in proving/hash, run by
// `oneiros bench prove`) measure them; a plan says so in its Calibrated field.
type CostModel struct {
	// TraceBytesPerCycle is the main and auxiliary trace one cycle adds, summed over the
	// chips an average cycle touches: about 96 base-field columns of 4 bytes (CPU row,
	// memory accesses, ALU and bus rows, LogUp columns counted 4 each in the extension).
	TraceBytesPerCycle uint64

	// RecordBytesPerCycle is one execution record as the frontend streams it (pc, fp,
	// instruction, operand values, memory accesses), held until its segment is proved.
	RecordBytesPerCycle uint64

	// DigestBytes is one Poseidon2 digest: 8 KoalaBear elements.
	DigestBytes uint64

	// MerkleNodesPerLeaf counts the digests a Merkle tree keeps per leaf: the leaves
	// themselves and the inner nodes, which number about as many again.
	MerkleNodesPerLeaf uint64

	// QuotientBytesPerRow is the quotient's share of one LDE row: its chunks as
	// extension elements (16 bytes each), two per row at the default blowup.
	QuotientBytesPerRow uint64

	// FixedBytes is what a proving process holds whatever the segment: Go runtime,
	// preprocessed tables (byte and range lookups), twiddles, buffers.
	FixedBytes uint64

	// ProgramBytesFactor multiplies the program image for its resident cost: the image,
	// its program-ROM trace and that trace's LDE.
	ProgramBytesFactor uint64

	// CyclesPerSecondPerCore is the CPU backend's proving throughput of one core, in
	// trace rows (cycles) per second, at log_blowup 1. The work scales with the LDE size,
	// so other blowups scale it by 2^log_blowup / 2.
	CyclesPerSecondPerCore float64

	// ParallelEfficiency is what each core beyond the first adds to one proof:
	// w workers prove as fast as 1 + (w-1)·ParallelEfficiency cores.
	ParallelEfficiency float64

	// HashesPerSecondPerCore is Poseidon2 permutations per second of one core, which
	// prices grinding: 2^grinding_bits permutations on average.
	HashesPerSecondPerCore float64

	// Calibrated says whether the constants come from measurements.
	Calibrated bool
}

// DefaultCostModel is the model [New] uses. Its constants are uncalibrated placeholders.
var DefaultCostModel = CostModel{
	TraceBytesPerCycle:     384,
	RecordBytesPerCycle:    64,
	DigestBytes:            32,
	MerkleNodesPerLeaf:     2,
	QuotientBytesPerRow:    32,
	FixedBytes:             256 << 20,
	ProgramBytesFactor:     8,
	CyclesPerSecondPerCore: 25_000,
	ParallelEfficiency:     0.8,
	HashesPerSecondPerCore: 500_000,
	Calibrated:             false,
}

// ProverBytes estimates the prover's working set for one segment whose padded trace
// has height rows: the trace, its LDE, the Merkle tree over the LDE rows and the
// quotient. The digests and the quotient's extension elements grow with engine.hash
// (12-element nodes for poseidon2-w24) and engine.ext_degree (6 coordinates).
func (m *CostModel) ProverBytes(cfg *config.Config, height uint64) uint64 {
	lde := height << cfg.Engine.LogBlowup
	digest := m.DigestBytes * uint64(cfg.Engine.HashScheme().DigestLen()) / 8
	quotient := m.QuotientBytesPerRow * uint64(cmp.Or(cfg.Engine.ExtDegree, 4)) / 4
	return height*m.TraceBytesPerCycle +
		lde*m.TraceBytesPerCycle +
		lde*digest*m.MerkleNodesPerLeaf +
		lde*quotient
}

// RecordBytes estimates the execution records of cycles cycles.
func (m *CostModel) RecordBytes(cycles uint64) uint64 { return cycles * m.RecordBytesPerCycle }

// ProcessBytes estimates what a proving process holds besides its segments.
func (m *CostModel) ProcessBytes(w Workload) uint64 {
	return m.FixedBytes + w.ProgramBytes*m.ProgramBytesFactor + w.InputBytes
}

// Seconds estimates the wall time of proving one segment of the given padded height
// with workers goroutines on cores of their own: the LDE-sized work plus grinding.
func (m *CostModel) Seconds(cfg *config.Config, height uint64, workers int) float64 {
	cores := m.effectiveCores(workers)
	work := float64(height) * math.Ldexp(1, cfg.Engine.LogBlowup) / 2
	grind := math.Ldexp(1, cfg.Engine.GrindingBits)
	return work/(m.CyclesPerSecondPerCore*cores) + grind/(m.HashesPerSecondPerCore*cores)
}

func (m *CostModel) effectiveCores(workers int) float64 {
	return 1 + float64(max(workers, 1)-1)*m.ParallelEfficiency
}
