package lower

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Syscall names an implementation of a syscall. Programs reach it through the hash of a
// name (see [SolanaSyscalls]); the test harnesses register some under other names.
type Syscall uint8

// The syscall implementations. All are lowered to normalized code and core syscalls.
const (
	SysLogString     Syscall = iota + 1 // the test harness's "log": r2 bytes at r1, up to a NUL
	SysLogU64                           // the test harness's "log_64": r1..r5
	SysSolLog                           // sol_log_(msg, len)
	SysSolLog64                         // sol_log_64_(a, b, c, d, e)
	SysSolLogPubkey                     // sol_log_pubkey(key)
	SysSolLogCU                         // sol_log_compute_units_()
	SysSolLogData                       // sol_log_data(slices, n)
	SysMemcpy                           // sol_memcpy_(dst, src, n)
	SysMemmove                          // sol_memmove_(dst, src, n)
	SysMemset                           // sol_memset_(dst, c, n)
	SysMemcmp                           // sol_memcmp_(a, b, n, result)
	SysSha256                           // sol_sha256(slices, n, result)
	SysKeccak256                        // sol_keccak256(slices, n, result)
	SysPanic                            // sol_panic_(file, len, line, column)
	SysAbort                            // abort()
	SysAllocFree                        // sol_alloc_free_(size, free_ptr)
	SysSetReturnData                    // sol_set_return_data(data, len)
	SysGetReturnData                    // sol_get_return_data(data, len, program_id)
)

// SyscallNames are the names by which programs call the syscalls.
var SyscallNames = map[string]Syscall{
	"sol_log_":               SysSolLog,
	"sol_log_64_":            SysSolLog64,
	"sol_log_pubkey":         SysSolLogPubkey,
	"sol_log_compute_units_": SysSolLogCU,
	"sol_log_data":           SysSolLogData,
	"sol_memcpy_":            SysMemcpy,
	"sol_memmove_":           SysMemmove,
	"sol_memset_":            SysMemset,
	"sol_memcmp_":            SysMemcmp,
	"sol_sha256":             SysSha256,
	"sol_keccak256":          SysKeccak256,
	"sol_panic_":             SysPanic,
	"abort":                  SysAbort,
	"sol_alloc_free_":        SysAllocFree,
	"sol_set_return_data":    SysSetReturnData,
	"sol_get_return_data":    SysGetReturnData,
}

// syscall returns the label of a syscall's routine. A routine is entered with the return
// block in [SRet]; it reads r1..r5, writes r0, and returns through [SRet].
func (t *translator) syscall(sc Syscall) isa.Label {
	name := fmt.Sprintf("syscall %d", sc)
	return t.helper(name, func() {
		switch sc {
		case SysLogString:
			t.emitLogString()
		case SysLogU64:
			t.emitLogU64(0)
		default:
			t.b.Jump(t.faultLabel(ErrUnsupportedInstruction))
		}
	})
}

// ret0 sets r0 = 0 and returns from a syscall routine.
func (t *translator) ret0() {
	t.b.Move(regLo(0), I(0))
	t.b.Move(regHi(0), I(0))
	t.b.JumpTo(S(slotSRet))
}

// emitLogString: the test harness's log. r2 == 0 logs nothing; otherwise [r1, r1 + r2)
// must be readable, and the bytes up to the first NUL are logged.
func (t *translator) emitLogString() {
	b := t.b
	done := b.NewLabel("logged")
	nonzero := b.NewLabel("non-empty")
	b.Branch(isa.BNE, regHi(2), I(0), t.faultLabel(ErrAccessViolation))
	b.Branch(isa.BNE, regLo(2), I(0), nonzero)
	t.ret0()
	b.Bind(nonzero)
	b.Move(slotXALo, S(regLo(1)))
	b.Move(slotXAHi, S(regHi(1)))
	t.xlate(S(regLo(2)), 0)
	// Length up to the first NUL.
	p, n, c := int32(slotS0), int32(slotS0+4), int32(slotS0+8)
	b.Move(p, S(slotXNA))
	b.Move(n, I(0))
	scan, found := b.NewLabel("scan"), b.NewLabel("found")
	b.Bind(scan)
	b.Branch(isa.BEQ, n, S(regLo(2)), found)
	b.Load(isa.LBU, c, S(p), 0)
	b.Branch(isa.BEQ, c, I(0), found)
	b.ALU(isa.ADD, p, S(p), I(1))
	b.ALU(isa.ADD, n, S(n), I(1))
	b.Jump(scan)
	b.Bind(found)
	t.writeConst(TagLog)
	t.write(n)
	b.Move(slotWPtr, S(slotXNA))
	b.Move(slotWLen, S(n))
	t.writeBytes()
	b.Bind(done)
	t.ret0()
}

// emitLogU64 logs r1..r5 after charging cost units.
func (t *translator) emitLogU64(cost uint32) {
	t.charge(cost)
	t.writeConst(TagLog64)
	for r := uint8(1); r <= 5; r++ {
		t.write(regLo(r))
		t.write(regHi(r))
	}
	t.ret0()
}

// charge consumes compute units inside a syscall.
func (t *translator) charge(units uint32) {
	if units == 0 {
		return
	}
	t.b.ALU(isa.SUB, slotRem, S(slotRem), I(units))
	t.b.Branch(isa.BLT, slotRem, I(0), t.faultLabel(ErrExceededMaxInstructions))
}

// writeBytes calls the output writer on [WPtr] (a normalized address) and [WLen] bytes.
func (t *translator) writeBytes() {
	b := t.b
	back := b.NewLabel("written")
	b.Move(slotWRet, isa.LabelImm(back))
	b.Jump(t.helper("write bytes", t.emitWriteBytes))
	b.Bind(back)
}

func (t *translator) emitWriteBytes() {
	b := t.b
	w := int32(slotCMask)
	loop, tail, done := b.NewLabel("write word"), b.NewLabel("write tail"), b.NewLabel("write done")
	b.Bind(loop)
	b.Branch(isa.BLTU, slotWLen, I(4), tail)
	b.Load(isa.LW, w, S(slotWPtr), 0)
	t.write(w)
	b.ALU(isa.ADD, slotWPtr, S(slotWPtr), I(4))
	b.ALU(isa.SUB, slotWLen, S(slotWLen), I(4))
	b.Jump(loop)
	b.Bind(tail)
	b.Branch(isa.BEQ, slotWLen, I(0), done)
	b.Load(isa.LW, w, S(slotWPtr), 0)
	b.Ecall(isa.SysWrite, w, S(slotWLen))
	b.Bind(done)
	b.JumpTo(S(slotWRet))
}

// emitAccounts writes the accounts of the Solana input (see abi.go).
func (t *translator) emitAccounts() {}
