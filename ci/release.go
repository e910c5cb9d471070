package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"dagger/echo-server/dockerauth"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"
	"dagger/echo-server/signing"
)

// destination is where a release goes.
type destination struct {
	// push is the repository the engine pushes to.
	push ref.Repository
	// sign is the same repository as cosign reaches it: a registry service
	// is localhost to the engine but a service alias to cosign.
	sign ref.Repository
	// registry is a registry service (the throwaway registry of check, or
	// a tunnel to the caller's local registry), spoken to over plain HTTP;
	// nil for a registry on the network.
	registry *dagger.Service
	// username and password authenticate to the registry; both empty for
	// an anonymous push.
	username string
	password *dagger.Secret
}

// releaseOptions are the choices of one release.
type releaseOptions struct {
	tags        []string
	latest      bool
	platforms   []platform.Platform
	key         *dagger.Secret
	keyPassword *dagger.Secret
	sign        bool
}

// published is a pushed image index.
type published struct {
	repo   ref.Repository
	digest string
	tags   []string
	signed bool
}

// String is the image by digest, then one line per tag.
func (p published) String() string {
	lines := []string{p.repo.WithDigest(p.digest)}
	for _, t := range p.tags {
		lines = append(lines, p.repo.WithTag(t))
	}
	return strings.Join(lines, "\n")
}

// release validates every input (tags, signing key), gates, pushes, signs and
// verifies. Nothing is pushed before the inputs and the gate pass.
func (m *EchoServer) release(ctx context.Context, meta *metadata, dest destination, opts releaseOptions) (published, error) {
	pub := published{repo: dest.push}
	var err error
	pub.tags, err = ref.Tags(opts.tags, meta.stamp.Version, meta.git.Commit, opts.latest)
	if err != nil {
		return pub, err
	}
	var publicKey *dagger.File
	if opts.sign {
		if publicKey, err = m.publicKey(ctx, opts.key, opts.keyPassword); err != nil {
			return pub, err
		}
	}

	images := make([]platformImage, len(opts.platforms))
	for i, p := range opts.platforms {
		images[i].platform = p
	}
	if images, err = m.gate(ctx, meta, images); err != nil {
		return pub, err
	}
	native, err := m.nativeImage(ctx, meta, images)
	if err != nil {
		return pub, err
	}
	if _, err := m.smoke(ctx, native, meta); err != nil {
		return pub, err
	}

	if pub.digest, err = push(ctx, dest, images, pub.tags); err != nil {
		return pub, err
	}
	slog.Info("pushed", "image", pub.repo.WithDigest(pub.digest), "tags", pub.tags)
	if !opts.sign {
		slog.Warn("not signed (--sign=false)", "image", pub.repo.WithDigest(pub.digest))
		return pub, nil
	}
	if err := m.signAndVerify(ctx, dest, pub.digest, opts.key, opts.keyPassword, publicKey); err != nil {
		return pub, err
	}
	pub.signed = true
	return pub, nil
}

// nativeImage returns the image of the engine's platform, building it when
// the release does not include that platform.
func (m *EchoServer) nativeImage(ctx context.Context, meta *metadata, images []platformImage) (*dagger.Container, error) {
	native, err := m.platform(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, img := range images {
		if img.platform == native {
			return img.image, nil
		}
	}
	return m.image(ctx, native, meta)
}

// push publishes one multi-platform index under every tag and returns its
// digest, the same for every tag.
func push(ctx context.Context, dest destination, images []platformImage, tags []string) (string, error) {
	variants := make([]*dagger.Container, len(images))
	for i, img := range images {
		variants[i] = img.image
	}
	first := variants[0]
	if dest.password != nil {
		first = first.WithRegistryAuth(dest.push.Host, dest.username, dest.password)
	}
	var digest string
	for _, tag := range tags {
		addr := dest.push.WithTag(tag)
		out, err := first.Publish(ctx, addr, dagger.ContainerPublishOpts{
			PlatformVariants: variants[1:],
			RegistryService:  dest.registry,
		})
		if err != nil {
			return "", fmt.Errorf("publish %s: the registry refused the push: %w", addr, err)
		}
		d, err := ref.Digest(out)
		if err != nil {
			return "", fmt.Errorf("publish %s: %w", addr, err)
		}
		if digest != "" && d != digest {
			return "", fmt.Errorf("publish %s: digest %s differs from %s pushed under the first tag", addr, d, digest)
		}
		digest = d
	}
	return digest, nil
}

// Paths in cosign's container.
const (
	cosignDir         = "/cosign"
	cosignDockerDir   = cosignDir + "/docker"
	signingConfigPath = cosignDir + "/signing-config.json"
	trustedRootPath   = cosignDir + "/trusted-root.json"
	publicKeyPath     = cosignDir + "/" + signing.PublicKeyFile
)

// signer is cosign with the private key and its password as secret
// variables.
func (m *EchoServer) signer(ctx context.Context, dest destination, key, keyPassword *dagger.Secret) (*dagger.Container, error) {
	ctr, err := m.cosign(ctx, dest)
	if err != nil {
		return nil, err
	}
	ctr = ctr.WithSecretVariable(signing.KeyEnv, key)
	if keyPassword != nil {
		return ctr.WithSecretVariable(signing.PasswordEnv, keyPassword), nil
	}
	return ctr.WithEnvVariable(signing.PasswordEnv, ""), nil
}

// publicKey derives the public key of key. It is the first release step,
// before anything is pushed: a key that cosign cannot read, such as one with
// the wrong password, fails here.
func (m *EchoServer) publicKey(ctx context.Context, key, keyPassword *dagger.Secret) (*dagger.File, error) {
	ctr, err := m.signer(ctx, destination{}, key, keyPassword)
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

// signAndVerify signs the pushed digest with key, then verifies the signature
// in a separate container that holds only the public key. Both are side
// effects on the registry, run on every release, never from the cache.
func (m *EchoServer) signAndVerify(ctx context.Context, dest destination, digest string, key, keyPassword *dagger.Secret, publicKey *dagger.File) error {
	target := signing.Target{Ref: dest.sign.WithDigest(digest), PlainHTTP: dest.registry != nil}
	signArgs, err := signing.Sign(target, signingConfigPath, trustedRootPath)
	if err != nil {
		return err
	}
	verifyArgs, err := signing.Verify(target, publicKeyPath)
	if err != nil {
		return err
	}

	signer, err := m.signer(ctx, dest, key, keyPassword)
	if err != nil {
		return err
	}
	signer = signer.WithNewFile(trustedRootPath, signing.TrustedRoot).WithEnvVariable(nonceEnv, rand.Text())
	if signer, err = cosignStep(ctx, signer, "cosign signing-config", target.Ref, signing.SigningConfig(signingConfigPath)); err != nil {
		return err
	}
	if _, err = cosignStep(ctx, signer, "cosign sign", target.Ref, signArgs); err != nil {
		return err
	}
	slog.Info("signed", "image", target.Ref)

	verifier, err := m.cosign(ctx, dest)
	if err != nil {
		return err
	}
	verifier = verifier.
		WithFile(publicKeyPath, publicKey, dagger.ContainerWithFileOpts{Permissions: 0o644}).
		WithEnvVariable(nonceEnv, rand.Text())
	if _, err := cosignStep(ctx, verifier, "cosign verify", target.Ref, verifyArgs); err != nil {
		return err
	}
	slog.Info("signature verified", "image", target.Ref)
	return nil
}

// newSecret makes a secret of value under a name of its own: the engine
// identifies a secret made in the pipeline by its name, so a fixed name could
// hand a later call an earlier value.
func newSecret(name, value string) *dagger.Secret {
	return dag.SetSecret(name+"-"+rand.Text(), value)
}

// nonceEnv busts the cache of a cosign step that must run every time.
const nonceEnv = "COSIGN_RUN"

// cosign is the cosign image with a working directory its user owns, the
// throwaway registry bound and registry credentials as a mounted docker
// config.
func (m *EchoServer) cosign(ctx context.Context, dest destination) (*dagger.Container, error) {
	ctr := dag.Container().From(m.CosignImage)
	user, err := ctr.User(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the user of %s: %w", m.CosignImage, err)
	}
	ctr = ctr.
		WithDirectory(cosignDir, dag.Directory(), dagger.ContainerWithDirectoryOpts{Owner: user}).
		WithWorkdir(cosignDir)
	if dest.registry != nil {
		ctr = ctr.WithServiceBinding(registryAlias, dest.registry)
	}
	if dest.password != nil {
		config, err := registryConfig(ctx, dest)
		if err != nil {
			return nil, err
		}
		ctr = ctr.
			WithMountedSecret(cosignDockerDir+"/config.json", config, dagger.ContainerWithMountedSecretOpts{Owner: user}).
			WithEnvVariable("DOCKER_CONFIG", cosignDockerDir)
	}
	return ctr, nil
}

// registryConfig makes the docker config.json that lets cosign push the
// signature, as a secret: it never touches a layer, an argument or a log.
func registryConfig(ctx context.Context, dest destination) (*dagger.Secret, error) {
	password, err := dest.password.Plaintext(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the registry password: %w", err)
	}
	config, err := dockerauth.Config(dest.sign.Host, dest.username, password)
	if err != nil {
		return nil, err
	}
	return newSecret("registry-config", string(config)), nil
}

// cosignStep runs one cosign command and explains its failure in one line.
func cosignStep(ctx context.Context, ctr *dagger.Container, step, target string, args []string) (*dagger.Container, error) {
	ctr, err := ctr.WithExec(args, dagger.ContainerWithExecOpts{UseEntrypoint: true}).Sync(ctx)
	if err != nil {
		var exec *dagger.ExecError
		if errors.As(err, &exec) {
			return nil, signing.Explain(step, target, exec.Stdout+exec.Stderr)
		}
		return nil, fmt.Errorf("%s %s: %w", step, target, err)
	}
	return ctr, nil
}
