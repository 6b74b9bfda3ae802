package scenariotest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRequired(t *testing.T) {
	tests := []struct {
		runs int
		rate float64
		want int
	}{
		{1, 0, 1},
		{5, 0, 5},
		{5, 1, 5},
		{10, 0.7, 7},
		{100, 7.0 / 100, 7}, // not 8: 0.07×100 is 7.000000000000001 in floating point
		{10, 0.75, 8},
		{4, 0.75, 3},
		{3, 0.5, 2},
		{5, 0.01, 1},
	}
	for _, tt := range tests {
		if got := Required(tt.runs, tt.rate); got != tt.want {
			t.Errorf("Required(%d, %v) = %d, want %d", tt.runs, tt.rate, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	var got []string
	for _, p := range [][2]int{{0, 5}, {5, 5}, {3, 4}, {2, 3}, {999, 1000}, {1, 1000}, {0, 0}} {
		got = append(got, percent(p[0], p[1]))
	}
	want := []string{"0%", "100%", "75%", "67%", "99.9%", "0.1%", "0%"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("percent (-want +got):\n%s", diff)
	}
}
