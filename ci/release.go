package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"dagger/echo-server/crane"
	"dagger/echo-server/failure"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"
)

// destination is where a release goes.
type destination struct {
	// push is the repository as the user names it, and as the engine
	// reaches it (check pulls the release back from there).
	push ref.Repository
	// tools is the same repository as the tool containers (crane, cosign,
	// kyverno) reach it: a registry service is localhost to the engine
	// but a service alias to a container bound to it.
	tools ref.Repository
	// registry is a registry service (the throwaway registry of check, or
	// a tunnel to the caller's local registry), spoken to over plain HTTP;
	// nil for a registry on the network.
	registry *dagger.Service
	// username and password authenticate to the registry; both empty for
	// an anonymous push.
	username string
	password *dagger.Secret
}

// insecure tells whether the registry is spoken to over plain HTTP.
func (d destination) insecure() bool { return d.registry != nil }

// releaseOptions are the choices of one release.
type releaseOptions struct {
	tags         []string
	latest       bool
	platforms    []platform.Platform
	key          *dagger.Secret
	keyPassword  *dagger.Secret
	sign         bool
	workflowRef  string
	invocationID string
}

// published is a pushed release.
type published struct {
	repo   ref.Repository
	digest string
	tags   []string
	// layout is the release pushed.
	layout releaseLayout
	signed bool
	// attestations are the verified attestations, one line each.
	attestations []attestation
}

// String is the image by digest, one line per tag, then one line per
// verified attestation (or why there are none).
func (p published) String() string {
	lines := []string{p.repo.WithDigest(p.digest)}
	for _, t := range p.tags {
		lines = append(lines, p.repo.WithTag(t))
	}
	if !p.signed {
		lines = append(lines, "not signed, no attestations (--sign=false)")
	}
	for _, a := range p.attestations {
		lines = append(lines, a.String())
	}
	return strings.Join(lines, "\n")
}

// release validates every input (tags, signing key, provenance), gates, writes the
// reproducible release, pushes it, signs it and attests it, verifying each.
// Nothing is pushed before the inputs and the gate pass.
func (m *EchoServer) release(ctx context.Context, meta *metadata, dest destination, opts releaseOptions) (published, error) {
	started := time.Now()
	pub := published{repo: dest.push}
	var err error
	pub.tags, err = ref.Tags(opts.tags, meta.stamp.Version, meta.git.Commit, opts.latest)
	if err != nil {
		return pub, err
	}
	prov := provenanceInput{
		meta: meta, tags: pub.tags, platforms: opts.platforms,
		workflowRef: opts.workflowRef, invocationID: opts.invocationID, started: started,
	}
	var publicKey *dagger.File
	if opts.sign {
		if publicKey, err = m.publicKey(ctx, opts.key, opts.keyPassword); err != nil {
			return pub, err
		}
		// The provenance's inputs (workflow ref, source URL) are
		// validated before anything is pushed.
		if _, err := m.predicate(ctx, prov); err != nil {
			return pub, err
		}
	}

	lay, err := m.gate(ctx, meta, opts.platforms, baseAuth(dest))
	if err != nil {
		return pub, err
	}
	native, err := m.nativeImage(ctx, meta, lay, baseAuth(dest))
	if err != nil {
		return pub, err
	}
	if _, err := m.smoke(ctx, native, meta); err != nil {
		return pub, err
	}
	pub.digest, pub.layout = lay.Digest, lay

	if err := m.push(ctx, dest, lay, pub.tags); err != nil {
		return pub, err
	}
	slog.Info("pushed", "image", pub.repo.WithDigest(pub.digest), "tags", pub.tags)
	if !opts.sign {
		slog.Warn("not signed and no attestations (--sign=false): nothing proves who built it", "image", pub.repo.WithDigest(pub.digest))
		return pub, nil
	}
	signer, err := m.signer(ctx, dest, opts.key, opts.keyPassword)
	if err != nil {
		return pub, err
	}
	verifier, err := m.verifier(ctx, dest, publicKey)
	if err != nil {
		return pub, err
	}
	if err := m.signAndVerify(ctx, signer, verifier, dest, pub.digest); err != nil {
		return pub, err
	}
	pub.signed = true
	pub.attestations, err = m.attest(ctx, signer, verifier, dest, lay, prov)
	return pub, err
}

// nativeImage returns the release's image of the engine's platform,
// imported into the engine; when the release does not include that
// platform, the image of a release of that platform alone.
func (m *EchoServer) nativeImage(ctx context.Context, meta *metadata, lay releaseLayout, auth destination) (*dagger.Container, error) {
	native, err := m.platform(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, img := range lay.Images {
		if img.Platform == native.String() {
			return lay.container(ctx, native)
		}
	}
	own, err := m.layout(ctx, meta, []platform.Platform{native}, "", auth)
	if err != nil {
		return nil, err
	}
	return own.container(ctx, native)
}

// layoutMount is where a release layout is mounted in crane's container.
const layoutMount = "/release"

// push pushes the release layout with crane under every tag, then asks the
// registry which digest each tag resolves to: it must be the digest computed
// locally, or what was pushed is not what was built. Both are side effects
// on the registry, run on every release, never from the cache.
func (m *EchoServer) push(ctx context.Context, dest destination, lay releaseLayout, tags []string) error {
	ctr, err := m.tool(ctx, m.CraneImage, dest)
	if err != nil {
		return err
	}
	ctr = ctr.
		WithMountedDirectory(layoutMount, lay.directory()).
		WithEnvVariable(nonceEnv, rand.Text())
	for _, tag := range tags {
		// crane reaches target; the user named it named.
		target, named := dest.tools.WithTag(tag), dest.push.WithTag(tag)
		ctr, err = ctr.WithExec(crane.Push(layoutMount, target, dest.insecure()), dagger.ContainerWithExecOpts{UseEntrypoint: true}).Sync(ctx)
		if err != nil {
			return registryError("push", named, err)
		}
		out, err := ctr.WithExec(crane.Digest(target, dest.insecure()), dagger.ContainerWithExecOpts{UseEntrypoint: true}).Stdout(ctx)
		if err != nil {
			return registryError("read back the digest of", named, err)
		}
		if err := crane.CheckDigest(named, lay.Digest, out); err != nil {
			return err
		}
	}
	return nil
}

// registryError explains a failed crane command against the registry of
// image.
func registryError(action, image string, err error) error {
	if out := execOutput(err); out != "" {
		return failure.Registry(action, image, out)
	}
	return fmt.Errorf("%s %s: %w", action, image, err)
}

// newSecret makes a secret of value under a name of its own: the engine
// identifies a secret made in the pipeline by its name, so a fixed name could
// hand a later call an earlier value.
func newSecret(name, value string) *dagger.Secret {
	return dag.SetSecret(name+"-"+rand.Text(), value)
}

// nonceEnv busts the cache of a step that must run every time: a push, a
// signature, a verification.
const nonceEnv = "ECHO_SERVER_RUN"
