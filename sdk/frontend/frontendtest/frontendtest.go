package frontendtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"regexp"
	"slices"
	"strings"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// CapabilityAnyBytes is the capability of a frontend for which every byte
// string is a program (raw EVM bytecode, for instance). For such a frontend
// the kit expects empty and garbage sources to load and to run to a result,
// instead of being refused.
const CapabilityAnyBytes = "any-bytes"

// Run checks the frontend f and returns every failure it finds, each naming
// the check; nil means f conforms. Checks stop early only when Describe
// fails, since every other check depends on it.
//
// Run through a [frontend.Client] (as [TestInProcess], [TestBinary] and
// `oneiros plugins check` do), so that the wire format, chunk numbering and
// stream framing are checked too; on a bare implementation only its
// behaviour is.
func Run(ctx context.Context, f frontend.Frontend) []error {
	c := &checker{ctx: ctx, f: f}
	d := c.describe()
	if d == nil {
		return c.errs
	}
	c.refuses(d, "empty source", nil)
	c.refuses(d, "garbage source", pluginv1.Garbage(4096))
	c.unknownHandle()
	for _, ex := range d.Examples {
		c.example(ex)
	}
	return c.errs
}

type checker struct {
	ctx  context.Context
	f    frontend.Frontend
	errs []error
}

func (c *checker) fail(check, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", check, fmt.Sprintf(format, args...)))
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (c *checker) describe() *frontend.Description {
	const check = "Describe"
	d, err := c.f.Describe(c.ctx, frontend.DescribeRequest{})
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
	if d.ProtocolMajor != frontend.ProtocolMajor {
		c.fail(check, "protocol %d.%d: major %d is not this SDK's %d", d.ProtocolMajor, d.ProtocolMinor, d.ProtocolMajor, frontend.ProtocolMajor)
	}
	if !nameRE.MatchString(d.ISA) {
		c.fail(check, "ISA %q is not a short lowercase name", d.ISA)
	}
	if len(d.Extensions) == 0 {
		c.fail(check, "no file extensions")
	}
	for _, e := range d.Extensions {
		if len(e) < 2 || e[0] != '.' || strings.ContainsAny(e[1:], "./\\ ") {
			c.fail(check, "extension %q is not of the form .ext", e)
		}
	}
	seen := map[string]bool{}
	for i, ex := range d.Examples {
		switch {
		case ex.Name == "":
			c.fail(check, "example %d has no name", i)
		case seen[ex.Name]:
			c.fail(check, "two examples are named %q", ex.Name)
		}
		seen[ex.Name] = true
		if len(ex.Source) == 0 {
			c.fail(check, "example %q has an empty source", ex.Name)
		}
	}
	return d
}

// alive checks the plugin still answers after a check that may have killed
// it.
func (c *checker) alive(check string) bool {
	if _, err := c.f.Describe(c.ctx, frontend.DescribeRequest{}); err != nil {
		c.fail(check, "the plugin no longer answers Describe (did it crash?): %v", err)
		return false
	}
	return true
}

func (c *checker) refuses(d *frontend.Description, what string, src []byte) {
	check := "Load(" + what + ")"
	name := "program"
	if len(d.Extensions) > 0 {
		name += d.Extensions[0]
	}
	p, err := c.f.Load(c.ctx, frontend.LoadRequest{Source: src, FileName: name})
	anyBytes := slices.Contains(d.Capabilities, CapabilityAnyBytes)
	switch {
	case !anyBytes && err == nil:
		c.fail(check, "accepted %d bytes of nonsense (program_id %x); it must be refused with an error wrapping ErrInvalidInput", len(src), p.ProgramID)
	case !anyBytes && broken(err):
		c.fail(check, "%v", err)
	case !anyBytes && !errors.Is(err, frontend.ErrInvalidInput):
		c.fail(check, "refused with %q, which does not wrap ErrInvalidInput", err)
	case anyBytes && err != nil:
		c.fail(check, "refused with %v, though the plugin declares capability %q", err, CapabilityAnyBytes)
	case anyBytes:
		if _, err := c.f.Execute(c.ctx, frontend.ExecuteRequest{Handle: p.Handle, Limits: frontend.Limits{MaxCycles: 1 << 20}}, &trace{}); err != nil {
			c.fail(check, "a loaded nonsense program must run to a result (trap or limit), got %v", err)
		}
	}
	c.alive(check)
}

func (c *checker) unknownHandle() {
	const check = "Execute(unknown handle)"
	if _, err := c.f.Execute(c.ctx, frontend.ExecuteRequest{Handle: []byte("frontendtest: no such handle")}, &trace{}); err == nil {
		c.fail(check, "ran a program nobody loaded")
	} else if broken(err) {
		c.fail(check, "%v", err)
	} else if !errors.Is(err, frontend.ErrInvalidInput) {
		c.fail(check, "refused with %q, which does not wrap ErrInvalidInput", err)
	}
	c.alive(check)
}

func (c *checker) example(ex frontend.Example) {
	check := fmt.Sprintf("example %q", ex.Name)
	p, err := c.f.Load(c.ctx, frontend.LoadRequest{Source: ex.Source, FileName: ex.FileName})
	if err != nil {
		c.fail(check, "Load: %v", err)
		c.alive(check)
		return
	}
	if len(p.ProgramID) == 0 || len(p.SourceDigest) == 0 || len(p.Normalized) == 0 {
		c.fail(check, "Load: program_id (%d bytes), source digest (%d bytes) and normalized program (%d bytes) must not be empty",
			len(p.ProgramID), len(p.SourceDigest), len(p.Normalized))
	}
	if again, err := c.f.Load(c.ctx, frontend.LoadRequest{Source: ex.Source, FileName: ex.FileName}); err != nil {
		c.fail(check, "second Load: %v", err)
	} else if !bytes.Equal(again.ProgramID, p.ProgramID) || !bytes.Equal(again.SourceDigest, p.SourceDigest) || !bytes.Equal(again.Normalized, p.Normalized) {
		c.fail(check, "loading the same source twice gave different program_ids (%x, %x) or normalized programs", p.ProgramID, again.ProgramID)
	}

	req := frontend.ExecuteRequest{Handle: p.Handle, Input: ex.Input}
	var t1 trace
	res, err := c.f.Execute(c.ctx, req, &t1)
	if err != nil {
		c.fail(check, "Execute: %v", err)
		c.alive(check)
		return
	}
	if t1.err != nil {
		c.fail(check, "Execute: %v", t1.err)
	}
	if res.Status != frontend.StatusHalted {
		c.fail(check, "Execute ended %v (%q), want halted", res.Status, res.TrapReason)
	}
	if !bytes.Equal(res.PublicOutput, ex.ExpectedOutput) {
		c.fail(check, "public output %q, want %q", clip(res.PublicOutput), clip(ex.ExpectedOutput))
	}
	if res.TotalCycles == 0 || t1.n == 0 {
		c.fail(check, "Execute reported %d cycles and %d trace bytes; a run leaves a trace", res.TotalCycles, t1.n)
	}

	var t2 trace
	if res2, err := c.f.Execute(c.ctx, req, &t2); err != nil {
		c.fail(check, "second Execute: %v", err)
	} else if t2.sum() != t1.sum() || res2.TotalCycles != res.TotalCycles || !bytes.Equal(res2.PublicOutput, res.PublicOutput) {
		c.fail(check, "not deterministic: two runs gave different traces (%d and %d bytes), cycles or output", t1.n, t2.n)
	}

	if res.TotalCycles >= 2 {
		c.limited(check+" with max_cycles", req, frontend.Limits{MaxCycles: res.TotalCycles / 2})
	}
	if len(ex.ExpectedOutput) > 0 {
		c.limited(check+" with max_output_bytes", req, frontend.Limits{MaxOutputBytes: uint64(len(ex.ExpectedOutput) - 1)})
	}
}

// limited runs req under lim, which the full run exceeds: the run must stop
// with StatusLimitExceeded within the limits.
func (c *checker) limited(check string, req frontend.ExecuteRequest, lim frontend.Limits) {
	req.Limits = lim
	var t trace
	res, err := c.f.Execute(c.ctx, req, &t)
	switch {
	case broken(err):
		c.fail(check, "Execute: %v", err)
	case err != nil:
		c.fail(check, "Execute: %v; a run stopped by a limit is a result with status \"limit exceeded\", not an error", err)
	case res.Status != frontend.StatusLimitExceeded:
		c.fail(check, "ended %v, want limit exceeded", res.Status)
	case res.TrapReason == "":
		c.fail(check, "no trap reason names the limit")
	case lim.MaxCycles > 0 && res.TotalCycles > lim.MaxCycles:
		c.fail(check, "ran %d cycles with max_cycles %d", res.TotalCycles, lim.MaxCycles)
	case lim.MaxOutputBytes > 0 && uint64(len(res.PublicOutput)) > lim.MaxOutputBytes:
		c.fail(check, "produced %d output bytes with max_output_bytes %d", len(res.PublicOutput), lim.MaxOutputBytes)
	}
}

// broken tells a plugin that broke (crashed, hung, sent malformed data) from
// one that answered with an error.
func broken(err error) bool {
	return errors.Is(err, frontend.ErrProtocol) || errors.Is(err, frontend.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded)
}

// trace is the kit's TraceWriter: it hashes what it gets and checks the
// chunking where the SDK's Client does not (a bare implementation).
type trace struct {
	h      hash.Hash
	n      int
	cycles uint64
	err    error
}

func (t *trace) Write(p []byte) (int, error) {
	if t.h == nil {
		t.h = sha256.New()
	}
	if len(p) > frontend.MaxChunkSize && t.err == nil {
		t.err = fmt.Errorf("a %d-byte trace chunk exceeds %d bytes", len(p), frontend.MaxChunkSize)
	}
	t.n += len(p)
	return t.h.Write(p)
}

func (t *trace) Progress(cycles uint64) error {
	if cycles < t.cycles && t.err == nil {
		t.err = fmt.Errorf("progress went back from %d to %d cycles", t.cycles, cycles)
	}
	t.cycles = cycles
	return nil
}

// sum is the digest of the trace, "" when there was none.
func (t *trace) sum() string {
	if t.h == nil {
		return ""
	}
	return string(t.h.Sum(nil))
}

func clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
