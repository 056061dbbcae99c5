package cli

import (
	"fmt"
	"strings"

	"github.com/hashicorp/go-hclog"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// pluginOptions gathers the plugin manager's options: the one place where
// configuration (plugins.dirs, plugins.sha256, plugins.start_timeout,
// plugins.call_timeout) meets the command line (--plugin-dir directories come first
// in the search). Plugin logs go to stderr at --log-level (default warn), each under
// the plugin's name. cfg is the configuration the command loaded (g.LoadConfig), or nil
// for a command that needs none besides this: it is then loaded here.
func pluginOptions(g *Globals, cfg *config.Config, dirs []string) (plugin.Options, error) {
	if cfg == nil {
		var err error
		if cfg, err = g.LoadConfig(); err != nil {
			return plugin.Options{}, err
		}
	}
	level := hclog.Warn
	if g.LogLevel != "" {
		level = hclog.LevelFromString(g.LogLevel)
		if level == hclog.NoLevel {
			return plugin.Options{}, BadInput(fmt.Errorf("--log-level %q: want trace, debug, info, warn or error", g.LogLevel))
		}
	}
	for _, d := range dirs {
		if strings.TrimSpace(d) == "" {
			return plugin.Options{}, BadInput(fmt.Errorf("--plugin-dir: empty directory name"))
		}
	}
	return plugin.Options{
		Dirs:         append(append([]string(nil), dirs...), cfg.Plugins.Dirs...),
		SHA256:       cfg.Plugins.SHA256,
		StartTimeout: cfg.Plugins.StartTimeout,
		CallTimeout:  cfg.Plugins.CallTimeout,
		Logger:       hclog.New(&hclog.LoggerOptions{Name: "plugins", Level: level, Output: g.Stderr}),
	}, nil
}
