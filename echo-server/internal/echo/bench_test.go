package echo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// articleHandler is the BASELINE for the benchmarks: the handler of the
// article this server replaces, reproduced faithfully, including its bug of
// printing ContentLength in hex. It is not used by the server.
func articleHandler(w http.ResponseWriter, r *http.Request) {
	reqHeadersBytes, _ := json.Marshal(r.Header)
	text := fmt.Sprintf("RemoteAddr: %s\n", r.RemoteAddr)
	text += fmt.Sprintf("Method: %s\n", r.Method)
	text += fmt.Sprintf("RequestURI: %s\n", r.RequestURI)
	text += fmt.Sprintf("Proto: %s\n", r.Proto)
	text += fmt.Sprintf("ContentLength: %x\n", r.ContentLength)
	text += fmt.Sprintf("Headers: %s\n", string(reqHeadersBytes))
	fmt.Fprint(w, text)
}

// discardWriter is a minimal ResponseWriter that reuses its header map, so
// that a benchmark measures the handler rather than the recorder.
type discardWriter struct {
	header http.Header
	n      int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(int)     {}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// BenchmarkHandler runs the article's handler (the baseline) and this
// package's handler on the same curl-like request, side by side.
func BenchmarkHandler(b *testing.B) {
	curl := http.Header{"Accept": {"*/*"}, "User-Agent": {"curl/8.5.0"}}
	curlJSON := http.Header{"Accept": {"application/json"}, "User-Agent": {"curl/8.5.0"}}
	echo := NewHandler(1 << 20)
	benchmarks := []struct {
		name    string
		handler http.HandlerFunc
		header  http.Header
	}{
		{"article=baseline/text", articleHandler, curl},
		{"echo/text", echo.ServeHTTP, curl},
		{"echo/json", echo.ServeHTTP, curlJSON},
	}
	for _, bm := range benchmarks {
		r := newRequest(http.MethodGet, "/path?q=1", bm.header, nil)
		b.Run(bm.name+"/writer=discard", func(b *testing.B) {
			w := &discardWriter{header: make(http.Header)}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.header)
				bm.handler(w, r)
			}
		})
		b.Run(bm.name+"/writer=recorder", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bm.handler(httptest.NewRecorder(), r)
			}
		})
	}
}

// TestBaselineMatchesArticle keeps the baseline honest: apart from the hex
// ContentLength, it answers what the handler answers.
func TestBaselineMatchesArticle(t *testing.T) {
	r := newRequest(http.MethodGet, "/path?q=1", http.Header{"Accept": {"*/*"}, "User-Agent": {"curl/8.5.0"}}, nil)
	r.ContentLength = 255
	article, echo := httptest.NewRecorder(), httptest.NewRecorder()
	articleHandler(article, r)
	NewHandler(1<<20).ServeHTTP(echo, r)
	want := echo.Body.String()
	got := article.Body.String()
	if got == want {
		t.Fatal("the baseline should print ContentLength in hex, as the article did")
	}
	if fixed := strings.Replace(got, "ContentLength: ff\n", "ContentLength: 255\n", 1); fixed != want {
		t.Errorf("baseline:\n%s\nhandler:\n%s", got, want)
	}
}
