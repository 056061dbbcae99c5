package trace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// The record stream format (docs/isa.md, "Record stream"). A stream is a sequence of
// chunks of at most MaxChunkSize bytes. A chunk is self-contained (it decodes without
// the ones before it): a version byte, a little-endian uint32 record count, then the
// records, each delta-encoded against the one before it in the chunk.
const (
	ChunkVersion = 1
	MaxChunkSize = 1 << 20
	chunkHeader  = 5
	// minRecordSize is the fewest bytes a record takes (header, op, flags, a, b, c,
	// three operand values, access count), which bounds the allocation for a count.
	minRecordSize = 10
)

// Header bits of an encoded record: a set bit means the field takes its predicted value
// and is not written.
const (
	hClk    = 1 << 0 // Clk = previous Clk + 1 (0 for a chunk's first record)
	hPC     = 1 << 1 // PC = previous NextPC (0 first)
	hFP     = 1 << 2 // FP = previous NextFP (0 first)
	hNextPC = 1 << 3 // NextPC = PC + 1
	hNextFP = 1 << 4 // NextFP = FP
	hMask   = 1<<5 - 1
)

// ErrFormat is wrapped by every record-decoding error.
var ErrFormat = errors.New("malformed trace chunk")

// predictor is the state both sides keep to delta-encode a chunk.
type predictor struct {
	clk      uint64 // predicted next Clk
	pc, fp   uint32 // predicted next PC and FP
	wordAddr uint32 // last access address / 4
}

// Writer encodes records into chunks and hands each full chunk to emit.
// Its Write method has the executor's sink signature.
type Writer struct {
	emit  func(chunk []byte) error
	buf   []byte
	count uint32
	pred  predictor
	rec   []byte
}

// NewWriter returns a Writer that passes each finished chunk to emit. emit owns the
// slice it receives.
func NewWriter(emit func(chunk []byte) error) *Writer { return &Writer{emit: emit} }

// Write appends r to the current chunk, emitting the chunk first if r would not fit.
func (w *Writer) Write(r *Record) error {
	if w.buf == nil {
		w.startChunk()
	}
	rec, err := appendRecord(w.rec[:0], r, &w.pred)
	w.rec = rec
	if err != nil {
		return err
	}
	if len(w.buf)+len(rec) > MaxChunkSize && w.count > 0 {
		if err := w.Flush(); err != nil {
			return err
		}
		w.startChunk()
		// Re-encode against the fresh chunk's predictor.
		if rec, err = appendRecord(w.rec[:0], r, &w.pred); err != nil {
			return err
		}
		w.rec = rec
	}
	w.buf = append(w.buf, rec...)
	w.count++
	return nil
}

func (w *Writer) startChunk() {
	w.buf = make([]byte, chunkHeader, 64<<10)
	w.buf[0] = ChunkVersion
	w.count = 0
	w.pred = predictor{}
}

// Flush emits the current chunk if it holds any record. Call it once at the end.
func (w *Writer) Flush() error {
	if w.count == 0 {
		return nil
	}
	binary.LittleEndian.PutUint32(w.buf[1:], w.count)
	chunk := w.buf
	w.buf, w.count = nil, 0
	return w.emit(chunk)
}

// EncodeChunks encodes records into chunks.
func EncodeChunks(records []Record) ([][]byte, error) {
	var out [][]byte
	w := NewWriter(func(c []byte) error { out = append(out, c); return nil })
	for i := range records {
		if err := w.Write(&records[i]); err != nil {
			return nil, err
		}
	}
	return out, w.Flush()
}

func zigzag(v int32) uint64   { return uint64(uint32(v<<1) ^ uint32(v>>31)) }
func unzigzag(u uint64) int32 { return int32(uint32(u>>1)) ^ -int32(u&1) }

func appendRecord(b []byte, r *Record, p *predictor) ([]byte, error) {
	if err := checkEncodable(r); err != nil {
		return b, err
	}
	var h byte
	if r.Clk == p.clk {
		h |= hClk
	}
	if r.PC == p.pc {
		h |= hPC
	}
	if r.FP == p.fp {
		h |= hFP
	}
	if r.NextPC == r.PC+1 {
		h |= hNextPC
	}
	if r.NextFP == r.FP {
		h |= hNextFP
	}
	b = append(b, h)
	if h&hClk == 0 {
		b = binary.AppendUvarint(b, r.Clk)
	}
	if h&hPC == 0 {
		b = binary.AppendUvarint(b, uint64(r.PC))
	}
	if h&hFP == 0 {
		b = binary.AppendUvarint(b, uint64(r.FP))
	}
	if h&hNextPC == 0 {
		b = binary.AppendUvarint(b, uint64(r.NextPC))
	}
	if h&hNextFP == 0 {
		b = binary.AppendUvarint(b, uint64(r.NextFP))
	}
	in := r.Inst
	b = append(b, byte(in.Op), byte(in.Flags))
	b = binary.AppendUvarint(b, zigzag(int32(in.A)))
	b = binary.AppendUvarint(b, zigzag(int32(in.B)))
	b = binary.AppendUvarint(b, zigzag(int32(in.C)))
	b = binary.AppendUvarint(b, uint64(r.A))
	b = binary.AppendUvarint(b, uint64(r.B))
	b = binary.AppendUvarint(b, uint64(r.C))
	b = binary.AppendUvarint(b, uint64(len(r.Accesses)))
	for i := range r.Accesses {
		a := &r.Accesses[i]
		tag := uint64(a.Slot())
		if a.Kind == Write {
			tag |= SlotsPerCycle
		}
		b = binary.AppendUvarint(b, tag)
		b = binary.AppendUvarint(b, zigzag(int32(a.Addr/4-p.wordAddr)))
		p.wordAddr = a.Addr / 4
		b = binary.AppendUvarint(b, uint64(a.Before))
		if a.Kind == Write {
			b = binary.AppendUvarint(b, uint64(a.After))
		}
		d := uint64(0)
		if !a.First {
			d = a.TS - a.PrevTS
		}
		b = binary.AppendUvarint(b, d)
	}
	if in.Op == isa.ECALL {
		s := &r.Sys
		b = binary.AppendUvarint(b, uint64(s.InputOffset))
		b = binary.AppendUvarint(b, uint64(len(s.Input)))
		b = append(b, s.Input...)
		b = binary.AppendUvarint(b, uint64(s.OutputOffset))
		b = binary.AppendUvarint(b, uint64(len(s.Output)))
		b = append(b, s.Output...)
		b = binary.AppendUvarint(b, uint64(len(s.Data)))
		for _, v := range s.Data {
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	p.clk, p.pc, p.fp = r.Clk+1, r.NextPC, r.NextFP
	return b, nil
}

// checkEncodable enforces what the format can represent and the decoder accepts.
func checkEncodable(r *Record) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("trace: record clk %d: %s", r.Clk, fmt.Sprintf(format, args...))
	}
	if r.Clk > MaxClk {
		return bad("clk past %d", uint64(MaxClk))
	}
	if err := r.Inst.Validate(); err != nil {
		return bad("%v", err)
	}
	if len(r.Accesses) > SlotsPerCycle {
		return bad("%d accesses, at most %d", len(r.Accesses), SlotsPerCycle)
	}
	last := -1
	for i := range r.Accesses {
		a := &r.Accesses[i]
		switch s := a.Slot(); {
		case a.TS/SlotsPerCycle != r.Clk+1:
			return bad("access %d: ts %d is not in this cycle", i, a.TS)
		case s <= last:
			return bad("access %d: slot %d after slot %d (slots must increase)", i, s, last)
		case a.Addr%4 != 0:
			return bad("access %d: address 0x%x is not word aligned", i, a.Addr)
		case a.Kind != Read && a.Kind != Write:
			return bad("access %d: kind %d", i, a.Kind)
		case a.Kind == Read && a.Before != a.After:
			return bad("access %d: a read changes the word", i)
		case a.First && a.PrevTS != 0:
			return bad("access %d: first touch with prev ts %d", i, a.PrevTS)
		case !a.First && a.PrevTS >= a.TS:
			return bad("access %d: prev ts %d not below ts %d", i, a.PrevTS, a.TS)
		default:
			last = s
		}
	}
	if r.Inst.Op != isa.ECALL {
		if !sysEmpty(&r.Sys) {
			return bad("syscall data on a non-ECALL record")
		}
		return nil
	}
	if r.Sys.Number != r.Inst.C {
		return bad("syscall number %d differs from the instruction's c %d", r.Sys.Number, r.Inst.C)
	}
	if len(r.Sys.Input) > 4 || len(r.Sys.Output) > 4 || len(r.Sys.Data) > MaxData {
		return bad("syscall data too long (input %d, output %d, data %d)", len(r.Sys.Input), len(r.Sys.Output), len(r.Sys.Data))
	}
	return nil
}

func sysEmpty(s *Syscall) bool {
	return s.Number == 0 && s.InputOffset == 0 && s.OutputOffset == 0 && len(s.Input)+len(s.Output)+len(s.Data) == 0
}

// decoder reads one chunk.
type decoder struct {
	b    []byte
	off  int
	err  error
	slab []Access // backing store for the records' accesses
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: offset %d: %s", ErrFormat, d.off, fmt.Sprintf(format, args...))
	}
}

func (d *decoder) uvarint(max uint64, what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint for %s", what)
		return 0
	}
	if v > max {
		d.fail("%s %d exceeds %d", what, v, max)
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) byte(what string) byte {
	if d.err != nil {
		return 0
	}
	if d.off >= len(d.b) {
		d.fail("truncated before %s", what)
		return 0
	}
	d.off++
	return d.b[d.off-1]
}

func (d *decoder) bytes(n int, what string) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b)-d.off < n {
		d.fail("truncated %s", what)
		return nil
	}
	d.off += n
	return append([]byte(nil), d.b[d.off-n:d.off]...)
}

func (d *decoder) u32(what string) uint32 { return uint32(d.uvarint(math.MaxUint32, what)) }

func (d *decoder) i32(what string) uint32 {
	return uint32(unzigzag(d.uvarint(math.MaxUint32, what)))
}

// DecodeChunk decodes one chunk. It never panics: any malformed input gives an error
// wrapping [ErrFormat] that names the byte offset. Every decoded record satisfies the
// same rules the Writer enforces (valid instruction, slots increasing, aligned
// addresses, prev ts below ts).
func DecodeChunk(chunk []byte) ([]Record, error) {
	d := &decoder{b: chunk}
	if len(chunk) > MaxChunkSize {
		d.fail("chunk of %d bytes exceeds %d", len(chunk), MaxChunkSize)
		return nil, d.err
	}
	if len(chunk) < chunkHeader {
		d.fail("chunk of %d bytes is shorter than its header", len(chunk))
		return nil, d.err
	}
	if chunk[0] != ChunkVersion {
		d.fail("chunk version %d, this decoder reads version %d", chunk[0], ChunkVersion)
		return nil, d.err
	}
	count := binary.LittleEndian.Uint32(chunk[1:])
	d.off = chunkHeader
	if uint64(count) > uint64(len(chunk)-chunkHeader)/minRecordSize {
		d.fail("%d records cannot fit in %d bytes", count, len(chunk)-chunkHeader)
		return nil, d.err
	}
	recs := make([]Record, count)
	var p predictor
	for i := range recs {
		start := d.off
		d.record(&recs[i], &p)
		if d.err != nil {
			return nil, fmt.Errorf("record %d (at offset %d): %w", i, start, d.err)
		}
	}
	if d.off != len(chunk) {
		d.fail("%d trailing bytes after %d records", len(chunk)-d.off, count)
		return nil, d.err
	}
	return recs, nil
}

func (d *decoder) record(r *Record, p *predictor) {
	h := d.byte("record header")
	if h&^hMask != 0 {
		d.fail("reserved header bits 0x%02x set", h&^hMask)
	}
	r.Clk, r.PC, r.FP = p.clk, p.pc, p.fp
	if h&hClk != 0 && p.clk > MaxClk {
		d.fail("clk past %d", uint64(MaxClk))
	}
	if h&hClk == 0 {
		r.Clk = d.uvarint(MaxClk, "clk")
	}
	if h&hPC == 0 {
		r.PC = d.u32("pc")
	}
	if h&hFP == 0 {
		r.FP = d.u32("fp")
	}
	r.NextPC, r.NextFP = r.PC+1, r.FP
	if h&hNextPC == 0 {
		r.NextPC = d.u32("next pc")
	}
	if h&hNextFP == 0 {
		r.NextFP = d.u32("next fp")
	}
	r.Inst.Op = isa.Opcode(d.byte("opcode"))
	r.Inst.Flags = isa.Flags(d.byte("flags"))
	r.Inst.A = d.i32("field a")
	r.Inst.B = d.i32("field b")
	r.Inst.C = d.i32("field c")
	if d.err == nil {
		if err := r.Inst.Validate(); err != nil {
			d.fail("%v", err)
		}
	}
	r.A = d.u32("operand a")
	r.B = d.u32("operand b")
	r.C = d.u32("operand c")
	n := d.uvarint(SlotsPerCycle, "access count")
	if d.err != nil {
		return
	}
	if n > 0 {
		if cap(d.slab)-len(d.slab) < int(n) {
			d.slab = make([]Access, 0, max(4096, int(n)))
		}
		k := len(d.slab)
		d.slab = d.slab[:k+int(n)]
		r.Accesses = d.slab[k : k+int(n) : k+int(n)]
	}
	last := -1
	for i := range r.Accesses {
		a := &r.Accesses[i]
		tag := d.uvarint(2*SlotsPerCycle-1, "access tag")
		slot := int(tag % SlotsPerCycle)
		if d.err == nil && slot <= last {
			d.fail("access %d: slot %d after slot %d", i, slot, last)
		}
		last = slot
		a.Kind = AccessKind(tag / SlotsPerCycle)
		p.wordAddr += uint32(int32(d.i32("address delta")))
		a.Addr = p.wordAddr * 4
		if p.wordAddr >= 1<<30 && d.err == nil {
			d.fail("access %d: word index %d past 2^30", i, p.wordAddr)
		}
		a.Before = d.u32("value before")
		a.After = a.Before
		if a.Kind == Write {
			a.After = d.u32("value after")
		}
		a.TS = TS(r.Clk, slot)
		delta := d.uvarint(a.TS, "prev ts delta")
		a.First = delta == 0
		if !a.First {
			a.PrevTS = a.TS - delta
		}
		if d.err != nil {
			return
		}
	}
	if r.Inst.Op == isa.ECALL {
		s := &r.Sys
		s.Number = r.Inst.C
		s.InputOffset = d.u32("input offset")
		s.Input = d.bytes(int(d.uvarint(4, "input length")), "input bytes")
		s.OutputOffset = d.u32("output offset")
		s.Output = d.bytes(int(d.uvarint(4, "output length")), "output bytes")
		nd := d.uvarint(MaxData, "data length")
		if nd > uint64(len(d.b)-d.off) {
			d.fail("data length %d exceeds the remaining bytes", nd)
			return
		}
		for range nd {
			s.Data = append(s.Data, d.u32("data word"))
		}
	}
	p.clk, p.pc, p.fp = r.Clk+1, r.NextPC, r.NextFP
}
