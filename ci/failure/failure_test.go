package failure

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func join(lines ...string) string { return strings.Join(lines, "\n") }

func read(t testing.TB, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// findSingleGQLError is the Go SDK's, copied from the generated
// dagger.gen.go: the API error that convertError reports instead of the
// function's error.
func findSingleGQLError(rerr error) *gqlerror.Error {
	switch x := rerr.(type) {
	case *gqlerror.Error:
		return x
	case interface{ Unwrap() []error }:
		return nil
	case interface{ Unwrap() error }:
		return findSingleGQLError(x.Unwrap())
	default:
		return nil
	}
}

func TestFinal(t *testing.T) {
	if err := Final(nil); err != nil {
		t.Fatalf("Final(nil) = %v, want nil", err)
	}
	api := &gqlerror.Error{Message: "exit code: 1", Path: ast.Path{ast.PathName("withExec")}}
	for _, err := range []error{
		fmt.Errorf("go test failed: %w", api),
		fmt.Errorf("build: %w", fmt.Errorf("go test failed: %w", api)),
		api,
		errors.New("--platform linux/s390x: not supported"),
	} {
		got := Final(err)
		if got.Error() != err.Error() {
			t.Errorf("Final(%q) = %q, want the same text", err, got)
		}
		if gql := findSingleGQLError(got); gql != nil {
			t.Errorf("Final(%q): the SDK would report %q alone", err, gql.Message)
		}
		if errors.Unwrap(got) != nil {
			t.Errorf("Final(%q) unwraps to %q", err, errors.Unwrap(got))
		}
	}
	// The test's copy of the SDK does reduce the wrapped error.
	if gql := findSingleGQLError(fmt.Errorf("go test failed: %w", api)); gql != api {
		t.Fatalf("findSingleGQLError = %v, want the API error", gql)
	}
}

func TestExcerptOfRealOutputs(t *testing.T) {
	for _, c := range excerptCases {
		t.Run(c.file, func(t *testing.T) {
			if got := Excerpt(read(t, c.file)); got != c.want {
				t.Errorf("Excerpt =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestStep(t *testing.T) {
	for _, c := range []struct{ step, output, want string }{
		{"go vet", read(t, "go-vet.txt"), join(
			"go vet failed:",
			"sub/sub.go:6:14: Copy passes lock by value: sync.Mutex",
			"sub/sub.go:6:46: return copies lock value: sync.Mutex",
			"main.go:10:27: fmt.Printf format %d has arg name of wrong type string",
			"main.go:11:2: fmt.Println call has possible Printf formatting directive %d",
		)},
		{"go build", "go: downloading golang.org/x/sync v0.22.0\n./main.go:3:8: undefined: x\n", join(
			"go build failed:",
			"… 1 more line above",
			"./main.go:3:8: undefined: x",
		)},
		{"go test", "", "go test failed without output"},
		{"go test", " \n\r\n", "go test failed without output"},
		{"go test", "signal: killed\n", "go test failed:\nsignal: killed"},
	} {
		if got := Step(c.step, c.output).Error(); got != c.want {
			t.Errorf("Step(%q, %q) =\n%s\nwant\n%s", c.step, c.output, got, c.want)
		}
	}
}

// numbered returns n lines "prefix1" … "prefixN".
func numbered(prefix string, from, to int) []string {
	var lines []string
	for i := from; i <= to; i++ {
		lines = append(lines, fmt.Sprintf("%s%d", prefix, i))
	}
	return lines
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("é", maxLineLen+1)
	for _, c := range []struct{ name, output, want string }{
		{"empty", "", ""},
		{"blank lines only", "\n \n\t\r\n", ""},
		{"plain tail fits", "a\n\nb \r\nc\n", "a\nb\nc"},
		{"exactly MaxLines", join(numbered("l", 1, MaxLines)...), join(numbered("l", 1, MaxLines)...)},
		{"one more", join(numbered("l", 1, MaxLines+1)...), "… 1 more line above\n" + join(numbered("l", 2, MaxLines+1)...)},
		{"two more", join(numbered("l", 1, MaxLines+2)...), "… 2 more lines above\n" + join(numbered("l", 3, MaxLines+2)...)},
		{"long line clipped", long, strings.Repeat("é", maxLineLen) + "…"},
		{"line of MaxLineLen kept", long[2:], long[2:]},
		{"go: downloading is noise", "go: downloading example.com/x v1.0.0\nsomething else", "go: downloading example.com/x v1.0.0\nsomething else"},
		{"go: error is kept", "go: downloading example.com/x v1.0.0\ngo: example.com/x@v1.0.0: missing go.sum entry", "… 1 more line above\ngo: example.com/x@v1.0.0: missing go.sum entry"},
		{"messages of a passed test dropped (-v)", join(
			"=== RUN   TestA",
			"    a_test.go:3: only a log",
			"--- PASS: TestA (0.00s)",
			"=== RUN   TestB",
			"    b_test.go:4: broken",
			"--- FAIL: TestB (0.00s)",
			"FAIL",
		), join(
			"… 5 more lines above",
			"    b_test.go:4: broken",
			"--- FAIL: TestB (0.00s)",
		)},
		{"messages of a skipped test dropped", join(
			"    a_test.go:3: skipping",
			"--- SKIP: TestA (0.00s)",
			"--- FAIL: TestB (0.00s)",
		), join(
			"… 2 more lines above",
			"--- FAIL: TestB (0.00s)",
		)},
		{"messages at the end kept", join(
			"--- FAIL: TestB (0.00s)",
			"    b_test.go:4: got:",
			"        two",
			"        lines",
		), join(
			"--- FAIL: TestB (0.00s)",
			"    b_test.go:4: got:",
			"        two",
			"        lines",
		)},
		{"indented line after noise is noise", join(
			"--- FAIL: TestB (0.00s)",
			"    b_test.go:4: got",
			"noise",
			"    indented noise",
			"\ttabbed noise",
		), join(
			"… 3 more lines above",
			"--- FAIL: TestB (0.00s)",
			"    b_test.go:4: got",
		)},
		{"tab continues a diagnostic, not a message", join(
			"# example.com/x",
			"\thave ()",
			"--- FAIL: TestB (0.00s)",
			"\tat frame",
			"    b_test.go:4: got",
			"\tat frame",
			"FAIL\texample.com/x\t0.01s",
			"\tnot a frame",
		), join(
			"… 2 more lines above",
			"# example.com/x",
			"\thave ()",
			"--- FAIL: TestB (0.00s)",
			"    b_test.go:4: got",
			"FAIL\texample.com/x\t0.01s",
			"\tnot a frame",
		)},
		{"panic and fatal error", join(
			"goroutine 1 [running]:",
			"\tpanic: inner",
			"fatal error: all goroutines are asleep - deadlock!",
			"vet: main.go:1:1: expected 'package', found x",
			"too many errors",
			"FAIL",
		), join(
			"… 2 more lines above",
			"\tpanic: inner",
			"fatal error: all goroutines are asleep - deadlock!",
			"vet: main.go:1:1: expected 'package', found x",
			"too many errors",
		)},
		{"key lines beyond MaxLines: the last ones", join(numbered("--- FAIL: Test", 1, MaxLines+3)...) + "\n    x_test.go:1: msg",
			"… 4 more lines above\n" + join(numbered("--- FAIL: Test", 4, MaxLines+3)...)},
		{"room for messages after the key lines", join(append(append([]string{"--- FAIL: TestA (0.00s)"},
			numbered("    a_test.go:1: m", 1, MaxLines)...), "FAIL\tx\t0.1s")...),
			join(append(append([]string{"… 2 more lines above", "--- FAIL: TestA (0.00s)"},
				numbered("    a_test.go:1: m", 3, MaxLines)...), "FAIL\tx\t0.1s")...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Excerpt(c.output); got != c.want {
				t.Errorf("Excerpt(%q) =\n%s\nwant\n%s", c.output, got, c.want)
			}
		})
	}
}

func TestRegistryOfRealOutputs(t *testing.T) {
	for _, c := range registryCases {
		t.Run(c.file, func(t *testing.T) {
			if got := Registry("publish", "localhost:5000/echo-server:v1", read(t, c.file)).Error(); got != c.want {
				t.Errorf("Registry =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	const ref = "registry.example.com/team/echo-server:v1"
	for _, c := range []struct{ output, want string }{
		{"", "read digest " + ref + ": the registry failed without a message"},
		{"Error: authentication required\nsome trailer", "read digest " + ref + ": the registry refused the credentials (authentication required): check --username and --password"},
		{"forbidden by policy", "read digest " + ref + ": the registry refused the credentials (forbidden by policy): check --username and --password"},
		{"UNSUPPORTED: The operation is unsupported.; detail", "read digest " + ref + ": UNSUPPORTED: The operation is unsupported."},
		{"unexpected status from PUT request to https://r/v2/m: 400 Bad Request", "read digest " + ref + ": 400 Bad Request"},
		{"status 499 Client Closed and 418 I'm a teapot", "read digest " + ref + ": 418 I'm a teapot"},
		{"unexpected status code 502 Bad Gateway", "read digest " + ref + ": the registry failed (502 Bad Gateway): it is down or overloaded; try again later"},
		{"UNAVAILABLE: service unavailable", "read digest " + ref + ": the registry failed (UNAVAILABLE: service unavailable): it is down or overloaded; try again later"},
		{"unexpected status code 429 Too Many Requests", "read digest " + ref + ": the registry is rate-limiting requests (429 Too Many Requests): wait and try again, or log in with --username and --password"},
		{"sha256:404abc 404 bytes\nlast", "read digest " + ref + ": last"},
		{"Get \"https://r/v2/\": remote error: tls: handshake failure", "read digest " + ref + ": the registry's TLS certificate is not trusted (remote error: tls: handshake failure): give it a certificate from a trusted authority"},
		{"Error: x509: certificate signed by unknown authority", "read digest " + ref + ": the registry's TLS certificate is not trusted (x509: certificate signed by unknown authority): give it a certificate from a trusted authority"},
		{"Get \"https://r/v2/\": tls: first record does not look like a TLS handshake", "read digest " + ref + ": the registry answers plain HTTP, not HTTPS (tls: first record does not look like a TLS handshake): serve it over HTTPS, or reach it as localhost"},
		{"dial tcp 10.0.0.1:443: i/o timeout", "read digest " + ref + ": cannot reach the registry (dial tcp 10.0.0.1:443: i/o timeout): check its host and port, and that it is up"},
		{"\": connection refused", "read digest " + ref + ": cannot reach the registry (connection refused): check its host and port, and that it is up"},
		{"connect: no route to host", "read digest " + ref + ": cannot reach the registry (connect: no route to host): check its host and port, and that it is up"},
		{"read: connection reset by peer", "read digest " + ref + ": cannot reach the registry (read: connection reset by peer): check its host and port, and that it is up"},
		{"connect: network is unreachable", "read digest " + ref + ": cannot reach the registry (connect: network is unreachable): check its host and port, and that it is up"},
		{"BLOB_UNKNOWN: blob unknown to registry; sha256:x\n404 Not Found", "read digest " + ref + ": the repository does not exist or is not visible to these credentials (BLOB_UNKNOWN: blob unknown to registry): check the repository name, --username and --password"},
		{strings.Repeat("x", maxLineLen+1), "read digest " + ref + ": " + strings.Repeat("x", maxLineLen) + "…"},
		// A file the tool cannot open is no refusal of the registry.
		{"Error: open /release/blobs/sha256/ab: permission denied", "read digest " + ref + ": open /release/blobs/sha256/ab: permission denied"},
		{"Error: open /release/index.json: Permission Denied", "read digest " + ref + ": open /release/index.json: Permission Denied"},
		{"DENIED: requested access to the resource is denied", "read digest " + ref + ": the registry refused the credentials (DENIED: requested access to the resource is denied): check --username and --password"},
	} {
		if got := Registry("read digest", ref, c.output).Error(); got != c.want {
			t.Errorf("Registry(%q) =\n%s\nwant\n%s", c.output, got, c.want)
		}
	}
}

func TestToolOfRealOutputs(t *testing.T) {
	for _, c := range toolCases {
		t.Run(c.file, func(t *testing.T) {
			if got := Tool("x", "y", read(t, c.file)).Error(); got != c.want {
				t.Errorf("Tool =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestTool(t *testing.T) {
	for _, c := range []struct{ output, want string }{
		{"", "syft scan oci-dir:/image failed without output"},
		{"one\ntwo", "syft scan oci-dir:/image failed:\none\ntwo"},
		{"scanning\n[0000] ERROR could not determine source\ndone", "syft scan oci-dir:/image failed: [0000] ERROR could not determine source"},
		{"\x1b[31m[0000] ERROR  could not determine source\x1b[0m\n", "syft scan oci-dir:/image failed: [0000] ERROR  could not determine source"},
		{"a\nFATAL: out of memory\nb", "syft scan oci-dir:/image failed: FATAL: out of memory"},
		{"a\nstep Failed\nb", "syft scan oci-dir:/image failed: step Failed"},
		{"an error\nError: first\nError: second", "syft scan oci-dir:/image failed:\nfirst\nsecond"},
		{join(numbered("l", 1, MaxLines+1)...), "syft scan oci-dir:/image failed:\n… 1 more line above\n" + join(numbered("l", 2, MaxLines+1)...)},
	} {
		if got := Tool("syft scan", "oci-dir:/image", c.output).Error(); got != c.want {
			t.Errorf("Tool(%q) =\n%s\nwant\n%s", c.output, got, c.want)
		}
	}
}

func TestService(t *testing.T) {
	const img = "echo-server:dev (linux/amd64)"
	for _, c := range []struct{ output, want string }{
		{"", "the service of image " + img + " did not start or its healthcheck did not pass, and it printed nothing"},
		{"listening on :8080\nhealthcheck: GET /healthz: connection refused\n", "the service of image " + img + " did not start or its healthcheck did not pass; its last output:\nlistening on :8080\nhealthcheck: GET /healthz: connection refused"},
		// Service output is shown as it is: its last lines, not go test's.
		{"--- FAIL: TestX\nserving\n", "the service of image " + img + " did not start or its healthcheck did not pass; its last output:\n--- FAIL: TestX\nserving"},
		{join(numbered("log ", 1, MaxLines+5)...), "the service of image " + img + " did not start or its healthcheck did not pass; its last output:\n… 5 more lines above\n" + join(numbered("log ", 6, MaxLines+5)...)},
	} {
		if got := Service(img, c.output).Error(); got != c.want {
			t.Errorf("Service(%q) =\n%s\nwant\n%s", c.output, got, c.want)
		}
	}
}

func FuzzExcerpt(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		f.Add(read(f, filepath.Base(file)))
	}
	f.Add("")
	f.Add("\n\n\r\n")
	f.Add(strings.Repeat("--- FAIL: T\n    a.go:1: m\n", 50))
	f.Fuzz(func(t *testing.T, output string) {
		got := Excerpt(output)
		if n := strings.Count(got, "\n") + 1; n > MaxLines+1 {
			t.Fatalf("Excerpt has %d lines, want at most %d", n, MaxLines+1)
		}
		if got == "" && len(nonEmpty(output)) > 0 {
			t.Fatalf("Excerpt(%q) is empty", output)
		}
	})
}
