package smoke

import (
	"fmt"
	"strings"
	"testing"
)

// The echo response's rules (echo-server/README.md, "Text": six lines in
// order, ContentLength decimal or -1; README.md step 3: the smoke test
// checks every echoed field and /healthz) pinned at their edges.

// TestFieldLines: the six names, in order, each required by name.
func TestFieldLines(t *testing.T) {
	want := []string{"RemoteAddr", "Method", "RequestURI", "Proto", "ContentLength", "Headers"}
	if strings.Join(fieldNames, ",") != strings.Join(want, ",") {
		t.Fatalf("fieldNames = %q, want %q", fieldNames, want)
	}
	lines := strings.Split(strings.TrimSuffix(sample, "\n"), "\n")
	for i, name := range want {
		// The line renamed: refused, naming the line and its field.
		broken := replaceLine(i+1, "X"+lines[i])
		wantErr := fmt.Sprintf("echo response: line %d: want %q, got %q", i+1, name+": <value>", "X"+lines[i])
		if _, err := Parse(broken); err == nil || err.Error() != wantErr {
			t.Errorf("line %d renamed: error = %v, want %s", i+1, err, wantErr)
		}
	}
	// One space after the colon is the separator; more are the value's.
	e, err := Parse(replaceLine(2, "Method:GET"))
	if err != nil || e.Method != "GET" {
		t.Errorf("Method:GET = %q, %v", e.Method, err)
	}
	if e, err := Parse(replaceLine(2, "Method:  GET")); err != nil || e.Method != " GET" {
		t.Errorf("Method:  GET = %q, %v; want \" GET\"", e.Method, err)
	}
}

// TestContentLengthDigits: decimal digits, each accepted, or -1; the
// characters next to the digits and every other negative are refused.
func TestContentLengthDigits(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"1", 1}, {"9", 9}, {"00", 0}, {"1234567890", 1234567890}, {"9223372036854775807", 1<<63 - 1}, {"-1", -1},
	} {
		e, err := Parse(replaceLine(5, "ContentLength: "+tt.in))
		if err != nil || e.ContentLength != tt.want {
			t.Errorf("ContentLength %q = %d, %v; want %d", tt.in, e.ContentLength, err, tt.want)
		}
	}
	for _, in := range []string{"/", ":", "1/", "1:", "a", "A", " 1", "1 ", "-0", "-01", "--1", "-2", "1.0", "1e3", "١"} {
		want := fmt.Sprintf("echo response: line 5: ContentLength %q: want decimal digits, or -1 for unknown", in)
		if _, err := Parse(replaceLine(5, "ContentLength: "+in)); err == nil || err.Error() != want {
			t.Errorf("ContentLength %q: error = %v, want %s", in, err, want)
		}
	}
}

// TestQuoteLimit: an error quotes at most 200 bytes of the response.
func TestQuoteLimit(t *testing.T) {
	if quoteLimit != 200 {
		t.Errorf("quoteLimit = %d, want 200", quoteLimit)
	}
	for _, tt := range []struct{ n, quoted int }{{199, 199}, {200, 200}, {201, 200}, {1000, 200}} {
		line := strings.Repeat("y", tt.n)
		want := fmt.Sprintf(`echo response: line 1: want "RemoteAddr: <value>", got %q`, strings.Repeat("y", tt.quoted))
		if _, err := Parse(line); err == nil || err.Error() != want {
			t.Errorf("line of %d bytes: error = %v, want %d quoted", tt.n, err, tt.quoted)
		}
		if err := CheckHealth(line); err == nil || err.Error() != fmt.Sprintf("health check /healthz: want body \"ok\", got %q", strings.Repeat("y", tt.quoted)) {
			t.Errorf("health body of %d bytes: error = %v, want %d quoted", tt.n, err, tt.quoted)
		}
	}
}

// TestHealthBody: "ok", optionally followed by a newline (LF or CRLF).
func TestHealthBody(t *testing.T) {
	if HealthPath != "/healthz" {
		t.Errorf("HealthPath = %q, want /healthz", HealthPath)
	}
	for _, body := range []string{"ok", "ok\n", "ok\r\n", "ok\r"} {
		if err := CheckHealth(body); err != nil {
			t.Errorf("CheckHealth(%q) = %v", body, err)
		}
	}
	for _, body := range []string{"", "o", "ok ", "ok\n\n", "ok\r\n\n", "ok\n\r", "\nok", "Ok", "OK", "okay", "ok\t"} {
		want := fmt.Sprintf("health check /healthz: want body \"ok\", got %q", body)
		if err := CheckHealth(body); err == nil || err.Error() != want {
			t.Errorf("CheckHealth(%q) = %v, want %s", body, err, want)
		}
	}
}

// TestWgetCommandLine: busybox wget quiet, to stdout, with a 10 second
// timeout; --post-data for POST only.
func TestWgetCommandLine(t *testing.T) {
	for _, tt := range []struct {
		method string
		want   string
	}{
		{"GET", "wget -q -O - -T 10 http://e:8080/x"},
		{"POST", "wget -q -O - -T 10 --post-data b http://e:8080/x"},
		{"PUT", "wget -q -O - -T 10 http://e:8080/x"},
		{"post", "wget -q -O - -T 10 http://e:8080/x"},
	} {
		got := strings.Join(Case{Method: tt.method, Target: "/x", Body: "b"}.Wget("http://e:8080"), " ")
		if got != tt.want {
			t.Errorf("Wget(%s) = %q, want %q", tt.method, got, tt.want)
		}
	}
}
