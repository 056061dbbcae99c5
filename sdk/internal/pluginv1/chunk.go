package pluginv1

import (
	"fmt"
	"io"
)

// ChunkWriter cuts a byte stream into chunks of MaxChunkSize, numbered from
// 0, and hands each to Emit. Emit owns the slice it gets (a fresh one per
// chunk), so gRPC may encode it lazily. The first error of Emit sticks.
type ChunkWriter struct {
	Emit func(seq uint64, data []byte) error

	buf []byte
	seq uint64
	n   uint64 // bytes emitted
	err error
}

// Write buffers p and emits every full chunk. It never retains p.
func (w *ChunkWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := len(p)
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, MaxChunkSize)
		}
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		if len(w.buf) == MaxChunkSize {
			if err := w.emit(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// Flush emits what is buffered, if anything.
func (w *ChunkWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	return w.emit()
}

func (w *ChunkWriter) emit() error {
	buf := w.buf
	w.buf = nil
	w.err = w.Emit(w.seq, buf)
	w.seq++
	w.n += uint64(len(buf))
	return w.err
}

// Chunks is the number of chunks emitted so far.
func (w *ChunkWriter) Chunks() uint64 { return w.seq }

// Bytes is the number of bytes emitted so far.
func (w *ChunkWriter) Bytes() uint64 { return w.n }

// ChunkChecker checks the chunks of a received stream: each non-empty, at
// most MaxChunkSize, numbered 0, 1, 2, ... What names the stream in errors
// ("trace", "record", "proof").
type ChunkChecker struct {
	What string
	next uint64
	n    uint64
}

// Check validates one chunk and counts it.
func (c *ChunkChecker) Check(seq uint64, data []byte) error {
	switch {
	case len(data) > MaxChunkSize:
		return fmt.Errorf("%w: %s chunk %d is %d bytes, more than the %d-byte limit", ErrProtocol, c.What, seq, len(data), MaxChunkSize)
	case len(data) == 0:
		return fmt.Errorf("%w: %s chunk %d is empty", ErrProtocol, c.What, seq)
	case seq != c.next:
		return fmt.Errorf("%w: %s chunk has sequence number %d where %d was due", ErrProtocol, c.What, seq, c.next)
	}
	c.next++
	c.n += uint64(len(data))
	return nil
}

// Chunks is the number of chunks checked so far.
func (c *ChunkChecker) Chunks() uint64 { return c.next }

// Bytes is the number of bytes checked so far.
func (c *ChunkChecker) Bytes() uint64 { return c.n }

// SendAll reads r to its end and emits its bytes in chunks of MaxChunkSize,
// reading straight into each chunk's buffer (no intermediate copy).
func SendAll(r io.Reader, emit func(seq uint64, data []byte) error) (chunks, bytes uint64, err error) {
	for seq := uint64(0); ; seq++ {
		buf := make([]byte, MaxChunkSize)
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if err := emit(seq, buf[:n]); err != nil {
				return seq, bytes, err
			}
			chunks++
			bytes += uint64(n)
		}
		switch rerr {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return chunks, bytes, nil
		default:
			return chunks, bytes, rerr
		}
	}
}
