package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/plugin"
)

func init() {
	pluginsSubcommands = append(pluginsSubcommands, func(g *Globals, pf *pluginFlags) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "inspect NAME",
			Short: "Show everything a plugin says about itself",
			Long: `Starts the plugin called NAME (its short name such as stack, its file name such as
oneiros-frontend-stack, or frontend/stack) and prints its full description.`,
			Args: cobra.ExactArgs(1),
		}
		out := addOutputFlag(cmd)
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			f, err := parseFormat(*out)
			if err != nil {
				return err
			}
			opts, err := pluginOptions(g, nil, pf.dirs)
			if err != nil {
				return err
			}
			bins, err := opts.Discover()
			if err != nil {
				return BadInput(err)
			}
			b, err := plugin.Find(bins, args[0])
			if err != nil {
				return BadInput(fmt.Errorf("%v in %s", err, strings.Join(plugin.SearchDirs(opts.Dirs), ", ")))
			}
			p, err := plugin.Launch(cmd.Context(), b, opts)
			if err != nil {
				return PluginFailed(err)
			}
			defer p.Close()
			v := inspection(p)
			return emit(cmd.OutOrStdout(), f, v, func(w io.Writer) error { return inspectText(w, v) })
		}
		return cmd
	})
}

// pluginInspection is the output of `plugins inspect`.
type pluginInspection struct {
	Kind         string        `json:"kind" yaml:"kind"`
	Name         string        `json:"name" yaml:"name"`
	Path         string        `json:"path" yaml:"path"`
	Version      string        `json:"version" yaml:"version"`
	Protocol     string        `json:"protocol" yaml:"protocol"`
	ISA          string        `json:"isa,omitempty" yaml:"isa,omitempty"`
	Extensions   []string      `json:"extensions,omitempty" yaml:"extensions,omitempty"`
	Capabilities []string      `json:"capabilities,omitempty" yaml:"capabilities,omitempty"`
	Examples     []exampleInfo `json:"examples,omitempty" yaml:"examples,omitempty"`
	Devices      []deviceRow   `json:"devices,omitempty" yaml:"devices,omitempty"`
}

// exampleInfo describes an example program without dumping its bytes.
type exampleInfo struct {
	Name           string `json:"name" yaml:"name"`
	FileName       string `json:"file_name" yaml:"file_name"`
	SourceBytes    int    `json:"source_bytes" yaml:"source_bytes"`
	InputBytes     int    `json:"input_bytes" yaml:"input_bytes"`
	ExpectedOutput string `json:"expected_output" yaml:"expected_output"` // text, or hex when binary
}

func inspection(p *plugin.Plugin) pluginInspection {
	v := pluginInspection{Kind: string(p.Kind), Path: p.Path}
	if d := p.Frontend; d != nil {
		desc := d.Description
		v.Name, v.Version, v.Protocol = desc.Name, desc.Version, fmt.Sprintf("%d.%d", desc.ProtocolMajor, desc.ProtocolMinor)
		v.ISA, v.Extensions, v.Capabilities = desc.ISA, desc.Extensions, desc.Capabilities
		for _, e := range desc.Examples {
			v.Examples = append(v.Examples, exampleInfo{Name: e.Name, FileName: e.FileName, SourceBytes: len(e.Source), InputBytes: len(e.Input), ExpectedOutput: printable(e.ExpectedOutput)})
		}
	}
	if b := p.Backend; b != nil {
		desc := b.Description
		v.Name, v.Version, v.Protocol = desc.Name, desc.Version, fmt.Sprintf("%d.%d", desc.ProtocolMajor, desc.ProtocolMinor)
		for _, dev := range desc.Devices {
			v.Devices = append(v.Devices, deviceRow{Name: dev.Name, Kind: dev.Kind, Available: dev.Available, Reason: dev.Reason, Kernels: dev.Kernels, MemoryBytes: dev.MemoryBytes})
		}
	}
	return v
}

func printable(b []byte) string {
	if utf8.Valid(b) && !strings.ContainsFunc(string(b), func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }) {
		return string(b)
	}
	return fmt.Sprintf("0x%x", b)
}

func inspectText(w io.Writer, v pluginInspection) error {
	fmt.Fprintf(w, "%s plugin %s %s (protocol %s)\n  path: %s\n", v.Kind, v.Name, v.Version, v.Protocol, v.Path)
	if v.Kind == string(plugin.KindFrontend) {
		fmt.Fprintf(w, "  isa: %s\n  extensions: %s\n  capabilities: %s\n", v.ISA, dash(strings.Join(v.Extensions, " ")), dash(strings.Join(v.Capabilities, " ")))
		fmt.Fprintf(w, "  examples: %d\n", len(v.Examples))
		for _, e := range v.Examples {
			fmt.Fprintf(w, "    %s (%s, %d bytes, input %d bytes) -> %q\n", e.Name, e.FileName, e.SourceBytes, e.InputBytes, e.ExpectedOutput)
		}
	}
	if v.Kind == string(plugin.KindBackend) {
		fmt.Fprintf(w, "  devices: %d\n", len(v.Devices))
		for _, d := range v.Devices {
			state := "available"
			if !d.Available {
				state = "unavailable: " + d.Reason
			}
			fmt.Fprintf(w, "    %s (%s) %s; kernels: %s\n", d.Name, d.Kind, state, dash(strings.Join(d.Kernels, " ")))
		}
	}
	return nil
}
