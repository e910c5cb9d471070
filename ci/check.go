package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"dagger/echo-server/checklist"
	"dagger/echo-server/crane"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/labels"
	"dagger/echo-server/oci"
	"dagger/echo-server/platform"
	"dagger/echo-server/provenance"
	"dagger/echo-server/ref"
	"dagger/echo-server/sbom"
	"dagger/echo-server/signing"
)

const (
	// registryPort is the throwaway registry's port.
	registryPort = 5000
	// registryAlias is the hostname of a registry service for the tool
	// containers.
	registryAlias = "registry"
	// checkRepository is the repository check publishes to, and
	// unsignedRepository the one it copies the release to unsigned.
	checkRepository    = "echo-server"
	unsignedRepository = checkRepository + "-unsigned"
	// checkTag tags the image check publishes when the checkout has no git
	// metadata to derive the release's tags from.
	checkTag = "check"
)

// serviceDestination is repo in a registry reached through svc: the engine
// reaches it as named (it speaks plain HTTP to localhost only), and the tool
// containers under registryAlias.
func serviceDestination(repo ref.Repository, svc *dagger.Service) destination {
	return destination{push: repo, tools: repo.OnHost(registryAlias), registry: svc}
}

// check releases to a throwaway registry and proves what a release promises.
func (m *EchoServer) check(ctx context.Context) (string, error) {
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

	key, keyPassword, publicKey, err := m.throwawayKey(ctx)
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

	report, err := m.checkReproducible(ctx, meta, platforms, rel)
	if err != nil {
		return "", err
	}
	bases, err := m.checkBase(ctx, meta, dest, rel)
	if err != nil {
		return "", err
	}
	report = append(report, bases...)
	pulled, err := m.checkPublished(ctx, meta, dest, rel, platforms)
	if err != nil {
		return "", err
	}
	report = append(report, pulled...)
	attested, err := m.checkAttestations(ctx, meta, rel)
	if err != nil {
		return "", err
	}
	report = append(report, attested...)
	admitted, err := m.checkPolicy(ctx, meta, dest, rel, publicKey)
	if err != nil {
		return "", err
	}
	report = append(report, admitted...)
	return rel.String() + "\n" + strings.Join(report, "\n"), nil
}

// throwawayKey makes a cosign key pair for one check run, encrypted with a
// random password. The private key and password reach cosign as secrets,
// like a real release's.
func (m *EchoServer) throwawayKey(ctx context.Context) (key, password *dagger.Secret, publicKey *dagger.File, err error) {
	password = newSecret("check-cosign-password", rand.Text())
	ctr, err := m.tool(ctx, m.CosignImage, destination{})
	if err != nil {
		return nil, nil, nil, err
	}
	ctr = ctr.WithSecretVariable(signing.PasswordEnv, password).WithEnvVariable(nonceEnv, rand.Text())
	ctr, err = cosignStep(ctx, ctr, "cosign generate-key-pair", "a throwaway key", signing.GenerateKeyPair())
	if err != nil {
		return nil, nil, nil, err
	}
	pem, err := ctr.File(toolDir + "/" + signing.KeyFile).Contents(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read the throwaway cosign key: %w", err)
	}
	return newSecret("check-cosign-key", pem), password, ctr.File(toolDir + "/" + signing.PublicKeyFile), nil
}

// checkReproducible rebuilds the release with the compile forced to run
// again, from an empty Go build cache, assembles it again, and requires the
// very same index digest.
func (m *EchoServer) checkReproducible(ctx context.Context, meta *metadata, platforms []platform.Platform, pub published) ([]string, error) {
	again, err := m.layout(ctx, meta, platforms, rand.Text(), destination{})
	if err != nil {
		return nil, fmt.Errorf("rebuild from scratch: %w", err)
	}
	if err := oci.Same(pub.layout.Release, again.Release); err != nil {
		return nil, fmt.Errorf("not reproducible: %w", err)
	}
	return []string{"ok  reproducible: rebuilt from scratch, same digest " + pub.digest}, nil
}

// checkBase proves, on what the registries serve, that each platform's
// image is its base image as the base's registry serves it plus one layer:
// the pushed manifest's first layers and config diff_ids are the base
// manifest's and config's, fetched anew from the base's registry.
func (m *EchoServer) checkBase(ctx context.Context, meta *metadata, dest destination, pub published) ([]string, error) {
	nonce := rand.Text()
	release, err := m.tool(ctx, m.CraneImage, dest)
	if err != nil {
		return nil, err
	}
	release = release.WithEnvVariable(nonceEnv, nonce)
	registry, err := m.baseTool(ctx, destination{})
	if err != nil {
		return nil, err
	}
	registry = registry.WithEnvVariable(nonceEnv, nonce)
	var report []string
	for _, img := range pub.layout.Images {
		pushed, err := fetchImage(ctx, release, dest.tools.WithDigest(img.Digest), dest.tools.WithDigest, dest.insecure())
		if err != nil {
			return nil, err
		}
		byDigest := meta.base.tools.WithDigest
		base, err := fetchImage(ctx, registry, byDigest(img.Base), byDigest, meta.base.insecure)
		if err != nil {
			return nil, err
		}
		if err := oci.SameBase(img.Platform, pushed, base); err != nil {
			return nil, fmt.Errorf("the release is not its base plus one layer: %w", err)
		}
		report = append(report, fmt.Sprintf("ok  base layers: %s = %s as its registry serves them", img.Platform, meta.base.WithDigest(img.Base)))
	}
	return report, nil
}

// fetchImage reads the manifest at ref and the config it names (the blob
// at byDigest of its digest) with crane in ctr.
func fetchImage(ctx context.Context, ctr *dagger.Container, ref string, byDigest func(string) string, insecure bool) (oci.Pulled, error) {
	exec := dagger.ContainerWithExecOpts{UseEntrypoint: true}
	manifest, err := ctr.WithExec(crane.Manifest(ref, insecure), exec).Stdout(ctx)
	if err != nil {
		return oci.Pulled{}, registryError("read the manifest of", ref, err)
	}
	digest, err := oci.ConfigDigest([]byte(manifest))
	if err != nil {
		return oci.Pulled{}, fmt.Errorf("read the manifest of %s: %w", ref, err)
	}
	config, err := ctr.WithExec(crane.Blob(byDigest(digest), insecure), exec).Stdout(ctx)
	if err != nil {
		return oci.Pulled{}, registryError("read the config of", ref, err)
	}
	return oci.Pulled{Manifest: []byte(manifest), Config: []byte(config)}, nil
}

// checkPublished pulls every platform of the published index back by digest
// (which fails when the index lacks one) and checks its config against the
// production checklist.
func (m *EchoServer) checkPublished(ctx context.Context, meta *metadata, dest destination, pub published, platforms []platform.Platform) ([]string, error) {
	required := labels.Keys(meta.meta)
	addr := dest.push.WithDigest(pub.digest)
	var report []string
	for _, p := range platforms {
		img := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.String())}).
			From(addr, dagger.ContainerFromOpts{RegistryService: dest.registry})
		cfg, err := m.inspect(ctx, img, required)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", addr, p, err)
		}
		if err := checklist.Error(checklist.Check(cfg, required)); err != nil {
			return nil, fmt.Errorf("%s (%s): %w", addr, p, err)
		}
		report = append(report, fmt.Sprintf("ok  %s: pulled by digest, passes the production checklist", p))
	}
	return append(report, "ok  signature verified with the public key"), nil
}

// checkAttestations checks what the attestations downloaded back say: each
// SBOM names the builder's Go stdlib version and the base image's packages;
// the provenance names the pushed digest and the commit.
func (m *EchoServer) checkAttestations(ctx context.Context, meta *metadata, pub published) ([]string, error) {
	goVersion, err := m.goVersion(ctx)
	if err != nil {
		return nil, err
	}
	goVersion = strings.TrimSpace(goVersion)
	var report []string
	for _, a := range pub.attestations {
		switch a.kind {
		case "sbom":
			if err := sbom.Check(a.statement.Predicate, goVersion); err != nil {
				return nil, fmt.Errorf("the SBOM of %s: %w", a.platform, err)
			}
			report = append(report, fmt.Sprintf("ok  sbom %s: downloaded back, names %s and the base image's packages", a.platform, goVersion))
		case "provenance":
			if err := provenance.Check(a.statement.Raw, pub.digest, meta.git.Commit); err != nil {
				return nil, fmt.Errorf("the provenance of %s: %w", pub.digest, err)
			}
			report = append(report, "ok  provenance: downloaded back, names the pushed digest and the commit")
		}
	}
	return report, nil
}
