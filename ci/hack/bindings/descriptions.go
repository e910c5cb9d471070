package main

import (
	"slices"
	"strings"
)

// The SDL printer of github.com/dagger/dagger (cmd/introspect/schema.go)
// wraps long description lines. The indentation of a description decides its
// width: none for types and directives, two spaces for fields, input fields,
// enum values and directive arguments, four for field arguments.
const (
	typeIndent     = 0
	memberIndent   = 2
	fieldArgIndent = 4
)

// unwrapDescription undoes the printer's wrapping of description lines, so the
// generated doc comments read like the engine's.
//
// The printer breaks a line of maxLen+5 characters or more into chunks of at
// most maxLen-40 (maxLen is 120 minus the indentation), at spaces. A run of
// lines is joined back into one when the printer, given the joined line, would
// have produced exactly these lines. A paragraph holding a line too long to be
// such a chunk yet too short to have been broken was wrapped by hand: it is
// kept as written. The result is exact for the engine's descriptions, whose
// paragraphs are single lines, and best effort otherwise.
func unwrapDescription(desc string, indent int) string {
	if !strings.Contains(desc, "\n") {
		return desc
	}
	maxLen := 120 - indent
	maxChunk := maxLen - 40
	lines := strings.Split(desc, "\n")
	out := make([]string, 0, len(lines))
	for start := 0; start < len(lines); {
		// the paragraph lines[start:end]
		end := start
		for end < len(lines) && lines[end] != "" {
			end++
		}
		handWrapped := slices.ContainsFunc(lines[start:end], func(l string) bool {
			return len(l) > maxChunk && len(l) < maxLen+5
		})
		for i := start; i < end; {
			last := i
			for j := i + 1; !handWrapped && j < end && len(lines[j-1]) <= maxChunk; j++ {
				joined := strings.Join(lines[i:j+1], " ")
				if len(joined) >= maxLen+5 && slices.Equal(breakLine(joined, maxLen), lines[i:j+1]) {
					last = j
				}
			}
			out = append(out, strings.Join(lines[i:last+1], " "))
			i = last + 1
		}
		if end < len(lines) {
			out = append(out, "") // the blank line ending the paragraph
		}
		start = end + 1
	}
	return strings.Join(out, "\n")
}

// breakLine is the printer's line breaking (cmd/introspect/schema.go).
func breakLine(line string, maxLen int) []string {
	minSize, maxSize := 15, maxLen-40
	if len(line) <= maxSize {
		return []string{line}
	}
	var chunks []string
	remaining := line
	for len(remaining) > 0 {
		end := min(len(remaining), maxSize)
		if end == len(remaining) {
			chunks = append(chunks, remaining)
			break
		}
		if idx := strings.LastIndex(remaining[:end+1], " "); idx >= minSize {
			chunks = append(chunks, remaining[:idx])
			remaining = remaining[idx+1:]
		} else {
			chunks = append(chunks, remaining[:end])
			remaining = remaining[end:]
		}
	}
	return chunks
}
