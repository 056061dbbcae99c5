package keys

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	curve "github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// Constant is one verifying-key constant of the Solidity verifier that gnark
// exports (vk.ExportSolidity), by the name the contract declares it with.
type Constant struct {
	Name  string
	Value *big.Int
}

// SolidityConstants returns the constants that the Solidity verifier gnark
// v0.16 exports for vk hard-codes, in the contract's order: [α]₁ as ALPHA_X,
// ALPHA_Y; -[β]₂, -[γ]₂, -[δ]₂ as BETA_NEG_*, GAMMA_NEG_*, DELTA_NEG_* (the
// contract stores the G2 points negated, coordinates X = X_0 + X_1·i); with a
// commitment, the Pedersen key as PEDERSEN_G_* and PEDERSEN_GSIGMANEG_*; then
// the public-input bases as CONSTANT_X, CONSTANT_Y, PUB_0_X, PUB_0_Y, ...
//
// A contract verifies proofs for vk exactly when it holds these values:
// [CheckSolidity] compares them with a contract's source.
func SolidityConstants(vk groth16.VerifyingKey) ([]Constant, error) {
	v, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return nil, fmt.Errorf("verifying key is %T, want a BN254 key", vk)
	}
	if len(v.G1.K) == 0 {
		return nil, errors.New("verifying key has no public-input bases")
	}
	var out []Constant
	g1 := func(name string, p *curve.G1Affine) {
		out = append(out, Constant{name + "_X", fpInt(&p.X)}, Constant{name + "_Y", fpInt(&p.Y)})
	}
	g2 := func(name string, p curve.G2Affine, negate bool) {
		if negate {
			p.Neg(&p)
		}
		out = append(out,
			Constant{name + "_X_0", fpInt(&p.X.A0)}, Constant{name + "_X_1", fpInt(&p.X.A1)},
			Constant{name + "_Y_0", fpInt(&p.Y.A0)}, Constant{name + "_Y_1", fpInt(&p.Y.A1)})
	}
	g1("ALPHA", &v.G1.Alpha)
	g2("BETA_NEG", v.G2.Beta, true)
	g2("GAMMA_NEG", v.G2.Gamma, true)
	g2("DELTA_NEG", v.G2.Delta, true)
	if len(v.CommitmentKeys) > 0 {
		// The exported contract supports one commitment.
		g2("PEDERSEN_G", v.CommitmentKeys[0].G, false)
		g2("PEDERSEN_GSIGMANEG", v.CommitmentKeys[0].GSigmaNeg, false)
	}
	g1("CONSTANT", &v.G1.K[0])
	for i := 1; i < len(v.G1.K); i++ {
		g1(fmt.Sprintf("PUB_%d", i-1), &v.G1.K[i])
	}
	return out, nil
}

func fpInt(e *fp.Element) *big.Int {
	var b big.Int
	return e.BigInt(&b)
}

// solidityConstant matches `uint256 constant NAME = VALUE;` with a decimal or
// hex value, as the exported contract writes it.
var solidityConstant = regexp.MustCompile(`uint256\s+(?:(?:private|internal|public)\s+)?constant\s+([A-Za-z0-9_]+)\s*=\s*(0[xX][0-9a-fA-F]+|[0-9]+)\s*;`)

// CheckSolidity checks that a Solidity verifier's source (as gnark exports it,
// or as a block explorer shows a verified contract) holds vk: every constant of
// [SolidityConstants] must be declared with the same value, and the contract
// must declare no other public-input base. It returns one error listing every
// difference, or nil.
func CheckSolidity(vk groth16.VerifyingKey, source []byte) error {
	want, err := SolidityConstants(vk)
	if err != nil {
		return err
	}
	got := map[string]*big.Int{}
	for _, m := range solidityConstant.FindAllSubmatch(source, -1) {
		v, ok := new(big.Int).SetString(string(m[2]), 0)
		if ok {
			got[string(m[1])] = v
		}
	}
	var diffs []string
	seen := map[string]bool{}
	for _, c := range want {
		seen[c.Name] = true
		switch v, ok := got[c.Name]; {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s missing (want %s)", c.Name, c.Value))
		case v.Cmp(c.Value) != 0:
			diffs = append(diffs, fmt.Sprintf("%s = %s, want %s", c.Name, v, c.Value))
		}
	}
	var extra []string
	for name := range got {
		if !seen[name] && (strings.HasPrefix(name, "PUB_") || strings.HasPrefix(name, "PEDERSEN_")) {
			extra = append(extra, fmt.Sprintf("%s is not in the verifying key", name))
		}
	}
	slices.Sort(extra)
	diffs = append(diffs, extra...)
	if len(diffs) > 0 {
		return fmt.Errorf("contract does not hold verifying key %s: %s", VKDigest(vk), strings.Join(diffs, "; "))
	}
	return nil
}
