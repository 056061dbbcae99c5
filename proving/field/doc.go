// Package field names the fields of the Hemera Engine: the KoalaBear prime field
// (p = 2^31 − 2^24 + 1) and its extensions of degree 4 and 6, on gnark-crypto's types.
//
// # Usage
//
// [Elem] is a type alias of koalabear.Element, so every gnark-crypto method (Add, Mul,
// Inverse, batch Vector operations) applies and costs nothing extra. [Ext] is an
// element of the degree-4 or the degree-6 extension (gnark-crypto's E4 and E6 towers)
// that carries its degree, so one engine serves both: a proof's parameters choose the
// degree (fri.Params.ExtDegree), the transcript draws challenges of that degree, and
// every value derived from them inherits it. Elements lifted from the base field
// ([NewExt], the zero value) combine with either. [ExtVec] is a coordinate-wise vector
// of extension elements for batch arithmetic. Hot loops work on base-field vectors;
// interfaces sit at batch granularity (STYLE.md "Hot paths are concrete").
//
// # Security
//
// The base field has 31 bits; challenges are drawn from the extension: about 2^124
// elements for degree 4 (the default), 2^186 for degree 6 (the 128-bit preset). The
// soundness analysis (package hemera, docs/security-computation.md) counts on it.
//
// # Performance
//
// Elements are in Montgomery form. On amd64 with AVX-512, koalabear.Vector operations
// run vectorised. Without AVX-512 gnark-crypto runs them element by element; there, in
// builds with GOEXPERIMENT=simd, [VecMul], [VecAdd], [VecSub], [VecScalarMul] and
// [VecInnerProduct] run 8-lane AVX2 kernels (bit for bit gnark-crypto's results; they
// call its methods everywhere else), and the hot loops (quotient, LogUp columns,
// openings, degree-4 products and inversions) use them. Degree-4 batch products and inversions run as base-field vector
// operations; degree-6 ones element by element on gnark-crypto's E6 arithmetic.
package field
