package cli

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/backend/backendtest"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

func init() {
	pluginsSubcommands = append(pluginsSubcommands, func(g *Globals, pf *pluginFlags) *cobra.Command {
		var kind string
		cmd := &cobra.Command{
			Use:   "check PATH",
			Short: "Run the conformance kit against a plugin binary, then prove one of a frontend's examples",
			Long: `Starts the plugin binary at PATH and runs the conformance kit of its kind
(frontendtest or backendtest), printing every failure. The kind comes from the
file name (oneiros-frontend-* or oneiros-backend-*) unless --kind says it.

For a frontend that conforms, it then proves its first example end to end with
the configured backend (the standard profile, the configuration's engine), checks
the proven output against the example's and verifies the proof: one command says
whether a new ISA plugin works. --no-prove stops after the kit.

Exit status (docs/cli.md): 0 if the plugin conforms; 1 if a check failed once
it started (a crash or hang during the checks included); 2 for bad input (PATH
missing, not executable, not named as a plugin, bad flags or configuration);
3 if it could not be started as a plugin (no handshake within
plugins.start_timeout, exited first, another protocol major, a SHA-256 pin
mismatch).`,
			Args: cobra.ExactArgs(1),
		}
		cmd.Flags().StringVar(&kind, "kind", "", "frontend or backend, for a binary whose name does not say")
		noProve := cmd.Flags().Bool("no-prove", false, "stop after the conformance kit (do not prove a frontend's example)")
		out := addOutputFlag(cmd)
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(*out)
			if err != nil {
				return err
			}
			cfg, err := g.LoadConfig()
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, cfg, pf.dirs)
			if err != nil {
				return err
			}
			b, err := checkTarget(args[0], kind)
			if err != nil {
				return BadInput(err)
			}
			rep := checkReport{Path: b.Path, Kind: string(b.Kind), Failures: []string{}}
			p, err := plugin.Launch(cmd.Context(), b, opts)
			if err != nil {
				rep.Failures = append(rep.Failures, err.Error())
				if err := emit(cmd.OutOrStdout(), f, rep, func(w io.Writer) error { return checkText(w, rep) }); err != nil {
					return err
				}
				return PluginFailed(err)
			}
			defer p.Close()
			var errs []error
			if p.Frontend != nil {
				rep.Name, rep.Version = p.Frontend.Description.Name, p.Frontend.Description.Version
				errs = frontendtest.Run(cmd.Context(), p.Frontend)
			} else {
				rep.Name, rep.Version = p.Backend.Description.Name, p.Backend.Description.Version
				errs = backendtest.Run(cmd.Context(), p.Backend)
			}
			for _, e := range errs {
				rep.Failures = append(rep.Failures, e.Error())
			}
			if p.Frontend != nil && len(errs) == 0 && !*noProve {
				p.Close() // the pipeline starts its own instance
				line, err := proveExample(cmd, cfg, b, p.Frontend.Description, opts)
				if err != nil {
					errs = append(errs, err)
					rep.Failures = append(rep.Failures, err.Error())
				} else {
					rep.Proved = line
				}
			}
			rep.Conforms = len(errs) == 0
			if err := emit(cmd.OutOrStdout(), f, rep, func(w io.Writer) error { return checkText(w, rep) }); err != nil {
				return err
			}
			if !rep.Conforms {
				return Rejected(fmt.Errorf("%s: %d conformance failure(s)", b.File(), len(errs)))
			}
			return nil
		}
		return cmd
	})
}

// checkReport is the output of `plugins check`.
type checkReport struct {
	Path     string   `json:"path" yaml:"path"`
	Kind     string   `json:"kind" yaml:"kind"`
	Name     string   `json:"name,omitempty" yaml:"name,omitempty"`
	Version  string   `json:"version,omitempty" yaml:"version,omitempty"`
	Conforms bool     `json:"conforms" yaml:"conforms"`
	Failures []string `json:"failures" yaml:"failures"`
	// Proved says which example a frontend proved, how, and that it verified.
	Proved string `json:"proved,omitempty" yaml:"proved,omitempty"`
}

// proveExample proves the frontend's first example through the pipeline, with the
// checked binary's directory searched first (so it is the binary that runs), and
// checks the proven output against the example's.
func proveExample(cmd *cobra.Command, cfg *config.Config, b plugin.Binary, desc *frontend.Description, opts plugin.Options) (string, error) {
	if len(desc.Examples) == 0 {
		return "", fmt.Errorf("prove: the frontend describes no example to prove (add one to Describe)")
	}
	if want := "oneiros-frontend-" + desc.ISA; filepath.Base(b.Path) != want {
		return "", fmt.Errorf("prove: the host runs ISA %s from a binary named %s, not %s: rename it, or pass --no-prove", desc.ISA, want, filepath.Base(b.Path))
	}
	ex := desc.Examples[0]
	opts.Dirs = append([]string{filepath.Dir(b.Path)}, opts.Dirs...)
	t0 := time.Now()
	proved, err := pipeline.Prove(cmd.Context(), &pipeline.Request{ISA: desc.ISA, Source: ex.Source, FileName: ex.FileName,
		Input: ex.Input, Profile: "standard", Config: cfg, Plugins: opts})
	if err != nil {
		return "", fmt.Errorf("prove example %s: %w", ex.Name, err)
	}
	env := proved.Envelope
	if !bytes.Equal(env.Output, ex.ExpectedOutput) {
		return "", fmt.Errorf("prove example %s: proven output %x, the example expects %x", ex.Name, env.Output, ex.ExpectedOutput)
	}
	return fmt.Sprintf("example %s: %d cycles proven on backend %s in %.1fs and verified (claim_root %s)",
		ex.Name, env.Claim.Cycles, proved.Backend, time.Since(t0).Seconds(), env.Claim.Root()), nil
}

// checkTarget is the binary at path, of the kind its name or --kind says.
func checkTarget(path, kind string) (plugin.Binary, error) {
	if kind == "" {
		return plugin.BinaryAt(path)
	}
	return plugin.BinaryAs(path, plugin.Kind(kind))
}

func checkText(w io.Writer, rep checkReport) error {
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "FAIL %s\n", f)
	}
	if rep.Conforms {
		_, err := fmt.Fprintf(w, "ok   %s: %s plugin %s %s conforms to protocol %d.%d\n", rep.Path, rep.Kind, rep.Name, rep.Version, plugin.ProtocolMajor, plugin.ProtocolMinor)
		if err == nil && rep.Proved != "" {
			_, err = fmt.Fprintf(w, "ok   %s\n", rep.Proved)
		}
		return err
	}
	_, err := fmt.Fprintf(w, "%d failure(s): %s does not conform\n", len(rep.Failures), rep.Path)
	return err
}
