package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/oci"
	"dagger/echo-server/platform"
)

// releaseLayout is a release written as an OCI image layout in the module's
// working directory. Relative paths are the handover with the engine: the
// module runs in the runtime workdir, where File.Export writes a relative
// path and which dag.CurrentModule().Workdir reads.
type releaseLayout struct {
	oci.Release
	// dir is the layout's directory, relative to the working directory.
	dir string
}

// directory hands the layout back to the engine, for tool containers.
func (l releaseLayout) directory() *dagger.Directory {
	return dag.CurrentModule().Workdir(l.dir)
}

// layout writes the release of images (in platform order) as a normalised
// OCI layout: the engine's multi-platform archive, with every config's
// created and history timestamps set to the commit time and the layers
// untouched. The engine stamps its own time on every archive it writes
// (AsTarball, Publish, Export alike), so the rewrite happens here, in the
// module, and crane pushes the result as is.
func (m *EchoServer) layout(ctx context.Context, meta *metadata, images []platformImage) (releaseLayout, error) {
	variants := make([]*dagger.Container, 0, len(images)-1)
	for _, img := range images[1:] {
		variants = append(variants, img.image)
	}
	name := "release-" + rand.Text()
	archive := name + ".engine.tar"
	if _, err := images[0].image.AsTarball(dagger.ContainerAsTarballOpts{PlatformVariants: variants}).Export(ctx, archive); err != nil {
		return releaseLayout{}, fmt.Errorf("export the images as an OCI archive: %w", err)
	}
	defer os.Remove(archive)
	f, err := os.Open(archive)
	if err != nil {
		return releaseLayout{}, fmt.Errorf("write the release: %w", err)
	}
	defer f.Close()
	rel, err := oci.Normalise(f, name, meta.epoch)
	if err != nil {
		return releaseLayout{}, fmt.Errorf("normalise the release: %w", err)
	}
	return releaseLayout{Release: rel, dir: name}, nil
}

// gatedLayout gates (vet, test, a build for every platform) and writes the
// release of platforms.
func (m *EchoServer) gatedLayout(ctx context.Context, meta *metadata, platforms []platform.Platform) (releaseLayout, error) {
	images, err := m.gate(ctx, meta, platforms)
	if err != nil {
		return releaseLayout{}, err
	}
	return m.layout(ctx, meta, images)
}

// tarball gates and writes the release of platforms as one OCI archive.
func (m *EchoServer) tarball(ctx context.Context, platforms []string) (*dagger.File, error) {
	ps, err := platformsOrDefault(platforms)
	if err != nil {
		return nil, err
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return nil, err
	}
	lay, err := m.gatedLayout(ctx, meta, ps)
	if err != nil {
		return nil, err
	}
	name := lay.dir + ".tar"
	out, err := os.Create(name)
	if err != nil {
		return nil, fmt.Errorf("write the release archive: %w", err)
	}
	if err := oci.WriteArchive(lay.dir, out); err != nil {
		out.Close()
		return nil, fmt.Errorf("write the release archive: %w", err)
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("write the release archive: %w", err)
	}
	return dag.CurrentModule().WorkdirFile(name), nil
}

// platformLayout writes the image of one platform of the release as a layout
// of its own, for syft.
func platformLayout(lay releaseLayout, p string) (*dagger.Directory, oci.Image, error) {
	dir := lay.dir + "-" + rand.Text()
	img, err := oci.ExtractPlatform(lay.dir, p, dir)
	if err != nil {
		return nil, img, fmt.Errorf("extract the %s image of the release: %w", p, err)
	}
	return dag.CurrentModule().Workdir(dir), img, nil
}
