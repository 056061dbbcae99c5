package benchsuite

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Report writes dir/index.html and its SVG plots for a result: kernel throughput, prove
// time and throughput per workload, the phases of each workload's proof, and memory.
func Report(dir string, r *Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var kernels, proves []Row
	for _, row := range r.Rows {
		if row.Skipped != "" {
			continue
		}
		if row.Kind == "kernel" {
			kernels = append(kernels, row)
		} else {
			proves = append(proves, row)
		}
	}
	var plots []string
	add := func(name string, err error) error {
		if err != nil {
			return fmt.Errorf("plot %s: %w", name, err)
		}
		plots = append(plots, name)
		return nil
	}
	if len(kernels) > 0 {
		if err := add("kernels.svg", bars(filepath.Join(dir, "kernels.svg"), "Kernel time (median, s)", "seconds", kernels, func(r Row) float64 { return r.Seconds.Median })); err != nil {
			return err
		}
	}
	var floored []Row
	for _, row := range kernels {
		if row.VsFloor > 0 {
			floored = append(floored, row)
		}
	}
	if len(floored) > 0 {
		if err := add("kernels-floor.svg", bars(filepath.Join(dir, "kernels-floor.svg"), "Kernel time over its arithmetic floor (1 = the arithmetic's speed)", "× floor", floored, func(r Row) float64 { return r.VsFloor })); err != nil {
			return err
		}
	}
	if len(proves) > 0 {
		if err := add("prove-seconds.svg", bars(filepath.Join(dir, "prove-seconds.svg"), "Prove time (median, s)", "seconds", proves, func(r Row) float64 { return r.Seconds.Median })); err != nil {
			return err
		}
		if err := add("prove-throughput.svg", bars(filepath.Join(dir, "prove-throughput.svg"), "Proving throughput (cycles/s)", "cycles/s", proves, func(r Row) float64 { return r.Throughput })); err != nil {
			return err
		}
		if err := add("prove-memory.svg", bars(filepath.Join(dir, "prove-memory.svg"), "Peak memory (MB, this process and its plugins)", "MB", proves, func(r Row) float64 { return float64(r.PeakBytes) / 1e6 })); err != nil {
			return err
		}
		if err := add("phases.svg", phases(filepath.Join(dir, "phases.svg"), proves)); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(dir, "index.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return page.Execute(f, struct {
		R     *Result
		Plots []string
	}{r, plots})
}

// si writes v with an SI prefix: "15.2 G", "23.9 M".
func si(v float64) string {
	for _, p := range []struct {
		scale  float64
		prefix string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v >= p.scale {
			return fmt.Sprintf("%.3g %s", v/p.scale, p.prefix)
		}
	}
	return fmt.Sprintf("%.3g ", v)
}

func short(id string) string {
	id = strings.TrimPrefix(id, "kernel/")
	return strings.TrimPrefix(id, "prove/")
}

// bars draws one bar per row.
func bars(path, title, unit string, rows []Row, v func(Row) float64) error {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = unit
	vals := make(plotter.Values, len(rows))
	names := make([]string, len(rows))
	for i, r := range rows {
		vals[i], names[i] = v(r), short(r.ID)
	}
	b, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return err
	}
	b.Color = plotutil.Color(0)
	p.Add(b)
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = -1
	return p.Save(vg.Length(80+28*len(rows))*vg.Points(1)+4*vg.Inch, 5*vg.Inch, path)
}

// phases draws each workload's proof phases, stacked.
func phases(path string, rows []Row) error {
	names := map[string]bool{}
	for _, r := range rows {
		for k := range r.Phases {
			if !strings.HasPrefix(k, "kernel.") {
				names[k] = true
			}
		}
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	p := plot.New()
	p.Title.Text = "Where a proof's time goes (s, backend phases)"
	p.Y.Label.Text = "seconds"
	var below *plotter.BarChart
	for i, k := range keys {
		vals := make(plotter.Values, len(rows))
		for j, r := range rows {
			vals[j] = r.Phases[k]
		}
		b, err := plotter.NewBarChart(vals, vg.Points(14))
		if err != nil {
			return err
		}
		b.Color = plotutil.Color(i)
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(k, b)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = short(r.ID)
	}
	p.NominalX(ids...)
	p.Legend.Top = true
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = -1
	return p.Save(vg.Length(80+28*len(rows))*vg.Points(1)+4*vg.Inch, 5*vg.Inch, path)
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"mb":    func(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/1e6) },
	"f":     func(v float64) string { return fmt.Sprintf("%.4g", v) },
	"short": func(id string) string { return short(id) },
	"rate":  si,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>oneiros bench: {{.R.Suite}} on {{.R.Machine.CPU}}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}th{background:#eee}td:first-child{text-align:left}img{max-width:100%;display:block;margin:1em 0}</style>
</head><body>
<h1>oneiros bench: suite {{.R.Suite}} (v{{.R.SuiteVersion}})</h1>
<p>{{if not .R.Complete}}<strong>Interrupted: the rows done so far.</strong> {{end}}Started {{.R.Started.Format "2006-01-02 15:04 UTC"}}, {{printf "%.0f" .R.Seconds}} s.</p>
<h2>Machine</h2>
<table>
<tr><th>CPU</th><td>{{.R.Machine.CPU}}</td></tr>
<tr><th>cores</th><td>{{.R.Machine.Cores}}</td></tr>
<tr><th>features</th><td>{{range .R.Machine.Features}}{{.}} {{end}}</td></tr>
<tr><th>memory</th><td>{{mb .R.Machine.MemoryBytes}} MB</td></tr>
<tr><th>OS, Go</th><td>{{.R.Machine.OS}}/{{.R.Machine.Arch}}, {{.R.Machine.Go}}</td></tr>
<tr><th>oneiros</th><td>{{.R.Machine.Oneiros}}</td></tr>
<tr><th>backend</th><td>{{.R.Machine.Backend}} {{.R.Machine.Device}} {{.R.Machine.GPU}}</td></tr>
<tr><th>engine</th><td>{{.R.Machine.Engine}}</td></tr>
{{with .R.Machine.Floor}}<tr><th>arithmetic floor</th><td>{{rate .MulPerSec}} mul/s, {{rate .AddPerSec}} add/s, {{rate .PermPerSec}} Poseidon2 perm/s ({{.Workers}} goroutines)</td></tr>{{end}}
</table>
{{range .Plots}}<img src="{{.}}" alt="{{.}}">{{end}}
<h2>Rows</h2>
<table><tr><th>row</th><th>median s</th><th>min</th><th>max</th><th>throughput</th><th>vs gnark-crypto</th><th>floor s</th><th>vs floor</th><th>cycles</th><th>proof bytes</th><th>peak MB</th><th>skipped</th></tr>
{{range .R.Rows}}<tr><td>{{.ID}}</td><td>{{f .Seconds.Median}}</td><td>{{f .Seconds.Min}}</td><td>{{f .Seconds.Max}}</td><td>{{f .Throughput}} {{.Unit}}</td><td>{{if .VsGnark}}{{f .VsGnark}}{{end}}</td><td>{{if .FloorSeconds}}{{f .FloorSeconds}}{{end}}</td><td>{{if .VsFloor}}{{f .VsFloor}}{{end}}</td><td>{{if .Cycles}}{{.Cycles}}{{end}}</td><td>{{if .ProofBytes}}{{.ProofBytes}}{{end}}</td><td>{{if .PeakBytes}}{{mb .PeakBytes}}{{end}}</td><td>{{.Skipped}}</td></tr>
{{end}}</table>
</body></html>
`))

// CompareReport writes dir/index.html with a plot of each result's time ratio to the base
// per row, and the table.
func CompareReport(dir string, c *Comparison) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text = "Time over the base's (median; above 1 is slower)"
	p.Y.Label.Text = "ratio"
	w := vg.Points(10)
	var ids []string
	for _, r := range c.Rows {
		ids = append(ids, short(r.ID))
	}
	for i := 1; i < len(c.Labels); i++ {
		vals := make(plotter.Values, len(c.Rows))
		for j, r := range c.Rows {
			vals[j] = r.Ratios[i]
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return err
		}
		b.Color = plotutil.Color(i)
		b.Offset = vg.Length(i-1) * w
		p.Add(b)
		p.Legend.Add(filepath.Base(c.Labels[i]), b)
	}
	p.NominalX(ids...)
	p.Legend.Top = true
	p.X.Tick.Label.Rotation = 0.8
	p.X.Tick.Label.XAlign = -1
	if err := p.Save(vg.Length(80+28*len(c.Rows))*vg.Points(1)+4*vg.Inch, 5*vg.Inch, filepath.Join(dir, "ratios.svg")); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "index.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return comparePage.Execute(f, c)
}

var comparePage = template.Must(template.New("compare").Funcs(template.FuncMap{
	"f":    func(v float64) string { return fmt.Sprintf("%.3g", v) },
	"base": filepath.Base,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>oneiros bench compare</title>
<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}td:first-child{text-align:left}.bad{color:#b00;font-weight:bold}img{max-width:100%}</style>
</head><body><h1>oneiros bench compare</h1>
{{range .Warnings}}<p><strong>warning:</strong> {{.}}</p>{{end}}
<img src="ratios.svg" alt="ratios">
<table><tr><th>row</th>{{range .Labels}}<th>{{base .}}</th>{{end}}</tr>
{{range .Rows}}{{$r := .}}<tr><td>{{.ID}}</td>{{range $i, $s := .Seconds}}<td{{if index $r.Regressed $i}} class="bad"{{end}}>{{if eq $i 0}}{{f $s}} s{{else}}{{f (index $r.Ratios $i)}}×{{end}}</td>{{end}}</tr>
{{end}}</table></body></html>
`))
