package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"echo-server/internal/config"
	"echo-server/internal/shutdowntest"
)

// patience bounds every wait of these tests. It is far above what any step
// needs, so a loaded machine slows the tests down without failing them.
const patience = 30 * time.Second

// defaults returns the default configuration.
func defaults(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Parse(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// start runs the server for h on a free port of 127.0.0.1 until the test
// ends or stop is called; stop shuts it down and returns what Run returned.
func start(t *testing.T, cfg config.Config, h http.Handler, log *slog.Logger) (addr string, stop func() error) {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	ln, err := Listen(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, New(cfg, h, log), ln, cfg.ShutdownTimeout, log) }()
	var once sync.Once
	var runErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(patience + cfg.ShutdownTimeout):
				runErr = errors.New("server did not stop")
			}
		})
		return runErr
	}
	t.Cleanup(func() { stop() })
	return ln.Addr().String(), stop
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestNewAppliesConfig(t *testing.T) {
	cfg := defaults(t)
	cfg.ReadHeaderTimeout, cfg.ReadTimeout, cfg.WriteTimeout, cfg.IdleTimeout = 1*time.Second, 2*time.Second, 3*time.Second, 4*time.Second
	cfg.MaxHeaderBytes = 5000
	srv := New(cfg, http.NotFoundHandler(), discardLogger())
	got := []any{srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes, srv.ErrorLog != nil}
	want := []any{1 * time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 5000, true}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("server settings = %v, want %v", got, want)
			break
		}
	}
}

func TestRoutes(t *testing.T) {
	cfg := defaults(t)
	addr, _ := start(t, cfg, NewHandler(cfg, discardLogger()), discardLogger())
	const text, jsonType = "text/plain; charset=utf-8", "application/json"
	tests := []struct {
		method, path, accept string
		wantStatus           int
		wantType             string
		wantBody             string // prefix
		wantAllow            string
	}{
		{http.MethodGet, "/healthz", "", http.StatusOK, text, "ok\n", ""},
		{http.MethodHead, "/healthz", "", http.StatusOK, text, "", ""},
		{http.MethodPost, "/healthz", "", http.StatusMethodNotAllowed, text, "method not allowed\n", "GET, HEAD"},
		{http.MethodDelete, "/healthz", "", http.StatusMethodNotAllowed, text, "method not allowed\n", "GET, HEAD"},
		{http.MethodGet, "/healthz/", "", http.StatusOK, text, "RemoteAddr: 127.0.0.1:", ""},
		{http.MethodGet, "/healthz?probe=1", "", http.StatusOK, text, "ok\n", ""},
		{http.MethodPost, "/anything", "", http.StatusOK, text, "RemoteAddr: 127.0.0.1:", ""},
		{http.MethodGet, "//not/../cleaned", "", http.StatusOK, text, "RemoteAddr: 127.0.0.1:", ""},
		{http.MethodHead, "/echo", "", http.StatusOK, text, "", ""},
		{http.MethodGet, "/json", "application/json", http.StatusOK, jsonType, `{"remoteAddr":"127.0.0.1:`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://"+addr+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if !strings.HasPrefix(string(body), tt.wantBody) || (tt.wantBody == "" && len(body) > 0) {
				t.Errorf("body = %q, want it to start with %q", body, tt.wantBody)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := resp.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tt.wantAllow)
			}
			if strings.HasPrefix(tt.wantBody, "RemoteAddr") && !strings.Contains(string(body), "\nRequestURI: "+tt.path+"\n") {
				t.Errorf("echo does not report the path as sent: %q", body)
			}
		})
	}
}

// rawRequest sends raw on a new connection to addr and returns the response,
// or the error that ended the connection.
func rawRequest(t *testing.T, addr, raw string) (*http.Response, error) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(patience)) //nolint:errcheck // a failed deadline shows as a failed read.
	if _, err := io.WriteString(conn, raw); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, err
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, err
}

func TestEchoesOptionsStar(t *testing.T) {
	cfg := defaults(t)
	addr, _ := start(t, cfg, NewHandler(cfg, discardLogger()), discardLogger())
	resp, err := rawRequest(t, addr, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength <= 0 {
		t.Errorf("OPTIONS * got an empty answer (Content-Length %d), want the echo", resp.ContentLength)
	}
}

// TestTimeoutsCutOffSlowClients checks each read-side timeout against a
// client that sends its bytes slowly, one every 10ms, or not at all: the
// server must close the connection once the timeout has passed, however
// steadily the bytes arrive.
func TestTimeoutsCutOffSlowClients(t *testing.T) {
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name      string
		configure func(*config.Config) // sets the timeout under test
		prefix    string               // sent at once
		trickle   string               // then sent a byte at a time
		wantReply []string             // what the server may answer before closing
	}{
		{
			name:      "header timeout",
			configure: func(c *config.Config) { c.ReadHeaderTimeout = timeout },
			prefix:    "GET / HTTP/1.1\r\nHost: x\r\n",
			trickle:   strings.Repeat("X-Slow: header\r\n", 1000),
			// net/http answers 400 or nothing.
			wantReply: []string{"", "HTTP/1.1 400 "},
		},
		{
			name:      "read timeout",
			configure: func(c *config.Config) { c.ReadTimeout = timeout },
			prefix:    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n",
			trickle:   strings.Repeat("b", 100000),
			// The handler fails to read the body and answers 400, which a
			// client still sending may lose to the reset of the close.
			wantReply: []string{"HTTP/1.1 400 ", ""},
		},
		{
			name:      "idle timeout",
			configure: func(c *config.Config) { c.IdleTimeout = timeout },
			prefix:    "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
			// The response, then nothing until the close.
			wantReply: []string{"HTTP/1.1 200 "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaults(t)
			// Only the timeout under test may cut the client off.
			cfg.ReadHeaderTimeout, cfg.ReadTimeout, cfg.WriteTimeout, cfg.IdleTimeout = 2*patience, 2*patience, 2*patience, 2*patience
			tt.configure(&cfg)
			addr, _ := start(t, cfg, NewHandler(cfg, discardLogger()), discardLogger())

			// Before dialling: the server's clock for the first request may
			// start as soon as the connection is established.
			begin := time.Now()
			conn, err := net.DialTimeout("tcp", addr, patience)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetReadDeadline(begin.Add(patience)) //nolint:errcheck // a failed deadline shows as a failed read.
			writerDone := make(chan struct{})
			go func() {
				defer close(writerDone)
				if _, err := io.WriteString(conn, tt.prefix); err != nil {
					return
				}
				for i := range len(tt.trickle) {
					if _, err := io.WriteString(conn, tt.trickle[i:i+1]); err != nil {
						return // cut off
					}
					time.Sleep(10 * time.Millisecond)
				}
			}()

			reply, err := io.ReadAll(conn)
			elapsed := time.Since(begin)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("server kept a slow client for more than %s", patience)
			}
			if elapsed < timeout {
				t.Errorf("connection closed after %s, before the %s timeout", elapsed, timeout)
			}
			ok := false
			for _, want := range tt.wantReply {
				ok = ok || (want == "" && len(reply) == 0) || (want != "" && strings.HasPrefix(string(reply), want))
			}
			if !ok {
				t.Errorf("server answered %q, want one of %q", reply, tt.wantReply)
			}
			conn.Close()
			<-writerDone
		})
	}
}

// TestWriteTimeout checks that a response the client does not read is cut
// off at the write timeout.
func TestWriteTimeout(t *testing.T) {
	cfg := defaults(t)
	cfg.WriteTimeout = 300 * time.Millisecond
	writeErr := make(chan error, 1)
	flood := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 64<<10)
		deadline := time.Now().Add(patience)
		var err error
		for err == nil && time.Now().Before(deadline) {
			_, err = w.Write(chunk)
		}
		writeErr <- err
	})
	addr, _ := start(t, cfg, flood, discardLogger())

	conn, err := net.DialTimeout("tcp", addr, patience)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	begin := time.Now()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// The client reads nothing.
	select {
	case err := <-writeErr:
		if elapsed := time.Since(begin); elapsed < cfg.WriteTimeout {
			t.Errorf("write failed after %s, before the %s write timeout", elapsed, cfg.WriteTimeout)
		}
		if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
			t.Errorf("handler's Write = %v, want a timeout", err)
		}
	case <-time.After(2 * patience):
		t.Fatal("handler still writing")
	}
}

func TestMaxHeaderBytes(t *testing.T) {
	cfg := defaults(t)
	cfg.MaxHeaderBytes = 1024
	addr, _ := start(t, cfg, NewHandler(cfg, discardLogger()), discardLogger())
	tests := []struct {
		name       string
		valueSize  int
		wantStatus int
	}{
		{"within", 500, http.StatusOK},
		// net/http allows 4096 bytes above MaxHeaderBytes.
		{"over", 1024 + 4096 + 1, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("b", tt.valueSize) + "\r\n\r\n"
			resp, err := rawRequest(t, addr, raw)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	cfg := defaults(t)
	cfg.MaxBodyBytes = 1000
	cfg.ReadTimeout = 2 * patience // a server waiting for the body would not answer in time
	addr, _ := start(t, cfg, NewHandler(cfg, discardLogger()), discardLogger())
	tests := []struct {
		name       string
		raw        string
		wantStatus int
	}{
		{
			// Only the headers are sent: the server must answer on the
			// declared length without waiting for the body.
			name:       "declared over the limit",
			raw:        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n",
			wantStatus: http.StatusRequestEntityTooLarge,
		},
		{
			name:       "declared over the limit, expecting 100-continue",
			raw:        "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n",
			wantStatus: http.StatusRequestEntityTooLarge,
		},
		{
			name:       "chunked over the limit",
			raw:        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n" + strings.Repeat("c", 1001) + "\r\n0\r\n\r\n",
			wantStatus: http.StatusRequestEntityTooLarge,
		},
		{
			name:       "at the limit",
			raw:        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + strings.Repeat("c", 1000),
			wantStatus: http.StatusOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := rawRequest(t, addr, tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
		})
	}
}

func TestAccessLog(t *testing.T) {
	var logs shutdowntest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	cfg := defaults(t)
	cfg.AccessLog = true
	addr, stop := start(t, cfg, NewHandler(cfg, log), log)

	resp, err := http.Post("http://"+addr+"/logged?x=1", "text/plain", strings.NewReader("body"))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the log matters here.
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	var entry struct {
		Msg, Method, URI, Remote string
		Status                   int
		Bytes                    int64
		Duration                 int64
	}
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, `"msg":"request"`) {
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	if entry.Msg != "request" || entry.Method != "POST" || entry.URI != "/logged?x=1" || entry.Status != 200 ||
		entry.Bytes != resp.ContentLength || !strings.HasPrefix(entry.Remote, "127.0.0.1:") {
		t.Errorf("access log entry = %+v, want POST /logged?x=1 200 with %d bytes; logs:\n%s", entry, resp.ContentLength, logs.String())
	}
}

// TestGracefulShutdown cancels the server's context under load, as a signal
// does in the binary, and checks that no accepted request fails.
func TestGracefulShutdown(t *testing.T) {
	var logs shutdowntest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	cfg := defaults(t)

	var mu sync.Mutex
	var handled []string
	echo := NewHandler(cfg, log)
	recorded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		handled = append(handled, r.RequestURI)
		mu.Unlock()
		echo.ServeHTTP(w, r)
	})
	addr, stop := start(t, cfg, recorded, log)

	scenario := shutdowntest.Start(t, addr)
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	scenario.Finish(t)
	if err := <-stopped; err != nil {
		t.Fatalf("Run = %v, want a clean shutdown", err)
	}
	mu.Lock()
	defer mu.Unlock()
	scenario.Verify(t, handled)
	for _, msg := range []string{`"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), msg) {
			t.Errorf("logs lack %s:\n%s", msg, logs.String())
		}
	}
}

// TestShutdownDrainTimeout checks that a request outliving the drain timeout
// makes Run fail rather than hang.
func TestShutdownDrainTimeout(t *testing.T) {
	cfg := defaults(t)
	cfg.ShutdownTimeout = 200 * time.Millisecond
	entered, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	stuck := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(entered)
		<-release
	})
	addr, stop := start(t, cfg, stuck, discardLogger())

	go func() {
		resp, err := http.Get("http://" + addr + "/stuck")
		if err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case <-entered:
	case <-time.After(patience):
		t.Fatal("request never reached the handler")
	}
	err := stop()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "200ms drain") {
		t.Errorf("Run = %v, want the drain timeout", err)
	}
}

func TestRunReturnsServeError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	cfg := defaults(t)
	err = Run(context.Background(), New(cfg, http.NotFoundHandler(), discardLogger()), ln, cfg.ShutdownTimeout, discardLogger())
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("serving on %s", ln.Addr())) {
		t.Errorf("Run on a closed listener = %v, want a serve error", err)
	}
}

// TestAccessLogStatus checks the status and size that the access log
// records for the ways a handler can answer.
func TestAccessLogStatus(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantCode  int // sent to the client
		wantLog   int // logged
		wantBytes int64
	}{
		{
			name:     "body only",
			handler:  func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello") },
			wantCode: 200, wantLog: 200, wantBytes: 5,
		},
		{
			name:     "nothing written",
			handler:  func(http.ResponseWriter, *http.Request) {},
			wantCode: 200, wantLog: 200, wantBytes: 0,
		},
		{
			name: "error status",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			},
			wantCode: 413, wantLog: 413, wantBytes: int64(len("too large\n")),
		},
		{
			name: "informational status first",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusAccepted)
				io.WriteString(w, "ok")
			},
			wantCode: 202, wantLog: 202, wantBytes: 2,
		},
		{
			name: "explicit 200, then a superfluous status",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				w.WriteHeader(http.StatusInternalServerError)
			},
			wantCode: 200, wantLog: 200, wantBytes: 0,
		},
		{
			name: "status after the body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "abc")
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, "de")
			},
			wantCode: 200, wantLog: 200, wantBytes: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs shutdowntest.Buffer
			h := accessLog(tt.handler, slog.New(slog.NewJSONHandler(&logs, nil)))
			addr, stop := start(t, defaults(t), h, discardLogger())
			resp, err := http.Get("http://" + addr + "/status")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body) //nolint:errcheck // the log is checked.
			resp.Body.Close()
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			var entry struct {
				Msg    string
				Status int
				Bytes  int64
			}
			if err := json.Unmarshal([]byte(logs.String()), &entry); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			if resp.StatusCode != tt.wantCode || entry.Msg != "request" || entry.Status != tt.wantLog || entry.Bytes != tt.wantBytes {
				t.Errorf("client got %d; logged %+v; want client %d, logged status %d with %d bytes",
					resp.StatusCode, entry, tt.wantCode, tt.wantLog, tt.wantBytes)
			}
		})
	}
}

// TestAccessLogUnwrap checks that a handler behind the access log can still
// reach the connection through http.ResponseController.
func TestAccessLogUnwrap(t *testing.T) {
	flushErr := make(chan error, 1)
	h := accessLog(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flushErr <- http.NewResponseController(w).Flush()
	}), discardLogger())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if err := <-flushErr; err != nil || !w.Flushed {
		t.Errorf("Flush through the access log = %v (flushed %v), want it to reach the writer", err, w.Flushed)
	}
}
