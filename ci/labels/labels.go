// Package labels derives the OCI image labels of the echo-server image from
// git metadata and project metadata.
//
// Every value is a pure function of its inputs: the same commit and metadata
// always give the same labels, so the image built from them is reproducible.
// Facts that are not available become "unknown" rather than an error, so an
// image can still be built without a git checkout.
package labels

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dagger/echo-server/ref"
)

// Prefix is the OCI annotation namespace used for image labels.
const Prefix = "org.opencontainers.image."

// unknown is the value of a label whose fact is not available.
const unknown = "unknown"

// ociLabels lists the labels Build sets under Prefix.
var ociLabels = []string{
	"authors",
	"base.digest",
	"base.name",
	"created",
	"description",
	"documentation",
	"licenses",
	"ref.name",
	"revision",
	"source",
	"title",
	"url",
	"vendor",
	"version",
}

// Git describes the checkout an image is built from. Zero values mean unknown.
type Git struct {
	Commit     string    // full commit SHA (40 or 64 hex); "" when unknown
	Ref        string    // HEAD's ref as the git API reports it: "refs/heads/main", "refs/tags/v1.2.3", "main", or "HEAD" when detached; "" when unknown
	Tags       []string  // names of tags pointing at HEAD ("v1.2.3", no refs/tags/ prefix), any order
	CommitTime time.Time // committer time of HEAD; zero when unknown
	Dirty      bool      // uncommitted changes in the worktree
	RemoteURL  string    // URL of the "origin" remote as git remote get-url prints it; "" when none
}

// Meta is the project metadata that does not come from git. Every field can
// be overridden by the caller. Build trims surrounding whitespace from every
// field before using it.
type Meta struct {
	Title         string
	Description   string
	Vendor        string
	Authors       string
	Licenses      string // SPDX license expression
	Source        string // overrides the source/url derived from the remote
	Documentation string // overrides <source>#readme
	BaseImage     string // the runtime base image reference, e.g. "alpine:3.23.5@sha256:<64 hex>"
	EnvPrefix     string // reverse-DNS prefix for custom labels, e.g. "dev.echo-server"
	Environment   string // value of the custom label <EnvPrefix>.environment, e.g. "dev" or "production"
}

// DefaultMeta returns sensible defaults for this repository: title
// "echo-server", a one-sentence description, vendor and authors
// "echo-server maintainers", licenses "Apache-2.0", EnvPrefix
// "dev.echo-server" and Environment "dev". Source, Documentation and
// BaseImage are empty: the source comes from the git remote and the base
// image from the caller.
func DefaultMeta() Meta {
	return Meta{
		Title:       "echo-server",
		Description: "A small HTTP server that echoes every request back to its client.",
		Vendor:      "echo-server maintainers",
		Authors:     "echo-server maintainers",
		Licenses:    "Apache-2.0",
		EnvPrefix:   "dev.echo-server",
		Environment: "dev",
	}
}

// Build returns the full label set:
//
//	Prefix+"revision"               full commit SHA or "unknown"
//	Prefix+"ref.name"               RefName
//	Prefix+"version"                Version
//	Prefix+"created"                Created
//	Prefix+"source", Prefix+"url"   Meta.Source if set (an http or https URL, credentials and fragment
//	                                stripped), else NormaliseRemote(RemoteURL), else "unknown"
//	Prefix+"documentation"          Meta.Documentation if set (an http or https URL, credentials stripped),
//	                                else <source>+"#readme" when the source is known, else "unknown"
//	Prefix+"title", "description", "vendor", "authors", "licenses"   from Meta
//	Prefix+"base.name"              the BaseImage reference without its digest, fully qualified
//	                                ("alpine:3.23.5" -> "docker.io/library/alpine:3.23.5"); "unknown" if BaseImage is empty
//	Prefix+"base.digest"            the digest of BaseImage ("sha256:…"); "unknown" if it has none
//	Meta.EnvPrefix+".environment"   Meta.Environment
//
// It returns a one-line error naming the field, the bad value and what is
// accepted when Meta is invalid: an empty title, description, vendor,
// authors, licenses or environment; a licenses value the SPDX parser
// (go-spdx's spdxexp) refuses; an EnvPrefix that is not lowercase reverse-DNS with at
// least one dot, or that lies in a namespace reserved by OCI or Docker; a
// Source or Documentation override that is not an http or https URL; a
// BaseImage that is not an image reference (ref.ParseImage). A Commit that is set but is not
// a full SHA is an error too.
//
// A remote that cannot be normalised is not an error: source becomes
// "unknown" and the caller is expected to log a warning.
func Build(g Git, m Meta) (map[string]string, error) {
	m = trimMeta(m)
	if err := validateMeta(m); err != nil {
		return nil, err
	}

	source, err := overrideURL("Source", m.Source, true)
	if err != nil {
		return nil, err
	}
	if source == "" {
		source = unknown
		if u, err := NormaliseRemote(g.RemoteURL); err == nil {
			source = u
		}
	}

	documentation, err := overrideURL("Documentation", m.Documentation, false)
	if err != nil {
		return nil, err
	}
	if documentation == "" {
		documentation = unknown
		if source != unknown {
			documentation = source + "#readme"
		}
	}

	baseName, baseDigest := unknown, unknown
	if m.BaseImage != "" {
		img, err := ref.ParseImage(m.BaseImage)
		if err != nil {
			return nil, fmt.Errorf(`invalid Meta.BaseImage %q: %w; want an image reference such as "alpine:3.23.5@sha256:<64 hex>"`, m.BaseImage, err)
		}
		baseName = img.Name()
		if img.Digest != "" {
			baseDigest = img.Digest
		}
	}

	commit, ok := commitID(g)
	if !ok {
		return nil, fmt.Errorf("invalid Git.Commit %q: want a full commit SHA of 40 or 64 hex digits", g.Commit)
	}
	revision := unknown
	if commit != "" {
		revision = commit
	}

	return map[string]string{
		Prefix + "authors":           m.Authors,
		Prefix + "base.digest":       baseDigest,
		Prefix + "base.name":         baseName,
		Prefix + "created":           Created(g),
		Prefix + "description":       m.Description,
		Prefix + "documentation":     documentation,
		Prefix + "licenses":          m.Licenses,
		Prefix + "ref.name":          RefName(g),
		Prefix + "revision":          revision,
		Prefix + "source":            source,
		Prefix + "title":             m.Title,
		Prefix + "url":               source,
		Prefix + "vendor":            m.Vendor,
		Prefix + "version":           Version(g),
		m.EnvPrefix + ".environment": m.Environment,
	}, nil
}

// Keys returns the label keys Build sets for m, sorted: what the production
// checklist requires to be present and non-empty.
func Keys(m Meta) []string {
	var keys []string
	for _, name := range ociLabels {
		keys = append(keys, Prefix+name)
	}
	keys = append(keys, strings.TrimSpace(m.EnvPrefix)+".environment")
	slices.Sort(keys)
	return keys
}

// trimMeta returns m with surrounding whitespace removed from every field.
func trimMeta(m Meta) Meta {
	for _, f := range []*string{
		&m.Title, &m.Description, &m.Vendor, &m.Authors, &m.Licenses,
		&m.Source, &m.Documentation, &m.BaseImage, &m.EnvPrefix, &m.Environment,
	} {
		*f = strings.TrimSpace(*f)
	}
	return m
}
