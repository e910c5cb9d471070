package repository_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"dagger/echo-server/gitlog"
	"dagger/echo-server/labels"
	"dagger/echo-server/pins"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"

	"github.com/google/go-containerregistry/pkg/name"
)

// readmeSection returns the body of the README section titled title.
func readmeSection(t *testing.T, r repo, title string) string {
	t.Helper()
	s, err := pins.Section(r["README.md"], title)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	return strings.Join(strings.Fields(s), " ") // a sentence may wrap anywhere
}

// TestReadmeLabels holds the README's "Labels" section to package labels:
// it names every label Build sets, and says what each git-derived value is.
func TestReadmeLabels(t *testing.T) {
	r := readRepo(t)
	section := readmeSection(t, r, "Labels")
	if !strings.Contains(section, "`"+labels.Prefix+"*`") {
		t.Errorf("README.md, Labels: does not name the labels %s*", labels.Prefix)
	}
	for _, key := range labels.Keys(labels.DefaultMeta()) {
		if name := strings.TrimPrefix(key, labels.Prefix); !strings.Contains(section, "`"+name+"`") {
			t.Errorf("README.md, Labels: does not name the label %s (`%s`)", key, name)
		}
	}

	// "the tag at HEAD without its `v`, else a pseudo-version
	// `0.0.0-<commit time>-<short SHA>`, with `-dirty` when the tree has
	// uncommitted changes"
	const commit = "3f786850e387550fdab836ed7e6dc881de23001b"
	when := time.Date(2026, 11, 29, 3, 47, 52, 0, time.UTC)
	pseudo := regexp.MustCompile("`(0\\.0\\.0-<commit time>-<short SHA>)`, with `(-dirty)`").FindStringSubmatch(section)
	if pseudo == nil {
		t.Fatal("README.md, Labels: no pseudo-version `0.0.0-<commit time>-<short SHA>` with `-dirty`")
	}
	want := strings.NewReplacer("<commit time>", when.Format("20060102150405"), "<short SHA>", commit[:12]).Replace(pseudo[1])
	for _, tt := range []struct {
		git  labels.Git
		want string
	}{
		{labels.Git{Commit: commit, CommitTime: when}, want},
		{labels.Git{Commit: commit, CommitTime: when, Dirty: true}, want + pseudo[2]},
		{labels.Git{Commit: commit, Tags: []string{"v1.2.3"}}, "1.2.3"},
	} {
		if got := labels.Version(tt.git); got != tt.want {
			t.Errorf("README.md, Labels: the version of %+v is %q, labels.Version says %q", tt.git, tt.want, got)
		}
	}

	// "`created` (the **commit** time, ...)"
	g := labels.Git{Commit: commit, Ref: "refs/heads/main", CommitTime: when, RemoteURL: "https://x-access-token:secret@github.com/acme/echo-server.git"}
	got, err := labels.Build(g, labels.DefaultMeta())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(section, "`created` (the **commit** time") || got[labels.Prefix+"created"] != when.Format(time.RFC3339) {
		t.Errorf("README.md, Labels: created is the commit time; labels.Build says %q", got[labels.Prefix+"created"])
	}
	// "the origin remote as `git remote get-url origin` prints it, ... as
	// https, credentials stripped"
	cmd := gitlog.OriginURLCommand()
	if printed := "git " + strings.Join(cmd[len(cmd)-3:], " "); cmd[0] != "git" || !strings.Contains(section, "`"+printed+"`") {
		t.Errorf("README.md, Labels: the remote is read with %q, not named as such", cmd)
	}
	for _, key := range []string{"source", "url"} {
		if !strings.Contains(section, "as https, credentials stripped") || got[labels.Prefix+key] != "https://github.com/acme/echo-server" {
			t.Errorf("README.md, Labels: %s is the remote as https without credentials; labels.Build says %q", key, got[labels.Prefix+key])
		}
	}
	// "`LicenseRef-…`"
	m := labels.DefaultMeta()
	m.Licenses = "LicenseRef-acme-1.0 OR MIT"
	if _, err := labels.Build(g, m); err != nil || !strings.Contains(section, "`LicenseRef-…`") {
		t.Errorf("README.md, Labels: licenses may use LicenseRef-…; labels.Build says %v", err)
	}
	// "Without a git checkout ... the git-derived values say `unknown`"
	bare, err := labels.Build(labels.Git{}, labels.DefaultMeta())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(section, "the git-derived values say `unknown`") {
		t.Error("README.md, Labels: does not say what the git-derived values are without a checkout")
	}
	for _, name := range []string{"revision", "ref.name", "version", "created", "source", "url", "documentation"} {
		if bare[labels.Prefix+name] != "unknown" {
			t.Errorf("without git, %s = %q; README.md says unknown", name, bare[labels.Prefix+name])
		}
	}
}

// TestReadmeEpoch: "a checkout without git metadata uses the Unix epoch as
// its time" (README, "Reproducible releases").
func TestReadmeEpoch(t *testing.T) {
	section := readmeSection(t, readRepo(t), "Reproducible releases")
	if !strings.Contains(section, "a checkout without git metadata uses the Unix epoch as its time") {
		t.Error(`README.md, "Reproducible releases": no word on the time of a checkout without git metadata`)
	}
	if got := labels.Epoch(labels.Git{}); !got.Equal(time.Unix(0, 0)) || got.Location() != time.UTC {
		t.Errorf("labels.Epoch without git = %v, README.md says the Unix epoch", got)
	}
}

// baseLayersRE finds the format of check's base layers report in ci/*.go.
var baseLayersRE = regexp.MustCompile(`"(ok  base layers: [^"]*)"`)

// TestReadmeBaseLayersLine holds the line the README quotes from check
// ("Reproducible releases": `ok  base layers: linux/amd64 =
// docker.io/library/alpine@sha256:… as its registry serves them`) to the
// format check prints it with, for the default runtime base as package ref
// names it.
func TestReadmeBaseLayersLine(t *testing.T) {
	r := readRepo(t)
	var formats []string
	for file, src := range r {
		if strings.HasPrefix(file, "ci/") {
			for _, m := range baseLayersRE.FindAllStringSubmatch(src, -1) {
				formats = append(formats, m[1])
			}
		}
	}
	if len(formats) != 1 {
		t.Fatalf("ci/*.go: %d formats of the base layers report %q, want one", len(formats), formats)
	}
	var runtime string
	for _, p := range pragmas(r["ci/main.go"]) {
		if p.Param == "runtimeImage" {
			runtime = p.Value
		}
	}
	img, err := ref.ParseImage(runtime)
	if err != nil {
		t.Fatalf("the runtime image default %q: %v", runtime, err)
	}
	line := fmt.Sprintf(formats[0], "linux/amd64", img.WithDigest("sha256:…"))
	section, err := pins.Section(r["README.md"], "Reproducible releases")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(section, "`"+line+"`") { // as written: the line has two spaces after "ok"
		t.Errorf("README.md, \"Reproducible releases\" does not quote check's line `%s`", line)
	}
}

// TestHelpDefaults holds the defaults `dagger call --help` states (the
// comments of New's arguments in ci/main.go) to those the packages apply.
func TestHelpDefaults(t *testing.T) {
	src := readRepo(t)["ci/main.go"]
	meta := labels.DefaultMeta()
	for _, tt := range []struct{ comment, value string }{
		{"// Label org.opencontainers.image.title (default: %s).", meta.Title},
		{"// Label org.opencontainers.image.vendor (default: %s).", meta.Vendor},
		{"// Label org.opencontainers.image.authors (default: %s).", meta.Authors},
		{"// Label org.opencontainers.image.licenses, an SPDX expression (default: %s).", meta.Licenses},
		{"// Reverse-DNS prefix of the custom labels (default: %s).", meta.EnvPrefix},
		{"// Value of the custom label <label-prefix>.environment (default: %s).", meta.Environment},
	} {
		if line := fmt.Sprintf(tt.comment, tt.value); !strings.Contains(src, line) {
			t.Errorf("ci/main.go: no help line %q: the default the packages apply is %q", line, tt.value)
		}
	}
	var names []string
	for _, p := range platform.Default() {
		names = append(names, p.String())
	}
	want := strings.Join(names, " and ")
	found := regexp.MustCompile(`// Platforms of the image index \(default: ([^)]*)\)\.`).FindAllStringSubmatch(src, -1)
	if len(found) == 0 {
		t.Error("ci/main.go: no help line on the default platforms")
	}
	for _, m := range found {
		if m[1] != want {
			t.Errorf("ci/main.go: the default platforms are %q in the help, %q in package platform", m[1], want)
		}
	}
	if readme := readRepo(t)["README.md"]; !strings.Contains(strings.Join(strings.Fields(readme), " "), "("+want+" by default,") {
		t.Errorf("README.md, the pipeline: does not say the default platforms are %s", want)
	}
	// "Tags to push (default: the version and the full commit SHA)."
	sha := strings.Repeat("ab", 20)
	if tags, err := ref.Tags(nil, "1.2.3", sha, false); err != nil || !slices.Equal(tags, []string{"1.2.3", sha}) ||
		!strings.Contains(src, "(default: the version and the full commit SHA)") {
		t.Errorf("the default tags are %q, %v; the help says the version and the full commit SHA", tags, err)
	}
}

// TestReadmeCranePlainHTTP holds the mirrors section's word on crane
// ("crane speaks plain HTTP by itself to RFC 1918 addresses (a registry on
// `10.…`, `172.16–31.…` or `192.168.…`); any other registry
// must speak HTTPS") to go-containerregistry, at the edges of each range:
// the version the module builds with is the crane image's.
func TestReadmeCranePlainHTTP(t *testing.T) {
	r := readRepo(t)
	section := readmeSection(t, r, mirrorSection)
	if !strings.Contains(section, "crane speaks plain HTTP by itself to RFC 1918 addresses (a registry on `10.…`, `172.16–31.…` or `192.168.…`); any other registry must speak HTTPS") {
		t.Fatalf("README.md, %q: the word on crane and plain HTTP changed; update this test with it", mirrorSection)
	}
	var crane string
	for _, p := range pragmas(r["ci/main.go"]) {
		if p.Param == "craneImage" {
			crane = p.Value
		}
	}
	img, err := ref.ParseImage(crane)
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "ci", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), "\tgithub.com/google/go-containerregistry "+img.Tag+"\n") {
		t.Errorf("ci/go.mod does not require go-containerregistry %s, the crane image's version", img.Tag)
	}
	for _, tt := range []struct {
		host, scheme string
	}{
		{"10.0.0.0:5000", "http"}, {"10.255.255.255:5000", "http"}, {"9.255.255.255:5000", "https"}, {"11.0.0.0:5000", "https"},
		{"172.16.0.0:5000", "http"}, {"172.31.255.255:5000", "http"}, {"172.15.255.255:5000", "https"}, {"172.32.0.0:5000", "https"},
		{"192.168.0.0:5000", "http"}, {"192.168.255.255:5000", "http"}, {"192.167.255.255:5000", "https"}, {"192.169.0.0:5000", "https"},
		{"mirror.example.com:5000", "https"}, {"mirror.example.com", "https"}, {"8.8.8.8:5000", "https"},
	} {
		reg, err := name.NewRegistry(tt.host)
		if err != nil {
			t.Fatal(err)
		}
		if got := reg.Scheme(); got != tt.scheme {
			t.Errorf("crane speaks %s to %s, README.md says %s", got, tt.host, tt.scheme)
		}
	}
}
