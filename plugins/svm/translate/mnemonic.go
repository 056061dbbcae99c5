package translate

import "github.com/oneiros-zk/oneiros/plugins/svm/sbpf"

// kindNames are the sBPF mnemonics of the operation kinds.
var kindNames = map[sbpf.Kind]string{
	sbpf.KAdd: "add", sbpf.KSub: "sub", sbpf.KSubRev: "sub", sbpf.KMul: "mul", sbpf.KDiv: "div",
	sbpf.KMod: "mod", sbpf.KOr: "or", sbpf.KAnd: "and", sbpf.KLsh: "lsh", sbpf.KRsh: "rsh",
	sbpf.KArsh: "arsh", sbpf.KNeg: "neg", sbpf.KXor: "xor", sbpf.KMov: "mov", sbpf.KLe: "le",
	sbpf.KBe: "be", sbpf.KLddw: "lddw", sbpf.KHor: "hor64", sbpf.KUhmul: "uhmul64",
	sbpf.KShmul: "shmul64", sbpf.KSdiv: "sdiv", sbpf.KSrem: "srem", sbpf.KJa: "ja",
	sbpf.KCall: "call", sbpf.KCallx: "callx", sbpf.KExit: "exit",
}

// mnemonic names an instruction's operation for the source map: the sBPF mnemonic with
// its width (add64, ldxdw, jump32), not its operands.
func mnemonic(o sbpf.Op) string {
	sizes := map[uint8]string{1: "b", 2: "h", 4: "w", 8: "dw"}
	switch o.Kind {
	case sbpf.KLoad:
		return "ldx" + sizes[o.Size]
	case sbpf.KStore:
		if o.Imm {
			return "st" + sizes[o.Size]
		}
		return "stx" + sizes[o.Size]
	case sbpf.KJump:
		if o.Wide {
			return "jump64"
		}
		return "jump32"
	}
	n, ok := kindNames[o.Kind]
	if !ok {
		return "other"
	}
	switch o.Kind {
	case sbpf.KAdd, sbpf.KSub, sbpf.KSubRev, sbpf.KMul, sbpf.KDiv, sbpf.KMod, sbpf.KOr, sbpf.KAnd,
		sbpf.KLsh, sbpf.KRsh, sbpf.KArsh, sbpf.KNeg, sbpf.KXor, sbpf.KMov, sbpf.KSdiv, sbpf.KSrem:
		if o.Wide {
			return n + "64"
		}
		return n + "32"
	}
	return n
}

// label names a part of the deferred code in the source map.
func (p Part) label() string {
	switch p {
	case PartSyscall:
		return "runtime:syscalls"
	case PartSBPF:
		return "(slow paths of the instructions)"
	}
	return "runtime:exit and faults"
}
