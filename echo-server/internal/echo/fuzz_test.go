package echo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

const fuzzBodyLimit = 64

// FuzzHandler sends arbitrary requests, parsed from the wire by net/http as
// the server would, through the handler and checks that both response shapes
// describe the request exactly: the text shape parses back into the same
// fields, the headers are byte for byte what encoding/json produces and decode
// back to the same map, ContentLength is decimal, and the body limit holds.
func FuzzHandler(f *testing.F) {
	f.Add("GET", "/path?q=1", "Accept: */*\nUser-Agent: curl/8.5.0", []byte(nil), false)
	f.Add("POST", "/form", "Content-Type: application/x-www-form-urlencoded", []byte("a=1&b=2"), false)
	f.Add("PUT", "/chunked", "X-Trace: 1", bytes.Repeat([]byte("x"), 100), true)
	f.Add("POST", "/exact", "", bytes.Repeat([]byte("z"), fuzzBodyLimit), true)
	f.Add("DELETE", "/big", "", bytes.Repeat([]byte("y"), fuzzBodyLimit+1), false)
	f.Add("OPTIONS", "*", "", []byte(nil), false)
	f.Add("CONNECT", "example.com:443", "", []byte(nil), false)
	f.Add("HEAD", "/", "", []byte(nil), false)
	f.Add("GET", "/%E2%82%AC?x=<script>&y=\"", "X-Html: <b>&amp;</b>\nX-Quote: \"q\" \\", []byte(nil), false)
	f.Add("PATCH", "http://example.com/abs?x=1", "X-Unicode: caf\u00e9 \u2028\nX-Obs: \xff\xfe", []byte("{}"), false)
	f.Add("GET", "/", "Accept: application/json;q=0\nX-Dup: a\nx-dup: b", []byte(nil), false)
	f.Add("GET", "/", "X-Tab: a\tb\nX-Empty:", []byte(nil), false)

	f.Fuzz(func(t *testing.T, method, uri, headers string, body []byte, chunked bool) {
		raw := rawRequest(method, uri, headers, body, chunked)
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return // net/http would not serve this request either.
		}
		wantStatus := expectedStatus(t, raw, r.ContentLength)

		resp, writes := serveFuzz(r)
		checkStatus(t, resp, writes, wantStatus)
		if resp.Code == http.StatusOK {
			// The text shape's Content-Type is sniffed, as net/http does.
			switch ct := resp.Header().Get("Content-Type"); ct {
			case "application/json":
				checkJSON(t, r, resp.Body.Bytes())
			case "text/plain; charset=utf-8":
				checkText(t, r, resp.Body.Bytes())
			default:
				t.Fatalf("Content-Type = %q", ct)
			}
		}

		// The same request asking for JSON gets JSON.
		r, err = http.ReadRequest(bufio.NewReader(strings.NewReader(withAccept(raw, "application/json"))))
		if err != nil {
			t.Fatalf("adding an Accept header made the request invalid: %v", err)
		}
		resp, writes = serveFuzz(r)
		checkStatus(t, resp, writes, wantStatus)
		if resp.Code == http.StatusOK {
			if got := resp.Header().Get("Content-Type"); got != "application/json" {
				t.Fatalf("Accept: application/json got Content-Type %q", got)
			}
			checkJSON(t, r, resp.Body.Bytes())
		}
	})
}

// rawRequest builds a request in wire format. Each line of headers becomes a
// header line; the body is framed by Content-Length or as one chunk.
func rawRequest(method, uri, headers string, body []byte, chunked bool) string {
	var b strings.Builder
	b.WriteString(method + " " + uri + " HTTP/1.1\r\nHost: example.com\r\n")
	for line := range strings.SplitSeq(headers, "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			b.WriteString(line + "\r\n")
		}
	}
	if !chunked {
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
		b.Write(body)
		return b.String()
	}
	b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	if len(body) > 0 {
		b.WriteString(strconv.FormatInt(int64(len(body)), 16) + "\r\n")
		b.Write(body)
		b.WriteString("\r\n")
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

func withAccept(raw, accept string) string {
	requestLine, rest, _ := strings.Cut(raw, "\r\n")
	return requestLine + "\r\nAccept: " + accept + "\r\n" + rest
}

// expectedStatus reads the body of a fresh parse of raw to decide what the
// handler must answer: 413 over the limit, 400 for an unreadable body, or 200.
// It returns 0 when either 400 or 413 is right.
func expectedStatus(t *testing.T, raw string, contentLength int64) int {
	if contentLength > fuzzBodyLimit {
		return http.StatusRequestEntityTooLarge
	}
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("second parse failed: %v", err)
	}
	n, err := io.Copy(io.Discard, r.Body)
	switch {
	case err != nil && n > fuzzBodyLimit:
		return http.StatusRequestEntityTooLarge
	case err != nil:
		return 0
	case n > fuzzBodyLimit:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusOK
}

// writeCounter counts the Write calls of the handler.
type writeCounter struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(p)
}

func serveFuzz(r *http.Request) (*httptest.ResponseRecorder, int) {
	r.RemoteAddr = "198.51.100.7:4321"
	w := &writeCounter{ResponseRecorder: httptest.NewRecorder()}
	NewHandler(fuzzBodyLimit).ServeHTTP(w, r)
	return w.ResponseRecorder, w.writes
}

func checkStatus(t *testing.T, resp *httptest.ResponseRecorder, writes, want int) {
	t.Helper()
	switch {
	case want == 0 && resp.Code != http.StatusBadRequest && resp.Code != http.StatusRequestEntityTooLarge:
		t.Fatalf("status = %d for an unreadable body, want 400 or 413", resp.Code)
	case want != 0 && resp.Code != want:
		t.Fatalf("status = %d, want %d (body %q)", resp.Code, want, resp.Body)
	case resp.Code == http.StatusOK && writes != 1:
		t.Fatalf("handler wrote the echo in %d calls, want 1", writes)
	}
}

func checkText(t *testing.T, r *http.Request, body []byte) {
	t.Helper()
	text, ok := strings.CutSuffix(string(body), "\n")
	if !ok {
		t.Fatalf("text echo does not end in a newline: %q", body)
	}
	lines := strings.Split(text, "\n")
	names := []string{"RemoteAddr", "Method", "RequestURI", "Proto", "ContentLength", "Headers"}
	if len(lines) != len(names) {
		t.Fatalf("text echo has %d lines, want %d: %q", len(lines), len(names), body)
	}
	fields := make(map[string]string)
	for i, line := range lines {
		value, ok := strings.CutPrefix(line, names[i]+": ")
		if !ok {
			t.Fatalf("line %d = %q, want it to start with %q", i+1, line, names[i]+": ")
		}
		fields[names[i]] = value
	}
	for name, want := range map[string]string{
		"RemoteAddr": r.RemoteAddr,
		"Method":     r.Method,
		"RequestURI": r.RequestURI,
		"Proto":      r.Proto,
	} {
		if fields[name] != want {
			t.Errorf("%s = %q, want %q", name, fields[name], want)
		}
	}
	n, err := strconv.ParseInt(fields["ContentLength"], 10, 64)
	if err != nil || n != r.ContentLength || fields["ContentLength"] != strconv.FormatInt(n, 10) {
		t.Errorf("ContentLength = %q, want %d in decimal", fields["ContentLength"], r.ContentLength)
	}
	checkHeaders(t, r.Header, []byte(fields["Headers"]))
}

// checkHeaders checks that got is what encoding/json makes of want and, when
// want is valid UTF-8, that it decodes back to want.
func checkHeaders(t *testing.T, want http.Header, got []byte) {
	t.Helper()
	marshalled, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, marshalled) {
		t.Fatalf("headers JSON:\n%s\nencoding/json:\n%s", got, marshalled)
	}
	var decoded http.Header
	if err := json.Unmarshal(got, &decoded); err != nil {
		t.Fatalf("headers JSON does not decode: %v: %s", err, got)
	}
	if validUTF8(want) && !maps.EqualFunc(decoded, want, slices.Equal) {
		t.Fatalf("headers decode to %q, want %q", decoded, want)
	}
}

func validUTF8(h http.Header) bool {
	for k, vs := range h {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// jsonEcho mirrors the JSON shape, to marshal the expected response with
// encoding/json and to decode the actual one strictly.
type jsonEcho struct {
	RemoteAddr    string      `json:"remoteAddr"`
	Method        string      `json:"method"`
	RequestURI    string      `json:"requestURI"`
	Proto         string      `json:"proto"`
	ContentLength int64       `json:"contentLength"`
	Headers       http.Header `json:"headers"`
	Host          string      `json:"host"`
}

func checkJSON(t *testing.T, r *http.Request, body []byte) {
	t.Helper()
	want, err := json.Marshal(jsonEcho{r.RemoteAddr, r.Method, r.RequestURI, r.Proto, r.ContentLength, r.Header, r.Host})
	if err != nil {
		t.Fatal(err)
	}
	if got := bytes.TrimSuffix(body, []byte("\n")); !bytes.Equal(got, want) {
		t.Fatalf("JSON echo:\n%s\nencoding/json:\n%s", body, want)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		t.Fatalf("JSON echo does not decode: %v", err)
	}
	if len(keys) != 7 {
		t.Fatalf("JSON echo has %d keys, want 7: %s", len(keys), body)
	}
	checkHeaders(t, r.Header, keys["headers"])
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var got jsonEcho
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("JSON echo does not decode strictly: %v", err)
	}
	if got.ContentLength != r.ContentLength {
		t.Fatalf("contentLength = %d, want %d", got.ContentLength, r.ContentLength)
	}
}
