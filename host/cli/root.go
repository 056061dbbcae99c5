package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes of the oneiros binary (DESIGN.md §11).
const (
	ExitOK       = 0 // success
	ExitRejected = 1 // a proof or check was rejected
	ExitBadInput = 2 // bad input or configuration
)

// ExitError carries the exit status a command wants alongside its error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// BadInput wraps err so that the binary exits with status 2.
func BadInput(err error) error { return &ExitError{Code: ExitBadInput, Err: err} }

// Rejected wraps err so that the binary exits with status 1.
func Rejected(err error) error { return &ExitError{Code: ExitRejected, Err: err} }

// Globals are the flags every command sees.
type Globals struct {
	ConfigFile string
	LogLevel   string
	Stdout     io.Writer
	Stderr     io.Writer
}

// NewRoot builds the oneiros command tree.
func NewRoot(g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "oneiros",
		Short:         "OneirOS: zero-knowledge proofs of EVM, WebAssembly and sBPF runs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.ConfigFile, "config", "", "configuration file (YAML) overriding the embedded defaults")
	root.PersistentFlags().StringVar(&g.LogLevel, "log-level", "", "log level: trace, debug, info, warn, error (overrides logging.level)")
	root.SetOut(g.Stdout)
	root.SetErr(g.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return BadInput(err) })
	for _, add := range subcommands {
		root.AddCommand(add(g))
	}
	return root
}

// subcommands is filled by the init functions of the files in this package,
// one file per command, so that commands are added without touching this file.
var subcommands []func(*Globals) *cobra.Command

func register(f func(*Globals) *cobra.Command) { subcommands = append(subcommands, f) }

// Main runs the binary and returns its exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	g := &Globals{Stdout: stdout, Stderr: stderr}
	root := NewRoot(g)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	// An error may hold several problems, one per line (a configuration file with two
	// bad settings); each line gets the prefix.
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "oneiros: %s\n", line)
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	// cobra reports unknown commands and arguments as plain errors: bad input.
	return ExitBadInput
}

// Run is what main calls.
func Run() { os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr)) }

// commandContext is the command's context, or the background context when the command
// was run without one (as when one command hands its arguments to another).
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
