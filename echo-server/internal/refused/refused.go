// Package refused gives tests a loopback address whose connections are
// refused, without the race of closing a listener (another test could take
// the port in between).
package refused

import (
	"net"
	"strconv"
	"syscall"
	"testing"
)

// Addr returns the loopback address of a TCP socket that is bound but not
// listening: connecting to it is refused, and as long as the test runs
// nothing else can bind the port. The socket is closed when t ends.
func Addr(t testing.TB) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		t.Fatalf("socket name %#v is not IPv4", sa)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(in4.Port))
}
