package fri

import "sync"

// parallelRange splits [0, n) into at most workers contiguous ranges (of at least 4096
// items) and runs f on each concurrently.
func parallelRange(n, workers int, f func(lo, hi int)) { parallelSplit(n, workers, 4096, f) }

// parallelEach splits [0, n) into at most workers contiguous ranges, however small,
// and runs f on each concurrently: for a few costly items (the queries' openings).
func parallelEach(n, workers int, f func(lo, hi int)) { parallelSplit(n, workers, 1, f) }

// parallelSplit runs f on at most workers contiguous ranges of [0, n), each of at least
// minPer items (one range when n is smaller).
func parallelSplit(n, workers, minPer int, f func(lo, hi int)) {
	parts := max(1, min(workers, n/minPer))
	if parts == 1 {
		f(0, n)
		return
	}
	per := (n + parts - 1) / parts
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); f(lo, hi) }(lo, min(lo+per, n))
	}
	wg.Wait()
}
