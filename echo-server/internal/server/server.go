// Package server builds the hardened http.Server of the echo server and runs
// it until its context ends, then shuts it down gracefully.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"echo-server/internal/config"
	"echo-server/internal/echo"
	"echo-server/internal/health"
)

// NewHandler routes the health endpoint to health.Handler and every other
// path to the echo handler, logging each request when cfg.AccessLog is set.
func NewHandler(cfg config.Config, log *slog.Logger) http.Handler {
	var h http.Handler = router{echo: echo.NewHandler(cfg.MaxBodyBytes)}
	if cfg.AccessLog {
		h = accessLog(h, log)
	}
	return h
}

// router matches the path exactly: unlike http.ServeMux it neither cleans
// nor redirects paths, which an echo server must report as they came.
type router struct {
	echo http.Handler
}

func (rt router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == health.Path {
		health.Handler(w, r)
		return
	}
	rt.echo.ServeHTTP(w, r)
}

// Listen listens on cfg.Listen. The connections' timeouts are those of the
// http.Server that New returns.
func Listen(ctx context.Context, cfg config.Config) (net.Listener, error) {
	return new(net.ListenConfig).Listen(ctx, "tcp", cfg.Listen)
}

// New returns an http.Server for h with the timeouts and limits of cfg.
// Errors of the server itself (such as failed TLS handshakes or accept
// errors) go to log at level warn.
func New(cfg config.Config, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Echo "OPTIONS *" too instead of answering it in net/http.
		DisableGeneralOptionsHandler: true,
	}
}

// Run serves on ln until ctx is done. It then stops accepting connections,
// closes idle ones, and waits up to drain for in-flight requests to finish.
// It returns nil after a complete graceful shutdown.
func Run(ctx context.Context, srv *http.Server, ln net.Listener, drain time.Duration, log *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	log.Info("shutting down", "reason", context.Cause(ctx).Error(), "drain", drain.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("in-flight requests did not finish within the %s drain: %w", drain, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	}
	log.Info("stopped")
	return nil
}
