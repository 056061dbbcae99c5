package keys

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"
)

// Each ceremony file starts with a line naming its kind, so that a file
// passed in the wrong place is refused by name. A phase-2 file then holds the
// circuit id and the SHA-256 of the phase-1 output it was started from (32
// bytes each). The rest is gnark's encoding of the object.
const (
	magicPhase1 = "oneiros-mpc phase1 v1\n"
	magicSRS    = "oneiros-mpc srs v1\n"
	magicPhase2 = "oneiros-mpc phase2 v1\n"

	phase2Header = 64 // circuit id, SRS digest
)

// ErrInvalidContribution is wrapped by every error that says a ceremony file
// does not follow from the ones before it: a bad proof of knowledge, an update
// that is not a re-randomization of the previous parameters, a broken chain of
// challenges, or a file for another circuit or phase-1 output.
var ErrInvalidContribution = errors.New("invalid contribution")

// Phase1Init writes the starting point of a phase-1 ("powers of τ") ceremony
// to out. It serves every circuit of up to n constraints: the domain is n
// rounded up to a power of two, 2²⁸ at most. The file holds no secret; anyone
// can make it, and [Phase1Verify] re-derives it rather than reading it.
func Phase1Init(n uint64, out string) error {
	N, err := domainSize(n)
	if err != nil {
		return fmt.Errorf("phase 1 init: %w", err)
	}
	p := mpcsetup.NewPhase1(N)
	if _, err := writeFile(out, func(w io.Writer) error { return writeObject(w, magicPhase1, nil, p) }); err != nil {
		return fmt.Errorf("phase 1 init: %w", err)
	}
	return nil
}

// Phase1Contribute reads the latest phase-1 file in, adds fresh randomness
// from crypto/rand with a proof of knowledge of it, and writes the result to
// out. It returns the hex SHA-256 of out, for the participant to publish: it
// names their contribution in the chain. The randomness lives in this process
// only while the call runs; a participant runs it on a machine they trust and
// does not keep core dumps.
//
// It checks that in decodes, not that it follows from the files before it:
// that is [Phase1Verify]'s job, which anyone can run.
func Phase1Contribute(in, out string) (digest string, err error) {
	p, err := readPhase1(in, 0)
	if err != nil {
		return "", fmt.Errorf("phase 1 contribute: %w", err)
	}
	if err := guard(func() error { p.Contribute(); return nil }); err != nil {
		return "", fmt.Errorf("phase 1 contribute: %w", err)
	}
	digest, err = writeFile(out, func(w io.Writer) error { return writeObject(w, magicPhase1, nil, p) })
	if err != nil {
		return "", fmt.Errorf("phase 1 contribute: %w", err)
	}
	return digest, nil
}

// Phase1Verify checks a chain of phase-1 contributions, in order, for circuits
// of up to n constraints (the n given to [Phase1Init]). Each file must carry a
// valid proof of knowledge of its randomness, bound to the hash of the file
// before it, and its powers of τ must be a consistent re-randomization of the
// previous ones. Errors wrap [ErrInvalidContribution] and name the first file
// at fault.
func Phase1Verify(n uint64, contributions []string) error {
	_, err := verifyPhase1(n, contributions)
	return err
}

// Phase1Seal verifies a chain of phase-1 contributions as [Phase1Verify]
// does, applies the beacon as a last public contribution, and writes the
// circuit-independent result (the SRS) to out, which [Phase2Init], [Phase2Verify]
// and [Extract] read. It returns the hex SHA-256 of out.
//
// The beacon is a public random value that nobody can know before the last
// contribution is in, announced in advance (say, the hash of a named future
// block). Sealing is deterministic: anyone who re-runs it with the same files
// and beacon gets a byte-identical out, and so checks the SRS that phase 2
// used. The result serves every circuit of up to n constraints.
func Phase1Seal(n uint64, contributions []string, beacon []byte, out string) (digest string, err error) {
	if len(beacon) == 0 {
		return "", errors.New("phase 1 seal: empty beacon")
	}
	last, err := verifyPhase1(n, contributions)
	if err != nil {
		return "", err
	}
	var srs mpcsetup.SrsCommons
	if err := guard(func() error { srs = last.Seal(beacon); return nil }); err != nil {
		return "", fmt.Errorf("phase 1 seal: %w", err)
	}
	digest, err = writeFile(out, func(w io.Writer) error { return writeObject(w, magicSRS, nil, &srs) })
	if err != nil {
		return "", fmt.Errorf("phase 1 seal: %w", err)
	}
	return digest, nil
}

func verifyPhase1(n uint64, contributions []string) (*mpcsetup.Phase1, error) {
	N, err := domainSize(n)
	if err != nil {
		return nil, fmt.Errorf("phase 1 verify: %w", err)
	}
	if len(contributions) == 0 {
		return nil, errors.New("phase 1 verify: no contributions: the keys would rest on the beacon alone")
	}
	prev := mpcsetup.NewPhase1(N)
	for i, path := range contributions {
		next, err := readPhase1(path, N)
		if err != nil {
			return nil, fmt.Errorf("phase 1 verify: contribution %d: %w", i+1, err)
		}
		if err := guard(func() error { return prev.Verify(next) }); err != nil {
			return nil, fmt.Errorf("phase 1 verify: contribution %d (%s): %w: %w", i+1, path, ErrInvalidContribution, err)
		}
		prev = next
	}
	return prev, nil
}

// Phase2Init writes the starting point of the phase-2 (circuit-specific)
// ceremony for ccs to out, from the sealed phase-1 output phase1
// ([Phase1Seal]). The file names the circuit ([CircuitID]) and the phase-1
// output it was started from. It holds no secret; [Phase2Verify] re-derives it
// rather than reading it.
func Phase2Init(ccs constraint.ConstraintSystem, phase1 string, out string) error {
	c, err := loadCircuit(ccs, phase1)
	if err != nil {
		return fmt.Errorf("phase 2 init: %w", err)
	}
	p := new(mpcsetup.Phase2)
	if err := guard(func() error { p.Initialize(c.r1cs, &c.srs); return nil }); err != nil {
		return fmt.Errorf("phase 2 init: %w", err)
	}
	if _, err := writeFile(out, func(w io.Writer) error { return writeObject(w, magicPhase2, c.header, p) }); err != nil {
		return fmt.Errorf("phase 2 init: %w", err)
	}
	return nil
}

// Phase2Contribute reads the latest phase-2 file in, adds fresh randomness (a
// new δ, and a new σ per commitment) with proofs of knowledge, and writes the
// result to out. It returns the hex SHA-256 of out, for the participant to
// publish. As with [Phase1Contribute], it does not need the circuit and does
// not check the chain: [Phase2Verify] does.
func Phase2Contribute(in, out string) (digest string, err error) {
	p := new(mpcsetup.Phase2)
	header, err := readFile(in, magicPhase2, phase2Header, scanPhase2, p)
	if err != nil {
		return "", fmt.Errorf("phase 2 contribute: %w", err)
	}
	if err := guard(func() error { p.Contribute(); return nil }); err != nil {
		return "", fmt.Errorf("phase 2 contribute: %w", err)
	}
	digest, err = writeFile(out, func(w io.Writer) error { return writeObject(w, magicPhase2, header, p) })
	if err != nil {
		return "", fmt.Errorf("phase 2 contribute: %w", err)
	}
	return digest, nil
}

// Phase2Verify checks a chain of phase-2 contributions for ccs, in order,
// against the sealed phase-1 output phase1: each file must be for this
// circuit and this phase-1 output, carry valid proofs of knowledge bound to the
// file before it, and re-randomize δ (and each σ) consistently. Errors wrap
// [ErrInvalidContribution] and name the first file at fault.
func Phase2Verify(ccs constraint.ConstraintSystem, phase1 string, contributions []string) error {
	_, _, err := verifyPhase2(ccs, phase1, contributions)
	return err
}

// Extract verifies a phase-2 chain as [Phase2Verify] does, applies the beacon
// as a last public contribution, and returns the proving and verifying keys.
// The beacon is chosen as for [Phase1Seal], after the last phase-2
// contribution. Extraction is deterministic: anyone who re-runs it gets the
// same keys, and compares [VKDigest] with the published one. Store the keys
// with [SetupMPC].
func Extract(ccs constraint.ConstraintSystem, phase1 string, contributions []string, beacon []byte) (groth16.ProvingKey, groth16.VerifyingKey, error) {
	if len(beacon) == 0 {
		return nil, nil, errors.New("extract keys: empty beacon")
	}
	c, last, err := verifyPhase2(ccs, phase1, contributions)
	if err != nil {
		return nil, nil, err
	}
	var pk groth16.ProvingKey
	var vk groth16.VerifyingKey
	if err := guard(func() error { pk, vk = last.Seal(&c.srs, &c.evals, beacon); return nil }); err != nil {
		return nil, nil, fmt.Errorf("extract keys: %w", err)
	}
	return pk, vk, nil
}

func verifyPhase2(ccs constraint.ConstraintSystem, phase1 string, contributions []string) (*circuit, *mpcsetup.Phase2, error) {
	c, err := loadCircuit(ccs, phase1)
	if err != nil {
		return nil, nil, fmt.Errorf("phase 2 verify: %w", err)
	}
	if len(contributions) == 0 {
		return nil, nil, errors.New("phase 2 verify: no contributions: the keys would rest on the beacon alone")
	}
	// Check every file's header before the circuit's evaluations, which take
	// long for a large circuit: a file in the wrong place fails fast.
	for i, path := range contributions {
		header, err := readHeader(path, magicPhase2, phase2Header)
		if err == nil {
			err = c.checkHeader(header)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("phase 2 verify: contribution %d (%s): %w", i+1, path, err)
		}
	}
	prev := new(mpcsetup.Phase2)
	if err := guard(func() error { c.evals = prev.Initialize(c.r1cs, &c.srs); return nil }); err != nil {
		return nil, nil, fmt.Errorf("phase 2 verify: %w", err)
	}
	for i, path := range contributions {
		next := new(mpcsetup.Phase2)
		header, err := readFile(path, magicPhase2, phase2Header, scanPhase2, next)
		if err == nil {
			err = c.checkHeader(header)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("phase 2 verify: contribution %d: %w", i+1, err)
		}
		if err := guard(func() error { return prev.Verify(next) }); err != nil {
			return nil, nil, fmt.Errorf("phase 2 verify: contribution %d (%s): %w: %w", i+1, path, ErrInvalidContribution, err)
		}
		prev = next
	}
	return c, prev, nil
}

// circuit is what phase 2 needs about a circuit: its R1CS, the phase-1 SRS
// cut to its domain, and the header of its phase-2 files.
type circuit struct {
	r1cs   *cs.R1CS
	srs    mpcsetup.SrsCommons
	evals  mpcsetup.Phase2Evaluations
	header []byte // circuit id, SRS file digest
}

// checkHeader checks that a phase-2 file's header names this circuit and
// this phase-1 output.
func (c *circuit) checkHeader(header []byte) error {
	if string(header[:32]) != string(c.header[:32]) {
		return fmt.Errorf("%w: it is for circuit %x, not %x", ErrInvalidContribution, header[:32], c.header[:32])
	}
	if string(header[32:]) != string(c.header[32:]) {
		return fmt.Errorf("%w: it was started from phase-1 output %x, not %x", ErrInvalidContribution, header[32:], c.header[32:])
	}
	return nil
}

func loadCircuit(ccs constraint.ConstraintSystem, phase1 string) (*circuit, error) {
	r, err := asR1CS(ccs)
	if err != nil {
		return nil, err
	}
	id, err := CircuitID(ccs)
	if err != nil {
		return nil, err
	}
	c := &circuit{r1cs: r}
	if _, err := readFile(phase1, magicSRS, 0, func(s *scanner) error { scanSRS(s); return s.end() }, &c.srs); err != nil {
		return nil, err
	}
	digest, err := fileDigest(phase1)
	if err != nil {
		return nil, err
	}
	// The SRS serves every domain up to its own: a circuit uses a prefix of
	// the powers of τ, the size groth16.Setup would pick.
	nb := r.GetNbConstraints()
	n, err := domainSize(uint64(nb))
	if err != nil {
		return nil, err
	}
	if N := uint64(len(c.srs.G2.Tau)); N < n {
		return nil, fmt.Errorf("phase-1 output %s serves circuits of up to %d constraints; this one has %d: run phase 1 with a larger n", phase1, N, nb)
	}
	c.srs.G1.Tau = c.srs.G1.Tau[:2*n-1]
	c.srs.G2.Tau = c.srs.G2.Tau[:n]
	c.srs.G1.AlphaTau = c.srs.G1.AlphaTau[:n]
	c.srs.G1.BetaTau = c.srs.G1.BetaTau[:n]

	rawID, _ := hex.DecodeString(id)
	rawDigest, _ := hex.DecodeString(digest)
	c.header = append(rawID, rawDigest...)
	return c, nil
}

func readPhase1(path string, n uint64) (*mpcsetup.Phase1, error) {
	p := new(mpcsetup.Phase1)
	scan := func(s *scanner) error {
		N, err := scanPhase1(s)
		if err == nil && n != 0 && N != n {
			return fmt.Errorf("%w: domain size %d, want %d", ErrInvalidContribution, N, n)
		}
		return err
	}
	if _, err := readFile(path, magicPhase1, 0, scan, p); err != nil {
		return nil, err
	}
	return p, nil
}

// domainSize returns the FFT domain for n constraints: n rounded up to a
// power of two, at least 2 (phase 1 checks ratios between consecutive powers).
func domainSize(n uint64) (uint64, error) {
	if n > 1<<maxLogDomain {
		return 0, fmt.Errorf("%d constraints: BN254 allows 2^%d at most", n, maxLogDomain)
	}
	return max(ecc.NextPowerOfTwo(n), 2), nil
}

// writeObject writes a ceremony file: magic, header, then obj.
func writeObject(w io.Writer, magic string, header []byte, obj io.WriterTo) error {
	if _, err := io.WriteString(w, magic); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	_, err := obj.WriteTo(w)
	return err
}

// readFile reads a ceremony file written by writeObject: it checks the magic,
// returns the header of headerLen bytes, checks the rest's shape with scan,
// then decodes it into obj.
func readFile(path, magic string, headerLen int, scan func(*scanner) error, obj io.ReaderFrom) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	header, err := header(f, path, magic, headerLen)
	if err != nil {
		return nil, err
	}
	start := int64(len(magic) + headerLen)
	size := info.Size() - start
	if err := decodeChecked(io.NewSectionReader(f, start, size), size, scan, obj); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return header, nil
}

// readHeader reads the header of a ceremony file only.
func readHeader(path, magic string, headerLen int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return header(f, path, magic, headerLen)
}

func header(f *os.File, path, magic string, headerLen int) ([]byte, error) {
	head := make([]byte, len(magic)+headerLen)
	n, _ := io.ReadFull(f, head)
	if n < len(magic) || string(head[:len(magic)]) != magic {
		return nil, fmt.Errorf("%s is not a %s file%s", path, kindOf(magic), seemsTo(f))
	}
	if n < len(head) {
		return nil, fmt.Errorf("%s: %w: header cut short", path, errShape)
	}
	return head[len(magic):], nil
}

func kindOf(magic string) string {
	switch magic {
	case magicPhase1:
		return "phase-1 contribution"
	case magicSRS:
		return "sealed phase-1 (SRS)"
	default:
		return "phase-2 contribution"
	}
}

// seemsTo names what a file that failed the magic check seems to be.
func seemsTo(f io.ReaderAt) string {
	head := make([]byte, 32)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	for _, m := range []string{magicPhase1, magicSRS, magicPhase2} {
		if len(head) >= len(m) && string(head[:len(m)]) == m {
			return " (it is a " + kindOf(m) + " file)"
		}
	}
	return ""
}
