// Command crasher is a frontend plugin, for host/plugin's tests only, that
// dies in the middle of Execute, after streaming some of the trace: the host
// must report the crash with the plugin's last words and keep running.
package main

import (
	"context"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

type crasher struct{ frontend.UnimplementedFrontend }

func (crasher) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{Name: "crasher", Version: "0.0.1-test", ISA: "toy", Extensions: []string{".toy"}}, nil
}

func (crasher) Load(context.Context, frontend.LoadRequest) (*frontend.Program, error) {
	return program(), nil
}

// program is a valid normalized program (a single halt), so that the host's
// pipeline gets as far as Execute.
func program() *frontend.Program {
	p, err := isa.Assemble("h.s", []byte("halt 0\n"))
	if err != nil {
		panic(err)
	}
	return &frontend.Program{Handle: []byte("h"), ProgramID: p.ID().Bytes(), Normalized: p.Encode()}
}

func (crasher) Execute(_ context.Context, _ frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	if _, err := w.Write(make([]byte, 3*frontend.MaxChunkSize)); err != nil {
		return nil, err
	}
	// A panic on a goroutine of its own: the SDK cannot recover it, the
	// process dies, as with a nil dereference in a real frontend's worker.
	go func() { panic("simulated crash in Execute") }()
	time.Sleep(time.Minute)
	return nil, nil
}

func main() { frontend.Serve(crasher{}) }
