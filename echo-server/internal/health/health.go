// Package health serves the health endpoint and probes it. The probe is what
// the container image runs as its HEALTHCHECK, so the image needs neither a
// shell nor curl.
package health

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Path is the path of the health endpoint.
const Path = "/healthz"

var (
	okBody          = []byte("ok\n")
	textContentType = []string{"text/plain; charset=utf-8"}
)

// Handler answers GET and HEAD with 200 "ok" and other methods with 405.
func Handler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header()["Content-Type"] = textContentType
	w.Write(okBody) //nolint:errcheck // the client has gone; nothing to do.
}

// URL returns the URL that probes a server listening on listen, a host:port
// as given to the server. A server listening on all interfaces (no host,
// 0.0.0.0 or ::) is probed on 127.0.0.1; one bound to a specific host is
// probed there.
func URL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", listen, err)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return "", fmt.Errorf("listen address %q has no fixed port to probe", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	u := url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: Path}
	return u.String(), nil
}

// Check sends GET to target and returns nil if the answer is 200 OK within
// timeout. Redirects are not followed and proxies are not used.
func Check(ctx context.Context, target string, timeout time.Duration) error {
	client := &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:             nil,
			DisableKeepAlives: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("building request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			// The URL is printed next to the error already.
			err = urlErr.Err
		}
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) //nolint:errcheck // only the status matters.
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}
