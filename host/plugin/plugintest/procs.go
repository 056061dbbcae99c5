package plugintest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// MarkEnv is the environment variable by which a test finds the processes
// it started: every process inherits it, whatever becomes of its parent.
const MarkEnv = "ONEIROS_TEST_MARK"

// Mark gives the processes that t starts from now on (plugins, their
// children) a mark of their own, with t.Setenv (so not in a parallel test),
// and returns it. Pass MarkEnv=mark in the environment of a command the test
// runs to mark that command's processes instead.
func Mark(t testing.TB) string {
	t.Helper()
	mark := fmt.Sprintf("%s-%d-%d", t.Name(), os.Getpid(), time.Now().UnixNano())
	t.Setenv(MarkEnv, mark)
	return mark
}

// Marked lists the live processes other than this one whose environment
// holds MarkEnv=mark (zombies have none). Where there is no /proc it returns
// nil: the check is Linux's.
func Marked(mark string) []int {
	want := []byte(MarkEnv + "=" + mark + "\x00")
	envs, _ := filepath.Glob("/proc/[0-9]*/environ")
	var pids []int
	for _, f := range envs {
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(append([]byte{0}, b...), append([]byte{0}, want...)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// NoneLeft fails t unless every process marked with mark is gone within d,
// naming those that remain (and killing them, so that they do not outlive
// the test).
func NoneLeft(t testing.TB, mark string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		pids := Marked(mark)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			var names []string
			for _, pid := range pids {
				cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
				names = append(names, fmt.Sprintf("%d %q", pid, bytes.ReplaceAll(bytes.TrimRight(cmd, "\x00"), []byte{0}, []byte{' '})))
				if p, err := os.FindProcess(pid); err == nil {
					p.Kill()
				}
			}
			t.Errorf("%d process(es) started by the test still run %v after it: %v", len(pids), d, names)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
