package translate

// The normalized memory layout of a translated program. The frame pointer is 0 for the
// whole run, so a frame slot [off] is the absolute word at off.
//
//	0x0000_0000  r0..r11, two words each (lo, hi); then the runtime's own slots
//	0x0000_0400  constant pool (immediates that stores need in a slot)
//	0x0000_1000  shadow stack: r6..r9, r10, return pc, nfp per call frame
//	0x0000_2000  region table: start, length, base, writable per sBPF region 0..5
//	0x0000_3000  scratch buffers of the syscalls (hash state, message block)
//	0x0000_4000  return data (sol_set_return_data)
//	0x0800_0000  callx table: normalized pc and remaining block cost per sBPF pc
//	0x1000_0000  region 1: program (read-only data and bytecode)
//	0x2000_0000  region 2: stack (frames packed without the v0 gaps)
//	0x3000_0000  region 3: heap
//	0x4000_0000  region 4: input
//	0x5000_0000  region 0: read-only data of v3 programs
const (
	slotRegs = 0x000 // r(i).lo at 8i, r(i).hi at 8i+4, i = 0..11

	slotRem    = 0x060 // compute units left (signed; the run faults when it drops below 0)
	slotSSP    = 0x064 // shadow stack pointer
	slotNFP    = 0x068 // normalized address of r10 (fast stack accesses)
	slotErr    = 0x06c // error code of a fault
	slotT0     = 0x070 // temporaries of one sBPF instruction
	slotT1     = 0x074
	slotT2     = 0x078
	slotT3     = 0x07c
	slotT4     = 0x080
	slotT5     = 0x084
	slotT6     = 0x088
	slotT7     = 0x08c
	slotXALo   = 0x090 // address translation: virtual address (lo, hi), length, write flag
	slotXAHi   = 0x094
	slotXN     = 0x098
	slotXW     = 0x09c
	slotXNA    = 0x0a0 // result: normalized address
	slotXRet   = 0x0a4 // return pc of the translation helper
	slotHRet   = 0x0a8 // return pc of arithmetic helpers
	slotSRet   = 0x0ac // return pc of syscall routines
	slotH0     = 0x0b0 // helper scratch (8 words)
	slotH1     = 0x0b4
	slotH2     = 0x0b8
	slotH3     = 0x0bc
	slotH4     = 0x0c0
	slotH5     = 0x0c4
	slotH6     = 0x0c8
	slotH7     = 0x0cc
	slotS0     = 0x0d0 // syscall routine locals (16 words)
	slotWRet   = 0x110 // return pc of the output writer
	slotWPtr   = 0x114 // output writer: normalized address, byte count
	slotWLen   = 0x118
	slotZero   = 0x11c // always 0
	slotOnes   = 0x120 // always 0xffffffff
	slotInLen  = 0x124 // input region length (Solana mode)
	slotLim    = 0x128 // fast-path limits of the input region for sizes 1, 2, 4, 8 (4 words)
	slotHeapP  = 0x138 // sol_alloc_free_ bump pointer (offset into the heap)
	slotRetN   = 0x13c // return data length
	slotRetID  = 0x140 // return data program id (8 words)
	slotCMask  = 0x160 // scratch
	slotProgID = 0x164 // normalized address of the program id in the Solana input (0: none)
	slotNAcc   = 0x168 // accounts in the Solana input
	slotRetSet = 0x16c // 1 once sol_set_return_data ran
	slotC0     = 0x1a0 // copy helper: destination, source, count, return pc
	slotC1     = 0x1a4
	slotC2     = 0x1a8
	slotCRet   = 0x1ac
	slotC3     = 0x1b0
	slotU0     = 0x1c0 // UTF-8 check: address, length, return pc, scratch
	slotU1     = 0x1c4
	slotURet   = 0x1c8
	slotU2     = 0x1cc
	slotU3     = 0x1d0
	slotU4     = 0x1d4

	dynLimSlots    = 0x200 // limits of input accesses at positive offsets (prologue)
	dynLimSlotsEnd = 0x400
	constPool      = 0x400
	constPoolEnd   = 0x1000

	shadowBase  = 0x1000
	shadowFrame = 48 // bytes per saved frame
	maxDepth    = 64 // call frames, the root included

	regionTable = 0x2000 // 6 entries of 4 words: start, length, base, writable
	scratch     = 0x3000 // SHA-256 state (32 bytes), block (64), Keccak state (200) at +0x100
	shaState    = scratch
	shaBlock    = scratch + 0x40
	keccakState = scratch + 0x100
	sha256IV    = scratch + 0x200 // the initial state, in the digest's byte order
	zeroID      = scratch + 0x240 // 32 zero bytes: the program id without a Solana input
	origLens    = 0x0010_0000     // original data length of each account (Solana input)
	returnData  = 0x4000
	maxReturn   = 1024

	callxTable = 0x0800_0000

	stackFrame = 4096
	stackSize  = maxDepth * stackFrame
	regionWin  = 0x1000_0000 // the most bytes a region may map
)

// regionBase is the normalized address of each sBPF region's first mapped byte.
var regionBase = [6]uint32{0x5000_0000, 0x1000_0000, 0x2000_0000, 0x3000_0000, 0x4000_0000, 0}

func regLo(r uint8) int32 { return int32(slotRegs + 8*int(r)) }
func regHi(r uint8) int32 { return int32(slotRegs + 8*int(r) + 4) }

// Error codes: the exit code of the TRAP a faulting run ends with, and the status word of
// its exit record. 0 is success.
const (
	ErrNone                    = 0
	ErrExceededMaxInstructions = 1
	ErrAccessViolation         = 2
	ErrDivideByZero            = 3
	ErrDivideOverflow          = 4
	ErrCallDepthExceeded       = 5
	ErrCallOutsideTextSegment  = 6
	ErrUnsupportedInstruction  = 7
	ErrExecutionOverrun        = 8
	ErrSyscall                 = 9  // a syscall refused its arguments
	ErrPanic                   = 10 // sol_panic_
	ErrAbort                   = 11 // abort
	ErrCopyOverlapping         = 12 // sol_memcpy_ with overlapping ranges
	ErrInvalidLength           = 13 // a syscall length out of range
	ErrReturnDataTooLarge      = 14
	ErrInvalidString           = 15 // a log or panic message is not UTF-8
	ErrTooManySlices           = 16 // a hash of more than 20000 slices
	ErrUnalignedPointer        = 17
	ErrInvalidInput            = 18 // the private input is not a serialized Solana input
	ErrInvalidRealloc          = 19 // an account's data grew past the room the input left
)

// ErrorNames names the error codes as Agave's EbpfError and SyscallError do.
var ErrorNames = map[uint32]string{
	ErrNone:                    "Success",
	ErrExceededMaxInstructions: "ExceededMaxInstructions",
	ErrAccessViolation:         "AccessViolation",
	ErrDivideByZero:            "DivideByZero",
	ErrDivideOverflow:          "DivideOverflow",
	ErrCallDepthExceeded:       "CallDepthExceeded",
	ErrCallOutsideTextSegment:  "CallOutsideTextSegment",
	ErrUnsupportedInstruction:  "UnsupportedInstruction",
	ErrExecutionOverrun:        "ExecutionOverrun",
	ErrSyscall:                 "SyscallError",
	ErrPanic:                   "Panic",
	ErrAbort:                   "Abort",
	ErrCopyOverlapping:         "CopyOverlapping",
	ErrInvalidLength:           "InvalidLength",
	ErrReturnDataTooLarge:      "ReturnDataTooLarge",
	ErrInvalidString:           "InvalidString",
	ErrTooManySlices:           "TooManySlices",
	ErrUnalignedPointer:        "UnalignedPointer",
	ErrInvalidInput:            "InvalidInput",
	ErrInvalidRealloc:          "InvalidRealloc",
}

// Output records. The public output is the magic "OSV1" followed by records, each a
// little-endian u32 tag and its payload; the exit record comes last.
const (
	OutputMagic = 0x3156534f // "OSV1"

	TagLog      = 1 // u32 n, n bytes: sol_log_ (and the test "log")
	TagLog64    = 2 // 5 × u64: sol_log_64_
	TagPubkey   = 3 // 32 bytes: sol_log_pubkey
	TagCU       = 4 // u64: sol_log_compute_units_, the units left
	TagReturn   = 5 // 32-byte program id, u32 n, n bytes: sol_set_return_data
	TagData     = 6 // u32 count, then u32 n and n bytes each: sol_log_data
	TagPanic    = 7 // u32 n, n bytes (file), u64 line, u64 column: sol_panic_
	TagExit     = 0xf0
	TagAccounts = 0xf1
)
