// Package cli holds the cobra commands of the oneiros binary, one file per command,
// each adding itself with register from an init function.
//
// # Usage
//
// host/cmd/oneiros calls [Run]; tests call [Main] with arguments and writers and check
// the exit status and output:
//
//	code := cli.Main([]string{"plan", "--profile", "continuations", "--cycles", "1e8", "-o", "json"}, &out, &errs)
//
// Global flags: --config FILE lays a YAML file over the embedded defaults and
// --log-level overrides logging.level; commands read both through
// [Globals.LoadConfig], and through [Globals.LoadProfile] when a profile matters
// (precedence: defaults < profile < file < flags). Listings take -o text|json|yaml;
// text is for people (aligned tables), JSON and YAML are stable for machines.
//
// Commands here so far:
//
//	oneiros config show [--profile P] [-o yaml|json|text]   the effective configuration, with origins in text
//	oneiros config default                                  the embedded defaults, with comments
//	oneiros profiles list [-o …]                             the registered profiles
//	oneiros profiles show NAME [-o …]                        one profile under the effective configuration
//	oneiros plan --profile P --cycles N [--cores C] [--memory M] [--nodes K] [-o …]
//	oneiros version
//
// Exit status, the same table for every command (docs/cli.md): 0 on success, 1 when a
// proof or check is rejected or a run did not halt ([Rejected]), 2 on bad input or
// configuration ([BadInput]), 3 when a plugin failed ([PluginFailed]; any plugin
// failure in an error makes it 3), 130/143 when SIGINT/SIGTERM stopped the command
// ([Interrupted]; [Run] handles the signals), with a message naming what and where, e.g.
//
//	oneiros: my.yaml:7: engine.num_queris: unknown key (did you mean num_queries?)
//
// An error that holds several problems prints one line each.
//
// # Security
//
// The CLI trusts its user: --config may point anywhere the user can read. Files larger
// than config.MaxFileBytes are refused.
//
// # Performance
//
// Commands here do no proving; `oneiros plan` prints estimates from the planner's cost
// model (docs/cost-model.md), not measurements.
package cli
