package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	"dagger/echo-server/checklist"
	"dagger/echo-server/imagespec"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/labels"
	"dagger/echo-server/oci"
	"dagger/echo-server/platform"

	"golang.org/x/sync/errgroup"
)

// releaseLayout is a release written as an OCI image layout in the module's
// working directory. Relative paths are the
// handover with the engine: the module runs in the runtime workdir, where
// File.Export writes a relative path and which dag.CurrentModule().Workdir
// reads.
type releaseLayout struct {
	oci.Release
	// dir is the layout's directory, relative to the working directory.
	dir string
}

// directory hands the layout back to the engine, for tool containers.
func (l releaseLayout) directory() *dagger.Directory {
	return dag.CurrentModule().Workdir(l.dir)
}

// archiveFile writes the layout in dir as an OCI archive beside it and
// hands that back to the engine.
func archiveFile(dir string) (*dagger.File, error) {
	name := dir + ".tar"
	if err := writeArchive(dir, name); err != nil {
		return nil, err
	}
	return dag.CurrentModule().WorkdirFile(name), nil
}

// container is the image of p of the release, imported into the engine:
// what is run and tested is exactly the bytes that ship. The import reads
// an archive of that one image: from the whole index the engine would take
// the first image whose platform p can run (an amd64 engine runs 386), not
// necessarily p's. The port is declared to the engine too, for as-service.
func (l releaseLayout) container(ctx context.Context, p platform.Platform) (*dagger.Container, error) {
	dir, _, err := l.extract(p.String())
	if err != nil {
		return nil, err
	}
	archive, err := archiveFile(dir)
	if err != nil {
		return nil, err
	}
	ctr, err := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.String())}).
		Import(archive).
		WithExposedPort(imagespec.Port).
		Sync(ctx)
	if err != nil {
		return nil, fmt.Errorf("import the %s image of the release: %w", p, err)
	}
	return ctr, nil
}

// gate runs vet and test once and assembles the release of platforms, all
// concurrently; the first failure cancels the rest and is returned with the
// failing step's output. auth reads the base image.
func (m *EchoServer) gate(ctx context.Context, meta *metadata, platforms []platform.Platform, auth destination) (releaseLayout, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := m.vet(gctx); return err })
	g.Go(func() error { _, err := m.test(gctx); return err })
	var lay releaseLayout
	g.Go(func() (err error) {
		lay, err = m.layout(gctx, meta, platforms, "", auth)
		return err
	})
	err := g.Wait() // lay is set once every step is done
	return lay, err
}

// layout assembles the release of platforms, as ko does: for each platform
// the base image exactly as its registry serves it plus one layer written
// here, whose every timestamp, like the config's, is the commit time, so the
// same commit gives the same digest whatever state the engine's cache is
// in. Each image's config is then held to the production checklist. fresh is
// passed to binary; auth reads the base image.
func (m *EchoServer) layout(ctx context.Context, meta *metadata, platforms []platform.Platform, fresh string, auth destination) (releaseLayout, error) {
	cfg, err := imagespec.Config(m.user(), m.healthcheck(), meta.labels, meta.epoch)
	if err != nil {
		return releaseLayout{}, err
	}
	images := make([]oci.PlatformImage, len(platforms))
	g, gctx := errgroup.WithContext(ctx)
	for i, p := range platforms {
		g.Go(func() (err error) {
			images[i], err = m.platformImage(gctx, p, meta, fresh, auth)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return releaseLayout{}, err
	}
	lay := releaseLayout{dir: "release-" + rand.Text()}
	if lay.Release, err = oci.Assemble(lay.dir, images, cfg); err != nil {
		return releaseLayout{}, fmt.Errorf("assemble the release: %w", err)
	}
	required := labels.Keys(meta.meta)
	for _, img := range lay.Images {
		got, err := oci.Inspect(lay.dir, img.Platform, imagespec.BinaryPath)
		if err != nil {
			return releaseLayout{}, fmt.Errorf("inspect the %s image of the release: %w", img.Platform, err)
		}
		if err := checklist.Error(checklist.Check(got, required)); err != nil {
			return releaseLayout{}, fmt.Errorf("the %s image of the release: %w", img.Platform, err)
		}
	}
	return lay, nil
}

// writeArchive writes the layout in dir as the OCI archive name.
func writeArchive(dir, name string) error {
	out, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("write the release archive: %w", err)
	}
	if err := oci.WriteArchive(dir, out); err != nil {
		out.Close()
		return fmt.Errorf("write the release archive: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write the release archive: %w", err)
	}
	return nil
}

// tarball gates and returns the release of platforms as one OCI archive.
func (m *EchoServer) tarball(ctx context.Context, platforms []string) (*dagger.File, error) {
	ps, err := platformsOrDefault(platforms)
	if err != nil {
		return nil, err
	}
	meta, err := m.metadata(ctx)
	if err != nil {
		return nil, err
	}
	lay, err := m.gate(ctx, meta, ps, destination{})
	if err != nil {
		return nil, err
	}
	return archiveFile(lay.dir)
}

// extract writes the image of platform p of the release as a layout of its
// own, for syft and for the engine's import, and returns its directory.
func (l releaseLayout) extract(p string) (string, oci.Image, error) {
	dir := l.dir + "-" + rand.Text()
	img, err := oci.ExtractPlatform(l.dir, p, dir)
	if err != nil {
		return "", img, fmt.Errorf("extract the %s image of the release: %w", p, err)
	}
	return dir, img, nil
}
