package config

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem with a configuration, placed where the bad value came from.
//
// Its text reads "FILE:LINE: KEY: MSG", leaving out what is unknown, for example
//
//	my.yaml:7: engine.num_queris: unknown key (did you mean num_queries?)
type Error struct {
	File string // file name, or a label such as "--log-level"; "" when unknown
	Line int    // 1-based line in File; 0 when unknown
	Key  string // full key path such as "engine.log_blowup"; "" for the file as a whole
	Msg  string // what is wrong, with the bad value and what is allowed
	Err  error  // the underlying error, if any (see [Config.Errorf]); Msg already says it
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is several problems found at once, in the order of their lines. Its text
// has one [Error] per line; errors.As finds the first [*Error] in it.
type ErrorList []*Error

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns the errors of the list, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// maxErrors bounds how many problems one document reports.
const maxErrors = 20

// err returns nil, the one error, or the list sorted by line.
func (l ErrorList) err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	sort.SliceStable(l, func(i, j int) bool { return l[i].Line < l[j].Line })
	if len(l) > maxErrors {
		l = append(l[:maxErrors:maxErrors], &Error{File: l[0].File, Msg: fmt.Sprintf("%d more problems not shown", len(l)-maxErrors)})
	}
	return l
}

// suggest returns the candidate closest to word when it is close enough to be a likely
// typo, or "".
func suggest(word string, candidates []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	best, bestD := "", 0
	for _, c := range candidates {
		if norm(c) == norm(word) {
			return c
		}
		limit := max(1, len(c)/3)
		if d := distance(word, c); d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance of a and b, counted in bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b)) // no typo of a key is that long; bound the work
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
