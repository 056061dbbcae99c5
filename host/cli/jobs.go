package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/oneiros-zk/oneiros/host/distributed"
)

// jobsView is what `oneiros jobs` reports.
type jobsView struct {
	URL         string             `json:"url" yaml:"url"`
	Queued      uint64             `json:"queued" yaml:"queued"`           // jobs no worker has taken
	InProgress  int                `json:"in_progress" yaml:"in_progress"` // taken, not acknowledged
	Redelivered int                `json:"redelivered" yaml:"redelivered"` // taken again after a worker failed to acknowledge in time
	Waiting     int                `json:"waiting_workers" yaml:"waiting_workers"`
	AckWait     string             `json:"ack_wait" yaml:"ack_wait"`
	Runs        map[string]jobsRun `json:"runs" yaml:"runs"` // by run key: segments whose records or proofs are stored
}

type jobsRun struct {
	Records int    `json:"records" yaml:"records"` // segments handed out, not yet linked
	Proofs  int    `json:"proofs" yaml:"proofs"`   // proven, not yet linked
	Bytes   uint64 `json:"bytes" yaml:"bytes"`
}

func init() {
	register(func(g *Globals) *cobra.Command {
		var url string
		var out *string
		cmd := &cobra.Command{
			Use:   "jobs --nats URL",
			Short: "Show the distributed work queue: segments queued, in progress, redelivered, and each run's stored segments",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				format, err := parseFormat(*out)
				if err != nil {
					return err
				}
				cfg, err := g.LoadConfig()
				if err != nil {
					return err
				}
				if url, err = natsURL(url, cfg); err != nil {
					return err
				}
				ctx := commandContext(cmd)
				conn, err := distributed.Connect(ctx, url, "oneiros-jobs", distributed.WorkerRole, distributed.SettingsOf(cfg.Distributed))
				if err != nil {
					return BadInput(err)
				}
				defer conn.Close()
				info, err := conn.Workers.Info(ctx)
				if err != nil {
					return BadInput(err)
				}
				v := jobsView{URL: url, Queued: info.NumPending, InProgress: info.NumAckPending, Redelivered: info.NumRedelivered,
					Waiting: info.NumWaiting, AckWait: info.Config.AckWait.String(), Runs: map[string]jobsRun{}}
				objs, _ := conn.Objects.List(ctx)
				for _, o := range objs {
					key, name, ok := strings.Cut(o.Name, "/")
					if !ok {
						continue
					}
					r := v.Runs[key]
					switch {
					case strings.HasSuffix(name, ".rec"):
						r.Records++
					case strings.HasSuffix(name, ".proof"):
						r.Proofs++
					}
					r.Bytes += o.Size
					v.Runs[key] = r
				}
				return emit(cmd.OutOrStdout(), format, v, func(w io.Writer) error {
					fmt.Fprintf(w, "%s: %d queued, %d in progress, %d redelivered, %d workers waiting (ack deadline %s)\n",
						url, v.Queued, v.InProgress, v.Redelivered, v.Waiting, v.AckWait)
					keys := make([]string, 0, len(v.Runs))
					for k := range v.Runs {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					for _, k := range keys {
						r := v.Runs[k]
						fmt.Fprintf(w, "run %.16s…: %d segments out, %d proofs waiting, %.1f MB stored\n", k, r.Records, r.Proofs, float64(r.Bytes)/1e6)
					}
					return nil
				})
			},
		}
		cmd.Flags().StringVar(&url, "nats", "", "NATS server URL, JetStream enabled (default: distributed.nats_url)")
		out = addOutputFlag(cmd)
		return cmd
	})
}
