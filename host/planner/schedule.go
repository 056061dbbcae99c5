package planner

import "container/heap"

// schedule assigns segments, in order, each to the slot that frees first (list
// scheduling, as a work queue hands jobs to idle workers) and returns each segment's
// start time and the time the last one ends.
func schedule(durations []float64, slots int) (starts []float64, end float64) {
	starts = make([]float64, len(durations))
	free := make(freeTimes, min(max(slots, 1), len(durations)))
	for i, d := range durations {
		t := free[0]
		starts[i] = t
		free[0] = t + d
		heap.Fix(&free, 0)
		end = max(end, t+d)
	}
	return starts, end
}

// freeTimes is a min-heap of the times at which slots become free.
type freeTimes []float64

func (h freeTimes) Len() int           { return len(h) }
func (h freeTimes) Less(i, j int) bool { return h[i] < h[j] }
func (h freeTimes) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *freeTimes) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *freeTimes) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
