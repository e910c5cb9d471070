package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"dagger/echo-server/checklist"
	"dagger/echo-server/failure"
	"dagger/echo-server/imagespec"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/labels"
	"dagger/echo-server/smoke"

	"golang.org/x/sync/errgroup"
)

// smokeHost is the service's hostname as the smoke client sees it.
const smokeHost = "echo"

// smoke starts img as a service, which the engine reports started only once
// the image's own healthcheck passes; then a client container sends it the
// smoke requests and checks every answer, and the image config is checked
// against the production checklist. It returns one line per check passed.
func (m *EchoServer) smoke(ctx context.Context, img *dagger.Container, meta *metadata) (string, error) {
	// A service is identified by its container: a nonce makes this one
	// ours alone, so that stopping it cannot stop another check's.
	svc, err := img.WithEnvVariable("SMOKE_RUN", rand.Text()).AsService().Start(ctx)
	if err != nil {
		out := execOutput(err)
		if out == "" {
			out = err.Error()
		}
		return "", failure.Service("echo-server:"+meta.stamp.Version, out)
	}
	defer func() {
		if _, err := svc.Stop(context.WithoutCancel(ctx)); err != nil {
			slog.Warn("smoke: stop the service", "err", err)
		}
	}()
	report := []string{"ok  healthcheck passed: the service started"}

	client := dag.Container().From(m.RuntimeImage, dagger.ContainerFromOpts{RegistryService: m.RuntimeRegistry}).WithServiceBinding(smokeHost, svc)
	base := "http://" + smokeHost + ":" + strconv.Itoa(imagespec.Port)
	health := smoke.Case{Name: "health", Method: "GET", Target: smoke.HealthPath}
	body, err := client.WithExec(health.Wget(base)).Stdout(ctx)
	if err != nil {
		return "", stepError("smoke GET "+smoke.HealthPath, err)
	}
	if err := smoke.CheckHealth(body); err != nil {
		return "", err
	}
	report = append(report, "ok  GET "+smoke.HealthPath)

	for _, c := range smoke.Cases() {
		body, err := client.WithExec(c.Wget(base)).Stdout(ctx)
		if err != nil {
			return "", stepError(fmt.Sprintf("smoke %s (%s %s)", c.Name, c.Method, c.Target), err)
		}
		if err := c.Check(body); err != nil {
			return "", err
		}
		report = append(report, fmt.Sprintf("ok  %s %s echoed as sent", c.Method, c.Target))
	}

	if err := m.checkConfig(ctx, img, meta); err != nil {
		return "", err
	}
	report = append(report, "ok  image config passes the production checklist")
	return strings.Join(report, "\n"), nil
}

// checkConfig checks img's config against the production checklist.
func (m *EchoServer) checkConfig(ctx context.Context, img *dagger.Container, meta *metadata) error {
	required := labels.Keys(meta.meta)
	got, err := m.inspect(ctx, img, required)
	if err != nil {
		return err
	}
	return checklist.Error(checklist.Check(got, required))
}

// inspect reads from img what the production checklist looks at. The binary
// is inspected from a container of the engine's own platform with img's root
// filesystem mounted, so images of any platform can be inspected.
func (m *EchoServer) inspect(ctx context.Context, img *dagger.Container, labelKeys []string) (checklist.Image, error) {
	var (
		got    checklist.Image
		hcArgs []string
		hcSh   bool
		values = make([]string, len(labelKeys))
	)
	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() (err error) { got.User, err = img.User(ctx); return err })
	eg.Go(func() (err error) { got.Entrypoint, err = img.Entrypoint(ctx); return err })
	eg.Go(func() (err error) { hcArgs, err = img.DockerHealthcheck().Args(ctx); return err })
	eg.Go(func() (err error) { hcSh, err = img.DockerHealthcheck().Shell(ctx); return err })
	for i, k := range labelKeys {
		eg.Go(func() (err error) { values[i], err = img.Label(ctx, k); return err })
	}
	eg.Go(func() error {
		const mnt = "/image"
		out, err := dag.Container().From(m.RuntimeImage, dagger.ContainerFromOpts{RegistryService: m.RuntimeRegistry}).
			WithMountedDirectory(mnt, img.Rootfs()).
			WithExec([]string{"stat", "-c", "%u %g %a", mnt + imagespec.BinaryPath}).
			Stdout(ctx)
		if err != nil {
			return stepError("inspect "+imagespec.BinaryPath, err)
		}
		got.Binary, err = checklist.ParseStat(imagespec.BinaryPath, out)
		return err
	})
	if err := eg.Wait(); err != nil {
		return got, fmt.Errorf("inspect the image: %w", err)
	}
	if len(hcArgs) > 0 {
		got.Healthcheck = &checklist.Healthcheck{Args: hcArgs, Shell: hcSh}
	}
	got.Labels = make(map[string]string, len(labelKeys))
	for i, k := range labelKeys {
		got.Labels[k] = values[i]
	}
	return got, nil
}
