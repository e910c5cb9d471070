package provenance

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	commit        = "9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d"
	hexDigest     = "3f1c5b6a0e8d7c2b9a4f6e1d0c3b2a1f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
	builderImage  = "golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"
	runtimeImage  = "alpine:3.23.5@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40"
	syftImage     = "anchore/syft:v1.50.0@sha256:1288ea4c8b38767b4e620c1e312c8cb26b6e887a99b4f07ab6cd19fc6f225026"
	cosignImage   = "ghcr.io/sigstore/cosign/cosign:v3.1.3@sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8"
	workflow      = "acme/echo-server/.github/workflows/release.yml@refs/tags/v1.2.3"
	ldflags       = "-s -w -X main.version=1.2.3 -X main.commit=9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d -X main.date=2026-11-30T21:03:12Z"
	subjectRepo   = "registry:5000/echo-server"
	releaseDigest = "sha256:" + hexDigest
)

// release is the build of tag v1.2.3 in GitHub Actions.
func release() Build {
	return Build{
		Repository:   "https://github.com/acme/echo-server",
		Commit:       commit,
		Ref:          "refs/tags/v1.2.3",
		Tags:         []string{"1.2.3", "1.2", "latest"},
		Platforms:    []string{"linux/amd64", "linux/arm64"},
		Builder:      builderImage,
		Runtime:      runtimeImage,
		Syft:         syftImage,
		Cosign:       cosignImage,
		GoBuildFlags: []string{"-trimpath", "-ldflags", ldflags},
		WorkflowRef:  workflow,
		InvocationID: "https://github.com/acme/echo-server/actions/runs/12345678901/attempts/1",
		StartedOn:    time.Date(2026, 11, 30, 21, 4, 5, 0, time.UTC),
		FinishedOn:   time.Date(2026, 11, 30, 21, 9, 47, 0, time.UTC),
	}
}

const releasePredicate = `{
  "buildDefinition": {
    "buildType": "https://echo-server.dev/buildtypes/dagger/v1",
    "externalParameters": {
      "repository": "https://github.com/acme/echo-server",
      "commit": "9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d",
      "ref": "refs/tags/v1.2.3",
      "tags": ["1.2.3", "1.2", "latest"],
      "platforms": ["linux/amd64", "linux/arm64"]
    },
    "internalParameters": {
      "builderImage": "golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1",
      "runtimeImage": "alpine:3.23.5@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40",
      "syftImage": "anchore/syft:v1.50.0@sha256:1288ea4c8b38767b4e620c1e312c8cb26b6e887a99b4f07ab6cd19fc6f225026",
      "cosignImage": "ghcr.io/sigstore/cosign/cosign:v3.1.3@sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8",
      "goBuildFlags": ["-trimpath", "-ldflags", "-s -w -X main.version=1.2.3 -X main.commit=9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d -X main.date=2026-11-30T21:03:12Z"]
    },
    "resolvedDependencies": [
      {
        "uri": "git+https://github.com/acme/echo-server@9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d",
        "digest": {"sha1": "9b2f0c4e1d7a3b5c6e8f0a1b2c3d4e5f6a7b8c9d"}
      },
      {
        "name": "builder",
        "uri": "golang:1.26.8-alpine3.23",
        "digest": {"sha256": "a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"}
      },
      {
        "name": "runtime",
        "uri": "alpine:3.23.5",
        "digest": {"sha256": "fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40"}
      }
    ]
  },
  "runDetails": {
    "builder": {"id": "https://github.com/acme/echo-server/.github/workflows/release.yml@refs/tags/v1.2.3"},
    "metadata": {
      "invocationId": "https://github.com/acme/echo-server/actions/runs/12345678901/attempts/1",
      "startedOn": "2026-11-30T21:04:05Z",
      "finishedOn": "2026-11-30T21:09:47Z"
    }
  }
}`

// localPredicate is a build outside GitHub Actions and outside a git
// checkout: no repository, no commit, no tags, no flags, no invocation id.
const localPredicate = `{
  "buildDefinition": {
    "buildType": "https://echo-server.dev/buildtypes/dagger/v1",
    "externalParameters": {"tags": [], "platforms": ["linux/arm64"]},
    "internalParameters": {
      "builderImage": "golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1",
      "runtimeImage": "alpine:3.23.5@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40",
      "syftImage": "anchore/syft:v1.50.0@sha256:1288ea4c8b38767b4e620c1e312c8cb26b6e887a99b4f07ab6cd19fc6f225026",
      "cosignImage": "ghcr.io/sigstore/cosign/cosign:v3.1.3@sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8",
      "goBuildFlags": []
    },
    "resolvedDependencies": [
      {"name": "builder", "uri": "golang:1.26.8-alpine3.23", "digest": {"sha256": "a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"}},
      {"name": "runtime", "uri": "alpine:3.23.5", "digest": {"sha256": "fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40"}}
    ]
  },
  "runDetails": {
    "builder": {"id": "https://echo-server.dev/builders/dagger-module/v1"},
    "metadata": {"startedOn": "2026-11-30T21:04:05Z", "finishedOn": "2026-11-30T21:04:05Z"}
  }
}`

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("compact %s: %v", s, err)
	}
	return b.String()
}

// TestPredicateImageURIs: an image is named in the resolved dependencies as
// given, without its digest, with or without a tag.
func TestPredicateImageURIs(t *testing.T) {
	hex := strings.Repeat("0f", 32)
	b := release()
	b.Builder, b.Runtime = "golang@sha256:"+hex, "registry.example.com:5000/base/alpine:3.23.5@sha256:"+hex
	out, err := Predicate(b)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		BuildDefinition struct {
			ResolvedDependencies []resourceDescriptor `json:"resolvedDependencies"`
		} `json:"buildDefinition"`
	}
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	deps := p.BuildDefinition.ResolvedDependencies
	if len(deps) != 3 || deps[1].URI != "golang" || deps[2].URI != "registry.example.com:5000/base/alpine:3.23.5" ||
		deps[1].Digest["sha256"] != hex || deps[2].Digest["sha256"] != hex {
		t.Errorf("resolved dependencies = %+v", deps)
	}
}

func TestBuilderID(t *testing.T) {
	tests := []struct {
		ref, want, wantErr string
	}{
		{ref: "", want: DefaultBuilderID},
		{ref: workflow, want: "https://github.com/" + workflow},
		{ref: "acme/echo-server/.github/workflows/ci.yaml@refs/heads/main", want: "https://github.com/acme/echo-server/.github/workflows/ci.yaml@refs/heads/main"},
		{ref: "acme/echo-server/.github/workflows/ci.yml@refs/pull/7/merge", want: "https://github.com/acme/echo-server/.github/workflows/ci.yml@refs/pull/7/merge"},
		{ref: "acme/echo-server", wantErr: `builder id: GITHUB_WORKFLOW_REF "acme/echo-server": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
		{ref: "acme/echo-server/.github/workflows/ci.yml", wantErr: `builder id: GITHUB_WORKFLOW_REF "acme/echo-server/.github/workflows/ci.yml": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
		{ref: "acme/echo-server/.github/workflows/ci.yml@main", wantErr: `builder id: GITHUB_WORKFLOW_REF "acme/echo-server/.github/workflows/ci.yml@main": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
		{ref: "https://github.com/" + workflow, wantErr: `builder id: GITHUB_WORKFLOW_REF "https://github.com/acme/echo-server/.github/workflows/release.yml@refs/tags/v1.2.3": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
		{ref: workflow + " ", wantErr: `builder id: GITHUB_WORKFLOW_REF "acme/echo-server/.github/workflows/release.yml@refs/tags/v1.2.3 ": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, err := BuilderID(tt.ref)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("BuilderID(%q) error = %v, want %s", tt.ref, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("BuilderID(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
			}
		})
	}
}

func TestPredicate(t *testing.T) {
	local := Build{
		Platforms:  []string{"linux/arm64"},
		Builder:    builderImage,
		Runtime:    runtimeImage,
		Syft:       syftImage,
		Cosign:     cosignImage,
		StartedOn:  time.Date(2026, 11, 30, 22, 4, 5, 999, time.FixedZone("CET", 3600)),
		FinishedOn: time.Date(2026, 11, 30, 21, 4, 5, 999, time.UTC),
	}
	repoOnly := local
	repoOnly.Repository = "https://github.com/acme/echo-server"
	commitOnly := local
	commitOnly.Commit = commit
	tests := []struct {
		name string
		b    Build
		want string
	}{
		{"release in GitHub Actions", release(), releasePredicate},
		{"local build, times in another zone", local, localPredicate},
		{"repository without commit: no source dependency", repoOnly,
			strings.Replace(localPredicate, `"externalParameters": {`, `"externalParameters": {"repository": "https://github.com/acme/echo-server",`, 1)},
		{"commit without repository: the source by its commit alone", commitOnly,
			strings.Replace(
				strings.Replace(localPredicate, `"externalParameters": {`, `"externalParameters": {"commit": "`+commit+`",`, 1),
				`"resolvedDependencies": [`, `"resolvedDependencies": [{"name": "source", "digest": {"sha1": "`+commit+`"}},`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Predicate(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if want := compact(t, tt.want); string(got) != want {
				t.Errorf("Predicate =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestPredicateRejects(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Build)
		wantErr string
	}{
		{"repository with credentials", func(b *Build) { b.Repository = "https://x-access-token:secret@github.com/acme/echo-server" },
			`provenance: repository "https://x-access-token:secret@github.com/acme/echo-server": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository over ssh", func(b *Build) { b.Repository = "git@github.com:acme/echo-server.git" },
			`provenance: repository "git@github.com:acme/echo-server.git": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository over http", func(b *Build) { b.Repository = "http://github.com/acme/echo-server" },
			`provenance: repository "http://github.com/acme/echo-server": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository without host", func(b *Build) { b.Repository = "https:///acme/echo-server" },
			`provenance: repository "https:///acme/echo-server": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository with a query", func(b *Build) { b.Repository = "https://github.com/acme/echo-server?token=x" },
			`provenance: repository "https://github.com/acme/echo-server?token=x": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository with a fragment", func(b *Build) { b.Repository = "https://github.com/acme/echo-server#main" },
			`provenance: repository "https://github.com/acme/echo-server#main": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"repository unparsable", func(b *Build) { b.Repository = "https://github.com/acme/echo server%zz" },
			`provenance: repository "https://github.com/acme/echo server%zz": want an https URL without credentials, e.g. https://github.com/acme/echo-server, or empty when unknown`},
		{"short commit", func(b *Build) { b.Commit = "9b2f0c4" },
			`provenance: commit "9b2f0c4": want the full sha1, 40 lowercase hex digits, or empty when unknown`},
		{"upper-case commit", func(b *Build) { b.Commit = strings.ToUpper(commit) },
			`provenance: commit "9B2F0C4E1D7A3B5C6E8F0A1B2C3D4E5F6A7B8C9D": want the full sha1, 40 lowercase hex digits, or empty when unknown`},
		{"commit unknown", func(b *Build) { b.Commit = "unknown" },
			`provenance: commit "unknown": want the full sha1, 40 lowercase hex digits, or empty when unknown`},
		{"no platform", func(b *Build) { b.Platforms = nil },
			`provenance: no platform: want at least one, e.g. linux/amd64`},
		{"builder by tag", func(b *Build) { b.Builder = "golang:1.26.8-alpine3.23" },
			`provenance: builder image "golang:1.26.8-alpine3.23": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"runtime with a short digest", func(b *Build) { b.Runtime = "alpine:3.23.5@sha256:fd791d74" },
			`provenance: runtime image "alpine:3.23.5@sha256:fd791d74": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"syft missing", func(b *Build) { b.Syft = "" },
			`provenance: syft image "": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"cosign by tag", func(b *Build) { b.Cosign = "ghcr.io/sigstore/cosign/cosign:v3.1.3" },
			`provenance: cosign image "ghcr.io/sigstore/cosign/cosign:v3.1.3": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"builder pinned by sha512", func(b *Build) { b.Builder = "golang:1@sha512:" + strings.Repeat("ab", 64) },
			`provenance: builder image "golang:1@sha512:` + strings.Repeat("ab", 64) + `": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"runtime with upper-case hex", func(b *Build) { b.Runtime = "alpine:3@sha256:" + strings.Repeat("AB", 32) },
			`provenance: runtime image "alpine:3@sha256:` + strings.Repeat("AB", 32) + `": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"syft in upper case", func(b *Build) { b.Syft = "Anchore/syft:v1@sha256:" + strings.Repeat("ab", 32) },
			`provenance: syft image "Anchore/syft:v1@sha256:` + strings.Repeat("ab", 32) + `": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"cosign with two digests", func(b *Build) { b.Cosign = cosignImage + "@" + strings.Split(cosignImage, "@")[1] },
			`provenance: cosign image "` + cosignImage + "@" + strings.Split(cosignImage, "@")[1] + `": want REPOSITORY[:TAG]@sha256:<64 hex>, pinned by digest`},
		{"malformed workflow ref", func(b *Build) { b.WorkflowRef = "release.yml" },
			`provenance: builder id: GITHUB_WORKFLOW_REF "release.yml": want OWNER/REPO/.github/workflows/FILE.yml@refs/..., or empty outside GitHub Actions`},
		{"no start", func(b *Build) { b.StartedOn = time.Time{} },
			`provenance: StartedOn and FinishedOn must both be set`},
		{"no finish", func(b *Build) { b.FinishedOn = time.Time{} },
			`provenance: StartedOn and FinishedOn must both be set`},
		{"finished before it started", func(b *Build) { b.FinishedOn = b.StartedOn.Add(-time.Second) },
			`provenance: finished on 2026-11-30T21:04:04Z, before it started on 2026-11-30T21:04:05Z`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := release()
			tt.edit(&b)
			got, err := Predicate(b)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Predicate error = %v, want %s (output %s)", err, tt.wantErr, got)
			}
		})
	}
}

// field is what the SLSA v1 schema allows at one level of the document.
type field struct {
	required bool
	// object is the schema of a JSON object; list of objects when list.
	object map[string]field
	list   bool
	// kind of a leaf: "string", "uri", "time", "digest", "struct" (any
	// JSON object, defined by the buildType), "map" (string to string).
	kind string
}

// The field names of https://slsa.dev/provenance/v1 (SLSA v1.0/v1.1:
// slsa-framework/slsa docs/spec/v1.1/schema/provenance.proto and
// in-toto/attestation protos/in_toto_attestation/v1/resource_descriptor.proto
// and statement.proto), lowerCamelCase as the spec serialises them.
var descriptorSchema = map[string]field{
	"uri":              {kind: "uri"},
	"digest":           {kind: "digest"},
	"name":             {kind: "string"},
	"downloadLocation": {kind: "uri"},
	"mediaType":        {kind: "string"},
	"content":          {kind: "string"},
	"annotations":      {kind: "struct"},
}

var slsaV1 = map[string]field{
	"buildDefinition": {required: true, object: map[string]field{
		"buildType":            {required: true, kind: "uri"},
		"externalParameters":   {required: true, kind: "struct"},
		"internalParameters":   {kind: "struct"},
		"resolvedDependencies": {list: true, object: descriptorSchema},
	}},
	"runDetails": {required: true, object: map[string]field{
		"builder": {required: true, object: map[string]field{
			"id":                  {required: true, kind: "uri"},
			"version":             {kind: "map"},
			"builderDependencies": {list: true, object: descriptorSchema},
		}},
		"metadata": {object: map[string]field{
			"invocationId": {kind: "string"},
			"startedOn":    {kind: "time"},
			"finishedOn":   {kind: "time"},
		}},
		"byproducts": {list: true, object: descriptorSchema},
	}},
}

var inTotoV1 = map[string]field{
	"_type":         {required: true, kind: "uri"},
	"subject":       {required: true, list: true, object: descriptorSchema},
	"predicateType": {required: true, kind: "uri"},
	"predicate":     {required: true, object: slsaV1},
}

// conform returns every way v departs from schema, by JSON path.
func conform(path string, v any, schema map[string]field) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{path + ": not an object"}
	}
	var bad []string
	for k := range obj {
		if _, ok := schema[k]; !ok {
			bad = append(bad, path+"."+k+": not a SLSA v1 field")
		}
	}
	for k, f := range schema {
		child, ok := obj[k]
		switch {
		case !ok && f.required:
			bad = append(bad, path+"."+k+": required")
		case !ok:
		case f.list:
			items, isList := child.([]any)
			if !isList {
				bad = append(bad, path+"."+k+": not a list")
			}
			for i, item := range items {
				p := path + "." + k + "[" + strconv.Itoa(i) + "]"
				bad = append(bad, conform(p, item, f.object)...)
				if d, _ := item.(map[string]any); f.object["uri"].kind != "" && d["uri"] == nil && d["digest"] == nil && d["content"] == nil {
					bad = append(bad, p+": a resource descriptor needs uri, digest or content")
				}
			}
		case f.object != nil:
			bad = append(bad, conform(path+"."+k, child, f.object)...)
		default:
			if msg := leaf(child, f.kind); msg != "" {
				bad = append(bad, path+"."+k+": "+msg)
			}
		}
	}
	slices.Sort(bad)
	return bad
}

func leaf(v any, kind string) string {
	switch kind {
	case "struct":
		if _, ok := v.(map[string]any); !ok {
			return "not an object"
		}
		return ""
	case "map", "digest":
		m, ok := v.(map[string]any)
		if !ok || len(m) == 0 {
			return "not a non-empty map"
		}
		for alg, val := range m {
			s, ok := val.(string)
			if !ok || s == "" || (kind == "digest" && strings.Trim(s, "0123456789abcdef") != "") {
				return "bad value for " + alg
			}
		}
		return ""
	}
	s, ok := v.(string)
	if !ok || s == "" {
		return "not a non-empty string"
	}
	switch kind {
	case "uri":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" && !strings.Contains(s, ":") {
			return "not a URI"
		}
	case "time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return "not an RFC 3339 time"
		}
	}
	return ""
}

func TestPredicateIsSLSAv1(t *testing.T) {
	local := release()
	local.Repository, local.Commit, local.WorkflowRef, local.InvocationID, local.Tags = "", "", "", "", nil
	for name, b := range map[string]Build{"release": release(), "local": local} {
		t.Run(name, func(t *testing.T) {
			pred, err := Predicate(b)
			if err != nil {
				t.Fatal(err)
			}
			st, err := Statement(subjectRepo, releaseDigest, PredicateType, pred)
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal(st, &doc); err != nil {
				t.Fatal(err)
			}
			if bad := conform("$", doc, inTotoV1); len(bad) > 0 {
				t.Errorf("not SLSA v1:\n%s", strings.Join(bad, "\n"))
			}
		})
	}
}

// TestSchemaCatchesStrangers proves the schema check fails on what it must.
func TestSchemaCatchesStrangers(t *testing.T) {
	doc := func(s string) any {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ doc, want string }{
		{`{"buildDefinition":{"buildType":"x:y","externalParameters":{},"materials":[]},"runDetails":{"builder":{"id":"x:y"}}}`,
			"$.buildDefinition.materials: not a SLSA v1 field"},
		{`{"buildDefinition":{"buildType":"x:y","externalParameters":{}},"runDetails":{"builder":{}}}`,
			"$.runDetails.builder.id: required"},
		{`{"buildDefinition":{"buildType":"x:y","externalParameters":{}},"runDetails":{"builder":{"id":"x:y"},"metadata":{"startedOn":"yesterday"}}}`,
			"$.runDetails.metadata.startedOn: not an RFC 3339 time"},
		{`{"buildDefinition":{"buildType":"x:y","externalParameters":{},"resolvedDependencies":[{"name":"n"}]},"runDetails":{"builder":{"id":"x:y"}}}`,
			"$.buildDefinition.resolvedDependencies[0]: a resource descriptor needs uri, digest or content"},
		{`{"buildDefinition":{"buildType":"x:y","externalParameters":{},"resolvedDependencies":[{"digest":{"sha1":"XYZ"}}]},"runDetails":{"builder":{"id":"x:y"}}}`,
			"$.buildDefinition.resolvedDependencies[0].digest: bad value for sha1"},
		{`{"buildDefinition":{"buildType":"","externalParameters":[]},"runDetails":{"builder":{"id":"x:y"}}}`,
			"$.buildDefinition.buildType: not a non-empty string\n$.buildDefinition.externalParameters: not an object"},
	}
	for _, tt := range tests {
		if got := strings.Join(conform("$", doc(tt.doc), slsaV1), "\n"); got != tt.want {
			t.Errorf("conform(%s) =\n%s\nwant\n%s", tt.doc, got, tt.want)
		}
	}
}

func TestStatement(t *testing.T) {
	pred := []byte(`{"buildDefinition":{}}`)
	got, err := Statement(subjectRepo, releaseDigest, PredicateType, pred)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"registry:5000/echo-server","digest":{"sha256":"` + hexDigest + `"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{}}}`
	if string(got) != want {
		t.Errorf("Statement =\n%s\nwant\n%s", got, want)
	}

	tests := []struct {
		name, subject, digest, typ, pred, wantErr string
	}{
		{"no subject", "", releaseDigest, PredicateType, `{}`, "statement: empty subject name: want the image repository, e.g. ghcr.io/acme/echo-server"},
		{"bare hex digest", subjectRepo, hexDigest, PredicateType, `{}`, `statement: digest "` + hexDigest + `": want sha256:<64 hex>`},
		{"sha512 digest", subjectRepo, "sha512:" + hexDigest, PredicateType, `{}`, `statement: digest "sha512:` + hexDigest + `": want sha256:<64 hex>`},
		{"type not a URI", subjectRepo, releaseDigest, "slsaprovenance1", `{}`, `statement: predicate type "slsaprovenance1": want a URI, e.g. https://slsa.dev/provenance/v1`},
		{"type unparsable", subjectRepo, releaseDigest, "https://slsa.dev/%zz", `{}`, `statement: predicate type "https://slsa.dev/%zz": want a URI, e.g. https://slsa.dev/provenance/v1`},
		{"predicate a list", subjectRepo, releaseDigest, PredicateType, `[]`, "statement: the predicate is not a JSON object"},
		{"predicate null", subjectRepo, releaseDigest, PredicateType, `null`, "statement: the predicate is not a JSON object"},
		{"predicate not JSON", subjectRepo, releaseDigest, PredicateType, `{`, "statement: the predicate is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Statement(tt.subject, tt.digest, tt.typ, []byte(tt.pred))
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Statement error = %v, want %s (output %s)", err, tt.wantErr, got)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	// cosign-slsa-statement.json is the statement cosign v3.1.3 signs for
	// `cosign attest --type slsaprovenance1 --predicate P
	// registry:5000/echo-server@sha256:3f1c…`, P being Predicate(release()):
	// written by cosign's own attestation.GenerateStatement.
	fromCosign, err := os.ReadFile("testdata/cosign-slsa-statement.json")
	if err != nil {
		t.Fatal(err)
	}
	pred, err := Predicate(release())
	if err != nil {
		t.Fatal(err)
	}
	ours, err := Statement(subjectRepo, releaseDigest, PredicateType, pred)
	if err != nil {
		t.Fatal(err)
	}
	otherDigest := "sha256:" + strings.Repeat("ab", 32)
	otherCommit := strings.Repeat("c", 40)
	tests := []struct {
		name    string
		stmt    []byte
		digest  string
		commit  string
		wantErr string
	}{
		{name: "cosign's statement", stmt: fromCosign, digest: releaseDigest, commit: commit},
		{name: "our statement", stmt: ours, digest: releaseDigest, commit: commit},
		{name: "commit unknown", stmt: ours, digest: releaseDigest},
		{name: "another digest", stmt: fromCosign, digest: otherDigest, commit: commit,
			wantErr: "check provenance: no subject has digest " + otherDigest + "; subjects: [registry:5000/echo-server@" + releaseDigest + "]"},
		{name: "another commit", stmt: fromCosign, digest: releaseDigest, commit: otherCommit,
			wantErr: "check provenance: no resolved dependency has commit " + otherCommit + "; sha1 digests: [" + commit + "]"},
		{name: "bad digest argument", stmt: ours, digest: hexDigest,
			wantErr: `check provenance: digest "` + hexDigest + `": want sha256:<64 hex>`},
		{name: "not JSON", stmt: []byte("no"), digest: releaseDigest,
			wantErr: "check provenance: not an in-toto statement: invalid character 'o' in literal null (expecting 'u')"},
		{name: "not a statement", stmt: pred, digest: releaseDigest,
			wantErr: `check provenance: _type "", want https://in-toto.io/Statement/v1 or https://in-toto.io/Statement/v0.1`},
		{name: "SBOM, not provenance", digest: releaseDigest,
			stmt:    []byte(`{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[{"name":"r","digest":{"sha256":"` + hexDigest + `"}}],"predicate":{}}`),
			wantErr: `check provenance: predicateType "https://spdx.dev/Document", want https://slsa.dev/provenance/v1`},
		{name: "second subject matches", digest: releaseDigest, commit: commit,
			stmt: []byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[{"name":"a","digest":{"sha256":"` + strings.Repeat("0", 64) + `"}},{"name":"b","digest":{"sha256":"` + hexDigest + `"}}],` +
				`"predicate":{"buildDefinition":{"resolvedDependencies":[{"uri":"x"},{"digest":{"sha1":"` + otherCommit + `"}},{"digest":{"sha1":"` + commit + `"}}]}}}`)},
		{name: "no source dependency", digest: releaseDigest, commit: commit,
			stmt:    []byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[{"name":"b","digest":{"sha256":"` + hexDigest + `"}}],"predicate":{"buildDefinition":{"resolvedDependencies":[{"name":"builder","digest":{"sha256":"` + hexDigest + `"}}]}}}`),
			wantErr: "check provenance: no resolved dependency has commit " + commit + "; sha1 digests: []"},
		{name: "no subject", digest: releaseDigest,
			stmt:    []byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[],"predicate":{}}`),
			wantErr: "check provenance: no subject has digest " + releaseDigest + "; subjects: []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.stmt, tt.digest, tt.commit)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Check error = %v, want %s", err, tt.wantErr)
			}
		})
	}
}

// TestCosignKeepsThePredicate: cosign parses a slsaprovenance1 predicate
// into the in-toto protobuf and drops the fields it does not know; every
// field of ours survives, with the same values.
func TestCosignKeepsThePredicate(t *testing.T) {
	fromCosign, err := os.ReadFile("testdata/cosign-slsa-statement.json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Type      string `json:"_type"`
		Predicate any    `json:"predicate"`
	}
	if err := json.Unmarshal(fromCosign, &st); err != nil {
		t.Fatal(err)
	}
	if st.Type != StatementTypeV01 {
		t.Errorf("cosign's _type = %q, want %q", st.Type, StatementTypeV01)
	}
	pred, err := Predicate(release())
	if err != nil {
		t.Fatal(err)
	}
	var ours any
	if err := json.Unmarshal(pred, &ours); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(ours)
	b, _ := json.Marshal(st.Predicate)
	if !bytes.Equal(a, b) {
		t.Errorf("cosign changed the predicate:\nours   %s\ncosign %s", a, b)
	}
}

func FuzzCheck(f *testing.F) {
	fromCosign, err := os.ReadFile("testdata/cosign-slsa-statement.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fromCosign, releaseDigest, commit)
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{}],"predicate":{"buildDefinition":{"resolvedDependencies":[{}]}}}`), releaseDigest, "")
	f.Add([]byte(`[]`), "", "")
	f.Fuzz(func(t *testing.T, stmt []byte, digest, commit string) {
		if Check(stmt, digest, commit) != nil {
			return
		}
		var s checked
		if err := json.Unmarshal(stmt, &s); err != nil || s.PredicateType != PredicateType {
			t.Fatalf("Check accepted %q (%v)", stmt, err)
		}
	})
}
