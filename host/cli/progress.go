package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/oneiros-zk/oneiros/host/pipeline"
)

// isTerminal says whether w is a terminal (progress bars only draw on one).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// segmentProgress shows a proof's per-segment progress: a bar of segments done out of
// those cut so far (cycles/s and ETA) on a terminal, one line per segment otherwise.
type segmentProgress struct {
	mu       sync.Mutex
	w        io.Writer
	start    time.Time
	bar      *progressbar.ProgressBar
	cut      int
	ended    bool
	executed uint64
	proven   uint64
}

func newSegmentProgress(w io.Writer) *segmentProgress {
	p := &segmentProgress{w: w, start: time.Now()}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("segments"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	return p
}

// event takes one segment event from the pipeline.
func (p *segmentProgress) event(ev pipeline.SegmentEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start).Seconds()
	switch ev.Kind {
	case "cut":
		p.cut, p.ended, p.executed = ev.Cut, ev.Ended, ev.Executed
		if p.bar != nil {
			if p.ended {
				p.bar.ChangeMax(p.cut)
			}
			p.bar.Describe(p.describe(elapsed))
			return
		}
		if p.ended {
			fmt.Fprintf(p.w, "[%6.2fs] segments execution ended: %d segments, %d cycles\n", elapsed, p.cut, p.executed)
		}
	case "proved", "resumed":
		p.proven = ev.Proven
		if p.bar != nil {
			if p.ended {
				p.bar.ChangeMax(p.cut)
			}
			p.bar.Describe(p.describe(elapsed))
			_ = p.bar.Set(ev.Done)
			if p.ended && ev.Done == p.cut {
				_ = p.bar.Finish()
			}
			return
		}
		total := fmt.Sprintf("%d+", p.cut)
		if p.ended {
			total = fmt.Sprint(p.cut)
		}
		how := fmt.Sprintf("proved in %.2fs", ev.Seconds)
		if ev.Kind == "resumed" {
			how = "taken from the work directory"
		}
		fmt.Fprintf(p.w, "[%6.2fs] segment %d/%s %s: %d cycles, %.0f cycles/s overall%s\n", elapsed, ev.Done, total, how, ev.Cycles,
			float64(ev.Proven)/max(elapsed, 1e-9), p.eta(elapsed))
	}
}

func (p *segmentProgress) describe(elapsed float64) string {
	total := "…"
	if p.ended {
		total = ""
	}
	return fmt.Sprintf("segments%s (%d cycles proven, %.0f cycles/s%s)", total, p.proven, float64(p.proven)/max(elapsed, 1e-9), p.eta(elapsed))
}

// eta estimates the time left once execution has ended (the number of segments is
// known) from the cycles proven so far.
func (p *segmentProgress) eta(elapsed float64) string {
	if !p.ended || p.proven == 0 || p.proven >= p.executed {
		return ""
	}
	left := float64(p.executed-p.proven) * elapsed / float64(p.proven)
	return fmt.Sprintf(", ETA %s", (time.Duration(left) * time.Second).Round(time.Second))
}
