package translate

import "github.com/oneiros-zk/oneiros/core/isa"

// maxFrame is the largest frame of any function or routine of the store.
func (s *Store) maxFrame() int32 {
	if s.frameMax > 0 {
		return s.frameMax
	}
	m := int32(routineFrame)
	for _, f := range s.funcs {
		if f.inst == nil {
			continue
		}
		mod := f.inst.Module
		_, _, _, fr := frameOf(mod, &mod.Funcs[f.index])
		m = max(m, fr)
	}
	s.frameMax = m
	return m
}

// ProgramMain translates a store holding one main instance into a program that
// instantiates it and calls entry (nil: none).
func (s *Store) ProgramMain(inst *Instance, entry *Function) (*isa.Program, error) {
	return s.program(func() error {
		s.emitMain(inst, entry)
		return nil
	})
}

// ProgramSteps translates a store into a program that performs the steps in order,
// writing each one's outcome to the public output (Options.Container must be set).
func (s *Store) ProgramSteps(steps []Step) (*isa.Program, error) {
	return s.program(func() error { return s.emitSteps(steps) })
}

func (s *Store) program(entry func() error) (*isa.Program, error) {
	if s.err != nil {
		return nil, s.err
	}
	if err := s.placeMemories(); err != nil {
		return nil, err
	}
	s.maxFrame()
	if err := entry(); err != nil {
		return nil, err
	}
	s.b.SourceLabel("runtime:entry and instantiation")
	for _, inst := range s.instances {
		s.emitInit(inst, s.initLabel(inst))
	}
	if s.profiler != nil {
		s.profiler.overhead(0, s.b.PC())
	}
	for _, f := range s.funcs {
		if f.host != hostNone {
			s.b.SourceLabel("runtime:host functions")
			s.emitHostBody(f)
			continue
		}
		if err := s.translate(f); err != nil {
			return nil, err
		}
	}
	// Instances the entry code never instantiates still need their routine bound.
	s.emitRoutines()
	trapsAt := s.b.PC()
	s.b.SourceLabel("runtime:traps")
	s.emitTraps()
	if s.profiler != nil {
		s.profiler.overhead(trapsAt, s.b.PC())
		s.profiler.flush(s)
	}
	s.flushDescs()
	s.flushWords()
	if s.data.err != nil {
		return nil, s.data.err
	}
	s.b.SetFP(entryFP)
	return s.b.Program()
}
