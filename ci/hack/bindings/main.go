// Command bindings regenerates the Dagger module bindings of this repository
// (ci/dagger.gen.go and ci/internal/dagger/) without a Dagger engine, and
// checks that the committed copy is fresh.
//
//	go -C ci/hack/bindings run . generate [-repo DIR] [-v]
//	go -C ci/hack/bindings run . check [-repo DIR] [-v]
//
// See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"
)

const usage = `usage: go -C ci/hack/bindings run . <command> [-repo DIR] [-v]

commands:
  generate  regenerate the bindings in place
  check     regenerate into a temporary copy and compare with the committed files

flags:
`

var (
	// errStale reports a failed check; the verdict has been printed.
	errStale = errors.New("bindings are stale")
	// errUsage reports a wrong command line; the usage has been printed.
	errUsage = errors.New("usage")
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errStale):
		os.Exit(1)
	default:
		slog.Error(err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bindings", flag.ContinueOnError)
	fs.SetOutput(stderr)
	repo := fs.String("repo", "", "repository root (default: the nearest directory above with a dagger.json)")
	verbose := fs.Bool("v", false, "show codegen's output")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	// flags may come before or after the command
	if err := fs.Parse(args); err != nil {
		return errUsage // flag printed the error and the usage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	command := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %q\n", fs.Args())
		fs.Usage()
		return errUsage
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})))

	switch command {
	case "generate", "check":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n", command)
		fs.Usage()
		return errUsage
	}

	start := time.Now()
	root, err := findRepo(*repo)
	if err != nil {
		return err
	}
	r, err := newRegenerator(ctx, root, "", *verbose)
	if err != nil {
		return err
	}
	defer r.close()

	if command == "generate" {
		if err := r.generate(ctx); err != nil {
			return err
		}
		slog.Info("bindings regenerated", "took", time.Since(start).Round(time.Millisecond))
		return nil
	}

	diffs, err := r.check(ctx)
	if err != nil {
		return err
	}
	slog.Debug("check done", "took", time.Since(start).Round(time.Millisecond))
	return report(stdout, diffs)
}

// report prints the outcome of a check: one line per differing file and a
// verdict. It returns errStale when there are differences.
func report(w io.Writer, diffs []string) error {
	for _, d := range diffs {
		fmt.Fprintln(w, d)
	}
	if len(diffs) > 0 {
		fmt.Fprintln(w, "bindings are stale: run 'make bindings' and commit the result")
		return errStale
	}
	fmt.Fprintln(w, "bindings are fresh")
	return nil
}
