package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/host/pipeline"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var f runFlags
		var outFile string
		var disasm bool
		var format *string
		cmd := &cobra.Command{
			Use:   "translate --isa ISA PROGRAM [-O FILE] [--disasm]",
			Short: "Show what a frontend makes of a program: the normalized program, its size, its source map",
			Long: `Loads PROGRAM into its frontend (oneiros-frontend-<isa>) and reports the normalized
program without running it: its ID, instruction count, the source instructions it
was lowered from, the memory image and, with --disasm, the normalized assembly (each
instruction annotated with the source instruction the frontend's source map names).
-O FILE writes the normalized program's canonical encoding (core/isa), the bytes a
backend proves.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				fm, err := parseFormat(*format)
				if err != nil {
					return err
				}
				if f.isa == "" {
					return BadInput(fmt.Errorf("--isa is required: the ISA of an installed frontend plugin (oneiros plugins list shows them)"))
				}
				if outFile != "" {
					if err := checkOutput(outFile); err != nil {
						return BadInput(fmt.Errorf("-O %s: %w", outFile, err))
					}
				}
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				src, err := readFile("program", args[0], maxProgramFile)
				if err != nil {
					return BadInput(err)
				}
				opts, err := pluginOptions(g, cfg, f.dirs)
				if err != nil {
					return err
				}
				tr, err := pipeline.Translate(cmd.Context(), &pipeline.Request{ISA: f.isa, Source: src, FileName: filepath.Base(args[0]), Config: cfg, Plugins: opts})
				if err != nil {
					return BadInput(err)
				}
				p := tr.Program
				if outFile != "" {
					if err := writeOutput(cmd.Context(), outFile, p.Encode()); err != nil {
						return err
					}
				}
				labels := 0
				if tr.Info.SourceMap != nil {
					labels = len(tr.Info.SourceMap.Labels)
				}
				view := map[string]any{
					"isa": f.isa, "frontend": tr.Frontend, "program_id": p.ID().String(), "instructions": len(p.Code),
					"source_instructions": tr.Info.SourceInstructionCount, "memory_image_bytes": tr.Info.MemoryImageBytes,
					"entry_pc": p.Entry, "source_labels": labels,
				}
				return emit(cmd.OutOrStdout(), fm, view, func(w io.Writer) error {
					fmt.Fprintf(w, "program_id           %s\nfrontend             %s\ninstructions         %d\nsource instructions  %d",
						p.ID(), tr.Frontend, len(p.Code), tr.Info.SourceInstructionCount)
					if n := tr.Info.SourceInstructionCount; n > 0 {
						fmt.Fprintf(w, " (%.1f normalized instructions each)", float64(len(p.Code))/float64(n))
					}
					fmt.Fprintf(w, "\nmemory image         %d bytes\nentry pc             %d\nsource map           %d labels\n", tr.Info.MemoryImageBytes, p.Entry, labels)
					if outFile != "" {
						fmt.Fprintf(w, "written              %s (%d bytes)\n", outFile, len(p.Encode()))
					}
					if disasm {
						fmt.Fprintln(w)
						writeDisasm(w, p, tr.Info.SourceMap)
					}
					return nil
				})
			},
		}
		cmd.Flags().StringVar(&f.isa, "isa", "", "frontend ISA of PROGRAM: runs the plugin oneiros-frontend-<isa> (oneiros plugins list shows the installed ones)")
		cmd.Flags().StringSliceVar(&f.dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
		cmd.Flags().StringVarP(&outFile, "emit", "O", "", "write the normalized program's encoding to this file")
		cmd.Flags().BoolVar(&disasm, "disasm", false, "print the normalized assembly, annotated with the source map")
		format = addOutputFlag(cmd)
		return cmd
	})
}

// writeDisasm prints the program's normalized assembly, with the source map's label
// noted where each of its runs starts.
func writeDisasm(w io.Writer, p *isa.Program, m *isa.SourceMap) {
	var note func(uint32) string
	if m != nil {
		starts := map[uint32]string{}
		for _, r := range m.Runs {
			starts[r.PC] = m.Labels[r.Label]
		}
		note = func(pc uint32) string { return starts[pc] }
	}
	w.Write(isa.DisassembleNoted(p, note))
}
