package output

import (
	"encoding/binary"
	"math/big"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// out builds an output from words and byte strings.
type out []byte

func (o *out) w(v uint32) *out { *o = binary.LittleEndian.AppendUint32(*o, v); return o }
func (o *out) word(v uint64) *out {
	o.w(uint32(v)).w(uint32(v >> 32))
	for range 6 {
		o.w(0)
	}
	return o
}

func TestDecode(t *testing.T) {
	o := &out{}
	*o = append(*o, Magic...)
	o.w(0).w(21000).w(0)           // success, gas used
	o.w(3)                         // return data: 3 bytes
	*o = append(*o, 1, 2, 3, 0)    // padded
	o.w(1).word(0x42).w(1).word(7) // a log of 0x42 with topic 7
	o.w(1)
	*o = append(*o, 9, 0, 0, 0)
	o.w(0)                                             // end of logs
	o.w(1).word(0x42).w(2).word(5).w(1).w(0)           // account 0x42: code changed, balance 5, nonce 1
	o.w(2)                                             // code: 2 bytes
	*o = append(*o, 0x60, 0x00, 0, 0)                  // padded
	o.w(1).word(1).word(0).w(0)                        // slot 1 deleted, end of slots
	o.w(1).word(0x43).w(1).word(0).w(0).w(0).w(0).w(0) // 0x43 deleted
	got, err := Decode(*o)
	if err != nil {
		t.Fatal(err)
	}
	if got.GasUsed != 21000 || len(got.ReturnData) != 3 || len(got.Logs) != 1 || got.Logs[0].Address[19] != 0x42 ||
		len(got.Logs[0].Data) != 1 || len(got.Accounts) != 2 || !got.Accounts[0].CodeChanged || !got.Accounts[1].Deleted {
		t.Fatalf("decoded %+v", got)
	}
	pre := map[container.Address]*container.Account{{19: 0x42}: {Balance: big.NewInt(9), Storage: map[container.Word]container.Word{{31: 1}: {31: 5}}},
		{19: 0x43}: {Balance: big.NewInt(1), Storage: map[container.Word]container.Word{}}}
	post := got.Apply(pre)
	if a := post[container.Address{19: 0x42}]; a.Balance.Int64() != 5 || len(a.Storage) != 0 || len(a.Code) != 2 || post[container.Address{19: 0x43}] != nil {
		t.Fatalf("applied %+v", post)
	}
	for cut := range len(*o) {
		if _, err := Decode((*o)[:cut]); err == nil {
			t.Fatalf("a prefix of %d bytes decodes", cut)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(Magic + "\x00\x00\x00\x00"))
	f.Add([]byte(Magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o, err := Decode(b); err == nil && o == nil {
			t.Fatal("nil outcome without error")
		}
	})
}
