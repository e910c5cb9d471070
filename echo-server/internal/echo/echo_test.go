package echo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// newRequest returns a server-side request as net/http would hand it to a
// handler, from 192.0.2.1:1234.
func newRequest(method, target string, header http.Header, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	for k, v := range header {
		r.Header[k] = v
	}
	return r
}

func TestHandlerText(t *testing.T) {
	tests := []struct {
		name   string
		method string
		target string
		header http.Header
		body   string
		want   string
	}{
		{
			name:   "curl",
			method: http.MethodGet,
			target: "/path?q=1",
			header: http.Header{"Accept": {"*/*"}, "User-Agent": {"curl/8.5.0"}},
			want: "RemoteAddr: 192.0.2.1:1234\n" +
				"Method: GET\n" +
				"RequestURI: /path?q=1\n" +
				"Proto: HTTP/1.1\n" +
				"ContentLength: 0\n" +
				`Headers: {"Accept":["*/*"],"User-Agent":["curl/8.5.0"]}` + "\n",
		},
		{
			name:   "no headers",
			method: http.MethodDelete,
			target: "/",
			want: "RemoteAddr: 192.0.2.1:1234\n" +
				"Method: DELETE\n" +
				"RequestURI: /\n" +
				"Proto: HTTP/1.1\n" +
				"ContentLength: 0\n" +
				"Headers: {}\n",
		},
		{
			name:   "content length is decimal, body not echoed",
			method: http.MethodPost,
			target: "/upload",
			body:   strings.Repeat("x", 255),
			want: "RemoteAddr: 192.0.2.1:1234\n" +
				"Method: POST\n" +
				"RequestURI: /upload\n" +
				"Proto: HTTP/1.1\n" +
				"ContentLength: 255\n" +
				"Headers: {}\n",
		},
		{
			name:   "sorted keys, repeated values, escaping",
			method: http.MethodGet,
			target: "/%2F?a=<b>",
			header: http.Header{
				"X-Zed":   {"last"},
				"X-Multi": {"one", "two"},
				"X-Html":  {`<a href="x">&</a>`},
				"X-Bytes": {"tab\there \\ \x7f \u2028 caf\u00e9 \xff"},
			},
			want: "RemoteAddr: 192.0.2.1:1234\n" +
				"Method: GET\n" +
				"RequestURI: /%2F?a=<b>\n" +
				"Proto: HTTP/1.1\n" +
				"ContentLength: 0\n" +
				`Headers: {"X-Bytes":["tab\there \\ ` + "\x7f" + ` \u2028 café \ufffd"],` +
				`"X-Html":["\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e"],` +
				`"X-Multi":["one","two"],"X-Zed":["last"]}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(tt.method, tt.target, tt.header, strings.NewReader(tt.body))
			w := httptest.NewRecorder()
			NewHandler(1<<20).ServeHTTP(w, r)

			if w.Code != http.StatusOK {
				t.Errorf("status = %d, want 200", w.Code)
			}
			if got := w.Header().Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
			if got := w.Body.String(); got != tt.want {
				t.Errorf("body:\n%s\nwant:\n%s", got, tt.want)
			}
			// The headers line is what encoding/json makes of r.Header.
			want, err := json.Marshal(r.Header)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(w.Body.String(), "\nHeaders: "+string(want)+"\n") {
				t.Errorf("headers line differs from json.Marshal: %s", want)
			}
		})
	}
}

func TestHandlerJSON(t *testing.T) {
	tests := []struct {
		name          string
		method        string
		target        string
		header        http.Header
		body          string
		contentLength int64 // -1: unknown, as for a chunked body
		want          string
	}{
		{
			name:          "put with a body",
			method:        http.MethodPut,
			target:        "/items/7?x=y",
			header:        http.Header{"Content-Type": {"text/plain"}},
			body:          "body",
			contentLength: 4,
			want: `{"remoteAddr":"192.0.2.1:1234","method":"PUT","requestURI":"/items/7?x=y","proto":"HTTP/1.1",` +
				`"contentLength":4,"headers":{"Accept":["application/json"],"Content-Type":["text/plain"]},"host":"example.com:8080"}` + "\n",
		},
		{
			// 26 bytes: "1a" in hex, which is not even a JSON number.
			name:          "content length is decimal",
			method:        http.MethodPost,
			target:        "/upload",
			body:          strings.Repeat("x", 26),
			contentLength: 26,
			want: `{"remoteAddr":"192.0.2.1:1234","method":"POST","requestURI":"/upload","proto":"HTTP/1.1",` +
				`"contentLength":26,"headers":{"Accept":["application/json"]},"host":"example.com:8080"}` + "\n",
		},
		{
			name:          "unknown content length",
			method:        http.MethodPost,
			target:        "/chunked",
			body:          "chunk",
			contentLength: -1,
			want: `{"remoteAddr":"192.0.2.1:1234","method":"POST","requestURI":"/chunked","proto":"HTTP/1.1",` +
				`"contentLength":-1,"headers":{"Accept":["application/json"]},"host":"example.com:8080"}` + "\n",
		},
		{
			name:   "strings escaped as encoding/json does",
			method: http.MethodGet,
			target: "/a?b=<c>&d=\"e\"",
			header: http.Header{"X-Html": {"<&>"}},
			want: `{"remoteAddr":"192.0.2.1:1234","method":"GET","requestURI":"/a?b=\u003cc\u003e\u0026d=\"e\"","proto":"HTTP/1.1",` +
				`"contentLength":0,"headers":{"Accept":["application/json"],"X-Html":["\u003c\u0026\u003e"]},"host":"example.com:8080"}` + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{"Accept": {"application/json"}}
			for k, v := range tt.header {
				header[k] = v
			}
			r := newRequest(tt.method, tt.target, header, nil)
			r.Body = io.NopCloser(strings.NewReader(tt.body))
			r.ContentLength = tt.contentLength
			r.Host = "example.com:8080"
			w := httptest.NewRecorder()
			NewHandler(1<<20).ServeHTTP(w, r)

			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200", w.Code)
			}
			if got := w.Header().Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if got := w.Body.String(); got != tt.want {
				t.Errorf("body:\n%s\nwant:\n%s", got, tt.want)
			}
			var decoded struct{ ContentLength int64 }
			if err := json.Unmarshal(w.Body.Bytes(), &decoded); err != nil || decoded.ContentLength != tt.contentLength {
				t.Errorf("decoded contentLength = %d, %v; want %d", decoded.ContentLength, err, tt.contentLength)
			}
		})
	}
}

// TestAppendString pins the escaping of every kind of byte against both a
// literal and encoding/json, which the README promises to match.
func TestAppendString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"plain ASCII ~", `"plain ASCII ~"`},
		{`quote " backslash \`, `"quote \" backslash \\"`},
		{"<a href='x'>&</a>", `"\u003ca href='x'\u003e\u0026\u003c/a\u003e"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"del \x7f stays", "\"del \x7f stays\""},
		{"caf\u00e9 \u20ac \U0001F600", "\"caf\u00e9 \u20ac \U0001F600\""},
		{"line\u2028para\u2029end", `"line\u2028para\u2029end"`},
		// Invalid UTF-8, the lowest non-ASCII byte included, becomes U+FFFD;
		// a valid U+FFFD stays as it is.
		{"a\x80b", `"a\ufffdb"`},
		{"\xff\xfe", `"\ufffd\ufffd"`},
		{"\xe2\x82", `"\ufffd\ufffd"`},
		{"valid \ufffd", "\"valid \ufffd\""},
	}
	for _, tt := range tests {
		got := string(appendString([]byte("prefix:"), tt.in))
		if got != "prefix:"+tt.want {
			t.Errorf("appendString(%q) = %s, want %s", tt.in, got, "prefix:"+tt.want)
		}
		marshalled, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if string(marshalled) != tt.want {
			t.Errorf("json.Marshal(%q) = %s, the test's want %s is wrong", tt.in, marshalled, tt.want)
		}
	}
}

// TestPooled pins the memory bound: a buffer grown by one request with huge
// headers is not kept for later requests.
func TestPooled(t *testing.T) {
	tests := []struct {
		capacity int
		want     bool
	}{
		{0, true},
		{1024, true},
		{maxPooledBuffer, true},
		{maxPooledBuffer + 1, false},
		{4 * maxPooledBuffer, false},
	}
	for _, tt := range tests {
		if got := pooled(make([]byte, 0, tt.capacity)); got != tt.want {
			t.Errorf("pooled(cap %d) = %v, want %v", tt.capacity, got, tt.want)
		}
	}
}

func TestWantsJSON(t *testing.T) {
	tests := []struct {
		accept []string
		want   bool
	}{
		{nil, false},
		{[]string{"*/*"}, false},
		{[]string{"application/*"}, false},
		{[]string{"text/plain"}, false},
		{[]string{"application/json"}, true},
		{[]string{"Application/JSON"}, true},
		{[]string{"application/json; charset=utf-8"}, true},
		{[]string{"text/html, application/json;q=0.9, */*;q=0.8"}, true},
		{[]string{"text/html", "application/json"}, true},
		{[]string{" application/json ;q=1"}, true},
		{[]string{"application/json;q=0"}, false},
		{[]string{"application/json; q=0.000"}, false},
		{[]string{"application/json;q=0.001"}, true},
		{[]string{"application/jsonx"}, false},
		{[]string{"application/problem+json"}, false},
		{[]string{","}, false},
	}
	for _, tt := range tests {
		h := http.Header{"X-Other": {"application/json"}}
		if tt.accept != nil {
			h["Accept"] = tt.accept
		}
		if got := wantsJSON(sortedFields(nil, h)); got != tt.want {
			t.Errorf("wantsJSON(Accept: %q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
}

// unreadable fails the test when the handler reads it.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("handler read a body it should have rejected on its Content-Length")
	return 0, io.EOF
}

func TestBodyLimit(t *testing.T) {
	const limit = 16
	tests := []struct {
		name          string
		body          io.Reader
		contentLength int64 // -1: unknown, as for a chunked body
		wantStatus    int
	}{
		{"empty", http.NoBody, 0, http.StatusOK},
		{"under the limit", strings.NewReader("hello"), 5, http.StatusOK},
		{"at the limit", strings.NewReader(strings.Repeat("x", limit)), limit, http.StatusOK},
		{"declared over the limit is not read", unreadable{t}, limit + 1, http.StatusRequestEntityTooLarge},
		{"chunked under the limit", strings.NewReader("hello"), -1, http.StatusOK},
		{"chunked at the limit", strings.NewReader(strings.Repeat("x", limit)), -1, http.StatusOK},
		{"chunked over the limit", strings.NewReader(strings.Repeat("x", limit+1)), -1, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(http.MethodPost, "/", nil, nil)
			r.Body = io.NopCloser(tt.body)
			if tt.body == http.NoBody {
				r.Body = http.NoBody
			}
			r.ContentLength = tt.contentLength
			w := httptest.NewRecorder()
			NewHandler(limit).ServeHTTP(w, r)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusRequestEntityTooLarge {
				if got, want := w.Body.String(), "request body exceeds 16 bytes\n"; got != want {
					t.Errorf("body = %q, want %q", got, want)
				}
				if got := w.Header().Get("Connection"); got != "close" {
					t.Errorf("Connection = %q, want close", got)
				}
				return
			}
			if !strings.HasPrefix(w.Body.String(), "RemoteAddr: ") {
				t.Errorf("body = %q, want the echo", w.Body.String())
			}
		})
	}
}

// failingReader fails like a client that went away mid-body.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestBodyReadError(t *testing.T) {
	r := newRequest(http.MethodPost, "/", nil, nil)
	r.Body = io.NopCloser(failingReader{})
	r.ContentLength = 10
	w := httptest.NewRecorder()
	NewHandler(1<<20).ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", w.Code)
	}
}
