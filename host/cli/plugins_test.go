package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
)

// TestPluginsCommands runs `oneiros plugins list|inspect|check` through Main
// against the test plugins of host/plugin/testdata, built once for all
// subtests.
func TestPluginsCommands(t *testing.T) {
	fixtures := plugintest.Fresh(t)
	dir := t.TempDir() // the plugin directory the commands search
	for _, name := range []string{"oneiros-frontend-minimal", "oneiros-backend-minimal", "oneiros-frontend-garbage"} {
		if err := os.Link(filepath.Join(fixtures, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	run := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := Main(append([]string{"plugins"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	contains := func(t *testing.T, what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s does not contain %q:\n%s", what, w, got)
			}
		}
	}

	t.Run("list text", func(t *testing.T) {
		code, out, errOut := run(t, "list", "--plugin-dir", dir)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var lines []string // with runs of spaces collapsed
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		want := []string{
			"KIND NAME PATH VERSION PROTOCOL ISA/DEVICES AVAILABLE",
			"frontend garbage " + dir + "/oneiros-frontend-garbage - - - no: plugin oneiros-frontend-garbage: launch: not a OneirOS plugin: " +
				`the first line it printed was "Hello! I am not a plugin, whatever my name says.", not a go-plugin handshake`,
			"frontend minimal " + dir + "/oneiros-frontend-minimal 0.0.1-test 1.4 toy yes",
			"backend minimal " + dir + "/oneiros-backend-minimal 0.0.1-test 1.4 cpu, cuda:0 (not compiled with CUDA support) yes",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("list:\n%s\nwant (spaces collapsed):\n%s", out, strings.Join(want, "\n"))
		}
	})

	t.Run("list json", func(t *testing.T) {
		code, out, errOut := run(t, "list", "--plugin-dir", dir, "-o", "json")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var rows []pluginRow
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%v in\n%s", err, out)
		}
		if len(rows) != 3 || rows[1].Name != "minimal" || rows[1].ISA != "toy" || !rows[1].Available ||
			rows[2].Kind != "backend" || len(rows[2].Devices) != 2 || rows[2].Devices[1].Reason != "not compiled with CUDA support" ||
			rows[0].Available || !strings.Contains(rows[0].Reason, "not a OneirOS plugin") {
			t.Errorf("rows = %+v", rows)
		}
	})

	t.Run("list yaml", func(t *testing.T) {
		code, out, _ := run(t, "list", "--plugin-dir", dir, "-o", "yaml")
		var rows []pluginRow
		if err := yaml.Unmarshal([]byte(out), &rows); code != ExitOK || err != nil || len(rows) != 3 {
			t.Errorf("exit %d, err %v, %d rows:\n%s", code, err, len(rows), out)
		}
	})

	t.Run("list empty", func(t *testing.T) {
		code, out, _ := run(t, "list", "--plugin-dir", t.TempDir())
		if code != ExitOK || !strings.HasPrefix(out, "no plugins in ") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})

	t.Run("inspect frontend", func(t *testing.T) {
		code, out, errOut := run(t, "inspect", "--plugin-dir", dir, "frontend/minimal")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		contains(t, "inspect", out, "frontend plugin minimal 0.0.1-test (protocol 1.4)", "isa: toy", "extensions: .toy",
			"capabilities: test-only", `echo (echo.toy, 21 bytes, input 11 bytes) -> "hello, host"`)
	})

	t.Run("inspect backend yaml", func(t *testing.T) {
		code, out, errOut := run(t, "inspect", "--plugin-dir", dir, "oneiros-backend-minimal", "-o", "yaml")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		contains(t, "inspect", out, "kind: backend", "reason: not compiled with CUDA support", "- crc32")
	})

	t.Run("inspect ambiguous and unknown", func(t *testing.T) {
		code, _, errOut := run(t, "inspect", "--plugin-dir", dir, "minimal")
		if code != ExitBadInput || !strings.Contains(errOut, `"minimal" is ambiguous: oneiros-frontend-minimal and oneiros-backend-minimal; say frontend/minimal or backend/minimal`) {
			t.Errorf("exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, "inspect", "--plugin-dir", dir, "riscv")
		if code != ExitBadInput || !strings.Contains(errOut, `no plugin called "riscv" in `+dir) {
			t.Errorf("exit %d: %s", code, errOut)
		}
		code, _, errOut = run(t, "inspect", "--plugin-dir", dir, "garbage")
		if code != ExitPluginFailed || !strings.Contains(errOut, "not a OneirOS plugin") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})

	check := []struct {
		name  string
		args  []string
		code  int
		out   []string
		err   []string
		setup func(t *testing.T) string
	}{
		{name: "conforming frontend", args: []string{"--no-prove", filepath.Join(fixtures, "oneiros-frontend-minimal")}, code: ExitOK,
			out: []string{"ok   " + fixtures + "/oneiros-frontend-minimal: frontend plugin minimal 0.0.1-test conforms to protocol 1.4"}},
		// Its toy ISA has no oneiros-frontend-toy binary for the host to prove with: the
		// deep check says so and fails.
		{name: "frontend named for another ISA", args: []string{filepath.Join(fixtures, "oneiros-frontend-minimal")}, code: ExitRejected,
			out: []string{"FAIL prove: the host runs ISA toy from a binary named oneiros-frontend-toy, not oneiros-frontend-minimal"}},
		{name: "conforming backend", args: []string{filepath.Join(fixtures, "oneiros-backend-minimal")}, code: ExitOK,
			out: []string{"backend plugin minimal 0.0.1-test conforms"}},
		{name: "crasher", args: []string{filepath.Join(fixtures, "oneiros-frontend-crasher")}, code: ExitRejected,
			out: []string{
				"FAIL Load(empty source): accepted 0 bytes of nonsense",
				"FAIL Execute(unknown handle): plugin oneiros-frontend-crasher: Execute: plugin process died (exit status 2): panic: simulated crash in Execute",
				"FAIL Execute(unknown handle): the plugin no longer answers Describe (did it crash?): plugin oneiros-frontend-crasher: Describe: plugin not running: it died during Execute",
				"does not conform"},
			err: []string{"oneiros-frontend-crasher: 4 conformance failure(s)"}},
		{name: "malformed", args: []string{filepath.Join(fixtures, "oneiros-frontend-malformed-order")}, code: ExitRejected,
			out: []string{"FAIL Execute(unknown handle): plugin oneiros-frontend-malformed-order: Execute: malformed data from the plugin (killed it): protocol violation: trace chunk has sequence number 2 where 1 was due"}},
		{name: "major 2", args: []string{filepath.Join(fixtures, "oneiros-frontend-major2")}, code: ExitPluginFailed,
			out: []string{"FAIL plugin oneiros-frontend-major2: launch: incompatible plugin protocol: the plugin speaks protocol 2, this host speaks protocol 1 (1.4)"}},
		{name: "json", args: []string{filepath.Join(fixtures, "oneiros-frontend-major2"), "-o", "json"}, code: ExitPluginFailed,
			out: []string{`"conforms": false`, `"failures": [`}},
		{name: "garbage", args: []string{filepath.Join(fixtures, "oneiros-frontend-garbage")}, code: ExitPluginFailed,
			err: []string{`oneiros: plugin oneiros-frontend-garbage: launch: not a OneirOS plugin: the first line it printed was "Hello! I am not a plugin, whatever my name says.", not a go-plugin handshake`}},
		{name: "missing", args: []string{filepath.Join(dir, "oneiros-frontend-nope")}, code: ExitBadInput,
			err: []string{"no such file or directory"}},
		{name: "not a plugin name", args: []string{"/bin/sh"}, code: ExitBadInput,
			err: []string{"/bin/sh: not a OneirOS plugin: its name starts with neither oneiros-frontend- nor oneiros-backend-"}},
		{name: "kind flag", code: ExitOK, out: []string{"backend plugin minimal 0.0.1-test conforms"}, setup: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "my-prover")
			if err := os.Link(filepath.Join(fixtures, "oneiros-backend-minimal"), p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		{name: "bad kind", args: []string{"/bin/sh", "--kind", "middle"}, code: ExitBadInput,
			err: []string{`unknown plugin kind "middle" (want frontend or backend)`}},
		{name: "bad output", args: []string{"/bin/sh", "-o", "xml"}, code: ExitBadInput,
			err: []string{`unknown output format "xml"`}},
	}
	for _, tt := range check {
		t.Run("check "+tt.name, func(t *testing.T) {
			args := tt.args
			if tt.setup != nil {
				args = []string{tt.setup(t), "--kind", "backend"}
			}
			code, out, errOut := run(t, append([]string{"check"}, args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			contains(t, "stdout", out, tt.out...)
			contains(t, "stderr", errOut, tt.err...)
		})
	}
}
