package policy

import (
	"strings"
	"testing"
)

// TestSummaryCounts: the summary line of `kyverno apply` has five counts,
// each one or more digits; a count missing or not a number is no summary.
func TestSummaryCounts(t *testing.T) {
	counts := []string{"pass", "fail", "warn", "error", "skip"}
	for i := range counts {
		for _, bad := range []string{"", "x", "-1", "1.0", " 1"} {
			parts := make([]string, len(counts))
			for j, name := range counts {
				v := "0"
				if j == i {
					v = bad
				}
				parts[j] = name + ": " + v
			}
			line := strings.Join(parts, ", ")
			if c, ok := Summary(line + "\n"); ok {
				t.Errorf("Summary(%q) = %+v, true; want no summary", line, c)
			}
		}
	}
	for _, tt := range []struct {
		line string
		want Counts
	}{
		{"pass: 0, fail: 0, warn: 0, error: 0, skip: 0", Counts{}},
		{"pass: 9, fail: 8, warn: 7, error: 6, skip: 5", Counts{9, 8, 7, 6, 5}},
		{"pass: 10, fail: 0, warn: 0, error: 0, skip: 0 \t\r", Counts{Pass: 10}},
	} {
		if c, ok := Summary(tt.line); !ok || c != tt.want {
			t.Errorf("Summary(%q) = %+v, %v; want %+v", tt.line, c, ok, tt.want)
		}
	}
}

// TestAttestationIndex: the attestation a failure names is ".attestations[N]"
// in Kyverno's path; N is 0 for the signature, 1 for the provenance, and
// anything else (or no such path) names neither.
func TestAttestationIndex(t *testing.T) {
	const prefix = "image attestations verification failed, verifiedCount: 0, requiredCount: 1, error: "
	for _, tt := range []struct{ path, want string }{
		{".attestations[0].attestors[0]", "the cosign signature (https://sigstore.dev/cosign/sign/v1) is missing or not signed with the policy's key"},
		{".attestations[1].attestors[0]", "the SLSA provenance (https://slsa.dev/provenance/v1) is missing or not signed with the policy's key"},
		{".attestations[01].attestors[0]", "the SLSA provenance (https://slsa.dev/provenance/v1) is missing or not signed with the policy's key"},
		{".attestations[2].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{".attestations[10].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{"attestations[1].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{".attestations[].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{".attestations[x].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{".attestation[1].attestors[0]", "an attestation the policy requires is missing or not signed with its key"},
		{".attestors[1].entries[0]", "an attestation the policy requires is missing or not signed with its key"},
	} {
		out := "policy p -> resource ns/Pod/x failed:\n1 - r " + prefix + tt.path + "\n"
		want := "kyverno refused ns/Pod/x: rule r: " + tt.want + " (kyverno: " + prefix + tt.path + ")"
		if got := Explain(out); got != want {
			t.Errorf("Explain(%s) =\n%s\nwant\n%s", tt.path, got, want)
		}
	}
}

// TestWhyPhrases: each phrase of Kyverno's that the explanation maps,
// alone, in the order they are tried.
func TestWhyPhrases(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{"attestation checks failed", "the SLSA provenance does not meet the policy's conditions"},
		{"image attestations verification failed", "an attestation the policy requires is missing or not signed with its key"},
		{"failed to load public key", "the policy's public key is unusable (still the placeholder?)"},
		{"server gave HTTP response to HTTPS client", "the registry speaks plain HTTP: address it as localhost, 127.0.0.1 or a *.localhost name"},
		{"no matching signatures found", "no signature verifies with the policy's key: the image is unsigned or signed with another key"},
		{"missing digest", "the image is not pinned by digest"},
		{"unverified image", "the image did not pass verification"},
		// Kyverno's own case only: the phrases are its exact words.
		{"Attestation checks failed", "see kyverno's message"},
		{"No matching signatures found", "see kyverno's message"},
		{"no matching signatures", "see kyverno's message"},
		{"missing", "see kyverno's message"},
		// First match wins.
		{"attestation checks failed; image attestations verification failed", "the SLSA provenance does not meet the policy's conditions"},
		{"image attestations verification failed; no matching signatures found", "an attestation the policy requires is missing or not signed with its key"},
		{"failed to load public key; no matching signatures found", "the policy's public key is unusable (still the placeholder?)"},
		{"server gave HTTP response to HTTPS client; no matching signatures found", "the registry speaks plain HTTP: address it as localhost, 127.0.0.1 or a *.localhost name"},
		{"no matching signatures found; missing digest", "no signature verifies with the policy's key: the image is unsigned or signed with another key"},
		{"missing digest; unverified image", "the image is not pinned by digest"},
	} {
		if got := why(tt.msg); got != tt.want {
			t.Errorf("why(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
	// The condition's own message follows the predicate type.
	msg := "attestation checks failed for r@sha256:x and predicate https://slsa.dev/provenance/v1: the provenance's builder is not one of a"
	if got := why(msg); got != "the provenance's builder is not one of a" {
		t.Errorf("why(%q) = %q", msg, got)
	}
}

// TestPrivateKeyRefused: any PEM block whose type names a private key is
// refused with its own message, never embedded.
func TestPrivateKeyRefused(t *testing.T) {
	for _, typ := range []string{"PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"} {
		key := "-----BEGIN " + typ + "-----\nAAAA\n-----END " + typ + "-----\n"
		want := `policy: public key: got a "` + typ + `" block, a private key: never hand it out; want the contents of cosign.pub: one -----BEGIN PUBLIC KEY----- block`
		if _, err := Render(Params{Repository: "ghcr.io/acme/echo-server", PublicKey: key}); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %s", typ, err, want)
		}
	}
	for _, typ := range []string{"PUBLIC  KEY", "public key", "EC PUBLIC KEY", "RSA PUBLIC KEY", "PRIVATE"} {
		key := "-----BEGIN " + typ + "-----\nAAAA\n-----END " + typ + "-----\n"
		want := `policy: public key: got a "` + typ + `" block; want the contents of cosign.pub: one -----BEGIN PUBLIC KEY----- block`
		if _, err := Render(Params{Repository: "ghcr.io/acme/echo-server", PublicKey: key}); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %s", typ, err, want)
		}
	}
}

// TestPolicyConstants: the names README.md, "Verify at deploy", gives and
// Kyverno prints in every verdict, and the types the rule requires.
func TestPolicyConstants(t *testing.T) {
	for _, tt := range []struct{ name, got, want string }{
		{"PolicyName", PolicyName, "verify-echo-server-images"},
		{"RuleName", RuleName, "signature-and-provenance"},
		{"SignatureType", SignatureType, "https://sigstore.dev/cosign/sign/v1"},
		{"ProvenanceType", ProvenanceType, "https://slsa.dev/provenance/v1"},
		{"buildType", buildType, "https://echo-server.dev/buildtypes/dagger/v1"},
		{"defaultBuilderID", defaultBuilderID, "https://echo-server.dev/builders/dagger-module/v1"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !strings.Contains(PlaceholderPublicKey, "PLACEHOLDER/REPLACE/WITH/YOUR/cosign/pub") {
		t.Errorf("PlaceholderPublicKey = %q, want the README's PLACEHOLDER/REPLACE/WITH/YOUR/cosign/pub", PlaceholderPublicKey)
	}
}
