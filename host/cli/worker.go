package cli

import (
	"cmp"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/distributed"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

func init() {
	register(func(g *Globals) *cobra.Command {
		var url, backendName, device, name string
		var dirs []string
		cmd := &cobra.Command{
			Use:   "worker --nats URL [--backend auto|cpu|cuda] [--device D]",
			Short: "Prove segments of distributed runs: pull jobs from NATS JetStream with this machine's backend",
			Long: `Connects to the NATS server (with JetStream) at --nats, pulls segment jobs that
'oneiros prove --profile distributed' publishes, proves each with the backend plugin chosen
here (each machine its own: cuda on a GPU box, cpu elsewhere), stores the proof in the
JetStream object store and acknowledges the job only then. While it proves it tells
JetStream the job is in progress; a worker that dies leaves its job to be redelivered. On
SIGINT or SIGTERM it hands its current job back (redelivered at once) and exits.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				if url, err = natsURL(url, cfg); err != nil {
					return err
				}
				opts, err := pluginOptions(g, cfg, dirs)
				if err != nil {
					return err
				}
				ctx := commandContext(cmd)
				be, backendName, err := pipeline.LaunchBackend(ctx, opts, cmp.Or(backendName, cfg.Backend.Kind), nil)
				if err != nil {
					return err
				}
				defer be.Close()
				if name == "" {
					host, _ := os.Hostname()
					name = fmt.Sprintf("%s-%d", host, os.Getpid())
				}
				conn, err := distributed.Connect(ctx, url, "oneiros-worker "+name, distributed.WorkerRole, distributed.SettingsOf(cfg.Distributed))
				if err != nil {
					return BadInput(err)
				}
				defer conn.Close()
				w := &distributed.Worker{Conn: conn, Name: name, Backend: be, BackendName: backendName, Device: device,
					Log: func(format string, args ...any) {
						fmt.Fprintf(g.Stderr, "%s worker %s: %s\n", time.Now().Format(time.TimeOnly), name, fmt.Sprintf(format, args...))
					}}
				w.Log("pulling segment jobs from %s with backend %s", url, backendName)
				return w.Run(ctx)
			},
		}
		cmd.Flags().StringVar(&url, "nats", "", "NATS server URL, JetStream enabled (default: distributed.nats_url)")
		cmd.Flags().StringVar(&backendName, "backend", "", "backend: auto, cpu, cuda (default: backend.kind)")
		cmd.Flags().StringVar(&device, "device", "", "device inside the backend")
		cmd.Flags().StringVar(&name, "name", "", "worker name in results and logs (default host-pid)")
		cmd.Flags().StringSliceVar(&dirs, "plugin-dir", nil, "extra directory searched for plugins (repeatable)")
		return cmd
	})
}

// natsURL is the --nats flag, else distributed.nats_url; a command that needs a server
// and has neither is bad input.
func natsURL(flag string, cfg *config.Config) (string, error) {
	if url := cmp.Or(flag, cfg.Distributed.NATSURL); url != "" {
		return url, nil
	}
	return "", BadInput(fmt.Errorf("--nats URL (or distributed.nats_url) is required, e.g. nats://host:4222"))
}
