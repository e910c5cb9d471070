// Package ref parses and builds image references: registry repositories,
// tags and digests. The grammar is go-containerregistry's (package name),
// the one crane and cosign read references with.
package ref

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// dockerHub is how Docker Hub is written here, as docker and Kyverno write
// it; package name calls it index.docker.io (name.DefaultRegistry).
const dockerHub = "docker.io"

// Repository is a parsed image repository reference without tag or digest.
type Repository struct {
	Host string // registry host[:port], e.g. "ghcr.io", "localhost:5000", "docker.io"
	Path string // e.g. "acme/echo-server"
}

// ParseRepository parses HOST[:PORT]/PATH, e.g. ghcr.io/acme/echo-server or
// localhost:5000/echo-server, with go-containerregistry's strict
// validation: the host must be written (a name without one is refused
// rather than read as Docker Hub's), and a Docker Hub repository in full
// (docker.io/library/alpine, not docker.io/alpine). index.docker.io is
// written docker.io. Surrounding white space is ignored.
//
// What the library accepts, this accepts: a host is an RFC 3986 authority
// (any case, any decimal port), a path is 1 to 255 characters of
// [a-z0-9_./-]. A tag or a digest is refused with its own reason (tags are
// given separately), and so is a URL scheme.
func ParseRepository(s string) (Repository, error) {
	in := strings.TrimSpace(s)
	// ParseReference reads tags and digests, and alone refuses a URL scheme.
	parsed, refErr := name.ParseReference(in, name.WithDefaultTag(""))
	switch parsed := parsed.(type) {
	case name.Digest:
		return Repository{}, repoError(s, fmt.Errorf("digest %q is not accepted here (tags go in --tags)", "@"+parsed.DigestStr()))
	case name.Tag:
		if tag := parsed.TagStr(); tag != "" {
			return Repository{}, repoError(s, fmt.Errorf("tag %q is not accepted here (tags go in --tags)", ":"+tag))
		}
	}
	r, err := name.NewRepository(in, name.StrictValidation)
	if err == nil {
		err = refErr
	}
	if err != nil {
		return Repository{}, repoError(s, err)
	}
	return fromName(r), nil
}

// fromName is r with Docker Hub written docker.io.
func fromName(r name.Repository) Repository {
	host := r.RegistryStr()
	if host == name.DefaultRegistry {
		host = dockerHub
	}
	return Repository{Host: host, Path: r.RepositoryStr()}
}

// repoError returns the error for an unusable repository s: why, then what
// is accepted.
func repoError(s string, reason error) error {
	return fmt.Errorf("invalid registry %q: %s; want HOST[:PORT]/PATH in lowercase without tag or digest, e.g. ghcr.io/acme/echo-server", s, oneLine(reason))
}

// oneLine is err's text with control characters escaped: the library
// repeats the input in its errors, and an error is one line.
func oneLine(err error) string {
	q := strconv.Quote(err.Error())
	return strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`)
}

// String returns the repository as HOST/PATH, e.g. "ghcr.io/acme/echo-server".
func (r Repository) String() string {
	return r.Host + "/" + r.Path
}

// OnHost returns r in the same registry reached under another host name,
// keeping the port: {localhost:5000 echo}.OnHost("registry") is
// {registry:5000 echo}. A throwaway registry is localhost to the engine but
// a service alias to the containers bound to it.
func (r Repository) OnHost(host string) Repository {
	if port := r.Port(); port != "" {
		host += ":" + port
	}
	return Repository{Host: host, Path: r.Path}
}

// Port returns the port of r's host, "" when it names none:
// "localhost:5000" -> "5000", "[::1]:5000" -> "5000", "ghcr.io" -> "".
func (r Repository) Port() string {
	return (&url.URL{Host: r.Host}).Port()
}

// WithTag returns the reference to tag in r, e.g.
// "ghcr.io/acme/echo-server:1.2.3". The tag is not validated; see Tags.
func (r Repository) WithTag(tag string) string {
	return r.String() + ":" + tag
}

// WithDigest returns the reference to digest d in r, e.g.
// "ghcr.io/acme/echo-server@sha256:…". The digest is not validated.
func (r Repository) WithDigest(d string) string {
	return r.String() + "@" + d
}

// Image is a parsed image reference.
type Image struct {
	Repository
	Tag    string // "" when the reference has none
	Digest string // e.g. "sha256:<64 hex>", "" when the reference has none
}

// ParseImage parses an image reference, NAME[:TAG][@DIGEST], as docker pull
// and crane read it (name.NewTag, name.NewDigest): a name without a host is
// on Docker Hub ("alpine" is docker.io/library/alpine), and a reference with
// neither tag nor digest has the tag "latest". Unlike name.Digest, the
// result keeps the tag of a reference pinned by digest.
func ParseImage(s string) (Image, error) {
	named, _, pinned := strings.Cut(s, "@")
	var img Image
	opts := []name.Option{}
	if pinned {
		d, err := name.NewDigest(s)
		if err != nil {
			return Image{}, err
		}
		img.Digest = d.DigestStr()
		opts = append(opts, name.WithDefaultTag(""))
	}
	t, err := name.NewTag(named, opts...)
	if err != nil {
		return Image{}, err
	}
	img.Repository, img.Tag = fromName(t.Context()), t.TagStr()
	return img, nil
}

// Name returns the image's repository and tag without its digest, e.g.
// "docker.io/library/alpine:3.23.5", or the repository alone without a tag.
func (img Image) Name() string {
	if img.Tag == "" {
		return img.Repository.String()
	}
	return img.WithTag(img.Tag)
}

// tagRule is what an image tag may be, as go-containerregistry checks it.
const tagRule = "want 1 to 128 characters of letters, digits, '_', '.' and '-'"

// validateTag checks tag with go-containerregistry: the tag of a reference
// to it must read back as tag.
func validateTag(tag string) error {
	if t, err := name.NewTag("x:" + tag); err != nil || t.TagStr() != tag {
		return fmt.Errorf("invalid tag %q: %s", tag, tagRule)
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
		if err := validateTag(t); err != nil {
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
