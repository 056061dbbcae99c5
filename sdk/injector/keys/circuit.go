package keys

import (
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
	"github.com/consensys/gnark/constraint"
)

// ccsFile holds the circuit's constraint system beside its keys ([Cache.StoreCircuit]),
// so that a prover does not compile the circuit again (a minute and gigabytes for the
// zkVM's wrap circuit).
const ccsFile = "ccs.bin"

// labelsDir holds the bindings ([Binding]) of labels to circuit ids.
const labelsDir = "labels"

// StoreCircuit writes the constraint system of the circuit id into its key directory
// ([Cache.Store] first: the directory must exist). It refuses a constraint system whose
// [CircuitID] is not id.
func (c Cache) StoreCircuit(id string, ccs constraint.ConstraintSystem) error {
	dir, err := c.Path(id)
	if err != nil {
		return err
	}
	if got, err := CircuitID(ccs); err != nil {
		return fmt.Errorf("store circuit: %w", err)
	} else if got != id {
		return fmt.Errorf("store circuit: the constraint system is circuit %s, not %s", got, id)
	}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("store circuit: %w (store the circuit's keys first)", err)
	}
	if _, err := writeFile(filepath.Join(dir, ccsFile), func(w io.Writer) error {
		_, err := ccs.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("store circuit: write %s: %w", ccsFile, err)
	}
	syncDir(dir)
	return nil
}

// LoadCircuit reads the constraint system of the circuit id and checks that it is that
// circuit (its [CircuitID]). A missing file is a [*MissingKeysError], one that does not
// decode or is another circuit an [*InvalidKeysError]; both name [SetupCommand]. It
// never panics on a corrupt file.
func (c Cache) LoadCircuit(id string) (constraint.ConstraintSystem, error) {
	dir, err := c.Path(id)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ccsFile)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &MissingKeysError{ID: id, Missing: ccsFile, Path: path}
		}
		return nil, fmt.Errorf("load circuit: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load circuit: %w", err)
	}
	ccs := groth16.NewCS(ecc.BN254)
	if err := decodeFrom(f, st.Size(), ccs); err != nil {
		return nil, &InvalidKeysError{ID: id, What: ccsFile, Path: path, Reason: err}
	}
	got, err := CircuitID(ccs)
	if err != nil {
		return nil, &InvalidKeysError{ID: id, What: ccsFile, Path: path, Reason: err}
	}
	if got != id {
		return nil, &InvalidKeysError{ID: id, What: "circuit id of " + ccsFile, Path: path, Want: id, Got: got}
	}
	return ccs, nil
}

// Binding names the circuit a label stands for: a caller that knows what it wants to
// wrap (e.g. "the zkVM's aggregated proofs under these parameters", a label it derives
// from them) but cannot know the circuit id without compiling the circuit finds it
// here. The set-up that made the keys writes it; a verifier trusts it as it trusts the
// keys beside it. Conjectured and Provable are the security, in bits, of the proofs
// the circuit verifies, as the set-up computed it (0: not recorded).
type Binding struct {
	Label         string    `json:"label"`
	CircuitID     string    `json:"circuit_id"`
	NbConstraints int       `json:"nb_constraints"`
	Conjectured   int       `json:"conjectured_bits"`
	Provable      int       `json:"provable_bits"`
	Regime        string    `json:"provable_regime,omitempty"` // the regime that gives Provable
	Created       time.Time `json:"created"`
}

// checkLabel keeps a label a plain file name: 1 to 128 of [a-z0-9._-], not starting
// with a dot.
func checkLabel(label string) error {
	if len(label) == 0 || len(label) > 128 || label[0] == '.' {
		return fmt.Errorf("invalid label %q: 1 to 128 characters, not starting with a dot", label)
	}
	for _, c := range label {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("invalid label %q: want lowercase letters, digits, '.', '_' and '-'", label)
		}
	}
	return nil
}

func (c Cache) labelPath(label string) (string, error) {
	if err := checkLabel(label); err != nil {
		return "", err
	}
	dir, err := c.dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, labelsDir, label+".json"), nil
}

// Bind records b (replacing what the label named before). The circuit's keys must be
// stored already.
func (c Cache) Bind(b Binding) error {
	path, err := c.labelPath(b.Label)
	if err != nil {
		return err
	}
	if _, err := c.LoadMeta(b.CircuitID); err != nil {
		return fmt.Errorf("bind %s: %w", b.Label, err)
	}
	if b.Created.IsZero() {
		b.Created = time.Now().UTC().Truncate(time.Second)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("bind %s: %w", b.Label, err)
	}
	if _, err := writeFile(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	}); err != nil {
		return fmt.Errorf("bind %s: %w", b.Label, err)
	}
	return nil
}

// Bound returns the binding of label: a [*MissingKeysError] naming [SetupCommand]
// when there is none, an [*InvalidKeysError] when the file does not parse or names
// another label or a malformed circuit id.
func (c Cache) Bound(label string) (Binding, error) {
	path, err := c.labelPath(label)
	if err != nil {
		return Binding{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Binding{}, &MissingKeysError{ID: label, Missing: missingBinding, Path: path}
		}
		return Binding{}, fmt.Errorf("load binding: %w", err)
	}
	defer f.Close()
	var b Binding
	dec := json.NewDecoder(io.LimitReader(f, maxMetaSize))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Binding{}, &InvalidKeysError{ID: label, What: "binding", Path: path, Reason: err}
	}
	if b.Label != label {
		return Binding{}, &InvalidKeysError{ID: label, What: "label", Path: path, Want: label, Got: b.Label}
	}
	if err := checkID(b.CircuitID); err != nil {
		return Binding{}, &InvalidKeysError{ID: label, What: "circuit id", Path: path, Reason: err}
	}
	return b, nil
}

// LabelOf is a label for the parts that fix a circuit: the hex SHA-256 of prefix and
// each part, length-prefixed, cut to 32 digits and put after prefix (e.g.
// "zkvm-wrap-<digits>"). prefix must be a valid label's start.
func LabelOf(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range append([]string{prefix}, parts...) {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return prefix + "-" + hex.EncodeToString(h.Sum(nil))[:32]
}
