package plugin

import (
	"context"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// pipeGrace is how long the host keeps reading a plugin's stdout and stderr
// after the plugin's process has exited: long enough for its last words,
// short enough that a descendant holding the pipes cannot stall the host.
const pipeGrace = 500 * time.Millisecond

// groupRunner is go-plugin's runner.Runner for one plugin process. It starts the
// plugin as the leader of a process group of its own, so that killing it
// kills whatever it started (a script's children); it gives the process
// pipes of its own making for stdout and stderr, so that waiting for the
// process never waits for them; and it stops reading them pipeGrace after
// the process exited, so that go-plugin, which reads them to their end
// before it reaps the process, cannot hang on a descendant that escaped the
// group and still holds them.
type groupRunner struct {
	cmd            *exec.Cmd
	stdout, stderr *os.File // the host's read ends

	pid     int
	exited  chan struct{} // closed once cmd.Wait has returned
	waitErr error
	once    sync.Once // closes the read ends
}

// newRunner prepares cmd (not started) to run in a process group of its
// own, with env as its environment (go-plugin's handshake variables).
func newRunner(cmd *exec.Cmd, env []string) (*groupRunner, error) {
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = outW, errW
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	return &groupRunner{cmd: cmd, stdout: outR, stderr: errR, exited: make(chan struct{})}, nil
}

// Start starts the process and the goroutine that reaps it.
func (r *groupRunner) Start(context.Context) error {
	err := r.cmd.Start()
	// The child has its copies of the write ends; the host's would keep the
	// pipes open after the child is gone.
	r.cmd.Stdout.(*os.File).Close()
	r.cmd.Stderr.(*os.File).Close()
	if err != nil {
		r.closePipes()
		close(r.exited)
		return err
	}
	r.pid = r.cmd.Process.Pid
	live.add(r)
	go r.reap()
	return nil
}

func (r *groupRunner) reap() {
	r.waitErr = r.cmd.Wait()
	// The leader is gone: what it left in its group goes too, and the pipes
	// are read only a little longer.
	killGroup(r.cmd.Process)
	live.remove(r)
	close(r.exited)
	time.AfterFunc(pipeGrace, r.closePipes)
}

func (r *groupRunner) closePipes() {
	r.once.Do(func() {
		r.stdout.Close()
		r.stderr.Close()
	})
}

// Wait waits for the process (not for its pipes).
func (r *groupRunner) Wait(context.Context) error {
	<-r.exited
	return r.waitErr
}

// Kill kills the process's whole group at once.
func (r *groupRunner) Kill(context.Context) error {
	select {
	case <-r.exited:
		return nil // reaped, and its group killed then
	default:
	}
	return killGroup(r.cmd.Process)
}

// Diagnose adds nothing: the host explains start failures itself.
func (r *groupRunner) Diagnose(context.Context) string { return "" }
func (r *groupRunner) Stdout() io.ReadCloser           { return r.stdout }
func (r *groupRunner) Stderr() io.ReadCloser           { return r.stderr }
func (r *groupRunner) Name() string                    { return r.cmd.Path }
func (r *groupRunner) ID() string                      { return strconv.Itoa(r.pid) }

func (r *groupRunner) PluginToHost(network, address string) (string, string, error) {
	return network, address, nil
}

func (r *groupRunner) HostToPlugin(network, address string) (string, string, error) {
	return network, address, nil
}

// live holds the plugin processes of this host that have not been reaped,
// for [KillAll].
var live = registry{m: map[*groupRunner]bool{}}

type registry struct {
	mu sync.Mutex
	m  map[*groupRunner]bool
}

func (g *registry) add(r *groupRunner) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.m[r] = true
}

func (g *registry) remove(r *groupRunner) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.m, r)
}

// KillAll kills every plugin process this host started and has not yet
// reaped, each with its process group, and returns how many there were. It is
// the host's last resort, on a signal, when plugins did not stop in time.
func KillAll() int {
	live.mu.Lock()
	defer live.mu.Unlock()
	for r := range live.m {
		killGroup(r.cmd.Process)
	}
	return len(live.m)
}

// Running reports how many plugin processes this host started and has not
// yet reaped.
func Running() int {
	live.mu.Lock()
	defer live.mu.Unlock()
	return len(live.m)
}
