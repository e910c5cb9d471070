package labels

import (
	"fmt"
	"regexp"
	"strings"
)

// envPrefixRE matches a lowercase reverse-DNS prefix with at least one dot.
var envPrefixRE = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)+$`)

// reservedPrefixes are label namespaces a custom label must stay out of:
// OCI's, and those the Docker documentation reserves for Docker.
var reservedPrefixes = []string{"org.opencontainers.", "com.docker.", "io.docker.", "org.dockerproject."}

// validateMeta returns a one-line error for the first invalid field of m, in
// field order, or nil. m must already be trimmed. The URL and image fields are
// checked by Build as it parses them.
func validateMeta(m Meta) error {
	for _, f := range []struct{ name, value string }{
		{"Title", m.Title},
		{"Description", m.Description},
		{"Vendor", m.Vendor},
		{"Authors", m.Authors},
		{"Licenses", m.Licenses},
	} {
		if f.value == "" {
			return fmt.Errorf("invalid Meta.%s %q: want a non-empty value", f.name, f.value)
		}
	}
	if !validSPDX(m.Licenses) {
		return fmt.Errorf(`invalid Meta.Licenses %q: want an SPDX license expression such as "Apache-2.0" or "(MIT OR Apache-2.0)"`, m.Licenses)
	}
	if !envPrefixRE.MatchString(m.EnvPrefix) {
		return fmt.Errorf(`invalid Meta.EnvPrefix %q: want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`, m.EnvPrefix)
	}
	for _, reserved := range reservedPrefixes {
		if strings.HasPrefix(m.EnvPrefix+".", reserved) {
			return fmt.Errorf("invalid Meta.EnvPrefix %q: want a prefix outside the reserved %q namespace", m.EnvPrefix, reserved)
		}
	}
	if m.Environment == "" {
		return fmt.Errorf("invalid Meta.Environment %q: want a non-empty value", m.Environment)
	}
	return nil
}

// validSPDX reports whether s is a plausible SPDX license expression:
// license ids made of letters, digits, '.', '-' and '+', joined by AND, OR
// and WITH, with parentheses for grouping.
func validSPDX(s string) bool {
	p := spdxParser{tokens: spdxTokens(s)}
	return p.orExpr() && p.pos == len(p.tokens)
}

// spdxTokens splits an SPDX expression into parentheses and words.
func spdxTokens(s string) []string {
	return strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(s))
}

// spdxParser is a recursive-descent parser over the SPDX grammar:
//
//	or    = and { "OR" and }
//	and   = with { "AND" with }
//	with  = primary [ "WITH" id ]
//	primary = id | "(" or ")"
type spdxParser struct {
	tokens []string
	pos    int
}

// accept consumes the next token if it is tok.
func (p *spdxParser) accept(tok string) bool {
	if p.pos < len(p.tokens) && p.tokens[p.pos] == tok {
		p.pos++
		return true
	}
	return false
}

// orExpr parses an OR-expression.
func (p *spdxParser) orExpr() bool { return p.joined("OR", p.andExpr) }

// andExpr parses an AND-expression.
func (p *spdxParser) andExpr() bool { return p.joined("AND", p.withExpr) }

// joined parses one or more operands separated by the operator op.
func (p *spdxParser) joined(op string, operand func() bool) bool {
	if !operand() {
		return false
	}
	for p.accept(op) {
		if !operand() {
			return false
		}
	}
	return true
}

// withExpr parses a license, or a parenthesised expression, with an optional
// WITH exception.
func (p *spdxParser) withExpr() bool {
	if p.accept("(") {
		if !p.orExpr() || !p.accept(")") {
			return false
		}
	} else if !p.id() {
		return false
	}
	if p.accept("WITH") {
		return p.id()
	}
	return true
}

// id consumes a license or exception id.
func (p *spdxParser) id() bool {
	if p.pos >= len(p.tokens) || !spdxID(p.tokens[p.pos]) {
		return false
	}
	p.pos++
	return true
}

// spdxID reports whether s is a plausible license or exception id: a letter
// or digit followed by letters, digits, '.', '-' and '+', and not an operator.
func spdxID(s string) bool {
	switch s {
	case "", "AND", "OR", "WITH":
		return false
	}
	if !isLetter(s[0]) && !isDigit(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '.' && c != '-' && c != '+' {
			return false
		}
	}
	return true
}
