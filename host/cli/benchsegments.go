package cli

import (
	"context"
	"fmt"
	"time"

	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/planner"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/kernel"
)

// benchSegments proves a run in segments of segmentCycles as it executes (the records of
// one segment in memory at a time), verifying and linking each, and fills b.
func benchSegments(ctx context.Context, m *machine.Machine, timed *kernel.Timed, p *isa.Program, input []byte, segmentCycles uint64, b *proveBench, progress func(string)) error {
	capacity := planner.Capacity(segmentCycles)
	t0 := time.Now()
	keys, err := m.Setup(p)
	if err != nil {
		return err
	}
	var ctxDigest hash.Digest
	linker := m.NewLinker(keys.VK, p, uint32(len(input)), chipinput.Digest(input), ctxDigest)
	var (
		recs          []trace.Record
		start         uint64
		inOff, outOff uint32
		output        []byte
		proveSecs     float64
		verifySecs    float64
		traceSecs     float64
		starkSecs     float64
	)
	mem, err := machine.ImageTree(p) // the memory where the next segment starts
	if err != nil {
		return err
	}
	before := timed.Timings()
	b.Tables = map[string][2]int{}
	flush := func() error {
		if len(recs) == 0 {
			return nil
		}
		machine.Rebase(recs, start)
		run := &machine.SegmentRun{Program: p, InStart: inOff, OutStart: outOff, OutState: linker.State().OutState, InState: linker.State().InState, Input: input, Context: ctxDigest, Memory: mem, Index: b.Segments}
		t1 := time.Now()
		sp, rep, err := m.ProveSegment(ctx, keys, run, recs)
		if err != nil {
			return fmt.Errorf("segment %d: %w", b.Segments, err)
		}
		proveSecs += time.Since(t1).Seconds()
		traceSecs += rep.TraceSeconds
		starkSecs += rep.ProveSeconds
		for name, rows := range rep.Rows {
			if rows > b.Tables[name][0] {
				b.Tables[name] = [2]int{rows, rep.Columns[name]}
			}
		}
		seg := output[outOff:sp.State.OutEnd]
		status, code, _ := machine.ExitOf(&recs[len(recs)-1]) // used only if the segment is final
		t2 := time.Now()
		if err := linker.Verify(sp, seg, status, code); err != nil {
			return Rejected(err)
		}
		verifySecs += time.Since(t2).Seconds()
		if sec := m.Engine().Security(keys.VK, sp.Proof.LogN, nil); b.Segments == 0 || sec.Provable < b.ProvableBits {
			b.SecurityBits, b.ProvableBits = sec.Conjectured, sec.Provable
		}
		b.ProofBytes += len(sp.Encode())
		b.Segments++
		start += uint64(len(recs))
		inOff, outOff = sp.State.InEnd, sp.State.OutEnd
		progress(fmt.Sprintf("segment %d: %d cycles proven in %.2f s (%d so far)", b.Segments-1, len(recs), time.Since(t1).Seconds(), start))
		recs = recs[:0]
		return nil
	}
	res, err := exec.Run(ctx, p, exec.Options{Input: input, Sink: func(r *trace.Record) error {
		if r.Inst.Op == isa.ECALL && r.Inst.C == isa.SysWrite {
			output = append(output, r.Sys.Output...)
		}
		recs = append(recs, *r.Clone())
		if uint64(len(recs)) == capacity {
			return flush()
		}
		return nil
	}})
	if err != nil {
		return err
	}
	if res.Trap != nil && res.ExitStatus != isa.StatusTrap {
		return BadInput(fmt.Errorf("the run did not halt: %v", res.Trap))
	}
	if err := flush(); err != nil {
		return err
	}
	st := &machine.Statement{Program: p, Status: res.ExitStatus, ExitCode: res.ExitCode, Cycles: res.Cycles, Output: res.Output,
		InputLen: uint32(len(input)), InputDigest: chipinput.Digest(input)}
	if err := linker.Finish(st); err != nil {
		return Rejected(err)
	}
	total := time.Since(t0).Seconds()
	b.Cycles, b.TotalSeconds, b.CyclesPerSec = res.Cycles, total, float64(res.Cycles)/total
	b.TraceSeconds, b.StarkSeconds, b.VerifySeconds = traceSecs, starkSecs, verifySecs
	b.ExecuteSeconds = total - proveSecs - verifySecs
	b.SegmentCycles = segmentCycles
	b.Kernels = map[string]float64{}
	for k, v := range timed.Timings() {
		b.Kernels[k] = v - before[k]
	}
	b.PeakRSSBytes = peakRSS()
	b.BytesPerCycle = float64(b.PeakRSSBytes) / float64(min(res.Cycles, capacity))
	return nil
}
