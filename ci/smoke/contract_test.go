//go:build unix

package smoke_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dagger/echo-server/smoke"
)

// serverDir is the echo server's Go module, relative to this package.
const serverDir = "../../echo-server"

// TestContract builds the real echo server, sends it every smoke case and
// the health check with net/http, and checks the answers with the same code
// the image smoke test uses.
func TestContract(t *testing.T) {
	dir, err := filepath.Abs(serverDir)
	if err != nil {
		t.Fatalf("locate echo server: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("echo server module not found (the contract needs the real server): %v", err)
	}
	bin := buildServer(t, dir)
	srv := startServer(t, bin)

	client := &http.Client{Timeout: 10 * time.Second}
	for _, c := range smoke.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			var body io.Reader
			if c.Method == http.MethodPost {
				body = strings.NewReader(c.Body)
			}
			req, err := http.NewRequestWithContext(t.Context(), c.Method, "http://"+srv.addr+c.Target, body)
			if err != nil {
				t.Fatalf("new request: %v", err)
			}
			for name, value := range c.Headers {
				req.Header.Set(name, value)
			}
			status, got := do(t, client, req)
			if status != http.StatusOK {
				t.Errorf("%s %s: status %d, want 200", c.Method, c.Target, status)
			}
			if err := c.Check(got); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("health", func(t *testing.T) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+srv.addr+smoke.HealthPath, nil)
		if err != nil {
			t.Fatalf("new request: %v", err)
		}
		status, got := do(t, client, req)
		if status != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", smoke.HealthPath, status)
		}
		if err := smoke.CheckHealth(got); err != nil {
			t.Error(err)
		}
	})

	if err := srv.stop(); err != nil {
		t.Errorf("stop echo server with SIGTERM: %v\nserver log:\n%s", err, srv.log())
	}
}

// do sends req and returns the status code and body.
func do(t *testing.T, client *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, string(b)
}

// buildServer builds the echo server in dir and returns the binary's path.
func buildServer(t *testing.T, dir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "echo-server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build echo server in %s: %v\n%s", dir, err, out)
	}
	return bin
}

// server is a running echo server process.
type server struct {
	cmd  *exec.Cmd
	addr string        // bound address from the "listening" log line
	done chan struct{} // closed when stderr reaches EOF

	mu     sync.Mutex
	stderr strings.Builder
}

// startServer starts bin on a free loopback port and waits for its
// "listening" log line. The process is killed when the test ends.
func startServer(t *testing.T, bin string) *server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, "-listen", "127.0.0.1:0", "-log-format", "json")
	cmd.WaitDelay = 5 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatalf("stderr pipe: %v", err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start echo server: %v", err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-s.done
			_ = cmd.Wait()
		}
	})

	addrc := make(chan string, 1)
	go s.readLog(stderr, addrc)
	select {
	case s.addr = <-addrc:
	case <-s.done:
		t.Fatalf("echo server exited before logging \"listening\"; log:\n%s", s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("echo server did not log \"listening\" within 30s; log:\n%s", s.log())
	}
	if s.addr == "" {
		t.Fatalf("echo server logged \"listening\" without an addr attribute; log:\n%s", s.log())
	}
	return s
}

// readLog copies the server's stderr into s.stderr until EOF and sends the
// addr attribute of the first JSON line whose msg is "listening" to addrc.
func (s *server) readLog(r io.Reader, addrc chan<- string) {
	defer close(s.done)
	sent := false
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		s.mu.Lock()
		s.stderr.WriteString(line + "\n")
		s.mu.Unlock()
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if !sent && json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
			addrc <- rec.Addr
			sent = true
		}
	}
	// Keep draining after a scan error so the server never blocks on a full pipe.
	_, _ = io.Copy(io.Discard, r)
}

// log returns what the server wrote to stderr so far.
func (s *server) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// stop sends SIGTERM and waits for the server to exit, returning an error
// unless it exits with code 0 within 15 seconds.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		_ = s.cmd.Wait()
		return errors.New("still running 15s after SIGTERM; killed")
	}
	return s.cmd.Wait()
}
