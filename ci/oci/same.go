package oci

import (
	"fmt"
	"strings"
)

// Same returns nil when rebuilt is the very release want, else one line
// that says which platform's image differs (or that only the index does),
// so a reproducibility failure points at the image to compare.
func Same(want, rebuilt Release) error {
	if want.Digest == rebuilt.Digest {
		return nil
	}
	got := make(map[string]string, len(rebuilt.Images))
	for _, img := range rebuilt.Images {
		got[img.Platform] = img.Digest
	}
	var diffs []string
	for _, img := range want.Images {
		d, ok := got[img.Platform]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s is missing from the rebuild", img.Platform))
		} else if d != img.Digest {
			diffs = append(diffs, fmt.Sprintf("%s image %s, rebuilt %s", img.Platform, img.Digest, d))
		}
		delete(got, img.Platform)
	}
	for _, img := range rebuilt.Images {
		if _, extra := got[img.Platform]; extra {
			diffs = append(diffs, fmt.Sprintf("%s is only in the rebuild", img.Platform))
		}
	}
	if len(diffs) == 0 {
		diffs = []string{"every image is the same, the index is not"}
	}
	return fmt.Errorf("release %s, rebuilt %s: %s", want.Digest, rebuilt.Digest, strings.Join(diffs, "; "))
}
