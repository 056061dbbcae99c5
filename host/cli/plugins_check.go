package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/backend/backendtest"
	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

func init() {
	pluginsSubcommands = append(pluginsSubcommands, func(g *Globals, pf *pluginFlags) *cobra.Command {
		var kind string
		cmd := &cobra.Command{
			Use:   "check PATH",
			Short: "Run the conformance kit against a plugin binary",
			Long: `Starts the plugin binary at PATH and runs the conformance kit of its kind
(frontendtest or backendtest), printing every failure. The kind comes from the
file name (oneiros-frontend-* or oneiros-backend-*) unless --kind says it.

Exit status (docs/cli.md): 0 if the plugin conforms; 1 if a check failed once
it started (a crash or hang during the checks included); 2 for bad input (PATH
missing, not executable, not named as a plugin, bad flags or configuration);
3 if it could not be started as a plugin (no handshake within
plugins.start_timeout, exited first, another protocol major, a SHA-256 pin
mismatch).`,
			Args: cobra.ExactArgs(1),
		}
		cmd.Flags().StringVar(&kind, "kind", "", "frontend or backend, for a binary whose name does not say")
		out := addOutputFlag(cmd)
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(*out)
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, pf.dirs)
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
		return err
	}
	_, err := fmt.Fprintf(w, "%d failure(s): %s does not conform\n", len(rep.Failures), rep.Path)
	return err
}
