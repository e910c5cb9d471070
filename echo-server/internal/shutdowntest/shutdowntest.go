// Package shutdowntest checks that a running echo server shuts down
// gracefully: under a continuous load of concurrent requests, with a request
// in flight and an idle keep-alive connection open, no request that the
// server accepted may fail.
//
// It is a helper for tests only; nothing in the server imports it.
package shutdowntest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const (
	// clients is the number of goroutines sending requests.
	clients = 16
	// maxRequests bounds the requests of one client.
	maxRequests = 5000
	// warmup is how many requests must succeed before the shutdown starts.
	warmup = 1000
	// slowEvery makes every n-th request of a client stream its body slowly,
	// so that some requests are in flight when the shutdown starts.
	slowEvery = 10
	// patience bounds every wait; it is generous so that a loaded machine
	// does not fail the test.
	patience = 60 * time.Second
	// loadPath is the path of the load's requests; their query is "id=<id>".
	loadPath = "/load"
)

// Scenario is a graceful-shutdown test in progress against one server.
type Scenario struct {
	addr     string
	inFlight *InFlight
	idle     *idleConn
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	succeeded atomic.Int64
	mu        sync.Mutex
	ok        map[string]bool  // request IDs answered 200 with their own echo
	failed    map[string]error // request IDs that failed otherwise than refused
	refused   int              // requests whose connection was refused
}

// Start opens a request that stays in flight and an idle keep-alive
// connection to the server at addr (host:port), then starts the load and
// returns once enough requests have succeeded. Call Finish after starting
// the shutdown.
func Start(t testing.TB, addr string) *Scenario {
	t.Helper()
	s := &Scenario{addr: addr, ok: make(map[string]bool), failed: make(map[string]error)}
	var err error
	if s.inFlight, err = StartInFlight(addr); err != nil {
		t.Fatalf("starting the in-flight request: %v", err)
	}
	if s.idle, err = openIdle(addr); err != nil {
		t.Fatalf("opening an idle keep-alive connection: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), patience)
	s.cancel = cancel
	transport := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: clients, DisableCompression: true}
	t.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport}
	for c := range clients {
		s.wg.Go(func() { s.client(ctx, client, c) })
	}

	// Equivalent mutant: ">" instead of ">=" waits for one more success.
	if !eventually(patience, func() bool { return s.succeeded.Load() >= warmup }) {
		t.Fatalf("only %d requests succeeded within %s", s.succeeded.Load(), patience)
	}
	return s
}

// Finish waits for the listener to close, checks that the idle connection was
// closed gracefully and that the in-flight request completes, and waits for
// the load to end. Call it after starting the shutdown.
func (s *Scenario) Finish(t testing.TB) {
	t.Helper()
	defer s.cancel()
	if err := waitRefused(s.addr, patience); err != nil {
		t.Fatal(err)
	}
	// The listener is closed, so the shutdown is under way, and the request
	// in flight since before it must still complete.
	if err := s.idle.waitClosed(); err != nil {
		t.Errorf("idle keep-alive connection: %v", err)
	}
	if err := s.inFlight.Finish(); err != nil {
		t.Errorf("request in flight during the shutdown: %v", err)
	}
	s.wg.Wait()
}

// Verify checks the load against handled, the request URIs the server
// handled: each of them must have succeeded at the client, and each success
// must be among them. Errors of requests the server never saw (refused
// connections, connections reset in the listen backlog) are not failures.
func (s *Scenario) Verify(t testing.TB, handled []string) {
	t.Helper()
	seen := make(map[string]bool)
	for _, uri := range handled {
		id, ok := strings.CutPrefix(uri, loadPath+"?id=")
		if !ok {
			continue
		}
		seen[id] = true
		if !s.ok[id] {
			t.Errorf("request %s was accepted by the server but failed at the client: %v", id, s.failed[id])
		}
	}
	for id := range s.ok {
		if !seen[id] {
			t.Errorf("request %s succeeded but the server did not report handling it", id)
		}
	}
	if s.refused <= 0 {
		t.Errorf("no client saw the listener closed; the load ended before the shutdown")
	}
	t.Logf("load: %d requests succeeded, %d refused after the listener closed, %d never reached the server",
		len(s.ok), s.refused, len(s.failed))
	for id, err := range s.failed {
		t.Logf("request %s never reached the server: %v", id, err)
	}
}

// client sends requests until its connection is refused, which means the
// listener has closed.
func (s *Scenario) client(ctx context.Context, client *http.Client, c int) {
	for i := range maxRequests {
		if ctx.Err() != nil {
			return
		}
		id := fmt.Sprintf("c%d-%d", c, i)
		err := send(ctx, client, s.addr, id, i%slowEvery == slowEvery-1)
		s.mu.Lock()
		// An if chain: the coverage profile leaves a switch's case
		// expressions out of every block, hiding them from mutation tests.
		if err == nil {
			s.ok[id] = true
			s.succeeded.Add(1)
		} else if errors.Is(err, syscall.ECONNREFUSED) {
			s.refused++
		} else {
			s.failed[id] = err
		}
		s.mu.Unlock()
		if errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
	}
}

// send makes one request and checks that the answer is its own echo. Slow
// requests are PUTs whose body arrives in pieces; like GETs they are
// idempotent and replayable, so the client may retry them on a keep-alive
// connection that the server closed while idle, before reading them.
func send(ctx context.Context, client *http.Client, addr, id string, slow bool) error {
	uri := loadPath + "?id=" + id
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+uri, nil)
	if err != nil {
		return err
	}
	if slow {
		req.Method = http.MethodPut
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(&slowBody{pieces: 5}), nil }
		req.Body, _ = req.GetBody()
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "\nRequestURI: "+uri+"\n") {
		return fmt.Errorf("got %s %q, want 200 with the echo of %s", resp.Status, body, uri)
	}
	return nil
}

// slowBody yields its pieces, one byte each, 20ms apart.
type slowBody struct{ pieces int }

func (b *slowBody) Read(p []byte) (int, error) {
	if b.pieces == 0 {
		return 0, io.EOF
	}
	b.pieces--
	time.Sleep(20 * time.Millisecond)
	p[0] = 'x'
	return 1, nil
}

// waitRefused waits up to timeout until a connection to addr is refused.
func waitRefused(addr string, timeout time.Duration) error {
	refused := eventually(timeout, func() bool {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if conn != nil {
			conn.Close()
		}
		return errors.Is(err, syscall.ECONNREFUSED)
	})
	if !refused {
		return fmt.Errorf("the listener on %s was still open %s after the shutdown started", addr, timeout)
	}
	return nil
}

// eventually calls done every 10ms until it returns true, for up to
// timeout, and reports whether it did.
func eventually(timeout time.Duration, done func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !done() {
		if time.Now().After(deadline) {
			return false
		}
		// Equivalent mutant: "10 / time.Millisecond" polls without pause.
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// InFlight is a request the server is handling and that cannot complete
// until Finish sends its body: it announces a body with
// "Expect: 100-continue", and net/http sends "100 Continue" only once the
// handler reads the body.
type InFlight struct {
	conn net.Conn
	br   *bufio.Reader
}

const inFlightBody = "in flight"

// StartInFlight sends the request to the server at addr and returns once
// the handler is reading its body.
func StartInFlight(addr string) (*InFlight, error) {
	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Now().Add(2 * patience)) //nolint:errcheck // a failed deadline shows as a failed read.
	f := &InFlight{conn: conn, br: bufio.NewReader(conn)}
	_, err = fmt.Fprintf(conn, "POST /in-flight HTTP/1.1\r\nHost: %s\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", addr, len(inFlightBody))
	if err == nil {
		var line string
		line, err = f.br.ReadString('\n')
		if err == nil && !strings.HasPrefix(line, "HTTP/1.1 100 ") {
			err = fmt.Errorf("got %q, want 100 Continue", line)
		}
		for err == nil && line != "\r\n" {
			line, err = f.br.ReadString('\n')
		}
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return f, nil
}

// Finish sends the body and checks that the answer is the echo.
func (f *InFlight) Finish() error {
	defer f.conn.Close()
	if _, err := io.WriteString(f.conn, inFlightBody); err != nil {
		return fmt.Errorf("sending the body: %w", err)
	}
	resp, err := http.ReadResponse(f.br, nil)
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the response body: %w", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "RequestURI: /in-flight\n") {
		return fmt.Errorf("got %s %q, want 200 with the echo", resp.Status, body)
	}
	return nil
}

// Close abandons the request.
func (f *InFlight) Close() error { return f.conn.Close() }

// idleConn is a keep-alive connection that has served one request.
type idleConn struct {
	conn net.Conn
	br   *bufio.Reader
}

func openIdle(addr string) (*idleConn, error) {
	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		return nil, err
	}
	c := &idleConn{conn: conn, br: bufio.NewReader(conn)}
	conn.SetDeadline(time.Now().Add(2 * patience)) //nolint:errcheck // a failed deadline shows as a failed read.
	if _, err := fmt.Fprintf(conn, "GET /idle HTTP/1.1\r\nHost: %s\r\n\r\n", addr); err != nil {
		conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if err == nil && resp.Close {
		err = errors.New("the server did not keep the connection alive")
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// waitClosed returns nil once the server has closed the connection with a
// clean end of stream, and an error if it reset it or sent anything.
func (c *idleConn) waitClosed() error {
	defer c.conn.Close()
	n, err := c.br.Read(make([]byte, 1))
	// An if chain, as in client.
	if n > 0 {
		return errors.New("the server sent data on an idle connection")
	}
	if errors.Is(err, io.EOF) {
		return nil
	}
	return fmt.Errorf("want a clean close, got %w", err)
}

// Buffer is a bytes.Buffer safe for concurrent use: it collects a server's
// log output while the test reads it.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
