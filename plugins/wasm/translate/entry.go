package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// The entry frame: the program starts at fp = entryFP; its slot entryCont holds the pc
// where a trap handler resumes; callees' frames start at entryFP + entryFrame.
const (
	entryFP    = StackBase
	entryCont  = 8
	entryTag   = 12
	entryVal   = 16
	entryFrame = 32
)

// Outcome words, written to the public output by a container's entry code for each
// step: kind | payload << 8.
const (
	OutcomeReturned = 0 // payload: the number of result words that follow
	OutcomeTrapped  = 1 // payload: the TrapCode
	OutcomeRejected = 2 // payload: a Reject reason
)

// Reject reasons of a module step.
const (
	RejectMalformed   = 1
	RejectInvalid     = 2
	RejectUnlinkable  = 3
	RejectUnsupported = 4
)

// StepKind says what a container step does.
type StepKind int

// The steps.
const (
	StepInstantiate StepKind = iota // instantiate Instance: segments, start function
	StepInvoke                      // call Func with Args
	StepGet                         // read Global
	StepReject                      // report a module refused at load time (Reason)
)

// Step is one step of a container's entry code.
type Step struct {
	Kind     StepKind
	Instance *Instance
	Func     *Function
	Args     []uint64 // bits of each argument (by the function's parameter types)
	Global   *Global
	Reason   uint32
}

// emitInit emits the instantiation routine of inst: link checks that depend on sizes
// at run time, then the element and data segments that are not in the image, then the
// start function. It returns [8] = 0, or the rejection outcome when a link check fails.
func (s *Store) emitInit(inst *Instance, l isa.Label) {
	b := s.b
	m := inst.Module
	b.Bind(l)
	unlinkable := b.NewLabel("unlinkable")
	for _, lc := range inst.linkChecks {
		if lc.mem != nil {
			b.Load(isa.LW, w(0), isa.Imm(0), int32(lc.mem.Desc+memPages))
		} else {
			b.Load(isa.LW, w(0), isa.Imm(0), int32(lc.table.Addr))
		}
		b.Branch(isa.BLTU, w(0), isa.Imm(lc.minPages), unlinkable)
	}
	call := func(l isa.Label, args ...uint32) {
		for i, a := range args {
			b.Move(routineFrame+8+4*int32(i), isa.Imm(a))
		}
		b.Call(l, routineFrame)
	}
	for i, e := range m.Elems {
		if e.Mode != module.Active || inst.staticElem[i] {
			continue
		}
		t := inst.Tables[e.Table]
		off := uint64(uint32(s.constValue(inst, e.Offset)))
		end := off + uint64(len(e.Init))
		if end > uint64(t.Cap) {
			b.Jump(s.trapLabel(TrapTableOutOfBounds))
			continue
		}
		b.Load(isa.LW, w(0), isa.Imm(0), int32(t.Addr))
		b.Branch(isa.BLTU, w(0), isa.Imm(uint32(end)), s.trapLabel(TrapTableOutOfBounds))
		if n := len(e.Init); n > 0 {
			call(s.copyAbsRoutine(), t.Addr+4+4*uint32(off), inst.elems[i].addr, 4*uint32(n))
		}
	}
	for i, d := range m.Datas {
		if d.Mode != module.Active || inst.staticData[i] {
			continue
		}
		mem := inst.Mems[d.Memory]
		off := uint64(uint32(s.constValue(inst, d.Offset)))
		end := off + uint64(len(d.Bytes))
		if end > uint64(mem.Cap)*PageSize {
			b.Jump(s.trapLabel(TrapOutOfBounds))
			continue
		}
		b.Load(isa.LW, w(0), isa.Imm(0), int32(mem.Desc+memBytes))
		b.Branch(isa.BLTU, w(0), isa.Imm(uint32(end)), s.trapLabel(TrapOutOfBounds))
		if n := len(d.Bytes); n > 0 {
			call(s.copyAbsRoutine(), mem.Base+uint32(off), inst.datas[i].addr, uint32(n))
		}
	}
	if m.HasStart {
		f := inst.Funcs[m.Start]
		if f.host != hostNone {
			call(f.Label)
		} else {
			b.Call(f.Label, routineFrame)
		}
	}
	b.Move(w(0), isa.Imm(0))
	b.Ret()
	b.Bind(unlinkable)
	b.Move(w(0), isa.Imm(OutcomeRejected|RejectUnlinkable<<8))
	b.Ret()
}

// argWords splits argument bits into words by type.
func argWords(t module.FuncType, args []uint64) ([]uint32, error) {
	if len(args) != len(t.Params) {
		return nil, fmt.Errorf("%d arguments for a function of %d parameters", len(args), len(t.Params))
	}
	var ws []uint32
	for i, p := range t.Params {
		ws = append(ws, uint32(args[i]))
		if p.Words() == 2 {
			ws = append(ws, uint32(args[i]>>32))
		}
	}
	return ws, nil
}

func resultWords(t module.FuncType) int {
	n := 0
	for _, r := range t.Results {
		n += r.Words()
	}
	return n
}

// emitSteps emits a container's entry code.
func (s *Store) emitSteps(steps []Step) error {
	b := s.b
	for _, st := range steps {
		next := b.NewLabel("step")
		switch st.Kind {
		case StepInstantiate:
			b.Move(entryCont, isa.LabelImm(next))
			b.Call(s.initLabel(st.Instance), entryFrame)
			b.Ecall(isa.SysWrite, entryFrame+8, isa.Imm(4))
		case StepInvoke:
			ws, err := argWords(st.Func.Type, st.Args)
			if err != nil {
				return err
			}
			for i, v := range ws {
				b.Move(entryFrame+8+4*int32(i), isa.Imm(v))
			}
			b.Move(entryCont, isa.LabelImm(next))
			b.Call(st.Func.Label, entryFrame)
			n := resultWords(st.Func.Type)
			b.Move(entryTag, isa.Imm(OutcomeReturned|uint32(n)<<8))
			b.Ecall(isa.SysWrite, entryTag, isa.Imm(4))
			for i := 0; i < n; i++ {
				b.Ecall(isa.SysWrite, entryFrame+8+4*int32(i), isa.Imm(4))
			}
		case StepGet:
			g := st.Global
			n := g.Type.Type.Words()
			for i := 0; i < n; i++ {
				b.Load(isa.LW, entryVal+4*int32(i), isa.Imm(0), int32(g.Addr+4*uint32(i)))
			}
			b.Move(entryTag, isa.Imm(OutcomeReturned|uint32(n)<<8))
			b.Ecall(isa.SysWrite, entryTag, isa.Imm(4))
			for i := 0; i < n; i++ {
				b.Ecall(isa.SysWrite, entryVal+4*int32(i), isa.Imm(4))
			}
		case StepReject:
			b.Move(entryTag, isa.Imm(OutcomeRejected|st.Reason<<8))
			b.Ecall(isa.SysWrite, entryTag, isa.Imm(4))
		}
		b.Bind(next)
	}
	b.Halt(isa.Imm(0))
	return nil
}

// emitMain emits a plain module's entry code: instantiate, then call the entry
// function (if any); HALT with 0, or with the entry's i32 result.
func (s *Store) emitMain(inst *Instance, entry *Function) {
	b := s.b
	b.Call(s.initLabel(inst), entryFrame)
	if entry == nil {
		b.Halt(isa.Imm(0))
		return
	}
	b.Call(entry.Label, entryFrame)
	if len(entry.Type.Results) == 1 && entry.Type.Results[0] == module.I32 {
		b.Halt(isa.Slot(entryFrame + 8))
		return
	}
	b.Halt(isa.Imm(0))
}

func (s *Store) initLabel(inst *Instance) isa.Label {
	if l, ok := s.inits[inst]; ok {
		return l
	}
	l := s.b.NewLabel("init." + instName(inst))
	s.inits[inst] = l
	return l
}
