// Package field names the fields of the Hemera Engine: the KoalaBear prime field
// (p = 2^31 − 2^24 + 1) and its degree-4 extension, both gnark-crypto's concrete types.
//
// # Usage
//
// [Elem] and [Ext] are type aliases of koalabear.Element and extensions.E4, so every
// gnark-crypto method (Add, Mul, Inverse, batch Vector operations) applies and costs
// nothing extra. Hot loops use them directly; interfaces sit at batch granularity
// (STYLE.md "Hot paths are concrete").
//
// # Security
//
// The base field has 31 bits; challenges are drawn from the extension (about 124 bits),
// which is what the soundness analysis in package stark counts on.
//
// # Performance
//
// Elements are in Montgomery form. On amd64 with AVX-512, koalabear.Vector and
// extensions.Vector operations run vectorised.
package field
