//go:build unix

package pluginv1

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// hostPoll is how often a plugin looks for its host.
const hostPoll = 200 * time.Millisecond

// watchHost makes the plugin exit when the process that started it dies,
// whatever the plugin is doing: a backend deep in a proof does not notice
// that its connection is gone, and the host that died (SIGKILL, the OOM
// killer) could not stop it. A dead parent shows as a new parent process ID
// (init or a subreaper adopts the orphan). Polling getppid is used rather than
// Linux's PR_SET_PDEATHSIG, which fires when the host's thread that started
// the plugin exits, not the host.
//
// The host starts each plugin as the leader of its own process group; a
// plugin that leads its group takes the group (its own children) with it.
func watchHost() {
	parent := os.Getppid()
	go func() {
		for range time.Tick(hostPoll) {
			if os.Getppid() == parent {
				continue
			}
			fmt.Fprintf(os.Stderr, "oneiros plugin: the host (pid %d) is gone; exiting\n", parent)
			if syscall.Getpgrp() == os.Getpid() {
				syscall.Kill(0, syscall.SIGKILL)
			}
			os.Exit(1)
		}
	}()
}
