package backendtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// Run checks the backend b and returns every failure it finds, each naming
// the check; nil means b conforms. Checks stop early only when Describe
// fails, since every other check depends on it.
//
// Run through a [backend.Client] (as [TestInProcess], [TestBinary] and
// `oneiros plugins check` do), so that the wire format, chunk numbering and
// stream framing are checked too; on a bare implementation only its
// behaviour is.
func Run(ctx context.Context, b backend.Backend) []error {
	c := &checker{ctx: ctx, b: b}
	d := c.describe()
	if d == nil {
		return c.errs
	}
	c.bench(d)
	c.refuses("ProveSegment(garbage records)", pluginv1.Garbage(MalformedRecordBytes))
	c.refuses("ProveSegment(no records)", nil)
	return c.errs
}

// MalformedRecordBytes is how many bytes of garbage records the kit sends:
// more than one chunk, so that the plugin reads across a chunk boundary.
const MalformedRecordBytes = backend.MaxChunkSize + backend.MaxChunkSize/2

type checker struct {
	ctx  context.Context
	b    backend.Backend
	errs []error
}

func (c *checker) fail(check, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", check, fmt.Sprintf(format, args...)))
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._:-]*$`)

func (c *checker) describe() *backend.Description {
	const check = "Describe"
	d, err := c.b.Describe(c.ctx, backend.DescribeRequest{})
	if err != nil {
		c.fail(check, "%v", err)
		return nil
	}
	if !nameRE.MatchString(d.Name) {
		c.fail(check, "name %q is not a short lowercase name", d.Name)
	}
	if d.Version == "" {
		c.fail(check, "empty version")
	}
	if d.ProtocolMajor != backend.ProtocolMajor {
		c.fail(check, "protocol %d.%d: major %d is not this SDK's %d", d.ProtocolMajor, d.ProtocolMinor, d.ProtocolMajor, backend.ProtocolMajor)
	}
	if len(d.Devices) == 0 {
		c.fail(check, "no devices; list unusable ones with Available false and a Reason")
	}
	seen := map[string]bool{}
	for i, dev := range d.Devices {
		switch {
		case !nameRE.MatchString(dev.Name):
			c.fail(check, "device %d: name %q is not a short lowercase name", i, dev.Name)
		case seen[dev.Name]:
			c.fail(check, "two devices are named %q", dev.Name)
		}
		seen[dev.Name] = true
		if dev.Kind == "" {
			c.fail(check, "device %q has no kind", dev.Name)
		}
		if !dev.Available && dev.Reason == "" {
			c.fail(check, "device %q is unavailable without a reason", dev.Name)
		}
		if dev.Available && len(dev.Kernels) == 0 {
			c.fail(check, "device %q is available but runs no kernels", dev.Name)
		}
	}
	return d
}

func (c *checker) alive(check string) {
	if _, err := c.b.Describe(c.ctx, backend.DescribeRequest{}); err != nil {
		c.fail(check, "the plugin no longer answers Describe (did it crash?): %v", err)
	}
}

// bench times the kernels at a tiny size on the first available device; a
// backend with none must refuse.
func (c *checker) bench(d *backend.Description) {
	const logSize = 4
	var dev *backend.Device
	for i := range d.Devices {
		if d.Devices[i].Available {
			dev = &d.Devices[i]
			break
		}
	}
	if dev == nil {
		const check = "BenchKernels(no available device)"
		if rows, err := c.b.BenchKernels(c.ctx, backend.BenchRequest{LogSizes: []int{logSize}, Columns: 1, Repetitions: 1}); err == nil {
			c.fail(check, "returned %d rows without a device to run on", len(rows))
		}
		c.alive(check)
		return
	}
	check := fmt.Sprintf("BenchKernels(device %q, log size %d)", dev.Name, logSize)
	rows, err := c.b.BenchKernels(c.ctx, backend.BenchRequest{LogSizes: []int{logSize}, Columns: 1, Repetitions: 1, Device: dev.Name})
	if err != nil {
		c.fail(check, "%v", err)
		c.alive(check)
		return
	}
	if len(rows) == 0 {
		c.fail(check, "no rows")
	}
	for _, r := range rows {
		switch {
		case r.Kernel == "":
			c.fail(check, "a row has no kernel name")
		case r.LogSize != logSize:
			c.fail(check, "kernel %q: row for log size %d, %d was asked", r.Kernel, r.LogSize, logSize)
		case !(r.Seconds >= 0) || math.IsInf(r.Seconds, 0):
			c.fail(check, "kernel %q: seconds = %v", r.Kernel, r.Seconds)
		case !(r.Throughput >= 0) || math.IsInf(r.Throughput, 0):
			c.fail(check, "kernel %q: throughput = %v", r.Kernel, r.Throughput)
		case r.Unit == "":
			c.fail(check, "kernel %q: throughput has no unit", r.Kernel)
		}
	}
}

// refuses sends a nonsense program and records: the backend must answer
// with an error, and keep answering.
func (c *checker) refuses(check string, records []byte) {
	proof, err := c.b.ProveSegment(c.ctx, backend.ProveRequest{
		Params:  backend.Params{Params: fri.Params{LogBlowup: 1, NumQueries: 2, LogArity: 1}},
		Program: []byte("backendtest: not a normalized program"),
		Records: bytes.NewReader(records),
	})
	switch {
	case err == nil:
		c.fail(check, "returned a %d-byte proof of nonsense", len(proof.Data))
	case errors.Is(err, backend.ErrProtocol), errors.Is(err, backend.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		c.fail(check, "%v", err) // the plugin broke rather than refused
	case !errors.Is(err, backend.ErrInvalidInput):
		c.fail(check, "refused with %q, which does not wrap ErrInvalidInput", err)
	}
	c.alive(check)
}
