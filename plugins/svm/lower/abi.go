package lower

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

// walkInput checks the structure of the Solana input after the prologue copied it, and
// records for each account whether it is a duplicate and its original data length (the
// layout depends on it, whatever the program writes) and where the program id is. A
// malformed input ends the run with ErrInvalidInput.
func (t *translator) walkInput() {
	b := t.b
	bad := t.faultLabel(ErrInvalidInput)
	p, end, n, i, x, e := s(0), s(1), s(2), s(3), s(4), s(5)
	b.Move(p, I(regionBase[4]))
	b.ALU(isa.ADD, end, S(slotInLen), I(regionBase[4]))
	need := func(k int32) { // p + [k] ≤ end, with k below 2^28
		b.ALU(isa.ADD, e, S(p), S(k))
		b.Branch(isa.BLTU, end, S(e), bad)
	}
	b.Move(x, I(8))
	need(x)
	b.Load(isa.LW, n, S(p), 0)
	b.Load(isa.LW, x, S(p), 4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Branch(isa.BGEU, n, I(1<<20), bad)
	b.Move(slotNAcc, S(n))
	b.ALU(isa.ADD, p, S(p), I(8))
	b.Move(i, I(0))
	loop, dup, tail := b.NewLabel("account"), b.NewLabel("duplicate"), b.NewLabel("accounts walked")
	next := b.NewLabel("next account")
	tab := s(6)
	b.Bind(loop)
	b.Branch(isa.BEQ, i, S(n), tail)
	b.ALU(isa.SLL, tab, S(i), I(3))
	b.Move(x, I(8))
	need(x)
	b.Load(isa.LBU, x, S(p), 0)
	b.Branch(isa.BNE, x, I(0xff), dup)
	b.Move(x, I(accData))
	need(x)
	b.Load(isa.LW, x, S(p), accDataLen+4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Load(isa.LW, x, S(p), accDataLen)
	b.Branch(isa.BGEU, x, I(regionWin), bad)
	b.Store(isa.SW, x, S(tab), origLens+4)
	b.Store(isa.SW, slotOnes, S(tab), origLens)
	// p += 88 + align8(len) + 10240 + 8
	b.ALU(isa.ADD, x, S(x), I(7))
	b.ALU(isa.AND, x, S(x), I(0xfffffff8))
	b.ALU(isa.ADD, x, S(x), I(accData+growRoom+8))
	need(x)
	b.ALU(isa.ADD, p, S(p), S(x))
	b.Jump(next)
	b.Bind(dup)
	b.Store(isa.SW, x, S(tab), origLens)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.Bind(next)
	b.ALU(isa.ADD, i, S(i), I(1))
	b.Jump(loop)
	b.Bind(tail)
	b.Move(x, I(8))
	need(x)
	b.Load(isa.LW, x, S(p), 4)
	b.Branch(isa.BNE, x, I(0), bad)
	b.Load(isa.LW, x, S(p), 0)
	b.Branch(isa.BGEU, x, I(regionWin), bad)
	b.ALU(isa.ADD, p, S(p), I(8))
	b.ALU(isa.ADD, x, S(x), I(32))
	need(x)
	b.ALU(isa.ADD, slotProgID, S(p), S(x))
	b.ALU(isa.SUB, slotProgID, S(slotProgID), I(32))
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
