package container

import (
	"strings"
	"testing"
)

const sample = `{
 "env": {"currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "currentGasLimit": "0x05f5e100",
  "currentNumber": "0x01", "currentTimestamp": "0x03e8", "currentBaseFee": "0x0a", "currentDifficulty": "0x020000",
  "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000", "currentExcessBlobGas": "0x00",
  "blockHashes": {"0x0": "0x0000000000000000000000000000000000000000000000000000000000000001"}},
 "pre": {
  "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": {"balance": "0x0de0b6b3a7640000", "nonce": "0x00", "code": "0x", "storage": {}},
  "0x1000000000000000000000000000000000000000": {"balance": "0x00", "nonce": "0x01", "code": "0x6001",
   "storage": {"0x01": "0x02", "0x02": "0x00"}}
 },
 "transaction": {"type": "0x1", "sender": "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b", "to": "0x1000000000000000000000000000000000000000",
  "nonce": "0x00", "gasLimit": "0x0186a0", "gasPrice": "0x0a", "value": "0x00", "data": "0x00ff",
  "accessList": [{"address": "0x1000000000000000000000000000000000000000", "storageKeys": ["0x01"]}],
  "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"}
}`

func TestContainerRoundTrip(t *testing.T) {
	c, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	acc := c.Pre[Address{0x10}]
	if acc.Nonce != 1 || len(acc.Storage) != 1 || c.Tx.Type != 1 || len(c.Tx.AccessList) != 1 || c.Env.BlockHashes[0][31] != 1 {
		t.Fatalf("parsed %+v", c)
	}
	d, err := Parse(c.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Marshal()) != string(c.Marshal()) {
		t.Fatal("marshal is not canonical")
	}
}

func TestContainerErrors(t *testing.T) {
	bad := map[string]string{
		"unknown field":   strings.Replace(sample, `"data": "0x00ff"`, `"data": "0x00ff", "extra": 1`, 1),
		"short address":   strings.Replace(sample, `"to": "0x1000000000000000000000000000000000000000"`, `"to": "0x10"`, 1),
		"not hex":         strings.Replace(sample, `"data": "0x00ff"`, `"data": "0xzz"`, 1),
		"nonce too big":   strings.Replace(sample, `"nonce": "0x00", "gasLimit"`, `"nonce": "0x010000000000000000", "gasLimit"`, 1),
		"value too big":   strings.Replace(sample, `"value": "0x00"`, `"value": "0x1`+strings.Repeat("0", 64)+`"`, 1),
		"legacy with al":  strings.Replace(sample, `"type": "0x1"`, `"type": "0x0"`, 1),
		"type 3":          strings.Replace(sample, `"type": "0x1"`, `"type": "0x3"`, 1),
		"fee cap legacy":  strings.Replace(sample, `"gasPrice": "0x0a"`, `"gasPrice": "0x0a", "maxFeePerGas": "0x1"`, 1),
		"missing balance": strings.Replace(sample, `"balance": "0x00", `, ``, 1),
	}
	for name, src := range bad {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestBlobBaseFee(t *testing.T) {
	for _, c := range []struct {
		excess uint64
		want   int64
	}{{0, 1}, {3338477, 2}, {10 * 3338477, 22026}} {
		if got := BlobBaseFee(c.excess); got.Int64() != c.want {
			t.Errorf("excess %d: %s, want %d", c.excess, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			return
		}
		if _, err := Parse(c.Marshal()); err != nil {
			t.Fatalf("a parsed container does not parse back: %v", err)
		}
	})
}
