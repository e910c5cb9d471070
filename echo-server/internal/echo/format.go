package echo

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendText appends the plain-text description of r to b:
//
//	RemoteAddr: 127.0.0.1:53124
//	Method: GET
//	RequestURI: /path?q=1
//	Proto: HTTP/1.1
//	ContentLength: 0
//	Headers: {"Accept":["*/*"],"User-Agent":["curl/8.5.0"]}
func appendText(b []byte, r *http.Request, fields []field) []byte {
	b = append(b, "RemoteAddr: "...)
	b = append(b, r.RemoteAddr...)
	b = append(b, "\nMethod: "...)
	b = append(b, r.Method...)
	b = append(b, "\nRequestURI: "...)
	b = append(b, r.RequestURI...)
	b = append(b, "\nProto: "...)
	b = append(b, r.Proto...)
	b = append(b, "\nContentLength: "...)
	b = strconv.AppendInt(b, r.ContentLength, 10)
	b = append(b, "\nHeaders: "...)
	b = appendHeaders(b, fields)
	return append(b, '\n')
}

// appendJSON appends the JSON description of r to b, followed by a newline.
func appendJSON(b []byte, r *http.Request, fields []field) []byte {
	b = append(b, `{"remoteAddr":`...)
	b = appendString(b, r.RemoteAddr)
	b = append(b, `,"method":`...)
	b = appendString(b, r.Method)
	b = append(b, `,"requestURI":`...)
	b = appendString(b, r.RequestURI)
	b = append(b, `,"proto":`...)
	b = appendString(b, r.Proto)
	b = append(b, `,"contentLength":`...)
	b = strconv.AppendInt(b, r.ContentLength, 10)
	b = append(b, `,"headers":`...)
	b = appendHeaders(b, fields)
	b = append(b, `,"host":`...)
	b = appendString(b, r.Host)
	return append(b, "}\n"...)
}

// field is a header field: a name and its values.
type field struct {
	name   string
	values []string
}

// sortedFields appends the fields of h to fields, sorted by name. Collecting
// names and values in one pass spares a map lookup per name.
func sortedFields(fields []field, h http.Header) []field {
	for name, values := range h {
		fields = append(fields, field{name, values})
	}
	slices.SortFunc(fields, func(a, b field) int { return strings.Compare(a.name, b.name) })
	return fields
}

// appendHeaders appends the sorted fields as a JSON object, byte for byte
// what encoding/json's Marshal produces for the http.Header they came from.
func appendHeaders(b []byte, fields []field) []byte {
	b = append(b, '{')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.name)
		b = append(b, ':')
		if f.values == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range f.values {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

const hex = "0123456789abcdef"

// appendString appends s as a quoted JSON string, escaped as encoding/json
// does: control characters, quote and backslash; <, > and & (so the output
// is safe to embed in HTML); U+2028 and U+2029; and invalid UTF-8 replaced by
// U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		// An if chain rather than a switch: Go's coverage profile leaves
		// case expressions outside every block, which would hide them from
		// mutation testing.
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		} else {
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// safe reports whether the ASCII byte c stands for itself in a JSON string.
func safe(c byte) bool {
	return c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

// wantsJSON reports whether the Accept field among the sorted fields lists
// application/json among its media ranges, with a non-zero quality.
func wantsJSON(fields []field) bool {
	i, found := slices.BinarySearchFunc(fields, "Accept", func(f field, name string) int { return strings.Compare(f.name, name) })
	if !found {
		return false
	}
	return acceptsJSON(fields[i].values)
}

// acceptsJSON reports whether the values of an Accept header list
// application/json among their media ranges, with a non-zero quality.
func acceptsJSON(accept []string) bool {
	for _, accept := range accept {
		for accept != "" {
			var mediaRange string
			mediaRange, accept, _ = strings.Cut(accept, ",")
			mediaType, params, _ := strings.Cut(mediaRange, ";")
			if strings.EqualFold(strings.TrimSpace(mediaType), "application/json") && !zeroQuality(params) {
				return true
			}
		}
	}
	return false
}

// zeroQuality reports whether the media range parameters params (such as
// "charset=utf-8; q=0") carry a quality of zero, which means "not acceptable".
func zeroQuality(params string) bool {
	for params != "" {
		var param string
		param, params, _ = strings.Cut(params, ";")
		name, value, _ := strings.Cut(param, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		value = strings.TrimSpace(value)
		return value != "" && strings.Trim(value, "0.") == "" && strings.Count(value, ".") <= 1 && value[0] == '0'
	}
	return false
}
