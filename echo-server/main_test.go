package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"echo-server/internal/refused"
	"echo-server/internal/shutdowntest"
)

// patience bounds every wait of these tests. It is far above what any step
// needs, so a loaded machine slows the tests down without failing them.
const patience = 30 * time.Second

// Build information injected into the test binary, as the pipeline does.
const (
	testVersion = "1.2.3"
	testCommit  = "0123abc"
	testDate    = "2026-11-29T03:00:00Z"
)

// binary is the echo server built from this module by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "echo-server-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "echo-server")
	ldflags := fmt.Sprintf("-X main.version=%s -X main.commit=%s -X main.date=%s", testVersion, testCommit, testDate)
	build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", ldflags, "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the echo server:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is the outcome of one command.
type result struct {
	code           int
	stdout, stderr string
}

// runBinary runs the built binary to completion with only the given
// environment variables.
func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("running %v: %v", args, err)
	}
	return result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

// runInProcess calls run as main does, with only the given environment
// variables.
func runInProcess(ctx context.Context, env []string, args ...string) result {
	vars := make(map[string]string)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var stdout, stderr shutdowntest.Buffer
	code := run(ctx, args, func(k string) string { return vars[k] }, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// both runs the command in the built binary and in-process, which must agree.
func both(t *testing.T, env []string, args ...string) result {
	t.Helper()
	got := runBinary(t, env, args...)
	if in := runInProcess(context.Background(), env, args...); in != got {
		t.Errorf("in-process run of %q = %+v, binary = %+v", args, in, got)
	}
	return got
}

func TestVersion(t *testing.T) {
	want := "echo-server 1.2.3 (commit 0123abc, built 2026-11-29T03:00:00Z)\n"
	for _, args := range [][]string{{"version"}, {"-version"}, {"--version"}, {"-listen", ":1", "-version"}} {
		got := runBinary(t, nil, args...)
		if got != (result{0, want, ""}) {
			t.Errorf("echo-server %q = %+v, want exit 0 and %q", args, got, want)
		}
	}
	// Without -ldflags, the defaults.
	got := runInProcess(context.Background(), nil, "version")
	if want := "echo-server dev (commit unknown, built unknown)\n"; got != (result{0, want, ""}) {
		t.Errorf("in-process version = %+v, want %q", got, want)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"LOG_FORMAT=xml"}, nil, `echo-server: invalid -log-format "xml" (from LOG_FORMAT): want json or text`},
		{nil, []string{"-log-format", "xml"}, `echo-server: invalid -log-format "xml" (from command line): want json or text`},
		{[]string{"PORT=http"}, nil, `echo-server: invalid -listen ":http" (from PORT): want host:port with a port number from 0 to 65535, such as :8080 or 127.0.0.1:8080`},
		{[]string{"READ_HEADER_TIMEOUT=0"}, nil, `echo-server: invalid -read-header-timeout "0" (from READ_HEADER_TIMEOUT): want a positive duration such as 500ms, 5s or 1m`},
		{nil, []string{"-nope"}, "echo-server: flag provided but not defined: -nope (see echo-server -h)"},
		{nil, []string{"serve"}, `echo-server: unexpected argument "serve" (see echo-server -h)`},
		{nil, []string{"version", "now"}, `echo-server: version takes no arguments, got "now"`},
	}
	for _, tt := range tests {
		got := both(t, tt.env, tt.args...)
		if got != (result{2, "", tt.want + "\n"}) {
			t.Errorf("echo-server %q with %q = %+v\nwant exit 2 and stderr %q", tt.args, tt.env, got, tt.want)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"healthcheck", "-h"}} {
		got := both(t, nil, args...)
		if got.code != 0 || !strings.HasPrefix(got.stdout, "Usage:\n") || got.stderr != "" {
			t.Errorf("echo-server %q = %+v, want exit 0 and the usage on stdout", args, got)
		}
	}
}

// process is a running echo server binary whose JSON log is collected.
type process struct {
	cmd    *exec.Cmd
	addr   string // the bound address from the "listening" log line
	logged chan struct{}
	exited chan struct{}

	mu   sync.Mutex
	logs []map[string]any
}

// startServer starts the built binary with args, waits for its "listening"
// log line and stops it, if still running, when the test ends.
func startServer(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, args...), logged: make(chan struct{}), exited: make(chan struct{})}
	p.cmd.Env = env
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		defer close(p.logged)
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			var entry map[string]any
			if err := json.Unmarshal(scanner.Bytes(), &entry); err != nil {
				entry = map[string]any{"msg": "not JSON", "line": scanner.Text()}
			}
			p.mu.Lock()
			p.logs = append(p.logs, entry)
			p.mu.Unlock()
			if addr, ok := entry["addr"].(string); ok && entry["msg"] == "listening" {
				listening <- addr
			}
		}
	}()
	go func() {
		<-p.logged
		p.cmd.Wait() //nolint:errcheck // the exit code is read from ProcessState.
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill() //nolint:errcheck // it may have exited meanwhile.
			<-p.exited
		}
	})

	select {
	case p.addr = <-listening:
	case <-p.exited:
		t.Fatalf("server exited with %d before listening: %v", p.cmd.ProcessState.ExitCode(), p.entries())
	case <-time.After(patience):
		t.Fatalf("no listening log line within %s: %v", patience, p.entries())
	}
	return p
}

func (p *process) entries() []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]map[string]any(nil), p.logs...)
}

// find returns the first log entry with message msg, or nil.
func (p *process) find(msg string) map[string]any {
	for _, e := range p.entries() {
		if e["msg"] == msg {
			return e
		}
	}
	return nil
}

// stop sends sig and returns the exit code.
func (p *process) stop(t *testing.T, sig os.Signal) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	return p.wait(t)
}

func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(patience):
		t.Fatalf("server still running %s after the signal", patience)
		return -1
	}
}

var loopbackAddr = regexp.MustCompile(`^127\.0\.0\.1:[1-9][0-9]*$`)

func TestServeAndHealthcheck(t *testing.T) {
	p := startServer(t, nil, "-listen", "127.0.0.1:0")

	listening := p.find("listening")
	if !loopbackAddr.MatchString(p.addr) || listening["version"] != testVersion || listening["commit"] != testCommit || listening["level"] != "INFO" {
		t.Errorf("listening log line = %v, want the bound address, version %s and commit %s", listening, testVersion, testCommit)
	}

	resp, err := http.Get("http://" + p.addr + "/hello?q=1")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "\nRequestURI: /hello?q=1\n") {
		t.Errorf("echo = %q", body)
	}

	_, port, _ := net.SplitHostPort(p.addr)
	healthy := "healthy: http://127.0.0.1:" + port + "/healthz\n"
	for _, tt := range []struct {
		env  []string
		args []string
	}{
		{nil, []string{"healthcheck", "-listen", p.addr}},
		{[]string{"LISTEN_ADDR=" + p.addr}, []string{"healthcheck"}},
		{[]string{"LISTEN_ADDR=0.0.0.0:" + port}, []string{"healthcheck", "-timeout", "10s"}},
		{[]string{"PORT=" + port, "HEALTHCHECK_TIMEOUT=10s"}, []string{"healthcheck"}},
	} {
		if got := both(t, tt.env, tt.args...); got != (result{0, healthy, ""}) {
			t.Errorf("echo-server %q with %q = %+v, want exit 0 and %q", tt.args, tt.env, got, healthy)
		}
	}

	if code := p.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("exit code after SIGTERM = %d, want 0", code)
	}
	if p.find("shutting down") == nil || p.find("stopped") == nil {
		t.Errorf("logs lack the shutdown lines: %v", p.entries())
	}
}

func TestHealthcheckUnhealthy(t *testing.T) {
	addr := refused.Addr(t)
	// A listener that is never served: the probe connects, and no answer
	// comes before its timeout.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	silentURL := "http://" + silent.Addr().String() + "/healthz"
	_, port, _ := net.SplitHostPort(addr)

	tests := []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"healthcheck", "-listen", addr},
			"unhealthy: http://" + addr + "/healthz: dial tcp " + addr + ": connect: connection refused"},
		{[]string{"LISTEN_ADDR=" + addr}, []string{"healthcheck"},
			"unhealthy: http://" + addr + "/healthz: dial tcp " + addr + ": connect: connection refused"},
		{[]string{"PORT=" + port}, []string{"healthcheck"},
			"unhealthy: http://127.0.0.1:" + port + "/healthz: dial tcp 127.0.0.1:" + port + ": connect: connection refused"},
		{[]string{"HEALTHCHECK_TIMEOUT=never"}, []string{"healthcheck"},
			`unhealthy: invalid -timeout "never" (from HEALTHCHECK_TIMEOUT): want a positive duration such as 500ms, 5s or 1m`},
		{nil, []string{"healthcheck", "-listen", ":0"},
			`unhealthy: listen address ":0" has no fixed port to probe`},
		// Docker reserves exit code 2 in a HEALTHCHECK: usage errors exit 1 too.
		{nil, []string{"healthcheck", "-nope"}, "unhealthy: flag provided but not defined: -nope"},
	}
	for _, tt := range tests {
		if got := both(t, tt.env, tt.args...); got != (result{1, "", tt.want + "\n"}) {
			t.Errorf("echo-server %q with %q = %+v\nwant exit 1 and stderr %q", tt.args, tt.env, got, tt.want)
		}
	}

	// The wording of a timeout is net/http's.
	got := both(t, nil, "healthcheck", "-listen", silent.Addr().String(), "-timeout", "100ms")
	if got.code != 1 || got.stdout != "" || !strings.HasPrefix(got.stderr, "unhealthy: "+silentURL+": ") ||
		!strings.HasSuffix(got.stderr, "(Client.Timeout exceeded while awaiting headers)\n") {
		t.Errorf("healthcheck of a server that never answers = %+v, want exit 1 and one line naming %s and the timeout", got, silentURL)
	}
}

// TestListenFailure checks that a server that cannot listen exits 1 with one
// error line, in the configured log format and at any log level.
func TestListenFailure(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	cause := "listen tcp " + addr + ": bind: address already in use"
	tests := []struct {
		env  []string
		want *regexp.Regexp
	}{
		{nil, regexp.MustCompile(`^\{"time":"[^"]+","level":"ERROR","msg":"server failed","err":"` + regexp.QuoteMeta(cause) + `"\}\n$`)},
		{[]string{"LOG_LEVEL=error"}, regexp.MustCompile(`^\{"time":"[^"]+","level":"ERROR","msg":"server failed","err":"` + regexp.QuoteMeta(cause) + `"\}\n$`)},
		{[]string{"LOG_FORMAT=text"}, regexp.MustCompile(`^time=\S+ level=ERROR msg="server failed" err="` + regexp.QuoteMeta(cause) + `"\n$`)},
	}
	for _, tt := range tests {
		got := runBinary(t, tt.env, "-listen", addr)
		if got.code != 1 || got.stdout != "" || !tt.want.MatchString(got.stderr) {
			t.Errorf("echo-server -listen %s with %q = %+v, want exit 1 and stderr matching %s", addr, tt.env, got, tt.want)
		}
	}
}

// TestLogLevel checks that -log-level drops the lines below it: at warn, a
// server that starts and stops cleanly logs nothing.
func TestLogLevel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := runInProcess(ctx, nil, "-listen", "127.0.0.1:0", "-log-level", "warn")
	if got != (result{0, "", ""}) {
		t.Errorf("run at level warn = %+v, want exit 0 and no output", got)
	}
	got = runInProcess(ctx, nil, "-listen", "127.0.0.1:0", "-log-level", "info")
	if got.code != 0 || !strings.Contains(got.stderr, `"msg":"listening"`) || !strings.Contains(got.stderr, `"msg":"stopped"`) {
		t.Errorf("run at level info = %+v, want exit 0 and the listening and stopped lines", got)
	}
}

// TestLogFormatText runs the server in-process, stopped through its context
// as a signal would, with the text log format.
func TestLogFormatText(t *testing.T) {
	done := make(chan int, 1)
	var text shutdowntest.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-log-format", "text"}, func(string) string { return "" }, io.Discard, &text)
	}()
	listening := regexp.MustCompile(`level=INFO msg=listening addr=127\.0\.0\.1:[1-9][0-9]* version=dev commit=unknown\n`)
	deadline := time.Now().Add(patience)
	for !listening.MatchString(text.String()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !listening.MatchString(text.String()) || !strings.Contains(text.String(), "msg=stopped\n") {
			t.Errorf("run = %d, want 0; text log:\n%s", code, text.String())
		}
	case <-time.After(patience):
		t.Fatal("run did not return after its context ended")
	}
}

// TestGracefulShutdownOnSignal signals the real process in the middle of a
// continuous load and checks that every request it accepted succeeded, using
// its access log as the record of what it accepted.
func TestGracefulShutdownOnSignal(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startServer(t, []string{"ACCESS_LOG=true"}, "-listen", "127.0.0.1:0")
			scenario := shutdowntest.Start(t, p.addr)
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			scenario.Finish(t)
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit code = %d, want 0; logs: %v", code, p.find("server failed"))
			}

			var handled []string
			for _, e := range p.entries() {
				if uri, ok := e["uri"].(string); ok && e["msg"] == "request" {
					handled = append(handled, uri)
				}
			}
			scenario.Verify(t, handled)
			shutdown := p.find("shutting down")
			if want := sig.String() + " signal received"; shutdown == nil || shutdown["reason"] != want {
				t.Errorf("shutdown log line = %v, want reason %q", shutdown, want)
			}
			if p.find("stopped") == nil {
				t.Error(`no "stopped" log line`)
			}
		})
	}
}

// TestShutdownCutShort checks the two ways a shutdown ends before its
// in-flight requests: a second signal, and the drain timeout.
func TestShutdownCutShort(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		second   bool // send a second signal once the shutdown has started
		wantCode int  // -1: killed by the signal
	}{
		{"second signal", []string{"-listen", "127.0.0.1:0"}, true, -1},
		{"drain timeout", []string{"-listen", "127.0.0.1:0", "-shutdown-timeout", "200ms"}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startServer(t, nil, tt.args...)
			// A request whose body never comes stays in flight.
			stuck, err := shutdowntest.StartInFlight(p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer stuck.Close()
			if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(patience)
			for p.find("shutting down") == nil && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if tt.second {
				if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			if code := p.wait(t); code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; logs: %v", code, tt.wantCode, p.entries())
			}
			if failed := p.find("server failed"); tt.wantCode == 1 && failed == nil {
				t.Errorf(`no "server failed" log line: %v`, p.entries())
			}
		})
	}
}
