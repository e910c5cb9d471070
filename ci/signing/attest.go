package signing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Predicate types, as cosign's --type names them.
const (
	// SPDX is an SPDX JSON document (https://spdx.dev/Document).
	SPDX = "spdxjson"
	// SLSA is a SLSA v1 provenance (https://slsa.dev/provenance/v1).
	SLSA = "slsaprovenance1"
)

// predicateTypes maps a --type to the in-toto predicate type cosign writes.
var predicateTypes = map[string]string{
	SPDX: "https://spdx.dev/Document",
	SLSA: "https://slsa.dev/provenance/v1",
}

// PredicateType returns the in-toto predicate type of a statement cosign
// attests with --type typ: "https://spdx.dev/Document" for SPDX,
// "https://slsa.dev/provenance/v1" for SLSA.
func PredicateType(typ string) (string, error) {
	uri, ok := predicateTypes[typ]
	if !ok {
		return "", fmt.Errorf("attestation type %q: want %s (an SPDX SBOM) or %s (a SLSA v1 provenance)", typ, SPDX, SLSA)
	}
	return uri, nil
}

// Attest returns the command that attaches to t the predicate in the file
// predicatePath, of type typ (SPDX or SLSA), signed with the key in KeyEnv:
// an in-toto statement about t's digest in a DSSE envelope, stored as a
// Sigstore bundle that refers to t.
func Attest(t Target, typ, predicatePath, signingConfig, trustedRoot string) ([]string, error) {
	if err := validateDigest("attest", t); err != nil {
		return nil, err
	}
	if _, err := PredicateType(typ); err != nil {
		return nil, err
	}
	if predicatePath == "" {
		return nil, errors.New("attest " + t.Ref + ": empty predicate path: want the file of the " + typ + " predicate")
	}
	args := []string{"attest", "--key", keyRef, "--type", typ, "--predicate", predicatePath,
		"--signing-config", signingConfig, "--trusted-root", trustedRoot, "--yes"}
	args = append(args, t.registryFlags()...)
	return append(args, t.Ref), nil
}

// VerifyAttestation returns the command that verifies t's attestations of
// type typ with publicKey, a path to a PEM public key, without a
// transparency log. On success cosign prints each verified attestation on
// stdout: read them with Statements.
func VerifyAttestation(t Target, typ, publicKey string) ([]string, error) {
	if err := validateDigest("verify-attestation", t); err != nil {
		return nil, err
	}
	if _, err := PredicateType(typ); err != nil {
		return nil, err
	}
	args := []string{"verify-attestation", "--key", publicKey, "--type", typ, "--insecure-ignore-tlog=true"}
	args = append(args, t.registryFlags()...)
	return append(args, t.Ref), nil
}

// validateDigest rejects a target that is not pinned by digest: an
// attestation is about a digest, never a tag.
func validateDigest(step string, t Target) error {
	if t.Validate() != nil {
		return fmt.Errorf("%s %q: want REPOSITORY@sha256:<64 hex>; an attestation must name a digest, never a tag", step, t.Ref)
	}
	return nil
}

// ExplainAttestation turns the output of a failed verify-attestation of
// type typ into one line that says what to do. cosign fails with "no
// matching attestations" when no attestation verifies with the key (none
// was attached, or another key signed it) and with "none of the
// attestations matched the predicate type" when only other types verify;
// anything else is explained as for a signature.
func ExplainAttestation(ref, typ, output string) error {
	low := strings.ToLower(output)
	switch {
	case strings.Contains(low, "none of the attestations matched the predicate type"):
		return fmt.Errorf("verify-attestation %s: the image has attestations, but no %s one", ref, typ)
	case strings.Contains(low, "no matching attestations"):
		return fmt.Errorf("verify-attestation %s: no %s attestation verifies with the public key of --cosign-key: none is attached, or another key signed it", ref, typ)
	}
	return Explain("verify-attestation", ref, output)
}

// Statement is an in-toto statement as cosign verify-attestation prints
// it, decoded from the DSSE envelope's payload.
type Statement struct {
	// PredicateType is the statement's predicate type, a URI.
	PredicateType string
	// Subjects are what the statement is about: the image by digest.
	Subjects []Subject
	// Predicate is the predicate: the SPDX document, the provenance.
	Predicate json.RawMessage
	// Raw is the whole statement, as signed.
	Raw []byte
}

// Subject is one subject of a statement.
type Subject struct {
	// Name is the image repository, e.g. "ghcr.io/acme/echo-server".
	Name string `json:"name"`
	// Digest maps an algorithm to a hex digest: {"sha256": "<64 hex>"}.
	Digest map[string]string `json:"digest"`
}

// inTotoPayloadType is the payload type of a DSSE envelope that holds an
// in-toto statement.
const inTotoPayloadType = "application/vnd.in-toto+json"

// envelope is a DSSE envelope as cosign prints it: encoding/json of the
// protobuf-specs Envelope, so payload is standard base64.
type envelope struct {
	Payload     []byte            `json:"payload"`
	PayloadType string            `json:"payloadType"`
	Signatures  []json.RawMessage `json:"signatures"`
}

type statement struct {
	Type          string          `json:"_type"`
	Subject       []Subject       `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

// Statements decodes the stdout of cosign verify-attestation: one DSSE
// envelope per line, {"payload":"<base64>","payloadType":
// "application/vnd.in-toto+json","signatures":[...]}, for every
// attestation of the requested type that verified. It fails unless there
// is at least one.
func Statements(stdout string) ([]Statement, error) {
	var out []Statement
	for i, line := range strings.Split(stdout, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		st, err := decodeEnvelope([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("verify-attestation output, line %d: %w", i+1, err)
		}
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, errors.New("verify-attestation output: no attestation: want one DSSE envelope per line")
	}
	return out, nil
}

func decodeEnvelope(line []byte) (Statement, error) {
	var env envelope
	if err := json.Unmarshal(line, &env); err != nil {
		return Statement{}, fmt.Errorf("not a DSSE envelope: %w", err)
	}
	if env.PayloadType != inTotoPayloadType {
		return Statement{}, fmt.Errorf("payloadType %q, want %s", env.PayloadType, inTotoPayloadType)
	}
	if len(env.Signatures) == 0 {
		return Statement{}, errors.New("unsigned DSSE envelope")
	}
	var st statement
	if err := json.Unmarshal(env.Payload, &st); err != nil {
		return Statement{}, fmt.Errorf("payload is not an in-toto statement: %w", err)
	}
	if !strings.HasPrefix(st.Type, "https://in-toto.io/Statement/") {
		return Statement{}, fmt.Errorf("payload _type %q, want an in-toto statement", st.Type)
	}
	return Statement{PredicateType: st.PredicateType, Subjects: st.Subject, Predicate: st.Predicate, Raw: env.Payload}, nil
}

// About returns the last of statements whose subject is digest
// ("sha256:<hex>"): verify-attestation prints every attestation of the type
// on the image, and a digest published again carries one per publish.
func About(statements []Statement, digest string) (Statement, error) {
	algorithm, hex, _ := strings.Cut(digest, ":")
	for i := len(statements) - 1; i >= 0; i-- {
		for _, s := range statements[i].Subjects {
			if s.Digest[algorithm] == hex {
				return statements[i], nil
			}
		}
	}
	return Statement{}, fmt.Errorf("verify-attestation: none of the %d verified statements is about %s", len(statements), digest)
}
