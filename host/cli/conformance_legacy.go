package cli

import (
	"fmt"
	"os"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// conformanceSetup serves the ISA-specific suite commands still in the host.
func conformanceSetup(g *Globals, suite *string, defaultSuite string, prove int, dirs []string) (plugin.Options, *config.Config, error) {
	if *suite == "" {
		if _, err := os.Stat(defaultSuite); err != nil {
			return plugin.Options{}, nil, BadInput(fmt.Errorf("--suite DIR is required (%s does not exist)", defaultSuite))
		}
		*suite = defaultSuite
	}
	if prove < 0 {
		return plugin.Options{}, nil, BadInput(fmt.Errorf("--prove %d: want a count of runs, 0 or more", prove))
	}
	cfg, _, err := g.LoadProfile("")
	if err != nil {
		return plugin.Options{}, nil, err
	}
	opts, err := pluginOptions(g, cfg, dirs)
	if err != nil {
		return plugin.Options{}, nil, err
	}
	return opts, cfg, nil
}
