package oci

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"dagger/echo-server/checklist"

	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Inspect reads from the image of platform in the release layout dir what
// the production checklist looks at: the config's user, entrypoint,
// healthcheck and labels, and the owner and mode of the file at binaryPath
// in the image's filesystem (nil when the image has no regular file there).
// It is the release itself that is inspected, the bytes that ship.
func Inspect(dir, platform, binaryPath string) (checklist.Image, error) {
	var got checklist.Image
	idx, desc, err := platformImage(dir, platform)
	if err != nil {
		return got, err
	}
	img, err := idx.Image(desc.Digest)
	if err != nil {
		return got, fmt.Errorf("image %s: %w", desc.Digest, err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return got, fmt.Errorf("image %s: config: %w", desc.Digest, err)
	}
	got.User, got.Entrypoint, got.Labels = cf.Config.User, cf.Config.Entrypoint, cf.Config.Labels
	if hc := cf.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		got.Healthcheck = &checklist.Healthcheck{Args: hc.Test[1:], Shell: hc.Test[0] == "CMD-SHELL"}
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	want := strings.TrimPrefix(binaryPath, "/")
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil {
			return got, fmt.Errorf("image %s: read %s: %w", desc.Digest, binaryPath, err)
		}
		if strings.TrimPrefix(hdr.Name, "/") == want && hdr.Typeflag == tar.TypeReg {
			mode := hdr.FileInfo().Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
			got.Binary = &checklist.File{Path: binaryPath, UID: hdr.Uid, GID: hdr.Gid, Mode: mode}
			return got, nil
		}
	}
}
