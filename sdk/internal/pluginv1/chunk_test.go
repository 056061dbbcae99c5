package pluginv1

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestChunkWriterRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, MaxChunkSize - 1, MaxChunkSize, MaxChunkSize + 1, 3*MaxChunkSize + 17} {
		src := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		var got bytes.Buffer
		var check ChunkChecker
		w := &ChunkWriter{Emit: func(seq uint64, data []byte) error {
			if err := check.Check(seq, data); err != nil {
				return err
			}
			got.Write(data)
			return nil
		}}
		// Uneven writes exercise the buffering.
		for p := src; len(p) > 0; {
			k := min(len(p), 300_001)
			if _, err := w.Write(p[:k]); err != nil {
				t.Fatal(err)
			}
			p = p[k:]
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), src) {
			t.Errorf("size %d: bytes differ after chunking", size)
		}
		if want := uint64((size + MaxChunkSize - 1) / MaxChunkSize); w.Chunks() != want || check.Chunks() != want || w.Bytes() != uint64(size) {
			t.Errorf("size %d: %d chunks written, %d checked, want %d", size, w.Chunks(), check.Chunks(), want)
		}

		var sent bytes.Buffer
		var check2 ChunkChecker
		chunks, n, err := SendAll(bytes.NewReader(src), func(seq uint64, data []byte) error {
			sent.Write(data)
			return check2.Check(seq, data)
		})
		if err != nil || n != uint64(size) || chunks != check2.Chunks() || !bytes.Equal(sent.Bytes(), src) {
			t.Errorf("SendAll size %d: chunks %d bytes %d err %v", size, chunks, n, err)
		}
	}
}

func TestChunkWriterStickyError(t *testing.T) {
	boom := errors.New("boom")
	w := &ChunkWriter{Emit: func(uint64, []byte) error { return boom }}
	if _, err := w.Write(make([]byte, MaxChunkSize)); !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want boom", err)
	}
	if _, err := w.Write([]byte{1}); !errors.Is(err, boom) {
		t.Fatalf("second Write = %v, want the sticky error", err)
	}
}

func TestChunkChecker(t *testing.T) {
	tests := []struct {
		name string
		seqs []uint64
		size int
		want string
	}{
		{"in order", []uint64{0, 1, 2}, 10, ""},
		{"gap", []uint64{0, 2}, 10, "trace chunk has sequence number 2 where 1 was due"},
		{"repeat", []uint64{0, 0}, 10, "sequence number 0 where 1 was due"},
		{"not from zero", []uint64{1}, 10, "sequence number 1 where 0 was due"},
		{"too large", []uint64{0}, MaxChunkSize + 1, "trace chunk 0 is 1048577 bytes, more than the 1048576-byte limit"},
		{"empty", []uint64{0}, 0, "trace chunk 0 is empty"},
	}
	for _, tt := range tests {
		c := ChunkChecker{What: "trace"}
		var err error
		for _, s := range tt.seqs {
			if err = c.Check(s, make([]byte, tt.size)); err != nil {
				break
			}
		}
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrProtocol with %q", tt.name, err, tt.want)
		}
	}
}

func TestStatusRoundTrip(t *testing.T) {
	tests := []struct {
		err  error
		is   error
		code codes.Code
	}{
		{errors.Join(ErrInvalidInput, errors.New("bad magic")), ErrInvalidInput, codes.InvalidArgument},
		{ErrUnimplemented, ErrUnimplemented, codes.Unimplemented},
		{context.DeadlineExceeded, context.DeadlineExceeded, codes.DeadlineExceeded},
		{context.Canceled, context.Canceled, codes.Canceled},
		{errors.New("disk full"), nil, codes.Unknown},
	}
	for _, tt := range tests {
		st := ToStatus(tt.err)
		if got := status.Code(st); got != tt.code {
			t.Errorf("ToStatus(%v) code %v, want %v", tt.err, got, tt.code)
		}
		back := FromStatus(st)
		if back.Error() != tt.err.Error() {
			t.Errorf("message %q came back as %q", tt.err, back)
		}
		if tt.is != nil && !errors.Is(back, tt.is) {
			t.Errorf("FromStatus(ToStatus(%v)) does not match %v", tt.err, tt.is)
		}
	}
	if err := FromStatus(status.Error(codes.Unavailable, "error reading from server: EOF")); !errors.Is(err, ErrUnavailable) || err.Error() != "plugin unreachable: error reading from server: EOF" {
		t.Errorf("Unavailable became %v", err)
	}
	if err := FromStatus(io.EOF); err != io.EOF {
		t.Errorf("a non-status error must pass unchanged, got %v", err)
	}
}
