package repository_test

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// parseModule parses ci/main.go, where the module's functions are declared.
func parseModule(t *testing.T) (*token.FileSet, *ast.File, string) {
	t.Helper()
	path := filepath.Join(repoRoot, "ci", "main.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f, string(src)
}

// functions returns the module's functions: the exported methods of
// *EchoServer, by name.
func functions(f *ast.File) map[string]*ast.FuncDecl {
	fns := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || !fn.Name.IsExported() {
			continue
		}
		if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
			if id, ok := star.X.(*ast.Ident); ok && id.Name == "EchoServer" {
				fns[fn.Name.Name] = fn
			}
		}
	}
	return fns
}

// TestFunctionsEndInFinal holds every function to the boundary of
// failure.Final: the Go SDK reduces an error whose %w chain ends in one
// Dagger API error to that error alone, dropping the pipeline's
// explanation, so each function returns failure.Final(err) as its last
// result, once, at its end.
func TestFunctionsEndInFinal(t *testing.T) {
	_, f, _ := parseModule(t)
	fns := functions(f)
	if len(fns) < 10 {
		t.Fatalf("found %d functions of *EchoServer in ci/main.go, want the module's ten or more", len(fns))
	}
	for name, fn := range fns {
		finals := 0
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if isFinal(n) {
				finals++
			}
			return true
		})
		last, ok := fn.Body.List[len(fn.Body.List)-1].(*ast.ReturnStmt)
		if !ok || len(last.Results) == 0 || !isFinal(last.Results[len(last.Results)-1]) || finals != 1 {
			t.Errorf("%s: want its body to end in one return whose error is failure.Final(err), and no other failure.Final", name)
		}
	}
}

func isFinal(n ast.Node) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "failure" && sel.Sel.Name == "Final"
}

// TestFunctionPragmas holds the pragmas users rely on: publish is a side
// effect, never answered from the cache; build and tarball return what the
// module wrote in its working directory, which the engine reads from that
// call's client only (workdirFile is a per-client input), and provenance a
// random invocation id, so none of them is answered from another session's
// cache; vet, test, smoke and check are what dagger check runs.
func TestFunctionPragmas(t *testing.T) {
	_, f, _ := parseModule(t)
	fns := functions(f)
	for name, want := range map[string]string{
		"Publish":    `+cache="never"`,
		"Build":      `+cache="session"`,
		"Tarball":    `+cache="session"`,
		"Provenance": `+cache="session"`,
		"Vet":        "+check",
		"Test":       "+check",
		"Smoke":      "+check",
		"Check":      "+check",
	} {
		fn, ok := fns[name]
		if !ok {
			t.Errorf("no function %s in ci/main.go", name)
			continue
		}
		if fn.Doc == nil || !slices.Contains(strings.Split(fn.Doc.Text(), "\n"), want) {
			t.Errorf("%s: its doc comment lacks the pragma %s", name, want)
		}
	}
	for name, fn := range fns {
		if strings.Contains(fn.Doc.Text(), "+check") && !slices.Contains([]string{"Vet", "Test", "Smoke", "Check"}, name) {
			t.Errorf("%s is a +check: dagger check would run it", name)
		}
	}
}

// exportRE finds the files README.md's commands export into the checkout.
var exportRE = regexp.MustCompile(`export --path[ =]([^ \x60\n]+)`)

// TestRepoIgnoresUserFiles holds the repo argument's +ignore to what users
// keep or make in the checkout: user defaults (.env), the private key and
// every file README.md's commands export. Uploaded, they would mark the
// build dirty (a new version, a new digest) or leak.
func TestRepoIgnoresUserFiles(t *testing.T) {
	_, _, src := parseModule(t)
	ignore := repoIgnore(t, src)
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"**/.env", "cosign.key"}
	for _, m := range exportRE.FindAllStringSubmatch(string(readme), -1) {
		want = append(want, m[1])
	}
	if len(want) < 4 {
		t.Fatalf("README.md exports %d files (%q): want its export commands found", len(want)-2, want[2:])
	}
	for _, w := range want {
		if !slices.Contains(ignore, w) {
			t.Errorf("the repo argument's +ignore %q lacks %q", ignore, w)
		}
	}
}

// repoIgnore returns the +ignore list of the constructor's repo argument.
func repoIgnore(t *testing.T, src string) []string {
	t.Helper()
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "repo *dagger.Directory," {
			continue
		}
		for j := i - 1; j >= 0 && strings.HasPrefix(strings.TrimSpace(lines[j]), "//"); j-- {
			if v, ok := strings.CutPrefix(strings.TrimSpace(lines[j]), "// +ignore="); ok {
				var list []string
				if err := json.Unmarshal([]byte(v), &list); err != nil {
					t.Fatalf("repo +ignore %s: %v", v, err)
				}
				return list
			}
		}
	}
	t.Fatal("no +ignore on the repo argument of New in ci/main.go")
	return nil
}

// TestRepoIgnoresGitignored holds the repo argument's +ignore to
// .gitignore: what git never tracks (keys, exports, build outputs such as a
// locally built binary) is never uploaded with the checkout either, where it
// would mark the build dirty or leak. Patterns anchored with a leading "/"
// in .gitignore are relative to the root, as +ignore patterns are.
func TestRepoIgnoresGitignored(t *testing.T) {
	_, _, src := parseModule(t)
	ignore := repoIgnore(t, src)
	data, err := os.ReadFile(filepath.Join(repoRoot, ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		want := strings.TrimPrefix(line, "/")
		if !strings.HasPrefix(line, "/") && !strings.Contains(line, "/") {
			want = "**/" + line // unanchored: any directory
		}
		if !slices.Contains(ignore, want) && !slices.Contains(ignore, "**/"+want) {
			t.Errorf(".gitignore has %q but the repo argument's +ignore %q lacks %q", line, ignore, want)
		}
	}
	if n < 10 {
		t.Fatalf(".gitignore lists %d patterns, want its dozen or so found", n)
	}
}

// maxTracked is the largest file the repository may track: sources, docs
// and small test data. A build output (a 26 MB binary was once committed)
// is uploaded with the module and the checkout on every call.
const maxTracked = 1 << 20

// TestNoLargeTrackedFiles fails when git tracks a file over 1 MiB.
func TestNoLargeTrackedFiles(t *testing.T) {
	out, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v (the tests run in a git checkout)", err)
	}
	files := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(files) < 50 {
		t.Fatalf("git ls-files lists %d files, want the repository's", len(files))
	}
	for _, f := range files {
		st, err := os.Lstat(filepath.Join(repoRoot, f))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the work tree, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > maxTracked {
			t.Errorf("git tracks %s, %d bytes: over 1 MiB (%d bytes); a build output belongs in .gitignore and the repo argument's +ignore", f, st.Size(), maxTracked)
		}
	}
}
