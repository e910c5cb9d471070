module dagger/echo-server/hack/coldbuild

go 1.26.1

require dagger/echo-server v0.0.0

require (
	github.com/containerd/log v0.1.0 // indirect
	github.com/containerd/platforms v1.0.0-rc.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
	github.com/sirupsen/logrus v1.9.4 // indirect
	golang.org/x/sys v0.47.0 // indirect
)

// The pipeline's own packages (gobuild, platform), from the checkout: the
// replay runs exactly the commands the module would.
replace dagger/echo-server => ../..
