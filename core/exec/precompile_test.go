package exec_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"testing"

	"golang.org/x/crypto/sha3"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// keccak256 is Keccak-256 (pad 0x01 … 0x80) built on exec.KeccakF1600.
func keccak256(msg []byte) []byte {
	const rate = 136
	padded := append([]byte(nil), msg...)
	padded = append(padded, make([]byte, rate-len(msg)%rate)...)
	padded[len(msg)] ^= 0x01
	padded[len(padded)-1] ^= 0x80
	var st [25]uint64
	for off := 0; off < len(padded); off += rate {
		for i := range rate / 8 {
			st[i] ^= binary.LittleEndian.Uint64(padded[off+8*i:])
		}
		exec.KeccakF1600(&st)
	}
	out := make([]byte, 32)
	for i := range 4 {
		binary.LittleEndian.PutUint64(out[8*i:], st[i])
	}
	return out
}

// sha256Sum is SHA-256 built on exec.SHA256Compress.
func sha256Sum(msg []byte) []byte {
	padded := append([]byte(nil), msg...)
	padded = append(padded, 0x80)
	for len(padded)%64 != 56 {
		padded = append(padded, 0)
	}
	padded = binary.BigEndian.AppendUint64(padded, uint64(len(msg))*8)
	h := exec.SHA256IV
	for off := 0; off < len(padded); off += 64 {
		var w [16]uint32
		for i := range w {
			w[i] = binary.BigEndian.Uint32(padded[off+4*i:])
		}
		exec.SHA256Compress(&h, &w)
	}
	out := make([]byte, 0, 32)
	for _, v := range h {
		out = binary.BigEndian.AppendUint32(out, v)
	}
	return out
}

func testMessages() [][]byte {
	var msgs [][]byte
	for _, n := range []int{0, 1, 3, 55, 56, 63, 64, 65, 119, 135, 136, 137, 271, 272, 1000} {
		m := make([]byte, n)
		for i := range m {
			m[i] = byte(i*7 + n)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

func TestKeccakF1600(t *testing.T) {
	// The first lane of f(0) is the well-known 0xF1258F7940E1DDE7; the whole
	// permutation is checked through Keccak-256 against x/crypto.
	var st [25]uint64
	exec.KeccakF1600(&st)
	if st[0] != 0xF1258F7940E1DDE7 {
		t.Fatalf("lane 0 of f(0) = %#x", st[0])
	}
	for _, m := range testMessages() {
		want := sha3.NewLegacyKeccak256()
		want.Write(m)
		if got := keccak256(m); !bytes.Equal(got, want.Sum(nil)) {
			t.Errorf("keccak256 of %d bytes = %x, want %x", len(m), got, want.Sum(nil))
		}
	}
}

func TestSHA256Compress(t *testing.T) {
	for _, m := range testMessages() {
		want := sha256.Sum256(m)
		if got := sha256Sum(m); !bytes.Equal(got, want[:]) {
			t.Errorf("sha256 of %d bytes = %x, want %x", len(m), got, want)
		}
	}
}

// The syscalls through the executor: SHA-256 of "abc" with one SHA256_COMPRESS on
// memory in big-endian byte order, and its records.
func TestSHA256Syscall(t *testing.T) {
	b := isa.NewBuilder()
	b.SetFP(0x100)
	iv := make([]byte, 0, 32)
	for _, v := range exec.SHA256IV {
		iv = binary.BigEndian.AppendUint32(iv, v)
	}
	b.Data(0x1000, iv)
	block := make([]byte, 64)
	copy(block, "abc\x80")
	block[63] = 24
	b.Data(0x1ffc, block) // across a page boundary
	b.Move(0, isa.Imm(0x1000))
	b.Move(4, isa.Imm(0x1ffc))
	b.Ecall(isa.SysSHA256Compress, 0, isa.Slot(4))
	for i := range 8 {
		b.Load(isa.LW, 8, isa.Imm(0x1000), int32(4*i))
		b.Ecall(isa.SysWrite, 8, isa.Imm(4))
	}
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	res, recs := run(t, p, exec.Options{})
	wantHalt(t, res, 0)
	want := sha256.Sum256([]byte("abc"))
	if !bytes.Equal(res.Output, want[:]) {
		t.Fatalf("digest %x, want %x", res.Output, want)
	}
	r := recs[2]
	if len(r.Accesses) != 2+16+8 {
		t.Fatalf("%d accesses", len(r.Accesses))
	}
	for i, a := range r.Accesses[2:] {
		kind := trace.Read
		if i >= 16 {
			kind = trace.Write
		}
		if a.Slot() != trace.SlotData+i || a.Kind != kind {
			t.Errorf("access %d: %v", i, a)
		}
	}
}

func TestKeccakSyscall(t *testing.T) {
	for _, addr := range []uint32{0x1000, 0x1fa0 /* across a page */, 0xffffffa0 /* wraps to 0 */} {
		t.Run(fmt.Sprintf("%#x", addr), func(t *testing.T) {
			p := assemble(t, fmt.Sprintf(`.fp 0x100
				mov [0], %d
				ecall keccakf, [0]
				lw [4], [0], 0
				lw [8], [0], 4
				ecall write, [4], 4
				ecall write, [8], 4
				halt`, addr))
			res, recs := run(t, p, exec.Options{})
			wantHalt(t, res, 0)
			if got := binary.LittleEndian.Uint64(res.Output); got != 0xF1258F7940E1DDE7 {
				t.Fatalf("lane 0 %#x", got)
			}
			r := recs[1]
			if len(r.Accesses) != 51 || r.Accesses[50].Slot() != 52 || r.Accesses[50].Addr != addr+196 {
				t.Fatalf("accesses %v", r.Accesses)
			}
		})
	}
}
