package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/config/profile"
	"github.com/spf13/cobra"
)

// profileView is a profile as `oneiros profiles` prints it, evaluated under the
// effective configuration.
type profileView struct {
	Name          string              `yaml:"name" json:"name"`
	Description   string              `yaml:"description" json:"description"`
	Schedule      profile.Schedule    `yaml:"schedule" json:"schedule"`
	SegmentCycles uint64              `yaml:"segment_cycles" json:"segment_cycles"` // under the effective configuration
	RecordBuffers int                 `yaml:"record_buffers" json:"record_buffers"`
	Concurrency   profile.Concurrency `yaml:"concurrency" json:"concurrency"`
	Overrides     []override          `yaml:"overrides" json:"overrides"`
	Default       bool                `yaml:"default" json:"default"` // the configuration's profile key names it
}

// override is one setting a profile changes from the defaults.
type override struct {
	Key     string `yaml:"key" json:"key"`
	Value   string `yaml:"value" json:"value"`
	Default string `yaml:"default" json:"default"`
}

func viewProfile(p *profile.Profile, cfg *config.Config) (profileView, error) {
	c := cfg.Clone()
	if err := p.Apply(c); err != nil {
		return profileView{}, BadInput(err)
	}
	over, err := p.Overridden()
	if err != nil {
		return profileView{}, err
	}
	def, err := config.Default()
	if err != nil {
		return profileView{}, err
	}
	defaults := map[string]string{}
	for _, s := range def.Settings() {
		defaults[s.Key] = s.Value
	}
	v := profileView{
		Name:          p.Name,
		Description:   p.Description,
		Schedule:      p.Schedule,
		SegmentCycles: p.SegmentCycles(c),
		RecordBuffers: max(p.RecordBuffers, 1),
		Concurrency:   p.Concurrency,
		Overrides:     []override{},
		Default:       cfg.Profile == p.Name,
	}
	for _, s := range over {
		v.Overrides = append(v.Overrides, override{Key: s.Key, Value: s.Value, Default: defaults[s.Key]})
	}
	return v, nil
}

func init() {
	register(func(g *Globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "profiles",
			Short: "List and describe the proving profiles",
			Args:  cobra.NoArgs,
		}
		cmd.AddCommand(profilesList(g), profilesShow(g))
		return cmd
	})
}

func profilesList(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered profiles",
		Args:  cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		f, err := parseFormat(*out)
		if err != nil {
			return err
		}
		cfg, err := g.LoadConfig()
		if err != nil {
			return err
		}
		views := []profileView{}
		for _, p := range profile.List() {
			v, err := viewProfile(p, cfg)
			if err != nil {
				return err
			}
			views = append(views, v)
		}
		return emit(cmd.OutOrStdout(), f, views, func(w io.Writer) error {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSCHEDULE\tSEGMENT CYCLES\tDESCRIPTION")
			for _, v := range views {
				name := v.Name
				if v.Default {
					name += " *"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", name, v.Schedule, v.SegmentCycles, v.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(w, "\n* the default (profile key of the configuration); choose another with --profile")
			return err
		})
	}
	return cmd
}

func profilesShow(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Describe one profile under the effective configuration",
		Args:  cobra.ExactArgs(1),
	}
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
		p, err := profile.Lookup(args[0])
		if err != nil {
			return BadInput(err)
		}
		v, err := viewProfile(p, cfg)
		if err != nil {
			return err
		}
		return emit(cmd.OutOrStdout(), f, v, func(w io.Writer) error {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(format, args...)) }
			row("name", "%s", v.Name)
			row("description", "%s", v.Description)
			row("schedule", "%s", describeSchedule(v.Schedule))
			row("segment cycles", "%d", v.SegmentCycles)
			row("working set", "prover + %d segment(s) of execution records per slot", v.RecordBuffers)
			row("segments at once", "%s", orAuto(v.Concurrency.Segments, "as many as cores and memory allow"))
			row("workers/segment", "%s", orAuto(v.Concurrency.WorkersPerSegment, "engine.workers, or all the cores of a slot"))
			if len(v.Overrides) == 0 {
				row("overrides", "none")
			}
			for i, o := range v.Overrides {
				k := ""
				if i == 0 {
					k = "overrides"
				}
				row(k, "%s: %s (default %s)", o.Key, o.Value, o.Default)
			}
			row("default", "%s", yesNo(v.Default))
			return tw.Flush()
		})
	}
	return cmd
}

func describeSchedule(s profile.Schedule) string {
	switch s {
	case profile.Single:
		return "single: the whole run is one segment"
	case profile.Sequential:
		return "sequential: segments one after another"
	case profile.Parallel:
		return "parallel: segments at once on many workers"
	}
	return string(s)
}

func orAuto(n int, auto string) string {
	if n == 0 {
		return auto
	}
	return fmt.Sprint(n)
}

func yesNo(b bool) string {
	return map[bool]string{true: "yes", false: "no"}[b]
}
