package gadget

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// Toom-Cook interpolation for the product of two polynomials of degree 3 (an Ext4
// element is a polynomial in v with v⁴ = 3): the product C = A·B has degree 6 and is
// fixed by its values at 0, 1, −1, 2, −2, 3 and its leading coefficient (the "point"
// ∞). Each value is one native product of two linear combinations; the coefficients of
// C are linear combinations of the seven products with constants of BN254's field.
//
// The interpolation runs in BN254's field, not over the integers: the identity A·B = C
// holds in F_r[X], so each interpolated coefficient is Σ a_i·b_j mod r, and because
// that integer sum is below its tracked bound (< 2^MaxBits < r) the native value is
// the integer itself. No sign or denominator ever reaches the KoalaBear arithmetic.

// toomPoints are the finite evaluation points; the seventh product is a₃·b₃.
var toomPoints = [6]int64{0, 1, -1, 2, -2, 3}

// toomEval[j][d] is x_j^d as an element of BN254's field (row 6: the point ∞).
var toomEval [7][4]*big.Int

// toomOut[d][j] is the weight of product j in output coefficient d (d < 4) after the
// reduction v⁴ = 3: out_d = c_d + 3·c_{d+4}.
var toomOut [4][7]*big.Int

func init() {
	var pow [6][7]fr.Element // x_j^k, k ≤ 6
	for j, x := range toomPoints {
		var xe fr.Element
		xe.SetInt64(x)
		pow[j][0].SetOne()
		for k := 1; k < 7; k++ {
			pow[j][k].Mul(&pow[j][k-1], &xe)
		}
		for d := range 4 {
			toomEval[j][d] = pow[j][d].BigInt(new(big.Int))
		}
	}
	for d := range 4 {
		toomEval[6][d] = big.NewInt(0)
	}
	toomEval[6][3] = big.NewInt(1)

	// W = V⁻¹ for V[j][k] = x_j^k (j, k < 6), by Gauss-Jordan elimination.
	var v, w [6][6]fr.Element
	for j := range 6 {
		for k := range 6 {
			v[j][k] = pow[j][k]
		}
		w[j][j].SetOne()
	}
	for col := range 6 {
		piv := col
		for v[piv][col].IsZero() {
			piv++
		}
		v[col], v[piv] = v[piv], v[col]
		w[col], w[piv] = w[piv], w[col]
		var inv fr.Element
		inv.Inverse(&v[col][col])
		for k := range 6 {
			v[col][k].Mul(&v[col][k], &inv)
			w[col][k].Mul(&w[col][k], &inv)
		}
		for row := range 6 {
			if row == col || v[row][col].IsZero() {
				continue
			}
			factor := v[row][col]
			for k := range 6 {
				var t fr.Element
				t.Mul(&factor, &v[col][k])
				v[row][k].Sub(&v[row][k], &t)
				t.Mul(&factor, &w[col][k])
				w[row][k].Sub(&w[row][k], &t)
			}
		}
	}

	// c_k = Σ_j W[k][j]·(P_j − x_j^6·P∞) for k < 6, c_6 = P∞.
	var m [7][7]fr.Element
	for k := range 6 {
		for j := range 6 {
			m[k][j] = w[k][j]
			var t fr.Element
			t.Mul(&w[k][j], &pow[j][6])
			m[k][6].Sub(&m[k][6], &t)
		}
	}
	m[6][6].SetOne()

	var three fr.Element
	three.SetUint64(3)
	for d := range 4 {
		for j := range 7 {
			e := m[d][j]
			if d+4 < 7 {
				var t fr.Element
				t.Mul(&three, &m[d+4][j])
				e.Add(&e, &t)
			}
			toomOut[d][j] = e.BigInt(new(big.Int))
		}
	}
}
