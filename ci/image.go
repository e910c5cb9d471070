package main

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"dagger/echo-server/imagespec"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
)

// image assembles the runtime image for p: the pinned base, an unprivileged
// account, the static binary owned by root, a numeric USER, the binary as
// entrypoint, an exec-form healthcheck and the labels. Nothing runs inside
// the target platform, so no emulation is needed.
func (m *EchoServer) image(ctx context.Context, p platform.Platform, meta *metadata) (*dagger.Container, error) {
	bin, err := m.binary(p, meta)
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

	root := dagger.ContainerWithNewFileOpts{Permissions: 0o644, Owner: "0:0"}
	img := base.
		WithNewFile("/etc/passwd", passwd, root).
		WithNewFile("/etc/group", group, root).
		WithFile(imagespec.BinaryPath, bin, dagger.ContainerWithFileOpts{Permissions: imagespec.BinaryMode, Owner: "0:0"}).
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
		return nil, fmt.Errorf("build the %s image: %w", p, withOutput(err))
	}
	return img, nil
}
