package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Syscall names an implementation of a syscall. Programs reach it through the hash of a
// name (see [SyscallNames]); the test harnesses register some under other names.
type Syscall uint8

// The syscall implementations. All are lowered to normalized code and core syscalls
// (WRITE for logs, SHA256_COMPRESS and KECCAKF for the hashes); none is a hook.
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

// Compute costs (Agave's compute budget defaults).
const (
	costSyscallBase = 100
	costLog64       = 100
	costLogPubkey   = 100
	costMemOpBase   = 10
	costSha256Base  = 85
	bytesPerUnit    = 250 // cpi_bytes_per_unit
	maxSlices       = 20000
)

// s is syscall routine local i.
func s(i int) int32 { return int32(slotS0 + 4*i) }

// syscall returns the label of a syscall's routine. A routine is entered with the return
// block in [SRet]; it reads r1..r5, writes r0, and returns through [SRet].
func (t *translator) syscall(sc Syscall) isa.Label {
	return t.helper(fmt.Sprintf("syscall %d", sc), func() {
		switch sc {
		case SysLogString:
			t.emitLogString()
		case SysLogU64:
			t.emitLog64(0)
		case SysSolLog:
			t.emitSolLog()
		case SysSolLog64:
			t.emitLog64(costLog64)
		case SysSolLogPubkey:
			t.emitLogPubkey()
		case SysSolLogCU:
			t.emitLogCU()
		case SysSolLogData:
			t.emitLogData()
		case SysMemcpy:
			t.emitMemmove(true)
		case SysMemmove:
			t.emitMemmove(false)
		case SysMemset:
			t.emitMemset()
		case SysMemcmp:
			t.emitMemcmp()
		case SysSha256:
			t.emitHash(false)
		case SysKeccak256:
			t.emitHash(true)
		case SysPanic:
			t.emitPanic()
		case SysAbort:
			t.b.Jump(t.faultLabel(ErrAbort))
		case SysAllocFree:
			t.emitAllocFree()
		case SysSetReturnData:
			t.emitSetReturnData()
		case SysGetReturnData:
			t.emitGetReturnData()
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

// charge consumes a constant number of compute units inside a syscall.
func (t *translator) charge(units uint32) {
	if units == 0 {
		return
	}
	t.b.ALU(isa.SUB, slotRem, S(slotRem), I(units))
	t.b.Branch(isa.BLT, slotRem, I(0), t.faultLabel(ErrExceededMaxInstructions))
}

// chargeSlot consumes [units] compute units (any u32: too many is a budget fault).
func (t *translator) chargeSlot(units int32) {
	b := t.b
	cu := t.faultLabel(ErrExceededMaxInstructions)
	b.Branch(isa.BGEU, units, I(MaxBudget+1), cu)
	b.ALU(isa.SUB, slotRem, S(slotRem), S(units))
	b.Branch(isa.BLT, slotRem, I(0), cu)
}

// length64 checks that the 64-bit length (lo, hi) fits a word; larger lengths cannot be
// mapped, and would exhaust any budget first.
func (t *translator) length64(hi int32) {
	t.b.Branch(isa.BNE, hi, I(0), t.faultLabel(ErrExceededMaxInstructions))
}

// chargeMemOp consumes max(10, n / 250) for an n-byte memory operation.
func (t *translator) chargeMemOp(n int32) {
	b := t.b
	c := int32(slotH6)
	b.ALU(isa.DIVU, c, S(n), I(bytesPerUnit))
	big := b.NewLabel("big mem op")
	b.Branch(isa.BGEU, c, I(costMemOpBase), big)
	b.Move(c, I(costMemOpBase))
	b.Bind(big)
	t.chargeSlot(c)
}

// aligned faults unless [addr] is a multiple of align.
func (t *translator) aligned(addr int32, align uint32) {
	if align <= 1 {
		return
	}
	t.b.ALU(isa.AND, slotH7, S(addr), I(align-1))
	t.b.Branch(isa.BNE, slotH7, I(0), t.faultLabel(ErrUnalignedPointer))
}

// mapArg translates the virtual address in registers/slots (lo, hi) for n bytes into
// [dst]. A zero length maps nothing and leaves [dst] undefined.
func (t *translator) mapArg(dst, lo, hi int32, n isa.Operand, write bool) {
	b := t.b
	b.Move(slotXALo, S(lo))
	b.Move(slotXAHi, S(hi))
	w := uint32(0)
	if write {
		w = 1
	}
	t.xlate(n, w)
	b.Move(dst, S(slotXNA))
}

// emitLogString: the test harness's log. r2 == 0 logs nothing; otherwise [r1, r1 + r2)
// must be readable, and the bytes up to the first NUL are logged.
func (t *translator) emitLogString() {
	b := t.b
	nonzero := b.NewLabel("non-empty")
	b.Branch(isa.BNE, regHi(2), I(0), t.faultLabel(ErrAccessViolation))
	b.Branch(isa.BNE, regLo(2), I(0), nonzero)
	t.ret0()
	b.Bind(nonzero)
	p, n, c := s(0), s(1), s(2)
	t.mapArg(s(3), regLo(1), regHi(1), S(regLo(2)), false)
	b.Move(p, S(s(3)))
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
	t.writeOut(s(3), n)
	t.ret0()
}

// emitLog64 logs r1..r5 after charging cost units.
func (t *translator) emitLog64(cost uint32) {
	t.charge(cost)
	t.writeConst(TagLog64)
	for r := uint8(1); r <= 5; r++ {
		t.write(regLo(r))
		t.write(regHi(r))
	}
	t.ret0()
}

// emitSolLog: sol_log_(msg, len) costs max(len, 100); the message must be mapped and
// valid UTF-8.
func (t *translator) emitSolLog() {
	b := t.b
	t.length64(regHi(2))
	c := s(0)
	b.Move(c, S(regLo(2)))
	big := b.NewLabel("long message")
	b.Branch(isa.BGEU, c, I(costSyscallBase), big)
	b.Move(c, I(costSyscallBase))
	b.Bind(big)
	t.chargeSlot(c)
	empty := b.NewLabel("empty message")
	b.Branch(isa.BEQ, regLo(2), I(0), empty)
	t.mapArg(s(1), regLo(1), regHi(1), S(regLo(2)), false)
	t.utf8(s(1), regLo(2))
	b.Bind(empty)
	t.writeConst(TagLog)
	t.write(regLo(2))
	t.writeOut(s(1), regLo(2))
	t.ret0()
}

// emitLogPubkey: sol_log_pubkey(key) logs the 32 bytes at r1.
func (t *translator) emitLogPubkey() {
	t.charge(costLogPubkey)
	t.mapArg(s(0), regLo(1), regHi(1), I(32), false)
	t.writeConst(TagPubkey)
	t.b.Move(s(1), I(32))
	t.writeOut(s(0), s(1))
	t.ret0()
}

// emitLogCU: sol_log_compute_units_ logs the units left after its own cost.
func (t *translator) emitLogCU() {
	t.charge(costSyscallBase)
	t.writeConst(TagCU)
	t.write(slotRem)
	t.write(slotZero)
	t.ret0()
}

// emitLogData: sol_log_data(slices, n) logs n byte slices. Every slice is mapped and
// charged before anything is written, so a fault leaves no partial record.
func (t *translator) emitLogData() {
	b := t.b
	t.charge(costSyscallBase)
	t.length64(regHi(2))
	n, arr, i, p, c := s(0), s(1), s(2), s(3), s(4)
	b.Move(n, S(regLo(2)))
	b.Branch(isa.BGEU, n, I(1<<24), t.faultLabel(ErrExceededMaxInstructions))
	b.ALU(isa.SLL, c, S(n), I(4))
	none := b.NewLabel("no slices")
	b.Branch(isa.BEQ, n, I(0), none)
	t.aligned(regLo(1), 8)
	t.mapArg(arr, regLo(1), regHi(1), S(c), false)
	b.Bind(none)
	b.ALU(isa.MUL, c, S(n), I(costSyscallBase))
	t.chargeSlot(c)
	// Pass 1: charge and map each slice.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			t.writeConst(TagData)
			t.write(n)
		}
		loop, done := b.NewLabel("slice"), b.NewLabel("slices done")
		b.Move(i, I(0))
		b.Move(p, S(arr))
		b.Bind(loop)
		b.Branch(isa.BEQ, i, S(n), done)
		ln := s(5)
		b.Load(isa.LW, ln, S(p), 8)
		b.Load(isa.LW, c, S(p), 12)
		t.length64(c)
		if pass == 0 {
			t.chargeSlot(ln)
		} else {
			t.write(ln)
		}
		skip := b.NewLabel("empty slice")
		b.Branch(isa.BEQ, ln, I(0), skip)
		b.Load(isa.LW, s(6), S(p), 0)
		b.Load(isa.LW, s(7), S(p), 4)
		t.mapArg(s(8), s(6), s(7), S(ln), false)
		if pass == 1 {
			t.writeOut(s(8), ln)
		}
		b.Bind(skip)
		b.ALU(isa.ADD, p, S(p), I(16))
		b.ALU(isa.ADD, i, S(i), I(1))
		b.Jump(loop)
		b.Bind(done)
	}
	t.ret0()
}

// emitPanic: sol_panic_(file, len, line, column) logs the file, line and column, then
// ends the run with ErrPanic.
func (t *translator) emitPanic() {
	b := t.b
	t.length64(regHi(2))
	t.chargeSlot(regLo(2))
	empty := b.NewLabel("no file")
	b.Branch(isa.BEQ, regLo(2), I(0), empty)
	t.mapArg(s(0), regLo(1), regHi(1), S(regLo(2)), false)
	t.utf8(s(0), regLo(2))
	b.Bind(empty)
	t.writeConst(TagPanic)
	t.write(regLo(2))
	t.writeOut(s(0), regLo(2))
	for r := uint8(3); r <= 4; r++ {
		t.write(regLo(r))
		t.write(regHi(r))
	}
	b.Jump(t.faultLabel(ErrPanic))
}

// emitAllocFree: sol_alloc_free_(size, free) is the legacy bump allocator over the
// heap: free is a no-op, an allocation is 8-aligned and returns 0 when the heap is full.
func (t *translator) emitAllocFree() {
	b := t.b
	zero := b.NewLabel("no allocation")
	b.Branch(isa.BNE, regLo(2), I(0), zero)
	b.Branch(isa.BNE, regHi(2), I(0), zero)
	b.Branch(isa.BNE, regHi(1), I(0), zero)
	pos, end := s(0), s(1)
	b.ALU(isa.ADD, pos, S(slotHeapP), I(7))
	b.ALU(isa.AND, pos, S(pos), I(0xfffffff8))
	b.ALU(isa.ADD, end, S(pos), S(regLo(1)))
	b.Branch(isa.BLTU, end, S(pos), zero) // wrapped
	b.Branch(isa.BGEU, end, I(t.opt.HeapSize+1), zero)
	b.Move(slotHeapP, S(end))
	b.Move(regLo(0), S(pos))
	b.Move(regHi(0), I(uint32(3)))
	b.JumpTo(S(slotSRet))
	b.Bind(zero)
	t.ret0()
}
