package health

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestURLEdges: README, "Subcommands": a server listening on all
// interfaces (:8080, 0.0.0.0:8080, [::]:8080) is probed on 127.0.0.1, one
// bound to a specific host there; a port from 1 to 65535 can be probed, 0
// (a free port) cannot.
func TestURLEdges(t *testing.T) {
	for _, tt := range []struct{ listen, want string }{
		{":1", "http://127.0.0.1:1/healthz"},
		{":65535", "http://127.0.0.1:65535/healthz"},
		{":08080", "http://127.0.0.1:08080/healthz"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/healthz"},
		{"[::]:8080", "http://127.0.0.1:8080/healthz"},
		{"[0:0:0:0:0:0:0:0]:8080", "http://127.0.0.1:8080/healthz"},
		{"0.0.0.1:8080", "http://0.0.0.1:8080/healthz"},
		{"[::1]:8080", "http://[::1]:8080/healthz"},
		{"127.0.0.2:8080", "http://127.0.0.2:8080/healthz"},
		{"echo:8080", "http://echo:8080/healthz"},
	} {
		got, err := URL(tt.listen)
		if err != nil || got != tt.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tt.listen, got, err, tt.want)
		}
	}
	for _, tt := range []struct{ listen, want string }{
		{":0", `listen address ":0" has no fixed port to probe`},
		{":00", `listen address ":00" has no fixed port to probe`},
		{":65536", `listen address ":65536" has no fixed port to probe`},
		{":131071", `listen address ":131071" has no fixed port to probe`},
		{":-1", `listen address ":-1" has no fixed port to probe`},
		{":http", `listen address ":http" has no fixed port to probe`},
		{":", `listen address ":" has no fixed port to probe`},
	} {
		if _, err := URL(tt.listen); err == nil || err.Error() != tt.want {
			t.Errorf("URL(%q) error = %v, want %s", tt.listen, err, tt.want)
		}
	}
	if Path != "/healthz" {
		t.Errorf("Path = %q, want /healthz", Path)
	}
}

// TestHandlerMethods: "GET or HEAD /healthz: 200 ok; any other method
// 405, Allow: GET, HEAD", each method by name.
func TestHandlerMethods(t *testing.T) {
	for _, m := range []string{"GET", "HEAD"} {
		w := httptest.NewRecorder()
		Handler(w, httptest.NewRequest(m, Path, nil))
		if w.Code != http.StatusOK || w.Body.String() != "ok\n" {
			t.Errorf("%s = %d %q, want 200 ok", m, w.Code, w.Body)
		}
	}
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "get", "Head", "PROPFIND"} {
		w := httptest.NewRecorder()
		Handler(w, httptest.NewRequest(m, Path, nil))
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" || w.Body.String() != "method not allowed\n" {
			t.Errorf("%s = %d %q Allow %q, want 405 Allow GET, HEAD", m, w.Code, w.Body, w.Header().Get("Allow"))
		}
	}
}
