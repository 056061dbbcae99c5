package plugin

import (
	"github.com/hashicorp/go-hclog"
)

// debugOnly is the logger go-plugin gets: every line it logs, its own events
// ("plugin process exited", "plugin failed to exit gracefully") and the
// plugin's stderr lines alike, goes to the host's logger at debug level (trace
// stays trace). The host reports a plugin's failure once, as an error that
// carries the plugin's last stderr lines; --log-level debug shows the rest.
type debugOnly struct{ hclog.Logger }

func (l debugOnly) Log(level hclog.Level, msg string, args ...any) {
	if level > hclog.Debug {
		level = hclog.Debug
	}
	l.Logger.Log(level, msg, args...)
}

func (l debugOnly) Info(msg string, args ...any)  { l.Logger.Debug(msg, args...) }
func (l debugOnly) Warn(msg string, args ...any)  { l.Logger.Debug(msg, args...) }
func (l debugOnly) Error(msg string, args ...any) { l.Logger.Debug(msg, args...) }
func (l debugOnly) IsInfo() bool                  { return l.Logger.IsDebug() }
func (l debugOnly) IsWarn() bool                  { return l.Logger.IsDebug() }
func (l debugOnly) IsError() bool                 { return l.Logger.IsDebug() }

func (l debugOnly) With(args ...any) hclog.Logger  { return debugOnly{l.Logger.With(args...)} }
func (l debugOnly) Named(name string) hclog.Logger { return debugOnly{l.Logger.Named(name)} }
func (l debugOnly) ResetNamed(name string) hclog.Logger {
	return debugOnly{l.Logger.ResetNamed(name)}
}
