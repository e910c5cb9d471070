package signing

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The rules of README.md, "Publishing and signing" and "SBOM and
// provenance", and of this package's doc comments, pinned at their edges.

// hex64 is a digest's hex part.
const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// TestTargetRepositoryCharacters: a target is REPOSITORY@sha256:<64 hex>,
// the repository in lower-case letters, digits and . : / _ [ ] -; each of
// them is accepted and the characters next to them are refused.
func TestTargetRepositoryCharacters(t *testing.T) {
	for _, c := range []string{"a", "z", "0", "9", ".", ":", "/", "_", "[", "]", "-", "m", "5"} {
		ref := "r" + c + "r@sha256:" + hex64
		if err := (Target{Ref: ref}).Validate(); err != nil {
			t.Errorf("%q refused: %v", ref, err)
		}
	}
	for _, c := range []string{
		"`", "{", "A", "Z", ",", ";", "^", "\\", "@", "!", " ", "+", "=", "~", "%", "#", "?", "*", "\t", "\n", "é",
	} {
		ref := "r" + c + "r@sha256:" + hex64
		want := fmt.Sprintf("sign %q: want REPOSITORY@sha256:<64 hex>; a signature must name a digest, never a tag", ref)
		if err := (Target{Ref: ref}).Validate(); err == nil || err.Error() != want {
			t.Errorf("%q: error = %v, want %s", ref, err, want)
		}
	}
}

// TestTargetDigest: exactly 64 lower-case hex digits of a sha256 digest.
func TestTargetDigest(t *testing.T) {
	for _, d := range []string{hex64, strings.Repeat("0", 64), strings.Repeat("9", 64), strings.Repeat("a", 64), strings.Repeat("f", 64)} {
		if err := (Target{Ref: "r/e@sha256:" + d}).Validate(); err != nil {
			t.Errorf("digest %s refused: %v", d, err)
		}
	}
	for _, ref := range []string{
		"r/e@sha256:" + hex64[:63],
		"r/e@sha256:" + hex64 + "0",
		"r/e@sha256:" + hex64[:63] + "g",
		"r/e@sha256:" + hex64[:63] + "A",
		"r/e@sha256:" + hex64[:63] + "F",
		"r/e@sha256:" + hex64[:63] + "/",
		"r/e@sha256:" + hex64[:63] + ":",
		"r/e@sha256:" + hex64[:63] + "`",
		"r/e@sha512:" + hex64,
		"r/e@SHA256:" + hex64,
		"r/e@sha256" + hex64,
		"r/e@" + hex64,
		"@sha256:" + hex64,
		"r/e:tag@sha256:" + hex64[:63],
		"r/e@sha256:" + hex64 + "\n",
		" r/e@sha256:" + hex64,
		"r/e",
		"",
	} {
		if err := (Target{Ref: ref}).Validate(); err == nil {
			t.Errorf("%q accepted", ref)
		}
		if _, err := Attest(Target{Ref: ref}, SPDX, "/p", "/sc", "/tr"); err == nil || !strings.HasSuffix(err.Error(), "an attestation must name a digest, never a tag") {
			t.Errorf("Attest(%q) error = %v", ref, err)
		}
	}
	// A tag before the digest is part of a valid reference.
	if err := (Target{Ref: "r/e:1.2.3@sha256:" + hex64}).Validate(); err != nil {
		t.Errorf("tag and digest refused: %v", err)
	}
}

// TestCommandLines pins every argument of the cosign commands that take no
// target: no Sigstore service in the signing config, the key read from the
// secret variable, the key pair written as cosign.key and cosign.pub.
func TestCommandLines(t *testing.T) {
	for _, tt := range []struct {
		name      string
		got, want []string
	}{
		{"signing config", SigningConfig("/sc.json"), []string{"signing-config", "create",
			"--no-default-fulcio", "--no-default-oidc", "--no-default-rekor", "--no-default-tsa", "--out", "/sc.json"}},
		{"public key", PublicKey("/cosign.pub"), []string{"public-key", "--key", "env://COSIGN_PRIVATE_KEY", "--outfile", "/cosign.pub"}},
		{"key pair", GenerateKeyPair(), []string{"generate-key-pair"}},
	} {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	for _, tt := range []struct{ name, got, want string }{
		{"KeyEnv", KeyEnv, "COSIGN_PRIVATE_KEY"},
		{"PasswordEnv", PasswordEnv, "COSIGN_PASSWORD"},
		{"keyRef", keyRef, "env://" + KeyEnv},
		{"KeyFile", KeyFile, "cosign.key"},
		{"PublicKeyFile", PublicKeyFile, "cosign.pub"},
		{"TrustedRoot", TrustedRoot, `{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if !json.Valid([]byte(TrustedRoot)) {
		t.Error("TrustedRoot is not JSON")
	}
	// Plain HTTP adds both of cosign's flags, and only then.
	ref := "r:5000/e@sha256:" + hex64
	for _, plain := range []bool{false, true} {
		var flags []string
		if plain {
			flags = []string{"--allow-insecure-registry", "--allow-http-registry"}
		}
		verify, _ := Verify(Target{Ref: ref, PlainHTTP: plain}, "/k")
		va, _ := VerifyAttestation(Target{Ref: ref, PlainHTTP: plain}, SLSA, "/k")
		for name, args := range map[string][]string{"verify": verify, "verify-attestation": va} {
			if got := args[len(args)-1-len(flags) : len(args)-1]; !slices.Equal(got, flags) {
				t.Errorf("%s plain HTTP %v: flags %q, want %q", name, plain, got, flags)
			}
		}
	}
}

// TestExplainPhrases: each phrase cosign words a failure with, alone and
// in another case, says its explanation; near misses say cosign's last
// line.
func TestExplainPhrases(t *testing.T) {
	const (
		ref      = "r/e@sha256:" + hex64
		password = "sign: cosign cannot read the private key: wrong --cosign-password, or the key is not a cosign key"
		notKey   = "sign: cosign cannot read the private key: want the PEM file written by 'cosign generate-key-pair', e.g. --cosign-key env:COSIGN_KEY"
		badSig   = "sign " + ref + ": the signature does not verify with the public key of --cosign-key"
	)
	refusedBy := func(line string) string {
		return "sign " + ref + ": the registry refused cosign (" + line + "): check --username and --password"
	}
	for _, tt := range []struct{ output, want string }{
		{"x decrypt y", password},
		{"x DECRYPT y", password},
		{"x incorrect password y", password},
		{"x Incorrect Password y", password},
		{"x pem y", notKey},
		{"x PEM y", notKey},
		{"x reading key y", notKey},
		{"x Reading Key y", notKey},
		{"x loading key y", notKey},
		{"x LOADING KEY y", notKey},
		{"x no signatures found y", badSig},
		{"x No Signatures Found y", badSig},
		{"x no matching signatures y", badSig},
		{"x NO MATCHING SIGNATURES y", badSig},
		{"x invalid signature y", badSig},
		{"x Invalid Signature y", badSig},
		{"progress\nx unauthorized y", refusedBy("x unauthorized y")},
		{"progress\nx UNAUTHORIZED y\n", refusedBy("x UNAUTHORIZED y")},
		{"x denied y", refusedBy("x denied y")},
		{"x Denied y", refusedBy("x Denied y")},
		{"x forbidden y", refusedBy("x forbidden y")},
		{"x FORBIDDEN y", refusedBy("x FORBIDDEN y")},
		// The first class that matches wins, in this order.
		{"decrypt pem no signatures found denied", password},
		{"pem no signatures found denied", notKey},
		{"no signatures found denied", badSig},
		// Near misses.
		{"x decryp y", "sign " + ref + ": x decryp y"},
		{"x password y", "sign " + ref + ": x password y"},
		{"x pe m y", "sign " + ref + ": x pe m y"},
		{"x reading y", "sign " + ref + ": x reading y"},
		{"x signature y", "sign " + ref + ": x signature y"},
		{"x no signatures y", "sign " + ref + ": x no signatures y"},
		{"x unauthorised y", "sign " + ref + ": x unauthorised y"},
		{"x deny y", "sign " + ref + ": x deny y"},
		// The last line, without surrounding space.
		{"first\n\t last \r\n\n", "sign " + ref + ": last"},
		{" \t\n", "sign " + ref + ": cosign failed without a message"},
	} {
		if got := Explain("sign", ref, tt.output); got == nil || got.Error() != tt.want {
			t.Errorf("Explain(%q) = %v\nwant %s", tt.output, got, tt.want)
		}
	}
}

// TestExplainAttestationPhrases: each of cosign's two attestation phrases
// alone and in another case; anything else is explained as a signature.
func TestExplainAttestationPhrases(t *testing.T) {
	const ref = "r/e@sha256:" + hex64
	none := "verify-attestation " + ref + ": no spdxjson attestation verifies with the public key of --cosign-key: none is attached, or another key signed it"
	other := "verify-attestation " + ref + ": the image has attestations, but no spdxjson one"
	for _, tt := range []struct{ output, want string }{
		{"x no matching attestations y", none},
		{"x No Matching Attestations y", none},
		{"x none of the attestations matched the predicate type y", other},
		{"x NONE OF THE ATTESTATIONS MATCHED THE PREDICATE TYPE y", other},
		{"no matching attestations; none of the attestations matched the predicate type", other},
		{"x no matching attestation y", "verify-attestation " + ref + ": x no matching attestation y"},
		{"x none of the attestations matched y", "verify-attestation " + ref + ": x none of the attestations matched y"},
		{"x invalid signature y", "verify-attestation " + ref + ": the signature does not verify with the public key of --cosign-key"},
	} {
		if got := ExplainAttestation(ref, SPDX, tt.output); got == nil || got.Error() != tt.want {
			t.Errorf("ExplainAttestation(%q) = %v\nwant %s", tt.output, got, tt.want)
		}
	}
}

// TestPredicateTypesTable: README's table, "--type" to predicate type,
// each row; nothing else is a type.
func TestPredicateTypesTable(t *testing.T) {
	if SPDX != "spdxjson" || SLSA != "slsaprovenance1" {
		t.Errorf("SPDX, SLSA = %q, %q; want spdxjson, slsaprovenance1", SPDX, SLSA)
	}
	for typ, want := range map[string]string{"spdxjson": "https://spdx.dev/Document", "slsaprovenance1": "https://slsa.dev/provenance/v1"} {
		if got, err := PredicateType(typ); err != nil || got != want {
			t.Errorf("PredicateType(%q) = %q, %v; want %q", typ, got, err, want)
		}
	}
	for _, typ := range []string{"SPDXJSON", "spdx", "spdxjson ", "slsaprovenance", "slsaprovenance02", "slsaprovenance1 ", "cyclonedx", "vuln", "custom"} {
		if _, err := PredicateType(typ); err == nil {
			t.Errorf("PredicateType(%q) accepted", typ)
		}
	}
}

// TestStatementType: the payload is an in-toto statement of any version
// of https://in-toto.io/Statement/, in an envelope of payload type
// application/vnd.in-toto+json.
func TestStatementType(t *testing.T) {
	for _, tt := range []struct {
		typ, payloadType string
		ok               bool
	}{
		{"https://in-toto.io/Statement/v1", "application/vnd.in-toto+json", true},
		{"https://in-toto.io/Statement/v0.1", "application/vnd.in-toto+json", true},
		{"https://in-toto.io/Statement/", "application/vnd.in-toto+json", true},
		{"https://in-toto.io/Statement", "application/vnd.in-toto+json", false},
		{"http://in-toto.io/Statement/v1", "application/vnd.in-toto+json", false},
		{"https://in-toto.io/statement/v1", "application/vnd.in-toto+json", false},
		{"https://in-toto.io/Statement/v1", "application/vnd.in-toto+JSON", false},
		{"https://in-toto.io/Statement/v1", "application/vnd.in-toto", false},
		{"https://in-toto.io/Statement/v1", "application/json", false},
	} {
		stmt := []byte(`{"_type":"` + tt.typ + `","predicateType":"p","subject":[{"name":"r","digest":{"sha256":"` + hex64 + `"}}],"predicate":{}}`)
		_, err := Statements(dsseLine(tt.payloadType, stmt, sigs))
		if (err == nil) != tt.ok {
			t.Errorf("statement %q in %q: error = %v, want ok %v", tt.typ, tt.payloadType, err, tt.ok)
		}
	}
}
