// Echo-server image pipeline: vets, tests and builds the echo server,
// assembles a hardened runtime image on the base as its registry serves it,
// smoke-tests that very image as a service, then publishes it multi-arch as a
// reproducible release, signs it and attaches a signed SBOM and SLSA
// provenance, all verified.
//
// The steps, each a function (dagger call --help lists them):
//
//  1. vet, test, binary: in the Go builder image, with module and build caches.
//  2. build: runs 1 concurrently and assembles the release as ko does: the
//     alpine base's blobs as its registry serves them (crane pulls them by
//     digest) plus one layer written by the module (non-root numeric user,
//     the binary), with an exec-form healthcheck, OCI labels from git and the
//     commit time as every timestamp; the engine imports that image.
//  3. smoke: starts that image as a service (its healthcheck must pass),
//     checks its echo answers and its config against the production checklist.
//  4. tarball: the release, a multi-platform OCI archive: the same commit
//     gives the same digest, whatever the state of the engine's cache.
//  5. sbom, provenance: an SPDX SBOM per platform (syft) and the SLSA v1
//     provenance of a release digest.
//  6. publish: gates on 1-3, pushes the release of 4 with crane under every
//     tag and checks the digest the registry serves, signs it with cosign,
//     attests 5 and verifies every signature and attestation.
//  7. policy: the Kyverno admission policy that admits only images signed
//     and attested by this pipeline.
//  8. check: 1-7 against a throwaway registry with a throwaway key, plus a
//     rebuild from scratch that must give the same digest, a comparison of
//     each pushed image's base layers with the base registry's, and Kyverno
//     run against signed, unsigned and foreign-key images: what CI runs on
//     every change, and what a laptop runs before pushing.
package main

import (
	"context"
	"fmt"

	"dagger/echo-server/failure"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"
)

type EchoServer struct {
	// +private
	Source *dagger.Directory
	// +private
	Repo *dagger.Directory

	// +private
	BuilderImage string
	// +private
	RuntimeImage string
	// +private
	RuntimeRegistry *dagger.Service
	// +private
	GitImage string
	// +private
	CosignImage string
	// +private
	RegistryImage string
	// +private
	CraneImage string
	// +private
	SyftImage string
	// +private
	KyvernoImage string

	// +private
	VetFlags []string
	// +private
	TestFlags []string
	// +private
	Ldflags string
	// +private
	BuildFlags []string

	// +private
	User string
	// +private
	UID int
	// +private
	HealthInterval string
	// +private
	HealthTimeout string
	// +private
	HealthStartPeriod string
	// +private
	HealthStartInterval string
	// +private
	HealthRetries int

	// +private
	Title string
	// +private
	Description string
	// +private
	Vendor string
	// +private
	Authors string
	// +private
	Licenses string
	// +private
	SourceURL string
	// +private
	DocumentationURL string
	// +private
	LabelPrefix string
	// +private
	Environment string
}

// New configures the pipeline. Every argument is optional: the defaults build
// this repository from the caller's checkout with pinned base images.
func New(
	// The echo server's sources: only echo-server/ is uploaded, without its
	// docs and benchmarks, so editing them or ci/ does not invalidate the
	// vet, test and build caches.
	// +defaultPath="/"
	// +ignore=["**", "!echo-server/**", "echo-server/**/*.md", "echo-server/bench/**", "echo-server/echo-server"]
	source *dagger.Directory,
	// The repository checkout with its .git, read for the revision, ref, tags,
	// commit time, dirtiness and origin remote that the labels and version
	// come from. Without a .git those say "unknown" and a warning is logged.
	// User defaults (.env), keys and what the README's commands export are
	// never uploaded: they would mark the build dirty, or leak.
	// +defaultPath="/"
	// +ignore=["**/.env", "cosign.key", "image.tar", "release.tar", "sbom.spdx.json", "provenance.json", "verify-images.yaml", "bin/", "echo-server/echo-server", "ci/echo-server", "ci/hack/bindings/bindings", "ci/hack/coldbuild/coldbuild", "**/*.test", "**/*.out"]
	repo *dagger.Directory,
	// Go toolchain image that vets, tests and compiles.
	// +optional
	// +default="golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"
	builderImage string,
	// Base image of the runtime image, pinned by digest; read by crane from
	// the registry it names, so a mirror must be named here (also runs the
	// smoke client).
	// +optional
	// +default="alpine:3.23.5@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40"
	runtimeImage string,
	// A registry only your machine reaches that serves --runtime-image,
	// spoken to over plain HTTP: e.g. --runtime-registry tcp://localhost:5000
	// --runtime-image localhost:5000/alpine@sha256:….
	// +optional
	runtimeRegistry *dagger.Service,
	// Image with git, which reads the commit time and the tags at HEAD.
	// +optional
	// +default="alpine/git:v2.49.1@sha256:c0280cf9572316299b08544065d3bf35db65043d5e3963982ec50647d2746e26"
	gitImage string,
	// Image with cosign, which signs, attests and verifies (and makes check's
	// throwaway key pairs).
	// +optional
	// +default="ghcr.io/sigstore/cosign/cosign:v3.1.3@sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8"
	cosignImage string,
	// Image of the throwaway registry that check publishes to.
	// +optional
	// +default="registry:3.1.1@sha256:1be55279f18a2fe1a74edf2664cac61c1bea305b7b4642dab412e7affdcb3e33"
	registryImage string,
	// Image with crane, which reads the runtime base from its registry,
	// pushes the release and reads its digest back.
	// +optional
	// +default="gcr.io/go-containerregistry/crane:v0.22.1@sha256:1f968817b95790bed063f71175aa6b8ff879fa17064020415f3e18bb6e6a36e1"
	craneImage string,
	// Image with syft, which writes the SBOM of every platform.
	// +optional
	// +default="anchore/syft:v1.50.0@sha256:1288ea4c8b38767b4e620c1e312c8cb26b6e887a99b4f07ab6cd19fc6f225026"
	syftImage string,
	// Image with the Kyverno CLI, with which check proves the admission policy.
	// +optional
	// +default="ghcr.io/kyverno/kyverno-cli:v1.19.1@sha256:ced7b2be0b04250cabfe695f15307f69eb715fe23234816388af4f3812915b2a"
	kyvernoImage string,
	// Extra go vet flags, e.g. --vet-flags=-x.
	// +optional
	vetFlags []string,
	// Extra go test flags, e.g. --test-flags=-v,-count=1.
	// +optional
	testFlags []string,
	// Extra linker flags, appended to "-s -w" and the version stamp.
	// +optional
	ldflags string,
	// Extra go build flags, e.g. --build-flags=-x.
	// +optional
	buildFlags []string,
	// Name of the unprivileged user the service runs as.
	// +optional
	// +default="docker-app"
	user string,
	// Its uid, also its gid; the image's USER is "uid:uid", numeric.
	// +optional
	// +default=8080
	uid int,
	// Time between two healthchecks.
	// +optional
	// +default="30s"
	healthInterval string,
	// Time a healthcheck may take.
	// +optional
	// +default="30s"
	healthTimeout string,
	// Grace period after start during which failures do not count.
	// +optional
	// +default="5s"
	healthStartPeriod string,
	// Time between two healthchecks during the start period, so a fresh
	// container turns healthy (and a Dagger service starts) within a second.
	// +optional
	// +default="1s"
	healthStartInterval string,
	// Consecutive failures that make the container unhealthy.
	// +optional
	// +default=3
	healthRetries int,
	// Label org.opencontainers.image.title (default: echo-server).
	// +optional
	title string,
	// Label org.opencontainers.image.description (default: a one-line summary).
	// +optional
	description string,
	// Label org.opencontainers.image.vendor (default: echo-server maintainers).
	// +optional
	vendor string,
	// Label org.opencontainers.image.authors (default: echo-server maintainers).
	// +optional
	authors string,
	// Label org.opencontainers.image.licenses, an SPDX expression (default: Apache-2.0).
	// +optional
	licenses string,
	// Labels org.opencontainers.image.source and url (default: the origin
	// remote as an https URL).
	// +optional
	sourceUrl string,
	// Label org.opencontainers.image.documentation (default: the source URL
	// followed by #readme).
	// +optional
	documentationUrl string,
	// Reverse-DNS prefix of the custom labels (default: dev.echo-server).
	// +optional
	labelPrefix string,
	// Value of the custom label <label-prefix>.environment (default: dev).
	// +optional
	environment string,
) *EchoServer {
	return &EchoServer{
		Source:              source.Directory("echo-server"),
		Repo:                repo,
		BuilderImage:        builderImage,
		RuntimeImage:        runtimeImage,
		RuntimeRegistry:     runtimeRegistry,
		GitImage:            gitImage,
		CosignImage:         cosignImage,
		RegistryImage:       registryImage,
		CraneImage:          craneImage,
		SyftImage:           syftImage,
		KyvernoImage:        kyvernoImage,
		VetFlags:            vetFlags,
		TestFlags:           testFlags,
		Ldflags:             ldflags,
		BuildFlags:          buildFlags,
		User:                user,
		UID:                 uid,
		HealthInterval:      healthInterval,
		HealthTimeout:       healthTimeout,
		HealthStartPeriod:   healthStartPeriod,
		HealthStartInterval: healthStartInterval,
		HealthRetries:       healthRetries,
		Title:               title,
		Description:         description,
		Vendor:              vendor,
		Authors:             authors,
		Licenses:            licenses,
		SourceURL:           sourceUrl,
		DocumentationURL:    documentationUrl,
		LabelPrefix:         labelPrefix,
		Environment:         environment,
	}
}

// Vet runs go vet on the echo server and returns its output.
// +check
func (m *EchoServer) Vet(ctx context.Context) (string, error) {
	out, err := m.vet(ctx)
	return out, failure.Final(err)
}

// Test runs the echo server's tests and returns their output.
// +check
func (m *EchoServer) Test(ctx context.Context) (string, error) {
	out, err := m.test(ctx)
	return out, failure.Final(err)
}

// Binary compiles the static echo-server binary, stamped with the version,
// commit and commit time, cross-compiled on the engine's own platform.
func (m *EchoServer) Binary(
	ctx context.Context,
	// Target platform, e.g. linux/arm64 (default: the engine's platform).
	// +optional
	platform dagger.Platform,
) (*dagger.File, error) {
	bin, err := m.binaryFor(ctx, platform)
	return bin, failure.Final(err)
}

// Build runs vet, test and the binary build concurrently and returns the
// runtime image of the release: the pinned alpine base as its registry
// serves it plus one layer (a non-root numeric user, the binary owned by
// root), an exec-form healthcheck and OCI labels from git. For export,
// as-service or terminal; the reproducible artifact itself is tarball.
// +cache="session"
func (m *EchoServer) Build(
	ctx context.Context,
	// Target platform, e.g. linux/arm64 (default: the engine's platform).
	// +optional
	platform dagger.Platform,
) (*dagger.Container, error) {
	img, err := m.buildFor(ctx, platform)
	return img, failure.Final(err)
}

// Smoke starts the built image as a service, which waits for its healthcheck
// to pass, then sends it echo requests from a client container and checks
// the answers and the image config against the production checklist.
// +check
func (m *EchoServer) Smoke(ctx context.Context) (string, error) {
	out, err := m.smokeNative(ctx)
	return out, failure.Final(err)
}

// Tarball gates (vet, test, a build for every platform) and returns the
// release as a multi-platform OCI archive: the base's blobs as its registry
// serves them and one layer whose every timestamp, like the config's, is the
// commit time, so the same commit gives the same bytes and the same index
// digest anywhere. It is exactly what publish pushes; its index digest is in
// index.json (the publish output names it too).
// +cache="session"
func (m *EchoServer) Tarball(
	ctx context.Context,
	// Platforms of the image index (default: linux/amd64 and linux/arm64).
	// +optional
	platforms []string,
) (*dagger.File, error) {
	f, err := m.tarball(ctx, platforms)
	return f, failure.Final(err)
}

// Sbom returns the SPDX JSON SBOM of one platform's image of the release, as
// syft finds it: the Go modules and stdlib version of the binary and the
// base image's packages. Publish attaches one made the same way to each
// platform's image, signed.
func (m *EchoServer) Sbom(
	ctx context.Context,
	// Platform of the image, e.g. linux/arm64 (default: the engine's platform).
	// +optional
	platform dagger.Platform,
) (*dagger.File, error) {
	f, err := m.sbomFor(ctx, platform)
	return f, failure.Final(err)
}

// Provenance returns the SLSA v1 provenance of a release digest as an in-toto
// statement: what was built (source repository, commit, ref, tags,
// platforms), how (the pinned images by digest, the go build flags) and by
// whom. Publish attaches its predicate to the index digest, signed.
// +cache="session"
func (m *EchoServer) Provenance(
	ctx context.Context,
	// The release's image index digest, sha256:<64 hex> (publish prints it).
	digest string,
	// The subject's name: the repository, e.g. ghcr.io/acme/echo-server (publish
	// names the repository it pushed to).
	// +optional
	// +default="echo-server"
	repository string,
	// Tags of the release (default: the version and the full commit SHA).
	// +optional
	tags []string,
	// Platforms of the image index (default: linux/amd64 and linux/arm64).
	// +optional
	platforms []string,
	// GITHUB_WORKFLOW_REF of the GitHub Actions run that builds, which becomes
	// the builder id; empty outside GitHub Actions.
	// +optional
	workflowRef string,
	// Identifier of this build, e.g. the URL of the CI run (default: random).
	// +optional
	invocationId string,
) (*dagger.File, error) {
	f, err := m.provenanceFor(ctx, digest, repository, tags, platforms, workflowRef, invocationId)
	return f, failure.Final(err)
}

// Policy renders the Kyverno ClusterPolicy that admits a pod's image of the
// repository only when it carries this pipeline's cosign signature and SLSA
// provenance, both verified with the public key.
func (m *EchoServer) Policy(
	ctx context.Context,
	// Image repository the policy guards, e.g. ghcr.io/acme/echo-server.
	repository string,
	// The cosign public key (cosign.pub), e.g. file:cosign.pub: read with
	// the providers of --cosign-key (env:, file:, cmd:), though it is public.
	publicKey *dagger.Secret,
	// Source repository the provenance must name, an https URL (default: the
	// source label, from the origin remote or --source-url).
	// +optional
	sourceRepository string,
) (*dagger.File, error) {
	f, err := m.policyFor(ctx, repository, publicKey, sourceRepository)
	return f, failure.Final(err)
}

// Publish gates the release (vet, test, a build for every platform and a
// smoke test), pushes the reproducible multi-platform release with crane
// under every tag and checks the digest the registry serves, signs that
// digest with cosign, attaches a signed SBOM per platform and a signed SLSA
// provenance, and verifies every signature. It prints the image by digest,
// one line per tag, then one line per verified attestation.
// +cache="never"
func (m *EchoServer) Publish(
	ctx context.Context,
	// Repository to push to: HOST[:PORT]/PATH, e.g. ghcr.io/acme/echo-server.
	registry string,
	// User name for the registry (required, but for a --registry-service).
	// +optional
	username string,
	// Password or token for the registry, e.g. env:GITHUB_TOKEN (required,
	// but for a --registry-service).
	// +optional
	password *dagger.Secret,
	// Tags to push (default: the version and the full commit SHA).
	// +optional
	tags []string,
	// Also push the tag latest.
	// +optional
	latest bool,
	// Platforms of the image index (default: linux/amd64 and linux/arm64).
	// +optional
	platforms []string,
	// Cosign private key, e.g. env:COSIGN_KEY (from cosign generate-key-pair).
	// +optional
	cosignKey *dagger.Secret,
	// Password of the cosign private key, e.g. env:COSIGN_PASSWORD.
	// +optional
	cosignPassword *dagger.Secret,
	// Sign the pushed digest and attach the SBOMs and provenance;
	// --sign=false publishes unsigned and unattested, on purpose.
	// +optional
	// +default=true
	sign bool,
	// A registry only your machine reaches, spoken to over plain HTTP: e.g.
	// --registry-service tcp://localhost:5000 --registry localhost:5000/echo-server.
	// +optional
	registryService *dagger.Service,
	// GITHUB_WORKFLOW_REF of the GitHub Actions run, which becomes the
	// provenance's builder id; empty outside GitHub Actions.
	// +optional
	workflowRef string,
	// Identifier of this build in the provenance, e.g. the URL of the CI run
	// (default: random).
	// +optional
	invocationId string,
) (string, error) {
	out, err := m.publish(ctx, registry, username, password, releaseOptions{
		tags: tags, latest: latest, key: cosignKey, keyPassword: cosignPassword, sign: sign,
		workflowRef: workflowRef, invocationID: invocationId,
	}, platforms, registryService)
	return out, failure.Final(err)
}

// Check runs everything a release does against a throwaway registry started
// as a service, with a cosign key pair made for the run: the gate, the
// multi-platform publish, signing, attestations and their verification; then
// it rebuilds the release from scratch and requires the same digest, checks
// that each pushed image's base layers are the base registry's, pulls the
// index back by digest and checks every platform's image config, checks what
// the SBOM and provenance say, and runs Kyverno against the signed image, an
// unsigned copy and a foreign key. Green here means a real publish would be
// green.
// +check
func (m *EchoServer) Check(ctx context.Context) (string, error) {
	out, err := m.check(ctx)
	return out, failure.Final(err)
}

// binaryFor compiles the binary of an optional platform.
func (m *EchoServer) binaryFor(ctx context.Context, target dagger.Platform) (*dagger.File, error) {
	p, meta, err := m.resolve(ctx, target)
	if err != nil {
		return nil, err
	}
	return m.binary(ctx, p, meta, "")
}

// buildFor gates and assembles the image of an optional platform.
func (m *EchoServer) buildFor(ctx context.Context, target dagger.Platform) (*dagger.Container, error) {
	p, meta, err := m.resolve(ctx, target)
	if err != nil {
		return nil, err
	}
	lay, err := m.gate(ctx, meta, []platform.Platform{p}, destination{})
	if err != nil {
		return nil, err
	}
	return lay.container(ctx, p)
}

// smokeNative builds the image of the engine's platform and smoke-tests it.
func (m *EchoServer) smokeNative(ctx context.Context) (string, error) {
	p, meta, err := m.resolve(ctx, "")
	if err != nil {
		return "", err
	}
	lay, err := m.gate(ctx, meta, []platform.Platform{p}, destination{})
	if err != nil {
		return "", err
	}
	img, err := lay.container(ctx, p)
	if err != nil {
		return "", err
	}
	return m.smoke(ctx, img, meta)
}

// publish validates the publish arguments, before anything is built, and
// releases.
func (m *EchoServer) publish(ctx context.Context, registry, username string, password *dagger.Secret, opts releaseOptions, platforms []string, registryService *dagger.Service) (string, error) {
	repo, err := ref.ParseRepository(registry)
	if err != nil {
		return "", err
	}
	if opts.platforms, err = platformsOrDefault(platforms); err != nil {
		return "", err
	}
	if opts.sign && opts.key == nil {
		return "", fmt.Errorf("publish %s: signing needs a key: pass --cosign-key env:COSIGN_KEY (and --cosign-password env:COSIGN_PASSWORD), or --sign=false to publish unsigned", repo)
	}
	if (username == "") != (password == nil) {
		return "", fmt.Errorf("publish %s: registry credentials need both --username and --password (or neither)", repo)
	}
	if password == nil && registryService == nil {
		return "", fmt.Errorf("publish %s: crane pushes the release and cosign its signature: both need the registry's credentials: pass --username and --password env:REGISTRY_TOKEN", repo)
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return "", err
	}
	dest := destination{push: repo, tools: repo}
	if registryService != nil {
		if repo.Port() == "" {
			return "", fmt.Errorf("publish %s: with --registry-service, --registry must name the service's port, e.g. localhost:5000/echo-server", repo)
		}
		dest = serviceDestination(repo, registryService)
	}
	dest.username, dest.password = username, password
	rel, err := m.release(ctx, meta, dest, opts)
	if err != nil {
		return "", err
	}
	return rel.String(), nil
}

// resolve returns the platform of a build (default: the engine's) and the
// metadata it is labelled and stamped with.
func (m *EchoServer) resolve(ctx context.Context, p dagger.Platform) (platform.Platform, *metadata, error) {
	target, err := m.platform(ctx, p)
	if err != nil {
		return target, nil, err
	}
	meta, err := m.metadata(ctx)
	return target, meta, err
}

// platform resolves an optional platform argument, defaulting to the engine's.
func (m *EchoServer) platform(ctx context.Context, p dagger.Platform) (platform.Platform, error) {
	if p == "" {
		native, err := dag.DefaultPlatform(ctx)
		if err != nil {
			return platform.Platform{}, fmt.Errorf("read the engine's platform: %w", err)
		}
		p = native
	}
	return platform.Parse(string(p))
}

// platformsOrDefault parses the platforms of an index.
func platformsOrDefault(list []string) ([]platform.Platform, error) {
	if len(list) == 0 {
		return platform.Default(), nil
	}
	return platform.ParseList(list)
}
