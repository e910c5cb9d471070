// Package echo implements the HTTP handler that describes the request it
// receives: remote address, method, request URI, protocol, content length and
// headers, as plain text by default or as JSON on request.
package echo

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// The JSON shape's headers. The slices are shared by every response and
// must not be modified. The text shape sets no header: net/http sniffs its
// Content-Type, which is "text/plain; charset=utf-8" because the body starts
// with "RemoteAddr: " and holds no control characters (net/http rejects them
// in the request line, and the headers are JSON-escaped). Not calling
// w.Header() spares net/http from copying and sorting the header map, which
// costs more than the sniffing.
var (
	jsonContentType = []string{"application/json"}
	nosniff         = []string{"nosniff"}
)

// maxPooledBuffer is the capacity above which a response buffer is left to
// the garbage collector instead of being pooled, so that one request with huge
// headers does not pin memory.
const maxPooledBuffer = 65536 // 64 KiB, written out: mutation testing cannot see a constant expression tested

var buffers = sync.Pool{
	New: func() any {
		b := make([]byte, 0, 1024)
		return &b
	},
}

// Handler echoes requests. Request bodies are read and discarded, never
// echoed; a body larger than the limit is answered with 413.
type Handler struct {
	maxBodyBytes int64
}

// NewHandler returns a Handler that accepts request bodies of at most
// maxBodyBytes bytes.
func NewHandler(maxBodyBytes int64) *Handler {
	return &Handler{maxBodyBytes: maxBodyBytes}
}

// ServeHTTP writes the description of r in one Write call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.drainBody(w, r) {
		return
	}

	var stack [16]field // room for a typical request's fields without allocating
	fields := sortedFields(stack[:0], r.Header)

	bp := buffers.Get().(*[]byte)
	b := (*bp)[:0]
	if wantsJSON(fields) {
		hdr := w.Header()
		hdr["Content-Type"] = jsonContentType
		hdr["X-Content-Type-Options"] = nosniff
		b = appendJSON(b, r, fields)
	} else {
		b = appendText(b, r, fields)
	}
	w.Write(b) //nolint:errcheck // the client has gone; nothing to do.
	if pooled(b) {
		*bp = b
		buffers.Put(bp)
	}
}

// pooled reports whether the response buffer b goes back to the pool: only
// buffers of at most maxPooledBuffer bytes do.
func pooled(b []byte) bool {
	return cap(b) <= maxPooledBuffer
}

// drainBody reads and discards the request body. It reports whether the
// request may be answered; when it returns false it has written the error
// response.
func (h *Handler) drainBody(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > h.maxBodyBytes {
		// Reject on the declared length alone, without reading any of it.
		h.tooLarge(w)
		return false
	}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return true
	}
	body := r.Body
	// Equivalent mutant: "<= 0" here behaves the same, as a zero length has
	// returned above.
	if r.ContentLength < 0 {
		// Unknown length (chunked): stop reading past the limit.
		body = http.MaxBytesReader(w, r.Body, h.maxBodyBytes)
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.tooLarge(w)
		} else {
			http.Error(w, "cannot read request body", http.StatusBadRequest)
		}
		return false
	}
	return true
}

func (h *Handler) tooLarge(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	msg := "request body exceeds " + strconv.FormatInt(h.maxBodyBytes, 10) + " bytes"
	http.Error(w, msg, http.StatusRequestEntityTooLarge)
}
