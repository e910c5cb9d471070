package signing

import (
	"slices"
	"strings"
	"testing"
)

const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestSign(t *testing.T) {
	tests := []struct {
		name    string
		target  Target
		want    []string
		wantErr string
	}{
		{
			name:   "remote registry",
			target: Target{Ref: "ghcr.io/acme/echo-server@" + digest},
			want: []string{"sign", "--key", "env://COSIGN_PRIVATE_KEY", "--signing-config", "/sc.json",
				"--trusted-root", "/tr.json", "--yes", "ghcr.io/acme/echo-server@" + digest},
		},
		{
			name:   "plain HTTP registry",
			target: Target{Ref: "registry:5000/echo-server@" + digest, PlainHTTP: true},
			want: []string{"sign", "--key", "env://COSIGN_PRIVATE_KEY", "--signing-config", "/sc.json",
				"--trusted-root", "/tr.json", "--yes", "--allow-insecure-registry", "--allow-http-registry",
				"registry:5000/echo-server@" + digest},
		},
		{
			name:   "IPv6 registry",
			target: Target{Ref: "[::1]:5000/echo-server@" + digest, PlainHTTP: true},
			want: []string{"sign", "--key", "env://COSIGN_PRIVATE_KEY", "--signing-config", "/sc.json",
				"--trusted-root", "/tr.json", "--yes", "--allow-insecure-registry", "--allow-http-registry",
				"[::1]:5000/echo-server@" + digest},
		},
		{
			name:    "tag refused",
			target:  Target{Ref: "ghcr.io/acme/echo-server:1.2.3"},
			wantErr: `sign "ghcr.io/acme/echo-server:1.2.3": want REPOSITORY@sha256:<64 hex>; a signature must name a digest, never a tag`,
		},
		{
			name:    "short digest refused",
			target:  Target{Ref: "ghcr.io/acme/echo-server@sha256:0123"},
			wantErr: `sign "ghcr.io/acme/echo-server@sha256:0123": want REPOSITORY@sha256:<64 hex>; a signature must name a digest, never a tag`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sign(tt.target, "/sc.json", "/tr.json")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	got, err := Verify(Target{Ref: "localhost:5000/e@" + digest, PlainHTTP: true}, "/cosign.pub")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"verify", "--key", "/cosign.pub", "--insecure-ignore-tlog=true",
		"--allow-insecure-registry", "--allow-http-registry", "localhost:5000/e@" + digest}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	wantErr := `sign "localhost:5000/e:latest": want REPOSITORY@sha256:<64 hex>; a signature must name a digest, never a tag`
	if _, err := Verify(Target{Ref: "localhost:5000/e:latest"}, "/k"); err == nil || err.Error() != wantErr {
		t.Errorf("verify of a tag: error = %v, want %q", err, wantErr)
	}
}

func TestNoSecretInArguments(t *testing.T) {
	sign, _ := Sign(Target{Ref: "r/e@" + digest}, "sc", "tr")
	verify, _ := Verify(Target{Ref: "r/e@" + digest}, "pub")
	for _, args := range [][]string{SigningConfig("sc"), sign, verify, PublicKey("pub"), GenerateKeyPair()} {
		for _, a := range args {
			if strings.Contains(a, "PRIVATE KEY") || strings.Contains(a, PasswordEnv) && !strings.HasPrefix(a, "env://") {
				t.Errorf("argument %q could carry a secret", a)
			}
		}
	}
	if !slices.Contains(sign, "env://"+KeyEnv) || !slices.Contains(PublicKey("pub"), "env://"+KeyEnv) {
		t.Error("the key must be read from the secret environment variable")
	}
}

func TestSigningConfigHasNoServices(t *testing.T) {
	got := SigningConfig("/sc.json")
	for _, flag := range []string{"--no-default-fulcio", "--no-default-oidc", "--no-default-rekor", "--no-default-tsa"} {
		if !slices.Contains(got, flag) {
			t.Errorf("%q lacks %s", got, flag)
		}
	}
}

func TestExplain(t *testing.T) {
	ref := "ghcr.io/acme/echo-server@" + digest
	tests := []struct {
		name, output, want string
	}{
		{
			"wrong password",
			"Error: signing [ghcr.io/acme/echo-server@sha256:01]: getting signer: reading key: decrypt: encrypted: decryption failed\nmain.go:74: error during command execution",
			"sign: cosign cannot read the private key: wrong --cosign-password, or the key is not a cosign key",
		},
		{
			"not a key",
			"Error: getting signer: reading key: invalid pem block",
			"sign: cosign cannot read the private key: want the PEM file written by 'cosign generate-key-pair', e.g. --cosign-key env:COSIGN_KEY",
		},
		{
			"bad signature",
			"Error: no matching signatures: invalid signature when validating ASN.1 encoded signature",
			"sign " + ref + ": the signature does not verify with the public key of --cosign-key",
		},
		{
			"registry refused",
			"Error: signing: PUT https://ghcr.io/v2/acme/echo-server/manifests/sha256-01.sig: DENIED: permission_denied: write_package",
			"sign " + ref + ": the registry refused cosign (Error: signing: PUT https://ghcr.io/v2/acme/echo-server/manifests/sha256-01.sig: DENIED: permission_denied: write_package): check --username and --password",
		},
		{
			"other",
			"some progress\nError: context deadline exceeded\n",
			"sign " + ref + ": Error: context deadline exceeded",
		},
		{"silent", "  \n", "sign " + ref + ": cosign failed without a message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Explain("sign", ref, tt.output)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("explanation spans lines: %q", err)
			}
		})
	}
}
