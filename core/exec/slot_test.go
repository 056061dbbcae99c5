package exec

import (
	"context"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// A frame slot past either end of the address space is a bad frame, not a wrap.
func TestSlotOutsideAddressSpaceTraps(t *testing.T) {
	for _, src := range []string{
		".fp 0xfffffffc\nmain: add [4], 1, 2\nhalt 0\n",
		".fp 0x10\nmain: add [-32], 1, 2\nhalt 0\n",
		".fp 0x10\nmain: halt [-20]\n",
	} {
		p, err := isa.Assemble("t.s", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitStatus != isa.StatusBadFrame {
			t.Errorf("%q: status %s, want bad frame", src, res.ExitStatus)
		}
	}
}

// A data segment that crosses a page boundary loads (an earlier version looped).
func TestImageAcrossPages(t *testing.T) {
	p, err := isa.Assemble("t.s", []byte(".data 0xffc\n.word 1, 2\n.text\nmain: lw [0], 0x1000, 0\nhalt [0]\n"))
	if err != nil {
		t.Fatal(err)
	}
	p.FP = 0x100
	res, err := Run(context.Background(), p, Options{})
	if err != nil || res.ExitCode != 2 {
		t.Fatalf("got %+v, %v", res, err)
	}
}
