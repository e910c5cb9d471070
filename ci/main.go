// Echo-server image pipeline: vets, tests and builds the echo server,
// assembles a hardened runtime image, smoke-tests it as a service, then
// publishes it multi-arch and signs it with cosign.
//
// The steps, each a function (dagger call --help lists them):
//
//  1. vet, test, binary: in the Go builder image, with module and build caches.
//  2. build: runs 1 concurrently, then assembles the alpine runtime image:
//     non-root numeric user, exec-form healthcheck, OCI labels from git.
//  3. smoke: starts that image as a service (its healthcheck must pass),
//     checks its echo answers and its config against the production checklist.
//  4. publish: gates on 1-3, pushes one multi-platform index, signs its digest
//     with cosign and verifies the signature.
//  5. check: 1-4 against a throwaway registry with a throwaway key: what CI
//     runs on every change, and what a laptop runs before pushing.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"

	"golang.org/x/sync/errgroup"
)

// EchoServer builds, checks, publishes and signs the echo-server image.
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
	GitImage string
	// +private
	CosignImage string
	// +private
	RegistryImage string

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
	// +defaultPath="/"
	// +ignore=["image.tar", "bin/", "echo-server/echo-server", "**/*.test", "**/*.out"]
	repo *dagger.Directory,
	// Go toolchain image that vets, tests and compiles.
	// +optional
	// +default="golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"
	builderImage string,
	// Base image of the runtime image, pinned by digest (also runs the smoke client).
	// +optional
	// +default="alpine:3.23.5@sha256:fd791d74b68913cbb027c6546007b3f0d3bc45125f797758156952bc2d6daf40"
	runtimeImage string,
	// Image with git, which reads the commit time.
	// +optional
	// +default="alpine/git:v2.49.1@sha256:c0280cf9572316299b08544065d3bf35db65043d5e3963982ec50647d2746e26"
	gitImage string,
	// Image with cosign, which signs and verifies.
	// +optional
	// +default="ghcr.io/sigstore/cosign/cosign:v3.1.3@sha256:9e5c2f2edc34351160407ca3416c61855bdf9403c3c5936e0f0be7fc261611b8"
	cosignImage string,
	// Image of the throwaway registry that check publishes to.
	// +optional
	// +default="registry:3.1.1@sha256:1be55279f18a2fe1a74edf2664cac61c1bea305b7b4642dab412e7affdcb3e33"
	registryImage string,
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
		GitImage:            gitImage,
		CosignImage:         cosignImage,
		RegistryImage:       registryImage,
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
	return m.vet(ctx)
}

// Test runs the echo server's tests and returns their output.
// +check
func (m *EchoServer) Test(ctx context.Context) (string, error) {
	return m.test(ctx)
}

// Binary compiles the static echo-server binary, stamped with the version,
// commit and commit time, cross-compiled on the engine's own platform.
func (m *EchoServer) Binary(
	ctx context.Context,
	// Target platform, e.g. linux/arm64 (default: the engine's platform).
	// +optional
	platform dagger.Platform,
) (*dagger.File, error) {
	p, meta, err := m.resolve(ctx, platform)
	if err != nil {
		return nil, err
	}
	return m.binary(p, meta)
}

// Build runs vet, test and the binary build concurrently, then assembles the
// runtime image: the pinned alpine base, a non-root numeric user, the binary
// owned by root, an exec-form healthcheck and OCI labels from git.
func (m *EchoServer) Build(
	ctx context.Context,
	// Target platform, e.g. linux/arm64 (default: the engine's platform).
	// +optional
	platform dagger.Platform,
) (*dagger.Container, error) {
	p, meta, err := m.resolve(ctx, platform)
	if err != nil {
		return nil, err
	}
	return m.build(ctx, p, meta)
}

// Smoke starts the built image as a service, which waits for its healthcheck
// to pass, then sends it echo requests from a client container and checks
// the answers and the image config against the production checklist.
// +check
func (m *EchoServer) Smoke(ctx context.Context) (string, error) {
	p, meta, err := m.resolve(ctx, "")
	if err != nil {
		return "", err
	}
	img, err := m.build(ctx, p, meta)
	if err != nil {
		return "", err
	}
	return m.smoke(ctx, img, meta)
}

// Publish gates the release (vet, test, a build for every platform and a
// smoke test), pushes one multi-platform image index under every tag, signs
// the pushed digest with cosign and verifies the signature. It returns the
// image by digest, then one line per tag.
// +cache="never"
func (m *EchoServer) Publish(
	ctx context.Context,
	// Repository to push to: HOST[:PORT]/PATH, e.g. ghcr.io/acme/echo-server.
	registry string,
	// User name for the registry.
	// +optional
	username string,
	// Password or token for the registry, e.g. env:GITHUB_TOKEN.
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
	// Sign the pushed digest; --sign=false publishes unsigned, on purpose.
	// +optional
	// +default=true
	sign bool,
	// A registry only your machine reaches, spoken to over plain HTTP: e.g.
	// --registry-service tcp://localhost:5000 --registry localhost:5000/echo-server.
	// +optional
	registryService *dagger.Service,
) (string, error) {
	repo, err := ref.ParseRepository(registry)
	if err != nil {
		return "", err
	}
	ps, err := platformsOrDefault(platforms)
	if err != nil {
		return "", err
	}
	if sign && cosignKey == nil {
		return "", fmt.Errorf("publish %s: signing needs a key: pass --cosign-key env:COSIGN_KEY (and --cosign-password env:COSIGN_PASSWORD), or --sign=false to publish unsigned", repo)
	}
	if (username == "") != (password == nil) {
		return "", fmt.Errorf("publish %s: registry credentials need both --username and --password (or neither)", repo)
	}
	if sign && password == nil && registryService == nil {
		return "", fmt.Errorf("publish %s: cosign pushes the signature and needs the registry's credentials: pass --username and --password env:REGISTRY_TOKEN (or --sign=false)", repo)
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return "", err
	}
	dest := destination{push: repo, sign: repo}
	if registryService != nil {
		dest = serviceDestination(repo, registryService)
	}
	dest.username, dest.password = username, password
	rel, err := m.release(ctx, meta, dest, releaseOptions{
		tags: tags, latest: latest, platforms: ps,
		key: cosignKey, keyPassword: cosignPassword, sign: sign,
	})
	if err != nil {
		return "", err
	}
	return rel.String(), nil
}

// Check runs everything a release does against a throwaway registry started
// as a service, with a cosign key pair made for the run: the gate, the
// multi-platform publish, signing and verification; then it pulls the index
// back by digest and checks every platform's image config against the
// production checklist. Green here means a real publish would be green.
// +check
func (m *EchoServer) Check(ctx context.Context) (string, error) {
	registry, err := dag.Container().From(m.RegistryImage).
		WithExposedPort(registryPort).
		AsService().
		Start(ctx)
	if err != nil {
		return "", fmt.Errorf("start the throwaway registry %s: %w", m.RegistryImage, err)
	}
	defer func() {
		if _, err := registry.Stop(context.WithoutCancel(ctx)); err != nil {
			slog.Warn("stop the throwaway registry", "err", err)
		}
	}()

	key, keyPassword, err := m.throwawayKey(ctx)
	if err != nil {
		return "", err
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return "", err
	}
	var tags []string // the release's defaults: version and commit
	if meta.git.Commit == "" {
		tags = []string{checkTag} // no checkout: nothing to derive them from
	}
	dest := serviceDestination(ref.Repository{Host: "localhost:" + strconv.Itoa(registryPort), Path: checkRepository}, registry)
	platforms := platform.Default()
	rel, err := m.release(ctx, meta, dest, releaseOptions{
		tags: tags, platforms: platforms, key: key, keyPassword: keyPassword, sign: true,
	})
	if err != nil {
		return "", err
	}
	report, err := m.checkPublished(ctx, meta, dest, rel, platforms)
	if err != nil {
		return "", err
	}
	return rel.String() + "\n" + strings.Join(report, "\n"), nil
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

// build gates and assembles the image of one platform.
func (m *EchoServer) build(ctx context.Context, p platform.Platform, meta *metadata) (*dagger.Container, error) {
	images, err := m.gate(ctx, meta, []platformImage{{platform: p}})
	if err != nil {
		return nil, err
	}
	return images[0].image, nil
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

// gate runs vet and test once and builds an image for every platform, all
// concurrently; the first failure cancels the rest and is returned with the
// failing step's output.
func (m *EchoServer) gate(ctx context.Context, meta *metadata, images []platformImage) ([]platformImage, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := m.vet(gctx); return err })
	g.Go(func() error { _, err := m.test(gctx); return err })
	for i := range images {
		g.Go(func() error {
			img, err := m.image(gctx, images[i].platform, meta)
			images[i].image = img
			return err
		})
	}
	return images, g.Wait()
}

// platformImage is the runtime image of one platform.
type platformImage struct {
	platform platform.Platform
	image    *dagger.Container
}
