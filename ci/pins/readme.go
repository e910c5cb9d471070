// Package pins reads the README's mirror example and the Renovate
// configuration that keeps the pinned images fresh, so that tests can hold
// them to the image defaults of the module's constructor: a new image
// argument must be in the README's .env example and be matched by Renovate.
package pins

import (
	"fmt"
	"strings"
)

// Section returns the body of the Markdown section whose heading reads
// title, at any level: the lines after the heading up to the next heading of
// the same or a higher level. Lines inside fenced code blocks are never
// headings (a "# comment" in a shell example is not one).
func Section(md, title string) (string, error) {
	var body []string
	level := 0 // the level of the section once found
	fenced := false
	for line := range strings.Lines(md) {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		hashes := len(line) - len(strings.TrimLeft(line, "#"))
		heading := !fenced && hashes > 0 && strings.HasPrefix(line[hashes:], " ")
		if level == 0 {
			if heading && strings.TrimSpace(line[hashes:]) == title {
				level = hashes
			}
			continue
		}
		if heading && hashes <= level {
			break
		}
		body = append(body, line)
	}
	if level == 0 {
		return "", fmt.Errorf("no section %q", title)
	}
	return strings.Join(body, ""), nil
}

// FencedBlocks returns the contents of the fenced code blocks of a Markdown
// text whose info string is lang, e.g. "dotenv" for ```dotenv.
func FencedBlocks(md, lang string) []string {
	var blocks []string
	var block *strings.Builder
	open := false
	for line := range strings.Lines(md) {
		fence, isFence := strings.CutPrefix(strings.TrimRight(line, "\n"), "```")
		switch {
		case isFence && !open:
			open = true
			if strings.TrimSpace(fence) == lang {
				block = &strings.Builder{}
			}
		case isFence:
			open = false
			if block != nil {
				blocks = append(blocks, block.String())
				block = nil
			}
		default:
			if block != nil {
				block.WriteString(line)
			}
		}
	}
	return blocks
}

// Entry is one KEY=VALUE line of a dotenv file.
type Entry struct {
	Line  int // from 1
	Key   string
	Value string
}

// ParseDotenv reads the KEY=VALUE lines of a dotenv file, skipping blank
// lines and # comments. Values are taken as written: no quotes are removed
// and nothing is expanded.
func ParseDotenv(s string) ([]Entry, error) {
	var entries []Entry
	n := 0
	for line := range strings.Lines(s) {
		n++
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, value, ok := strings.Cut(text, "=")
		if !ok || strings.TrimSpace(key) == "" {
			return nil, fmt.Errorf("dotenv line %d: %q: want KEY=VALUE", n, text)
		}
		entries = append(entries, Entry{Line: n, Key: strings.TrimSpace(key), Value: strings.TrimSpace(value)})
	}
	return entries, nil
}
