package deadline

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// patience bounds every wait; far above what any step needs.
const patience = 30 * time.Second

func listen(t *testing.T, tick time.Duration) *Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := NewListener(ln, tick)
	t.Cleanup(func() { l.Close() })
	return l
}

// connect dials l and returns the accepted server side and the client side.
func connect(t *testing.T, l *Listener) (*Conn, net.Conn) {
	t.Helper()
	client, err := net.DialTimeout("tcp", l.Addr().String(), patience)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	conn, ok := c.(*Conn)
	if !ok {
		t.Fatalf("Accept returned %T, want *Conn", c)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, client
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) && errors.As(err, &ne) && ne.Timeout()
}

// read reads one byte from c, giving up after patience.
func read(c net.Conn) error {
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(patience):
		return errors.New("read still blocked")
	}
}

func setReadDeadline(t *testing.T, c net.Conn, deadline time.Time) {
	t.Helper()
	if err := c.SetReadDeadline(deadline); err != nil {
		t.Fatal(err)
	}
}

// checkReadable sends a byte from client and checks that conn reads it.
func checkReadable(t *testing.T, conn, client net.Conn) {
	t.Helper()
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := read(conn); err != nil {
		t.Errorf("Read = %v, want the byte sent", err)
	}
}

func TestReadDeadlineFires(t *testing.T) {
	conn, _ := connect(t, listen(t, 5*time.Millisecond))
	const wait = 50 * time.Millisecond
	begin := time.Now()
	setReadDeadline(t, conn, begin.Add(wait))
	err := read(conn)
	if elapsed := time.Since(begin); elapsed < wait {
		t.Errorf("deadline fired after %s, before the %s it was set to", elapsed, wait)
	}
	if !isTimeout(err) {
		t.Fatalf("Read = %v, want a timeout", err)
	}
	// Expired, it stays expired, as a real deadline does.
	if err := read(conn); !isTimeout(err) {
		t.Errorf("second Read = %v, want a timeout", err)
	}
}

func TestWriteDeadlineFires(t *testing.T) {
	conn, _ := connect(t, listen(t, 5*time.Millisecond))
	if err := conn.SetWriteDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	// The client reads nothing, so the socket buffers fill and Write blocks.
	chunk := make([]byte, 64<<10)
	deadline := time.Now().Add(patience)
	var err error
	for err == nil && time.Now().Before(deadline) {
		_, err = conn.Write(chunk)
	}
	if !isTimeout(err) {
		t.Fatalf("Write = %v, want a timeout", err)
	}
}

// TestPastDeadlineAtOnce checks that a deadline in the past interrupts a
// blocked Read immediately, not at the next tick: here the tick is too long
// for the test to see it.
func TestPastDeadlineAtOnce(t *testing.T) {
	conn, client := connect(t, listen(t, time.Hour))
	done := make(chan error, 1)
	go func() { done <- read(conn) }()
	time.Sleep(10 * time.Millisecond) // most likely blocked in Read by now; either way it must end
	setReadDeadline(t, conn, time.Unix(1, 0))
	if err := <-done; !isTimeout(err) {
		t.Fatalf("Read = %v, want a timeout", err)
	}

	// Clearing the deadline makes the connection readable again.
	setReadDeadline(t, conn, time.Time{})
	checkReadable(t, conn, client)
}

func TestClearedDeadlineDoesNotFire(t *testing.T) {
	conn, client := connect(t, listen(t, 5*time.Millisecond))
	setReadDeadline(t, conn, time.Now().Add(20*time.Millisecond))
	setReadDeadline(t, conn, time.Time{})
	time.Sleep(100 * time.Millisecond) // well past the cleared deadline
	checkReadable(t, conn, client)
}

func TestNewDeadlineAfterExpiry(t *testing.T) {
	conn, client := connect(t, listen(t, 5*time.Millisecond))
	setReadDeadline(t, conn, time.Now().Add(10*time.Millisecond))
	if err := read(conn); !isTimeout(err) {
		t.Fatalf("Read = %v, want a timeout", err)
	}
	setReadDeadline(t, conn, time.Now().Add(patience))
	checkReadable(t, conn, client)
}

// TestDeadlinesOutliveListener checks that deadlines still fire after the
// listener is closed, as during a graceful shutdown, and that the checking
// goroutine starts again for later connections once it has stopped.
func TestDeadlinesOutliveListener(t *testing.T) {
	l := listen(t, 5*time.Millisecond)
	first, _ := connect(t, l)
	first.Close()
	waitStopped(t, l)

	conn, _ := connect(t, l)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := read(conn); !isTimeout(err) {
		t.Fatalf("Read after the listener closed = %v, want a timeout", err)
	}
	conn.Close()
	waitStopped(t, l)
}

// waitStopped waits for the checking goroutine to stop, which it does once no
// connection is open.
func waitStopped(t *testing.T, l *Listener) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		l.mu.Lock()
		running, open := l.reaper, len(l.conns)
		l.mu.Unlock()
		if !running && open == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("checking goroutine still running with %d connections", open)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOtherConnectionsUnchanged(t *testing.T) {
	ln, err := net.Listen("unix", filepath.Join(t.TempDir(), "sock"))
	if err != nil {
		t.Fatal(err)
	}
	l := NewListener(ln, time.Millisecond)
	defer l.Close()
	client, err := net.Dial("unix", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	c, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.(*net.UnixConn); !ok {
		t.Errorf("Accept returned %T, want the *net.UnixConn unchanged", c)
	}
	checkReadable(t, c, client)
}
