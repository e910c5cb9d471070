package policy

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// update rewrites the golden files:
//
//	cd ci && go test ./policy -run TestGolden -update
var update = flag.Bool("update", false, "rewrite testdata/*.golden.yaml")

// deployParams are what the committed policy is rendered from.
var deployParams = Shipped

// testKey is a fixed ECDSA P-256 public key, as cosign.pub holds one.
const testKey = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHeg76SEfOatZSWrwu4Z9qALB67Lf
+YMUJyaC4C89td7knO8g59Kmji/GaOKfqbxzmDOgCBMEDja8ovELRLm4Rw==
-----END PUBLIC KEY-----
`

// checkGolden compares got with the file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./policy -run TestGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("rendering differs from %s; if the change is intended, regenerate with:\n"+
			"  cd ci && go test ./policy -run TestGolden -update\ngot:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		file string
		p    Params
	}{
		{"testdata/github.golden.yaml", Params{
			Repository:       "ghcr.io/acme/echo-server",
			PublicKey:        testKey,
			SourceRepository: "https://github.com/acme/echo-server",
		}},
		{"testdata/builders.golden.yaml", Params{
			Repository:       "registry.localhost:5000/echo-server",
			PublicKey:        testKey,
			SourceRepository: "https://git.example.com/team/echo-server",
			BuilderIDs:       []string{"https://ci.example.com/builders/*", "https://echo-server.dev/builders/dagger-module/v1"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Render(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.file, got)
		})
	}
}

// Render must give the same bytes every time (the annotations are a map).
func TestRenderStable(t *testing.T) {
	first, err := Render(deployParams)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := Render(deployParams)
		if !bytes.Equal(first, again) {
			t.Fatal("Render is not deterministic")
		}
	}
}

// The structs below mirror Kyverno's v1.19.1 API field names
// (api/kyverno/v1); decoding with KnownFields rejects any field Kyverno
// does not have under that name.
type kPolicy struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string            `yaml:"name"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		Background            *bool  `yaml:"background"`
		FailurePolicy         string `yaml:"failurePolicy"`
		WebhookTimeoutSeconds int    `yaml:"webhookTimeoutSeconds"`
		Rules                 []struct {
			Name  string `yaml:"name"`
			Match struct {
				Any []struct {
					Resources struct {
						Kinds []string `yaml:"kinds"`
					} `yaml:"resources"`
				} `yaml:"any"`
			} `yaml:"match"`
			VerifyImages []kImageVerification `yaml:"verifyImages"`
		} `yaml:"rules"`
	} `yaml:"spec"`
}

type kImageVerification struct {
	Type            string         `yaml:"type"`
	ImageReferences []string       `yaml:"imageReferences"`
	FailureAction   string         `yaml:"failureAction"`
	MutateDigest    *bool          `yaml:"mutateDigest"`
	VerifyDigest    *bool          `yaml:"verifyDigest"`
	Required        *bool          `yaml:"required"`
	Attestors       []kAttestorSet `yaml:"attestors"`
	Attestations    []struct {
		Type       string         `yaml:"type"`
		Attestors  []kAttestorSet `yaml:"attestors"`
		Conditions []struct {
			All []struct {
				Key      string `yaml:"key"`
				Operator string `yaml:"operator"`
				Value    any    `yaml:"value"`
				Message  string `yaml:"message"`
			} `yaml:"all"`
		} `yaml:"conditions"`
	} `yaml:"attestations"`
}

type kAttestorSet struct {
	Entries []struct {
		Keys *struct {
			PublicKeys string `yaml:"publicKeys"`
			Rekor      *struct {
				IgnoreTlog bool `yaml:"ignoreTlog"`
			} `yaml:"rekor"`
			CTLog *struct {
				IgnoreSCT bool `yaml:"ignoreSCT"`
			} `yaml:"ctlog"`
		} `yaml:"keys"`
	} `yaml:"entries"`
}

// parse decodes a rendered policy strictly.
func parse(t *testing.T, b []byte) kPolicy {
	t.Helper()
	var p kPolicy
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("rendered policy does not parse as a Kyverno ClusterPolicy: %v\n%s", err, b)
	}
	return p
}

// verifyImages returns the policy's only verifyImages entry.
func verifyImages(t *testing.T, p kPolicy) kImageVerification {
	t.Helper()
	if len(p.Spec.Rules) != 1 || len(p.Spec.Rules[0].VerifyImages) != 1 {
		t.Fatalf("want 1 rule with 1 verifyImages entry, got %+v", p.Spec.Rules)
	}
	return p.Spec.Rules[0].VerifyImages[0]
}

// keysOf returns every static key attestor of the entry, checking that
// each set has exactly one entry and that it is a key.
func keysOf(t *testing.T, iv kImageVerification) []string {
	t.Helper()
	sets := append([]kAttestorSet{}, iv.Attestors...)
	for _, a := range iv.Attestations {
		if len(a.Attestors) != 1 {
			t.Fatalf("attestation %s: want 1 attestor set, got %d", a.Type, len(a.Attestors))
		}
		sets = append(sets, a.Attestors...)
	}
	var keys []string
	for _, s := range sets {
		if len(s.Entries) != 1 || s.Entries[0].Keys == nil {
			t.Fatalf("want 1 key entry per attestor set, got %+v", s)
		}
		k := s.Entries[0].Keys
		if k.Rekor == nil || !k.Rekor.IgnoreTlog || k.CTLog == nil || !k.CTLog.IgnoreSCT {
			t.Errorf("attestor without rekor.ignoreTlog and ctlog.ignoreSCT: %+v", k)
		}
		keys = append(keys, k.PublicKeys)
	}
	return keys
}

func TestRenderStructure(t *testing.T) {
	b, err := Render(Params{
		Repository:       "ghcr.io/acme/echo-server",
		PublicKey:        testKey,
		SourceRepository: "https://github.com/acme/echo-server",
	})
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, b)
	if p.APIVersion != "kyverno.io/v1" || p.Kind != "ClusterPolicy" || p.Metadata.Name != PolicyName {
		t.Errorf("header = %s %s %s", p.APIVersion, p.Kind, p.Metadata.Name)
	}
	if p.Metadata.Annotations["policies.kyverno.io/title"] != "Verify echo-server images" {
		t.Errorf("title annotation = %q", p.Metadata.Annotations["policies.kyverno.io/title"])
	}
	if p.Spec.Background == nil || *p.Spec.Background || p.Spec.FailurePolicy != "Fail" || p.Spec.WebhookTimeoutSeconds != 30 {
		t.Errorf("spec = background %v, failurePolicy %q, webhookTimeoutSeconds %d", p.Spec.Background, p.Spec.FailurePolicy, p.Spec.WebhookTimeoutSeconds)
	}
	r := p.Spec.Rules[0]
	if r.Name != RuleName || len(r.Match.Any) != 1 || !reflect.DeepEqual(r.Match.Any[0].Resources.Kinds, []string{"Pod"}) {
		t.Errorf("rule = %+v", r)
	}
	iv := verifyImages(t, p)
	if iv.Type != "SigstoreBundle" || iv.FailureAction != "Enforce" {
		t.Errorf("type %q failureAction %q", iv.Type, iv.FailureAction)
	}
	for name, v := range map[string]*bool{"mutateDigest": iv.MutateDigest, "verifyDigest": iv.VerifyDigest, "required": iv.Required} {
		if v == nil || !*v {
			t.Errorf("%s = %v, want true", name, v)
		}
	}
	if !reflect.DeepEqual(iv.ImageReferences, []string{"ghcr.io/acme/echo-server*"}) {
		t.Errorf("imageReferences = %q", iv.ImageReferences)
	}
	if len(iv.Attestors) != 1 {
		t.Errorf("want 1 attestor set, got %d", len(iv.Attestors))
	}
	var types []string
	for _, a := range iv.Attestations {
		types = append(types, a.Type)
	}
	if want := []string{"https://sigstore.dev/cosign/sign/v1", "https://slsa.dev/provenance/v1"}; !reflect.DeepEqual(types, want) {
		t.Errorf("attestation types = %q, want %q", types, want)
	}
	if len(iv.Attestations[0].Conditions) != 0 {
		t.Errorf("the signature attestation has conditions: %+v", iv.Attestations[0].Conditions)
	}
	keys := keysOf(t, iv)
	if len(keys) != 3 {
		t.Fatalf("want 3 key attestors (signature, sign/v1, provenance), got %d", len(keys))
	}
	for _, k := range keys {
		if k != testKey {
			t.Errorf("publicKeys = %q, want %q", k, testKey)
		}
	}
}

// glob is Kyverno's wildcard.Match (github.com/IGLOU-EU/go-wildcard v1.0.3):
// '*' any run of characters, '?' one character, everything else literal.
func glob(pattern, name string) bool {
	re := regexp.QuoteMeta(pattern)
	re = strings.ReplaceAll(re, `\*`, `.*`)
	re = strings.ReplaceAll(re, `\?`, `.`)
	return regexp.MustCompile(`^` + re + `$`).MatchString(name)
}

func TestRepositoryGlob(t *testing.T) {
	const digest = "@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		repo string
		want string   // imageReferences[0]
		in   []string // images (as Kyverno writes them) the rule must cover
		out  []string // images it must not cover
	}{
		{
			repo: "ghcr.io/acme/echo-server", want: "ghcr.io/acme/echo-server*",
			in: []string{
				"ghcr.io/acme/echo-server" + digest,
				"ghcr.io/acme/echo-server:1.2.3",
				"ghcr.io/acme/echo-server-unsigned" + digest,
				"ghcr.io/acme/echo-server/debug:latest",
			},
			out: []string{
				"ghcr.io/acme/other" + digest,
				"ghcr.io/acme/echo" + digest,
				"docker.io/acme/echo-server:1.2.3",
				"evil.io/ghcr.io/acme/echo-server:1",
			},
		},
		{
			repo: "registry.localhost:5000/echo-server", want: "registry.localhost:5000/echo-server*",
			in:  []string{"registry.localhost:5000/echo-server-unsigned" + digest, "registry.localhost:5000/echo-server" + digest},
			out: []string{"registry:5000/echo-server" + digest, "localhost:5000/echo-server" + digest},
		},
		// Kyverno writes Docker Hub images in full: docker.io/acme/…, docker.io/library/….
		{repo: "docker.io/acme/echo-server", want: "docker.io/acme/echo-server*", in: []string{"docker.io/acme/echo-server:1"}},
		{repo: "docker.io/library/echo-server", want: "docker.io/library/echo-server*", in: []string{"docker.io/library/echo-server:1"}},
		{repo: "index.docker.io/acme/x", want: "docker.io/acme/x*"},
		{repo: " ghcr.io/acme/echo-server\n", want: "ghcr.io/acme/echo-server*"},
		{repo: "[::1]:5000/echo", want: "[::1]:5000/echo*", in: []string{"[::1]:5000/echo:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.repo, func(t *testing.T) {
			b, err := Render(Params{Repository: tt.repo, PublicKey: testKey, SourceRepository: "https://github.com/acme/echo-server"})
			if err != nil {
				t.Fatal(err)
			}
			refs := verifyImages(t, parse(t, b)).ImageReferences
			if len(refs) != 1 || refs[0] != tt.want {
				t.Fatalf("imageReferences = %q, want [%q]", refs, tt.want)
			}
			for _, img := range tt.in {
				if !glob(refs[0], img) {
					t.Errorf("%q does not cover %q", refs[0], img)
				}
			}
			for _, img := range tt.out {
				if glob(refs[0], img) {
					t.Errorf("%q covers %q", refs[0], img)
				}
			}
		})
	}
}

// newKey returns a fresh ECDSA P-256 public key as PEM (what cosign writes).
func newKey(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestKeyEmbedding(t *testing.T) {
	key := newKey(t)
	indented := "\n\n  " + strings.ReplaceAll(strings.TrimSpace(key), "\n", "\n    ") + "  \n\n"
	tests := []struct {
		name, in string
	}{
		{"as written by cosign", key},
		{"no trailing newline", strings.TrimSuffix(key, "\n")},
		{"CRLF line endings", strings.ReplaceAll(key, "\n", "\r\n")},
		{"indented, blank lines around", indented},
		{"one long base64 line", "-----BEGIN PUBLIC KEY-----\n" + strings.Join(strings.Split(strings.TrimSpace(key), "\n")[1:3], "") + "\n-----END PUBLIC KEY-----"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Render(Params{Repository: "ghcr.io/acme/echo-server", PublicKey: tt.in, SourceRepository: "https://github.com/acme/echo-server"})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte("publicKeys: |\n")) {
				t.Errorf("the key is not a literal block:\n%s", b)
			}
			for _, got := range keysOf(t, verifyImages(t, parse(t, b))) {
				if got != key {
					t.Fatalf("embedded key = %q, want %q", got, key)
				}
				block, _ := pem.Decode([]byte(got))
				if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
					t.Fatalf("embedded key does not parse: %v", err)
				}
			}
		})
	}
}

func TestPlaceholder(t *testing.T) {
	block, rest := pem.Decode([]byte(PlaceholderPublicKey))
	if block == nil || block.Type != "PUBLIC KEY" || len(rest) != 0 {
		t.Fatalf("PlaceholderPublicKey is not one PEM PUBLIC KEY block: %q", PlaceholderPublicKey)
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		t.Fatal("PlaceholderPublicKey parses as a key; it must verify nothing")
	}
	if !strings.Contains(PlaceholderPublicKey, "REPLACE") {
		t.Error("PlaceholderPublicKey does not say to replace it")
	}

	comment := "# PLACEHOLDER: replace this key with the contents of your cosign.pub\n"
	placeholder, err := Render(deployParams)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(placeholder, []byte(comment)); n != 3 {
		t.Errorf("placeholder comment appears %d times, want 3 (one per publicKeys)", n)
	}
	for _, k := range keysOf(t, verifyImages(t, parse(t, placeholder))) {
		if k != PlaceholderPublicKey {
			t.Errorf("publicKeys = %q", k)
		}
	}
	real := deployParams
	real.PublicKey = testKey
	b, err := Render(real)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("PLACEHOLDER")) {
		t.Errorf("a real key is marked as placeholder:\n%s", b)
	}
}

func TestHeader(t *testing.T) {
	b, err := Render(Params{Repository: "ghcr.io/acme/echo-server", PublicKey: testKey, SourceRepository: "https://github.com/acme/echo-server"})
	if err != nil {
		t.Fatal(err)
	}
	want := "# Admits images of ghcr.io/acme/echo-server* only when signed with the cosign key below and\n" +
		"# attested with SLSA provenance of the echo-server pipeline (README, \"Verify at deploy\").\n" +
		"# Rendered by: dagger call policy --repository ghcr.io/acme/echo-server --public-key file:cosign.pub\n" +
		"apiVersion: kyverno.io/v1\n"
	if !bytes.HasPrefix(b, []byte(want)) {
		t.Errorf("rendered policy starts with:\n%s\nwant:\n%s", b[:min(len(b), len(want))], want)
	}
	if !bytes.HasSuffix(b, []byte("\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Error("rendered policy must end with exactly one newline")
	}
}

type cond struct {
	Key, Operator string
	Value         any
	Message       string
}

// provenanceConditions returns the conditions of the SLSA attestation.
func provenanceConditions(t *testing.T, p Params) []cond {
	t.Helper()
	b, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	iv := verifyImages(t, parse(t, b))
	a := iv.Attestations[1]
	if a.Type != ProvenanceType || len(a.Conditions) != 1 {
		t.Fatalf("provenance attestation = %+v", a)
	}
	var out []cond
	for _, c := range a.Conditions[0].All {
		out = append(out, cond{c.Key, c.Operator, c.Value, c.Message})
	}
	return out
}

func TestConditions(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		want []cond
	}{
		{
			name: "github source, default builders",
			p:    Params{Repository: "ghcr.io/acme/echo-server", PublicKey: testKey, SourceRepository: "https://github.com/acme/echo-server"},
			want: []cond{
				{"{{ buildDefinition.buildType }}", "Equals", "https://echo-server.dev/buildtypes/dagger/v1",
					"the provenance's buildType is not https://echo-server.dev/buildtypes/dagger/v1"},
				{"{{ buildDefinition.externalParameters.repository }}", "Equals", "https://github.com/acme/echo-server",
					"the provenance's source repository is not https://github.com/acme/echo-server"},
				{"{{ runDetails.builder.id }}", "AnyIn",
					[]any{"https://echo-server.dev/builders/dagger-module/v1", "https://github.com/acme/echo-server/.github/workflows/*"},
					"the provenance's builder is not one of https://echo-server.dev/builders/dagger-module/v1, https://github.com/acme/echo-server/.github/workflows/*"},
			},
		},
		{
			name: "other source, given builders",
			p: Params{Repository: "ghcr.io/acme/echo-server", PublicKey: testKey, SourceRepository: "https://git.example.com/a/b/c",
				BuilderIDs: []string{"https://ci.example.com/*"}},
			want: []cond{
				{"{{ buildDefinition.buildType }}", "Equals", "https://echo-server.dev/buildtypes/dagger/v1",
					"the provenance's buildType is not https://echo-server.dev/buildtypes/dagger/v1"},
				{"{{ buildDefinition.externalParameters.repository }}", "Equals", "https://git.example.com/a/b/c",
					"the provenance's source repository is not https://git.example.com/a/b/c"},
				{"{{ runDetails.builder.id }}", "AnyIn", []any{"https://ci.example.com/*"},
					"the provenance's builder is not one of https://ci.example.com/*"},
			},
		},
		{
			name: "no source: no repository condition",
			p:    Params{Repository: "registry.localhost:5000/echo-server", PublicKey: testKey},
			want: []cond{
				{"{{ buildDefinition.buildType }}", "Equals", "https://echo-server.dev/buildtypes/dagger/v1",
					"the provenance's buildType is not https://echo-server.dev/buildtypes/dagger/v1"},
				{"{{ runDetails.builder.id }}", "AnyIn", []any{"https://echo-server.dev/builders/dagger-module/v1"},
					"the provenance's builder is not one of https://echo-server.dev/builders/dagger-module/v1"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := provenanceConditions(t, tt.p); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("conditions =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestDefaultBuilderIDs(t *testing.T) {
	module := "https://echo-server.dev/builders/dagger-module/v1"
	tests := []struct {
		source string
		want   []string
	}{
		{"https://github.com/acme/echo-server", []string{module, "https://github.com/acme/echo-server/.github/workflows/*"}},
		{"https://github.com/Acme/Echo.Server", []string{module, "https://github.com/Acme/Echo.Server/.github/workflows/*"}},
		{"https://github.com/acme", []string{module}},
		{"https://github.com/acme/", []string{module}},
		{"https://github.com//echo-server", []string{module}},
		{"https://github.com/acme/echo-server/tree", []string{module}},
		{"https://gitlab.com/acme/echo-server", []string{module}},
		{"https://www.github.com/acme/echo-server", []string{module}},
		{"https://github.com:8443/acme/echo-server", []string{module}},
		{"://bad", []string{module}},
		{"", []string{module}},
	}
	for _, tt := range tests {
		if got := DefaultBuilderIDs(tt.source); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DefaultBuilderIDs(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
	// The module default is what the provenance package writes outside CI.
	if defaultBuilderID != module || buildType != "https://echo-server.dev/buildtypes/dagger/v1" {
		t.Errorf("constants changed: %q %q", defaultBuilderID, buildType)
	}
}

func TestRenderErrors(t *testing.T) {
	const (
		repoWant = "want HOST[:PORT]/PATH in lowercase without tag or digest, e.g. ghcr.io/acme/echo-server"
		keyWant  = "want the contents of cosign.pub: one -----BEGIN PUBLIC KEY----- block"
		srcWant  = `want the https web address the provenance records, without credentials, ".git" or trailing "/", e.g. https://github.com/acme/echo-server`
		src      = "https://github.com/acme/echo-server"
		repo     = "ghcr.io/acme/echo-server"
		// pathChars is go-containerregistry's reason for a path it refuses.
		pathChars = "repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: "
	)
	privateKey := "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
	cert := "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
	tests := []struct {
		name string
		p    Params
		want string
	}{
		{"empty repository", Params{"", testKey, src, nil}, `policy: invalid registry "": a repository name must be specified; ` + repoWant},
		{"uppercase", Params{"ghcr.io/Acme/echo-server", testKey, src, nil}, `policy: invalid registry "ghcr.io/Acme/echo-server": ` + pathChars + "Acme/echo-server; " + repoWant},
		{"host only", Params{"ghcr.io", testKey, src, nil}, `policy: invalid registry "ghcr.io": strict validation requires the registry to be explicitly defined; ` + repoWant},
		{"docker hub short name", Params{"acme/echo-server", testKey, src, nil}, `policy: invalid registry "acme/echo-server": strict validation requires the registry to be explicitly defined; ` + repoWant},
		{"wildcard", Params{"ghcr.io/acme/*", testKey, src, nil}, `policy: invalid registry "ghcr.io/acme/*": ` + pathChars + "acme/*; " + repoWant},
		{"tag", Params{"ghcr.io/acme/echo-server:1.2.3", testKey, src, nil},
			`policy: repository "ghcr.io/acme/echo-server:1.2.3" names a tag or digest; a policy covers a whole repository: want HOST[:PORT]/PATH in lowercase, e.g. ghcr.io/acme/echo-server`},
		{"tag on a host with port", Params{"localhost:5000/echo:v1", testKey, src, nil},
			`policy: repository "localhost:5000/echo:v1" names a tag or digest; a policy covers a whole repository: want HOST[:PORT]/PATH in lowercase, e.g. ghcr.io/acme/echo-server`},
		{"digest", Params{"ghcr.io/acme/echo-server@sha256:abc", testKey, src, nil},
			`policy: repository "ghcr.io/acme/echo-server@sha256:abc" names a tag or digest; a policy covers a whole repository: want HOST[:PORT]/PATH in lowercase, e.g. ghcr.io/acme/echo-server`},
		{"tag and digest", Params{"ghcr.io/acme/echo-server:1@sha256:abc", testKey, src, nil},
			`policy: repository "ghcr.io/acme/echo-server:1@sha256:abc" names a tag or digest; a policy covers a whole repository: want HOST[:PORT]/PATH in lowercase, e.g. ghcr.io/acme/echo-server`},
		{"bad repository with a tag", Params{"ghcr.io/Acme:1", testKey, src, nil}, `policy: invalid registry "ghcr.io/Acme:1": ` + pathChars + "Acme:1; " + repoWant},
		{"host:port only", Params{"localhost:5000", testKey, src, nil}, `policy: invalid registry "localhost:5000": tag ":5000" is not accepted here (tags go in --tags); ` + repoWant},

		{"no key", Params{repo, "", src, nil}, "policy: public key: no PEM block found; " + keyWant},
		{"not PEM", Params{repo, "cosign.pub", src, nil}, "policy: public key: no PEM block found; " + keyWant},
		{"private key", Params{repo, privateKey, src, nil},
			`policy: public key: got a "ENCRYPTED SIGSTORE PRIVATE KEY" block, a private key: never hand it out; ` + keyWant},
		{"certificate", Params{repo, cert, src, nil}, `policy: public key: got a "CERTIFICATE" block; ` + keyWant},
		{"text before", Params{repo, "key:\n" + testKey, src, nil}, "policy: public key: text before the PEM block; " + keyWant},
		{"two keys", Params{repo, testKey + testKey, src, nil}, "policy: public key: text after the PEM block; " + keyWant},
		{"text after", Params{repo, testKey + "trailer", src, nil}, "policy: public key: text after the PEM block; " + keyWant},

		{"http source", Params{repo, testKey, "http://github.com/acme/echo-server", nil}, `policy: source repository "http://github.com/acme/echo-server": ` + srcWant},
		{"ssh source", Params{repo, testKey, "git@github.com:acme/echo-server.git", nil}, `policy: source repository "git@github.com:acme/echo-server.git": ` + srcWant},
		{"credentials", Params{repo, testKey, "https://user:token@github.com/acme/echo-server", nil},
			`policy: source repository "https://user:token@github.com/acme/echo-server": ` + srcWant},
		{"user only", Params{repo, testKey, "https://user@github.com/acme/echo-server", nil},
			`policy: source repository "https://user@github.com/acme/echo-server": ` + srcWant},
		{"query", Params{repo, testKey, src + "?x=1", nil}, `policy: source repository "` + src + `?x=1": ` + srcWant},
		{"empty query", Params{repo, testKey, src + "?", nil}, `policy: source repository "` + src + `?": ` + srcWant},
		{"fragment", Params{repo, testKey, src + "#readme", nil}, `policy: source repository "` + src + `#readme": ` + srcWant},
		{"empty fragment", Params{repo, testKey, src + "#", nil}, `policy: source repository "` + src + `#": ` + srcWant},
		{"wildcard", Params{repo, testKey, "https://github.com/acme/*", nil}, `policy: source repository "https://github.com/acme/*": ` + srcWant},
		{"space", Params{repo, testKey, "https://github.com/acme/echo server", nil}, `policy: source repository "https://github.com/acme/echo server": ` + srcWant},
		{"tab", Params{repo, testKey, "https://github.com/acme/echo\tserver", nil}, `policy: source repository "https://github.com/acme/echo\tserver": ` + srcWant},
		{"newline", Params{repo, testKey, src + "\n", nil}, `policy: source repository "` + src + `\n": ` + srcWant},
		{"no host", Params{repo, testKey, "https:///acme/echo-server", nil}, `policy: source repository "https:///acme/echo-server": ` + srcWant},
		{"no path", Params{repo, testKey, "https://github.com", nil}, `policy: source repository "https://github.com": ` + srcWant},
		{"root path", Params{repo, testKey, "https://github.com/", nil}, `policy: source repository "https://github.com/": ` + srcWant},
		{"trailing slash", Params{repo, testKey, src + "/", nil}, `policy: source repository "` + src + `/": ` + srcWant},
		{".git", Params{repo, testKey, src + ".git", nil}, `policy: source repository "` + src + `.git": ` + srcWant},
		{"unparsable", Params{repo, testKey, "https://github.com/%zz", nil}, `policy: source repository "https://github.com/%zz": ` + srcWant},

		{"empty builder", Params{repo, testKey, src, []string{"https://ci.example.com/*", ""}},
			`policy: builder id 2 "": want a non-empty id without surrounding spaces, e.g. https://echo-server.dev/builders/dagger-module/v1 (Kyverno wildcards * and ? allowed)`},
		{"padded builder", Params{repo, testKey, src, []string{" https://ci.example.com/*"}},
			`policy: builder id 1 " https://ci.example.com/*": want a non-empty id without surrounding spaces, e.g. https://echo-server.dev/builders/dagger-module/v1 (Kyverno wildcards * and ? allowed)`},
		{"trailing newline builder", Params{repo, testKey, src, []string{"https://ci.example.com/x\n"}},
			`policy: builder id 1 "https://ci.example.com/x\n": want a non-empty id without surrounding spaces, e.g. https://echo-server.dev/builders/dagger-module/v1 (Kyverno wildcards * and ? allowed)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Render(tt.p)
			if err == nil {
				t.Fatalf("no error; rendered:\n%s", b)
			}
			if err.Error() != tt.want {
				t.Errorf("error =\n%s\nwant\n%s", err, tt.want)
			}
			if b != nil {
				t.Error("bytes returned with an error")
			}
		})
	}
}

func FuzzRender(f *testing.F) {
	f.Add("ghcr.io/acme/echo-server", testKey, "https://github.com/acme/echo-server", "https://ci.example.com/*")
	f.Add("localhost:5000/x", PlaceholderPublicKey, "https://git.example.com/a/b", "")
	f.Add("ghcr.io/acme/echo-server:1", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "https://x/y?", "a: b")
	f.Add("docker.io/x", "key", "https://github.com/a/b.git", "'{{ x }}'")
	f.Fuzz(func(t *testing.T, repo, key, source, builder string) {
		var builders []string
		if builder != "" {
			builders = []string{builder}
		}
		b, err := Render(Params{Repository: repo, PublicKey: key, SourceRepository: source, BuilderIDs: builders})
		if err != nil {
			if strings.Contains(err.Error(), "\n") && !strings.ContainsAny(repo+key+source+builder, "\n") {
				t.Fatalf("multi-line error: %v", err)
			}
			return
		}
		p := parse(t, b)
		iv := verifyImages(t, p)
		if len(iv.ImageReferences) != 1 || !strings.HasSuffix(iv.ImageReferences[0], "*") {
			t.Fatalf("imageReferences = %q", iv.ImageReferences)
		}
		for _, k := range keysOf(t, iv) {
			if block, rest := pem.Decode([]byte(k)); block == nil || block.Type != "PUBLIC KEY" || len(rest) != 0 {
				t.Fatalf("embedded key is not one PUBLIC KEY block: %q", k)
			}
		}
		conds := iv.Attestations[1].Conditions[0].All
		if conds[1].Value != source {
			t.Fatalf("source condition = %v, want %q", conds[1].Value, source)
		}
		if builder != "" && !reflect.DeepEqual(conds[2].Value, []any{builder}) {
			t.Fatalf("builder condition = %v, want [%q]", conds[2].Value, builder)
		}
	})
}

func TestWithoutTagOrDigest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ghcr.io/acme/echo-server:1.2.3", "ghcr.io/acme/echo-server"},
		{"ghcr.io/acme/echo-server@sha256:abc", "ghcr.io/acme/echo-server"},
		{"ghcr.io/acme/echo-server:1.2.3@sha256:abc", "ghcr.io/acme/echo-server"},
		{"localhost:5000/echo-server", "localhost:5000/echo-server"},
		{"localhost:5000/echo-server:v1", "localhost:5000/echo-server"},
		{"/echo-server:v1", "/echo-server"},
		{"echo-server:v1", "echo-server"},
		{"ghcr.io/acme/echo-server", "ghcr.io/acme/echo-server"},
	}
	for _, tt := range tests {
		if got := withoutTagOrDigest(tt.in); got != tt.want {
			t.Errorf("withoutTagOrDigest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
