// Package pins reads the pinned image defaults of the module's constructor,
// the mirror example of the README and the Renovate configuration that keeps
// the pins fresh, so that tests can hold the three to each other: a new image
// argument must be in the README's .env example and be matched by Renovate.
package pins

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

// Arg is an image argument of the constructor.
type Arg struct {
	Name    string // the parameter's name, e.g. "builderImage"
	Default string // the value of its +default pragma, "" without one
}

// ImageArgs returns the arguments of func New in a Go source file whose
// names end in "Image", in order, with their +default pragma. Go's parser
// attaches no comment to a function parameter, so they are found by line
// as Dagger's Go code generator finds them (commentForFuncField): the doc
// is the comment group that ends on the parameter's line or the line above,
// unless the previous parameter (or the opening parenthesis) is on one of
// those lines; a comment that starts on the parameter's line counts too,
// and wins, unless the next parameter (or the closing parenthesis) is on
// that line.
func ImageArgs(filename string, src []byte) ([]Arg, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("image arguments: %w", err)
	}
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "New" {
			fn = fd
			break
		}
	}
	if fn == nil {
		return nil, fmt.Errorf("image arguments: %s has no func New", filename)
	}
	lineOf := func(p token.Pos) int { return fset.Position(p).Line }
	type param struct {
		name string
		line int
	}
	var params []param
	for _, field := range fn.Type.Params.List {
		for _, name := range field.Names {
			params = append(params, param{name.Name, lineOf(field.Pos())})
		}
	}
	var args []Arg
	prevLine := lineOf(fn.Type.Params.Opening)
	for i, p := range params {
		nextLine := lineOf(fn.Type.Params.Closing)
		if i+1 < len(params) {
			nextLine = params[i+1].line
		}
		var groups []*ast.CommentGroup
		for _, g := range f.Comments {
			end, start := lineOf(g.End()), lineOf(g.Pos())
			if prevLine < p.line-1 && (end == p.line || end == p.line-1) ||
				nextLine > p.line && start == p.line {
				groups = append(groups, g)
			}
		}
		prevLine = p.line
		if !strings.HasSuffix(p.name, "Image") {
			continue
		}
		def, err := defaultPragma(groups)
		if err != nil {
			return nil, fmt.Errorf("image argument %s: %w", p.name, err)
		}
		args = append(args, Arg{Name: p.name, Default: def})
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("image arguments: func New in %s has no parameter named *Image", filename)
	}
	return args, nil
}

// defaultPragma returns the value of the last +default pragma in the
// comment groups, or "" without one.
func defaultPragma(groups []*ast.CommentGroup) (string, error) {
	value := ""
	for _, g := range groups {
		for _, c := range g.List {
			v, found, err := pragmaValue(c.Text)
			if err != nil {
				return "", err
			}
			if found {
				value = v
			}
		}
	}
	return value, nil
}

// pragmaValue reads `// +default="…"`: found says whether the comment is a
// +default pragma, and err whether its value is not a quoted string.
func pragmaValue(comment string) (value string, found bool, err error) {
	text := strings.TrimSpace(strings.TrimPrefix(comment, "//"))
	raw, found := strings.CutPrefix(text, "+default=")
	if !found {
		return "", false, nil
	}
	if err := json.Unmarshal([]byte(raw), &value); err != nil {
		return "", true, fmt.Errorf("+default=%s: want a quoted string", raw)
	}
	return value, true, nil
}

// Pin is a +default pragma whose value is pinned by digest.
type Pin struct {
	Line  int    // the line of the pragma, from 1
	Value string // e.g. "alpine:3.23.5@sha256:…"
}

// PinnedDefaults returns every +default pragma of a Go source file, in any
// comment, whose value is a quoted string containing "@sha256:".
func PinnedDefaults(filename string, src []byte) ([]Pin, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("pinned defaults: %w", err)
	}
	var pins []Pin
	for _, g := range f.Comments {
		for _, c := range g.List {
			value, _, err := pragmaValue(c.Text)
			if err == nil && strings.Contains(value, "@sha256:") {
				pins = append(pins, Pin{Line: fset.Position(c.Slash).Line, Value: value})
			}
		}
	}
	return pins, nil
}

// Image is an image reference pinned by tag and digest.
type Image struct {
	Name   string // e.g. "ghcr.io/sigstore/cosign/cosign"
	Tag    string // e.g. "v3.1.3"
	Digest string // e.g. "sha256:9e5c…"
}

var (
	tagRE    = regexp.MustCompile(`^\w[\w.-]{0,127}$`)
	digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
)

// SplitImage splits NAME:TAG@sha256:<64 hex> into its parts.
func SplitImage(ref string) (Image, error) {
	rest, digest, _ := strings.Cut(ref, "@")
	i := strings.LastIndexByte(rest, ':')
	if i <= strings.LastIndexByte(rest, '/') || i == 0 || !tagRE.MatchString(rest[i+1:]) || !digestRE.MatchString(digest) {
		return Image{}, fmt.Errorf("image %q: want NAME:TAG@sha256:<64 lowercase hex>", ref)
	}
	return Image{Name: rest[:i], Tag: rest[i+1:], Digest: digest}, nil
}
