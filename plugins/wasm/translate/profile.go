package translate

// profiler records, for measuring cycles per WebAssembly instruction, which normalized
// instructions belong to which WebAssembly basic blocks (see Profile).
type profiler struct{}

func newProfiler() *profiler { return &profiler{} }

func (p *profiler) instr(c *fn, k int) {}

func (p *profiler) flush(s *Store) {}
