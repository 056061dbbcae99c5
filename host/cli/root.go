package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/configs"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Exit codes of the oneiros binary, the same for every command (docs/cli.md).
const (
	ExitOK           = 0   // success
	ExitRejected     = 1   // a proof or check was rejected; a plugin does not conform; a run trapped or hit a limit
	ExitBadInput     = 2   // bad input or configuration
	ExitPluginFailed = 3   // a plugin failed: crashed, hung, broke the protocol, is no plugin
	ExitInterrupted  = 130 // stopped by SIGINT (128+2)
	ExitTerminated   = 143 // stopped by SIGTERM (128+15)
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

// PluginFailed wraps err so that the binary exits with status 3.
func PluginFailed(err error) error { return &ExitError{Code: ExitPluginFailed, Err: err} }

// Globals are the flags every command sees.
type Globals struct {
	ConfigFile string
	Preset     string
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
	root.PersistentFlags().StringVar(&g.Preset, "preset", "", "engine preset laid over the defaults, beneath --config: "+strings.Join(configs.PresetNames(), ", ")+" (docs/security.md)")
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

// Main runs the binary and returns its exit status. It installs no signal
// handler: [Run] does.
func Main(args []string, stdout, stderr io.Writer) int {
	return MainContext(context.Background(), args, stdout, stderr)
}

// MainContext is [Main] under ctx, which every command and every plugin call
// runs under. When ctx ends with an [Interrupted] cause (Run's signal handler),
// the command stops its plugins and the status is 130 or 143.
func MainContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &Globals{Stdout: stdout, Stderr: stderr}
	root := NewRoot(g)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var in *Interrupted
	if errors.As(context.Cause(ctx), &in) {
		fmt.Fprintf(stderr, "oneiros: %v\n", in)
		return in.Code()
	}
	if err == nil {
		return ExitOK
	}
	// An error may hold several problems, one per line (a configuration file with two
	// bad settings); each line gets the prefix.
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "oneiros: %s\n", line)
	}
	return exitCode(err)
}

// exitCode is the status for a command's error: a plugin's failure anywhere
// in it is 3, whatever the command wrapped it in; else the command's
// [ExitError]; else 2 (cobra reports unknown commands and arguments as plain
// errors: bad input).
func exitCode(err error) int {
	if pluginFault(err) {
		return ExitPluginFailed
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitBadInput
}

// pluginFault reports whether err is a plugin's failure: a process that is no
// plugin, speaks another protocol, fails its pin, crashed, hung, broke the
// protocol, or answered with an error of its own that is not a refusal of
// its input. A plugin that refuses the user's program or records
// (ErrInvalidInput) reports bad input, and one that was not found is a
// configuration problem.
func pluginFault(err error) bool {
	var pe *plugin.Error
	if !errors.As(err, &pe) {
		// The host's own checks of what a plugin sent (a program that does not
		// decode, a trace that disagrees with itself, a proof the verifier rejects).
		return errors.Is(err, plugin.ErrMalformed)
	}
	return !errors.Is(err, frontend.ErrInvalidInput) && !errors.Is(err, context.Canceled)
}

// Interrupted is the cause of the context that a signal cancelled.
type Interrupted struct{ Signal os.Signal }

func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted by %s; plugins stopped", signalName(e.Signal))
}

// Code is the exit status: 128 plus the signal's number (130 for SIGINT, 143
// for SIGTERM).
func (e *Interrupted) Code() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// StopGrace is how long the binary gives a command, after SIGINT or SIGTERM,
// to stop its plugins and clean up before it kills what remains and exits.
const StopGrace = 5 * time.Second

// Run is what main calls: [MainContext] under a context that SIGINT and
// SIGTERM cancel. The command then stops its plugins (each with its process
// group) and removes its unfinished outputs; if it has not returned within
// [StopGrace], or at a second signal, the remaining plugins are killed, the
// unfinished outputs removed, and the binary exits all the same.
func Run() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		in := &Interrupted{Signal: <-sigs}
		cancel(in)
		select {
		case <-sigs:
		case <-time.After(StopGrace):
		}
		n := plugin.KillAll()
		removeUnfinished()
		fmt.Fprintf(os.Stderr, "oneiros: %s: killed %d plugin process(es) that had not stopped\n", signalName(in.Signal), n)
		os.Exit(in.Code())
	}()
	code := MainContext(ctx, os.Args[1:], os.Stdout, os.Stderr)
	plugin.KillAll() // none should be left; none may outlive the host
	removeUnfinished()
	os.Exit(code)
}

// commandContext is the command's context, or the background context when the command
// was run without one (as when one command hands its arguments to another).
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
