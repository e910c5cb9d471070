package health

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

	// A port nothing listens on: bound, then released.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nothing := "http://" + ln.Addr().String() + Path
	ln.Close()

	tests := []struct {
		name    string
		target  string
		timeout time.Duration
		wantErr string // substring; empty means healthy
	}{
		{"healthy", ok.URL + Path, 10 * time.Second, ""},
		{"error status", failing.URL + Path, 10 * time.Second, "status 503 Service Unavailable"},
		{"redirect is not followed", redirect.URL + Path, 10 * time.Second, "status 302 Found"},
		{"nothing listening", nothing, 10 * time.Second, "connection refused"},
		{"no answer in time", hanging.URL + Path, 100 * time.Millisecond, "Client.Timeout exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(context.Background(), tt.target, tt.timeout)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Check = %v, want healthy", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Check = %v, want an error containing %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), tt.target):
				t.Errorf("error %q repeats the URL", err)
			}
		})
	}
}
