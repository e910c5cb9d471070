package failure

import (
	"regexp"
	"slices"
	"strings"
)

var (
	// testFail is the line go test prints for a failed test or subtest.
	testFail = regexp.MustCompile(`^\s*--- FAIL: `)
	// testPass is the line go test -v prints for a passed or skipped test.
	testPass = regexp.MustCompile(`^\s*--- (PASS|SKIP): `)
	// testLog is a message of t.Errorf, t.Fatalf or t.Log: indented,
	// file:line: message.
	testLog = regexp.MustCompile(`^\s+\S+\.go:\d+: `)
	// anchor is a line that explains a failure on its own: a package that
	// failed ("FAIL\tpkg"), a panic or fatal error, a compiler or vet
	// diagnostic (file:line:col: msg, under a "# pkg" header), a go command
	// error ("go: …").
	anchor = regexp.MustCompile(`^(FAIL\s+\S|\s*panic: |fatal error: |# \S|\S+\.go:\d+(:\d+)?: |vet: |go: |too many errors$)`)
)

// line is a line of go output worth showing; key lines (a failed test or
// package, a panic, a diagnostic) are kept before the messages when there
// are more than MaxLines.
type line struct {
	text string
	key  bool
}

// goLines picks from the output of go vet, go test or go build the lines
// that explain the failure, in order; ok is false when lines hold none of
// the go tool's failure lines.
//
// The messages of a test are printed under its --- FAIL line, or above it
// with -v; they are held until the test's outcome is known and dropped if
// it passed. Continuation lines are kept with what they continue: the
// deeper-indented lines of a multi-line message, the tab-indented
// have/want lines of a compiler error.
func goLines(lines []string) (shown []line, ok bool) {
	var pending []line
	inLog, inDiag := false, false
	for _, l := range lines {
		switch {
		case testFail.MatchString(l):
			shown = append(append(shown, pending...), line{l, true})
			pending, ok = nil, true
			inLog, inDiag = false, false
		case testPass.MatchString(l):
			pending = nil
			inLog, inDiag = false, false
		case testLog.MatchString(l):
			pending = append(pending, line{l, false})
			inLog, inDiag = true, false
		case inLog && strings.HasPrefix(l, " "):
			pending = append(pending, line{l, false})
		case inDiag && strings.HasPrefix(l, "\t"):
			shown = append(shown, line{l, false})
		case anchor.MatchString(l) && !strings.HasPrefix(l, "go: downloading "):
			shown = append(append(shown, pending...), line{l, true})
			pending, ok = nil, true
			inLog, inDiag = false, true
		default:
			inLog, inDiag = false, false
		}
	}
	return append(shown, pending...), ok
}

// bound keeps of shown, in order, every key line and as many of the last
// messages as MaxLines leaves room for, so that every failing test keeps
// its name; render then keeps the last MaxLines.
func bound(shown []line) []string {
	room := MaxLines
	for _, l := range shown {
		if l.key {
			room--
		}
	}
	var kept []string
	for i := len(shown) - 1; i >= 0; i-- {
		if !shown[i].key {
			if room <= 0 {
				continue
			}
			room--
		}
		kept = append(kept, shown[i].text)
	}
	slices.Reverse(kept)
	return kept
}
