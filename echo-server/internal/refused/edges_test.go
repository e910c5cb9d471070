package refused

import (
	"net"
	"testing"
)

// TestAddrReleasedAfterTest: "The socket is closed when t ends": once the
// test that asked for the address is over, the port can be listened on.
func TestAddrReleasedAfterTest(t *testing.T) {
	var addr string
	t.Run("holder", func(t *testing.T) { addr = Addr(t) })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s after its test ended: %v, want the port free", addr, err)
	}
	ln.Close()
}
