// Package policy renders the Kyverno admission policy that lets a cluster
// run only this pipeline's images: signed with the release's cosign key and
// carrying its SLSA provenance. It also builds what the pipeline's check
// needs to prove the policy with the Kyverno CLI: a Pod to apply it to, the
// command line, and a one-line explanation of the CLI's verdict.
//
// The policy is a kyverno.io/v1 ClusterPolicy with a verifyImages rule of
// type SigstoreBundle: cosign v3 stores signatures and attestations as
// Sigstore bundles (OCI referrers), which the default type Cosign does not
// read. Every attestor is the static public key, with the transparency log
// and certificate timestamps ignored: the release signs with a key and no
// Sigstore services, so the key is the only trust there is.
package policy

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"net/url"
	"path"
	"strings"

	"dagger/echo-server/ref"

	"gopkg.in/yaml.v3"
)

const (
	// PolicyName is the ClusterPolicy's metadata.name.
	PolicyName = "verify-echo-server-images"
	// RuleName is the name of its only rule; Kyverno names the rule in
	// every verdict.
	RuleName = "signature-and-provenance"

	// SignatureType is the in-toto predicate type of what cosign v3 `sign`
	// writes. SigstoreBundle verification counts ANY bundle the key
	// verifies as "the signature", so an image that carries only an
	// attestation would pass; requiring this type too closes that gap.
	SignatureType = "https://sigstore.dev/cosign/sign/v1"
	// ProvenanceType is the predicate type of the SLSA v1 provenance.
	ProvenanceType = "https://slsa.dev/provenance/v1"

	// buildType and defaultBuilderID must equal provenance.BuildType and
	// provenance.DefaultBuilderID: the policy accepts what that package
	// writes. They are copies so that this package stays independent.
	buildType        = "https://echo-server.dev/buildtypes/dagger/v1"
	defaultBuilderID = "https://echo-server.dev/builders/dagger-module/v1"

	// webhookTimeoutSeconds leaves Kyverno time for the registry round
	// trips of one signature and two attestations (the default is 10).
	webhookTimeoutSeconds = 30
)

// PlaceholderPublicKey is the key of the committed deploy file: a
// syntactically valid PEM block that verifies nothing, so a cluster that
// applies the file unchanged refuses every image of the repository. Render
// marks it with a comment asking to replace it.
const PlaceholderPublicKey = `-----BEGIN PUBLIC KEY-----
PLACEHOLDER/REPLACE/WITH/YOUR/cosign/pub
-----END PUBLIC KEY-----
`

// placeholderComment is written above every publicKeys that holds
// PlaceholderPublicKey.
const placeholderComment = `PLACEHOLDER: replace this key with the contents of your cosign.pub
(or render the file with your key: see README, "Verify at deploy").`

// Shipped is what the committed deploy/kyverno/verify-images.yaml is
// rendered from: the project's repository, with the placeholder key.
var Shipped = Params{
	Repository:       "ghcr.io/acme/echo-server",
	PublicKey:        PlaceholderPublicKey,
	SourceRepository: "https://github.com/acme/echo-server",
}

// Params are what a rendered policy depends on.
type Params struct {
	Repository       string   // image repository, e.g. ghcr.io/acme/echo-server (HOST[:PORT]/PATH, lowercase)
	PublicKey        string   // PEM of the cosign public key (cosign.pub)
	SourceRepository string   // source repo https URL the provenance must name, e.g. https://github.com/acme/echo-server; "" requires none
	BuilderIDs       []string // accepted SLSA runDetails.builder.id values (Kyverno wildcards allowed); default see below
}

// DefaultBuilderIDs returns the builder ids a policy accepts when
// Params.BuilderIDs is empty: this Dagger module run anywhere, and, when
// source is a github.com repository, any GitHub Actions workflow of that
// repository (the provenance names GITHUB_WORKFLOW_REF there).
func DefaultBuilderIDs(source string) []string {
	ids := []string{defaultBuilderID}
	u, err := url.Parse(source)
	if err != nil || u.Host != "github.com" {
		return ids
	}
	owner, repo, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return ids
	}
	return append(ids, "https://github.com/"+owner+"/"+repo+"/.github/workflows/*")
}

// Render returns the kyverno.io/v1 ClusterPolicy YAML (stable bytes, golden-tested).
func Render(p Params) ([]byte, error) {
	repo, err := repository(p.Repository)
	if err != nil {
		return nil, err
	}
	key, err := publicKey(p.PublicKey)
	if err != nil {
		return nil, err
	}
	if p.SourceRepository != "" {
		if err := sourceRepository(p.SourceRepository); err != nil {
			return nil, err
		}
	}
	builders := p.BuilderIDs
	if len(builders) == 0 {
		builders = DefaultBuilderIDs(p.SourceRepository)
	}
	for i, b := range builders {
		if strings.TrimSpace(b) != b || b == "" {
			return nil, fmt.Errorf("policy: builder id %d %q: want a non-empty id without surrounding spaces, e.g. %s (Kyverno wildcards * and ? allowed)", i+1, b, defaultBuilderID)
		}
	}

	var doc yaml.Node
	if err := doc.Encode(clusterPolicyFor(repo, key, p.SourceRepository, builders)); err != nil {
		return nil, fmt.Errorf("policy: encode: %w", err)
	}
	doc.Content[0].HeadComment = header(repo)
	if key == PlaceholderPublicKey {
		markPlaceholders(&doc)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("policy: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("policy: encode: %w", err)
	}
	return out.Bytes(), nil
}

// header is the comment at the top of a rendered policy.
func header(repo string) string {
	return "Admits images of " + repo + "* only when signed with the cosign key below and\n" +
		"attested with SLSA provenance of the echo-server pipeline (README, \"Verify at deploy\").\n" +
		"Rendered by: dagger call policy --repository " + repo + " --public-key file:cosign.pub"
}

// markPlaceholders puts placeholderComment above every publicKeys key.
func markPlaceholders(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 { // keys; values follow them
			if n.Content[i].Value == "publicKeys" {
				n.Content[i].HeadComment = placeholderComment
			}
		}
	}
	for _, c := range n.Content {
		markPlaceholders(c)
	}
}

// clusterPolicyFor builds the policy. imageReferences is the repository
// followed by "*": Kyverno matches it as a glob against the image as
// HOST/PATH:TAG or HOST/PATH@DIGEST, so every tag and digest of the
// repository is covered, and so is every repository whose name starts with
// it (REPO-unsigned, REPO/debug, …). Those siblings are deliberately held
// to the same rule: an image pushed next to the release, unsigned, must not
// slip through, and the pipeline's check proves exactly that with REPO-unsigned.
func clusterPolicyFor(repo, key, source string, builders []string) clusterPolicy {
	keys := []attestorSet{{Entries: []attestor{{Keys: staticKey{
		PublicKeys: key,
		Rekor:      rekor{IgnoreTlog: true},
		CTLog:      ctlog{IgnoreSCT: true},
	}}}}}
	return clusterPolicy{
		APIVersion: "kyverno.io/v1",
		Kind:       "ClusterPolicy",
		Metadata: metadata{
			Name: PolicyName,
			Annotations: map[string]string{
				"policies.kyverno.io/title":       "Verify echo-server images",
				"policies.kyverno.io/description": description(repo, source),
			},
		},
		Spec: spec{
			Background:            false,
			FailurePolicy:         "Fail",
			WebhookTimeoutSeconds: webhookTimeoutSeconds,
			Rules: []rule{{
				Name:  RuleName,
				Match: match{Any: []resourceFilter{{Resources: resources{Kinds: []string{"Pod"}}}}},
				VerifyImages: []imageVerification{{
					Type:            "SigstoreBundle",
					ImageReferences: []string{repo + "*"},
					FailureAction:   "Enforce",
					MutateDigest:    true,
					VerifyDigest:    true,
					Required:        true,
					Attestors:       keys,
					Attestations: []attestation{
						{Type: SignatureType, Attestors: keys},
						{Type: ProvenanceType, Attestors: keys, Conditions: []conditions{{All: provenanceChecks(source, builders)}}},
					},
				}},
			}},
		},
	}
}

// provenanceChecks are what the provenance must say: built by this
// pipeline (buildType), from source (left out when source is "": a checkout
// without a web remote has none to require), by one of builders.
func provenanceChecks(source string, builders []string) []condition {
	conds := []condition{{
		Key:      "{{ buildDefinition.buildType }}",
		Operator: "Equals",
		Value:    buildType,
		Message:  "the provenance's buildType is not " + buildType,
	}}
	if source != "" {
		conds = append(conds, condition{
			Key:      "{{ buildDefinition.externalParameters.repository }}",
			Operator: "Equals",
			Value:    source,
			Message:  "the provenance's source repository is not " + source,
		})
	}
	return append(conds, condition{
		Key:      "{{ runDetails.builder.id }}",
		Operator: "AnyIn",
		Value:    builders,
		Message:  "the provenance's builder is not one of " + strings.Join(builders, ", "),
	})
}

// repository validates HOST[:PORT]/PATH and returns it in the form Kyverno
// compares images in (Docker Hub written docker.io/…).
func repository(s string) (string, error) {
	r, err := ref.ParseRepository(s)
	if err == nil {
		return r.String(), nil
	}
	if base := withoutTagOrDigest(strings.TrimSpace(s)); base != strings.TrimSpace(s) {
		if _, baseErr := ref.ParseRepository(base); baseErr == nil {
			return "", fmt.Errorf("policy: repository %q names a tag or digest; a policy covers a whole repository: want HOST[:PORT]/PATH in lowercase, e.g. ghcr.io/acme/echo-server", s)
		}
	}
	return "", fmt.Errorf("policy: %w", err)
}

// withoutTagOrDigest cuts "@DIGEST" and then a ":TAG" in the last path
// component of s.
func withoutTagOrDigest(s string) string {
	s, _, _ = strings.Cut(s, "@")
	dir, last := path.Split(s)
	name, _, _ := strings.Cut(last, ":")
	return dir + name
}

// publicKey checks that s is exactly one PEM "PUBLIC KEY" block and returns
// it re-encoded (64-column base64, one trailing newline), so that the line
// endings or indentation of the input (a key pasted from YAML, say) cannot
// leak into the policy.
func publicKey(s string) (string, error) {
	const want = "want the contents of cosign.pub: one -----BEGIN PUBLIC KEY----- block"
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	in := strings.TrimSpace(strings.Join(lines, "\n"))
	block, rest := pem.Decode([]byte(in))
	if block == nil {
		return "", fmt.Errorf("policy: public key: no PEM block found; %s", want)
	}
	if strings.Contains(block.Type, "PRIVATE KEY") {
		return "", fmt.Errorf("policy: public key: got a %q block, a private key: never hand it out; %s", block.Type, want)
	}
	if block.Type != "PUBLIC KEY" {
		return "", fmt.Errorf("policy: public key: got a %q block; %s", block.Type, want)
	}
	if !strings.HasPrefix(in, "-----BEGIN ") {
		return "", fmt.Errorf("policy: public key: text before the PEM block; %s", want)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return "", fmt.Errorf("policy: public key: text after the PEM block; %s", want)
	}
	return string(pem.EncodeToMemory(block)), nil
}

// sourceRepository checks the source repository URL the provenance must
// name. Kyverno's Equals treats * and ? in it as wildcards, so they are
// refused; so are the forms the pipeline never records (it strips ".git",
// a trailing "/", credentials, query and fragment from the git remote).
func sourceRepository(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.ForceQuery ||
		u.Fragment != "" || strings.ContainsAny(s, "*?# \t\n") || strings.Trim(u.Path, "/") == "" ||
		strings.HasSuffix(u.Path, "/") || strings.HasSuffix(u.Path, ".git") {
		return fmt.Errorf("policy: source repository %q: want the https web address the provenance records, without credentials, \".git\" or trailing \"/\", e.g. https://github.com/acme/echo-server", s)
	}
	return nil
}

// description is the policy's description annotation.
func description(repo, source string) string {
	d := "Admits a pod only when its images of " + repo +
		" are signed with the release's cosign key and carry SLSA provenance of the echo-server pipeline"
	if source == "" {
		return d + "."
	}
	return d + " built from " + source + "."
}
