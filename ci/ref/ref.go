// Package ref parses and builds image references: registry repositories,
// tags and digests.
package ref

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// maxNameLength is the longest repository name, as written, that registry
// clients accept.
const maxNameLength = 255

var (
	// pathComponentRE matches one path component of a repository name.
	pathComponentRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$`)
	// hostnameRE matches a lowercase DNS name or IPv4 address without a port.
	hostnameRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$`)
	// tagRE matches a valid tag.
	tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// digestRE matches a sha256 digest.
	digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
)

// Repository is a parsed image repository reference without tag or digest.
type Repository struct {
	Host string // registry host[:port], e.g. "ghcr.io", "localhost:5000", "docker.io"
	Path string // e.g. "acme/echo-server"
}

// ParseRepository parses HOST[:PORT]/PATH, e.g. ghcr.io/acme/echo-server or
// localhost:5000/echo-server, and the Docker Hub short forms:
// acme/echo-server is docker.io/acme/echo-server and a single name such as
// echo-server is docker.io/library/echo-server. index.docker.io is
// normalised to docker.io.
//
// The first component is a host when it contains "." or ":" or is
// "localhost"; a host alone, without a path, is rejected. Hosts are lowercase
// DNS names or IPv4 addresses, or IPv6 addresses in brackets such as
// [::1]:5000, each with an optional port 1-65535; an unbracketed IPv6
// address is rejected. Path components are lowercase [a-z0-9]+ separated by
// ".", "_", "__" or one or more "-", so empty components (double or trailing
// slashes) are rejected. The name as written is at most 255 characters. A
// tag or digest is rejected: tags are given separately.
func ParseRepository(s string) (Repository, error) {
	in := strings.TrimSpace(s)
	if i := strings.LastIndex(in, "@"); i >= 0 {
		return Repository{}, repoError(s, fmt.Sprintf("digest %q is not accepted here (tags go in --tags)", in[i:]))
	}
	parts := strings.Split(in, "/")
	last := parts[len(parts)-1]
	if len(parts) == 1 && isHost(last) {
		if _, port, ok := strings.Cut(last, ":"); !ok || isPort(port) {
			return Repository{}, repoError(s, "no repository path after the host")
		}
	}
	if name, tag, ok := strings.Cut(last, ":"); ok && tag != "" && pathComponentRE.MatchString(name) {
		return Repository{}, repoError(s, fmt.Sprintf("tag %q is not accepted here (tags go in --tags)", ":"+tag))
	}

	r := Repository{Host: "docker.io", Path: in}
	if len(parts) > 1 && isHost(parts[0]) {
		r.Host, r.Path = parts[0], strings.Join(parts[1:], "/")
		parts = parts[1:]
		if r.Path == "" {
			return Repository{}, repoError(s, "no repository path after the host")
		}
	}
	if r.Host == "index.docker.io" {
		r.Host = "docker.io"
	}
	if r.Host == "docker.io" && len(parts) == 1 {
		r.Path = "library/" + r.Path
	}
	if !validHost(r.Host) {
		return Repository{}, repoError(s, "")
	}
	for _, c := range parts {
		if !pathComponentRE.MatchString(c) {
			return Repository{}, repoError(s, "")
		}
	}
	if n := len(in); n > maxNameLength {
		return Repository{}, repoError(s, fmt.Sprintf("name is %d characters, the limit is %d", n, maxNameLength))
	}
	return r, nil
}

// repoError returns the error for an unusable repository s, with an optional
// reason in front of what is accepted.
func repoError(s, reason string) error {
	if reason != "" {
		reason += "; "
	}
	return fmt.Errorf("invalid registry %q: %swant HOST[:PORT]/PATH in lowercase without tag or digest, e.g. ghcr.io/acme/echo-server", s, reason)
}

// isHost reports whether the first component of a name is a registry host
// rather than the first path component of a Docker Hub repository.
func isHost(c string) bool {
	return strings.ContainsAny(c, ".:") || c == "localhost"
}

// validHost reports whether h is a lowercase hostname, IPv4 address or
// bracketed IPv6 address, with an optional port.
func validHost(h string) bool {
	if bracketed, ok := strings.CutPrefix(h, "["); ok {
		addr, rest, ok := strings.Cut(bracketed, "]")
		if !ok {
			return false
		}
		ip := net.ParseIP(addr)
		if ip == nil || ip.To4() != nil && !strings.Contains(addr, ":") || strings.ToLower(addr) != addr {
			return false
		}
		if rest == "" {
			return true
		}
		port, ok := strings.CutPrefix(rest, ":")
		return ok && isPort(port)
	}
	name, port, hasPort := strings.Cut(h, ":")
	if hasPort && !isPort(port) {
		return false
	}
	return hostnameRE.MatchString(name)
}

// isPort reports whether s is a decimal TCP port number 1-65535.
func isPort(s string) bool {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return false
	}
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

// String returns the repository as HOST/PATH, e.g. "ghcr.io/acme/echo-server".
func (r Repository) String() string {
	return r.Host + "/" + r.Path
}

// OnHost returns r in the same registry reached under another host name,
// keeping the port: {localhost:5000 echo}.OnHost("registry") is
// {registry:5000 echo}. A throwaway registry is localhost to the engine but
// a service alias to the containers bound to it.
func (r Repository) OnHost(name string) Repository {
	host := name
	if port := r.Port(); port != "" {
		host += ":" + port
	}
	return Repository{Host: host, Path: r.Path}
}

// Port returns the port of r's host, "" when it names none:
// "localhost:5000" -> "5000", "[::1]:5000" -> "5000", "ghcr.io" -> "".
func (r Repository) Port() string {
	hostPort := r.Host
	if _, afterIPv6, ok := strings.Cut(hostPort, "]"); ok {
		hostPort = afterIPv6
	}
	_, port, _ := strings.Cut(hostPort, ":")
	return port
}

// WithTag returns the reference to tag in r, e.g.
// "ghcr.io/acme/echo-server:1.2.3". The tag is not validated; see ValidateTag.
func (r Repository) WithTag(tag string) string {
	return r.String() + ":" + tag
}

// WithDigest returns the reference to digest d in r, e.g.
// "ghcr.io/acme/echo-server@sha256:…". The digest is not validated.
func (r Repository) WithDigest(d string) string {
	return r.String() + "@" + d
}

// ValidateTag checks that tag is a valid image tag:
// [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
func ValidateTag(tag string) error {
	if !tagRE.MatchString(tag) {
		return fmt.Errorf("invalid tag %q: want up to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'", tag)
	}
	return nil
}

// Tags returns the tags to push. When explicit holds any tags (entries may
// be comma-separated; blanks are ignored) those are used, validated and
// de-duplicated in order. Otherwise the tags are version and commit (the
// full commit SHA), each skipped when empty or "unknown". "latest" is added
// last when latest is true, in either case. An empty result is an error
// asking for --tags.
func Tags(explicit []string, version, commit string, latest bool) ([]string, error) {
	var candidates []string
	for _, entry := range explicit {
		for _, t := range strings.Split(entry, ",") {
			if t = strings.TrimSpace(t); t != "" {
				candidates = append(candidates, t)
			}
		}
	}
	explicitGiven := len(candidates) > 0
	if !explicitGiven {
		for _, t := range []string{version, commit} {
			if t = strings.TrimSpace(t); t != "" && t != "unknown" {
				candidates = append(candidates, t)
			}
		}
	}
	if latest {
		candidates = append(candidates, "latest")
	}

	var tags []string
	seen := make(map[string]bool)
	for _, t := range candidates {
		if err := ValidateTag(t); err != nil {
			if !explicitGiven {
				return nil, fmt.Errorf("tag from git metadata: %w; pass --tags", err)
			}
			return nil, err
		}
		if !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return nil, fmt.Errorf("no image tags: no --tags given and no git version or commit known; pass --tags")
	}
	return tags, nil
}

// Digest extracts the "sha256:<64 hex>" digest from a published reference
// such as "ghcr.io/acme/echo-server:1.2.3@sha256:…", as returned by
// publishing a container.
func Digest(published string) (string, error) {
	s := strings.TrimSpace(published)
	i := strings.LastIndex(s, "@")
	if i < 0 {
		return "", fmt.Errorf("no digest in published reference %q: want NAME[:TAG]@sha256:<64 lowercase hex digits>", published)
	}
	d := s[i+1:]
	if !digestRE.MatchString(d) {
		return "", fmt.Errorf("malformed digest %q in published reference %q: want sha256:<64 lowercase hex digits>", d, published)
	}
	return d, nil
}
