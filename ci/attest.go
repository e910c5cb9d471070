package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"dagger/echo-server/failure"
	"dagger/echo-server/gobuild"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
	"dagger/echo-server/provenance"
	"dagger/echo-server/ref"
	"dagger/echo-server/sbom"
	"dagger/echo-server/signing"

	"golang.org/x/sync/errgroup"
)

// attestation is one verified attestation of a release.
type attestation struct {
	// kind is "sbom" or "provenance"; platform is set for an SBOM.
	kind, platform string
	// digest is the attested manifest (SBOM) or index (provenance).
	digest string
	// statement is the in-toto statement downloaded back and verified.
	statement signing.Statement
}

// String is the report line, e.g. "sbom linux/amd64 sha256:… verified".
func (a attestation) String() string {
	if a.platform != "" {
		return fmt.Sprintf("%s %s %s verified", a.kind, a.platform, a.digest)
	}
	return fmt.Sprintf("%s %s verified", a.kind, a.digest)
}

// provenanceInput is what the provenance of a release says beyond the
// release itself.
type provenanceInput struct {
	meta         *metadata
	tags         []string
	platforms    []platform.Platform
	workflowRef  string
	invocationID string
	started      time.Time
}

// predicatePath is where an attestation's predicate is written in cosign's
// container.
const predicatePath = toolDir + "/predicate.json"

// attest attaches to the pushed release a signed SPDX SBOM for every
// platform, on that platform's manifest digest, and a signed SLSA v1
// provenance on the index digest, then verifies each with the public key
// alone. It returns the verified attestations.
func (m *EchoServer) attest(ctx context.Context, signer, verifier *dagger.Container, dest destination, lay releaseLayout, in provenanceInput) ([]attestation, error) {
	atts := make([]attestation, len(lay.Images))
	g, gctx := errgroup.WithContext(ctx)
	for i, img := range lay.Images {
		g.Go(func() error {
			doc, err := m.sbom(gctx, lay, img.Platform)
			if err != nil {
				return err
			}
			atts[i], err = attestOne(gctx, signer, verifier, dest, attestation{kind: "sbom", platform: img.Platform, digest: img.Digest}, signing.SPDX, doc)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	predicate, err := m.predicate(ctx, in)
	if err != nil {
		return nil, err
	}
	prov, err := attestOne(ctx, signer, verifier, dest, attestation{kind: "provenance", digest: lay.Digest}, signing.SLSA, string(predicate))
	if err != nil {
		return nil, err
	}
	return append(atts, prov), nil
}

// attestOne signs predicate as an attestation of type typ on a.digest, then
// downloads it back with verify-attestation in the verifier, which holds
// only the public key.
func attestOne(ctx context.Context, signer, verifier *dagger.Container, dest destination, a attestation, typ, predicate string) (attestation, error) {
	target := signing.Target{Ref: dest.tools.WithDigest(a.digest), PlainHTTP: dest.insecure()}
	args, err := signing.Attest(target, typ, predicatePath, signingConfigPath, trustedRootPath)
	if err != nil {
		return a, err
	}
	verifyArgs, err := signing.VerifyAttestation(target, typ, publicKeyPath)
	if err != nil {
		return a, err
	}
	step := "cosign attest --type " + typ
	if _, err := cosignStep(ctx, signer.WithNewFile(predicatePath, predicate), step, target.Ref, args); err != nil {
		return a, err
	}
	out, err := verifier.
		WithExec(verifyArgs, dagger.ContainerWithExecOpts{UseEntrypoint: true}).
		Stdout(ctx)
	if err != nil {
		if text := execOutput(err); text != "" {
			return a, signing.ExplainAttestation(target.Ref, typ, text)
		}
		return a, fmt.Errorf("cosign verify-attestation --type %s %s: %w", typ, target.Ref, err)
	}
	statements, err := signing.Statements(out)
	if err == nil {
		a.statement, err = signing.About(statements, a.digest)
	}
	if err != nil {
		return a, fmt.Errorf("cosign verify-attestation --type %s %s: %w", typ, target.Ref, err)
	}
	slog.Info("attestation verified", "type", typ, "image", target.Ref)
	return a, nil
}

// imageMount is where syft finds the image it scans.
const imageMount = "/image"

// sbom scans the image of platform p of the release with syft and returns
// its SPDX JSON document.
func (m *EchoServer) sbom(ctx context.Context, lay releaseLayout, p string) (string, error) {
	dir, img, err := lay.extract(p)
	if err != nil {
		return "", err
	}
	ctr := dag.Container().From(m.SyftImage)
	for _, kv := range sbom.Env() {
		ctr = ctr.WithEnvVariable(kv[0], kv[1])
	}
	out, err := ctr.
		WithMountedTemp("/tmp").
		WithMountedDirectory(imageMount, dag.CurrentModule().Workdir(dir)).
		WithExec(sbom.Scan("oci-dir:"+imageMount), dagger.ContainerWithExecOpts{UseEntrypoint: true}).
		Stdout(ctx)
	if err != nil {
		if text := execOutput(err); text != "" {
			return "", failure.Tool("syft scan", p+" "+img.Digest, text)
		}
		return "", fmt.Errorf("syft scan %s %s: %w", p, img.Digest, err)
	}
	return out, nil
}

// sbomFor gates, writes the release of one platform and scans it.
func (m *EchoServer) sbomFor(ctx context.Context, target dagger.Platform) (*dagger.File, error) {
	p, meta, err := m.resolve(ctx, target)
	if err != nil {
		return nil, err
	}
	lay, err := m.gate(ctx, meta, []platform.Platform{p}, destination{})
	if err != nil {
		return nil, err
	}
	doc, err := m.sbom(ctx, lay, p.String())
	if err != nil {
		return nil, err
	}
	const name = "sbom.spdx.json"
	return dag.Directory().WithNewFile(name, doc).File(name), nil
}

// predicate is the SLSA v1 provenance predicate of a release. The runtime
// base is named by the digest the release was assembled from.
func (m *EchoServer) predicate(ctx context.Context, in provenanceInput) ([]byte, error) {
	images := []*string{new(string), new(string), new(string)}
	g, gctx := errgroup.WithContext(ctx)
	for i, image := range []string{m.BuilderImage, m.SyftImage, m.CosignImage} {
		g.Go(func() (err error) {
			*images[i], err = pinned(gctx, image)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	platforms := make([]string, len(in.platforms))
	for i, p := range in.platforms {
		platforms[i] = p.String()
	}
	build, err := gobuild.Build(in.meta.stamp, m.Ldflags, m.BuildFlags, binaryOut)
	if err != nil {
		return nil, err
	}
	return provenance.Predicate(provenance.Build{
		Repository:   in.meta.source(),
		Commit:       in.meta.git.Commit,
		Ref:          in.meta.git.Ref,
		Tags:         in.tags,
		Platforms:    platforms,
		Builder:      *images[0],
		Runtime:      in.meta.base.Named,
		Syft:         *images[1],
		Cosign:       *images[2],
		GoBuildFlags: build,
		WorkflowRef:  in.workflowRef,
		InvocationID: invocationID(in.invocationID),
		StartedOn:    in.started,
		FinishedOn:   time.Now(),
	})
}

// invocationID is id, or a random one.
func invocationID(id string) string {
	if id != "" {
		return id
	}
	return "urn:echo-server:invocation:" + rand.Text()
}

// provenanceFor returns the provenance statement of a release digest.
func (m *EchoServer) provenanceFor(ctx context.Context, digest, repository string, tags, platforms []string, workflowRef, id string) (*dagger.File, error) {
	started := time.Now()
	ps, err := platformsOrDefault(platforms)
	if err != nil {
		return nil, err
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return nil, err
	}
	tags, err = ref.Tags(tags, meta.stamp.Version, meta.git.Commit, false)
	if err != nil {
		return nil, err
	}
	predicate, err := m.predicate(ctx, provenanceInput{
		meta: meta, tags: tags, platforms: ps, workflowRef: workflowRef, invocationID: id, started: started,
	})
	if err != nil {
		return nil, err
	}
	statement, err := provenance.Statement(repository, digest, provenance.PredicateType, predicate)
	if err != nil {
		return nil, err
	}
	const name = "provenance.json"
	return dag.Directory().WithNewFile(name, string(statement)).File(name), nil
}
