// Command hanger is a frontend plugin, for host/plugin's tests only, that
// hangs. Built as oneiros-frontend-hang-start it never completes the
// handshake; under any other name its Execute never returns and ignores
// cancellation. The host must time out and kill it.
package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

type hanger struct{ frontend.UnimplementedFrontend }

func (hanger) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{Name: "hang", Version: "0.0.1-test", ISA: "toy", Extensions: []string{".toy"}}, nil
}

func (hanger) Load(context.Context, frontend.LoadRequest) (*frontend.Program, error) {
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

func (hanger) Execute(context.Context, frontend.ExecuteRequest, frontend.TraceWriter) (*frontend.Result, error) {
	time.Sleep(time.Hour)
	return nil, nil
}

func main() {
	if strings.HasSuffix(filepath.Base(os.Args[0]), "-start") {
		time.Sleep(time.Hour)
	}
	frontend.Serve(hanger{})
}
