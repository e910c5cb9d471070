package shutdowntest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"echo-server/internal/refused"
)

// fakeT records what a check reports instead of failing the test. Fatal and
// Fatalf end the calling goroutine, as they do in a test.
type fakeT struct {
	testing.TB // the real test, for Cleanup

	mu       sync.Mutex
	failures []string
}

func (f *fakeT) Helper()             {}
func (f *fakeT) Logf(string, ...any) {}

func (f *fakeT) Errorf(format string, args ...any) { f.record(fmt.Sprintf(format, args...)) }

func (f *fakeT) Fatal(args ...any) {
	f.record(fmt.Sprint(args...))
	runtime.Goexit()
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.record(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (f *fakeT) record(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, msg)
}

// failures runs check in a goroutine of its own, as a test runs, and returns
// what it reported.
func failures(t *testing.T, check func(testing.TB)) []string {
	t.Helper()
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(f)
	}()
	<-done
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failures
}

// echoServer is an in-process server whose handler reads the body and
// answers with the method and request URI, as the echo server does.
type echoServer struct {
	srv  *http.Server
	addr string

	mu      sync.Mutex
	handled []string
	slow    int // PUTs whose body was the slow body, "xxxxx"
}

// startEcho serves on a free loopback port until the test ends. When
// closeIdle is set, /idle is answered with "Connection: close".
func startEcho(t *testing.T, closeIdle bool) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &echoServer{addr: ln.Addr().String()}
	e.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		e.mu.Lock()
		e.handled = append(e.handled, r.RequestURI)
		if r.Method == http.MethodPut && string(body) == "xxxxx" {
			e.slow++
		}
		e.mu.Unlock()
		if closeIdle && r.URL.Path == "/idle" {
			w.Header().Set("Connection", "close")
		}
		fmt.Fprintf(w, "Method: %s\nRequestURI: %s\n", r.Method, r.RequestURI)
	})}
	go e.srv.Serve(ln) //nolint:errcheck // ends with the test.
	t.Cleanup(func() { e.srv.Close() })
	return e
}

func (e *echoServer) record() (handled []string, slow int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.handled), e.slow
}

// TestGracefulServerPasses runs the whole scenario against a server that
// shuts down gracefully: no check may fail, and the load must have had slow
// requests in flight.
func TestGracefulServerPasses(t *testing.T) {
	e := startEcho(t, false)
	s := Start(t, e.addr)
	if got := s.succeeded.Load(); got < warmup {
		t.Errorf("Start returned after %d successful requests, want at least %d", got, warmup)
	}
	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), patience)
		defer cancel()
		shutdown <- e.srv.Shutdown(ctx)
	}()
	s.Finish(t)
	if err := <-shutdown; err != nil {
		t.Fatal(err)
	}
	handled, slow := e.record()
	s.Verify(t, handled)
	// Every slowEvery-th request of a client is slow: some, and at most a
	// slowEvery-th of those sent.
	if sent := len(s.ok) + s.refused + len(s.failed); slow == 0 || slow > sent/slowEvery {
		t.Errorf("%d of the %d requests sent their body slowly, want some and at most 1 in %d", slow, sent, slowEvery)
	}
	for _, uri := range []string{"/in-flight", "/idle"} {
		if !slices.Contains(handled, uri) {
			t.Errorf("the server did not see %s", uri)
		}
	}
	if len(s.ok) < warmup || s.refused == 0 {
		t.Errorf("load: %d succeeded, %d refused; want at least %d and some", len(s.ok), s.refused, warmup)
	}
}

// TestAbruptServerFails closes the server at once instead of shutting it down
// gracefully: Finish must report the request that was in flight.
func TestAbruptServerFails(t *testing.T) {
	e := startEcho(t, false)
	s := Start(t, e.addr)
	e.srv.Close()
	got := failures(t, s.Finish)
	// Sending the body or reading the answer fails, depending on when the
	// client learns of the close.
	const want = "request in flight during the shutdown: "
	if !slices.ContainsFunc(got, func(f string) bool { return strings.HasPrefix(f, want) }) {
		t.Errorf("Finish reported %q, want a failure starting with %q", got, want)
	}
}

func TestStartFailures(t *testing.T) {
	refused := refused.Addr(t)
	got := failures(t, func(tb testing.TB) { Start(tb, refused) })
	want := []string{"starting the in-flight request: dial tcp " + refused + ": connect: connection refused"}
	if !slices.Equal(got, want) {
		t.Errorf("Start against a refused port reported %q, want %q", got, want)
	}

	e := startEcho(t, true)
	got = failures(t, func(tb testing.TB) { Start(tb, e.addr) })
	want = []string{"opening an idle keep-alive connection: the server did not keep the connection alive"}
	if !slices.Equal(got, want) {
		t.Errorf("Start against a server closing /idle reported %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	lost := errors.New("connection reset by peer")
	tests := []struct {
		name    string
		ok      []string
		failed  map[string]error
		refused int
		handled []string
		want    []string
	}{
		{
			name:    "all handled requests succeeded",
			ok:      []string{"c0-0", "c1-0"},
			refused: 2,
			handled: []string{"/idle", "/load?id=c1-0", "/in-flight", "/load?id=c0-0"},
		},
		{
			name:    "requests the server never saw may fail",
			ok:      []string{"c0-0"},
			failed:  map[string]error{"c0-1": lost},
			refused: 1,
			handled: []string{"/load?id=c0-0"},
		},
		{
			name:    "accepted but failed",
			ok:      []string{"c0-0"},
			failed:  map[string]error{"c0-1": lost},
			refused: 1,
			handled: []string{"/load?id=c0-0", "/load?id=c0-1"},
			want:    []string{"request c0-1 was accepted by the server but failed at the client: connection reset by peer"},
		},
		{
			name:    "succeeded but not handled",
			ok:      []string{"c0-0", "c0-1"},
			refused: 1,
			handled: []string{"/load?id=c0-0"},
			want:    []string{"request c0-1 succeeded but the server did not report handling it"},
		},
		{
			name:    "load ended before the shutdown",
			ok:      []string{"c0-0"},
			handled: []string{"/load?id=c0-0"},
			want:    []string{"no client saw the listener closed; the load ended before the shutdown"},
		},
		{
			name:    "other paths are not load requests",
			ok:      []string{"c0-0"},
			refused: 1,
			handled: []string{"/load?id=c0-0", "/other?id=c0-1", "/load?x=c0-2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Scenario{ok: make(map[string]bool), failed: tt.failed, refused: tt.refused}
			for _, id := range tt.ok {
				s.ok[id] = true
			}
			got := failures(t, func(tb testing.TB) { s.Verify(tb, tt.handled) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("Verify reported %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSend(t *testing.T) {
	e := startEcho(t, false)
	failing := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	wrongEcho := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "Method: GET\nRequestURI: /load?id=other\n")
	}))
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	if err := send(ctx, client, e.addr, "fast", false); err != nil {
		t.Errorf("send to a good server = %v", err)
	}
	begin := time.Now()
	if err := send(ctx, client, e.addr, "slow", true); err != nil {
		t.Errorf("slow send to a good server = %v", err)
	}
	// Five pieces, 20ms apart.
	if elapsed := time.Since(begin); elapsed < 100*time.Millisecond {
		t.Errorf("slow request took %s, want at least 100ms", elapsed)
	}
	handled, slow := e.record()
	if want := []string{"/load?id=fast", "/load?id=slow"}; !slices.Equal(handled, want) || slow != 1 {
		t.Errorf("server handled %q with %d slow bodies, want %q with 1", handled, slow, want)
	}

	err := send(ctx, client, failing, "x", false)
	if want := `got 503 Service Unavailable "down\n", want 200 with the echo of /load?id=x`; err == nil || err.Error() != want {
		t.Errorf("send to a failing server = %v, want %s", err, want)
	}
	err = send(ctx, client, wrongEcho, "x", false)
	if want := `got 200 OK "Method: GET\nRequestURI: /load?id=other\n", want 200 with the echo of /load?id=x`; err == nil || err.Error() != want {
		t.Errorf("send to a server echoing another request = %v, want %s", err, want)
	}
	refused := refused.Addr(t)
	if err := send(ctx, client, refused, "x", false); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("send to a refused port = %v, want ECONNREFUSED", err)
	}
}

// startHandler serves h on a free loopback port until the test ends.
func startHandler(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln) //nolint:errcheck // ends with the test.
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func TestSlowBody(t *testing.T) {
	b := &slowBody{pieces: 3}
	buf := make([]byte, 10)
	var got []string
	for {
		n, err := b.Read(buf)
		got = append(got, fmt.Sprintf("%d %q %v", n, buf[:n], err))
		if err != nil {
			break
		}
	}
	want := []string{`1 "x" <nil>`, `1 "x" <nil>`, `1 "x" <nil>`, `0 "" EOF`}
	if !slices.Equal(got, want) {
		t.Errorf("reads = %q, want %q", got, want)
	}
}

func TestWaitRefused(t *testing.T) {
	if err := waitRefused(refused.Addr(t), patience); err != nil {
		t.Errorf("waitRefused on a refused port = %v, want nil", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// Every probe must close its connection.
	closed := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			closed <- err
			return
		}
		defer conn.Close()
		conn.SetReadDeadline(time.Now().Add(patience)) //nolint:errcheck // a failed deadline shows as a failed read.
		_, err = conn.Read(make([]byte, 1))
		closed <- err
	}()
	err = waitRefused(ln.Addr().String(), 100*time.Millisecond)
	want := "the listener on " + ln.Addr().String() + " was still open 100ms after the shutdown started"
	if err == nil || err.Error() != want {
		t.Errorf("waitRefused on an open listener = %v, want %s", err, want)
	}
	if err := <-closed; !errors.Is(err, io.EOF) {
		t.Errorf("probe connection ended with %v, want closed by the client (EOF)", err)
	}
}

func TestInFlight(t *testing.T) {
	e := startEcho(t, false)
	f, err := StartInFlight(e.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Finish(); err != nil {
		t.Errorf("Finish with a good server = %v", err)
	}

	// A handler that does not read the body makes net/http answer without
	// 100 Continue.
	eager := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	_, err = StartInFlight(eager)
	if want := `got "HTTP/1.1 200 OK\r\n", want 100 Continue`; err == nil || err.Error() != want {
		t.Errorf("StartInFlight against a server not reading the body = %v, want %s", err, want)
	}

	refused := refused.Addr(t)
	_, err = StartInFlight(refused)
	if want := "dial tcp " + refused + ": connect: connection refused"; err == nil || err.Error() != want {
		t.Errorf("StartInFlight against a refused port = %v, want %s", err, want)
	}

	wrong := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) //nolint:errcheck // the answer is wrong anyway.
		http.Error(w, "nope", http.StatusInternalServerError)
	}))
	f, err = StartInFlight(wrong)
	if err != nil {
		t.Fatal(err)
	}
	err = f.Finish()
	if want := `got 500 Internal Server Error "nope\n", want 200 with the echo`; err == nil || err.Error() != want {
		t.Errorf("Finish with a wrong answer = %v, want %s", err, want)
	}

	aborting := startHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body) //nolint:errcheck // the handler aborts anyway.
		panic(http.ErrAbortHandler)
	}))
	f, err = StartInFlight(aborting)
	if err != nil {
		t.Fatal(err)
	}
	err = f.Finish()
	if want := "reading the response: "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Finish with an aborted answer = %v, want an error starting with %q", err, want)
	}

	f, err = StartInFlight(e.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close = %v", err)
	}
	if err := f.Finish(); err == nil || !strings.HasPrefix(err.Error(), "sending the body: ") {
		t.Errorf("Finish after Close = %v, want a failure sending the body", err)
	}
}

// rawServer accepts one connection on a free loopback port and answers one
// request with a keep-alive response. Once the test calls the returned
// function, it ends the connection with end.
func rawServer(t *testing.T, end func(*net.TCPConn)) (addr string, proceed func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	next := make(chan struct{})
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		if _, err := http.ReadRequest(bufio.NewReader(conn)); err != nil {
			return
		}
		if _, err := io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); err != nil {
			return
		}
		select {
		case <-next:
			end(conn.(*net.TCPConn))
		case <-time.After(patience):
		}
	}()
	return ln.Addr().String(), func() { close(next) }
}

func TestIdleConn(t *testing.T) {
	tests := []struct {
		name string
		end  func(*net.TCPConn)
		want string // prefix; empty means a clean close
	}{
		{"clean close", func(c *net.TCPConn) { c.Close() }, ""},
		{"data", func(c *net.TCPConn) { io.WriteString(c, "surprise") }, "the server sent data on an idle connection"},
		{"reset", func(c *net.TCPConn) {
			c.SetLinger(0) //nolint:errcheck // then Close resets.
			c.Close()
		}, "want a clean close, got read tcp "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, proceed := rawServer(t, tt.end)
			c, err := openIdle(addr)
			if err != nil {
				t.Fatal(err)
			}
			proceed()
			err = c.waitClosed()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("waitClosed = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Errorf("waitClosed = %v, want an error starting with %q", err, tt.want)
			}
		})
	}

	refused := refused.Addr(t)
	_, err := openIdle(refused)
	if want := "dial tcp " + refused + ": connect: connection refused"; err == nil || err.Error() != want {
		t.Errorf("openIdle against a refused port = %v, want %s", err, want)
	}
}

func TestBuffer(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				if n, err := b.Write([]byte("ab")); n != 2 || err != nil {
					t.Errorf("Write = %d, %v", n, err)
				}
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := b.String(); got != strings.Repeat("ab", 400) {
		t.Errorf("String = %q, want 400 times \"ab\"", got)
	}
}
