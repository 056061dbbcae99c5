package cli

import (
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/config/profile"
)

// LoadConfig returns the configuration the global flags ask for: the embedded defaults,
// the --preset laid over them, the --config file over both, and --log-level over all.
// Every problem is a BadInput error (exit status 2) that names the file, line and key.
func (g *Globals) LoadConfig() (*config.Config, error) {
	cfg, err := config.Default()
	if err != nil {
		return nil, BadInput(err)
	}
	if g.Preset != "" {
		if err := cfg.ApplyPreset(g.Preset); err != nil {
			return nil, BadInput(err)
		}
	}
	if g.ConfigFile != "" {
		data, err := config.ReadFile(g.ConfigFile)
		if err == nil {
			err = cfg.Overlay(g.ConfigFile, data)
		}
		if err != nil {
			return nil, BadInput(err)
		}
	}
	if g.LogLevel != "" {
		if err := cfg.Set("--log-level", "logging.level", g.LogLevel); err != nil {
			return nil, BadInput(err)
		}
	}
	return cfg, nil
}

// LoadProfile is LoadConfig followed by the choice of a profile: name (a --profile
// flag) when not empty, else the configuration's profile key. The profile's overrides
// are applied beneath the user's own settings.
func (g *Globals) LoadProfile(name string) (*config.Config, *profile.Profile, error) {
	cfg, err := g.LoadConfig()
	if err != nil {
		return nil, nil, err
	}
	if name != "" {
		if err := cfg.Set("--profile", "profile", name); err != nil {
			return nil, nil, BadInput(err)
		}
	}
	p, err := profile.Select(cfg)
	if err != nil {
		return nil, nil, BadInput(err)
	}
	return cfg, p, nil
}
