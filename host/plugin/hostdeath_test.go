package plugin

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// helperHostEnv, when set, makes the test binary a host instead of running
// tests (see TestMain): it launches the backend plugin at the path it holds,
// starts a proof, prints "proving" when the plugin reports progress, and
// waits for ever.
const helperHostEnv = "ONEIROS_TEST_HELPER_HOST"

func helperHost(path string) {
	b, err := BinaryAt(path)
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	p, err := Launch(context.Background(), b, Options{})
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	_, err = p.Backend.ProveSegment(context.Background(), backend.ProveRequest{
		Program: []byte("TOYN"), Records: bytes.NewReader(make([]byte, 64)),
		Progress: func(backend.Progress) { fmt.Println("proving") },
	})
	fmt.Println("ProveSegment returned:", err)
	os.Exit(2)
}

// TestPluginDiesWithItsHost kills a host with SIGKILL while its backend
// proves (and ignores cancellation): the plugin notices that its parent is
// gone and exits, within a few seconds.
func TestPluginDiesWithItsHost(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("needs /proc to find the plugin's process")
	}
	t.Parallel()
	path := plugintest.Path(t, "oneiros-backend-busy")
	mark := fmt.Sprintf("%s-%d-%d", t.Name(), os.Getpid(), time.Now().UnixNano())
	host := exec.Command(os.Args[0], "-test.run=^$")
	host.Env = append(os.Environ(), helperHostEnv+"="+path, plugintest.MarkEnv+"="+mark)
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	got := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if strings.TrimSpace(lines.Text()) == "proving" {
				got <- "proving"
				return
			}
			t.Logf("host: %s", lines.Text())
		}
		got <- "host output ended"
	}()
	select {
	case s := <-got:
		if s != "proving" {
			host.Process.Kill()
			host.Wait()
			t.Fatalf("the helper host did not start the proof: %s", s)
		}
	case <-time.After(30 * time.Second):
		host.Process.Kill()
		host.Wait()
		t.Fatal("the helper host did not start the proof within 30s")
	}
	if n := len(plugintest.Marked(mark)); n != 2 {
		t.Errorf("%d marked processes while proving, want 2 (the host and the plugin)", n)
	}
	host.Process.Kill() // SIGKILL: the host cannot stop its plugin
	host.Wait()
	plugintest.NoneLeft(t, mark, 3*time.Second)
}
