package benchsuite

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Load reads a result file.
func Load(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a bench result: %w", path, err)
	}
	if r.Suite == "" || r.SuiteVersion == 0 {
		return nil, fmt.Errorf("%s: not a bench result (no suite)", path)
	}
	return &r, nil
}

// Ratio compares one row across results: each result's median time over the base's
// (the first result's).
type Ratio struct {
	ID      string    `json:"id" yaml:"id"`
	Seconds []float64 `json:"seconds" yaml:"seconds"` // each result's median (0: missing or skipped)
	Ratios  []float64 `json:"ratios" yaml:"ratios"`   // over the base's; above 1 is slower
	// Flags name the results where the row is slower than the base beyond the noise:
	// its fastest repetition slower than the base's slowest (and 5 % slower at least).
	Regressed []bool `json:"regressed" yaml:"regressed"`
}

// Comparison is the row-by-row comparison of results.
type Comparison struct {
	Labels   []string `json:"labels" yaml:"labels"`
	Rows     []Ratio  `json:"rows" yaml:"rows"`
	Warnings []string `json:"warnings,omitempty" yaml:"warnings,omitempty"`
}

// Compare compares results row by row against the first.
func Compare(labels []string, rs []*Result) *Comparison {
	c := &Comparison{Labels: labels}
	base := rs[0]
	for i, r := range rs[1:] {
		if r.Suite != base.Suite || r.SuiteVersion != base.SuiteVersion {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s is suite %s v%d, %s is suite %s v%d: only the rows both have are compared",
				labels[i+1], r.Suite, r.SuiteVersion, labels[0], base.Suite, base.SuiteVersion))
		}
	}
	idx := make([]map[string]*Row, len(rs))
	var ids []string
	seen := map[string]bool{}
	for i, r := range rs {
		idx[i] = map[string]*Row{}
		for j := range r.Rows {
			row := &r.Rows[j]
			idx[i][row.ID] = row
			if !seen[row.ID] {
				seen[row.ID] = true
				ids = append(ids, row.ID)
			}
		}
	}
	var missing []string
	for _, id := range ids {
		ra := Ratio{ID: id, Seconds: make([]float64, len(rs)), Ratios: make([]float64, len(rs)), Regressed: make([]bool, len(rs))}
		b := idx[0][id]
		for i := range rs {
			row := idx[i][id]
			if row == nil || row.Skipped != "" {
				continue
			}
			ra.Seconds[i] = row.Seconds.Median
			if b != nil && b.Skipped == "" && b.Seconds.Median > 0 {
				ra.Ratios[i] = row.Seconds.Median / b.Seconds.Median
				ra.Regressed[i] = i > 0 && row.Seconds.Min > b.Seconds.Max && ra.Ratios[i] > 1.05
			}
		}
		for i := range rs {
			if idx[i][id] == nil {
				missing = append(missing, fmt.Sprintf("%s (not in %s)", id, labels[i]))
				break
			}
		}
		c.Rows = append(c.Rows, ra)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("rows not in every result: %v", missing))
	}
	return c
}
