package interp

import (
	"encoding/binary"
	"math/bits"

	"github.com/oneiros-zk/oneiros/plugins/svm/loader"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// Fault is how a run ended: 0 for exit, otherwise one of these.
type Fault int

// Faults.
const (
	OK Fault = iota
	Budget
	Access
	DivZero
	DivOverflow
	Depth
	CallOutside
	Unsupported
	Overrun
)

// VM is one run.
type VM struct {
	Exe        *loader.Executable
	Budget     uint64
	Regs       [11]uint64
	Stack      []byte // 64 frames of 4096 bytes
	Heap       []byte
	Input      []byte
	InputRW    bool
	Boundaries []uint32
	Units      uint64 // instructions executed
	PC         int    // the instruction that ended the run

	frames []frame
}

type frame struct {
	saved [4]uint64
	r10   uint64
	ret   int
}

const (
	stackFrame = 4096
	maxDepth   = 64
)

// New returns a VM with the VM's initial registers and memory.
func New(exe *loader.Executable, budget uint64, input []byte, writable bool, heap int) *VM {
	vm := &VM{Exe: exe, Budget: budget, Stack: make([]byte, maxDepth*stackFrame), Heap: make([]byte, heap),
		Input: input, InputRW: writable}
	vm.Regs[1] = loader.InputStart
	if exe.Version.ManualStackFrameBump() {
		vm.Regs[10] = loader.StackStart + maxDepth*stackFrame
	} else {
		vm.Regs[10] = loader.StackStart + stackFrame
	}
	return vm
}

// mem returns the bytes [vaddr, vaddr+n) or nil when they are not mapped for the access.
func (vm *VM) mem(vaddr uint64, n int, write bool) []byte {
	region := min(vaddr>>32, 5)
	off := vaddr & 0xffffffff
	var buf []byte
	start := uint64(0)
	switch region {
	case 0, 1:
		if (region == 0) != vm.Exe.Version.LowerRodataVaddr() || write {
			return nil
		}
		buf, start = vm.Exe.Ro, vm.Exe.RoVaddr&0xffffffff
	case 2:
		if vm.Exe.Version.StackFrameGaps() {
			if vaddr&0x1000 != 0 {
				return nil
			}
			off = (off&^0xfff)>>1 | off&0xfff
		}
		buf = vm.Stack
	case 3:
		buf = vm.Heap
	case 4:
		if write && !vm.InputRW {
			return nil
		}
		buf = vm.Input
		if len(vm.Boundaries) > 0 {
			lo := uint64(0)
			for _, b := range vm.Boundaries {
				if off < uint64(b) {
					if off < lo || off+uint64(n) > uint64(b) {
						return nil
					}
					return buf[off : off+uint64(n)]
				}
				lo = uint64(b)
			}
			return nil
		}
	default:
		return nil
	}
	if off < start {
		return nil
	}
	off -= start
	if off > uint64(len(buf)) || uint64(n) > uint64(len(buf))-off {
		return nil
	}
	return buf[off : off+uint64(n)]
}

// Run executes from the entry point until exit or a fault.
func (vm *VM) Run() Fault {
	text := sbpf.Slots(vm.Exe.Text)
	v := vm.Exe.Version
	pc := vm.Exe.Entry
	r := &vm.Regs
	for {
		if vm.Units >= vm.Budget {
			return Budget
		}
		vm.Units++
		vm.PC = pc
		if pc >= len(text) {
			return Overrun
		}
		in := text[pc]
		o := sbpf.Decode(in.Op, v)
		next := pc + 1
		d := in.Dst
		var x uint64
		if o.Imm {
			x = uint64(int64(in.Imm))
			if o.ImmZext {
				x = uint64(uint32(in.Imm))
			}
		} else if in.Src <= 10 {
			x = r[in.Src]
		}
		switch o.Kind {
		case sbpf.KInvalid:
			return Unsupported
		case sbpf.KLddw:
			r[d] = uint64(uint32(in.Imm)) | uint64(uint32(text[pc+1].Imm))<<32
			next = pc + 2
		case sbpf.KHor:
			r[d] |= uint64(uint32(in.Imm)) << 32
		case sbpf.KLoad:
			b := vm.mem(r[in.Src]+uint64(int64(in.Off)), int(o.Size), false)
			if b == nil {
				return Access
			}
			r[d] = le(b)
		case sbpf.KStore:
			val := r[in.Src]
			if o.Imm {
				val = uint64(int64(in.Imm))
			}
			b := vm.mem(r[d]+uint64(int64(in.Off)), int(o.Size), true)
			if b == nil {
				return Access
			}
			var w [8]byte
			binary.LittleEndian.PutUint64(w[:], val)
			copy(b, w[:o.Size])
		case sbpf.KJa:
			next = pc + 1 + int(in.Off)
		case sbpf.KJump:
			if jump(o, r[d], x, uint32(in.Imm)) {
				next = pc + 1 + int(in.Off)
			}
		case sbpf.KExit:
			if len(vm.frames) == 0 {
				return OK
			}
			f := vm.frames[len(vm.frames)-1]
			vm.frames = vm.frames[:len(vm.frames)-1]
			copy(r[6:10], f.saved[:])
			r[10] = f.r10
			next = f.ret
		case sbpf.KCall:
			target := -1
			if v.StaticSyscalls() {
				if in.Src == 1 {
					target = pc + 1 + int(in.Imm)
				}
			} else if t, ok := vm.Exe.Functions[uint32(in.Imm)]; ok {
				if t < 0 || t >= len(text) {
					if !vm.push(next) {
						return Depth
					}
					return CallOutside
				}
				target = t
			}
			if target < 0 || target >= len(text) {
				return Unsupported
			}
			if !vm.push(next) {
				return Depth
			}
			next = target
		case sbpf.KCallx:
			t := r[sbpf.CallxReg(in, v)]
			if !vm.push(next) {
				return Depth
			}
			off := t - vm.Exe.TextVaddr
			if off/8 >= uint64(len(text)) {
				return CallOutside
			}
			next = int(off / 8)
		default:
			f := alu(o, r[d], x, uint32(in.Imm))
			if f.fault != OK {
				return f.fault
			}
			r[d] = f.v
		}
		pc = next
	}
}

func (vm *VM) push(ret int) bool {
	var f frame
	copy(f.saved[:], vm.Regs[6:10])
	f.r10, f.ret = vm.Regs[10], ret
	vm.frames = append(vm.frames, f)
	if len(vm.frames) >= maxDepth {
		return false
	}
	v := vm.Exe.Version
	if !v.ManualStackFrameBump() {
		step := uint64(stackFrame)
		if v.StackFrameGaps() {
			step *= 2
		}
		vm.Regs[10] += step
	}
	return true
}

func le(b []byte) uint64 {
	var w [8]byte
	copy(w[:], b)
	return binary.LittleEndian.Uint64(w[:])
}

func jump(o sbpf.Op, a, x uint64, imm uint32) bool {
	if !o.Wide {
		a32, x32 := uint32(a), uint32(x)
		if o.Imm {
			x32 = imm
		}
		a, x = uint64(a32), uint64(x32)
		sa, sx := int64(int32(a32)), int64(int32(x32))
		return cond(o.Cond, a, x, sa, sx)
	}
	return cond(o.Cond, a, x, int64(a), int64(x))
}

func cond(c sbpf.Cond, a, x uint64, sa, sx int64) bool {
	switch c {
	case sbpf.CondEq:
		return a == x
	case sbpf.CondNe:
		return a != x
	case sbpf.CondGt:
		return a > x
	case sbpf.CondGe:
		return a >= x
	case sbpf.CondLt:
		return a < x
	case sbpf.CondLe:
		return a <= x
	case sbpf.CondSet:
		return a&x != 0
	case sbpf.CondSgt:
		return sa > sx
	case sbpf.CondSge:
		return sa >= sx
	case sbpf.CondSlt:
		return sa < sx
	case sbpf.CondSle:
		return sa <= sx
	}
	return false
}

type result struct {
	v     uint64
	fault Fault
}

// alu computes an ALU or PQR instruction on dst value a and operand x.
func alu(o sbpf.Op, a, x uint64, imm uint32) result {
	switch {
	case o.Kind == sbpf.KLe && imm == 64:
		return result{v: a}
	case o.Kind == sbpf.KBe && imm == 64:
		return result{v: bits.ReverseBytes64(a)}
	}
	if !o.Wide {
		return alu32(o, uint32(a), uint32(x), imm)
	}
	var v uint64
	switch o.Kind {
	case sbpf.KAdd:
		v = a + x
	case sbpf.KSub:
		v = a - x
	case sbpf.KSubRev:
		v = x - a
	case sbpf.KMul:
		v = a * x
	case sbpf.KDiv, sbpf.KMod:
		if x == 0 {
			return result{fault: DivZero}
		}
		if o.Kind == sbpf.KDiv {
			v = a / x
		} else {
			v = a % x
		}
	case sbpf.KSdiv, sbpf.KSrem:
		if x == 0 {
			return result{fault: DivZero}
		}
		if int64(a) == -1<<63 && int64(x) == -1 {
			return result{fault: DivOverflow}
		}
		if o.Kind == sbpf.KSdiv {
			v = uint64(int64(a) / int64(x))
		} else {
			v = uint64(int64(a) % int64(x))
		}
	case sbpf.KOr:
		v = a | x
	case sbpf.KAnd:
		v = a & x
	case sbpf.KXor:
		v = a ^ x
	case sbpf.KLsh:
		v = a << (x & 63)
	case sbpf.KRsh:
		v = a >> (x & 63)
	case sbpf.KArsh:
		v = uint64(int64(a) >> (x & 63))
	case sbpf.KNeg:
		v = -a
	case sbpf.KMov:
		v = x
	case sbpf.KUhmul:
		v, _ = bits.Mul64(a, x)
	case sbpf.KShmul:
		hi, _ := bits.Mul64(a, x)
		if int64(a) < 0 {
			hi -= x
		}
		if int64(x) < 0 {
			hi -= a
		}
		v = hi
	}
	return result{v: v}
}

func alu32(o sbpf.Op, a, x, imm uint32) result {
	var v uint32
	switch o.Kind {
	case sbpf.KAdd:
		v = a + x
	case sbpf.KSub:
		v = a - x
	case sbpf.KSubRev:
		v = x - a
	case sbpf.KMul:
		v = a * x
	case sbpf.KDiv, sbpf.KMod:
		if x == 0 {
			return result{fault: DivZero}
		}
		if o.Kind == sbpf.KDiv {
			v = a / x
		} else {
			v = a % x
		}
	case sbpf.KSdiv, sbpf.KSrem:
		if x == 0 {
			return result{fault: DivZero}
		}
		if int32(a) == -1<<31 && int32(x) == -1 {
			return result{fault: DivOverflow}
		}
		if o.Kind == sbpf.KSdiv {
			v = uint32(int32(a) / int32(x))
		} else {
			v = uint32(int32(a) % int32(x))
		}
	case sbpf.KOr:
		v = a | x
	case sbpf.KAnd:
		v = a & x
	case sbpf.KXor:
		v = a ^ x
	case sbpf.KLsh:
		v = a << (x & 31)
	case sbpf.KRsh:
		v = a >> (x & 31)
	case sbpf.KArsh:
		v = uint32(int32(a) >> (x & 31))
	case sbpf.KNeg:
		v = -a
	case sbpf.KMov:
		v = x
	case sbpf.KLe:
		switch imm {
		case 16:
			return result{v: uint64(uint16(a))}
		case 32:
			return result{v: uint64(a)}
		}
	case sbpf.KBe:
		switch imm {
		case 16:
			return result{v: uint64(bits.ReverseBytes16(uint16(a)))}
		case 32:
			return result{v: uint64(bits.ReverseBytes32(a))}
		}
	}
	if o.Sext32 {
		return result{v: uint64(int64(int32(v)))}
	}
	return result{v: uint64(v)}
}
