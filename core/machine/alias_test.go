package machine

import (
	"context"
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// fieldP is the field's modulus, p = 2^31 − 2^24 + 1.
const fieldP = 0x7f000001

// TestSyscallAliasRejected is the audit's forgery: an ECALL whose number is p + 3 is an
// unassigned number to the executor (the run stops with "unknown syscall"), but a ROM that
// stores the number as one field element fetches it as 3 = WRITE. The forger takes the
// honest records of the `ecall 3` program (their decoded sub_op is 3, which equals p + 3
// in the field), proves them against the program whose ECALL says p + 3, and claims the
// output "DCBA" with a halt: the verifier must reject.
func TestSyscallAliasRejected(t *testing.T) {
	const src = ".fp 0x1000\nmain: mov [8], 0x41424344\n ecall %s, [8], 4\n halt 0\n"
	honest := assemble(t, fmt.Sprintf(src, "3"))
	res, recs, err := Execute(context.Background(), honest, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != isa.StatusHalted || string(res.Output) != "DCBA" {
		t.Fatalf("honest run: %s, output %q", res.ExitStatus, res.Output)
	}
	for _, alias := range []uint32{fieldP + isa.SysWrite, 2*fieldP + isa.SysWrite} {
		bad := honest.Clone()
		bad.Code[1].C = alias
		// The executor refuses to serve the alias.
		r, err := exec.Run(context.Background(), bad, exec.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.ExitStatus == isa.StatusHalted {
			t.Fatalf("ecall 0x%x: the executor halts; the forgery needs an unserved number", alias)
		}
		// The forged records: the honest run's, with the ECALL relabelled as in the
		// program; the syscall events take the number mod p, as a field element would.
		forged := make([]trace.Record, len(recs))
		for i := range recs {
			forged[i] = *recs[i].Clone()
			if forged[i].Inst.Op == isa.ECALL {
				forged[i].Inst.C, forged[i].C = alias, alias
			}
		}
		reduce := func(ev *events) {
			for i := range ev.syscall {
				ev.syscall[i].Number %= fieldP
			}
		}
		st := &Statement{Program: bad, Status: isa.StatusHalted, ExitCode: 0, Cycles: res.Cycles, Output: res.Output}
		forgeEvents(t, bad, st, forged, reduce, fmt.Sprintf("ecall 0x%x proven as WRITE", alias))
	}
}

// TestSyscallNumbersInjective checks the ROM's encoding of every syscall number that a
// chip serves and of its aliases p + n and 2p + n: the served number is fetched as
// itself, and an alias is not fetchable at all (kind 0, which no CPU row can have).
func TestSyscallNumbersInjective(t *testing.T) {
	served := []uint32{isa.SysRead, isa.SysInputLen, isa.SysWrite, isa.SysKeccakF, isa.SysSHA256Compress}
	for n := isa.SysU256First; n <= isa.SysU256Last; n++ {
		if isa.U256Operands(n) > 0 {
			served = append(served, n)
		}
	}
	for _, n := range served {
		in := isa.Instruction{Op: isa.ECALL, A: 8, B: 4, C: n}
		in.Flags = isa.ImmB | isa.ImmC
		if r := rom.Decode(0, in); r.Kind == 0 || r.SubOp != n {
			t.Errorf("ecall 0x%x decodes as kind %d, sub_op %d", n, r.Kind, r.SubOp)
		}
		for _, alias := range []uint64{fieldP + uint64(n), 2*fieldP + uint64(n)} {
			in.C = uint32(alias)
			if r := rom.Decode(0, in); r.Kind != 0 {
				t.Errorf("ecall 0x%x (an alias of 0x%x) is fetchable: kind %d, sub_op %d", alias, n, r.Kind, r.SubOp)
			}
		}
	}
}
