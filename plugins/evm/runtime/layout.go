package runtime

// The normalized memory map of an EVM run. Everything below imageEnd is the program's
// initial image (bound by its program_id); the rest is filled at run time.
const (
	globalsBase = 0x0000_1000 // run-wide words (g*) and scratch 256-bit values
	txBase      = 0x0000_2000 // the transaction and block (tx*)
	acctBuckets = 0x0000_4000 // account hash table: nAcctBuckets heads
	storBuckets = 0x0000_8000 // storage hash table: nStorBuckets heads
	tstBuckets  = 0x0002_0000 // transient storage hash table: nTstBuckets heads
	imageData   = 0x0010_0000 // accounts, storage entries, codes, jump tables, calldata
	imageEnd    = 0x0800_0000

	heapBase    = 0x0800_0000 // bump allocator: new accounts, slots, deployed code, bitmaps
	heapEnd     = 0x1000_0000
	journalBase = 0x1000_0000 // undo log
	journalEnd  = 0x1800_0000
	logBase     = 0x1800_0000 // log records
	logEnd      = 0x1C00_0000
	rdBase      = 0x1C00_0000 // return-data buffers, a stack
	rdEnd       = 0x2000_0000
	frameBase   = 0x2000_0000 // normalized frames (initial fp)
	stackBase   = 0x2100_0000 // EVM stacks: depth d at stackBase + d·stackSize
	stackSize   = 0x8000      // 1024 items of 32 bytes
	memBase     = 0x2400_0000 // EVM memories, a stack of frames' memories
	memEnd      = 0xFFFF_0000

	nAcctBuckets = 1024
	nStorBuckets = 4096
	nTstBuckets  = 1024
)

// Globals (absolute addresses).
const (
	gJTop      = globalsBase + 0x00 // journal top
	gHeap      = globalsBase + 0x04 // heap top
	gRDTop     = globalsBase + 0x08 // return-data stack top
	gLogTop    = globalsBase + 0x0C // log area top
	gRefund    = globalsBase + 0x10 // refund counter (signed during the run, ≥ 0 at the end)
	gMemDirty  = globalsBase + 0x14 // highest EVM-memory address ever written + 1
	gAcctList  = globalsBase + 0x18 // list of every account record (through aListNext)
	gSender    = globalsBase + 0x1C // sender's account record
	gCoinbase  = globalsBase + 0x20 // coinbase's account record
	gTxStatus  = globalsBase + 0x24
	gGasLeftLo = globalsBase + 0x28
	gGasLeftHi = globalsBase + 0x2C
	gTmp0      = globalsBase + 0x30
	gTmp1      = globalsBase + 0x34
	gCur       = globalsBase + 0x38 // fp of the EVM frame running now
	gStatus    = globalsBase + 0x3C // status of the top frame
	gOutP      = globalsBase + 0x40 // return data of the top frame
	gOutLen    = globalsBase + 0x44
	gTxCreated = globalsBase + 0x48 // account created by a creation transaction

	// 256-bit scratch values (32 bytes each); a routine uses them only between nested
	// EVM executions, never across one.
	gU0 = globalsBase + 0x100
	gU1 = globalsBase + 0x120
	gU2 = globalsBase + 0x140
	gU3 = globalsBase + 0x160
	gU4 = globalsBase + 0x180
	gU5 = globalsBase + 0x1A0
	gU6 = globalsBase + 0x1C0
	gU7 = globalsBase + 0x1E0
	// gKeccak is the Keccak state (200 bytes) and gKeccakBuf a 136-byte block buffer.
	gKeccak    = globalsBase + 0x200
	gKeccakBuf = globalsBase + 0x300
	// gRLP is a small buffer for CREATE's address derivation.
	gRLP = globalsBase + 0x400
	// interpTable holds the interpreter's handler pc of each opcode (256 words).
	interpTable = globalsBase + 0x800
	// gKEmpty is keccak256 of the empty string (the code hash of an account without code).
	gKEmpty = globalsBase + 0x500
)

// The transaction and block (at txBase); 256-bit fields are 8 words, least significant
// first, like every 256-bit value in memory.
const (
	txSender    = txBase + 0x000 // u256 address
	txTo        = txBase + 0x020 // u256 address
	txValue     = txBase + 0x040
	txGasPrice  = txBase + 0x060 // legacy and type 1; the effective price is computed
	txMaxFee    = txBase + 0x080
	txPrioFee   = txBase + 0x0A0
	txCoinbase  = txBase + 0x0C0
	txTimestamp = txBase + 0x0E0
	txNumber    = txBase + 0x100
	txRandom    = txBase + 0x120
	txBlockGas  = txBase + 0x140 // block gas limit
	txBaseFee   = txBase + 0x160
	txChainID   = txBase + 0x180
	txBlobFee   = txBase + 0x1A0
	txEffPrice  = txBase + 0x1C0 // effective gas price (computed)
	txGasLimLo  = txBase + 0x1E0 // words
	txGasLimHi  = txBase + 0x1E4
	txNonceLo   = txBase + 0x1E8
	txNonceHi   = txBase + 0x1EC
	txCreate    = txBase + 0x1F0 // 1 for a contract creation
	txType      = txBase + 0x1F4
	txDataP     = txBase + 0x1F8
	txDataLen   = txBase + 0x1FC
	txALP       = txBase + 0x200 // access list: count, then per entry address u256, nkeys, keys
	txALLen     = txBase + 0x204 // entries
	txBHP       = txBase + 0x208 // block hashes: count, then (number u256, hash u256) pairs
	txBHLen     = txBase + 0x20C
	txToEntry   = txBase + 0x210 // translated entry of the creation's init code (create tx), or 0
	txToJT      = txBase + 0x214 // its jump table
	txNumLo     = txBase + 0x218 // block number, low word (BLOCKHASH)
	txNumHi     = txBase + 0x21C
	txCap       = txBase + 0x220 // fee cap: maxFeePerGas or gasPrice (computed)
	txGasLimU   = txBase + 0x240 // the gas limit as a 256-bit value
	txTip       = txBase + 0x260 // effective tip: effective price − base fee (computed)
)

// Account record (aSize bytes, at a multiple of 256).
const (
	aAddr     = 0x00 // u256
	aBal      = 0x20 // u256
	aNonceLo  = 0x40
	aNonceHi  = 0x44
	aCodeP    = 0x48 // code bytes
	aCodeLen  = 0x4C
	aEntry    = 0x50 // normalized pc of the translated code, or 0: interpret
	aJT       = 0x54 // jump table (translated) or JUMPDEST bitmap (interpreted; 0 = not built)
	aExists   = 0x58
	aWarm     = 0x5C
	aTouched  = 0x60
	aCreated  = 0x64 // created in this transaction
	aDestruct = 0x68 // self-destructed (only when created in this transaction)
	aNext     = 0x6C // hash chain
	aListNext = 0x70 // list of every record
	aSlots    = 0x74 // list of the account's storage entries
	aPreStor  = 0x78 // 1 when the pre-state gives it storage
	aCodeChg  = 0x7C // code set during the transaction
	aHash     = 0x80 // u256 code hash (as a number)
	aOrigBal  = 0xA0 // u256
	aOrigNLo  = 0xC0
	aOrigNHi  = 0xC4
	aExisted  = 0xC8 // existed in the pre-state
	aSize     = 0x100
)

// Storage entry (sSize bytes), used for storage and transient storage.
const (
	sNext     = 0x00 // hash chain
	sAcct     = 0x04 // account record
	sWarm     = 0x08
	sAcctNext = 0x0C // the account's list
	sKey      = 0x20 // u256
	sVal      = 0x40 // u256
	sOrig     = 0x60 // u256: the value before the transaction
	sSize     = 0x80
)

// The EVM frame: the normalized frame in which a contract's code runs. Runtime
// routines called from it sit at fp + frameSize and reach its slots at negative offsets.
const (
	fSP       = 8  // EVM stack pointer: the top item's address
	fGasLo    = 12 // gas left
	fGasHi    = 16
	fStkTop   = 20 // sp of the empty stack
	fStkBot   = 24 // sp of the full stack (1024 items)
	fMemB     = 28 // memory base address
	fMemSz    = 32 // memory size in bytes (a multiple of 32)
	fZero     = 36 // always 0
	fCode     = 40 // code bytes
	fCodeLen  = 44
	fJT       = 48 // jump table or JUMPDEST bitmap
	fCDP      = 52 // call data
	fCDLen    = 56
	fRDP      = 60 // return data of the last call
	fRDLen    = 64
	fStatic   = 68
	fDepth    = 72
	fSelf     = 76 // account record of ADDRESS
	fCaller   = 80 // account record of CALLER
	fOutP     = 84 // RETURN/REVERT data
	fOutLen   = 88
	fStatus   = 92  // how the frame ended (st*)
	fValue    = 96  // u256 CALLVALUE
	fFP       = 128 // this frame's fp
	fIPC      = 132 // interpreter: EVM pc
	fOp       = 136 // interpreter: current opcode
	fT0       = 160 // scratch words T0…T15
	fU0       = 256 // 256-bit scratch values
	fU1       = 288
	fU2       = 320
	frameSize = 512
)

// GasSlot is the EVM frame's slot of the gas left (its low word): a trace reader finds
// a segment's gas charge as a BGEU on it with an immediate.
const GasSlot = fGasLo

// Frame statuses.
const (
	stSuccess = 0
	stRevert  = 1
	stHalt    = 2
)

// t returns scratch word k of the EVM frame.
func t(k int32) int32 { return fT0 + 4*k }

// up returns the slot of EVM-frame field off as seen from a routine called with frame
// offset frameSize.
func up(off int32) int32 { return off - frameSize }
