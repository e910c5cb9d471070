package labels

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// acceptedRemotes describes, for error messages, the remote URLs
// NormaliseRemote accepts.
const acceptedRemotes = "want an https, http, ssh or git URL, or a scp-like host:owner/repo address"

// NormaliseRemote turns a git remote URL into its https web address with any
// credentials stripped. Scp-like "git@github.com:acme/echo-server.git",
// "ssh://git@host:22/acme/x.git", "git://host/x", "http://…" and
// "https://user:token@host/x.git" all become "https://host/path" without
// ".git", trailing "/", userinfo, query or fragment. The host is lowercased;
// the port is kept only for http and https remotes on a non-default port
// (an ssh or git port says nothing about the web address).
//
// Local paths, file:// URLs and anything unparsable return an error. Neither
// the result nor the error text ever contains the userinfo of raw.
func NormaliseRemote(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", errors.New("remote URL is empty: " + acceptedRemotes)
	}
	if scheme, _, ok := strings.Cut(s, "://"); ok && validScheme(scheme) {
		return normaliseURL(s, strings.ToLower(scheme))
	}
	return normaliseSCP(s)
}

// validScheme reports whether s is a URL scheme: a letter followed by
// letters, digits, '+', '-' or '.'.
func validScheme(s string) bool {
	return s != "" && isLetter(s[0]) && !strings.ContainsFunc(s[1:], func(r rune) bool {
		return !strings.ContainsRune(schemeChars, r)
	})
}

// schemeChars are the characters of a URL scheme after its first letter.
const schemeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-."

// normaliseURL normalises a remote written as a URL with the given
// (lowercased) scheme.
func normaliseURL(s, scheme string) (string, error) {
	switch scheme {
	case "https", "http", "ssh", "git", "git+ssh", "ssh+git":
	case "file":
		return "", fmt.Errorf("remote URL %q is a local path: %s", redact(s), acceptedRemotes)
	default:
		return "", fmt.Errorf("remote URL %q has unsupported scheme %q: %s", redact(s), scheme, acceptedRemotes)
	}
	// The parse error is not wrapped: its text repeats the URL, credentials included.
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("remote URL %q is not a valid URL: %s", redact(s), acceptedRemotes)
	}
	host, err := webHost(u.Hostname(), u.Port(), scheme)
	if err != nil {
		return "", fmt.Errorf("remote URL %q: %w", redact(s), err)
	}
	return webAddress(host, u.Path, s)
}

// normaliseSCP normalises a scp-like remote, [user@]host:path.
func normaliseSCP(s string) (string, error) {
	hostPart, repoPath, ok := splitSCP(s)
	if !ok {
		return "", fmt.Errorf("remote URL %q is a local path: %s", redact(s), acceptedRemotes)
	}
	if len(hostPart) == 1 && isLetter(hostPart[0]) && (repoPath == "" || repoPath[0] == '/' || repoPath[0] == '\\') {
		return "", fmt.Errorf("remote URL %q is a local Windows path: %s", redact(s), acceptedRemotes)
	}
	host := hostPart
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") && !isIPv6(host[1:len(host)-1]) {
		// [user@host:port]:path, the bracketed form that lets ssh take a port.
		host = host[1 : len(host)-1]
	}
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = host[at+1:]
	}
	switch {
	case strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]"):
		host = host[1 : len(host)-1]
	case strings.Contains(host, ":"):
		host, _, _ = strings.Cut(host, ":")
	}
	host, err := webHost(host, "", "ssh")
	if err != nil {
		return "", fmt.Errorf("remote URL %q: %w", redact(s), err)
	}
	return webAddress(host, "/"+repoPath, s)
}

// splitSCP splits a scp-like remote at the first ':' outside brackets. Like
// git, it treats s as a local path when it has no such ':' or a '/' comes
// before it.
func splitSCP(s string) (hostPart, repoPath string, ok bool) {
	bracketed := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			bracketed = true
		case ']':
			bracketed = false
		case '/':
			if !bracketed {
				return "", "", false
			}
		case ':':
			if !bracketed {
				return s[:i], s[i+1:], i > 0
			}
		}
	}
	return "", "", false
}

// webHost validates host and returns it lowercased, bracketed when it is an
// IPv6 address, with port appended when the remote's scheme serves the web
// address too (http or https) and the port is not that scheme's default.
func webHost(host, port, scheme string) (string, error) {
	host = strings.ToLower(host)
	switch {
	case isIPv6(host):
		host = "[" + host + "]"
	case !validHostname(host):
		return "", fmt.Errorf("host %q is not a hostname or IP address", host)
	}
	if port == "" {
		return host, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("port %q is not a port number: want 1 to 65535", port)
	}
	if (scheme == "https" && n != 443) || (scheme == "http" && n != 80) {
		return host + ":" + port, nil
	}
	return host, nil
}

// webAddress joins host and the repository path p into an https address,
// without ".git" or trailing slashes. raw is the remote, for error messages.
func webAddress(host, p, raw string) (string, error) {
	p = strings.TrimRight(p, "/")
	p = strings.TrimSuffix(p, ".git")
	p = strings.TrimRight(p, "/")
	if p != "" {
		p = path.Clean("/" + p)
	}
	if p == "" || p == "/" {
		return "", fmt.Errorf("remote URL %q names no repository: %s", redact(raw), acceptedRemotes)
	}
	return (&url.URL{Scheme: "https", Host: host, Path: p}).String(), nil
}

// isIPv6 reports whether s is an IPv6 address without a zone.
func isIPv6(s string) bool {
	addr, err := netip.ParseAddr(s)
	return err == nil && addr.Is6() && addr.Zone() == ""
}

// validHostname reports whether s is a DNS name or IPv4 address: dot-separated
// labels of letters, digits, '-' and '_', none starting with '-'.
func validHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(s, "."), ".") {
		if label == "" || label[0] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isLetter(c) && !isDigit(c) && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

// overrideURL validates raw, the value of the Meta URL field named field, and
// returns it without credentials; "" when raw is empty. It must be an
// absolute http or https URL with a valid host. For the source (source true)
// the fragment and trailing slashes are stripped too, as "#readme" is
// appended to it for the documentation.
func overrideURL(field, raw string, source bool) (string, error) {
	if raw == "" {
		return "", nil
	}
	// The parse error is not wrapped: its text repeats the URL, credentials included.
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf(`invalid Meta.%s %q: want an absolute http or https URL such as "https://github.com/acme/echo-server"`, field, redact(raw))
	}
	if _, err := webHost(u.Hostname(), u.Port(), u.Scheme); err != nil {
		return "", fmt.Errorf("invalid Meta.%s %q: %w", field, redact(raw), err)
	}
	u.User = nil
	if source {
		u.Fragment, u.RawFragment = "", ""
		u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), ""
	}
	return u.String(), nil
}

// redact hides whatever could be a credential in a URL before it is put in an
// error message: everything between the scheme and the last '@' (or from the
// start when there is no scheme), the query and the fragment. It errs on the
// side of hiding too much: an error message needs only the shape of the URL.
func redact(raw string) string {
	s, query := raw, ""
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s, query = s[:i], s[i:i+1]+"***"
	}
	if at := strings.LastIndex(s, "@"); at >= 0 {
		start := 0
		if i := strings.Index(s[:at], "://"); i >= 0 {
			start = i + len("://")
		}
		s = s[:start] + "***" + s[at:]
	}
	return s + query
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
