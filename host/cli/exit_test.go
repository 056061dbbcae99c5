package cli

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
)

// cliMainEnv, when set, makes the test binary the oneiros binary: TestMain
// calls Run with the command line, signal handling included.
const cliMainEnv = "ONEIROS_TEST_CLI_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(cliMainEnv) != "" {
		Run()
	}
	code := m.Run()
	plugintest.Cleanup()
	if realDir != "" {
		os.RemoveAll(realDir)
	}
	os.Exit(code)
}

var (
	realOnce sync.Once
	realDir  string
	realErr  error
)

// realPlugins builds the real asm frontend once per test binary and returns
// a directory holding it.
func realPlugins(t *testing.T) string {
	t.Helper()
	realOnce.Do(func() {
		realDir, realErr = os.MkdirTemp("", "oneiros-cli-test-")
		if realErr != nil {
			return
		}
		realErr = plugintest.BinariesInto(realDir, plugintest.Frontend("asm", "github.com/oneiros-zk/oneiros/plugins/asm"))
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realDir
}

// pluginDir is a new directory holding the named fixtures of plugintest
// and the named real plugins.
func pluginDir(t *testing.T, fixtures []string, real ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range fixtures {
		if err := os.Link(plugintest.Path(t, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range real {
		if err := os.Link(filepath.Join(realPlugins(t), name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const fibInput = "\x0a\x00\x00\x00" // n = 10

// TestPluginFailureStatus runs the commands against plugins that fail in
// every way, through real processes: each failure is reported with a message
// of its own and exit status 3 (docs/cli.md), within the timeouts, with no
// raw go-plugin log lines, and no process started by the test survives.
func TestPluginFailureStatus(t *testing.T) {
	dir := pluginDir(t, []string{"oneiros-frontend-fork", "oneiros-frontend-fork-exit", "oneiros-frontend-minimal",
		"oneiros-frontend-crasher", "oneiros-frontend-hang", "oneiros-frontend-garbage"})
	truePath := filepath.Join(t.TempDir(), "oneiros-frontend-true")
	if b, err := os.ReadFile("/bin/true"); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(truePath, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, "", "c.yaml", "plugins:\n  start_timeout: 1s\n  call_timeout: 1s\n")
	prog := writeFile(t, "", "p.s", "halt 0\n")
	mark := plugintest.Mark(t)

	forkTimeout := "not a OneirOS plugin: no go-plugin handshake within 1s (plugins.start_timeout); killed it"
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{"list with a forking script", []string{"plugins", "list", "--plugin-dir", dir}, ExitOK,
			"no: plugin oneiros-frontend-fork: launch: " + forkTimeout, ""},
		{"check a forking script", []string{"plugins", "check", filepath.Join(dir, "oneiros-frontend-fork")}, ExitPluginFailed,
			"1 failure(s)", "oneiros: plugin oneiros-frontend-fork: launch: " + forkTimeout + "\n"},
		{"execute a forking script", []string{"execute", "--isa", "fork", prog, "--plugin-dir", dir}, ExitPluginFailed,
			"", "oneiros: plugin oneiros-frontend-fork: launch: " + forkTimeout + "\n"},
		{"execute a script that exits leaving a child", []string{"execute", "--isa", "fork-exit", prog, "--plugin-dir", dir}, ExitPluginFailed,
			"", "launch: not a OneirOS plugin: it exited without printing a go-plugin handshake (exit status 3): forker: started a child that never answers\n"},
		{"check /bin/true", []string{"plugins", "check", truePath}, ExitPluginFailed,
			"", "launch: not a OneirOS plugin: it exited without printing a go-plugin handshake (exit status 0)\n"},
		{"check garbage", []string{"plugins", "check", filepath.Join(dir, "oneiros-frontend-garbage")}, ExitPluginFailed,
			"", "not a go-plugin handshake\n"},
		{"execute a crash", []string{"execute", "--isa", "crasher", prog, "--plugin-dir", dir}, ExitPluginFailed,
			"", "oneiros: plugin oneiros-frontend-crasher: Execute: plugin process died (exit status 2): panic: simulated crash in Execute\n"},
		{"execute a hang", []string{"execute", "--isa", "hang", prog, "--plugin-dir", dir}, ExitPluginFailed,
			"", "oneiros: plugin oneiros-frontend-hang: Execute: timed out: no answer within 1s (plugins.call_timeout); killed it\n"},
		{"check a crash mid-kit: does not conform", []string{"plugins", "check", filepath.Join(dir, "oneiros-frontend-crasher")}, ExitRejected,
			"FAIL Execute(unknown handle): plugin oneiros-frontend-crasher: Execute: plugin process died", ""},
		{"missing plugin", []string{"execute", "--isa", "riscv", prog, "--plugin-dir", dir}, ExitBadInput,
			"", `plugin not found: no frontend plugin "riscv"`},
		{"missing plugin directory", []string{"plugins", "list", "--plugin-dir", dir + "/nope"}, ExitBadInput,
			"", "oneiros: plugin directory " + dir + "/nope does not exist (plugins.dirs, --plugin-dir)\n"},
		{"missing plugin directory, execute", []string{"execute", "--isa", "minimal", prog, "--plugin-dir", dir + "/nope"}, ExitBadInput,
			"", "oneiros: plugin directory " + dir + "/nope does not exist (plugins.dirs, --plugin-dir)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			code, out, errs := run(t, append([]string{"--config", cfg}, tt.args...)...)
			if d := time.Since(start); d > 6*time.Second {
				t.Errorf("took %v", d)
			}
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nwant in it: %q\nstderr:\n%s\nwant in it: %q", code, tt.code, out, tt.out, errs, tt.err)
			}
			for _, raw := range []string{"[WARN]", "[ERROR]", "[INFO]", "[DEBUG]", "plugins: ", "plugins.oneiros-"} {
				if strings.Contains(errs, raw) {
					t.Errorf("stderr holds a raw log line (%s):\n%s", raw, errs)
				}
			}
		})
	}

	pinned := writeFile(t, "", "pin.yaml", "plugins:\n  sha256:\n    oneiros-backend-cdua: "+strings.Repeat("ab", 32)+"\n")
	code, _, errs := run(t, "--config", pinned, "plugins", "list", "--plugin-dir", dir)
	if code != ExitBadInput || !strings.Contains(errs, "plugins.sha256 pins oneiros-backend-cdua, not found in "+dir) {
		t.Errorf("a pin for a missing plugin: exit %d: %s", code, errs)
	}
	plugintest.NoneLeft(t, mark, 3*time.Second)
}

// TestExecuteStatus: execute exits 0 for a run that halts (whatever its exit
// code), 1 for a run that trapped or hit a limit, and says so.
func TestExecuteStatus(t *testing.T) {
	dir := pluginDir(t, nil, "oneiros-frontend-asm")
	in := writeFile(t, "", "in.bin", fibInput)
	fib := filepath.Join("..", "..", "examples", "fib.s")
	code, out, errs := run(t, "execute", "--isa", "asm", fib, "--input", in, "--plugin-dir", dir, "-q")
	if code != ExitOK || !strings.Contains(out, "status      halted\nexit code   0\n") {
		t.Errorf("halted: exit %d\n%s%s", code, out, errs)
	}
	limited := writeFile(t, "", "c.yaml", "limits:\n  max_cycles: 5\n")
	code, out, errs = run(t, "--config", limited, "execute", "--isa", "asm", fib, "--input", in, "--plugin-dir", dir, "-q")
	if code != ExitRejected || !strings.Contains(out, "exit code   none (it did not halt)\n") ||
		!strings.HasPrefix(errs, "oneiros: the run did not halt: ") {
		t.Errorf("limit: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "--config", limited, "execute", "--isa", "asm", fib, "--input", in, "--plugin-dir", dir, "-q", "-o", "json")
	if code != ExitRejected || !strings.Contains(out, `"status": "`) {
		t.Errorf("limit, json: exit %d\n%s%s", code, out, errs)
	}
}

// TestVerifyAllowProgram: --allow-program takes program IDs in any case and
// refuses anything else as bad input, before reading the envelope.
func TestVerifyAllowProgram(t *testing.T) {
	id := strings.Repeat("0a0b0c0d", 8) // eight field elements below the modulus
	for _, tt := range []struct {
		ids  string
		code int
		err  string
	}{
		{"zz", ExitBadInput, `oneiros: --allow-program "zz" is not a program ID (64 hex digits, as verify and inspect print it)`},
		{id[:62], ExitBadInput, "is not a program ID"},
		{strings.ToUpper(id), ExitBadInput, "no-such-file"}, // accepted: the next problem is the file
	} {
		code, _, errs := run(t, "verify", "--allow-program", tt.ids, "no-such-file")
		if code != tt.code || !strings.Contains(errs, tt.err) {
			t.Errorf("--allow-program %s: exit %d: %s", tt.ids, code, errs)
		}
	}
}

// oneiros starts the test binary as the oneiros binary (see TestMain), its
// processes marked with mark, and returns it with a channel of its stderr
// lines.
func oneiros(t *testing.T, mark string, args ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliMainEnv+"=1", plugintest.MarkEnv+"="+mark)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	return cmd, lines
}

// TestSignalWhileProving stops `oneiros prove` while its backend proves (and
// ignores cancellation): SIGINT and SIGTERM end it with 130 and 143 within
// the grace period, no partial proof left, no plugin left; after SIGKILL,
// which the host cannot handle, the plugin exits by itself.
func TestSignalWhileProving(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("needs /proc to find the processes")
	}
	dir := pluginDir(t, []string{"oneiros-backend-busy"}, "oneiros-frontend-asm")
	in := writeFile(t, "", "in.bin", fibInput)
	fib := filepath.Join("..", "..", "examples", "fib.s")
	for _, tt := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, ExitInterrupted, "SIGINT"}, {syscall.SIGTERM, ExitTerminated, "SIGTERM"}, {syscall.SIGKILL, -1, "SIGKILL"}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			mark := fmt.Sprintf("%s-%d-%d", t.Name(), os.Getpid(), time.Now().UnixNano())
			cmd, lines := oneiros(t, mark, "prove", "--isa", "asm", fib, "--input", in, "--plugin-dir", dir, "--backend", "busy", "-o", filepath.Join(out, "proof.bin"))
			var seen []string
			proving := false
			timeout := time.After(60 * time.Second)
			for !proving {
				select {
				case l, ok := <-lines:
					if !ok {
						cmd.Wait()
						t.Fatalf("oneiros ended before proving:\n%s", strings.Join(seen, "\n"))
					}
					seen = append(seen, l)
					proving = strings.Contains(l, "spin")
				case <-timeout:
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no proof started within 60s:\n%s", strings.Join(seen, "\n"))
				}
			}
			if n := len(plugintest.Marked(mark)); n != 2 {
				t.Errorf("%d marked processes while proving, want 2 (oneiros and the backend)", n)
			}
			start := time.Now()
			cmd.Process.Signal(tt.sig)
			for l := range lines {
				seen = append(seen, l)
			}
			err := cmd.Wait()
			if d := time.Since(start); d > StopGrace+time.Second {
				t.Errorf("oneiros took %v to stop", d)
			}
			if tt.code >= 0 {
				if cmd.ProcessState.ExitCode() != tt.code {
					t.Errorf("exit %v, want %d", err, tt.code)
				}
				if last := seen[len(seen)-1]; last != "oneiros: interrupted by "+tt.name+"; plugins stopped" {
					t.Errorf("last line %q\n%s", last, strings.Join(seen, "\n"))
				}
			}
			plugintest.NoneLeft(t, mark, 3*time.Second)
			if left, _ := os.ReadDir(out); len(left) != 0 {
				t.Errorf("left in the output directory: %v", left)
			}
		})
	}
}
