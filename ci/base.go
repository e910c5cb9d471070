package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"dagger/echo-server/crane"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/oci"
	"dagger/echo-server/platform"
	"dagger/echo-server/ref"
)

// runtimeBase is the runtime base image by digest.
type runtimeBase struct {
	ref.Image // Digest is always set
	// Named is --runtime-image with the digest: as given when it names
	// one, else followed by @ and the digest it resolved to. The labels and
	// the provenance name the base so.
	Named string
	// tools is its repository as crane reaches it: through the service of
	// --runtime-registry under registryAlias, over plain HTTP (insecure),
	// else as named.
	tools    ref.Repository
	insecure bool
}

// resolveBase returns the runtime base by digest: as --runtime-image names
// it, or, for a tag alone, the digest its registry serves for the tag now
// (a tag moves, so the registry is asked on every call).
func (m *EchoServer) resolveBase(ctx context.Context) (runtimeBase, error) {
	img, err := ref.ParseImage(m.RuntimeImage)
	if err != nil {
		return runtimeBase{}, fmt.Errorf(`--runtime-image %q: %v; want an image reference such as "alpine:3.23.5@sha256:<64 hex>"`, m.RuntimeImage, err)
	}
	b := runtimeBase{Image: img, Named: m.RuntimeImage, tools: img.Repository}
	if m.RuntimeRegistry != nil {
		if img.Port() == "" {
			return runtimeBase{}, fmt.Errorf("--runtime-image %q: with --runtime-registry, it must name the service's port, e.g. localhost:5000/alpine@sha256:…", m.RuntimeImage)
		}
		b.tools, b.insecure = img.OnHost(registryAlias), true
	}
	if b.Digest != "" {
		return b, nil
	}
	ctr, err := m.baseTool(ctx, destination{})
	if err != nil {
		return runtimeBase{}, err
	}
	out, err := ctr.
		WithEnvVariable(nonceEnv, rand.Text()).
		WithExec(crane.Digest(b.tools.WithTag(b.Tag), b.insecure), dagger.ContainerWithExecOpts{UseEntrypoint: true}).
		Stdout(ctx)
	if err != nil {
		return runtimeBase{}, registryError("resolve the digest of", m.RuntimeImage, err)
	}
	if b.Digest, err = crane.ParseDigest(m.RuntimeImage, out); err != nil {
		return runtimeBase{}, err
	}
	b.Named += "@" + b.Digest
	return b, nil
}

// ref is the base by digest, as crane reaches it.
func (b runtimeBase) ref() string { return b.tools.WithDigest(b.Digest) }

// baseTool is crane reaching the base's registry: with auth's credentials
// (see baseAuth), and the service of --runtime-registry bound.
func (m *EchoServer) baseTool(ctx context.Context, auth destination) (*dagger.Container, error) {
	ctr, err := m.tool(ctx, m.CraneImage, auth)
	if err != nil || m.RuntimeRegistry == nil {
		return ctr, err
	}
	return ctr.WithServiceBinding(registryAlias, m.RuntimeRegistry), nil
}

// baseDir is where crane writes the base image in its container.
const baseDir = toolDir + "/base"

// pullBase reads the base image of p as its registry serves it: crane
// writes that one image (manifest, config, layers) as an OCI layout, which
// the module reads and checks against its digests. Without credentials the
// pull is the same command for the same digest and platform, so the engine
// runs it once and answers later calls from its cache; the files it wrote
// are the registry's blobs whatever the engine's state. auth are the
// publish credentials: crane uses them for their own registry only.
func (m *EchoServer) pullBase(ctx context.Context, base runtimeBase, p platform.Platform, auth destination) (oci.Base, error) {
	ctr, err := m.baseTool(ctx, auth)
	if err != nil {
		return oci.Base{}, err
	}
	local := "base-" + rand.Text()
	_, err = ctr.
		WithExec(crane.Pull(base.ref(), p.String(), baseDir, base.insecure), dagger.ContainerWithExecOpts{UseEntrypoint: true}).
		Directory(baseDir).
		Export(ctx, local)
	if err != nil {
		return oci.Base{}, registryError("pull the "+p.String()+" base image", base.ref(), err)
	}
	b, err := oci.ReadBase(local)
	if err != nil {
		return oci.Base{}, fmt.Errorf("the %s base image %s: %w", p, base.ref(), err)
	}
	return b, nil
}

// baseAuth is what reads the base image during a release to dest: its
// credentials, when it has any and is not a registry service; crane's
// keychain hands them to their own registry only.
func baseAuth(dest destination) destination {
	if dest.password == nil || dest.registry != nil {
		return destination{}
	}
	return destination{push: dest.push, tools: dest.tools, username: dest.username, password: dest.password}
}
