package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"

	"dagger/echo-server/dockerauth"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/signing"
)

// Paths in the tool containers (crane, cosign, syft, kyverno).
const (
	toolDir           = "/work"
	toolDockerDir     = toolDir + "/docker"
	signingConfigPath = toolDir + "/signing-config.json"
	trustedRootPath   = toolDir + "/trusted-root.json"
	publicKeyPath     = toolDir + "/" + signing.PublicKeyFile
)

// tool is image with a working directory its user owns, the registry
// service bound and the registry credentials as a mounted docker
// config.json: the way crane and cosign reach a release.
func (m *EchoServer) tool(ctx context.Context, image string, dest destination) (*dagger.Container, error) {
	ctr := dag.Container().From(image)
	user, err := ctr.User(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the user of %s: %w", image, err)
	}
	ctr = ctr.
		WithDirectory(toolDir, dag.Directory(), dagger.ContainerWithDirectoryOpts{Owner: user}).
		WithWorkdir(toolDir)
	if dest.registry != nil {
		ctr = ctr.WithServiceBinding(registryAlias, dest.registry)
	}
	if dest.password != nil {
		config, err := registryConfig(ctx, dest)
		if err != nil {
			return nil, err
		}
		ctr = ctr.
			WithMountedSecret(toolDockerDir+"/config.json", config, dagger.ContainerWithMountedSecretOpts{Owner: user}).
			WithEnvVariable("DOCKER_CONFIG", toolDockerDir)
	}
	return ctr, nil
}

// registryConfig makes the docker config.json that lets crane and cosign
// push, as a secret: it never touches a layer, an argument or a log.
func registryConfig(ctx context.Context, dest destination) (*dagger.Secret, error) {
	password, err := dest.password.Plaintext(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the registry password: %w", err)
	}
	config, err := dockerauth.Config(dest.tools.Host, dest.username, password)
	if err != nil {
		return nil, err
	}
	return newSecret("registry-config", string(config)), nil
}

// keyed is cosign with the private key and its password as secret variables.
func (m *EchoServer) keyed(ctx context.Context, dest destination, key, keyPassword *dagger.Secret) (*dagger.Container, error) {
	ctr, err := m.tool(ctx, m.CosignImage, dest)
	if err != nil {
		return nil, err
	}
	ctr = ctr.WithSecretVariable(signing.KeyEnv, key)
	if keyPassword != nil {
		return ctr.WithSecretVariable(signing.PasswordEnv, keyPassword), nil
	}
	return ctr.WithEnvVariable(signing.PasswordEnv, ""), nil
}

// signer is keyed cosign with a signing config and trusted root that name
// no Sigstore service: it signs and attests with the key alone.
func (m *EchoServer) signer(ctx context.Context, dest destination, key, keyPassword *dagger.Secret) (*dagger.Container, error) {
	ctr, err := m.keyed(ctx, dest, key, keyPassword)
	if err != nil {
		return nil, err
	}
	ctr = ctr.WithNewFile(trustedRootPath, signing.TrustedRoot).WithEnvVariable(nonceEnv, rand.Text())
	return cosignStep(ctx, ctr, "cosign signing-config", "a key-only signing config", signing.SigningConfig(signingConfigPath))
}

// verifier is cosign holding the public key and no private key (only the
// registry credentials, to read).
func (m *EchoServer) verifier(ctx context.Context, dest destination, publicKey *dagger.File) (*dagger.Container, error) {
	ctr, err := m.tool(ctx, m.CosignImage, dest)
	if err != nil {
		return nil, err
	}
	return ctr.
		WithFile(publicKeyPath, publicKey, dagger.ContainerWithFileOpts{Permissions: 0o644}).
		WithEnvVariable(nonceEnv, rand.Text()), nil
}

// publicKey derives the public key of key. It is the first release step,
// before anything is pushed: a key that cosign cannot read, such as one with
// the wrong password, fails here.
func (m *EchoServer) publicKey(ctx context.Context, key, keyPassword *dagger.Secret) (*dagger.File, error) {
	ctr, err := m.keyed(ctx, destination{}, key, keyPassword)
	if err != nil {
		return nil, err
	}
	ctr = ctr.WithEnvVariable(nonceEnv, rand.Text())
	ctr, err = cosignStep(ctx, ctr, "cosign public-key", "--cosign-key", signing.PublicKey(publicKeyPath))
	if err != nil {
		return nil, err
	}
	return ctr.File(publicKeyPath), nil
}

// signAndVerify signs the pushed digest, then verifies the signature in a
// container that holds only the public key. Both are side effects on the
// registry, run on every release, never from the cache.
func (m *EchoServer) signAndVerify(ctx context.Context, signer, verifier *dagger.Container, dest destination, digest string) error {
	target := signing.Target{Ref: dest.tools.WithDigest(digest), PlainHTTP: dest.insecure()}
	signArgs, err := signing.Sign(target, signingConfigPath, trustedRootPath)
	if err != nil {
		return err
	}
	verifyArgs, err := signing.Verify(target, publicKeyPath)
	if err != nil {
		return err
	}
	if _, err = cosignStep(ctx, signer, "cosign sign", target.Ref, signArgs); err != nil {
		return err
	}
	slog.Info("signed", "image", target.Ref)
	if _, err := cosignStep(ctx, verifier, "cosign verify", target.Ref, verifyArgs); err != nil {
		return err
	}
	slog.Info("signature verified", "image", target.Ref)
	return nil
}

// cosignStep runs one cosign command and explains its failure in one line.
func cosignStep(ctx context.Context, ctr *dagger.Container, step, target string, args []string) (*dagger.Container, error) {
	ctr, err := ctr.WithExec(args, dagger.ContainerWithExecOpts{UseEntrypoint: true}).Sync(ctx)
	if err != nil {
		if out := execOutput(err); out != "" {
			return nil, signing.Explain(step, target, out)
		}
		return nil, fmt.Errorf("%s %s: %w", step, target, err)
	}
	return ctr, nil
}
