package plugin

import (
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Defaults of [Options].
const (
	DefaultStartTimeout = 10 * time.Second
	DefaultCallTimeout  = 10 * time.Minute
)

// Options configure discovery and launching. The host fills them from the
// configuration (plugins.dirs, plugins.sha256, plugins.start_timeout,
// plugins.call_timeout) and the command line.
type Options struct {
	// Dirs are searched for plugin binaries before the directory of the
	// running executable and ./bin (see [SearchDirs]).
	Dirs []string
	// SHA256 pins binaries by file name ("oneiros-backend-cpu") to the hex
	// SHA-256 of their content; a pinned binary whose digest differs is not
	// started. Unpinned binaries run unverified.
	SHA256 map[string]string
	// StartTimeout bounds the time from exec to a completed handshake;
	// 0 means DefaultStartTimeout.
	StartTimeout time.Duration
	// CallTimeout bounds each call (Describe, Load, a whole Execute
	// stream, a whole ProveSegment); 0 means DefaultCallTimeout. A plugin
	// that overruns it is killed.
	CallTimeout time.Duration
	// Logger receives the host's plugin events, and at debug level
	// go-plugin's events and the plugins' stderr, each plugin under its own
	// name; nil means warnings and errors to os.Stderr.
	Logger hclog.Logger
}

// withDefaults fills the zero fields and checks the pins.
func (o Options) withDefaults() (Options, error) {
	if o.StartTimeout == 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.StartTimeout < 0 || o.CallTimeout < 0 {
		return o, fmt.Errorf("plugin timeouts must not be negative (start %v, call %v)", o.StartTimeout, o.CallTimeout)
	}
	if o.Logger == nil {
		o.Logger = hclog.New(&hclog.LoggerOptions{Name: "plugins", Level: hclog.Warn, Output: os.Stderr})
	}
	return o, o.checkPins()
}

// checkPins reports every pin that is not a SHA-256 hex digest, naming its
// key.
func (o Options) checkPins() error {
	names := make([]string, 0, len(o.SHA256))
	for name := range o.SHA256 {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if b, err := hex.DecodeString(o.SHA256[name]); err != nil || len(b) != 32 {
			return fmt.Errorf("plugins.sha256[%s] = %q is not a SHA-256 digest (64 hex digits)", name, o.SHA256[name])
		}
	}
	return nil
}
