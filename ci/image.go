package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"

	"dagger/echo-server/imagespec"
	"dagger/echo-server/oci"
	"dagger/echo-server/platform"

	"golang.org/x/sync/errgroup"
)

// platformImage is what the image of p is made of: its base as the
// registry serves it, and the one layer the pipeline adds (the unprivileged
// account in the base's /etc/passwd and /etc/group, and the static binary
// owned by root). Nothing runs inside the target platform, so no emulation
// is needed. fresh is passed to binary; auth reads the base.
func (m *EchoServer) platformImage(ctx context.Context, p platform.Platform, meta *metadata, fresh string, auth destination) (oci.PlatformImage, error) {
	var (
		bin  []byte
		base oci.Base
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		bin, err = m.binaryBytes(gctx, p, meta, fresh)
		return err
	})
	g.Go(func() (err error) {
		base, err = m.pullBase(gctx, meta.base, p, auth)
		return err
	})
	if err := g.Wait(); err != nil {
		return oci.PlatformImage{}, err
	}
	passwd, err := base.ReadFile("/etc/passwd")
	if err != nil {
		return oci.PlatformImage{}, err
	}
	group, err := base.ReadFile("/etc/group")
	if err != nil {
		return oci.PlatformImage{}, err
	}
	passwd, group, err = m.user().AddTo(passwd, group)
	if err != nil {
		return oci.PlatformImage{}, err
	}
	return oci.PlatformImage{Platform: p.String(), Base: base, Files: imagespec.Files(passwd, group, bin)}, nil
}

// binaryBytes compiles the binary for p and reads it into the module.
func (m *EchoServer) binaryBytes(ctx context.Context, p platform.Platform, meta *metadata, fresh string) ([]byte, error) {
	bin, err := m.binary(ctx, p, meta, fresh)
	if err != nil {
		return nil, err
	}
	local := "echo-server-" + rand.Text()
	if _, err := bin.Export(ctx, local); err != nil {
		return nil, fmt.Errorf("read the %s binary: %w", p, err)
	}
	defer os.Remove(local)
	b, err := os.ReadFile(local)
	if err != nil {
		return nil, fmt.Errorf("read the %s binary: %w", p, err)
	}
	return b, nil
}

// user is the unprivileged account the service runs as.
func (m *EchoServer) user() imagespec.User {
	return imagespec.User{Name: m.User, UID: m.UID}
}

// healthcheck is the image's healthcheck timing.
func (m *EchoServer) healthcheck() imagespec.Healthcheck {
	return imagespec.Healthcheck{
		Interval:      m.HealthInterval,
		Timeout:       m.HealthTimeout,
		StartPeriod:   m.HealthStartPeriod,
		StartInterval: m.HealthStartInterval,
		Retries:       m.HealthRetries,
	}
}
