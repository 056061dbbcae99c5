package keys

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFile writes path through a temporary file in the same directory and
// renames it into place, so that a reader sees the old file or the whole new
// one, never a torn write. It returns the hex SHA-256 of what it wrote.
func writeFile(path string, write func(w io.Writer) error) (digest string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)
	if err = write(bw); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// syncDir flushes a directory's entries (a rename in it) to disk, where the
// platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every platform syncs directories
		d.Close()
	}
}

// fileDigest returns the hex SHA-256 of a file's bytes.
func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fullReader makes every Read fill its buffer unless the input ends: gnark's
// ReadBytesShort reads a challenge with one Read call, which a buffered reader
// may cut short.
type fullReader struct{ r io.Reader }

func (f fullReader) Read(p []byte) (int, error) {
	n, err := io.ReadFull(f.r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// decodeFrom decodes one object from r, which must hold exactly size bytes,
// turning a panic in the decoder into an error.
func decodeFrom(r io.Reader, size int64, obj io.ReaderFrom) (err error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	if err := guard(func() error {
		_, err := obj.ReadFrom(fullReader{br})
		return err
	}); err != nil {
		return err
	}
	if read := cr.n - int64(br.Buffered()); read != size {
		return fmt.Errorf("decoded %d of %d bytes", read, size)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// guard runs f, turning a panic into an error: the gnark code it wraps
// decodes and checks untrusted bytes, and a malformed file must never bring
// the process down.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: panic: %v", errShape, r)
		}
	}()
	return f()
}
