package fri

import "slices"

// schedule is the shape of one FRI run, derived from the LDE heights being opened and
// the parameters, identically by prover and verifier.
type schedule struct {
	heights  []int // distinct log LDE heights, descending
	logMax   int
	logFinal int   // log length of the final codeword
	arities  []int // log arity of each committed layer
}

func newSchedule(p Params, logLDEs []int) schedule {
	hs := slices.Clone(logLDEs)
	slices.Sort(hs)
	hs = slices.Compact(hs)
	slices.Reverse(hs)
	s := schedule{heights: hs, logMax: hs[0]}
	minLogN := hs[len(hs)-1] - p.LogBlowup
	s.logFinal = p.LogBlowup + min(p.LogFinalPolyLen, minLogN)
	cur := s.logMax
	for cur > s.logFinal {
		a := min(p.LogArity, cur-s.logFinal)
		for _, h := range hs { // stop at the next height to roll in
			if h < cur && h > cur-a {
				a = cur - h
			}
		}
		s.arities = append(s.arities, a)
		cur -= a
	}
	return s
}

// finalLen is the number of coefficients of the final polynomial.
func (s schedule) finalLen(p Params) int { return 1 << (s.logFinal - p.LogBlowup) }

// FoldSchedule is the folding schedule of a batch of matrices whose LDEs have the log
// heights logLDEs: the largest log height, the final codeword's log length and each
// committed layer's log arity. A verifier written in another form (the Injector's wrap
// circuit) calls it so that its folding is the prover's.
func FoldSchedule(p Params, logLDEs []int) (logMax, logFinal int, arities []int) {
	s := newSchedule(p, logLDEs)
	return s.logMax, s.logFinal, s.arities
}
