// Command mutate runs mutation testing (gremlins, pinned in ../go.mod) on
// every pure package of the repository and prints one line per package:
// mutants killed, lived, not covered and timed out, the test efficacy and the
// mutator coverage. It exits non-zero when a package is below the figures the
// project holds itself to, or when gremlins fails on one.
//
// The pure packages are every package of ci/ except package main, ci/internal/
// and ci/hack/, and every package of echo-server/internal/, listed with
// go list so that new packages are picked up without editing anything.
//
// Usage, from tools/ (make mutate does this):
//
//	GOWORK=off go run ./mutate [-root ..] [-v] [ci/labels echo-server/internal/echo ...]
//
// With package directories as arguments only those are tested; -v lists
// every Mutant that lived or was not covered.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"echo-server/tools/mutation"
)

// A scope is one Go module of the repository and the packages of it that are
// mutation-tested.
type scope struct {
	dir     string   // module directory, relative to the repository root
	pattern string   // go list pattern
	exclude []string // import path prefixes left out, relative to the module path
}

// scopes are the pure packages: the pipeline's decisions and the service's
// internals. Package main is thin glue and is left out everywhere.
var scopes = []scope{
	{dir: "ci", pattern: "./...", exclude: []string{"internal", "hack"}},
	{dir: "echo-server", pattern: "./internal/..."},
}

func main() {
	root := flag.String("root", "..", "the repository root")
	verbose := flag.Bool("v", false, "list every Mutant that lived or was not covered")
	flag.Parse()
	if err := run(*root, flag.Args(), *verbose, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

// run tests the packages and prints the table; only lists the package
// directories (relative to root) to test, all when empty.
func run(root string, only []string, verbose bool, stdout, stderr io.Writer) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	gremlins, err := gremlinsPath()
	if err != nil {
		return err
	}
	var pkgs []pkg
	for _, s := range scopes {
		found, err := listPackages(root, s)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, found...)
	}
	if len(only) > 0 {
		pkgs = slices.DeleteFunc(pkgs, func(p pkg) bool {
			return !slices.Contains(only, p.rel) && !slices.Contains(only, "./"+p.rel)
		})
		if len(pkgs) == 0 {
			return fmt.Errorf("no pure package among %q", only)
		}
	}

	tmp, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintln(stdout, mutation.Header())
	var failed []string
	for i, p := range pkgs {
		report := filepath.Join(tmp, fmt.Sprintf("%d.json", i))
		out, err := unleash(gremlins, p, report)
		if err != nil {
			fmt.Fprintf(stdout, "%-40s gremlins failed: %v\n", p.rel, err)
			stderr.Write(out)
			failed = append(failed, p.rel)
			continue
		}
		s, err := mutation.ReadSummary(report)
		if err != nil {
			return fmt.Errorf("%s: %w", p.rel, err)
		}
		fmt.Fprintln(stdout, s.Line(p.rel))
		if verbose {
			for _, m := range s.Survivors {
				fmt.Fprintf(stdout, "    %s %s at %s/%s:%d:%d\n", m.Status, m.Type, p.rel, m.File, m.Line, m.Column)
			}
		}
		if !s.Meets(mutation.MinEfficacy, mutation.MinCoverage) {
			failed = append(failed, p.rel)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("below %.0f%% efficacy or %.0f%% mutator coverage, or not run: %s (run with -v to list the mutants)",
			mutation.MinEfficacy, mutation.MinCoverage, strings.Join(failed, " "))
	}
	return nil
}

// gremlinsPath builds the pinned gremlins tool of this module and returns its
// path in the build cache.
func gremlinsPath() (string, error) {
	cmd := exec.Command("go", "tool", "-n", "gremlins")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("build gremlins (go tool -n gremlins): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// A pkg is a package to mutation-test.
type pkg struct {
	module string // module directory, absolute
	dir    string // package directory, absolute
	rel    string // package directory relative to the repository root, e.g. ci/labels
}

// listPackages lists the pure packages of scope s with go list.
func listPackages(root string, s scope) ([]pkg, error) {
	module := filepath.Join(root, s.dir)
	// -e: a package that does not build (a half-written one elsewhere in the
	// module) is still listed, and reported as failing on its own line.
	cmd := exec.Command("go", "list", "-e", "-f", "{{.Name}}\t{{.ImportPath}}\t{{with .Module}}{{.Path}}{{end}}\t{{.Dir}}\t{{len .GoFiles}}", s.pattern)
	cmd.Dir = module
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s in %s: %w: %s", s.pattern, s.dir, err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("go list in %s: unexpected line %q", s.dir, line)
		}
		if f[4] == "0" || !pure(f[0], f[1], f[2], s.exclude) {
			// A directory of tests alone has nothing to mutate.
			continue
		}
		rel, err := filepath.Rel(root, f[3])
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, pkg{module: module, dir: f[3], rel: filepath.ToSlash(rel)})
	}
	return pkgs, nil
}

// pure reports whether the package named name, with import path importPath in
// module modulePath, is mutation-tested: not package main and not under any
// of the excluded directories of the module.
func pure(name, importPath, modulePath string, exclude []string) bool {
	if name == "main" {
		return false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(importPath, modulePath), "/")
	for _, e := range exclude {
		if rel == e || strings.HasPrefix(rel, e+"/") {
			return false
		}
	}
	return true
}

// operators are the gremlins v0.5.0 mutators that are off by default and
// turned on here: every one that is sound for this code. The five on by
// default (arithmetic-base, conditionals-boundary, conditionals-negation,
// increment-decrement, invert-negatives) stay on. Each of these makes a
// mutant that changes what the code does wherever its token appears:
//
//   - invert-assignments: += -= *= /= %= become their inverse. Its %= is
//     mapped to itself (a mutant identical to the code, that always lives);
//     no %= is written in the pure packages, and TestNoRemainderAssignment
//     keeps it that way.
//   - invert-bitwise: & | ^ &^ << >> (the checklist's mode bits, the echo
//     server's hex escapes).
//   - invert-bwassign: &= |= ^= &^= <<= >>= (the checklist's mode flags).
//   - invert-logical: && and || swap (every compound condition).
//   - invert-loopctrl: break and continue swap.
//   - remove-self-assignments: x op= y becomes x = y (counters, offsets,
//     appended strings).
var operators = []string{
	"--invert-assignments",
	"--invert-bitwise",
	"--invert-bwassign",
	"--invert-logical",
	"--invert-loopctrl",
	"--remove-self-assignments",
}

// unleashArgs are gremlins' arguments that test the package in dir and write
// the JSON report to report.
//
// Each Mutant's tests are stopped after the coverage run's duration times
// the coefficient (3 by default): on a busy machine, recompiling the
// package alone can take that long and a killable Mutant is reported as
// timed out. 10 keeps real endless loops bounded.
func unleashArgs(report, dir string) []string {
	args := []string{"unleash", "--timeout-coefficient", "10", "--output", report}
	args = append(args, operators...)
	return append(args, dir)
}

// unleash runs gremlins on package p and writes its JSON report. GOWORK=off:
// gremlins runs each Mutant's tests in a copy of the module outside the
// repository, where go.work is not found, so the coverage run in the module
// itself must not use it either.
func unleash(gremlins string, p pkg, report string) ([]byte, error) {
	cmd := exec.Command(gremlins, unleashArgs(report, p.dir)...)
	cmd.Dir = p.module
	cmd.Env = append(os.Environ(), "GOWORK=off")
	return cmd.CombinedOutput()
}
