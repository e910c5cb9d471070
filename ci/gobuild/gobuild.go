// Package gobuild builds the go command lines the pipeline runs: go vet,
// go test and a static, reproducible go build with version stamping.
package gobuild

import (
	"fmt"
	"strings"
)

// Stamp is the version information linked into the binary with -X. The
// echo server declares these as main.version, main.commit and main.date.
type Stamp struct {
	Version string
	Commit  string
	Date    string
}

// Vet returns the go vet command line for every package of the module.
func Vet(flags []string) []string {
	return goCmd("vet", flags, "./...")
}

// Test returns the go test command line for every package of the module.
func Test(flags []string) []string {
	return goCmd("test", flags, "./...")
}

// LDFlags returns the linker flags of a release build: stripped of symbol
// and DWARF tables, stamped with s, followed by any extra flags.
func LDFlags(s Stamp, extra string) (string, error) {
	flags := []string{"-s", "-w"}
	for _, v := range []struct{ name, value string }{
		{"main.version", s.Version},
		{"main.commit", s.Commit},
		{"main.date", s.Date},
	} {
		if v.value == "" || strings.ContainsAny(v.value, " \t\r\n'\"") {
			return "", fmt.Errorf("stamp %s=%q: want a non-empty value without spaces or quotes", v.name, v.value)
		}
		flags = append(flags, "-X", v.name+"="+v.value)
	}
	if extra = strings.TrimSpace(extra); extra != "" {
		flags = append(flags, extra)
	}
	return strings.Join(flags, " "), nil
}

// Build returns the go build command line that writes a static binary of the
// module's main package to out. Static means no cgo: the caller runs it with
// CGO_ENABLED=0 (see Env).
func Build(s Stamp, extraLDFlags string, flags []string, out string) ([]string, error) {
	ld, err := LDFlags(s, extraLDFlags)
	if err != nil {
		return nil, err
	}
	args := []string{"-trimpath", "-ldflags", ld}
	args = append(args, flags...)
	args = append(args, "-o", out)
	return goCmd("build", args, "."), nil
}

// Env is the environment every go command of the pipeline runs with: no cgo
// (a static binary that runs on any libc), the image's own toolchain only
// (no download behind the caller's back), no VCS stamping (the source
// directory carries no .git; the version is stamped with -X instead), and
// -trimpath for every command, not only the release build: a compile's
// flags are part of its build cache key, so with the same flags go vet,
// go test and go build share one compile of each package instead of three.
func Env() [][2]string {
	return [][2]string{
		{"CGO_ENABLED", "0"},
		{"GOTOOLCHAIN", "local"},
		{"GOFLAGS", "-buildvcs=false -trimpath"},
	}
}

// Prepare returns the command that compiles, once and ahead of go vet,
// go test and the build for the builder's own platform, every package they
// compile: the module's packages, their tests and all their dependencies,
// standard library included (go list -export compiles each package listed
// for its export data, into the build cache, with the flags of Env). It
// links, vets and runs nothing. -e keeps it from failing on the module's
// own errors: the commands after it report those themselves.
func Prepare() []string {
	return []string{"go", "list", "-e", "-deps", "-test", "-export", "-f", "{{.ImportPath}}", "./..."}
}

// FreshCache is the Go build cache of a build from scratch: an empty
// directory, which the caller mounts as a temporary file system so that
// the cache, used once, is never stored.
const FreshCache = "/tmp/go-build-fresh"

// FreshEnv is the environment that makes a build run again from scratch:
// an empty Go build cache (FreshCache), and nonce, which differs on every
// call, so the engine cannot answer from its cache either. Neither changes
// the binary.
func FreshEnv(nonce string) [][2]string {
	return [][2]string{
		{"GOCACHE", FreshCache},
		{"ECHO_SERVER_REBUILD", nonce},
	}
}

func goCmd(sub string, flags []string, target string) []string {
	cmd := append([]string{"go", sub}, flags...)
	return append(cmd, target)
}
