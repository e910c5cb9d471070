package signing

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

const attestDigest = "sha256:3f1c5b6a0e8d7c2b9a4f6e1d0c3b2a1f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"

func TestPredicateType(t *testing.T) {
	tests := []struct{ typ, want, wantErr string }{
		{typ: SPDX, want: "https://spdx.dev/Document"},
		{typ: SLSA, want: "https://slsa.dev/provenance/v1"},
		{typ: "slsaprovenance", wantErr: `attestation type "slsaprovenance": want spdxjson (an SPDX SBOM) or slsaprovenance1 (a SLSA v1 provenance)`},
		{typ: "", wantErr: `attestation type "": want spdxjson (an SPDX SBOM) or slsaprovenance1 (a SLSA v1 provenance)`},
	}
	for _, tt := range tests {
		got, err := PredicateType(tt.typ)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("PredicateType(%q) error = %v, want %s", tt.typ, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("PredicateType(%q) = %q, %v; want %q", tt.typ, got, err, tt.want)
		}
	}
}

func TestAttest(t *testing.T) {
	tests := []struct {
		name      string
		target    Target
		typ, pred string
		want      []string
		wantErr   string
	}{
		{
			name:   "SBOM to a remote registry",
			target: Target{Ref: "ghcr.io/acme/echo-server@" + attestDigest},
			typ:    SPDX, pred: "/work/sbom.spdx.json",
			want: []string{"attest", "--key", "env://COSIGN_PRIVATE_KEY", "--type", "spdxjson", "--predicate", "/work/sbom.spdx.json",
				"--signing-config", "/sc.json", "--trusted-root", "/tr.json", "--yes", "ghcr.io/acme/echo-server@" + attestDigest},
		},
		{
			name:   "provenance to a plain HTTP registry",
			target: Target{Ref: "registry:5000/echo-server@" + attestDigest, PlainHTTP: true},
			typ:    SLSA, pred: "/work/provenance.json",
			want: []string{"attest", "--key", "env://COSIGN_PRIVATE_KEY", "--type", "slsaprovenance1", "--predicate", "/work/provenance.json",
				"--signing-config", "/sc.json", "--trusted-root", "/tr.json", "--yes", "--allow-insecure-registry", "--allow-http-registry",
				"registry:5000/echo-server@" + attestDigest},
		},
		{
			name:   "tag refused",
			target: Target{Ref: "ghcr.io/acme/echo-server:1.2.3"},
			typ:    SPDX, pred: "/work/sbom.spdx.json",
			wantErr: `attest "ghcr.io/acme/echo-server:1.2.3": want REPOSITORY@sha256:<64 hex>; an attestation must name a digest, never a tag`,
		},
		{
			name:   "unknown type refused",
			target: Target{Ref: "ghcr.io/acme/echo-server@" + attestDigest},
			typ:    "cyclonedx", pred: "/work/sbom.cdx.json",
			wantErr: `attestation type "cyclonedx": want spdxjson (an SPDX SBOM) or slsaprovenance1 (a SLSA v1 provenance)`,
		},
		{
			name:    "no predicate",
			target:  Target{Ref: "ghcr.io/acme/echo-server@" + attestDigest},
			typ:     SLSA,
			wantErr: "attest ghcr.io/acme/echo-server@" + attestDigest + ": empty predicate path: want the file of the slsaprovenance1 predicate",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Attest(tt.target, tt.typ, tt.pred, "/sc.json", "/tr.json")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Attest error = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Attest = %q, %v\nwant %q", got, err, tt.want)
			}
			if slices.ContainsFunc(got, func(a string) bool { return strings.Contains(a, "PRIVATE KEY") }) {
				t.Error("the key itself is in the arguments")
			}
		})
	}
}

func TestVerifyAttestation(t *testing.T) {
	tests := []struct {
		name    string
		target  Target
		typ     string
		want    []string
		wantErr string
	}{
		{
			name:   "SBOM on a remote registry",
			target: Target{Ref: "ghcr.io/acme/echo-server@" + attestDigest},
			typ:    SPDX,
			want: []string{"verify-attestation", "--key", "/cosign.pub", "--type", "spdxjson", "--insecure-ignore-tlog=true",
				"ghcr.io/acme/echo-server@" + attestDigest},
		},
		{
			name:   "provenance on a plain HTTP registry",
			target: Target{Ref: "registry:5000/echo-server@" + attestDigest, PlainHTTP: true},
			typ:    SLSA,
			want: []string{"verify-attestation", "--key", "/cosign.pub", "--type", "slsaprovenance1", "--insecure-ignore-tlog=true",
				"--allow-insecure-registry", "--allow-http-registry", "registry:5000/echo-server@" + attestDigest},
		},
		{
			name:    "short digest refused",
			target:  Target{Ref: "ghcr.io/acme/echo-server@sha256:3f1c"},
			typ:     SPDX,
			wantErr: `verify-attestation "ghcr.io/acme/echo-server@sha256:3f1c": want REPOSITORY@sha256:<64 hex>; an attestation must name a digest, never a tag`,
		},
		{
			name:    "predicate URI refused: say it as cosign's type",
			target:  Target{Ref: "ghcr.io/acme/echo-server@" + attestDigest},
			typ:     "https://slsa.dev/provenance/v1",
			wantErr: `attestation type "https://slsa.dev/provenance/v1": want spdxjson (an SPDX SBOM) or slsaprovenance1 (a SLSA v1 provenance)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyAttestation(tt.target, tt.typ, "/cosign.pub")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("VerifyAttestation error = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("VerifyAttestation = %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
}

// dsseLine is one line of verify-attestation's stdout for a statement:
// encoding/json of the protobuf-specs DSSE Envelope (payload, payloadType,
// signatures, with the bytes in standard base64).
func dsseLine(payloadType string, statement []byte, sigs string) string {
	return `{"payload":"` + base64.StdEncoding.EncodeToString(statement) + `","payloadType":"` + payloadType + `","signatures":` + sigs + `}`
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const sigs = `[{"sig":"MEUCIQDZ0Ym9hcmQ="}]`

func TestStatements(t *testing.T) {
	// Statements cosign v3.1.3 signed for the release image, written by
	// its attestation.GenerateStatement for --type slsaprovenance1 and
	// --type spdxjson (the SBOM of syft v1.50.0).
	slsa := readFile(t, "testdata/attest-slsa-statement.json")
	spdx := readFile(t, "testdata/attest-spdx-statement.json")
	// verify-attestation.stdout: the two envelopes as cosign prints them,
	// marshalled by the protobuf-specs v0.5.1 Envelope cosign uses.
	golden := string(readFile(t, "testdata/verify-attestation.stdout"))
	built := dsseLine("application/vnd.in-toto+json", slsa, sigs) + "\n\n" +
		dsseLine("application/vnd.in-toto+json", spdx, `[{"sig":"MEQCIA==","keyid":""}]`) + "\n"

	for name, stdout := range map[string]string{"cosign's output": golden, "built from the statements": built} {
		t.Run(name, func(t *testing.T) {
			got, err := Statements(stdout)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("got %d statements, want 2", len(got))
			}
			subject := []Subject{{Name: "registry:5000/echo-server", Digest: map[string]string{"sha256": strings.TrimPrefix(attestDigest, "sha256:")}}}
			for i, want := range []struct {
				typ string
				raw []byte
				key string
			}{{"https://slsa.dev/provenance/v1", slsa, "buildDefinition"}, {"https://spdx.dev/Document", spdx, "spdxVersion"}} {
				st := got[i]
				if st.PredicateType != want.typ {
					t.Errorf("statement %d: PredicateType = %q, want %q", i, st.PredicateType, want.typ)
				}
				if len(st.Subjects) != 1 || st.Subjects[0].Name != subject[0].Name || st.Subjects[0].Digest["sha256"] != subject[0].Digest["sha256"] || len(st.Subjects[0].Digest) != 1 {
					t.Errorf("statement %d: Subjects = %v, want %v", i, st.Subjects, subject)
				}
				if string(st.Raw) != string(want.raw) {
					t.Errorf("statement %d: Raw is not the signed statement", i)
				}
				var pred map[string]json.RawMessage
				if err := json.Unmarshal(st.Predicate, &pred); err != nil || pred[want.key] == nil {
					t.Errorf("statement %d: Predicate has no %s: %v", i, want.key, err)
				}
			}
		})
	}
}

func TestStatementsRejects(t *testing.T) {
	slsa := readFile(t, "testdata/attest-slsa-statement.json")
	good := dsseLine("application/vnd.in-toto+json", slsa, sigs)
	tests := []struct{ name, stdout, wantErr string }{
		{"nothing", "", "verify-attestation output: no attestation: want one DSSE envelope per line"},
		{"blank lines", "\n  \n", "verify-attestation output: no attestation: want one DSSE envelope per line"},
		{"log line on stdout", good + "\nVerification for x --\n", "verify-attestation output, line 2: not a DSSE envelope: invalid character 'V' looking for beginning of value"},
		{"payload not base64", `{"payload":"%%%","payloadType":"application/vnd.in-toto+json","signatures":[]}`,
			"verify-attestation output, line 1: not a DSSE envelope: illegal base64 data at input byte 0"},
		{"other payload type", dsseLine("application/vnd.dev.cosign.simplesigning.v1+json", slsa, sigs),
			`verify-attestation output, line 1: payloadType "application/vnd.dev.cosign.simplesigning.v1+json", want application/vnd.in-toto+json`},
		{"unsigned", dsseLine("application/vnd.in-toto+json", slsa, `[]`),
			"verify-attestation output, line 1: unsigned DSSE envelope"},
		{"no signatures field", `{"payload":"e30=","payloadType":"application/vnd.in-toto+json"}`,
			"verify-attestation output, line 1: unsigned DSSE envelope"},
		{"payload not JSON", dsseLine("application/vnd.in-toto+json", []byte("hello"), sigs),
			"verify-attestation output, line 1: payload is not an in-toto statement: invalid character 'h' looking for beginning of value"},
		{"payload not a statement", dsseLine("application/vnd.in-toto+json", []byte(`{"spdxVersion":"SPDX-2.3"}`), sigs),
			`verify-attestation output, line 1: payload _type "", want an in-toto statement`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Statements(tt.stdout)
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("Statements error = %v, want %s (got %d)", err, tt.wantErr, len(got))
			}
		})
	}
}

func FuzzStatements(f *testing.F) {
	slsa, err := os.ReadFile("testdata/attest-slsa-statement.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dsseLine("application/vnd.in-toto+json", slsa, sigs))
	f.Add(dsseLine("application/vnd.in-toto+json", []byte(`{"_type":"https://in-toto.io/Statement/v1"}`), sigs) + "\n{}")
	f.Add("\n")
	f.Fuzz(func(t *testing.T, stdout string) {
		got, err := Statements(stdout)
		if err != nil {
			return
		}
		if len(got) == 0 {
			t.Fatal("no statement and no error")
		}
		for _, st := range got {
			if !json.Valid(st.Raw) {
				t.Fatalf("Raw is not JSON: %q", st.Raw)
			}
		}
	})
}

func TestExplainAttestation(t *testing.T) {
	ref := "registry:5000/echo-server@" + attestDigest
	tests := []struct{ name, typ, output, want string }{
		{"wrong key", SPDX, "Error: no matching attestations: failed to verify signature\nmain.go:74: error during command execution: no matching attestations: failed to verify signature",
			"verify-attestation " + ref + ": no spdxjson attestation verifies with the public key of --cosign-key: none is attached, or another key signed it"},
		{"other type only", SLSA, "Error: none of the attestations matched the predicate type: slsaprovenance1, found: https://spdx.dev/Document",
			"verify-attestation " + ref + ": the image has attestations, but no slsaprovenance1 one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExplainAttestation(ref, tt.typ, tt.output); got == nil || got.Error() != tt.want {
				t.Errorf("ExplainAttestation = %v, want %s", got, tt.want)
			}
		})
	}
	t.Run("anything else is explained as for a signature", func(t *testing.T) {
		out := "Error: GET https://registry:5000/v2/: UNAUTHORIZED: authentication required"
		got, want := ExplainAttestation(ref, SPDX, out), Explain("verify-attestation", ref, out)
		if got == nil || got.Error() != want.Error() {
			t.Errorf("ExplainAttestation = %v, want %v", got, want)
		}
	})
}

func TestAbout(t *testing.T) {
	const (
		d1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
		d2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	)
	about := func(name, d string) Statement {
		return Statement{PredicateType: name, Subjects: []Subject{{Name: "r", Digest: map[string]string{"sha256": d[len("sha256:"):]}}}}
	}
	first, other, last := about("first", d1), about("other", d2), about("last", d1)
	tests := []struct {
		name    string
		in      []Statement
		digest  string
		want    string
		wantErr string
	}{
		{"the last about the digest", []Statement{first, other, last}, d1, "last", ""},
		{"the only one", []Statement{first, other}, d2, "other", ""},
		{"a subject among several", []Statement{{PredicateType: "multi", Subjects: []Subject{{Digest: map[string]string{"sha512": "x"}}, {Digest: map[string]string{"sha256": d2[7:]}}}}}, d2, "multi", ""},
		{"none", []Statement{other}, d1, "", "verify-attestation: none of the 1 verified statements is about " + d1},
		{"empty", nil, d1, "", "verify-attestation: none of the 0 verified statements is about " + d1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := About(tt.in, tt.digest)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("About error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.PredicateType != tt.want {
				t.Fatalf("About = %q, %v; want %q", got.PredicateType, err, tt.want)
			}
		})
	}
}
