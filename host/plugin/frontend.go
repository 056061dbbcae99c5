package plugin

import (
	"context"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Frontend is a running frontend plugin. It implements [frontend.Frontend]
// with the manager's guarantees: each call is bounded by the call timeout,
// and a crash, a hang or malformed data becomes an [*Error] (and a killed
// process), never a panic or a stuck host.
type Frontend struct {
	frontend.UnimplementedFrontend
	// Description is what Describe said at launch.
	Description *frontend.Description

	proc   *process
	client *frontend.Client
}

// Describe implements frontend.Frontend.
func (f *Frontend) Describe(ctx context.Context, req frontend.DescribeRequest) (d *frontend.Description, err error) {
	err = f.proc.call(ctx, "Describe", func(ctx context.Context) error {
		d, err = f.client.Describe(ctx, req)
		return err
	})
	return d, err
}

// Load implements frontend.Frontend.
func (f *Frontend) Load(ctx context.Context, req frontend.LoadRequest) (p *frontend.Program, err error) {
	err = f.proc.call(ctx, "Load", func(ctx context.Context) error {
		p, err = f.client.Load(ctx, req)
		return err
	})
	return p, err
}

// Execute implements frontend.Frontend. The call timeout covers the time spent waiting
// for the plugin: it restarts at each message, and stops while w handles one (a host
// that proves segments as they stream holds the stream up; that is not the plugin
// hanging).
func (f *Frontend) Execute(ctx context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (r *frontend.Result, err error) {
	err = f.proc.callPausable(ctx, "Execute", func(ctx context.Context, pause func() func()) error {
		r, err = f.client.Execute(ctx, req, &pausing{w: w, pause: pause})
		return err
	})
	return r, err
}

// pausing stops the call's clock while the host handles a message.
type pausing struct {
	w     frontend.TraceWriter
	pause func() func()
}

func (p *pausing) Write(b []byte) (int, error) {
	defer p.pause()()
	return p.w.Write(b)
}

func (p *pausing) Progress(c uint64) error {
	defer p.pause()()
	return p.w.Progress(c)
}

// ConformanceCases implements frontend.Frontend (protocol 1.4). The call timeout
// restarts at each run the plugin sends.
func (f *Frontend) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	return f.proc.callPausable(ctx, "ConformanceCases", func(ctx context.Context, pause func() func()) error {
		return f.client.ConformanceCases(ctx, req, func(r *frontend.ConformanceRun) error {
			defer pause()()
			return emit(r)
		})
	})
}

// ConformanceJudge implements frontend.Frontend (protocol 1.4).
func (f *Frontend) ConformanceJudge(ctx context.Context, req frontend.JudgeRequest) (v *frontend.Verdict, err error) {
	err = f.proc.call(ctx, "ConformanceJudge", func(ctx context.Context) error {
		v, err = f.client.ConformanceJudge(ctx, req)
		return err
	})
	return v, err
}
