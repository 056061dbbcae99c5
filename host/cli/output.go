package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

// Format is an output format of a listing: text for people, json and yaml for machines.
type Format string

const (
	FormatText Format = "text"
	FormatJSON Format = "json"
	FormatYAML Format = "yaml"
)

// addOutputFlag adds -o/--output to cmd and returns where its value lands.
func addOutputFlag(cmd *cobra.Command) *string { return addOutputFlagDefault(cmd, FormatText) }

// addOutputFlagDefault is addOutputFlag for a command whose natural output is not text.
func addOutputFlagDefault(cmd *cobra.Command, def Format) *string {
	s := new(string)
	cmd.Flags().StringVarP(s, "output", "o", string(def), "output format: text, json or yaml")
	return s
}

// parseFormat checks the value of -o.
func parseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatYAML:
		return f, nil
	}
	return "", BadInput(fmt.Errorf("unknown output format %q (allowed: text, json, yaml)", s))
}

// emit writes v as JSON or YAML, or calls text for the human form.
func emit(w io.Writer, f Format, v any, text func(io.Writer) error) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	case FormatYAML:
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return err
		}
		return enc.Close()
	default:
		return text(w)
	}
}
