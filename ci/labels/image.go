package labels

import (
	"errors"
	"regexp"
	"strings"
)

// Image reference grammar, after the distribution/reference package.
var (
	// pathComponentRE matches one component of a repository path.
	pathComponentRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	// domainRE matches a registry host with an optional port.
	domainRE = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$`)
	// tagRE matches an image tag.
	tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// digestRE matches the digests an image reference may pin.
	digestRE = regexp.MustCompile(`^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$`)
)

// Docker Hub names, as the docker CLI normalises them.
const (
	dockerHubDomain       = "docker.io"
	legacyDockerHubDomain = "index.docker.io"
	officialRepoPrefix    = "library/"
)

// maxNameLen is the length limit of a fully qualified image name, tag and digest excluded.
const maxNameLen = 255

// parseImageRef splits an image reference into its fully qualified name,
// with its tag and without its digest, and its digest ("" when it has none).
// Like the docker CLI, it puts a name without a registry on Docker Hub,
// official images under "library/", and gives a reference with neither tag
// nor digest the tag "latest": "alpine@sha256:…" -> "docker.io/library/alpine",
// "alpine" -> "docker.io/library/alpine:latest".
func parseImageRef(ref string) (name, digest string, err error) {
	rest, digest, pinned := strings.Cut(ref, "@")
	if pinned && !digestRE.MatchString(digest) {
		return "", "", errors.New(`want a digest of the form "sha256:<64 lowercase hex>"`)
	}

	tag := ""
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		rest, tag = rest[:i], rest[i+1:]
		if !tagRE.MatchString(tag) {
			return "", "", errors.New("want a tag of letters, digits, '_', '.' and '-', up to 128 characters")
		}
	}

	domain, repo := dockerHubDomain, rest
	if first, remainder, ok := strings.Cut(rest, "/"); ok &&
		(strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first) {
		domain, repo = first, remainder
	}
	if domain == legacyDockerHubDomain {
		domain = dockerHubDomain
	}
	if domain == dockerHubDomain && !strings.Contains(repo, "/") {
		repo = officialRepoPrefix + repo
	}
	if !domainRE.MatchString(domain) {
		return "", "", errors.New("want a registry host such as \"ghcr.io\" or \"localhost:5000\"")
	}
	for component := range strings.SplitSeq(repo, "/") {
		if !pathComponentRE.MatchString(component) {
			return "", "", errors.New("want a repository of lowercase letters, digits and separators such as \"library/alpine\"")
		}
	}

	name = domain + "/" + repo
	if len(name) > maxNameLen {
		return "", "", errors.New("want an image name of at most 255 characters")
	}
	if tag != "" {
		name += ":" + tag
	} else if !pinned {
		name += ":latest"
	}
	return name, digest, nil
}
