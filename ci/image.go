package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"dagger/echo-server/imagespec"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
)

// image assembles the runtime image for p: the pinned base plus ONE layer
// holding everything the pipeline adds (the unprivileged account in
// /etc/passwd and /etc/group, the static binary owned by root), with every
// timestamp set to the commit time so the layer has the same bytes on every
// build; then config only: a numeric USER, the binary as entrypoint, an
// exec-form healthcheck and the labels. Nothing runs inside the target
// platform, so no emulation is needed. fresh is passed to binary.
func (m *EchoServer) image(ctx context.Context, p platform.Platform, meta *metadata, fresh string) (*dagger.Container, error) {
	bin, err := m.binary(ctx, p, meta, fresh)
	if err != nil {
		return nil, err
	}
	user := imagespec.User{Name: m.User, UID: m.UID}
	health := imagespec.Healthcheck{
		Interval:      m.HealthInterval,
		Timeout:       m.HealthTimeout,
		StartPeriod:   m.HealthStartPeriod,
		StartInterval: m.HealthStartInterval,
		Retries:       m.HealthRetries,
	}
	if err := health.Validate(); err != nil {
		return nil, err
	}

	base := dag.Container(dagger.ContainerOpts{Platform: dagger.Platform(p.String())}).From(m.RuntimeImage)
	passwd, err := base.File("/etc/passwd").Contents(ctx)
	if err != nil {
		return nil, fmt.Errorf("read /etc/passwd of %s: %w", m.RuntimeImage, err)
	}
	group, err := base.File("/etc/group").Contents(ctx)
	if err != nil {
		return nil, fmt.Errorf("read /etc/group of %s: %w", m.RuntimeImage, err)
	}
	passwd, group, err = user.AddTo(passwd, group)
	if err != nil {
		return nil, err
	}

	// Paths in a directory are relative; the layer lands on "/".
	layer := dag.Directory().
		WithNewFile("etc/passwd", passwd, dagger.DirectoryWithNewFileOpts{Permissions: 0o644}).
		WithNewFile("etc/group", group, dagger.DirectoryWithNewFileOpts{Permissions: 0o644}).
		WithFile(strings.TrimPrefix(imagespec.BinaryPath, "/"), bin, dagger.DirectoryWithFileOpts{Permissions: imagespec.BinaryMode, Owner: "0:0"}).
		WithTimestamps(int(meta.epoch.Unix()))
	img := base.
		WithDirectory("/", layer).
		WithUser(user.Spec()).
		WithEntrypoint(imagespec.Entrypoint()).
		WithExposedPort(imagespec.Port).
		WithDockerHealthcheck(imagespec.HealthcheckArgs(), dagger.ContainerWithDockerHealthcheckOpts{
			Interval:      health.Interval,
			Timeout:       health.Timeout,
			StartPeriod:   health.StartPeriod,
			StartInterval: health.StartInterval,
			Retries:       health.Retries,
		})
	for _, k := range slices.Sorted(maps.Keys(meta.labels)) {
		img = img.WithLabel(k, meta.labels[k])
	}
	img, err = img.Sync(ctx)
	if err != nil {
		return nil, stepError("assemble the "+p.String()+" image", err)
	}
	return img, nil
}
