package main

import (
	"context"
	"errors"
	"fmt"

	"dagger/echo-server/failure"
	"dagger/echo-server/gobuild"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/platform"
)

// Paths in the builder: the echo server's module, and the binary built.
const (
	srcDir    = "/src"
	binaryOut = "/out/echo-server"
)

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

// prepared is goContainer after gobuild.Prepare has compiled every package
// that vet, test and the build for the engine's own platform compile. The
// three start from it at the same time, and the engine runs that exec once
// for all of them (identical calls of a session are single-flighted), so
// the standard library is compiled once instead of by each of them at once
// on the same cores.
func (m *EchoServer) prepared() *dagger.Container {
	return m.goContainer().WithExec(gobuild.Prepare())
}

func (m *EchoServer) vet(ctx context.Context) (string, error) {
	return run(ctx, "go vet", m.prepared(), gobuild.Vet(m.VetFlags))
}

func (m *EchoServer) test(ctx context.Context) (string, error) {
	return run(ctx, "go test", m.prepared(), gobuild.Test(m.TestFlags))
}

// goVersion is the builder's Go version as `go env GOVERSION` prints it,
// e.g. go1.26.8: the stdlib version the SBOM must name.
func (m *EchoServer) goVersion(ctx context.Context) (string, error) {
	return run(ctx, "go env GOVERSION", m.goContainer(), []string{"go", "env", "GOVERSION"})
}

// binary cross-compiles the static binary for p on the engine's platform.
// A non-empty fresh compiles it again from scratch, bypassing both the
// engine's cache (fresh is a nonce) and Go's build cache: check uses it to
// prove that a rebuild gives the same bytes. The build for the engine's own
// platform starts from the prepared container, like vet and test; a cross
// build shares nothing with them and starts at once.
func (m *EchoServer) binary(ctx context.Context, p platform.Platform, meta *metadata, fresh string) (*dagger.File, error) {
	args, err := gobuild.Build(meta.stamp, m.Ldflags, m.BuildFlags, binaryOut)
	if err != nil {
		return nil, err
	}
	ctr := m.goContainer()
	if fresh == "" {
		native, err := m.platform(ctx, "")
		if err != nil {
			return nil, err
		}
		if p == native {
			ctr = m.prepared()
		}
	}
	for _, kv := range p.GoEnv() {
		ctr = ctr.WithEnvVariable(kv[0], kv[1])
	}
	if fresh != "" {
		// A tmpfs, empty for every exec: the once-used build cache of a
		// rebuild never lands in the engine's snapshots.
		ctr = ctr.WithMountedTemp(gobuild.FreshCache)
		for _, kv := range gobuild.FreshEnv(fresh) {
			ctr = ctr.WithEnvVariable(kv[0], kv[1])
		}
	}
	built, err := ctr.WithExec(args).Sync(ctx)
	if err != nil {
		return nil, stepError("go build ("+p.String()+")", err)
	}
	return built.File(binaryOut), nil
}

// run executes args in ctr and returns the combined output. A non-zero exit
// is an error that names the step and quotes the telling part of its output,
// so the last line a user reads says what failed. A failure is not cached:
// the next call runs the step again.
func run(ctx context.Context, step string, ctr *dagger.Container, args []string) (string, error) {
	out, err := ctr.WithExec(args).CombinedOutput(ctx)
	if err != nil {
		return "", stepError(step, err)
	}
	return out, nil
}

// stepError explains the failure of a command: the step and the excerpt of
// its output for a non-zero exit, else the engine's error.
func stepError(step string, err error) error {
	var exec *dagger.ExecError
	if errors.As(err, &exec) {
		return failure.Step(step, exec.Stdout+exec.Stderr)
	}
	return fmt.Errorf("%s: %w", step, err)
}

// execOutput is the output of a failed command, "" for any other error.
func execOutput(err error) string {
	var exec *dagger.ExecError
	if errors.As(err, &exec) {
		return exec.Stdout + exec.Stderr
	}
	return ""
}
