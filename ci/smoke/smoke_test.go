package smoke

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const sample = "RemoteAddr: 10.87.0.3:53124\n" +
	"Method: GET\n" +
	"RequestURI: /smoke/echo?probe=1\n" +
	"Proto: HTTP/1.1\n" +
	"ContentLength: 0\n" +
	`Headers: {"User-Agent":["Wget"],"X-Smoke-Test":["dagger"]}` + "\n"

var sampleEcho = Echo{
	RemoteAddr:    "10.87.0.3:53124",
	Method:        "GET",
	RequestURI:    "/smoke/echo?probe=1",
	Proto:         "HTTP/1.1",
	ContentLength: 0,
	Headers:       map[string][]string{"User-Agent": {"Wget"}, "X-Smoke-Test": {"dagger"}},
}

// render writes e in the echo server's text shape.
func render(t testing.TB, e Echo) string {
	t.Helper()
	headers := []byte("{}")
	if e.Headers != nil {
		var err error
		if headers, err = json.Marshal(e.Headers); err != nil {
			t.Fatalf("marshal headers: %v", err)
		}
	}
	return fmt.Sprintf("RemoteAddr: %s\nMethod: %s\nRequestURI: %s\nProto: %s\nContentLength: %d\nHeaders: %s\n",
		e.RemoteAddr, e.Method, e.RequestURI, e.Proto, e.ContentLength, headers)
}

// replaceLine returns sample with its line n (1-based) replaced by line.
func replaceLine(n int, line string) string {
	lines := strings.Split(strings.TrimSuffix(sample, "\n"), "\n")
	lines[n-1] = line
	return strings.Join(lines, "\n") + "\n"
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    Echo
		wantErr string
	}{
		{name: "valid", body: sample, want: sampleEcho},
		{name: "no trailing newline", body: strings.TrimSuffix(sample, "\n"), want: sampleEcho},
		{name: "CRLF", body: strings.ReplaceAll(sample, "\n", "\r\n"), want: sampleEcho},
		{name: "CRLF no trailing newline", body: strings.TrimSuffix(strings.ReplaceAll(sample, "\n", "\r\n"), "\r\n"), want: sampleEcho},
		{name: "content length", body: replaceLine(5, "ContentLength: 11"), want: func() Echo { e := sampleEcho; e.ContentLength = 11; return e }()},
		{name: "unknown content length", body: replaceLine(5, "ContentLength: -1"), want: func() Echo { e := sampleEcho; e.ContentLength = -1; return e }()},
		{name: "empty remote addr", body: replaceLine(1, "RemoteAddr: "), want: func() Echo { e := sampleEcho; e.RemoteAddr = ""; return e }()},
		{name: "no headers", body: replaceLine(6, "Headers: {}"), want: func() Echo { e := sampleEcho; e.Headers = map[string][]string{}; return e }()},
		{name: "multiple values", body: replaceLine(6, `Headers: {"Accept":["a","b"]}`), want: func() Echo { e := sampleEcho; e.Headers = map[string][]string{"Accept": {"a", "b"}}; return e }()},

		{name: "empty", body: "", wantErr: "echo response: empty body: want the lines RemoteAddr, Method, RequestURI, Proto, ContentLength, Headers"},
		{name: "missing headers line", body: strings.Join(strings.Split(sample, "\n")[:5], "\n"), wantErr: `echo response: missing line 6 "Headers: ": want the lines RemoteAddr, Method, RequestURI, Proto, ContentLength, Headers`},
		{name: "missing method line", body: "RemoteAddr: 1.2.3.4:5\n", wantErr: `echo response: missing line 2 "Method: ": want the lines RemoteAddr, Method, RequestURI, Proto, ContentLength, Headers`},
		{name: "wrong line", body: replaceLine(2, "Mthod: GET"), wantErr: `echo response: line 2: want "Method: <value>", got "Mthod: GET"`},
		{name: "lines out of order", body: "Method: GET\n" + sample, wantErr: `echo response: line 1: want "RemoteAddr: <value>", got "Method: GET"`},
		{name: "lowercase name", body: replaceLine(4, "proto: HTTP/1.1"), wantErr: `echo response: line 4: want "Proto: <value>", got "proto: HTTP/1.1"`},
		{name: "stray carriage return", body: replaceLine(2, "Method: GET\r\r"), wantErr: `echo response: line 2: want "Method: <value>", got "Method: GET\r"`},
		{name: "extra line", body: sample + "Body: x\n", wantErr: `echo response: unexpected line 7 "Body: x" after Headers`},
		{name: "blank extra line", body: sample + "\n", wantErr: `echo response: unexpected line 7 "" after Headers`},
		{name: "hex content length", body: replaceLine(5, "ContentLength: 1a"), wantErr: `echo response: line 5: ContentLength "1a": want decimal digits, or -1 for unknown`},
		{name: "0x content length", body: replaceLine(5, "ContentLength: 0x1a"), wantErr: `echo response: line 5: ContentLength "0x1a": want decimal digits, or -1 for unknown`},
		{name: "plus content length", body: replaceLine(5, "ContentLength: +3"), wantErr: `echo response: line 5: ContentLength "+3": want decimal digits, or -1 for unknown`},
		{name: "negative content length", body: replaceLine(5, "ContentLength: -2"), wantErr: `echo response: line 5: ContentLength "-2": want decimal digits, or -1 for unknown`},
		{name: "empty content length", body: replaceLine(5, "ContentLength: "), wantErr: `echo response: line 5: ContentLength "": want decimal digits, or -1 for unknown`},
		{name: "overflowing content length", body: replaceLine(5, "ContentLength: 99999999999999999999"), wantErr: `echo response: line 5: ContentLength "99999999999999999999": want decimal digits, or -1 for unknown: strconv.ParseInt: parsing "99999999999999999999": value out of range`},
		{name: "bad JSON", body: replaceLine(6, `Headers: {"A":["x"]`), wantErr: "echo response: line 6: Headers is not a JSON object of header name to list of values: unexpected end of JSON input"},
		{name: "JSON string values", body: replaceLine(6, `Headers: {"A":"x"}`), wantErr: "echo response: line 6: Headers is not a JSON object of header name to list of values: json: cannot unmarshal string into Go value of type []string"},
		{name: "JSON null", body: replaceLine(6, `Headers: null`), wantErr: `echo response: line 6: Headers "null" is not a JSON object`},
		{name: "Go map syntax", body: replaceLine(6, `Headers: map[A:[x]]`), wantErr: `echo response: line 6: Headers "map[A:[x]]" is not a JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.body)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse() = %+v, want error %q", got, tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("Parse() error =\n%q\nwant\n%q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseLongLineIsClipped(t *testing.T) {
	_, err := Parse(replaceLine(2, strings.Repeat("x", 1000)))
	if err == nil {
		t.Fatal("Parse() succeeded, want error")
	}
	if want := fmt.Sprintf("got %q", strings.Repeat("x", 200)); !strings.HasSuffix(err.Error(), want) {
		t.Errorf("Parse() error = %q, want suffix %q", err, want)
	}
}

func TestDiff(t *testing.T) {
	expect := Expect{
		Method:        "POST",
		RequestURI:    "/smoke/echo?probe=2",
		Proto:         "HTTP/1.1",
		ContentLength: 11,
		Headers:       map[string]string{"X-Smoke-Test": "dagger", "Accept": "*/*"},
	}
	match := Echo{
		RemoteAddr:    "10.0.0.2:4000",
		Method:        "POST",
		RequestURI:    "/smoke/echo?probe=2",
		Proto:         "HTTP/1.1",
		ContentLength: 11,
		Headers:       map[string][]string{"X-Smoke-Test": {"dagger"}, "Accept": {"*/*"}, "User-Agent": {"Wget"}},
	}
	with := func(f func(e *Echo)) Echo {
		e := match
		e.Headers = map[string][]string{}
		for k, v := range match.Headers {
			e.Headers[k] = v
		}
		f(&e)
		return e
	}
	tests := []struct {
		name string
		got  Echo
		want []string
	}{
		{name: "match", got: match, want: nil},
		{name: "remote addr", got: with(func(e *Echo) { e.RemoteAddr = "" }), want: []string{`RemoteAddr: want non-empty, got ""`}},
		{name: "method", got: with(func(e *Echo) { e.Method = "GET" }), want: []string{`Method: want "POST", got "GET"`}},
		{name: "request URI", got: with(func(e *Echo) { e.RequestURI = "/smoke/echo" }), want: []string{`RequestURI: want "/smoke/echo?probe=2", got "/smoke/echo"`}},
		{name: "proto", got: with(func(e *Echo) { e.Proto = "HTTP/1.0" }), want: []string{`Proto: want "HTTP/1.1", got "HTTP/1.0"`}},
		{name: "content length", got: with(func(e *Echo) { e.ContentLength = 0 }), want: []string{"ContentLength: want 11, got 0"}},
		{name: "header absent", got: with(func(e *Echo) { delete(e.Headers, "X-Smoke-Test") }), want: []string{`Header X-Smoke-Test: want "dagger", got none`}},
		{name: "header different", got: with(func(e *Echo) { e.Headers["X-Smoke-Test"] = []string{"other"} }), want: []string{`Header X-Smoke-Test: want "dagger", got "other"`}},
		{name: "header among several values", got: with(func(e *Echo) { e.Headers["X-Smoke-Test"] = []string{"other", "dagger"} }), want: nil},
		{name: "header several values none match", got: with(func(e *Echo) { e.Headers["X-Smoke-Test"] = []string{"a", "b"} }), want: []string{`Header X-Smoke-Test: want "dagger", got "a", "b"`}},
		{name: "header empty value list", got: with(func(e *Echo) { e.Headers["X-Smoke-Test"] = []string{} }), want: []string{`Header X-Smoke-Test: want "dagger", got none`}},
		{name: "nil headers", got: with(func(e *Echo) { e.Headers = nil }), want: []string{`Header Accept: want "*/*", got none`, `Header X-Smoke-Test: want "dagger", got none`}},
		{
			name: "everything, in order",
			got:  Echo{Method: "GET", RequestURI: "/", Proto: "HTTP/2.0", ContentLength: -1, Headers: map[string][]string{"Accept": {"text/html"}}},
			want: []string{
				`RemoteAddr: want non-empty, got ""`,
				`Method: want "POST", got "GET"`,
				`RequestURI: want "/smoke/echo?probe=2", got "/"`,
				`Proto: want "HTTP/1.1", got "HTTP/2.0"`,
				"ContentLength: want 11, got -1",
				`Header Accept: want "*/*", got "text/html"`,
				`Header X-Smoke-Test: want "dagger", got none`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := expect.Diff(tt.got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestCases(t *testing.T) {
	cases := Cases()
	if len(cases) != 2 {
		t.Fatalf("Cases() returned %d cases, want 2", len(cases))
	}
	seen := map[string]bool{}
	var methods []string
	for _, c := range cases {
		if c.Name == "" || seen[c.Name] {
			t.Errorf("case name %q is empty or repeated", c.Name)
		}
		seen[c.Name] = true
		methods = append(methods, c.Method)
		if c.Method != "GET" && c.Method != "POST" {
			t.Errorf("%s: method %q, busybox wget sends only GET and POST", c.Name, c.Method)
		}
		if c.Method == "GET" && c.Body != "" {
			t.Errorf("%s: GET with a body", c.Name)
		}
		if c.Headers["X-Smoke-Test"] != "dagger" {
			t.Errorf("%s: headers %v, want X-Smoke-Test: dagger", c.Name, c.Headers)
		}
		want := Expect{
			Method:        c.Method,
			RequestURI:    c.Target,
			Proto:         "HTTP/1.1",
			ContentLength: int64(len(c.Body)),
			Headers:       c.Headers,
		}
		if !reflect.DeepEqual(c.Expect, want) {
			t.Errorf("%s: Expect = %+v, want %+v", c.Name, c.Expect, want)
		}
	}
	if !reflect.DeepEqual(methods, []string{"GET", "POST"}) {
		t.Errorf("methods = %v, want a GET then a POST", methods)
	}
	if get := cases[0]; !strings.Contains(get.Target, "?") {
		t.Errorf("GET target %q has no query string", get.Target)
	}
	if post := cases[1]; post.Body == "" {
		t.Error("POST case has no body")
	}
	cases[0].Expect.Headers["X-Smoke-Test"] = "changed"
	if Cases()[0].Expect.Headers["X-Smoke-Test"] != "dagger" || cases[0].Headers["X-Smoke-Test"] != "dagger" {
		t.Error("Cases() shares header maps")
	}
}

func TestWget(t *testing.T) {
	tests := []struct {
		name    string
		c       Case
		baseURL string
		want    []string
	}{
		{
			name:    "get",
			c:       Case{Method: "GET", Target: "/smoke/echo?probe=1&name=dagger", Headers: map[string]string{"X-Smoke-Test": "dagger"}},
			baseURL: "http://echo:8080",
			want:    []string{"wget", "-q", "-O", "-", "-T", "10", "--header", "X-Smoke-Test: dagger", "http://echo:8080/smoke/echo?probe=1&name=dagger"},
		},
		{
			name:    "post",
			c:       Case{Method: "POST", Target: "/smoke/echo", Headers: map[string]string{"X-Smoke-Test": "dagger"}, Body: "hello world"},
			baseURL: "http://echo:8080",
			want:    []string{"wget", "-q", "-O", "-", "-T", "10", "--header", "X-Smoke-Test: dagger", "--post-data", "hello world", "http://echo:8080/smoke/echo"},
		},
		{
			name:    "post with empty body",
			c:       Case{Method: "POST", Target: "/"},
			baseURL: "http://echo:8080",
			want:    []string{"wget", "-q", "-O", "-", "-T", "10", "--post-data", "", "http://echo:8080/"},
		},
		{
			name:    "sorted headers and trailing slash",
			c:       Case{Method: "GET", Target: "/x", Headers: map[string]string{"X-B": "2", "X-A": "1", "Accept": "*/*"}},
			baseURL: "http://echo:8080/",
			want:    []string{"wget", "-q", "-O", "-", "-T", "10", "--header", "Accept: */*", "--header", "X-A: 1", "--header", "X-B: 2", "http://echo:8080/x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 5 { // map order must not leak into the argv
				if got := tt.c.Wget(tt.baseURL); !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("Wget() = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestWgetCases(t *testing.T) {
	cases := Cases()
	want := [][]string{
		{"wget", "-q", "-O", "-", "-T", "10", "--header", "X-Smoke-Test: dagger", "http://echo:8080" + cases[0].Target},
		{"wget", "-q", "-O", "-", "-T", "10", "--header", "X-Smoke-Test: dagger", "--post-data", cases[1].Body, "http://echo:8080" + cases[1].Target},
	}
	for i, c := range cases {
		if got := c.Wget("http://echo:8080"); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s: Wget() = %q, want %q", c.Name, got, want[i])
		}
	}
}

func TestCheck(t *testing.T) {
	c := Case{
		Name:   "post-body",
		Method: "POST",
		Target: "/smoke/echo?probe=2",
		Expect: Expect{Method: "POST", RequestURI: "/smoke/echo?probe=2", Proto: "HTTP/1.1", ContentLength: 11,
			Headers: map[string]string{"X-Smoke-Test": "dagger"}},
	}
	good := render(t, Echo{RemoteAddr: "10.0.0.2:1", Method: "POST", RequestURI: "/smoke/echo?probe=2", Proto: "HTTP/1.1",
		ContentLength: 11, Headers: map[string][]string{"X-Smoke-Test": {"dagger"}}})
	if err := c.Check(good); err != nil {
		t.Errorf("Check(matching body) = %v", err)
	}

	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "several differences",
			body: sample,
			want: "smoke post-body (POST /smoke/echo?probe=2): 3 differences:\n" +
				`  Method: want "POST", got "GET"` + "\n" +
				`  RequestURI: want "/smoke/echo?probe=2", got "/smoke/echo?probe=1"` + "\n" +
				"  ContentLength: want 11, got 0",
		},
		{
			name: "one difference",
			body: strings.Replace(good, "ContentLength: 11", "ContentLength: 0", 1),
			want: "smoke post-body (POST /smoke/echo?probe=2): 1 difference:\n  ContentLength: want 11, got 0",
		},
		{
			name: "parse failure",
			body: "<html>Bad Gateway</html>\n",
			want: `smoke post-body (POST /smoke/echo?probe=2): echo response: line 1: want "RemoteAddr: <value>", got "<html>Bad Gateway</html>"; body "<html>Bad Gateway</html>\n"`,
		},
		{
			name: "parse failure quotes 200 bytes",
			body: strings.Repeat("y", 300),
			want: `smoke post-body (POST /smoke/echo?probe=2): echo response: line 1: want "RemoteAddr: <value>", got "` +
				strings.Repeat("y", 200) + `"; body "` + strings.Repeat("y", 200) + `"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Check(tt.body)
			if err == nil {
				t.Fatal("Check() = nil, want error")
			}
			if err.Error() != tt.want {
				t.Errorf("Check() error =\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestCasesCheckRenderedResponses(t *testing.T) {
	for _, c := range Cases() {
		headers := map[string][]string{"User-Agent": {"Wget"}}
		for k, v := range c.Headers {
			headers[k] = []string{v}
		}
		body := render(t, Echo{RemoteAddr: "10.87.0.3:53124", Method: c.Method, RequestURI: c.Target, Proto: "HTTP/1.1",
			ContentLength: int64(len(c.Body)), Headers: headers})
		if err := c.Check(body); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestCheckHealth(t *testing.T) {
	for _, body := range []string{"ok", "ok\n", "ok\r\n"} {
		if err := CheckHealth(body); err != nil {
			t.Errorf("CheckHealth(%q) = %v", body, err)
		}
	}
	tests := []struct{ body, want string }{
		{"", `health check /healthz: want body "ok", got ""`},
		{"OK\n", `health check /healthz: want body "ok", got "OK\n"`},
		{"ok\n\n", `health check /healthz: want body "ok", got "ok\n\n"`},
		{" ok", `health check /healthz: want body "ok", got " ok"`},
		{sample, `health check /healthz: want body "ok", got "RemoteAddr: 10.87.0.3:53124\n`},
	}
	for _, tt := range tests {
		err := CheckHealth(tt.body)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("CheckHealth(%q) = %v, want prefix %q", tt.body, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(strings.ReplaceAll(sample, "\n", "\r\n"))
	f.Add(strings.TrimSuffix(sample, "\n"))
	f.Add(replaceLine(5, "ContentLength: -1"))
	f.Add(replaceLine(5, "ContentLength: 1a"))
	f.Add(replaceLine(6, `Headers: {"A":["x","y"],"B":null,"C":[]}`))
	f.Add(replaceLine(6, "Headers: null"))
	f.Add(replaceLine(1, "RemoteAddr:"))
	f.Add("")
	f.Add("\r\n")
	f.Fuzz(func(t *testing.T, body string) {
		e, err := Parse(body)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("Parse error spans lines: %q", err)
			}
			return
		}
		again, err := Parse(render(t, e))
		if err != nil {
			t.Fatalf("Parse(render(%+v)) error = %v", e, err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("Parse(render(e)) = %+v, want %+v", again, e)
		}
	})
}
