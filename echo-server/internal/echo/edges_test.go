package echo

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPoolBound pins the figure itself: a response buffer of up to 64 KiB
// (65536 bytes, the default -max-header-bytes) is pooled, one byte more is
// not.
func TestPoolBound(t *testing.T) {
	if maxPooledBuffer != 65536 {
		t.Errorf("maxPooledBuffer = %d, want 65536 (64 KiB)", maxPooledBuffer)
	}
	for _, tt := range []struct {
		capacity int
		want     bool
	}{{64 << 10, true}, {64<<10 + 1, false}, {65535, true}, {65537, false}} {
		if got := pooled(make([]byte, 0, tt.capacity)); got != tt.want {
			t.Errorf("pooled(cap %d) = %v, want %v", tt.capacity, got, tt.want)
		}
	}
}

// TestAppendStringEveryByte: README, "byte for byte what encoding/json
// produces" (HTML characters escaped, invalid UTF-8 becomes U+FFFD), for
// every byte value alone and between two letters, and for the runes at the
// edges of every escaping rule.
func TestAppendStringEveryByte(t *testing.T) {
	var inputs []string
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"b")
	}
	for _, r := range []rune{
		0x7f, 0x80, 0xff, 0x100, 0x7ff, 0x800, 0x2027, 0x2028, 0x2029, 0x202a,
		0xd7ff, 0xe000, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x10ffff,
	} {
		inputs = append(inputs, string(r), "x"+string(r)+"y")
	}
	// Truncated and overlong sequences, surrogates encoded in UTF-8.
	inputs = append(inputs, "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "é\xe2\x82")
	for _, in := range inputs {
		want, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, in); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s (encoding/json)", in, got, want)
		}
	}
}

// TestSafeBytes pins which ASCII bytes stand for themselves: from the space
// up, except the quote, the backslash and HTML's <, > and &; their
// neighbours stand for themselves.
func TestSafeBytes(t *testing.T) {
	escaped := map[byte]bool{'"': true, '\\': true, '<': true, '>': true, '&': true}
	for c := range byte(utf8.RuneSelf) {
		want := c >= 0x20 && !escaped[c]
		if got := safe(c); got != want {
			t.Errorf("safe(%q) = %v, want %v", c, got, want)
		}
	}
	for _, c := range []byte{0x1f, '"', '\\', '<', '>', '&'} {
		if safe(c) {
			t.Errorf("safe(%q) = true", c)
		}
	}
	for _, c := range []byte{' ', '!', '#', '%', '\'', ';', '=', '?', '[', ']', '~', 0x7f} {
		if !safe(c) {
			t.Errorf("safe(%q) = false", c)
		}
	}
}

// TestAcceptEdges: JSON "when the Accept header lists application/json with
// a non-zero quality": the media type in any case and with spaces around
// it, q in any case and with spaces, every spelling of a zero quality
// refused and the smallest non-zero one accepted.
func TestAcceptEdges(t *testing.T) {
	for _, tt := range []struct {
		accept string
		want   bool
	}{
		{"application/json", true},
		{"APPLICATION/JSON", true},
		{"\tapplication/json\t", true},
		{"text/plain,application/json", true},
		{"text/plain ,  application/json  ", true},
		{"application/json;q=1", true},
		{"application/json;q=1.0", true},
		{"application/json;q=0.001", true},
		{"application/json;q=0.1", true},
		{"application/json;q=.5", true},
		{"application/json;q=", true},
		{"application/json;q", true},
		{"application/json;q=0..0", true},
		{"application/json;q=1.000", true},
		{"application/json;level=0", true},
		{"application/json;qq=0", true},
		{"application/json;q=0", false},
		{"application/json;Q=0", false},
		{"application/json; q = 0 ", false},
		{"application/json;q=0.", false},
		{"application/json;q=0.0", false},
		{"application/json;q=0.00", false},
		{"application/json;q=0.000", false},
		{"application/json;charset=utf-8;q=0", false},
		{"application/json;q=0,text/plain", false},
		{"application/json;q=0,application/json", true},
		{"application/jso", false},
		{"application/json+x", false},
		{"text/json", false},
		{"application/*", false},
		{"*/*", false},
		{"", false},
	} {
		if got := acceptsJSON([]string{tt.accept}); got != tt.want {
			t.Errorf("acceptsJSON(%q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
}

// TestTooLargeText: README, "413 request body exceeds N bytes, Connection:
// close", N in decimal at the largest limit too.
func TestTooLargeText(t *testing.T) {
	for _, tt := range []struct {
		limit int64
		want  string
	}{
		{1, "request body exceeds 1 bytes\n"},
		{1048576, "request body exceeds 1048576 bytes\n"},
		{2147483647, "request body exceeds 2147483647 bytes\n"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(""))
		r.ContentLength = tt.limit + 1
		r.Body = http.NoBody
		w := httptest.NewRecorder()
		NewHandler(tt.limit).ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge || w.Body.String() != tt.want || w.Header().Get("Connection") != "close" {
			t.Errorf("limit %d: %d %q Connection %q; want 413 %q close", tt.limit, w.Code, w.Body, w.Header().Get("Connection"), tt.want)
		}
	}
}

// TestHeadersEncoding: header values exactly as encoding/json writes
// r.Header, a field with no value list (null) included, among others.
func TestHeadersEncoding(t *testing.T) {
	for _, h := range []http.Header{
		{"A": nil},
		{"A": nil, "B": {"x"}},
		{"A": {"x"}, "B": nil, "C": {}},
		{"A": {}, "B": {"", "y"}},
	} {
		want, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendHeaders(nil, sortedFields(nil, h)); string(got) != string(want) {
			t.Errorf("appendHeaders(%v) = %s, want %s", h, got, want)
		}
	}
}

// failOnRead fails the test when the handler reads the body.
type failOnRead struct{ t *testing.T }

func (f failOnRead) Read([]byte) (int, error) {
	f.t.Error("the handler read a body declared empty")
	return 0, io.ErrUnexpectedEOF
}

// TestEmptyBodies: a body declared empty is not read (a connection that
// breaks after the headers still gets its echo), and a request without a
// body, of any declared length, is answered.
func TestEmptyBodies(t *testing.T) {
	for _, tt := range []struct {
		name          string
		body          io.ReadCloser
		contentLength int64
	}{
		{"declared empty", io.NopCloser(failOnRead{t}), 0},
		{"no body", nil, 0},
		{"no body, unknown length", nil, -1},
		{"no body, declared length", nil, 5},
		{"http.NoBody, unknown length", http.NoBody, -1},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Body, r.ContentLength = tt.body, tt.contentLength
		w := httptest.NewRecorder()
		NewHandler(16).ServeHTTP(w, r)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "RemoteAddr: ") {
			t.Errorf("%s: %d %q, want 200 and the echo", tt.name, w.Code, w.Body)
		}
	}
}
