package oci

import "testing"

func TestSame(t *testing.T) {
	const (
		idx1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
		idx2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
		amd  = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		arm  = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		arm2 = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	)
	release := Release{Digest: idx1, Images: []Image{{"linux/amd64", amd, ""}, {"linux/arm64", arm, ""}}}
	tests := []struct {
		name    string
		rebuilt Release
		want    string
	}{
		{"same digest", Release{Digest: idx1, Images: release.Images}, ""},
		{"one platform differs", Release{Digest: idx2, Images: []Image{{"linux/amd64", amd, ""}, {"linux/arm64", arm2, ""}}},
			"release " + idx1 + ", rebuilt " + idx2 + ": linux/arm64 image " + arm + ", rebuilt " + arm2},
		{"only the index differs", Release{Digest: idx2, Images: release.Images},
			"release " + idx1 + ", rebuilt " + idx2 + ": every image is the same, the index is not"},
		{"platform missing and extra", Release{Digest: idx2, Images: []Image{{"linux/amd64", amd, ""}, {"linux/s390x", arm, ""}}},
			"release " + idx1 + ", rebuilt " + idx2 + ": linux/arm64 is missing from the rebuild; linux/s390x is only in the rebuild"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Same(release, tt.rebuilt)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Same:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
