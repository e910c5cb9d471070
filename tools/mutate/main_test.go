package main

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPure(t *testing.T) {
	exclude := []string{"internal", "hack"}
	tests := []struct {
		name, importPath string
		want             bool
	}{
		{"labels", "dagger/echo-server/labels", true},
		{"gitlog", "dagger/echo-server/gitlog", true},
		{"main", "dagger/echo-server", false},
		{"main", "dagger/echo-server/cmd/x", false},
		{"dagger", "dagger/echo-server/internal/dagger", false},
		{"internal", "dagger/echo-server/internal", false},
		{"bindings", "dagger/echo-server/hack/bindings", false},
		{"internalx", "dagger/echo-server/internalx", true},
		{"hacks", "dagger/echo-server/hacks/a", true},
		{"sub", "dagger/echo-server/labels/internal", true},
	}
	for _, tt := range tests {
		if got := pure(tt.name, tt.importPath, "dagger/echo-server", exclude); got != tt.want {
			t.Errorf("pure(%q, %q) = %v, want %v", tt.name, tt.importPath, got, tt.want)
		}
	}
	if !pure("echo", "echo-server/internal/echo", "echo-server", nil) {
		t.Error("pure(echo-server/internal/echo) with nothing excluded = false, want true")
	}
}

// TestOperators pins the gremlins operators turned on beyond its defaults,
// each by name, and where they go on the command line.
func TestOperators(t *testing.T) {
	want := []string{"unleash", "--timeout-coefficient", "10", "--output", "/tmp/r.json",
		"--invert-assignments", "--invert-bitwise", "--invert-bwassign", "--invert-logical", "--invert-loopctrl", "--remove-self-assignments",
		"/repo/ci/labels"}
	if got := unleashArgs("/tmp/r.json", "/repo/ci/labels"); !slices.Equal(got, want) {
		t.Errorf("unleashArgs = %q\nwant %q", got, want)
	}
}

// TestNoRemainderAssignment: gremlins' invert-assignments maps %= to
// itself, a mutant identical to the code that always lives; the mutated
// packages hold none, so the operator stays sound.
func TestNoRemainderAssignment(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, s := range scopes {
		base := filepath.Join(root, s.dir)
		err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(base, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel == "testdata" || strings.HasSuffix(rel, "/testdata") || !pure("x", rel, "", s.exclude) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || !strings.Contains(rel, "/") {
				return nil // package main of the module sits at its root
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fset := token.NewFileSet()
			var sc scanner.Scanner
			sc.Init(fset.AddFile(path, -1, len(src)), src, nil, 0)
			for {
				pos, tok, _ := sc.Scan()
				if tok == token.EOF {
					break
				}
				if tok == token.REM_ASSIGN {
					t.Errorf("%s: %%= is an always-living mutant of invert-assignments; write x = x %% y", fset.Position(pos))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
