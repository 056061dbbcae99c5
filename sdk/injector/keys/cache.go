package keys

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// SetupKind says how a pair of keys was made, and so whom a verifier must
// trust: see the package documentation's # Security.
type SetupKind string

const (
	// SetupLocalDev keys come from [SetupLocal]: whoever ran it could forge
	// proofs. For development and tests only.
	SetupLocalDev SetupKind = "local-dev"
	// SetupMPC keys come from an MPC ceremony ([Extract]): sound if one
	// participant was honest.
	SetupMPC SetupKind = "mpc"
)

// Origin is what [Cache.Store] records about where keys come from.
type Origin struct {
	Setup         SetupKind
	NbConstraints int // of the circuit the keys are for
}

// Meta is the content of meta.json next to a pair of cached keys.
type Meta struct {
	Format        int       `json:"format"`         // metaFormat
	CircuitID     string    `json:"circuit_id"`     // [CircuitID] of the circuit
	Setup         SetupKind `json:"setup"`          // "local-dev" or "mpc"
	Created       time.Time `json:"created"`        // when the keys were stored
	NbConstraints int       `json:"nb_constraints"` // of the circuit
	VKSHA256      string    `json:"vk_sha256"`      // of vk.bin, equal to [VKDigest] of the key
	PKSHA256      string    `json:"pk_sha256"`      // of pk.bin
}

const (
	metaFormat = 1
	metaFile   = "meta.json"
	vkFile     = "vk.bin"
	pkFile     = "pk.bin"

	maxMetaSize = 64 << 10 // meta.json is a few hundred bytes
	maxVKSize   = 16 << 20 // a verifying key grows with the public inputs only
)

// Cache holds Groth16 keys on disk, one directory per circuit version:
//
//	<Dir>/<circuit id>/pk.bin     proving key (uncompressed points)
//	<Dir>/<circuit id>/vk.bin     verifying key (compressed points, canonical)
//	<Dir>/<circuit id>/meta.json  [Meta]
//
// An empty Dir means [DefaultDir]. The zero Cache is ready to use.
type Cache struct {
	Dir string
}

// DefaultDir returns ${XDG_CACHE_HOME:-$HOME/.cache}/oneiros/wrap. A relative
// XDG_CACHE_HOME is ignored, as the XDG base directory specification asks.
func DefaultDir() (string, error) {
	base := os.Getenv("XDG_CACHE_HOME")
	if !filepath.IsAbs(base) {
		home := os.Getenv("HOME")
		if home == "" {
			return "", errors.New("neither $XDG_CACHE_HOME nor $HOME is set")
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "oneiros", "wrap"), nil
}

func (c Cache) dir() (string, error) {
	if c.Dir != "" {
		return c.Dir, nil
	}
	return DefaultDir()
}

// Path returns the directory that holds, or would hold, the keys for id.
func (c Cache) Path(id string) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	dir, err := c.dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, id), nil
}

// Store writes keys for the circuit id. The three files are written into a
// staging directory beside the final one, which is then renamed into place:
// a concurrent [Cache.Load] sees the old keys, no keys, or the new keys, never
// a mix. Keys already stored for id are replaced.
func (c Cache) Store(id string, pk groth16.ProvingKey, vk groth16.VerifyingKey, origin Origin) (err error) {
	final, err := c.Path(id)
	if err != nil {
		return err
	}
	if origin.Setup != SetupLocalDev && origin.Setup != SetupMPC {
		return fmt.Errorf("store keys: unknown setup kind %q", origin.Setup)
	}
	bpk, ok := pk.(*groth16bn254.ProvingKey)
	if !ok {
		return fmt.Errorf("store keys: proving key is %T, want a BN254 key", pk)
	}
	bvk, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return fmt.Errorf("store keys: verifying key is %T, want a BN254 key", vk)
	}
	if err := checkPair(bpk, bvk); err != nil {
		return fmt.Errorf("store keys: %w", err)
	}

	root := filepath.Dir(final)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("store keys: %w", err)
	}
	stage, err := os.MkdirTemp(root, ".stage-"+id[:16]+"-*")
	if err != nil {
		return fmt.Errorf("store keys: %w", err)
	}
	defer os.RemoveAll(stage) // empty after a successful rename

	meta := Meta{
		Format:        metaFormat,
		CircuitID:     id,
		Setup:         origin.Setup,
		Created:       time.Now().UTC().Truncate(time.Second),
		NbConstraints: origin.NbConstraints,
	}
	if meta.PKSHA256, err = writeFile(filepath.Join(stage, pkFile), func(w io.Writer) error {
		_, err := bpk.WriteRawTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("store keys: write %s: %w", pkFile, err)
	}
	if meta.VKSHA256, err = writeFile(filepath.Join(stage, vkFile), func(w io.Writer) error {
		_, err := bvk.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("store keys: write %s: %w", vkFile, err)
	}
	if _, err = writeFile(filepath.Join(stage, metaFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(meta)
	}); err != nil {
		return fmt.Errorf("store keys: write %s: %w", metaFile, err)
	}
	syncDir(stage)
	if err := replaceDir(stage, final); err != nil {
		return fmt.Errorf("store keys: %w", err)
	}
	syncDir(root)
	return nil
}

// replaceDir renames the directory from to to, moving an existing to aside
// first: rename(2) does not replace a non-empty directory. Concurrent writers
// of one id race between the move aside and the rename; a writer that loses
// (the target reappeared, or vanished before its own move) tries again, up to
// a bound, so that only a writer starved that many times in a row fails.
func replaceDir(from, to string) error {
	const attempts = 64
	var last error
	for range attempts {
		err := os.Rename(from, to)
		if err == nil {
			return nil
		}
		last = err
		if !errors.Is(err, fs.ErrExist) { // EEXIST or ENOTEMPTY
			return err
		}
		old := fmt.Sprintf("%s.old-%s", to, randomSuffix())
		if err := os.Rename(to, old); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // another writer moved it aside first
			}
			return err
		}
		defer os.RemoveAll(old)
	}
	return fmt.Errorf("rename %s: another writer kept replacing %s (%d attempts): %w", from, to, attempts, last)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Load reads and checks the keys for the circuit id. It returns a
// [*MissingKeysError] when the directory or one of its files is absent, and an
// [*InvalidKeysError] when meta.json names another circuit, a file's SHA-256
// differs from the one meta.json records, a file does not decode, or the
// proving and verifying keys are not from the same setup. Both name
// [SetupCommand]. A corrupt or truncated file gives an error, never a panic.
//
// The three files are read through one handle on the directory, so they come
// from the same [Cache.Store] even if another Store replaces the keys
// meanwhile; while a replace swaps the directories, Load may find none.
func (c Cache) Load(id string) (groth16.ProvingKey, groth16.VerifyingKey, error) {
	var pk *groth16bn254.ProvingKey
	var vk *groth16bn254.VerifyingKey
	err := c.read(id, func(d keyDir) (err error) {
		if vk, err = d.loadVK(); err != nil {
			return err
		}
		if pk, err = d.loadPK(); err != nil {
			return err
		}
		if err := checkPair(pk, vk); err != nil {
			return &InvalidKeysError{ID: id, What: "key pair", Path: d.path, Reason: err}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return pk, vk, nil
}

// LoadVK reads and checks the verifying key for the circuit id only, for a
// verifier that has no use for the (large) proving key. Errors are as for
// [Cache.Load].
func (c Cache) LoadVK(id string) (groth16.VerifyingKey, error) {
	var vk *groth16bn254.VerifyingKey
	err := c.read(id, func(d keyDir) (err error) {
		vk, err = d.loadVK()
		return err
	})
	if err != nil {
		return nil, err
	}
	return vk, nil
}

// LoadMeta reads and checks meta.json for the circuit id: how the keys were
// made, when, and their digests. A CLI uses it to refuse [SetupLocalDev] keys
// where production keys are required. Errors are as for [Cache.Load].
func (c Cache) LoadMeta(id string) (Meta, error) {
	var meta Meta
	err := c.read(id, func(d keyDir) error {
		meta = d.meta
		return nil
	})
	return meta, err
}

// keyDir is one generation of a key directory, open for reading, with its
// meta.json checked.
type keyDir struct {
	root *os.Root
	path string
	meta Meta
}

// read opens the key directory for id, reads meta.json, and runs f. If f (or
// meta.json) fails and the directory was replaced meanwhile, it tries again:
// the failure may be the replace's, not the keys'.
func (c Cache) read(id string, f func(keyDir) error) error {
	path, err := c.Path(id)
	if err != nil {
		return err
	}
	for try := 0; ; try++ {
		root, err := os.OpenRoot(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return &MissingKeysError{ID: id, Missing: "key directory", Path: path}
			}
			return fmt.Errorf("load keys: %w", err)
		}
		before, statErr := root.Stat(".")
		err = statErr
		if err == nil {
			var meta Meta
			if meta, err = readMeta(root, id, path); err == nil {
				err = f(keyDir{root: root, path: path, meta: meta})
			}
		}
		root.Close()
		if err == nil || try == maxReadTries-1 || statErr != nil {
			return err
		}
		if after, statErr := os.Stat(path); statErr == nil && os.SameFile(before, after) {
			return err // not replaced: the failure is the keys'
		}
	}
}

func readMeta(root *os.Root, id, dir string) (Meta, error) {
	path := filepath.Join(dir, metaFile)
	b, err := readSmall(root, id, dir, metaFile, maxMetaSize)
	if err != nil {
		return Meta{}, err
	}
	meta, err := decodeMeta(b)
	if err != nil {
		return Meta{}, &InvalidKeysError{ID: id, What: metaFile, Path: path, Reason: err}
	}
	if meta.CircuitID != id {
		return Meta{}, &InvalidKeysError{ID: id, What: "circuit id", Path: path, Want: id, Got: meta.CircuitID}
	}
	return meta, nil
}

// decodeMeta parses and checks meta.json.
func decodeMeta(b []byte) (Meta, error) {
	var m Meta
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&m); err != nil {
		return Meta{}, err
	}
	if dec.More() {
		return Meta{}, errors.New("trailing data after the JSON object")
	}
	switch {
	case m.Format != metaFormat:
		return Meta{}, fmt.Errorf("format %d, this build reads format %d", m.Format, metaFormat)
	case checkID(m.CircuitID) != nil:
		return Meta{}, fmt.Errorf("circuit_id: %w", checkID(m.CircuitID))
	case m.Setup != SetupLocalDev && m.Setup != SetupMPC:
		return Meta{}, fmt.Errorf("unknown setup kind %q", m.Setup)
	case checkID(m.VKSHA256) != nil:
		return Meta{}, fmt.Errorf("vk_sha256 is not a SHA-256 digest")
	case checkID(m.PKSHA256) != nil:
		return Meta{}, fmt.Errorf("pk_sha256 is not a SHA-256 digest")
	case m.NbConstraints < 0:
		return Meta{}, fmt.Errorf("negative nb_constraints")
	}
	return m, nil
}

// readSmall reads the file name of the key directory, of at most max bytes.
func readSmall(root *os.Root, id, dir, name string, max int64) ([]byte, error) {
	path := filepath.Join(dir, name)
	f, err := root.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &MissingKeysError{ID: id, Missing: name, Path: path}
		}
		return nil, fmt.Errorf("load keys: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	if int64(len(b)) > max {
		return nil, &InvalidKeysError{ID: id, What: name, Path: path, Reason: fmt.Errorf("larger than %d bytes", max)}
	}
	return b, nil
}

func (d keyDir) loadVK() (*groth16bn254.VerifyingKey, error) {
	id := d.meta.CircuitID
	path := filepath.Join(d.path, vkFile)
	b, err := readSmall(d.root, id, d.path, vkFile, maxVKSize)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != d.meta.VKSHA256 {
		return nil, &InvalidKeysError{ID: id, What: "vk.bin digest", Path: path, Want: d.meta.VKSHA256, Got: hex.EncodeToString(sum[:])}
	}
	vk := groth16.NewVerifyingKey(ecc.BN254).(*groth16bn254.VerifyingKey)
	if err := decodeChecked(bytes.NewReader(b), int64(len(b)), scanVK, vk); err != nil {
		return nil, &InvalidKeysError{ID: id, What: vkFile, Path: path, Reason: err}
	}
	if err := checkVK(vk); err != nil {
		return nil, &InvalidKeysError{ID: id, What: vkFile, Path: path, Reason: err}
	}
	return vk, nil
}

func (d keyDir) loadPK() (*groth16bn254.ProvingKey, error) {
	id := d.meta.CircuitID
	path := filepath.Join(d.path, pkFile)
	f, err := d.root.Open(pkFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &MissingKeysError{ID: id, Missing: pkFile, Path: path}
		}
		return nil, fmt.Errorf("load keys: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	// One pass hashes the file and checks its shape; the digest is compared
	// first, so a changed file is reported as such.
	h := sha256.New()
	s := newScanner(io.TeeReader(f, h), info.Size())
	scanErr := scanPK(s)
	if _, err := io.Copy(io.Discard, s.r); err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != d.meta.PKSHA256 {
		return nil, &InvalidKeysError{ID: id, What: "pk.bin digest", Path: path, Want: d.meta.PKSHA256, Got: got}
	}
	if scanErr != nil {
		return nil, &InvalidKeysError{ID: id, What: pkFile, Path: path, Reason: scanErr}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	// The points are decoded without the subgroup checks (minutes for a circuit of
	// millions of constraints): the file is the one Store wrote (its SHA-256 is
	// meta.json's, checked above), and a proving key cannot make a false proof verify —
	// the verifying key, decoded with every check, decides; checkPK and checkPair below
	// still bound every size and tie the pair together.
	pk := groth16.NewProvingKey(ecc.BN254).(*groth16bn254.ProvingKey)
	if err := decodeFrom(f, info.Size(), unsafePK{pk}); err != nil {
		return nil, &InvalidKeysError{ID: id, What: pkFile, Path: path, Reason: err}
	}
	if err := checkPK(pk); err != nil {
		return nil, &InvalidKeysError{ID: id, What: pkFile, Path: path, Reason: err}
	}
	return pk, nil
}

// unsafePK decodes a proving key without subgroup checks (loadPK says why).
type unsafePK struct{ pk *groth16bn254.ProvingKey }

func (u unsafePK) ReadFrom(r io.Reader) (int64, error) { return u.pk.UnsafeReadFrom(r) }

// decodeChecked checks the shape of size bytes from r with scan, then decodes
// them into obj. r must be seekable back to its start.
func decodeChecked(r io.ReadSeeker, size int64, scan func(*scanner) error, obj io.ReaderFrom) error {
	if err := scan(newScanner(r, size)); err != nil {
		return err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return decodeFrom(r, size, obj)
}

// checkPK checks that a decoded proving key's parts agree in size, so that a
// prover using it cannot index out of range.
func checkPK(pk *groth16bn254.ProvingKey) error {
	wires := uint64(len(pk.InfinityA))
	count := func(flags []bool) (n uint64) {
		for _, f := range flags {
			if f {
				n++
			}
		}
		return n
	}
	switch {
	case uint64(len(pk.InfinityB)) != wires:
		return errors.New("infinity flags of A and B differ in length")
	case count(pk.InfinityA) != pk.NbInfinityA || count(pk.InfinityB) != pk.NbInfinityB:
		return errors.New("infinity counts disagree with the flags")
	case uint64(len(pk.G1.A)) != wires-pk.NbInfinityA:
		return errors.New("length of A disagrees with the wire count")
	case uint64(len(pk.G1.B)) != wires-pk.NbInfinityB || len(pk.G2.B) != len(pk.G1.B):
		return errors.New("length of B disagrees with the wire count")
	case uint64(len(pk.G1.Z)) != pk.Domain.Cardinality-1:
		return errors.New("length of Z disagrees with the domain")
	}
	return nil
}

// checkVK checks that a decoded verifying key's parts agree, so that
// groth16.Verify cannot index out of range with it.
func checkVK(vk *groth16bn254.VerifyingKey) error {
	nbPublic := len(vk.G1.K) - len(vk.PublicAndCommitmentCommitted) // with the constant wire
	if nbPublic < 1 {
		return errors.New("fewer K points than commitments")
	}
	if len(vk.CommitmentKeys) != len(vk.PublicAndCommitmentCommitted) {
		return errors.New("commitment keys disagree with the committed indices")
	}
	for i, committed := range vk.PublicAndCommitmentCommitted {
		for _, j := range committed {
			if j < 1 || j > nbPublic-1+i {
				return fmt.Errorf("commitment %d commits to wire %d, out of range", i, j)
			}
		}
	}
	return nil
}

// checkPair checks that a proving and a verifying key come from the same
// setup: they share [α]₁, [β]₁, [β]₂, [δ]₁ and [δ]₂.
func checkPair(pk *groth16bn254.ProvingKey, vk *groth16bn254.VerifyingKey) error {
	if !pk.G1.Alpha.Equal(&vk.G1.Alpha) || !pk.G1.Beta.Equal(&vk.G1.Beta) ||
		!pk.G1.Delta.Equal(&vk.G1.Delta) || !pk.G2.Beta.Equal(&vk.G2.Beta) ||
		!pk.G2.Delta.Equal(&vk.G2.Delta) {
		return errors.New("proving and verifying keys come from different setups")
	}
	if len(pk.CommitmentKeys) != len(vk.CommitmentKeys) {
		return errors.New("proving and verifying keys have different commitment counts")
	}
	return nil
}

// maxReadTries bounds read's retries while other Stores keep replacing the directory
// (each retry follows a replace that happened during the previous read).
const maxReadTries = 64
