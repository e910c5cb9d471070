package shutdowntest

import (
	"io"
	"net/http"
	"testing"
)

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

// TestInFlightWantsBoth: the in-flight request succeeds only with status
// 200 and the echo of its own path; either alone is a failure.
func TestInFlightWantsBoth(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"200 without the echo", http.StatusOK, "ok\n", `got 200 OK "ok\n", want 200 with the echo`},
		{"the echo with 500", http.StatusInternalServerError, "RequestURI: /in-flight\n", `got 500 Internal Server Error "RequestURI: /in-flight\n", want 200 with the echo`},
		{"200 with another path", http.StatusOK, "RequestURI: /other\n", `got 200 OK "RequestURI: /other\n", want 200 with the echo`},
	} {
		addr := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) //nolint:errcheck // the answer is what is tested.
			w.WriteHeader(tt.status)
			io.WriteString(w, tt.body) //nolint:errcheck // the client reads what arrived.
		}))
		f, err := StartInFlight(addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Finish(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: Finish = %v, want %s", tt.name, err, tt.want)
		}
	}
}
