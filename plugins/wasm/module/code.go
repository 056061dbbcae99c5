package module

// Code: function bodies and constant expressions, decoded into instruction lists.

// constExpr decodes an expression that must be constant. Non-constant instructions
// are decoded (so that malformed bytes are still reported as such) and refused by
// validation: the ConstExpr then carries the reason.
func (d *decoder) constExpr(r *reader) ConstExpr {
	at := r.pos
	var body []Instr
	var tables [][]uint32
	d.instrs(r, &body, &tables, -1, true)
	if r.err != nil {
		return ConstExpr{}
	}
	ce := ConstExpr{Off: uint32(at)}
	// body ends with its final end.
	body = body[:len(body)-1]
	switch {
	case len(body) == 0:
		ce.Op, ce.bad = OpEnd, "type mismatch: empty constant expression"
	case len(body) > 1:
		ce.Op, ce.bad = body[0].Op, "type mismatch: constant expression of more than one instruction"
		for _, in := range body {
			if !isConstOp(in.Op) {
				ce.bad = "constant expression required"
			}
		}
	default:
		in := body[0]
		ce.Op = in.Op
		switch in.Op {
		case OpI32Const, OpI64Const, OpF32Const, OpF64Const:
			ce.Value = in.X
		case OpRefNull, OpRefFunc, OpGlobalGet:
			ce.Value = uint64(in.Y)
		default:
			ce.bad = "constant expression required"
		}
	}
	return ce
}

func isConstOp(op Opcode) bool {
	switch op {
	case OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpRefNull, OpRefFunc, OpGlobalGet:
		return true
	}
	return false
}

func (d *decoder) code(r *reader, idx int) Func {
	at := r.pos
	size := r.u32()
	if r.err != nil {
		return Func{}
	}
	if int(size) > r.remaining() {
		r.fail(malformed(r.pos, "unexpected end of section or function: body of %d bytes, %d left", size, r.remaining()))
		return Func{}
	}
	body := reader{b: r.b, pos: r.pos, end: r.pos + int(size)}
	f := Func{Off: uint32(at)}
	groups := body.count(2)
	var total uint64
	for i := 0; i < groups && body.err == nil; i++ {
		cat := body.pos
		n := body.u32()
		t := d.valType(&body)
		if body.err != nil {
			break
		}
		total += uint64(n)
		if total > MaxLocals {
			body.fail(malformed(cat, "too many locals (more than %d)", MaxLocals))
			break
		}
		for j := uint32(0); j < n; j++ {
			f.Locals = append(f.Locals, t)
		}
	}
	if body.err == nil {
		d.instrs(&body, &f.Body, &f.Tables, idx, false)
	}
	if body.err != nil {
		if body.err.Func < 0 {
			body.err.Func = int(d.m.NumImportedFuncs) + idx
		}
		r.fail(body.err)
		return f
	}
	if body.pos != body.end {
		r.fail(&Error{Kind: ErrMalformed, Off: body.pos, Func: int(d.m.NumImportedFuncs) + idx,
			Msg: "END opcode expected: the body has bytes after its final end (section size mismatch)"})
		return f
	}
	r.pos = body.end
	return f
}

// instrs decodes instructions until the end that closes the expression (included in
// out). Structure (block nesting) is tracked only to find that end.
func (d *decoder) instrs(r *reader, out *[]Instr, tables *[][]uint32, fn int, constant bool) {
	depth := 0
	for {
		if r.eof() {
			if r.err == nil {
				if constant {
					r.fail(malformed(r.pos, "unexpected end of section or function: constant expression without end"))
				} else {
					r.fail(malformed(r.pos, "unexpected end of section or function: END opcode expected"))
				}
			}
			return
		}
		at := r.pos
		in := Instr{Off: uint32(at)}
		op := Opcode(r.byte())
		in.Op = op
		switch {
		case op == OpUnreachable, op == OpNop, op == OpReturn, op == OpDrop, op == OpSelect, op == OpElse,
			op == OpRefIsNull:
		case op == OpEnd:
			if depth == 0 {
				*out = append(*out, in)
				return
			}
			depth--
		case op == OpBlock || op == OpLoop || op == OpIf:
			bt := r.sleb(33)
			if r.err == nil && bt < 0 {
				switch ValType(bt & 0x7F) {
				case I32, I64, F32, F64, FuncRef, ExternRef:
				case V128:
					r.fail(unsupported(at+1, "the v128 type (SIMD) is not supported"))
				default:
					if bt != BlockEmpty {
						r.fail(malformed(at+1, "malformed block type %d", bt))
					}
				}
			}
			in.X = uint64(bt)
			depth++
		case op == OpBr || op == OpBrIf || op == OpCall || op == OpRefFunc ||
			(op >= OpLocalGet && op <= OpTableSet):
			in.Y = r.u32()
		case op == OpBrTable:
			n := r.count(1)
			if n > MaxBrTable && r.err == nil {
				r.fail(unsupported(at, "br_table with %d labels (the limit is %d)", n, MaxBrTable))
			}
			ls := make([]uint32, 0, n+1)
			for i := 0; i <= n && r.err == nil; i++ {
				ls = append(ls, r.u32())
			}
			in.Y = uint32(len(*tables))
			*tables = append(*tables, ls)
		case op == OpCallIndirect:
			in.Y = r.u32()
			in.X = uint64(r.u32())
		case op == OpSelectT:
			n := r.count(1)
			if n != 1 && r.err == nil {
				in.Y = 0 // reported by validation: invalid result arity
				for i := 0; i < n && r.err == nil; i++ {
					d.valType(r)
				}
				in.X = uint64(n)
			} else {
				in.Y = uint32(d.valType(r))
				in.X = 1
			}
		case op >= OpI32Load && op <= OpI64Store32:
			in.X = uint64(r.u32())
			in.Y = r.u32()
		case op == OpMemorySize || op == OpMemoryGrow:
			d.zero(r)
		case op == OpI32Const:
			in.X = uint64(uint32(int32(r.sleb(32))))
		case op == OpI64Const:
			in.X = uint64(r.sleb(64))
		case op == OpF32Const:
			b := r.bytes(4)
			if b != nil {
				in.X = uint64(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
			}
		case op == OpF64Const:
			b := r.bytes(8)
			for i := len(b) - 1; i >= 0; i-- {
				in.X = in.X<<8 | uint64(b[i])
			}
		case op >= 0x45 && op <= 0xC4:
			// numeric, no immediates
		case op == OpRefNull:
			in.Y = uint32(d.refType(r))
		case op == OpPrefixFC:
			sub := r.u32()
			if r.err != nil {
				break
			}
			if sub > 17 {
				r.fail(malformed(at, "illegal opcode 0xfc %d", sub))
				break
			}
			in.Op = 0xFC00 | Opcode(sub)
			switch in.Op {
			case OpMemoryInit:
				in.Y = r.u32()
				d.zero(r)
				d.usesData = true
			case OpDataDrop:
				in.Y = r.u32()
				d.usesData = true
			case OpMemoryCopy:
				d.zero(r)
				d.zero(r)
			case OpMemoryFill:
				d.zero(r)
			case OpTableInit:
				in.Y = r.u32()
				in.X = uint64(r.u32())
			case OpElemDrop, OpTableGrow, OpTableSize, OpTableFill:
				in.Y = r.u32()
			case OpTableCopy:
				in.Y = r.u32()
				in.X = uint64(r.u32())
			}
		case op == 0xFD:
			r.fail(unsupported(at, "SIMD instructions (prefix 0xfd) are not supported"))
		default:
			r.fail(malformed(at, "illegal opcode 0x%02x", byte(op)))
		}
		if r.err != nil {
			return
		}
		if d.ninstrs++; d.ninstrs > MaxInstrs {
			r.fail(unsupported(at, "more than %d instructions", MaxInstrs))
			return
		}
		*out = append(*out, in)
	}
}

func (d *decoder) zero(r *reader) {
	at := r.pos
	if c := r.byte(); c != 0 && r.err == nil {
		r.fail(malformed(at, "zero byte expected"))
	}
}
