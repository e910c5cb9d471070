package main

import (
	"context"
	"errors"
	"fmt"

	"dagger/echo-server/gobuild"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
)

// srcDir is where the echo server's module is mounted in the builder.
const srcDir = "/src"

// goContainer is the builder image with the sources and the Go module and
// build caches mounted.
func (m *EchoServer) goContainer() *dagger.Container {
	ctr := dag.Container().From(m.BuilderImage).
		WithMountedCache("/go/pkg/mod", dag.CacheVolume("echo-server-go-mod")).
		WithMountedCache("/root/.cache/go-build", dag.CacheVolume("echo-server-go-build"))
	for _, kv := range gobuild.Env() {
		ctr = ctr.WithEnvVariable(kv[0], kv[1])
	}
	return ctr.WithMountedDirectory(srcDir, m.Source).WithWorkdir(srcDir)
}

func (m *EchoServer) vet(ctx context.Context) (string, error) {
	return run(ctx, "go vet", m.goContainer(), gobuild.Vet(m.VetFlags))
}

func (m *EchoServer) test(ctx context.Context) (string, error) {
	return run(ctx, "go test", m.goContainer(), gobuild.Test(m.TestFlags))
}

// binary cross-compiles the static binary for p on the engine's platform.
func (m *EchoServer) binary(p platform.Platform, meta *metadata) (*dagger.File, error) {
	const out = "/out/echo-server"
	args, err := gobuild.Build(meta.stamp, m.Ldflags, m.BuildFlags, out)
	if err != nil {
		return nil, err
	}
	ctr := m.goContainer()
	for _, kv := range p.GoEnv() {
		ctr = ctr.WithEnvVariable(kv[0], kv[1])
	}
	return ctr.WithExec(args).File(out), nil
}

// run executes args in ctr and returns the combined output; a non-zero exit
// is an error that carries that output, so a failing step shows why. A
// failure is not cached: the next call runs the step again.
func run(ctx context.Context, step string, ctr *dagger.Container, args []string) (string, error) {
	out, err := ctr.WithExec(args).CombinedOutput(ctx)
	if err != nil {
		return "", fmt.Errorf("%s failed: %w", step, withOutput(err))
	}
	return out, nil
}

// withOutput adds the output of a failed command to err, so that a failing
// build shows the compiler's message.
func withOutput(err error) error {
	var exec *dagger.ExecError
	if errors.As(err, &exec) {
		return fmt.Errorf("%w\n%s%s", err, exec.Stdout, exec.Stderr)
	}
	return err
}
