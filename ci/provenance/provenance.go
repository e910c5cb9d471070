// Package provenance writes the SLSA v1 provenance of a release
// (https://slsa.dev/provenance/v1) and checks the one a registry gives
// back.
//
// The predicate says what was built (the source repository, commit, ref,
// tags and platforms), with what (the builder, runtime, syft and cosign
// images by digest, the go build flags), from what (the commit and the
// builder and runtime images, as resolved dependencies) and by whom (the
// GitHub workflow when run in GitHub Actions, else this module), using only
// the field names of the SLSA v1 schema, which cosign keeps: it drops any
// other field when it attests with --type slsaprovenance1.
package provenance

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"dagger/echo-server/ref"
)

const (
	// PredicateType is the in-toto predicate type of SLSA v1 provenance.
	PredicateType = "https://slsa.dev/provenance/v1"
	// BuildType names this pipeline's build: how to read the parameters.
	BuildType = "https://echo-server.dev/buildtypes/dagger/v1"
	// DefaultBuilderID is the builder outside GitHub Actions: this module.
	DefaultBuilderID = "https://echo-server.dev/builders/dagger-module/v1"

	// StatementType is the in-toto v1 statement type Statement writes.
	StatementType = "https://in-toto.io/Statement/v1"
	// StatementTypeV01 is the in-toto v0.1 statement type: cosign v3
	// still writes it around the predicate it attests.
	StatementTypeV01 = "https://in-toto.io/Statement/v0.1"
)

// workflowRefPattern is GITHUB_WORKFLOW_REF: OWNER/REPO/.github/workflows/FILE@REF.
var workflowRefPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/\.github/workflows/[A-Za-z0-9_./-]+\.ya?ml@refs/[^\s@]+$`)

// BuilderID returns the builder id of the provenance: the GitHub workflow
// "https://github.com/" + workflowRef when workflowRef (GITHUB_WORKFLOW_REF,
// e.g. "acme/echo-server/.github/workflows/ci.yml@refs/tags/v1.2.3") is set,
// else DefaultBuilderID.
func BuilderID(workflowRef string) (string, error) {
	if workflowRef == "" {
		return DefaultBuilderID, nil
	}
	if !workflowRefPattern.MatchString(workflowRef) {
		return "", fmt.Errorf("builder id: GITHUB_WORKFLOW_REF %q: want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions", workflowRef)
	}
	return "https://github.com/" + workflowRef, nil
}

// Image is an image the build used, pinned by digest.
type Image struct {
	// Name is its role: "builder", "runtime".
	Name string
	// Ref is REPOSITORY[:TAG]@sha256:<64 hex>, e.g.
	// "docker.io/library/golang:1.26.8-alpine3.23@sha256:<hex>".
	Ref string
}

// Build is what the provenance records of one release.
type Build struct {
	// Repository is the source repository as an https URL without
	// credentials, "" when unknown.
	Repository string
	// Commit is the full sha1 commit, "" when unknown; Ref is the git
	// ref, e.g. refs/tags/v1.2.3.
	Commit, Ref string
	// Tags are the image tags pushed; Platforms the image's platforms.
	Tags, Platforms []string
	// Builder, Runtime, Syft and Cosign are the images the pipeline ran,
	// REPOSITORY[:TAG]@sha256:<64 hex>.
	Builder, Runtime, Syft, Cosign string
	// GoBuildFlags are the flags of go build.
	GoBuildFlags []string
	// WorkflowRef is GITHUB_WORKFLOW_REF, "" outside GitHub Actions.
	WorkflowRef string
	// InvocationID identifies this run, e.g. the GitHub Actions run URL.
	InvocationID string
	// StartedOn and FinishedOn bound the build.
	StartedOn, FinishedOn time.Time
}

// The predicate, with the SLSA v1 field names.
type predicate struct {
	BuildDefinition buildDefinition `json:"buildDefinition"`
	RunDetails      runDetails      `json:"runDetails"`
}

type buildDefinition struct {
	BuildType            string               `json:"buildType"`
	ExternalParameters   externalParameters   `json:"externalParameters"`
	InternalParameters   internalParameters   `json:"internalParameters"`
	ResolvedDependencies []resourceDescriptor `json:"resolvedDependencies"`
}

type externalParameters struct {
	Repository string   `json:"repository,omitempty"`
	Commit     string   `json:"commit,omitempty"`
	Ref        string   `json:"ref,omitempty"`
	Tags       []string `json:"tags"`
	Platforms  []string `json:"platforms"`
}

type internalParameters struct {
	BuilderImage string   `json:"builderImage"`
	RuntimeImage string   `json:"runtimeImage"`
	SyftImage    string   `json:"syftImage"`
	CosignImage  string   `json:"cosignImage"`
	GoBuildFlags []string `json:"goBuildFlags"`
}

type resourceDescriptor struct {
	Name   string            `json:"name,omitempty"`
	URI    string            `json:"uri,omitempty"`
	Digest map[string]string `json:"digest,omitempty"`
}

type runDetails struct {
	Builder  builder  `json:"builder"`
	Metadata metadata `json:"metadata"`
}

type builder struct {
	ID string `json:"id"`
}

type metadata struct {
	InvocationID string `json:"invocationId,omitempty"`
	StartedOn    string `json:"startedOn"`
	FinishedOn   string `json:"finishedOn"`
}

var (
	commitPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)
	digestPattern = regexp.MustCompile(`^sha256:([0-9a-f]{64})$`)
)

// Predicate returns the SLSA v1 provenance predicate of b as JSON.
func Predicate(b Build) ([]byte, error) {
	if err := validateRepository(b.Repository); err != nil {
		return nil, err
	}
	if b.Commit != "" && !commitPattern.MatchString(b.Commit) {
		return nil, fmt.Errorf("provenance: commit %q: want the full sha1, 40 lowercase hex digits, or empty when unknown", b.Commit)
	}
	if len(b.Platforms) == 0 {
		return nil, errors.New("provenance: no platform: want at least one, e.g. linux/amd64")
	}
	images := []Image{{"builder", b.Builder}, {"runtime", b.Runtime}, {"syft", b.Syft}, {"cosign", b.Cosign}}
	deps := []resourceDescriptor{}
	if b.Commit != "" {
		// Without a web address of the repository the commit alone still
		// names the source.
		source := resourceDescriptor{Name: "source", Digest: map[string]string{"sha1": b.Commit}}
		if b.Repository != "" {
			source = resourceDescriptor{URI: "git+" + b.Repository + "@" + b.Commit, Digest: source.Digest}
		}
		deps = append(deps, source)
	}
	for i, img := range images {
		parsed, err := ref.ParseImage(img.Ref)
		sha256, pinned := strings.CutPrefix(parsed.Digest, "sha256:")
		if err != nil || !pinned {
			return nil, fmt.Errorf("provenance: %s image %q: want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest", img.Name, img.Ref)
		}
		if i < 2 { // the builder and runtime images are what the image is made of
			uri, _, _ := strings.Cut(img.Ref, "@") // as given
			deps = append(deps, resourceDescriptor{Name: img.Name, URI: uri, Digest: map[string]string{"sha256": sha256}})
		}
	}
	builderID, err := BuilderID(b.WorkflowRef)
	if err != nil {
		return nil, fmt.Errorf("provenance: %w", err)
	}
	if b.StartedOn.IsZero() || b.FinishedOn.IsZero() {
		return nil, errors.New("provenance: StartedOn and FinishedOn must both be set")
	}
	if b.FinishedOn.Before(b.StartedOn) {
		return nil, fmt.Errorf("provenance: finished on %s, before it started on %s", rfc3339(b.FinishedOn), rfc3339(b.StartedOn))
	}
	p := predicate{
		BuildDefinition: buildDefinition{
			BuildType: BuildType,
			ExternalParameters: externalParameters{
				Repository: b.Repository,
				Commit:     b.Commit,
				Ref:        b.Ref,
				Tags:       nonNil(b.Tags),
				Platforms:  b.Platforms,
			},
			InternalParameters: internalParameters{
				BuilderImage: b.Builder,
				RuntimeImage: b.Runtime,
				SyftImage:    b.Syft,
				CosignImage:  b.Cosign,
				GoBuildFlags: nonNil(b.GoBuildFlags),
			},
			ResolvedDependencies: deps,
		},
		RunDetails: runDetails{
			Builder: builder{ID: builderID},
			Metadata: metadata{
				InvocationID: b.InvocationID,
				StartedOn:    rfc3339(b.StartedOn),
				FinishedOn:   rfc3339(b.FinishedOn),
			},
		},
	}
	return json.Marshal(p)
}

func validateRepository(repo string) error {
	if repo == "" {
		return nil
	}
	u, err := url.Parse(repo)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("provenance: repository %q: want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown", repo)
	}
	return nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// statement is an in-toto statement.
type statement struct {
	Type          string          `json:"_type"`
	Subject       []subject       `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

type subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// Statement wraps predicate, a JSON object of type predicateType, into an
// in-toto v1 statement about one subject: name (the image repository, e.g.
// "ghcr.io/acme/echo-server") at digest ("sha256:<64 hex>"). It is the
// statement cosign attest signs, but for its type: cosign v3 writes
// StatementTypeV01.
func Statement(subjectName, digest, predicateType string, predicate []byte) ([]byte, error) {
	if subjectName == "" {
		return nil, errors.New("statement: empty subject name: want the image repository, e.g. ghcr.io/acme/echo-server")
	}
	m := digestPattern.FindStringSubmatch(digest)
	if m == nil {
		return nil, fmt.Errorf("statement: digest %q: want sha256:<64 hex>", digest)
	}
	if u, err := url.Parse(predicateType); err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("statement: predicate type %q: want a URI, e.g. %s", predicateType, PredicateType)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(predicate, &obj); err != nil || obj == nil {
		return nil, errors.New("statement: the predicate is not a JSON object")
	}
	return json.Marshal(statement{
		Type:          StatementType,
		Subject:       []subject{{Name: subjectName, Digest: map[string]string{"sha256": m[1]}}},
		PredicateType: predicateType,
		Predicate:     predicate,
	})
}

// checked is the part of a provenance statement Check reads.
type checked struct {
	Type          string    `json:"_type"`
	Subject       []subject `json:"subject"`
	PredicateType string    `json:"predicateType"`
	Predicate     struct {
		BuildDefinition struct {
			ResolvedDependencies []resourceDescriptor `json:"resolvedDependencies"`
		} `json:"buildDefinition"`
	} `json:"predicate"`
}

// Check asserts a provenance statement downloaded back from the registry:
// it is an in-toto statement (v1, or v0.1 as cosign writes it) of type
// PredicateType, a subject has digest ("sha256:<64 hex>"), and, when commit
// is not empty, a resolved dependency has the sha1 commit.
func Check(stmt []byte, digest, commit string) error {
	m := digestPattern.FindStringSubmatch(digest)
	if m == nil {
		return fmt.Errorf("check provenance: digest %q: want sha256:<64 hex>", digest)
	}
	var s checked
	if err := json.Unmarshal(stmt, &s); err != nil {
		return fmt.Errorf("check provenance: not an in-toto statement: %w", err)
	}
	if s.Type != StatementType && s.Type != StatementTypeV01 {
		return fmt.Errorf("check provenance: _type %q, want %s or %s", s.Type, StatementType, StatementTypeV01)
	}
	if s.PredicateType != PredicateType {
		return fmt.Errorf("check provenance: predicateType %q, want %s", s.PredicateType, PredicateType)
	}
	var subjects []string
	found := false
	for _, sub := range s.Subject {
		subjects = append(subjects, sub.Name+"@sha256:"+sub.Digest["sha256"])
		found = found || sub.Digest["sha256"] == m[1]
	}
	if !found {
		return fmt.Errorf("check provenance: no subject has digest %s; subjects: [%s]", digest, strings.Join(subjects, " "))
	}
	if commit == "" {
		return nil
	}
	var commits []string
	for _, d := range s.Predicate.BuildDefinition.ResolvedDependencies {
		if c, ok := d.Digest["sha1"]; ok {
			if c == commit {
				return nil
			}
			commits = append(commits, c)
		}
	}
	return fmt.Errorf("check provenance: no resolved dependency has commit %s; sha1 digests: [%s]", commit, strings.Join(commits, " "))
}
