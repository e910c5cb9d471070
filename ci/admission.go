package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/policy"
	"dagger/echo-server/ref"
)

// policyFor renders the admission policy of repository for publicKey.
func (m *EchoServer) policyFor(ctx context.Context, repository string, publicKey *dagger.Secret, source string) (*dagger.File, error) {
	repo, err := ref.ParseRepository(repository)
	if err != nil {
		return nil, err
	}
	if source == "" {
		meta, err := m.metadata(ctx)
		if err != nil {
			return nil, err
		}
		if source = meta.source(); source == "" {
			return nil, fmt.Errorf("policy %s: no source repository known (no origin remote): pass --source-repository https://…", repo)
		}
	}
	pem, err := publicKey.Plaintext(ctx)
	if err != nil {
		return nil, fmt.Errorf("read --public-key: %w", err)
	}
	doc, err := policy.Render(policy.Params{Repository: repo.String(), PublicKey: pem, SourceRepository: source})
	if err != nil {
		return nil, err
	}
	const name = "verify-images.yaml"
	return dag.Directory().WithNewFile(name, string(doc)).File(name), nil
}

// Paths of the kyverno run.
const (
	policyPath = toolDir + "/policy.yaml"
	podPath    = toolDir + "/pod.yaml"
)

// kyvernoAlias is the registry service's hostname for Kyverno, which has
// no insecure-registry option: go-containerregistry speaks plain HTTP to a
// *.localhost host by itself (Registry.Scheme), and the name resolves
// through the /etc/hosts entry of the service binding.
const kyvernoAlias = "registry.localhost"

// kyverno runs kyverno apply with doc against a pod of image and returns its
// output, whatever its exit code: the verdict is in the summary it prints.
func (m *EchoServer) kyverno(ctx context.Context, dest destination, doc []byte, image string) (string, error) {
	ctr, err := m.tool(ctx, m.KyvernoImage, destination{})
	if err != nil {
		return "", err
	}
	out, err := ctr.
		WithServiceBinding(kyvernoAlias, dest.registry).
		WithNewFile(policyPath, string(doc)).
		WithNewFile(podPath, string(policy.Pod("echo-server", image))).
		WithEnvVariable(nonceEnv, rand.Text()).
		WithExec(policy.Apply(policyPath, podPath), dagger.ContainerWithExecOpts{UseEntrypoint: true, Expect: dagger.ReturnTypeAny}).
		CombinedOutput(ctx)
	if err != nil {
		return "", fmt.Errorf("kyverno apply %s: %w", image, err)
	}
	return out, nil
}

// checkPolicy proves the admission policy with Kyverno: it admits the
// signed and attested release, refuses the same image copied unsigned to
// another repository, and refuses the release under a policy for another
// key.
func (m *EchoServer) checkPolicy(ctx context.Context, meta *metadata, dest destination, pub published, publicKey *dagger.File) ([]string, error) {
	unsigned := dest
	unsigned.push.Path, unsigned.tools.Path = unsignedRepository, unsignedRepository
	if err := m.push(ctx, unsigned, pub.layout, []string{"unsigned"}); err != nil {
		return nil, err
	}
	_, _, foreignKey, err := m.throwawayKey(ctx)
	if err != nil {
		return nil, err
	}
	source := meta.source() // "" without a web remote: the policy cannot require one
	repo := dest.push.OnHost(kyvernoAlias)
	render := func(key *dagger.File) ([]byte, error) {
		pem, err := key.Contents(ctx)
		if err != nil {
			return nil, fmt.Errorf("read a public key: %w", err)
		}
		return policy.Render(policy.Params{Repository: repo.String(), PublicKey: pem, SourceRepository: source})
	}
	ours, err := render(publicKey)
	if err != nil {
		return nil, err
	}
	foreign, err := render(foreignKey)
	if err != nil {
		return nil, err
	}
	signedImage := repo.WithDigest(pub.digest)
	unsignedImage := ref.Repository{Host: repo.Host, Path: unsignedRepository}.WithDigest(pub.digest)
	var report []string
	for _, c := range []struct {
		doc      []byte
		image    string
		admit    bool
		ok, fail string
	}{
		{ours, signedImage, true, "ok  kyverno admits the signed image",
			"kyverno refused the signed and attested image " + signedImage},
		{ours, unsignedImage, false, "ok  kyverno refuses an unsigned image",
			"kyverno admitted an unsigned copy of the image: the policy does not require the signature"},
		{foreign, signedImage, false, "ok  kyverno refuses a foreign key",
			"kyverno admitted the image under a policy for another key: the policy does not check the key"},
	} {
		out, err := m.kyverno(ctx, dest, c.doc, c.image)
		if err != nil {
			return nil, err
		}
		if c.admit && !policy.Admitted(out) || !c.admit && !policy.Refused(out) {
			return nil, fmt.Errorf("%s: %s", c.fail, policy.Explain(out))
		}
		report = append(report, c.ok)
	}
	return report, nil
}
