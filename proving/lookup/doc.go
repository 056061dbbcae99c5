// Package lookup is the LogUp argument of the Hemera Engine: every table's interactions
// (sends and receives of tuples on buses) become auxiliary extension-field columns
// h = Σ ±m/(α − fingerprint) and a running sum, whose last values, with the public
// messages' sum, must cancel.
//
// # Security
//
// The fingerprint of a tuple (t_0, …, t_(k−1)) on bus b is
// α − (b + β_0·k + Σ_l β_(l+1)·t_l) with an independent challenge per position ([Sample]
// draws Alpha and 1 + the statement's longest tuple betas after the main traces are
// committed). It is affine in the challenges, so for M fractions (Σ height × interactions
// plus the public messages) the bus identity cleared of denominators is a nonzero
// polynomial of degree < M whenever the multisets differ (bus ids and the slot count are
// kept below p by package stark), and no committed tuple's fingerprint vanishes except
// on M more roots: the error is at most 2·M/|F| (Schwartz–Zippel), whatever the tuples'
// length. Powers of one β (the former fingerprint) made it 2·M·(k + 1)/|F|. The length
// coefficient keeps tuples of different lengths apart ((a) and (a, 0)).
//
// # Zero knowledge
//
// A zero-knowledge proof reveals each table's cumulative sum blinded by an offset
// ([Blinds]; the offsets sum to zero and are committed before the challenges, so the
// bound above is unchanged): [AuxBatch].Blind and [EvalPoint] take the blinding column.
// blind.go has the argument.
package lookup
