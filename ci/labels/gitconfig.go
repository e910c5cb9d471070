package labels

import "strings"

// OriginURL returns the url of [remote "origin"] from the text of a
// .git/config file, or "" if there is none. When the remote has several urls
// it returns the first, as `git remote get-url origin` does.
//
// It follows git-config syntax: section names and keys are case-insensitive,
// the subsection is quoted and case-sensitive (the deprecated
// [remote.origin] form is accepted too), '#' and ';' start comments outside
// quotes, values may be quoted, use the escapes \" \\ \n \t \b and continue
// on the next line after a trailing backslash. Lines git would reject are
// skipped. Includes and url.<base>.insteadOf rewrites are not applied.
//
// The url is returned as written and may carry credentials: pass it through
// NormaliseRemote before it is shown or stored anywhere.
func OriginURL(gitConfig string) string {
	p := configParser{src: strings.ReplaceAll(gitConfig, "\r\n", "\n")}
	for {
		section, subsection, key, value, ok := p.next()
		if !ok {
			return ""
		}
		if section == "remote" && subsection == "origin" && key == "url" && value != "" {
			return value
		}
	}
}

// configParser reads the variables of a git config file one by one.
type configParser struct {
	src                 string
	pos                 int
	section, subsection string // the current section header, "" before any valid one
}

// next returns the next variable, with its section and key lowercased; a
// variable without "=" has the value "". ok is false at the end of the text.
func (p *configParser) next() (section, subsection, key, value string, ok bool) {
	// (If statements rather than a switch, here and below: the conditions of
	// case clauses are outside Go's coverage blocks, so mutation testing
	// could not tell whether a test reaches them.)
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			p.pos++
		} else if c == '#' || c == ';' {
			p.skipLine()
		} else if c == '[' {
			if !p.header() {
				p.section, p.subsection = "", ""
				p.skipLine()
			}
		} else if isLetter(c) {
			key, value, ok := p.variable()
			if ok && p.section != "" {
				return p.section, p.subsection, key, value, true
			}
		} else {
			p.skipLine()
		}
	}
	return "", "", "", "", false
}

// skipLine moves past the end of the current line.
func (p *configParser) skipLine() {
	if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
		p.pos += i + 1
		return
	}
	p.pos = len(p.src)
}

// header parses a section header at p.pos ('['): [section],
// [section "subsection"] or the deprecated [section.subsection]. It reports
// whether the header is valid; what follows it on the line is left to next.
func (p *configParser) header() bool {
	p.pos++ // '['
	start := p.pos
	for p.pos < len(p.src) && isKeyChar(p.src[p.pos], true) {
		p.pos++
	}
	name := strings.ToLower(p.src[start:p.pos])
	if name == "" || p.pos >= len(p.src) {
		return false
	}
	if p.src[p.pos] == ']' {
		p.pos++
		section, subsection, _ := strings.Cut(name, ".")
		p.section, p.subsection = section, subsection
		return section != ""
	}
	if strings.Contains(name, ".") {
		return false
	}
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] != '"' {
		return false
	}
	p.pos++
	var sub strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		p.pos++
		switch c {
		case '\n':
			p.pos--
			return false
		case '\\':
			if p.pos >= len(p.src) || p.src[p.pos] == '\n' {
				return false
			}
			sub.WriteByte(p.src[p.pos])
			p.pos++
		case '"':
			if p.pos >= len(p.src) || p.src[p.pos] != ']' {
				return false
			}
			p.pos++
			p.section, p.subsection = name, sub.String()
			return true
		default:
			sub.WriteByte(c)
		}
	}
	return false
}

// variable parses "key", "key = value" or "key = value # comment" at p.pos
// and moves past the end of its line. ok is false for a malformed line.
func (p *configParser) variable() (key, value string, ok bool) {
	start := p.pos
	for p.pos < len(p.src) && isKeyChar(p.src[p.pos], false) {
		p.pos++
	}
	key = strings.ToLower(p.src[start:p.pos])
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
	if p.pos >= len(p.src) || p.src[p.pos] == '\n' {
		p.skipLine()
		return key, "", true
	}
	if p.src[p.pos] != '=' {
		p.skipLine()
		return "", "", false
	}
	p.pos++ // '='
	value, ok = p.value()
	return key, value, ok
}

// value parses a variable's value as git does: surrounding whitespace is
// trimmed, inner whitespace kept, quotes removed, escapes resolved, comments
// dropped and backslash-newline joins lines. It moves past the end of the
// value's last line; ok is false for an unterminated quote or an unknown escape.
func (p *configParser) value() (string, bool) {
	var b strings.Builder
	quoted, comment := false, false
	trailing := 0 // bytes of unquoted whitespace at the end of b
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		p.pos++
		if c == '\n' {
			break
		}
		if comment {
			continue
		}
		if !quoted && (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
			if b.Len() > 0 {
				b.WriteByte(c)
				trailing++
			}
			continue
		}
		if !quoted && (c == '#' || c == ';') {
			comment = true
			continue
		}
		trailing = 0
		if c == '"' {
			quoted = !quoted
			continue
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if p.pos >= len(p.src) {
			return "", false
		}
		e := p.src[p.pos]
		p.pos++
		switch e {
		case '\n':
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'b':
			b.WriteByte('\b')
		case '\\', '"':
			b.WriteByte(e)
		default:
			p.skipLine()
			return "", false
		}
	}
	v := b.String()
	return v[:len(v)-trailing], !quoted
}

// isKeyChar reports whether c may appear in a config key, or in a section
// name when section is true (which also allows '.').
func isKeyChar(c byte, section bool) bool {
	return isLetter(c) || isDigit(c) || c == '-' || (section && c == '.')
}
