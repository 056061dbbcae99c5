package memory

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the memory table.
type Columns struct {
	IsReal           air.Column
	Addr             air.Column
	AddrLo, AddrHi   air.Column // addr = lo + 2^16·hi, hi < 2^14
	InitLo, InitHi   air.Column
	FinalLo, FinalHi air.Column
	FinalTS          air.Column
	GapLo, GapHi     air.Column // next addr − addr − 1 = lo + 2^16·hi, hi < 2^14
}

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsReal: b.Main("is_real"),
		Addr:   b.Main("addr"), AddrLo: b.Main("addr_lo"), AddrHi: b.Main("addr_hi"),
		InitLo: b.Main("init_lo"), InitHi: b.Main("init_hi"),
		FinalLo: b.Main("final_lo"), FinalHi: b.Main("final_hi"), FinalTS: b.Main("final_ts"),
		GapLo: b.Main("gap_lo"), GapHi: b.Main("gap_hi"),
	}
}
