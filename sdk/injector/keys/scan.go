package keys

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// gnark's decoders allocate from a length prefix before they read what it
// counts: a corrupt or hostile uint32 prefix makes them ask for up to 256 GiB,
// which the Go runtime cannot return as an error. The scanners here walk an
// encoding first and check every prefix against the bytes that are left, so a
// decoder only ever sees inputs whose allocations are bounded by their size.
// They check shape only; the decoders check the points.

// Encoded sizes of BN254 points (gnark-crypto ecc/bn254): the two top bits of
// the first byte say whether a point is compressed.
const (
	g1Compressed = 32
	g2Compressed = 64
	flagMask     = 0b11 << 6
	flagRaw      = 0b00 << 6
)

// errShape wraps every error the scanners return.
var errShape = errors.New("malformed encoding")

type scanner struct {
	r    *bufio.Reader
	left int64 // bytes left in the input
	err  error
	buf  [8]byte
}

func newScanner(r io.Reader, size int64) *scanner {
	return &scanner{r: bufio.NewReaderSize(r, 1<<16), left: size}
}

func (s *scanner) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf("%w: %s", errShape, fmt.Sprintf(format, args...))
	}
}

// need reports whether n more bytes are there, and fails the scan if not.
func (s *scanner) need(n uint64, what string) bool {
	if s.err != nil {
		return false
	}
	if n > uint64(s.left) {
		s.fail("%s needs %d bytes, %d left", what, n, s.left)
		return false
	}
	return true
}

func (s *scanner) skip(n uint64, what string) {
	if !s.need(n, what) {
		return
	}
	if _, err := s.r.Discard(int(n)); err != nil {
		s.fail("%s: %v", what, err)
		return
	}
	s.left -= int64(n)
}

func (s *scanner) read(n int, what string) []byte {
	if !s.need(uint64(n), what) {
		return nil
	}
	b := s.buf[:n]
	if _, err := io.ReadFull(s.r, b); err != nil {
		s.fail("%s: %v", what, err)
		return nil
	}
	s.left -= int64(n)
	return b
}

func (s *scanner) u8(what string) uint64 {
	if b := s.read(1, what); b != nil {
		return uint64(b[0])
	}
	return 0
}

func (s *scanner) u16(what string) uint64 {
	if b := s.read(2, what); b != nil {
		return uint64(binary.BigEndian.Uint16(b))
	}
	return 0
}

func (s *scanner) u32(what string) uint64 {
	if b := s.read(4, what); b != nil {
		return uint64(binary.BigEndian.Uint32(b))
	}
	return 0
}

func (s *scanner) u64(what string) uint64 {
	if b := s.read(8, what); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// point skips one point whose compressed encoding has size bytes; the
// uncompressed encoding has twice as many.
func (s *scanner) point(size uint64, what string) {
	if !s.need(1, what) {
		return
	}
	first, err := s.r.Peek(1)
	if err != nil {
		s.fail("%s: %v", what, err)
		return
	}
	if first[0]&flagMask == flagRaw {
		size *= 2
	}
	s.skip(size, what)
}

func (s *scanner) g1(what string) { s.point(g1Compressed, what) }
func (s *scanner) g2(what string) { s.point(g2Compressed, what) }

// points skips a uint32-prefixed slice of points and returns its length.
func (s *scanner) points(size uint64, what string) uint64 {
	n := s.u32(what + " length")
	if !s.need(n*size, what) {
		return 0
	}
	for i := uint64(0); i < n && s.err == nil; i++ {
		s.point(size, what)
	}
	return n
}

func (s *scanner) g1s(what string) uint64 { return s.points(g1Compressed, what) }
func (s *scanner) g2s(what string) uint64 { return s.points(g2Compressed, what) }

// u64ss skips a [][]uint64 as gnark-crypto's encoder writes it.
func (s *scanner) u64ss(what string) {
	n := s.u32(what + " length")
	if !s.need(n*4, what) {
		return
	}
	for i := uint64(0); i < n && s.err == nil; i++ {
		m := s.u32(what + " length")
		s.skip(m*8, what)
	}
}

// end fails the scan if bytes are left over, and returns the scan's error.
func (s *scanner) end() error {
	if s.err == nil && s.left != 0 {
		s.fail("%d trailing bytes", s.left)
	}
	return s.err
}

// scanVK checks the shape of a groth16/bn254 VerifyingKey encoding:
// [α]₁ [β]₁ [β]₂ [γ]₂ [δ]₁ [δ]₂, K, the public and commitment-committed
// indices, then the Pedersen verifying keys.
func scanVK(s *scanner) error {
	s.g1("α")
	s.g1("β")
	s.g2("β")
	s.g2("γ")
	s.g1("δ")
	s.g2("δ")
	s.g1s("K")
	s.u64ss("public and commitment committed")
	n := s.u32("commitment count")
	if s.need(n*2*g2Compressed, "commitment keys") {
		for i := uint64(0); i < n && s.err == nil; i++ {
			s.g2("commitment key G")
			s.g2("commitment key G·σ")
		}
	}
	return s.end()
}

// maxLogDomain is the two-adicity of BN254's scalar field: no FFT domain is
// larger than 2²⁸.
const maxLogDomain = 28

// scanPK checks the shape of a groth16/bn254 ProvingKey encoding: the FFT
// domain, [α]₁ [β]₁ [δ]₁, A, B, Z, K, [β]₂ [δ]₂, B in 𝔾₂, the wire count and
// infinity flags, then the Pedersen proving keys.
func scanPK(s *scanner) error {
	card := s.u64("domain cardinality")
	if s.err == nil && (card == 0 || bits.OnesCount64(card) != 1 || card > 1<<maxLogDomain) {
		s.fail("domain cardinality %d is not a power of two up to 2^%d", card, maxLogDomain)
	}
	// The key holds cardinality-1 points of Z: bound the domain's
	// precomputation, which is linear in the cardinality, by the input size.
	if s.err == nil && (card-1)*g1Compressed > uint64(s.left) {
		s.fail("domain cardinality %d is larger than the key", card)
	}
	s.skip(5*32+1, "domain")
	s.g1("α")
	s.g1("β")
	s.g1("δ")
	s.g1s("A")
	s.g1s("B")
	s.g1s("Z")
	s.g1s("K")
	s.g2("β")
	s.g2("δ")
	s.g2s("B in G2")
	wires := s.u64("wire count")
	s.u64("infinity count A")
	s.u64("infinity count B")
	s.skip(wires, "infinity flags A")
	s.skip(wires, "infinity flags B")
	n := s.u32("commitment count")
	if s.need(n*8, "commitment keys") {
		for i := uint64(0); i < n && s.err == nil; i++ {
			s.g1s("commitment basis")
			s.g1s("commitment basis·σ")
		}
	}
	return s.end()
}

// scanPhase1 checks the shape of an mpcsetup.Phase1 encoding: three update
// proofs, the domain size N, the powers of τ, then the challenge. It returns N.
func scanPhase1(s *scanner) (uint64, error) {
	for range 3 {
		s.g1("update proof")
		s.g2("update proof")
	}
	n := scanSRS(s)
	s.skip(s.u8("challenge length"), "challenge")
	return n, s.end()
}

// scanSRS checks the shape of an mpcsetup.SrsCommons encoding, the
// circuit-independent output of phase 1, and returns its domain size N.
func scanSRS(s *scanner) uint64 {
	n := s.u64("domain size")
	if s.err != nil {
		return 0
	}
	if n < 2 || bits.OnesCount64(n) != 1 || n > 1<<maxLogDomain {
		s.fail("domain size %d is not a power of two from 2 to 2^%d", n, maxLogDomain)
		return 0
	}
	// [β]₂, [τⁱ]₁ for 1 ≤ i ≤ 2N-2, [τⁱ]₂ for 1 ≤ i ≤ N-1, [βτⁱ]₁ and [ατⁱ]₁
	// for 0 ≤ i ≤ N-1, each point alone.
	if !s.need((6*n-2)*g1Compressed, "powers of τ") {
		return 0
	}
	s.g2("[β]₂")
	for i := uint64(1); i <= 2*n-2 && s.err == nil; i++ {
		s.g1("[τⁱ]₁")
	}
	for i := uint64(1); i <= n-1 && s.err == nil; i++ {
		s.g2("[τⁱ]₂")
	}
	for i := uint64(0); i < 2*n && s.err == nil; i++ {
		s.g1("[ατⁱ]₁, [βτⁱ]₁")
	}
	return n
}

// scanPhase2 checks the shape of an mpcsetup.Phase2 encoding: the commitment
// count, [δ]₁, the private-wire and Z bases, [δ]₂, the σ bases, the update
// proofs, then the challenge.
func scanPhase2(s *scanner) error {
	n := s.u16("commitment count")
	s.g1("[δ]₁")
	s.g1s("PKK")
	s.g1s("Z")
	s.g2("[δ]₂")
	for i := uint64(0); i < n && s.err == nil; i++ {
		s.g1s("σ basis")
	}
	for i := uint64(0); i < n && s.err == nil; i++ {
		s.g2("[σ]₂")
	}
	for i := uint64(0); i < 1+n && s.err == nil; i++ {
		s.g1("update proof")
		s.g2("update proof")
	}
	s.skip(s.u8("challenge length"), "challenge")
	return s.end()
}
