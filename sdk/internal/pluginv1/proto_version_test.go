package pluginv1

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestProtoVersion ties ProtocolMajor and ProtocolMinor to the header line of
// every .proto file and of the code generated from it, so that a change to
// the contract cannot ship without a version bump being considered.
func TestProtoVersion(t *testing.T) {
	header := regexp.MustCompile(`(?m)^// Protocol version: (\d+)\.(\d+)$`)
	protos, err := filepath.Glob("../../../proto/oneiros/plugin/v1/*.proto")
	if err != nil || len(protos) != 3 {
		t.Fatalf("want the 3 .proto files of the contract, found %v (err %v)", protos, err)
	}
	generated, _ := filepath.Glob("*.pb.go")
	for _, path := range append(protos, generated...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := header.FindSubmatch(src)
		if m == nil {
			t.Errorf("%s: no \"// Protocol version: M.m\" header line", path)
			continue
		}
		major, _ := strconv.Atoi(string(m[1]))
		minor, _ := strconv.Atoi(string(m[2]))
		if major != ProtocolMajor || minor != ProtocolMinor {
			t.Errorf("%s declares protocol %d.%d, the Go constants say %d.%d", path, major, minor, ProtocolMajor, ProtocolMinor)
		}
	}
	if Handshake.ProtocolVersion != ProtocolMajor {
		t.Errorf("Handshake.ProtocolVersion = %d, want ProtocolMajor %d", Handshake.ProtocolVersion, ProtocolMajor)
	}
}
