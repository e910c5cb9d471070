// Package smoke holds the smoke test of the echo-server image: the requests
// sent to the running server, the busybox wget command lines that send them,
// and the checks of what the server answers.
//
// The echo server answers any request except the health check with 200 and
// a text body of one field a line, in this order:
//
//	RemoteAddr: 10.87.0.3:53124
//	Method: GET
//	RequestURI: /smoke/echo?probe=1
//	Proto: HTTP/1.1
//	ContentLength: 0
//	Headers: {"User-Agent":["Wget"],"X-Smoke-Test":["dagger"]}
//
// ContentLength is decimal and Headers is a JSON object of header name to
// values.
package smoke

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
)

// HealthPath is the server's health endpoint.
const HealthPath = "/healthz"

// quoteLimit is how many bytes of a response an error message quotes.
const quoteLimit = 200

// fieldNames are the echo response fields, in the order the lines appear.
var fieldNames = []string{"RemoteAddr", "Method", "RequestURI", "Proto", "ContentLength", "Headers"}

// Echo is one parsed echo response.
type Echo struct {
	RemoteAddr    string
	Method        string
	RequestURI    string
	Proto         string
	ContentLength int64
	Headers       map[string][]string
}

// Parse parses an echo response body. The six field lines must appear in
// order, each as "Name: value"; a trailing newline and CRLF line endings are
// tolerated. The error names the first missing or malformed line.
func Parse(body string) (Echo, error) {
	if body == "" {
		return Echo{}, fmt.Errorf("echo response: empty body: want the lines %s", strings.Join(fieldNames, ", "))
	}
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	values := make([]string, len(fieldNames))
	for i, name := range fieldNames {
		if i >= len(lines) {
			return Echo{}, fmt.Errorf("echo response: missing line %d %q: want the lines %s", i+1, name+": ", strings.Join(fieldNames, ", "))
		}
		line := strings.TrimSuffix(lines[i], "\r")
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok || strings.Contains(line, "\r") {
			return Echo{}, fmt.Errorf("echo response: line %d: want %q, got %q", i+1, name+": <value>", clip(line))
		}
		values[i] = strings.TrimPrefix(rest, " ")
	}
	if len(lines) > len(fieldNames) {
		return Echo{}, fmt.Errorf("echo response: unexpected line %d %q after Headers", len(fieldNames)+1, clip(lines[len(fieldNames)]))
	}

	e := Echo{RemoteAddr: values[0], Method: values[1], RequestURI: values[2], Proto: values[3]}
	n, err := parseContentLength(values[4])
	if err != nil {
		return Echo{}, fmt.Errorf("echo response: line 5: %w", err)
	}
	e.ContentLength = n
	if !strings.HasPrefix(strings.TrimSpace(values[5]), "{") {
		return Echo{}, fmt.Errorf("echo response: line 6: Headers %q is not a JSON object", clip(values[5]))
	}
	if err := json.Unmarshal([]byte(values[5]), &e.Headers); err != nil {
		return Echo{}, fmt.Errorf("echo response: line 6: Headers is not a JSON object of header name to list of values: %w", err)
	}
	return e, nil
}

// parseContentLength parses a decimal content length: digits, or -1 for an
// unknown length.
func parseContentLength(s string) (int64, error) {
	if s != "-1" && (s == "" || strings.Trim(s, "0123456789") != "") {
		return 0, fmt.Errorf("ContentLength %q: want decimal digits, or -1 for unknown", clip(s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("ContentLength %q: want decimal digits, or -1 for unknown: %w", clip(s), err)
	}
	return n, nil
}

// Expect is what a smoke request must see echoed back.
type Expect struct {
	Method        string
	RequestURI    string
	Proto         string
	ContentLength int64
	Headers       map[string]string // header -> value that must be among the echoed values (canonical header names)
}

// Diff compares got with e field by field and returns one line per
// mismatch, e.g. `Method: want "POST", got "GET"`, in a stable order:
// RemoteAddr (which must not be empty), Method, RequestURI, Proto,
// ContentLength, then the expected headers sorted by name. It returns nil
// when everything matches.
func (e Expect) Diff(got Echo) []string {
	var diffs []string
	if got.RemoteAddr == "" {
		diffs = append(diffs, `RemoteAddr: want non-empty, got ""`)
	}
	for _, f := range []struct{ name, want, got string }{
		{"Method", e.Method, got.Method},
		{"RequestURI", e.RequestURI, got.RequestURI},
		{"Proto", e.Proto, got.Proto},
	} {
		if f.want != f.got {
			diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", f.name, f.want, f.got))
		}
	}
	if e.ContentLength != got.ContentLength {
		diffs = append(diffs, fmt.Sprintf("ContentLength: want %d, got %d", e.ContentLength, got.ContentLength))
	}
	echoed := textproto.MIMEHeader(got.Headers)
	for _, name := range slices.Sorted(maps.Keys(e.Headers)) {
		want := e.Headers[name]
		values := echoed.Values(name)
		// (if, not a switch: a case clause's condition is outside Go's
		// coverage blocks, where mutation testing cannot see it tested.)
		if len(values) == 0 {
			diffs = append(diffs, fmt.Sprintf("Header %s: want %q, got none", name, want))
		} else if !slices.Contains(values, want) {
			diffs = append(diffs, fmt.Sprintf("Header %s: want %q, got %s", name, want, quoteAll(values)))
		}
	}
	return diffs
}

// Case is one smoke request.
type Case struct {
	Name    string
	Method  string            // "GET" or "POST" (busybox wget can send only these)
	Target  string            // request target: path and query, e.g. "/smoke/echo?probe=1&name=dagger"
	Headers map[string]string // extra request headers
	Body    string            // POST body; empty for GET
	Expect  Expect
}

// Cases returns the smoke requests: a GET with a query string and an
// X-Smoke-Test header, and a POST with a body and the same header. Each
// expectation derives from its request: the same method, target and
// headers, Proto "HTTP/1.1" and ContentLength the length of the body.
func Cases() []Case {
	return []Case{
		newCase("get-query", "GET", "/smoke/echo?probe=1&name=dagger", ""),
		newCase("post-body", "POST", "/smoke/echo?probe=2", "smoke=dagger&probe=2"),
	}
}

// newCase returns a smoke request carrying the X-Smoke-Test header, with the
// expectation derived from it.
func newCase(name, method, target, body string) Case {
	headers := map[string]string{"X-Smoke-Test": "dagger"}
	return Case{
		Name:    name,
		Method:  method,
		Target:  target,
		Headers: headers,
		Body:    body,
		Expect: Expect{
			Method:        method,
			RequestURI:    target,
			Proto:         "HTTP/1.1",
			ContentLength: int64(len(body)),
			Headers:       maps.Clone(headers),
		},
	}
}

// Wget returns the busybox wget command line that sends c to baseURL (e.g.
// "http://echo:8080") and writes the response body to stdout:
//
//	wget -q -O - -T 10 [--header "Name: value"]... [--post-data BODY] URL
//
// Headers come in sorted order so the command line is deterministic, and
// --post-data is given for POST. Busybox wget sends HTTP/1.1 requests, with
// a Content-Length for --post-data.
func (c Case) Wget(baseURL string) []string {
	argv := []string{"wget", "-q", "-O", "-", "-T", "10"}
	for _, name := range slices.Sorted(maps.Keys(c.Headers)) {
		argv = append(argv, "--header", name+": "+c.Headers[name])
	}
	if c.Method == "POST" {
		argv = append(argv, "--post-data", c.Body)
	}
	return append(argv, strings.TrimSuffix(baseURL, "/")+c.Target)
}

// Check parses body and compares it with c.Expect. The error starts with
// `smoke <Name> (<Method> <Target>):` and then lists the differences one
// per indented line, or gives the parse error and the start of the body.
func (c Case) Check(body string) error {
	got, err := Parse(body)
	if err != nil {
		return fmt.Errorf("smoke %s (%s %s): %w; body %q", c.Name, c.Method, c.Target, err, clip(body))
	}
	diffs := c.Expect.Diff(got)
	if len(diffs) == 0 {
		return nil
	}
	noun := "differences"
	if len(diffs) == 1 {
		noun = "difference"
	}
	return fmt.Errorf("smoke %s (%s %s): %d %s:\n  %s", c.Name, c.Method, c.Target, len(diffs), noun, strings.Join(diffs, "\n  "))
}

// CheckHealth verifies the body of the health endpoint: "ok", optionally
// followed by a newline.
func CheckHealth(body string) error {
	if strings.TrimSuffix(strings.TrimSuffix(body, "\n"), "\r") != "ok" {
		return fmt.Errorf("health check %s: want body \"ok\", got %q", HealthPath, clip(body))
	}
	return nil
}

// clip returns at most the first quoteLimit bytes of s.
func clip(s string) string {
	if len(s) > quoteLimit {
		return s[:quoteLimit]
	}
	return s
}

// quoteAll returns values quoted and comma-separated.
func quoteAll(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	return strings.Join(quoted, ", ")
}
