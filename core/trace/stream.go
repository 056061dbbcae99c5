package trace

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A record stream (what a frontend's Execute sends and a backend's ProveSegment reads)
// is a sequence of frames, each a little-endian uint32 length followed by one chunk of
// that many bytes (see DecodeChunk). The frames make the chunks recoverable from a byte
// stream that transports cut wherever they like.

// StreamWriter writes records to w as a framed record stream.
type StreamWriter struct {
	enc *Writer
	n   uint64
}

// NewStreamWriter returns a writer of framed chunks to w.
func NewStreamWriter(w io.Writer) *StreamWriter {
	s := &StreamWriter{}
	s.enc = NewWriter(func(chunk []byte) error {
		var hdr [4]byte
		binary.LittleEndian.PutUint32(hdr[:], uint32(len(chunk)))
		if _, err := w.Write(hdr[:]); err != nil {
			return err
		}
		_, err := w.Write(chunk)
		return err
	})
	return s
}

// Write appends a record; it has the executor's sink signature.
func (s *StreamWriter) Write(r *Record) error {
	s.n++
	return s.enc.Write(r)
}

// Count is the number of records written.
func (s *StreamWriter) Count() uint64 { return s.n }

// Close flushes the last chunk.
func (s *StreamWriter) Close() error { return s.enc.Flush() }

// ReadStream decodes a framed record stream to its end, calling f on each record in
// order (f must copy what it keeps). maxRecords bounds the stream (0: no bound). Errors
// wrap ErrFormat and say which frame failed.
func ReadStream(r io.Reader, maxRecords uint64, f func(*Record) error) (uint64, error) {
	var n uint64
	var hdr [4]byte
	for frame := 0; ; frame++ {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, fmt.Errorf("%w: frame %d: truncated length: %v", ErrFormat, frame, err)
		}
		size := binary.LittleEndian.Uint32(hdr[:])
		if size > MaxChunkSize {
			return n, fmt.Errorf("%w: frame %d declares %d bytes, more than %d", ErrFormat, frame, size, MaxChunkSize)
		}
		chunk := make([]byte, size)
		if _, err := io.ReadFull(r, chunk); err != nil {
			return n, fmt.Errorf("%w: frame %d: truncated chunk: %v", ErrFormat, frame, err)
		}
		recs, err := DecodeChunk(chunk)
		if err != nil {
			return n, fmt.Errorf("frame %d: %w", frame, err)
		}
		for i := range recs {
			if maxRecords > 0 && n >= maxRecords {
				return n, fmt.Errorf("%w: more than %d records", ErrFormat, maxRecords)
			}
			if err := f(&recs[i]); err != nil {
				return n, err
			}
			n++
		}
	}
}
