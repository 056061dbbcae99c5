package module

import "unicode/utf8"

// reader decodes the primitive encodings of the binary format from b[pos:end]. The
// first error sticks: later reads return zero values, so callers check err once per
// construct. Offsets in errors are absolute (base + position).
type reader struct {
	b   []byte
	pos int
	end int
	err *Error
}

func (r *reader) fail(e *Error) {
	if r.err == nil {
		r.err = e
	}
}

func (r *reader) eof() bool { return r.pos >= r.end }

func (r *reader) remaining() int { return r.end - r.pos }

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= r.end {
		r.fail(malformed(r.pos, "unexpected end"))
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > r.end-r.pos {
		r.fail(malformed(r.pos, "unexpected end: %d bytes wanted, %d left", n, r.end-r.pos))
		return nil
	}
	s := r.b[r.pos : r.pos+n]
	r.pos += n
	return s
}

// uleb reads an unsigned LEB128 integer of at most bits bits.
func (r *reader) uleb(bits uint) uint64 {
	if r.err != nil {
		return 0
	}
	start := r.pos
	maxBytes := int((bits + 6) / 7)
	var v uint64
	for i := 0; ; i++ {
		if r.pos >= r.end {
			r.fail(malformed(r.pos, "unexpected end"))
			return 0
		}
		c := r.b[r.pos]
		r.pos++
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				r.fail(malformed(start, "integer representation too long"))
				return 0
			}
			if used := bits - 7*uint(i); used < 7 && c>>used != 0 {
				r.fail(malformed(start, "integer too large"))
				return 0
			}
		}
		v |= uint64(c&0x7F) << (7 * uint(i))
		if c&0x80 == 0 {
			return v
		}
	}
}

// sleb reads a signed LEB128 integer of at most bits bits.
func (r *reader) sleb(bits uint) int64 {
	if r.err != nil {
		return 0
	}
	start := r.pos
	maxBytes := int((bits + 6) / 7)
	var v int64
	var shift uint
	for i := 0; ; i++ {
		if r.pos >= r.end {
			r.fail(malformed(r.pos, "unexpected end"))
			return 0
		}
		c := r.b[r.pos]
		r.pos++
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				r.fail(malformed(start, "integer representation too long"))
				return 0
			}
			// The bits of the last byte beyond the value's width must all equal its sign bit.
			used := bits - 7*uint(i) // value bits in this byte, 1..7
			if used < 7 {
				rest := int8(c<<1) >> used // the byte's bits from the sign bit (used-1) up, sign-extended
				if rest != 0 && rest != -1 {
					r.fail(malformed(start, "integer too large"))
					return 0
				}
			}
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
}

func (r *reader) u32() uint32 { return uint32(r.uleb(32)) }

// count reads a vector length and checks that the vector, at minSize bytes per element,
// can fit in what is left, so that hostile lengths never cause big allocations.
func (r *reader) count(minSize int) int {
	at := r.pos
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if minSize > 0 && uint64(n)*uint64(minSize) > uint64(r.end-r.pos) {
		r.fail(malformed(at, "length out of bounds: %d elements cannot fit in %d bytes (unexpected end)", n, r.end-r.pos))
		return 0
	}
	return int(n)
}

func (r *reader) name() string {
	n := r.count(1)
	at := r.pos
	b := r.bytes(n)
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.fail(malformed(at, "malformed UTF-8 encoding"))
		return ""
	}
	return string(b)
}
