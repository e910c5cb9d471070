package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"dagger/echo-server/checklist"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/labels"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"
	"dagger/echo-server/signing"
)

const (
	// registryPort is the throwaway registry's port.
	registryPort = 5000
	// registryAlias is the hostname of a registry service for cosign.
	registryAlias = "registry"
	// checkRepository is the repository check publishes to.
	checkRepository = "echo-server"
	// checkTag tags the image check publishes when the checkout has no git
	// metadata to derive the release's tags from.
	checkTag = "check"
)

// serviceDestination is repo in a registry reached through svc: the engine
// pushes to repo as named (it speaks plain HTTP to localhost only), and
// cosign reaches the same registry under registryAlias.
func serviceDestination(repo ref.Repository, svc *dagger.Service) destination {
	return destination{push: repo, sign: repo.OnHost(registryAlias), registry: svc}
}

// throwawayKey makes a cosign key pair for one check run, encrypted with a
// random password. Both reach cosign as secrets, like a real release's.
func (m *EchoServer) throwawayKey(ctx context.Context) (key, password *dagger.Secret, err error) {
	password = newSecret("check-cosign-password", rand.Text())
	ctr, err := m.cosign(ctx, destination{})
	if err != nil {
		return nil, nil, err
	}
	ctr = ctr.WithSecretVariable(signing.PasswordEnv, password).WithEnvVariable(nonceEnv, rand.Text())
	ctr, err = cosignStep(ctx, ctr, "cosign generate-key-pair", "a throwaway key", signing.GenerateKeyPair())
	if err != nil {
		return nil, nil, err
	}
	pem, err := ctr.File(cosignDir + "/" + signing.KeyFile).Contents(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read the throwaway cosign key: %w", err)
	}
	return newSecret("check-cosign-key", pem), password, nil
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
	if pub.signed {
		report = append(report, "ok  signature verified with the public key")
	}
	return report, nil
}
