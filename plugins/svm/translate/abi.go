package translate

import "github.com/oneiros-zk/oneiros/core/isa"

// The Solana program input (the aligned serialization of Agave's BPF loaders), as the
// input region holds it:
//
//	u64 number of accounts
//	per account, a duplicate: u8 index of the original, 7 bytes of padding
//	             otherwise:   u8 0xff, u8 is_signer, u8 is_writable, u8 executable,
//	                          4 bytes of padding, key (32), owner (32), u64 lamports,
//	                          u64 data_len, data, 10240 bytes of room to grow, padding to
//	                          8 bytes, u64 rent_epoch
//	u64 instruction data length, instruction data, program id (32)
const (
	accKey      = 8
	accOwner    = 40
	accLamports = 72
	accDataLen  = 80
	accData     = 88
	growRoom    = 10240 // MAX_PERMITTED_DATA_INCREASE
)

// expandInput reads the compact Solana input from the private input tape into the input
// region: the serialization above without the 10240 bytes of room each account's data
// gets to grow (zeros, which fresh memory already is). It checks the structure as it
// goes, and records for each account whether it is a duplicate and its original data
// length, and where the program id is. A malformed input ends the run with
// ErrInvalidInput.
func (t *translator) expandInput() {
	b := t.b
	bad := t.faultLabel(ErrInvalidInput)
	p, rem, w, n, i, x, tab := s(0), s(1), s(2), s(3), s(4), s(5), s(6)
	b.Ecall(isa.SysInputLen, rem, I(0))
	b.Move(p, I(regionBase[4]))
	// read copies k words from the tape to p, p+4, … (k ≥ 1 constant).
	read := func(k int32) {
		b.Branch(isa.BLTU, rem, I(uint32(4*k)), bad)
		for j := int32(0); j < k; j++ {
			b.Ecall(isa.SysRead, w, I(0))
			b.Store(isa.SW, w, S(p), 4*j)
		}
		b.ALU(isa.SUB, rem, S(rem), I(uint32(4*k)))
	}
	read(2)
	b.Load(isa.LW, n, S(p), 0)
	b.Load(isa.LW, x, S(p), 4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Branch(isa.BGEU, n, I(1<<20), bad)
	b.Move(slotNAcc, S(n))
	b.ALU(isa.ADD, p, S(p), I(8))
	b.Move(i, I(0))
	loop, dup, tail, next := b.NewLabel("account"), b.NewLabel("duplicate"), b.NewLabel("accounts read"), b.NewLabel("next account")
	b.Bind(loop)
	b.Branch(isa.BEQ, i, S(n), tail)
	b.ALU(isa.SLL, tab, S(i), I(3))
	read(2)
	b.Load(isa.LBU, x, S(p), 0)
	b.Branch(isa.BNE, x, I(0xff), dup)
	b.ALU(isa.ADD, p, S(p), I(8))
	read(20) // key, owner, lamports, data length
	b.ALU(isa.SUB, p, S(p), I(8))
	b.Load(isa.LW, x, S(p), accDataLen+4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Load(isa.LW, x, S(p), accDataLen)
	b.Branch(isa.BGEU, x, I(regionWin), bad)
	b.Store(isa.SW, x, S(tab), origLens+4)
	b.Store(isa.SW, slotOnes, S(tab), origLens)
	// The data, padded to 8 bytes, word by word.
	b.ALU(isa.ADD, x, S(x), I(7))
	b.ALU(isa.AND, x, S(x), I(0xfffffff8))
	b.Branch(isa.BLTU, rem, S(x), bad)
	b.ALU(isa.SUB, rem, S(rem), S(x))
	b.ALU(isa.ADD, p, S(p), I(accData))
	limit := regionBase[4] + regionWin - growRoom - 64 // the account must fit the region's window
	b.ALU(isa.ADD, w, S(p), S(x))
	b.Branch(isa.BGEU, w, I(limit), bad)
	data, dataDone := b.NewLabel("account data"), b.NewLabel("account data read")
	b.Bind(data)
	b.Branch(isa.BEQ, x, I(0), dataDone)
	b.Ecall(isa.SysRead, w, I(0))
	b.Store(isa.SW, w, S(p), 0)
	b.Ecall(isa.SysRead, w, I(0))
	b.Store(isa.SW, w, S(p), 4)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.ALU(isa.SUB, x, S(x), I(8))
	b.Jump(data)
	b.Bind(dataDone)
	// The room to grow (zeros), then the rent epoch.
	b.ALU(isa.ADD, p, S(p), I(growRoom))
	read(2)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.Jump(next)
	b.Bind(dup)
	b.Store(isa.SW, x, S(tab), origLens)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.Bind(next)
	b.ALU(isa.ADD, i, S(i), I(1))
	b.Jump(loop)
	// The instruction data length, the data and the program id: exactly what is left.
	b.Bind(tail)
	tailStart := s(7)
	b.Move(tailStart, S(p))
	b.Branch(isa.BLTU, rem, I(8+32), bad)
	read(2)
	b.Load(isa.LW, x, S(p), 4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Load(isa.LW, x, S(p), 0)
	b.ALU(isa.ADD, x, S(x), I(32))
	b.Branch(isa.BNE, x, S(rem), bad)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.ALU(isa.ADD, w, S(p), S(x))
	b.Branch(isa.BGEU, w, I(regionBase[4]+regionWin), bad)
	b.ALU(isa.ADD, slotProgID, S(p), S(x))
	b.ALU(isa.SUB, slotProgID, S(slotProgID), I(32))
	rest, done := b.NewLabel("tail"), b.NewLabel("tail read")
	b.Bind(rest)
	b.Branch(isa.BEQ, x, I(0), done)
	b.Ecall(isa.SysRead, w, I(0))
	b.Store(isa.SW, w, S(p), 0)
	b.ALU(isa.ADD, p, S(p), I(4))
	b.Branch(isa.BLTU, x, I(4), done)
	b.ALU(isa.SUB, x, S(x), I(4))
	b.Jump(rest)
	b.Bind(done)
	// The region ends after the program id.
	b.ALU(isa.ADD, slotInLen, S(slotProgID), I(32-regionBase[4]))
	b.Move(regionTable+16*4+4, S(slotInLen))
}

// emitAccounts writes the accounts record: each account's index, then either the index
// of the account it duplicates, or 0xffffffff, key, owner, lamports, data length, data
// and flags (1 signer, 2 writable, 4 executable). An account whose data grew past its
// room ends the run with ErrInvalidRealloc instead.
// Pass 0 only checks the data lengths (before the exit record is written); pass 1 writes.
func (t *translator) emitAccounts(pass int) {
	b := t.b
	p, i, tab, x, y, ln := s(0), s(1), s(2), s(3), s(4), s(5)
	{
		if pass == 1 {
			t.writeConst(TagAccounts)
			t.write(slotNAcc)
		}
		loop, done, dup, next := b.NewLabel("out account"), b.NewLabel("out accounts done"), b.NewLabel("out dup"), b.NewLabel("out next")
		b.Move(p, I(regionBase[4]+8))
		b.Move(i, I(0))
		b.Bind(loop)
		b.Branch(isa.BEQ, i, S(slotNAcc), done)
		b.ALU(isa.SLL, tab, S(i), I(3))
		b.Load(isa.LW, x, S(tab), origLens)
		if pass == 1 {
			t.write(i)
			t.write(x)
		}
		b.Branch(isa.BNE, x, I(0xffffffff), dup)
		b.Load(isa.LW, y, S(tab), origLens+4)
		b.Load(isa.LW, ln, S(p), accDataLen)
		if pass == 0 {
			b.Load(isa.LW, x, S(p), accDataLen+4)
			b.Branch(isa.BNE, x, I(0), t.faultLabel(ErrInvalidRealloc))
			b.ALU(isa.ADD, x, S(y), I(growRoom+1))
			b.Branch(isa.BGEU, ln, S(x), t.faultLabel(ErrInvalidRealloc))
		} else {
			b.ALU(isa.ADD, x, S(p), I(accKey))
			b.Move(s(7), I(64)) // key and owner are adjacent
			t.writeOut(x, s(7))
			for k := int32(0); k < 16; k += 4 {
				b.Load(isa.LW, x, S(p), accLamports+k)
				t.write(x)
			}
			b.ALU(isa.ADD, x, S(p), I(accData))
			t.writeOut(x, ln)
			b.Load(isa.LBU, x, S(p), 1)
			b.Load(isa.LBU, ln, S(p), 2)
			b.ALU(isa.SLL, ln, S(ln), I(1))
			b.ALU(isa.OR, x, S(x), S(ln))
			b.Load(isa.LBU, ln, S(p), 3)
			b.ALU(isa.SLL, ln, S(ln), I(2))
			b.ALU(isa.OR, x, S(x), S(ln))
			t.write(x)
		}
		b.ALU(isa.ADD, y, S(y), I(7))
		b.ALU(isa.AND, y, S(y), I(0xfffffff8))
		b.ALU(isa.ADD, p, S(p), S(y))
		b.ALU(isa.ADD, p, S(p), I(accData+growRoom+8))
		b.Jump(next)
		b.Bind(dup)
		b.ALU(isa.ADD, p, S(p), I(8))
		b.Bind(next)
		b.ALU(isa.ADD, i, S(i), I(1))
		b.Jump(loop)
		b.Bind(done)
	}
}

// emitReturnData writes the return data record when the program set return data.
func (t *translator) emitReturnData() {
	b := t.b
	none := b.NewLabel("no return data")
	b.Branch(isa.BEQ, slotRetSet, I(0), none)
	t.writeConst(TagReturn)
	b.Move(s(0), I(32))
	t.writeOut(slotProgID, s(0))
	t.write(slotRetN)
	b.Move(s(0), I(returnData))
	t.writeOut(s(0), slotRetN)
	b.Bind(none)
}
