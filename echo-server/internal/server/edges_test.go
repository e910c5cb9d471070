package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestErrorLogLevel: README, "Logs": errors of net/http itself are logged
// at level warn.
func TestErrorLogLevel(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := New(defaults(t), http.NotFoundHandler(), log)
	srv.ErrorLog.Print("http: TLS handshake error from 192.0.2.1:1: EOF")
	if got := out.String(); !strings.Contains(got, "level=WARN ") || !strings.Contains(got, `msg="http: TLS handshake error from 192.0.2.1:1: EOF"`) {
		t.Errorf("net/http's error logged as %q, want level WARN and the message", got)
	}
}
