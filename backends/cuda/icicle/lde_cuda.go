//go:build cuda

package icicle

import (
	"unsafe"

	"github.com/ingonyama-zk/icicle/v3/wrappers/golang/core"
	koalabear "github.com/ingonyama-zk/icicle/v3/wrappers/golang/fields/koalabear"
	kbntt "github.com/ingonyama-zk/icicle/v3/wrappers/golang/fields/koalabear/ntt"
	icr "github.com/ingonyama-zk/icicle/v3/wrappers/golang/runtime"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// The CosetLDE on ICICLE. Per chunk of columns, on the device:
//
//  1. one buffer of cols × N elements, zeroed; column b's n values copied to the start of
//     its N-element row (host → device, n elements per column);
//  2. an inverse NTT of size n on each row's first n elements, natural order in and out:
//     the coefficients, zero-padded to N;
//  3. one batched forward NTT of size N over all rows with coset generator shift and
//     ordering NR (natural in, bit-reversed out): the evaluations on shift·H_N in
//     bit-reversed order, exactly as ntt.CosetLDE lays them out;
//  4. the whole buffer copied back into the output columns (device → host).
//
// The NTT domain is initialised with gnark-crypto's root of unity (ntt.RootOfUnity), so the
// points, and their order, are the engine's. ICICLE stores field elements in canonical form
// and gnark-crypto in Montgomery form (x·2^32 mod p); no conversion is needed because every
// step is linear over the field: fed x·R, the transforms return y·R, the Montgomery form of
// the right answer. Only the constants ICICLE multiplies by (the root and the coset
// generator) are given in canonical form.

// ldeChunkBytes bounds the device buffer of one chunk of columns (1 GiB): a matrix larger
// than that is extended a chunk of columns at a time.
const ldeChunkBytes = 1 << 30

// minLogDomain is the smallest NTT domain initialised, so that small tables do not make
// the domain grow step by step.
const minLogDomain = 16

// CosetLDE implements kernel.Kernels: the columns' evaluations on H_n (natural order)
// extended to shift·H_{n·2^logBlowup}, in bit-reversed order, on the ICICLE device.
func (k *Kernels) CosetLDE(cols [][]field.Elem, logBlowup int, shift field.Elem) ([][]field.Elem, error) {
	if len(cols) == 0 {
		return nil, nil
	}
	n, err := checkLDE(cols, logBlowup)
	if err != nil {
		return nil, err
	}
	N := n << logBlowup
	out, backing := ldeOutput(len(cols), N)
	if n == 1 { // a constant: ICICLE has no NTT of size 1
		for i, c := range cols {
			for j := range out[i] {
				out[i][j] = c[0]
			}
		}
		return out, nil
	}
	if !shift.IsOne() && rootOfTwoPowerOrder(shift) {
		// ICICLE's CPU NTT looks a coset generator up among its twiddles and, when it finds
		// it there, indexes the twiddles by stride·i without reducing modulo the domain
		// size. Shifts of the engine never are roots of unity (they are powers of a
		// generator of the whole group, of odd order), so these rare inputs go to the host.
		return k.host.CosetLDE(cols, logBlowup, shift)
	}
	logN := ntt.Log2(N)
	per := max(1, ldeChunkBytes/(N*elemBytes))
	err = k.dev.run(func() error {
		if err := k.dev.ensureDomain(max(logN, minLogDomain)); err != nil {
			return err
		}
		for lo := 0; lo < len(cols); lo += per {
			hi := min(lo+per, len(cols))
			if err := ldeChunk(cols[lo:hi], backing[lo*N:hi*N], n, N, shift); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const elemBytes = int(unsafe.Sizeof(field.Elem{}))

// ldeChunk extends cols into dst (len(cols)·N elements, column after column); it runs on
// the device's locked thread.
func ldeChunk(cols [][]field.Elem, dst []field.Elem, n, N int, shift field.Elem) (err error) {
	var buf core.DeviceSlice
	if _, e := buf.Malloc(elemBytes, len(cols)*N); e != icr.Success {
		return check("allocating the LDE buffer", e)
	}
	defer func() {
		if e := buf.Free(); err == nil {
			err = check("freeing the LDE buffer", e)
		}
	}()
	if err := check("zeroing the LDE buffer", icr.MemSet(buf.AsUnsafePointer(), 0, uint(len(cols)*N*elemBytes))); err != nil {
		return err
	}
	inv := kbntt.GetDefaultNttConfig() // one column, natural order in and out
	for b, col := range cols {
		row := buf.Range(b*N, b*N+n, false)
		if _, e := icr.CopyToDevice(row.AsUnsafePointer(), unsafe.Pointer(&col[0]), uint(n*elemBytes)); e != icr.Success {
			return check("copying a column to the device", e)
		}
		if err := check("inverse NTT", kbntt.Ntt(row, core.KInverse, &inv, row)); err != nil {
			return err
		}
	}
	fwd := kbntt.GetDefaultNttConfig()
	fwd.BatchSize = int32(len(cols))
	fwd.Ordering = core.KNR
	fwd.CosetGen = shift.Bits() // canonical
	if err := check("coset NTT", kbntt.Ntt(buf, core.KForward, &fwd, buf)); err != nil {
		return err
	}
	_, e := icr.CopyFromDevice(unsafe.Pointer(&dst[0]), buf.AsUnsafePointer(), uint(len(dst)*elemBytes))
	return check("copying the LDE from the device", e)
}

// ensureDomain makes the device's NTT domain cover transforms of size 2^logN, with
// gnark-crypto's root of unity; it runs on the device's locked thread.
func (d *device) ensureDomain(logN int) error {
	if d.logDomain >= logN {
		return nil
	}
	if d.logDomain > 0 {
		// ICICLE keeps the first domain it is given until it is released.
		if err := check("releasing the NTT domain", kbntt.ReleaseDomain()); err != nil {
			return err
		}
		d.logDomain = 0
	}
	root := ntt.RootOfUnity(logN)
	var r koalabear.ScalarField
	r.FromUint32(root.Bits()[0])
	if err := check("initialising the NTT domain", kbntt.InitDomain(r, core.GetDefaultNTTInitDomainConfig())); err != nil {
		return err
	}
	d.logDomain = logN
	return nil
}
