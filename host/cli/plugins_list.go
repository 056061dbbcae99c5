package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/plugin"
)

func init() {
	pluginsSubcommands = append(pluginsSubcommands, func(g *Globals, pf *pluginFlags) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "list",
			Short: "List the plugins found, with what each says about itself",
			Long: `Starts every plugin found and asks it to describe itself. A plugin that fails to
start is listed as unavailable, with the reason.`,
			Args: cobra.NoArgs,
		}
		out := addOutputFlag(cmd)
		cmd.RunE = func(cmd *cobra.Command, _ []string) error {
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
			rows := make([]pluginRow, 0, len(bins))
			for _, b := range bins {
				rows = append(rows, describePlugin(cmd.Context(), b, opts))
			}
			return emit(cmd.OutOrStdout(), f, rows, func(w io.Writer) error {
				if len(rows) == 0 {
					_, err := fmt.Fprintf(w, "no plugins in %s\n", strings.Join(plugin.SearchDirs(opts.Dirs), ", "))
					return err
				}
				return listText(w, rows)
			})
		}
		return cmd
	})
}

// pluginRow is one line of `plugins list`.
type pluginRow struct {
	Kind      string      `json:"kind" yaml:"kind"`
	Name      string      `json:"name" yaml:"name"`
	Path      string      `json:"path" yaml:"path"`
	Version   string      `json:"version,omitempty" yaml:"version,omitempty"`
	Protocol  string      `json:"protocol,omitempty" yaml:"protocol,omitempty"`
	ISA       string      `json:"isa,omitempty" yaml:"isa,omitempty"`
	Devices   []deviceRow `json:"devices,omitempty" yaml:"devices,omitempty"`
	Available bool        `json:"available" yaml:"available"`
	Reason    string      `json:"reason,omitempty" yaml:"reason,omitempty"` // why not available
}

// deviceRow is a backend's device.
type deviceRow struct {
	Name        string   `json:"name" yaml:"name"`
	Kind        string   `json:"kind" yaml:"kind"`
	Available   bool     `json:"available" yaml:"available"`
	Reason      string   `json:"reason,omitempty" yaml:"reason,omitempty"`
	Kernels     []string `json:"kernels,omitempty" yaml:"kernels,omitempty"`
	MemoryBytes uint64   `json:"memory_bytes,omitempty" yaml:"memory_bytes,omitempty"`
}

// describePlugin launches b and summarizes its Describe; a plugin that does
// not start is a row with the reason.
func describePlugin(ctx context.Context, b plugin.Binary, opts plugin.Options) pluginRow {
	row := pluginRow{Kind: string(b.Kind), Name: b.Name, Path: b.Path}
	p, err := plugin.Launch(ctx, b, opts)
	if err != nil {
		row.Reason = err.Error()
		return row
	}
	defer p.Close()
	switch {
	case p.Frontend != nil:
		d := p.Frontend.Description
		row.Version, row.Protocol, row.ISA = d.Version, fmt.Sprintf("%d.%d", d.ProtocolMajor, d.ProtocolMinor), d.ISA
		row.Available = true
	case p.Backend != nil:
		d := p.Backend.Description
		row.Version, row.Protocol = d.Version, fmt.Sprintf("%d.%d", d.ProtocolMajor, d.ProtocolMinor)
		var reasons []string
		for _, dev := range d.Devices {
			row.Devices = append(row.Devices, deviceRow{Name: dev.Name, Kind: dev.Kind, Available: dev.Available, Reason: dev.Reason, Kernels: dev.Kernels, MemoryBytes: dev.MemoryBytes})
			row.Available = row.Available || dev.Available
			if !dev.Available {
				reasons = append(reasons, dev.Name+": "+dev.Reason)
			}
		}
		if !row.Available {
			row.Reason = "no device available (" + strings.Join(reasons, "; ") + ")"
		}
	}
	return row
}

func listText(w io.Writer, rows []pluginRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tNAME\tPATH\tVERSION\tPROTOCOL\tISA/DEVICES\tAVAILABLE")
	for _, r := range rows {
		target := r.ISA
		if r.Kind == string(plugin.KindBackend) {
			var devs []string
			for _, d := range r.Devices {
				s := d.Name
				if !d.Available {
					s += " (" + d.Reason + ")"
				}
				devs = append(devs, s)
			}
			target = strings.Join(devs, ", ")
		}
		avail := "yes"
		if !r.Available {
			avail = "no: " + r.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Kind, r.Name, r.Path, dash(r.Version), dash(r.Protocol), dash(target), avail)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
