// Package signing builds the cosign command lines of the release and turns
// cosign's failures into one line that says what to do.
//
// Signing is key-based: the private key and its password reach cosign only
// as the secret environment variables KeyEnv and PasswordEnv, never as an
// argument. Signatures go to the registry next to the image, without a
// transparency log, so a private registry works offline. Keyless (OIDC)
// signing would be another Mode with its own argument builders.
package signing

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

const (
	// KeyEnv holds the cosign private key (PEM) in cosign's container.
	KeyEnv = "COSIGN_PRIVATE_KEY"
	// PasswordEnv holds the private key's password; cosign reads it itself.
	PasswordEnv = "COSIGN_PASSWORD"
	// keyRef tells cosign to read the key from KeyEnv: "env://" + KeyEnv,
	// written out because mutation testing reports an expression in a
	// constant as untested (the tests hold it to KeyEnv).
	keyRef = "env://COSIGN_PRIVATE_KEY"

	// TrustedRoot is an empty Sigstore trusted root: with no transparency
	// log and no certificate authority there is nothing to trust but the
	// key, and cosign need not fetch Sigstore's public trust data.
	TrustedRoot = `{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`

	// KeyFile and PublicKeyFile are what GenerateKeyPair writes in the
	// working directory.
	KeyFile       = "cosign.key"
	PublicKeyFile = "cosign.pub"
)

// Mode is how an image is signed.
type Mode int

const (
	// Key signs with a cosign private key and verifies with its public key.
	Key Mode = iota
)

// Target is the image to sign or verify.
type Target struct {
	// Ref is REPOSITORY@sha256:DIGEST: a signature covers a digest, never
	// a tag, which can move.
	Ref string
	// PlainHTTP is set for a registry served over plain HTTP (a throwaway
	// registry in the pipeline), which cosign refuses unless told.
	PlainHTTP bool
}

var digestRef = regexp.MustCompile(`^[a-z0-9.:/_\[\]-]+@sha256:[0-9a-f]{64}$`)

// Validate rejects a target that is not pinned by digest.
func (t Target) Validate() error {
	if !digestRef.MatchString(t.Ref) {
		return fmt.Errorf("sign %q: want REPOSITORY@sha256:<64 hex>; a signature must name a digest, never a tag", t.Ref)
	}
	return nil
}

func (t Target) registryFlags() []string {
	if t.PlainHTTP {
		return []string{"--allow-insecure-registry", "--allow-http-registry"}
	}
	return nil
}

// SigningConfig returns the command that writes to out a signing config with
// no Sigstore services: no certificate authority, no OIDC, no transparency
// log, no timestamp authority.
func SigningConfig(out string) []string {
	return []string{"signing-config", "create",
		"--no-default-fulcio", "--no-default-oidc", "--no-default-rekor", "--no-default-tsa",
		"--out", out}
}

// Sign returns the command that signs t with the key in KeyEnv.
func Sign(t Target, signingConfig, trustedRoot string) ([]string, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	args := []string{"sign", "--key", keyRef, "--signing-config", signingConfig, "--trusted-root", trustedRoot, "--yes"}
	args = append(args, t.registryFlags()...)
	return append(args, t.Ref), nil
}

// PublicKey returns the command that writes to out the public key of the
// private key in KeyEnv.
func PublicKey(out string) []string {
	return []string{"public-key", "--key", keyRef, "--outfile", out}
}

// Verify returns the command that verifies t's signature with publicKey, a
// path to a PEM public key, without a transparency log.
func Verify(t Target, publicKey string) ([]string, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	args := []string{"verify", "--key", publicKey, "--insecure-ignore-tlog=true"}
	args = append(args, t.registryFlags()...)
	return append(args, t.Ref), nil
}

// GenerateKeyPair returns the command that writes KeyFile and PublicKeyFile,
// the private key encrypted with the password in PasswordEnv.
func GenerateKeyPair() []string {
	return []string{"generate-key-pair"}
}

// Explain turns cosign's output of a failed step into one line that says
// what went wrong and what to do. output must not hold secrets: cosign
// never prints the key or its password.
func Explain(step, ref, output string) error {
	low := strings.ToLower(output)
	switch {
	case strings.Contains(low, "decrypt"), strings.Contains(low, "incorrect password"):
		return fmt.Errorf("%s: cosign cannot read the private key: wrong --cosign-password, or the key is not a cosign key", step)
	case strings.Contains(low, "pem"), strings.Contains(low, "reading key"), strings.Contains(low, "loading key"):
		return fmt.Errorf("%s: cosign cannot read the private key: want the PEM file written by 'cosign generate-key-pair', e.g. --cosign-key env:COSIGN_KEY", step)
	case strings.Contains(low, "no signatures found"), strings.Contains(low, "no matching signatures"), strings.Contains(low, "invalid signature"):
		return fmt.Errorf("%s %s: the signature does not verify with the public key of --cosign-key", step, ref)
	case strings.Contains(low, "unauthorized"), strings.Contains(low, "denied"), strings.Contains(low, "forbidden"):
		return fmt.Errorf("%s %s: the registry refused cosign (%s): check --username and --password", step, ref, lastLine(output))
	}
	if line := lastLine(output); line != "" {
		return fmt.Errorf("%s %s: %s", step, ref, line)
	}
	return errors.New(step + " " + ref + ": cosign failed without a message")
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
