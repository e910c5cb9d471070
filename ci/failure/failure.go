// Package failure turns the output of a failed step into the error a user
// reads last: one that says what failed, shows the essence of the tool's
// output (bounded) and says what to do. The full output stays in the trace
// above it.
package failure

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// MaxLines bounds every excerpt.
const MaxLines = 30

// maxLineLen bounds each line of an excerpt, in runes: a registry may
// answer with a body of 64 KiB on one line.
const maxLineLen = 500

// Final is the boundary every exported Dagger function's error passes
// through once: it returns an error with the same text that the Go SDK
// cannot reduce to an inner Dagger API error.
//
// The SDK's convertError (dagger.gen.go) reports a function's error through
// findSingleGQLError, which follows the error's single %w chain (Unwrap()
// error) and, when the chain ends in one *gqlerror.Error, hands the engine
// that API error alone: every word the pipeline wrapped around it ("go test
// failed: …", "the registry refused the push …") is dropped, and the user
// reads only "exit code: 1". An error that does not unwrap is reported by
// its whole text (dag.Error(rerr.Error())), so Final returns one: same text,
// no chain. The extension values of the API error (exit code, stdout) are
// not passed on; the trace above the final line still shows the output.
//
// nil stays nil.
func Final(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(err.Error())
}

// Excerpt returns the tail of output that explains a failure, at most
// MaxLines lines: for go test, the failing test names and their messages
// (--- FAIL lines, the file:line: message lines under them, panic lines,
// "FAIL\tpkg" lines) in preference to the noise; for go vet/go build the
// compiler/vet diagnostics (file:line:col: msg); otherwise the last MaxLines
// non-empty lines. When the go tool's failure lines are more than
// MaxLines, the names (--- FAIL, FAIL, panic, diagnostics) are kept before
// the messages. Says how many lines were left out ("… 12 more lines
// above"): that line comes first and is the only one beyond MaxLines.
func Excerpt(output string) string {
	lines := nonEmpty(output)
	if shown, ok := goLines(lines); ok {
		return render(len(lines), bound(shown))
	}
	return render(len(lines), lines)
}

// tail is the last MaxLines non-empty lines of output, with the count of
// the lines left out.
func tail(output string) string {
	lines := nonEmpty(output)
	return render(len(lines), lines)
}

// render keeps the last MaxLines of shown, of total non-empty lines, and
// says first how many were left out.
func render(total int, shown []string) string {
	shown = shown[max(0, len(shown)-MaxLines):]
	out := make([]string, 0, len(shown)+1)
	if n := total - len(shown); n > 0 {
		unit := "lines"
		if n == 1 {
			unit = "line"
		}
		out = append(out, fmt.Sprintf("… %d more %s above", n, unit))
	}
	for _, l := range shown {
		out = append(out, clip(l))
	}
	return strings.Join(out, "\n")
}

// colour is a terminal colour escape sequence.
var colour = regexp.MustCompile("\x1b\\[[0-9;]*m")

// nonEmpty splits output into lines without colours, trailing blanks or
// carriage returns, and drops the empty ones.
func nonEmpty(output string) []string {
	var lines []string
	for l := range strings.SplitSeq(colour.ReplaceAllString(output, ""), "\n") {
		if l = strings.TrimRight(l, " \t\r"); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// clip cuts a line to maxLineLen runes.
func clip(l string) string {
	r := []rune(l)
	if len(r) <= maxLineLen {
		return l
	}
	return string(r[:maxLineLen]) + "…"
}

// Step explains a failed go vet/go test/go build (step is e.g. "go test")
// in text that stands on its own in a CI log: "go test failed:\n<excerpt>".
func Step(step, output string) error {
	ex := Excerpt(output)
	if ex == "" {
		return errors.New(step + " failed without output")
	}
	return errors.New(step + " failed:\n" + ex)
}

// Service explains a service that did not start or whose healthcheck did
// not pass: which image, and the service's last output (bounded).
func Service(image, output string) error {
	msg := "the service of image " + image + " did not start or its healthcheck did not pass"
	t := tail(output)
	if t == "" {
		return errors.New(msg + ", and it printed nothing")
	}
	return errors.New(msg + "; its last output:\n" + t)
}

// Tool explains any other failed tool step (syft, kyverno, crane other than
// registry errors): step, target and the most telling line(s) of its
// output, bounded (the trace above holds the rest). The telling lines are
// the "Error: " lines that cobra prints (crane, cosign), without that
// prefix; else the lines that say error, fail or fatal (syft logs its error
// as an ERROR line; kyverno apply silences cobra and prints "policy …
// failed:" and its rules); else the last lines. Colours are removed.
func Tool(step, target, output string) error {
	lines := nonEmpty(output)
	shown := telling(lines)
	if len(shown) == 0 {
		return fmt.Errorf("%s %s failed without output", step, target)
	}
	ex := render(len(shown), shown)
	if !strings.Contains(ex, "\n") {
		return fmt.Errorf("%s %s failed: %s", step, target, ex)
	}
	return fmt.Errorf("%s %s failed:\n%s", step, target, ex)
}

// cobraPrefix starts the line a cobra command prints for its error.
const cobraPrefix = "Error: "

// telling picks the lines of a tool's output that explain its failure.
func telling(lines []string) []string {
	var cobra, errs []string
	for _, l := range lines {
		if msg, ok := strings.CutPrefix(l, cobraPrefix); ok {
			cobra = append(cobra, msg)
		}
		low := strings.ToLower(l)
		if strings.Contains(low, "error") || strings.Contains(low, "fail") || strings.Contains(low, "fatal") {
			errs = append(errs, l)
		}
	}
	if len(cobra) > 0 {
		return cobra
	}
	if len(errs) > 0 {
		return errs
	}
	return lines
}
