package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestConformanceDelegates: another file may register its own "conformance" command for
// another ISA; `oneiros conformance ISA` reaches it through the svm one's parent.
func TestConformanceDelegates(t *testing.T) {
	saved := subcommands
	defer func() { subcommands = saved }()
	var got []string
	subcommands = append(append([]func(*Globals) *cobra.Command{}, subcommands...), func(g *Globals) *cobra.Command {
		parent := &cobra.Command{Use: "conformance"}
		var suite string
		child := &cobra.Command{Use: "other", RunE: func(cmd *cobra.Command, args []string) error {
			got = append(got, "other", suite)
			return nil
		}}
		child.Flags().StringVar(&suite, "suite", "", "")
		parent.AddCommand(child)
		return parent
	})
	var out, errb bytes.Buffer
	if code := Main([]string{"conformance", "other", "--suite", "dir"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Join(got, " ") != "other dir" {
		t.Fatalf("ran %q", got)
	}
	if code := Main([]string{"conformance", "nothing"}, &out, &errb); code != ExitBadInput {
		t.Fatalf("unknown ISA: exit %d", code)
	}
}
