package compile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
)

// prog is a tiny assembler for syscall tests (sBPF v0).
type prog []sbpf.Insn

func (p *prog) lddw(r uint8, v uint64) {
	*p = append(*p, sbpf.Insn{Op: 0x18, Dst: r, Imm: int32(uint32(v))}, sbpf.Insn{Imm: int32(uint32(v >> 32))})
}
func (p *prog) mov(r uint8, v int32) { *p = append(*p, sbpf.Insn{Op: 0xb7, Dst: r, Imm: v}) }
func (p *prog) call(name string) {
	*p = append(*p, sbpf.Insn{Op: 0x85, Imm: int32(sbpf.SymbolHash(name))})
}
func (p *prog) ldxdw(d, s uint8, off int16) {
	*p = append(*p, sbpf.Insn{Op: 0x79, Dst: d, Src: s, Off: off})
}
func (p *prog) exit() { *p = append(*p, sbpf.Insn{Op: 0x95}) }

const in0 = 0x4_0000_0000

// dump logs n bytes of the input region from offset off with sol_log_data: a slice
// descriptor is built at input offset desc.
func (p *prog) dump(off, n uint32, desc uint32) {
	p.lddw(1, in0+uint64(desc))
	p.lddw(2, in0+uint64(off))
	*p = append(*p, sbpf.Insn{Op: 0x7b, Dst: 1, Src: 2}) // stxdw [r1], r2
	p.mov(2, int32(n))
	*p = append(*p, sbpf.Insn{Op: 0x7b, Dst: 1, Src: 2, Off: 8})
	p.mov(2, 1)
	p.call("sol_log_data")
}

func runProg(t *testing.T, p prog, input []byte) (*output.Output, *exec.Result) {
	t.Helper()
	res, err := FromContainer(&container.Container{Text: text(p...), Budget: 100000, Input: input, InputWritable: true, HasHeap: true, Heap: 64})
	if err != nil {
		t.Fatal(err)
	}
	r, err := exec.Run(context.Background(), res.Program, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 24}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.Decode(r.Output, false)
	if err != nil {
		t.Fatalf("%v (trap %v)", err, r.Trap)
	}
	return out, r
}

func TestMemorySyscalls(t *testing.T) {
	input := make([]byte, 96)
	for i := range 64 {
		input[i] = byte(i)
	}
	var p prog
	// memmove(in+1, in, 16): overlapping, to a higher address.
	p.lddw(1, in0+1)
	p.lddw(2, in0)
	p.mov(3, 16)
	p.call("sol_memmove_")
	// memmove(in+32, in+34, 9): overlapping, to a lower address.
	p.lddw(1, in0+32)
	p.lddw(2, in0+34)
	p.mov(3, 9)
	p.call("sol_memmove_")
	// memset(in+48, 0x1AB, 5)
	p.lddw(1, in0+48)
	p.mov(2, 0x1ab)
	p.mov(3, 5)
	p.call("sol_memset_")
	// memcpy(in+20, in+40, 7)
	p.lddw(1, in0+20)
	p.lddw(2, in0+40)
	p.mov(3, 7)
	p.call("sol_memcpy_")
	// memcmp(in+48, in+56, 8, in+88)
	p.lddw(1, in0+48)
	p.lddw(2, in0+56)
	p.mov(3, 8)
	p.lddw(4, in0+88)
	p.call("sol_memcmp_")
	p.dump(0, 64, 64)
	p.lddw(1, in0+88)
	p.ldxdw(0, 1, 0)
	p.exit()
	out, r := runProg(t, p, input)
	if r.Trap != nil {
		t.Fatalf("trap %v", r.Trap)
	}
	want := make([]byte, 96)
	copy(want, input)
	copy(want[1:17], want[0:16])
	copy(want[32:41], want[34:43])
	for i := 48; i < 53; i++ {
		want[i] = 0xab
	}
	copy(want[20:27], want[40:47])
	if got := out.Logs[0].Data[0]; !bytes.Equal(got, want[:64]) {
		t.Fatalf("memory\n got %x\nwant %x", got, want[:64])
	}
	if d := int32(uint32(out.Exit.R0)); d != int32(want[48])-int32(want[56]) {
		t.Fatalf("memcmp %d, want %d", d, int32(want[48])-int32(want[56]))
	}
}

func TestHashSyscalls(t *testing.T) {
	for _, n := range []int{0, 1, 55, 56, 63, 64, 65, 119, 135, 136, 137, 200, 300} {
		input := make([]byte, 512)
		for i := range n {
			input[i] = byte(i*7 + 3)
		}
		// Slices: the message split in two at n/3, descriptors at 400, digests at 440, 480.
		split := n / 3
		binary.LittleEndian.PutUint64(input[400:], in0)
		binary.LittleEndian.PutUint64(input[408:], uint64(split))
		binary.LittleEndian.PutUint64(input[416:], in0+uint64(split))
		binary.LittleEndian.PutUint64(input[424:], uint64(n-split))
		var p prog
		for _, h := range []struct {
			name string
			out  uint64
		}{{"sol_sha256", 440}, {"sol_keccak256", 480}} {
			p.lddw(1, in0+400)
			p.mov(2, 2)
			p.lddw(3, in0+h.out)
			p.call(h.name)
		}
		p.dump(440, 72, 392)
		p.exit()
		out, r := runProg(t, p, input)
		if r.Trap != nil {
			t.Fatalf("n=%d: trap %v", n, r.Trap)
		}
		msg := input[:n]
		got := out.Logs[0].Data[0]
		if s := sha256.Sum256(msg); !bytes.Equal(got[:32], s[:]) {
			t.Errorf("n=%d: sha256 %x, want %x", n, got[:32], s)
		}
		if k := keccak(msg); !bytes.Equal(got[40:72], k) {
			t.Errorf("n=%d: keccak %x, want %x", n, got[40:72], k)
		}
	}
}

func TestLogSyscalls(t *testing.T) {
	for _, c := range []struct {
		msg string
		ok  bool
	}{{"plain", true}, {"héllo ✓ 😀", true}, {"", true}, {"\xc0\x80", false}, {"\xed\xa0\x80", false}, {"\xf5\x80\x80\x80", false},
		{"\xe2\x82", false}, {"\xf0\x8f\xbf\xbf", false}, {"\xf4\x90\x80\x80", false}, {"a\x80", false}} {
		var p prog
		p.lddw(1, in0)
		p.mov(2, int32(len(c.msg)))
		p.call("sol_log_")
		p.call("sol_log_compute_units_")
		p.exit()
		out, r := runProg(t, p, append([]byte(c.msg), 0))
		if !c.ok {
			if r.Trap == nil || out.Exit.Status != translate.ErrInvalidString {
				t.Errorf("%q: accepted", c.msg)
			}
			continue
		}
		if r.Trap != nil || string(out.Logs[0].Text) != c.msg {
			t.Errorf("%q: %v, logs %+v", c.msg, r.Trap, out.Logs)
			continue
		}
		// sol_log_ costs max(100, len), sol_log_compute_units_ 100, plus the 4 instructions run by then.
		if left := out.Logs[1].Values[0]; left != 100000-100-100-4 {
			t.Errorf("%q: %d units left", c.msg, left)
		}
	}
}

func TestAllocAndReturnData(t *testing.T) {
	var p prog
	p.mov(1, 10)
	p.mov(2, 0)
	p.call("sol_alloc_free_") // 0x300000000
	*p.ptr() = append(*p.ptr(), sbpf.Insn{Op: 0xbf, Dst: 6, Src: 0})
	p.mov(1, 20)
	p.call("sol_alloc_free_") // 0x300000010
	*p.ptr() = append(*p.ptr(), sbpf.Insn{Op: 0xbf, Dst: 7, Src: 0})
	p.mov(1, 40)
	p.call("sol_alloc_free_") // heap of 64 bytes is full: 0
	*p.ptr() = append(*p.ptr(), sbpf.Insn{Op: 0xbf, Dst: 8, Src: 0})
	// set_return_data(in, 5); get_return_data(in+16, 3, in+32) returns 5.
	p.lddw(1, in0)
	p.mov(2, 5)
	p.call("sol_set_return_data")
	p.lddw(1, in0+16)
	p.mov(2, 3)
	p.lddw(3, in0+32)
	p.call("sol_get_return_data")
	*p.ptr() = append(*p.ptr(), sbpf.Insn{Op: 0xbf, Dst: 9, Src: 0})
	p.dump(16, 3, 72)
	p.mov(1, 0)
	p.mov(2, 0)
	p.mov(3, 0)
	p.mov(4, 0)
	p.mov(5, 0)
	*p.ptr() = append(*p.ptr(), sbpf.Insn{Op: 0xbf, Dst: 1, Src: 6}, sbpf.Insn{Op: 0xbf, Dst: 2, Src: 7},
		sbpf.Insn{Op: 0xbf, Dst: 3, Src: 8}, sbpf.Insn{Op: 0xbf, Dst: 4, Src: 9})
	p.call("sol_log_64_")
	p.exit()
	input := []byte("hello, return data" + string(make([]byte, 80)))
	out, r := runProg(t, p, input)
	if r.Trap != nil {
		t.Fatalf("trap %v", r.Trap)
	}
	if got := out.Logs[0].Data[0]; string(got) != "hel" {
		t.Errorf("got return data %q", got)
	}
	v := out.Logs[1].Values
	if v[0] != 0x3_0000_0000 || v[1] != 0x3_0000_0010 || v[2] != 0 || v[3] != 5 {
		t.Errorf("alloc and get_return_data: %x", v)
	}
	if out.ReturnData == nil || string(out.ReturnData.Data) != "hello" {
		t.Errorf("return data %+v", out.ReturnData)
	}
}

func (p *prog) ptr() *prog { return p }

// keccak is the original Keccak-256 (pad 0x01).
func keccak(msg []byte) []byte {
	var st [25]uint64
	absorb := func(block []byte) {
		for i := 0; i < 17; i++ {
			st[i] ^= binary.LittleEndian.Uint64(block[8*i:])
		}
		exec.KeccakF1600(&st)
	}
	for len(msg) >= 136 {
		absorb(msg[:136])
		msg = msg[136:]
	}
	last := make([]byte, 136)
	copy(last, msg)
	last[len(msg)] ^= 0x01
	last[135] ^= 0x80
	absorb(last)
	out := make([]byte, 32)
	for i := 0; i < 4; i++ {
		binary.LittleEndian.PutUint64(out[8*i:], st[i])
	}
	return out
}
