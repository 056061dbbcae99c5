package keys

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
)

// TestCeremony runs the whole ceremony as participants would, one file at a
// time: phase 1 for circuits of the test circuit's size, three participants in
// each phase, sealing and extraction with beacons, then a real proof with the
// keys; the same phase 1 then serves a smaller circuit. Then it tampers with
// the transcript in the ways a dishonest participant or coordinator could, and
// checks that verification refuses each.
func TestCeremony(t *testing.T) {
	ccs := testCCS()
	n := uint64(ccs.GetNbConstraints())
	dir := t.TempDir()
	path := func(format string, args ...any) string { return filepath.Join(dir, fmt.Sprintf(format, args...)) }
	timed := func(what string, f func() error) {
		t.Helper()
		start := time.Now()
		if err := f(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%-22s %v", what, time.Since(start).Round(time.Millisecond))
	}
	const participants = 3
	var p1, p2 []string

	timed("phase 1 init", func() error { return Phase1Init(n, path("p1-0")) })
	for i := 1; i <= participants; i++ {
		timed(fmt.Sprintf("phase 1 contribute %d", i), func() error {
			digest, err := Phase1Contribute(path("p1-%d", i-1), path("p1-%d", i))
			if err == nil && digest != mustDigest(t, path("p1-%d", i)) {
				err = errors.New("returned digest is not the output's SHA-256")
			}
			return err
		})
		p1 = append(p1, path("p1-%d", i))
	}
	timed("phase 1 verify", func() error { return Phase1Verify(n, p1) })
	var srsDigest string
	timed("phase 1 seal", func() (err error) {
		srsDigest, err = Phase1Seal(n, p1, []byte("beacon: phase 1"), path("srs"))
		return err
	})
	// Anyone re-running the seal gets the same SRS.
	if again, err := Phase1Seal(n, p1, []byte("beacon: phase 1"), path("srs-again")); err != nil || again != srsDigest {
		t.Errorf("sealing again gave %s (%v), want %s", again, err, srsDigest)
	}

	timed("phase 2 init", func() error { return Phase2Init(ccs, path("srs"), path("p2-0")) })
	for i := 1; i <= participants; i++ {
		timed(fmt.Sprintf("phase 2 contribute %d", i), func() error {
			_, err := Phase2Contribute(path("p2-%d", i-1), path("p2-%d", i))
			return err
		})
		p2 = append(p2, path("p2-%d", i))
	}
	timed("phase 2 verify", func() error { return Phase2Verify(ccs, path("srs"), p2) })
	beacon := []byte("beacon: phase 2")
	var vkDigest string
	timed("extract", func() error {
		pk, vk, err := Extract(ccs, path("srs"), p2, beacon)
		if err != nil {
			return err
		}
		vkDigest = VKDigest(vk)
		proveVerify(t, ccs, pk, vk)

		c := Cache{Dir: filepath.Join(dir, "cache")}
		id := testID(t)
		if err := c.Store(id, pk, vk, Origin{Setup: SetupMPC, NbConstraints: ccs.GetNbConstraints()}); err != nil {
			return err
		}
		if meta, err := c.LoadMeta(id); err != nil || meta.Setup != SetupMPC || meta.VKSHA256 != vkDigest {
			return fmt.Errorf("stored meta %+v, %v", meta, err)
		}
		return nil
	})
	if _, vk, err := Extract(ccs, path("srs"), p2, beacon); err != nil || VKDigest(vk) != vkDigest {
		t.Errorf("extracting again gave another verifying key (%v)", err)
	}

	// Phase 1 is reusable: a smaller circuit takes a prefix of the powers of τ.
	timed("small circuit: phase 2", func() error {
		small, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, new(cubicCircuit))
		if err != nil {
			return err
		}
		if err := Phase2Init(small, path("srs"), path("small-0")); err != nil {
			return err
		}
		if _, err := Phase2Contribute(path("small-0"), path("small-1")); err != nil {
			return err
		}
		pk, vk, err := Extract(small, path("srs"), []string{path("small-1")}, beacon)
		if err != nil {
			return err
		}
		w, err := frontend.NewWitness(&cubicCircuit{X: 3, Y: 35}, ecc.BN254.ScalarField())
		if err != nil {
			return err
		}
		pub, err := w.Public()
		if err != nil {
			return err
		}
		proof, err := groth16.Prove(small, pk, w)
		if err != nil {
			return err
		}
		return groth16.Verify(proof, vk, pub)
	})

	// Tampering. Each case writes a modified copy and expects verification
	// to refuse it, naming the contribution at fault.
	refuse := func(t *testing.T, err error, want ...string) {
		t.Helper()
		if err == nil {
			t.Fatal("verification accepted a tampered transcript")
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not say %q", err, w)
			}
		}
		t.Log(err)
	}

	t.Run("phase 1: powers of τ out of order", func(t *testing.T) {
		bad := copyFile(t, p1[1], path("p1-2-swapped"))
		// After the magic, three update proofs (a compressed G1 and G2
		// point each), N and [β]₂ come [τ¹]₁, [τ²]₁, [τ³]₁: swap [τ²]₁ and
		// [τ³]₁. Both are valid points, so the file decodes.
		at := int64(len(magicPhase1) + 3*(curve.SizeOfG1AffineCompressed+curve.SizeOfG2AffineCompressed) + 8 + curve.SizeOfG2AffineCompressed + curve.SizeOfG1AffineCompressed)
		swap(t, bad, at, at+curve.SizeOfG1AffineCompressed, curve.SizeOfG1AffineCompressed)
		err := Phase1Verify(n, []string{p1[0], bad, p1[2]})
		refuse(t, err, "contribution 2")
		if !errors.Is(err, ErrInvalidContribution) {
			t.Errorf("error %q does not wrap ErrInvalidContribution", err)
		}
		_, err = Phase1Seal(n, []string{p1[0], bad, p1[2]}, []byte("beacon"), path("srs-bad"))
		refuse(t, err, "contribution 2")
	})
	t.Run("phase 1: a contribution left out", func(t *testing.T) {
		refuse(t, Phase1Verify(n, []string{p1[0], p1[2]}), "contribution 2", "challenge")
	})
	t.Run("phase 1: a contribution not built on the one before", func(t *testing.T) {
		if _, err := Phase1Contribute(p1[0], path("p1-fork")); err != nil {
			t.Fatal(err)
		}
		refuse(t, Phase1Verify(n, []string{p1[0], p1[1], path("p1-fork")}), "contribution 3")
	})
	t.Run("phase 1: the starting point itself as a contribution", func(t *testing.T) {
		refuse(t, Phase1Verify(n, []string{path("p1-0")}), "contribution 1")
	})
	t.Run("phase 1: another domain size", func(t *testing.T) {
		refuse(t, Phase1Verify(2*n, p1), "contribution 1", "domain size")
	})
	t.Run("phase 2: δ updated in G1 but not in the bases", func(t *testing.T) {
		bad := path("p2-2-tampered")
		editPhase2(t, p2[1], bad, func(p *mpcsetup.Phase2) {
			// Double one basis that carries 1/δ, as a participant who
			// wanted to plant a trapdoor without the proof matching would.
			p.Parameters.G1.PKK[0].Double(&p.Parameters.G1.PKK[0])
		})
		err := Phase2Verify(ccs, path("srs"), []string{p2[0], bad, p2[2]})
		refuse(t, err, "contribution 2", "δ")
	})
	t.Run("phase 2: σ replaced", func(t *testing.T) {
		bad := path("p2-3-sigma")
		editPhase2(t, p2[2], bad, func(p *mpcsetup.Phase2) {
			p.Parameters.G2.Sigma[0].Double(&p.Parameters.G2.Sigma[0])
		})
		refuse(t, Phase2Verify(ccs, path("srs"), []string{p2[0], p2[1], bad}), "contribution 3", "σ")
	})
	t.Run("phase 2: contributions reordered", func(t *testing.T) {
		refuse(t, Phase2Verify(ccs, path("srs"), []string{p2[1], p2[0], p2[2]}), "contribution 1")
	})
	t.Run("phase 2: a file for another circuit", func(t *testing.T) {
		otherID, err := CircuitID(compile(true))
		if err != nil {
			t.Fatal(err)
		}
		bad := copyFile(t, p2[0], path("p2-other"))
		raw, _ := hex.DecodeString(otherID)
		f, err := os.OpenFile(bad, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(raw, int64(len(magicPhase2))); err != nil {
			t.Fatal(err)
		}
		f.Close()
		refuse(t, Phase2Verify(ccs, path("srs"), []string{p2[0], p2[1], bad}), "contribution 3", "for circuit "+otherID)
		_, _, err = Extract(compile(true), path("srs"), p2, beacon)
		refuse(t, err, "contribution 1", "for circuit "+testID(t))
	})
	t.Run("phase 2: started from another phase-1 output", func(t *testing.T) {
		if _, err := Phase1Seal(n, p1, []byte("another beacon"), path("srs-other")); err != nil {
			t.Fatal(err)
		}
		refuse(t, Phase2Verify(ccs, path("srs-other"), p2), "contribution 1", "phase-1 output")
	})
	t.Run("files in the wrong place", func(t *testing.T) {
		refuse(t, Phase1Verify(n, []string{p2[0]}), "not a phase-1 contribution file", "it is a phase-2")
		refuse(t, Phase2Verify(ccs, p1[2], p2), "not a sealed phase-1")
		_, err := Phase2Contribute(p1[0], path("x"))
		refuse(t, err, "not a phase-2 contribution file")
	})
	t.Run("corrupt and truncated files", func(t *testing.T) {
		for i, f := range []string{p1[1], p2[1]} {
			info, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int64{0, 10, 30, 200, info.Size() / 2, info.Size() - 1} {
				bad := copyFile(t, f, path("cut-%d-%d", i, size))
				if err := os.Truncate(bad, size); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					_, err = Phase1Contribute(bad, path("out"))
				} else {
					_, err = Phase2Contribute(bad, path("out"))
				}
				refuse(t, err)
			}
			// A flipped bit in a point: the point is off the curve or out of
			// the subgroup, or the proof fails.
			bad := copyFile(t, f, path("flip-%d", i))
			flipByte(filepath.Base(bad), int(info.Size()/2))(t, dir)
			if i == 0 {
				refuse(t, Phase1Verify(n, []string{p1[0], bad}), "contribution 2")
			} else {
				refuse(t, Phase2Verify(ccs, path("srs"), []string{p2[0], bad}), "contribution 2")
			}
		}
	})
	t.Run("no contributions", func(t *testing.T) {
		refuse(t, Phase1Verify(n, nil), "no contributions")
		_, _, err := Extract(ccs, path("srs"), nil, beacon)
		refuse(t, err, "no contributions")
		_, _, err = Extract(ccs, path("srs"), p2, nil)
		refuse(t, err, "beacon")
	})
	t.Run("phase 1 too small for the circuit", func(t *testing.T) {
		small := uint64(ccs.GetNbConstraints() / 4)
		if err := Phase1Init(small, path("small-0")); err != nil {
			t.Fatal(err)
		}
		if _, err := Phase1Contribute(path("small-0"), path("small-1")); err != nil {
			t.Fatal(err)
		}
		if _, err := Phase1Seal(small, []string{path("small-1")}, []byte("b"), path("small-srs")); err != nil {
			t.Fatal(err)
		}
		refuse(t, Phase2Init(ccs, path("small-srs"), path("x")), "larger n")
	})
}

func mustDigest(t *testing.T, path string) string {
	t.Helper()
	d, err := fileDigest(path)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func copyFile(t *testing.T, from, to string) string {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}

// swap exchanges the size bytes at a and b in the file at path.
func swap(t *testing.T, path string, a, b int64, size int) {
	t.Helper()
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := append([]byte(nil), buf[a:a+int64(size)]...)
	copy(buf[a:], buf[b:b+int64(size)])
	copy(buf[b:], x)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// editPhase2 decodes a phase-2 file, edits it, and writes it to out with the
// same header, as a participant with their own tooling could.
func editPhase2(t *testing.T, in, out string, edit func(*mpcsetup.Phase2)) {
	t.Helper()
	p := new(mpcsetup.Phase2)
	header, err := readFile(in, magicPhase2, phase2Header, scanPhase2, p)
	if err != nil {
		t.Fatal(err)
	}
	edit(p)
	if _, err := writeFile(out, func(w io.Writer) error { return writeObject(w, magicPhase2, header, p) }); err != nil {
		t.Fatal(err)
	}
}
