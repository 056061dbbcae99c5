package exec_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/crypto/sha3"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
)

func words(ws ...uint32) []byte {
	var b []byte
	for _, w := range ws {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return b
}

func TestExampleSort(t *testing.T) {
	p := assembleExample(t, "sort.s")
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 7, 100, 300} {
		in := make([]uint32, n)
		for i := range in {
			in[i] = rng.Uint32()
			if i%5 == 0 && i > 0 {
				in[i] = in[i-1] // duplicates
			}
		}
		input := append(words(in...), 0xee, 0xee) // a trailing partial word is ignored
		res, _ := run(t, p, exec.Options{Input: input})
		wantHalt(t, res, 0)
		slices.Sort(in)
		if want := words(in...); !bytes.Equal(res.Output, want) {
			t.Errorf("n=%d: output %x, want %x", n, res.Output, want)
		}
	}
}

func TestExampleFib(t *testing.T) {
	p := assembleExample(t, "fib.s")
	for _, n := range []uint32{0, 1, 2, 10, 47, 48, 1000, 10000} {
		a, b := uint32(0), uint32(1)
		for range n {
			a, b = b, a+b
		}
		res, recs := run(t, p, exec.Options{Input: words(n)})
		wantHalt(t, res, 0)
		if got := binary.LittleEndian.Uint32(res.Output); len(res.Output) != 4 || got != a {
			t.Errorf("fib(%d) = %d, want %d", n, got, a)
		}
		calls := 0
		for _, r := range recs {
			if r.Inst.Op == isa.CALL {
				calls++
			}
		}
		if calls != int(n)+1 {
			t.Errorf("fib(%d) made %d calls, want %d", n, calls, n+1)
		}
	}
}

func TestExampleKeccak(t *testing.T) {
	p := assembleExample(t, "keccak.s")
	for _, m := range testMessages() {
		res, _ := run(t, p, exec.Options{Input: m})
		wantHalt(t, res, 0)
		h := sha3.NewLegacyKeccak256()
		h.Write(m)
		if want := h.Sum(nil); !bytes.Equal(res.Output, want) {
			t.Errorf("keccak256 of %d bytes: %x, want %x", len(m), res.Output, want)
		}
	}
}

// tour computes isa_tour.s's output in Go.
func tour(x, y uint32, unread int) ([]byte, uint32) {
	sx, sy := int32(x), int32(y)
	var out []uint32
	div := func() uint32 {
		switch {
		case y == 0:
			return 0xffffffff
		case sx == -1<<31 && sy == -1:
			return x
		}
		return uint32(sx / sy)
	}
	rem := func() uint32 {
		switch {
		case y == 0:
			return x
		case sx == -1<<31 && sy == -1:
			return 0
		}
		return uint32(sx % sy)
	}
	divu, remu := uint32(0xffffffff), x
	if y != 0 {
		divu, remu = x/y, x%y
	}
	b2u := func(v bool) uint32 {
		if v {
			return 1
		}
		return 0
	}
	hu, _ := bits.Mul32(x, y)
	out = append(out,
		x+y, x-y, x*y,
		uint32(uint64(int64(sx)*int64(sy))>>32), hu, uint32(uint64(int64(sx)*int64(y))>>32),
		div(), divu, rem(), remu,
		b2u(sx < sy), b2u(x < y), b2u(x == y), b2u(x != y),
		x&y, x|y, x^y, x<<(y&31), x>>(y&31), uint32(sx>>(y&31)),
		x+5, 100-y, ^x)
	// Memory: BUF+1..+4 = x; 0x1ffff = y, 0x20000 = y>>8; BUF+7 = y.
	out = append(out, x, uint32(int32(int16(x))), x&0xffff, uint32(int32(int8(x>>8))), (x>>8)&0xff,
		(y&0xff)<<24, (y>>8)&0xff, x>>24|(y&0xff)<<24)
	out = append(out, b2u(x == y), b2u(x != y), b2u(sx < sy), b2u(sx >= sy), b2u(x < y), b2u(x >= y))
	out = append(out, 0x4a4d50, x*x, y*y, uint32(unread))
	out = append(out, 0x40e1dde7, 0xf1258f79)
	b := words(out...)
	d := sha256.Sum256([]byte("abc"))
	return append(b, d[:]...), (x + y) & 0xff
}

func TestExampleTour(t *testing.T) {
	p := assembleExample(t, "isa_tour.s")
	pairs := [][2]uint32{{7, 3}, {0xfffffff9, 2}, {0x80000000, 0xffffffff}, {5, 0}, {0x12345678, 0x9abcdef0}, {3, 35}}
	for _, xy := range pairs {
		for _, extra := range []int{0, 3} {
			t.Run(fmt.Sprintf("%#x,%#x,+%d", xy[0], xy[1], extra), func(t *testing.T) {
				in := append(words(xy[0], xy[1]), make([]byte, extra)...)
				res, recs := run(t, p, exec.Options{Input: in})
				want, code := tour(xy[0], xy[1], extra)
				wantHalt(t, res, code)
				if !bytes.Equal(res.Output, want) {
					for i := 0; i < len(want) && i < len(res.Output); i += 4 {
						if !bytes.Equal(res.Output[i:i+4], want[i:i+4]) {
							t.Errorf("word %d: %x, want %x", i/4, res.Output[i:i+4], want[i:i+4])
						}
					}
					t.Fatalf("output length %d, want %d", len(res.Output), len(want))
				}
				// Every opcode runs at least once.
				seen := map[isa.Opcode]bool{}
				for _, r := range recs {
					seen[r.Inst.Op] = true
				}
				for _, op := range isa.Opcodes() {
					if !seen[op] && op != isa.TRAP {
						t.Errorf("the tour never runs %s", op)
					}
				}
			})
		}
	}
	res, _ := run(t, p, exec.Options{Input: words(0xdead, 0)})
	if res.ExitStatus != isa.StatusTrap || res.ExitCode != 3 {
		t.Fatalf("x = 0xdead: %+v", res)
	}
}
