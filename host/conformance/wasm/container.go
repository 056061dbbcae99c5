package wasm

import "encoding/binary"

// The invocation container of the wasm frontend (docs/wasm.md): magic "OWIC", version
// 1, flags, then steps.
const (
	flagLenientFloat = 1 << 0
	flagProfile      = 1 << 1

	stepModule   = 1
	stepRegister = 2
	stepInvoke   = 3
	stepGet      = 4
)

// Outcome kinds written by the container's program.
const (
	outcomeReturned = 0
	outcomeTrapped  = 1
	outcomeRejected = 2
)

// The profile table's location (docs/wasm.md).
const (
	profileAddr  = 0x8000
	profileMagic = 0x31465250
)

type value struct {
	typ  byte
	bits uint64
}

type step struct {
	kind   byte
	name   string
	bytes  []byte
	module int32
	args   []value
}

func encodeContainer(flags uint32, steps []step) []byte {
	b := []byte("OWIC")
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, flags)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(steps)))
	str := func(s []byte) {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	for _, s := range steps {
		b = append(b, s.kind)
		switch s.kind {
		case stepModule:
			str([]byte(s.name))
			str(s.bytes)
		case stepRegister:
			str([]byte(s.name))
			b = binary.LittleEndian.AppendUint32(b, uint32(s.module))
		case stepInvoke, stepGet:
			b = binary.LittleEndian.AppendUint32(b, uint32(s.module))
			str([]byte(s.name))
			if s.kind == stepInvoke {
				b = binary.LittleEndian.AppendUint32(b, uint32(len(s.args)))
				for _, a := range s.args {
					b = append(b, a.typ)
					b = binary.LittleEndian.AppendUint64(b, a.bits)
				}
			}
		}
	}
	return b
}

// outcome is one step's outcome read from the public output.
type outcome struct {
	kind    uint32
	payload uint32
	words   []uint32
}

// decodeOutcomes splits a container run's output into outcomes.
func decodeOutcomes(out []byte) []outcome {
	var res []outcome
	for len(out) >= 4 {
		tag := binary.LittleEndian.Uint32(out)
		out = out[4:]
		o := outcome{kind: tag & 0xFF, payload: tag >> 8}
		if o.kind == outcomeReturned {
			for i := uint32(0); i < o.payload && len(out) >= 4; i++ {
				o.words = append(o.words, binary.LittleEndian.Uint32(out))
				out = out[4:]
			}
		}
		res = append(res, o)
	}
	return res
}
