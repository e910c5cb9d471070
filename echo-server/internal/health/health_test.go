package health

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"echo-server/internal/refused"
)

func TestHandler(t *testing.T) {
	tests := []struct {
		method     string
		wantStatus int
		wantBody   string
		wantAllow  string
	}{
		{http.MethodGet, http.StatusOK, "ok\n", ""},
		{http.MethodHead, http.StatusOK, "ok\n", ""}, // net/http drops the body of HEAD
		{http.MethodPost, http.StatusMethodNotAllowed, "method not allowed\n", "GET, HEAD"},
		{http.MethodPut, http.StatusMethodNotAllowed, "method not allowed\n", "GET, HEAD"},
		{http.MethodOptions, http.StatusMethodNotAllowed, "method not allowed\n", "GET, HEAD"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		Handler(w, httptest.NewRequest(tt.method, Path, nil))
		if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody || w.Header().Get("Allow") != tt.wantAllow {
			t.Errorf("%s %s = %d %q Allow %q; want %d %q Allow %q", tt.method, Path,
				w.Code, w.Body, w.Header().Get("Allow"), tt.wantStatus, tt.wantBody, tt.wantAllow)
		}
		if got := w.Header().Get("Content-Type"); got != "text/plain; charset=utf-8" {
			t.Errorf("%s: Content-Type = %q", tt.method, got)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		listen  string
		want    string
		wantErr string
	}{
		{":8080", "http://127.0.0.1:8080/healthz", ""},
		{"0.0.0.0:80", "http://127.0.0.1:80/healthz", ""},
		{"[::]:9000", "http://127.0.0.1:9000/healthz", ""},
		{"127.0.0.1:8081", "http://127.0.0.1:8081/healthz", ""},
		{"[::1]:8082", "http://[::1]:8082/healthz", ""},
		{"10.1.2.3:8083", "http://10.1.2.3:8083/healthz", ""},
		{"localhost:8084", "http://localhost:8084/healthz", ""},
		{":0", "", `listen address ":0" has no fixed port to probe`},
		{"8080", "", `listen address "8080": address 8080: missing port in address`},
	}
	for _, tt := range tests {
		got, err := URL(tt.listen)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("URL(%q) error = %v, want %s", tt.listen, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("URL(%q) = %q, %v; want %q", tt.listen, got, err, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(Handler))
	defer ok.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	redirect := httptest.NewServer(http.RedirectHandler(ok.URL+Path, http.StatusFound))
	defer redirect.Close()
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer hanging.Close()
	defer close(release)

	// A listener that is never served: connections complete in its backlog,
	// and no request is ever read. Unlike a port that was bound and
	// released, no other test can take it over.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	refused := refused.Addr(t)

	tests := []struct {
		name    string
		target  string
		timeout time.Duration
		wantErr string // empty means healthy
		partial bool   // wantErr is a part of the error: a timeout's wording is net/http's
	}{
		{"healthy", ok.URL + Path, 10 * time.Second, "", false},
		{"error status", failing.URL + Path, 10 * time.Second, "status 503 Service Unavailable", false},
		{"redirect is not followed", redirect.URL + Path, 10 * time.Second, "status 302 Found", false},
		{"connection refused", "http://" + refused + Path, 10 * time.Second, "dial tcp " + refused + ": connect: connection refused", false},
		{"never accepted", "http://" + silent.Addr().String() + Path, 100 * time.Millisecond, "(Client.Timeout exceeded while awaiting headers)", true},
		{"no answer in time", hanging.URL + Path, 100 * time.Millisecond, "(Client.Timeout exceeded while awaiting headers)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(context.Background(), tt.target, tt.timeout)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Check = %v, want healthy", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("Check = nil, want %q", tt.wantErr)
			case err == nil:
			case tt.partial && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("Check = %q, want an error containing %q", err, tt.wantErr)
			case !tt.partial && err.Error() != tt.wantErr:
				t.Errorf("Check = %q, want %q", err, tt.wantErr)
			case strings.Contains(err.Error(), "http://"):
				t.Errorf("error %q repeats the URL", err)
			}
		})
	}
}
