// Command echo-server is an HTTP server that answers every request with a
// description of that request. See README.md for flags and subcommands.
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
	"syscall"

	"echo-server/internal/config"
	"echo-server/internal/health"
	"echo-server/internal/server"
)

// Build information, set with
// -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "unknown"
	date    = "unknown"
)

// Exit codes. The healthcheck subcommand uses only exitOK and exitFailure:
// Docker reserves 2 in a HEALTHCHECK.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	signalled, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	// Once shutdown starts, a second signal ends the process at once: the
	// default handling is back before ctx reports the first one.
	ctx, cancel := context.WithCancelCause(context.Background())
	context.AfterFunc(signalled, func() {
		stop()
		cancel(context.Cause(signalled))
	})
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code. The server
// shuts down gracefully when ctx is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "healthcheck":
			return healthcheck(ctx, args[1:], getenv, stdout, stderr)
		case "version":
			if len(args) > 1 {
				fmt.Fprintf(stderr, "echo-server: version takes no arguments, got %q\n", args[1])
				return exitUsage
			}
			fmt.Fprintln(stdout, versionLine())
			return exitOK
		}
	}

	cfg, err := config.Parse(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		var invalid *config.Error
		if errors.As(err, &invalid) {
			fmt.Fprintf(stderr, "echo-server: %v\n", err)
		} else {
			fmt.Fprintf(stderr, "echo-server: %v (see echo-server -h)\n", err)
		}
		return exitUsage
	}
	if cfg.Version {
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	}

	log := newLogger(stderr, cfg)
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("server failed", "err", err.Error())
		return exitFailure
	}
	return exitOK
}

func versionLine() string {
	return fmt.Sprintf("echo-server %s (commit %s, built %s)", version, commit, date)
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == config.LogFormatText {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// serve listens, logs the bound address and serves until ctx is done.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	ln, err := server.Listen(ctx, cfg)
	if err != nil {
		return err // "listen tcp :80: bind: permission denied" says it all.
	}
	log.Info("listening", "addr", ln.Addr().String(), "version", version, "commit", commit)
	srv := server.New(cfg, server.NewHandler(cfg, log), log)
	return server.Run(ctx, srv, ln, cfg.ShutdownTimeout, log)
}

// healthcheck probes the health endpoint of the server configured by args
// and the environment, printing one line. Every failure, a bad configuration
// included, exits with exitFailure.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	hc, err := config.ParseHealthcheck(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var target string
	if err == nil {
		target, err = health.URL(hc.Listen)
	}
	if err != nil {
		fmt.Fprintf(stderr, "unhealthy: %v\n", err)
		return exitFailure
	}
	if err := health.Check(ctx, target, hc.Timeout); err != nil {
		fmt.Fprintf(stderr, "unhealthy: %s: %v\n", target, err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "healthy: %s\n", target)
	return exitOK
}
