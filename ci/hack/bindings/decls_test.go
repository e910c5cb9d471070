package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"slices"
	"strings"
)

// goDecl is one top-level declaration of a Go file.
type goDecl struct {
	// Code is the declaration printed without comments, every run of
	// white space collapsed to one space: comment wording, comment
	// wrapping and the alignment that follows from them do not count.
	Code string
	// Text is the declaration printed with its comments.
	Text string
}

// goDecls parses Go source and returns its top-level declarations by a
// stable key: "func (*Container).WithExec", "func Connect", "type Container",
// "const ImageMediaTypesOci", "import \"context\"", and for blank
// declarations (var _ I = T{}) "var _ " followed by their code.
func goDecls(src []byte) (map[string]goDecl, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	decls := map[string]goDecl{}
	add := func(key string, node, commented ast.Node) error {
		var text, code bytes.Buffer
		if err := printer.Fprint(&text, fset, &printer.CommentedNode{Node: commented, Comments: file.Comments}); err != nil {
			return err
		}
		if err := printer.Fprint(&code, fset, stripComments(node)); err != nil {
			return err
		}
		d := goDecl{Code: strings.Join(strings.Fields(code.String()), " "), Text: text.String()}
		if strings.HasSuffix(key, " _") {
			key += " " + d.Code
		}
		if _, dup := decls[key]; dup {
			return fmt.Errorf("duplicate declaration %s", key)
		}
		decls[key] = d
		return nil
	}
	for _, decl := range file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			key := "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				var recv bytes.Buffer
				if err := printer.Fprint(&recv, fset, d.Recv.List[0].Type); err != nil {
					return nil, err
				}
				key = "func (" + recv.String() + ")." + d.Name.Name
			}
			if err := add(key, d, d); err != nil {
				return nil, err
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				var key string
				switch s := spec.(type) {
				case *ast.ImportSpec:
					key = "import " + s.Path.Value
				case *ast.TypeSpec:
					key = "type " + s.Name.Name
				case *ast.ValueSpec:
					key = d.Tok.String() + " " + strings.Join(names(s.Names, func(n *ast.Ident) string { return n.Name }), ", ")
				}
				// an unparenthesized declaration carries the doc comment
				var commented ast.Node = spec
				if !d.Lparen.IsValid() {
					commented = d
				}
				if err := add(key, spec, commented); err != nil {
					return nil, err
				}
			}
		}
	}
	return decls, nil
}

// stripComments drops the doc and line comments attached to node's syntax
// tree, which the printer would print otherwise.
func stripComments(node ast.Node) ast.Node {
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			n.Doc = nil
		case *ast.GenDecl:
			n.Doc = nil
		case *ast.Field:
			n.Doc, n.Comment = nil, nil
		case *ast.ValueSpec:
			n.Doc, n.Comment = nil, nil
		case *ast.TypeSpec:
			n.Doc, n.Comment = nil, nil
		case *ast.ImportSpec:
			n.Doc, n.Comment = nil, nil
		}
		return true
	})
	return node
}

// declDiff describes, in key order, the declarations that are missing from
// got, unexpected in got, or whose code differs.
func declDiff(want, got map[string]goDecl) []string {
	keys := sortedKeys(want)
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var diffs []string
	for _, k := range keys {
		w, inWant := want[k]
		g, inGot := got[k]
		switch {
		case !inGot:
			diffs = append(diffs, "missing: "+k)
		case !inWant:
			diffs = append(diffs, "unexpected: "+k)
		case w.Code != g.Code:
			diffs = append(diffs, fmt.Sprintf("differs: %s\n\twant: %s\n\tgot:  %s", k, w.Code, g.Code))
		}
	}
	return diffs
}
