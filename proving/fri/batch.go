package fri

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Batching. Every opened column gets a coefficient of its own, drawn from the
// transcript after the opened values are absorbed (affine batching: the batched word is
// a uniformly random point of the span of the opened functions, whose proximity-gaps
// error has no factor in the number of functions, BCIKS20 Theorem 1.6; powers of one
// challenge would cost a factor m − 1). The functions are the multi-point quotients
// (col − U_col)/Π_Z (x − z), U_col the interpolant of col's opened values on its
// matrix's points Z: one function per column, however many points it is opened at.

// sampleCoefficients draws one extension element per column of every matrix that is
// opened at some point (widths[r][m] columns; 0 for a matrix opened nowhere), in round,
// matrix, column order.
func sampleCoefficients(tr *transcript.Challenger, widths [][]int) [][][]field.Ext {
	out := make([][][]field.Ext, len(widths))
	for r, ws := range widths {
		out[r] = make([][]field.Ext, len(ws))
		for m, w := range ws {
			out[r][m] = make([]field.Ext, w)
			for c := range out[r][m] {
				out[r][m][c] = tr.SampleExt()
			}
		}
	}
	return out
}

// group is the matrices of one LDE height opened at the same points, in the same order:
// they share one multi-point quotient.
type group struct {
	logL    int
	z       []field.Ext
	values  []field.Ext // Σ over the group's columns of coefficient × value, per point
	members []member    // the group's matrices, in order
}

// member is one matrix of a group: its LDE's columns and their batching coefficients.
type member struct {
	cols   [][]field.Elem
	coeffs []field.Ext
}

// distinct returns the distinct points of z in order of first appearance, and for each
// point of z its index among them (a table of one row is opened at ζ and ζ·ω = ζ).
func distinct(z []field.Ext) ([]field.Ext, []int) {
	var pts []field.Ext
	at := make([]int, len(z))
	for i, p := range z {
		at[i] = slices.Index(pts, p)
		if at[i] < 0 {
			at[i] = len(pts)
			pts = append(pts, p)
		}
	}
	return pts, at
}

// findGroup returns the group of (logL, z), appending a new one to groups if needed.
func findGroup(groups *[]*group, logL int, z []field.Ext) *group {
	for _, g := range *groups {
		if g.logL == logL && slices.Equal(g.z, z) {
			return g
		}
	}
	g := &group{logL: logL, z: z, values: make([]field.Ext, len(z))}
	*groups = append(*groups, g)
	return g
}

// dividedDifferences returns the Newton coefficients f[z_0], f[z_0, z_1], … of the
// group's combined values: U = Σ_j dd_j Π_(i<j) (x − z_i) interpolates them, and
// (T − U)/Π (x − z_j) is obtained from T by q ← (q − dd_j)/(x − z_j) for j = 0, 1, ….
// The points are distinct (findGroup's callers pass distinct's points).
func (g *group) dividedDifferences() ([]field.Ext, error) {
	dd := slices.Clone(g.values)
	for j := 1; j < len(dd); j++ {
		for i := len(dd) - 1; i >= j; i-- {
			var num, den field.Ext
			num.Sub(&dd[i], &dd[i-1])
			den.Sub(&g.z[i], &g.z[i-j])
			if den.IsZero() {
				return nil, fmt.Errorf("fri: a matrix is opened twice at one point")
			}
			den.Inverse(&den)
			dd[i].Mul(&num, &den)
		}
	}
	return dd, nil
}
