// Echo-server image pipeline: vet, test and build the echo server, assemble a
// hardened runtime image, smoke-test it as a service, then publish and sign it.
package main

import (
	"context"

	"dagger/echo-server/internal/dagger"
)

// EchoServer is the pipeline for the echo-server image.
type EchoServer struct {
	// Source holds the echo-server Go module.
	Source *dagger.Directory
	// Builder is the Go toolchain image.
	Builder string
}

func New(
	// The repository checkout; only echo-server/ is uploaded.
	// +defaultPath="/"
	// +ignore=["**", "!echo-server/**"]
	source *dagger.Directory,
	// Go toolchain image.
	// +optional
	// +default="golang:1.26.8-alpine3.23@sha256:a8fa79c5bd40d880b52bd3b6d7669ecdcfd00e85facdd427d279efb5ddd79cb1"
	builder string,
) *EchoServer {
	return &EchoServer{Source: source.Directory("echo-server"), Builder: builder}
}

// Vet runs go vet on the echo server and returns its output.
func (m *EchoServer) Vet(ctx context.Context) (string, error) {
	return dag.Container().From(m.Builder).
		WithMountedDirectory("/src", m.Source).
		WithWorkdir("/src").
		WithExec([]string{"go", "vet", "./..."}).
		CombinedOutput(ctx)
}
