package keys

import (
	"bytes"
	"strings"
	"testing"

	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

func TestCheckSolidity(t *testing.T) {
	_, vk := testLocalKey()
	var src bytes.Buffer
	if err := vk.(*groth16bn254.VerifyingKey).ExportSolidity(&src); err != nil {
		t.Fatal(err)
	}
	if err := CheckSolidity(vk, src.Bytes()); err != nil {
		t.Fatalf("the contract gnark exports for vk does not hold vk: %v", err)
	}
	consts, err := SolidityConstants(vk)
	if err != nil {
		t.Fatal(err)
	}
	// α, -β, -γ, -δ, the Pedersen key, the constant, the public input and
	// the commitment's wire (the verifier treats it as a public input).
	if want := 2 + 3*4 + 2*4 + 2 + 2 + 2; len(consts) != want {
		t.Errorf("%d constants, want %d", len(consts), want)
	}

	_, other, err := SetupLocal(testCCS())
	if err != nil {
		t.Fatal(err)
	}
	err = CheckSolidity(other, src.Bytes())
	if err == nil || !strings.Contains(err.Error(), "DELTA_NEG_X_0 = ") || !strings.Contains(err.Error(), VKDigest(other)) {
		t.Errorf("a contract for another key: %v", err)
	}

	edited := strings.Replace(src.String(), "uint256 constant PUB_0_Y = ", "uint256 constant PUB_0_Y = 1", 1)
	if err := CheckSolidity(vk, []byte(edited)); err == nil || !strings.Contains(err.Error(), "PUB_0_Y = 1") {
		t.Errorf("a contract with one constant changed: %v", err)
	}
	extra := strings.Replace(src.String(), "uint256 constant PUB_0_X", "uint256 constant PUB_2_X = 5;\n    uint256 constant PUB_0_X", 1)
	if err := CheckSolidity(vk, []byte(extra)); err == nil || !strings.Contains(err.Error(), "PUB_2_X is not in the verifying key") {
		t.Errorf("a contract with one more public input: %v", err)
	}
	if err := CheckSolidity(vk, nil); err == nil || !strings.Contains(err.Error(), "ALPHA_X missing") {
		t.Errorf("an empty contract: %v", err)
	}
}
