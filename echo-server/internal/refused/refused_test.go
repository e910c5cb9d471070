package refused

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
)

func TestAddrRefusesConnections(t *testing.T) {
	addr := Addr(t)
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("Addr = %q: want 127.0.0.1:PORT", addr)
	}
	for range 2 { // still refused: the port stays bound
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			t.Fatalf("dial %s: connected, want connection refused", addr)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("dial %s: %v, want connection refused", addr, err)
		}
	}
	if _, err := net.Listen("tcp", addr); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("listen on %s: %v, want address already in use while the test runs", addr, err)
	}
}
