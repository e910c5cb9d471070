package shutdowntest

import "testing"

// TestLoadFigures pins the figures echo-server/README.md, "Hardening",
// states: "a continuous load of 16 concurrent clients"; the load's other
// bounds are the ones its tests are written against.
func TestLoadFigures(t *testing.T) {
	for _, tt := range []struct {
		name      string
		got, want int
	}{
		{"clients", clients, 16},
		{"maxRequests", maxRequests, 5000},
		{"warmup", warmup, 1000},
		{"slowEvery", slowEvery, 10},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if loadPath != "/load" {
		t.Errorf("loadPath = %q, want /load", loadPath)
	}
}
