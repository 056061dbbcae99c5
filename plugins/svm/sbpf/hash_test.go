package sbpf

import "testing"

func TestSymbolHash(t *testing.T) {
	for name, want := range map[string]uint32{
		"entrypoint": 0x71e3cf81, "sol_log_": 0x207559bd, "sol_log_64_": 0x5c2a3178, "sol_log_pubkey": 0x7ef088ca,
		"sol_log_compute_units_": 0x52ba5096, "sol_sha256": 0x11f49d86, "sol_keccak256": 0xd7793abb,
		"sol_set_return_data": 0xa226d3eb, "sol_memcpy_": 0x717cc4a3, "abort": 0xb6fc1a11, "sol_panic_": 0x686093bb,
	} {
		if got := SymbolHash(name); got != want {
			t.Errorf("%s: 0x%x, want 0x%x", name, got, want)
		}
	}
}
