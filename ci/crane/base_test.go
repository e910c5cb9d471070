package crane

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseBase(t *testing.T) {
	hex := strings.Repeat("a", 64)
	for _, tt := range []struct {
		image   string
		want    Base
		wantErr string
	}{
		{"alpine:3.23.5@sha256:" + hex, Base{"index.docker.io/library/alpine", "sha256:" + hex}, ""},
		{"alpine@sha256:" + hex, Base{"index.docker.io/library/alpine", "sha256:" + hex}, ""},
		{"alpine:3.23.5", Base{"index.docker.io/library/alpine", ""}, ""},
		{"alpine", Base{"index.docker.io/library/alpine", ""}, ""},
		{"docker.io/library/alpine:3.23.5", Base{"index.docker.io/library/alpine", ""}, ""},
		{"mirror.example.com/alpine:3.23.5@sha256:" + hex, Base{"mirror.example.com/alpine", "sha256:" + hex}, ""},
		{"mirror.example.com/docker.io/library/alpine:3.23.5", Base{"mirror.example.com/docker.io/library/alpine", ""}, ""},
		{"localhost:5000/alpine@sha256:" + hex, Base{"localhost:5000/alpine", "sha256:" + hex}, ""},
		{"10.1.2.3:5000/base/alpine:3", Base{"10.1.2.3:5000/base/alpine", ""}, ""},
		{"Alpine:3", Base{}, `runtime image "Alpine:3": could not parse reference: Alpine:3: want REPOSITORY[:TAG][@sha256:DIGEST], e.g. alpine:3.23.5@sha256:…`},
		{"alpine@sha256:abc", Base{}, `runtime image "alpine@sha256:abc": could not parse reference: alpine@sha256:abc: want REPOSITORY[:TAG][@sha256:DIGEST], e.g. alpine:3.23.5@sha256:…`},
		{"", Base{}, `runtime image "": could not parse reference: : want REPOSITORY[:TAG][@sha256:DIGEST], e.g. alpine:3.23.5@sha256:…`},
	} {
		got, err := ParseBase(tt.image)
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("ParseBase(%q) = %+v, %q\nwant %+v, %q", tt.image, got, errText(err), tt.want, tt.wantErr)
		}
	}
	if got := (Base{"index.docker.io/library/alpine", "sha256:" + hex}).Ref(); got != "index.docker.io/library/alpine@sha256:"+hex {
		t.Errorf("Ref = %s", got)
	}
}

func TestParseDigest(t *testing.T) {
	hex := strings.Repeat("0123456789abcdef", 4)
	for _, tt := range []struct{ output, want, wantErr string }{
		{"sha256:" + hex + "\n", "sha256:" + hex, ""},
		{"  sha256:" + hex, "sha256:" + hex, ""},
		{"sha256:" + hex[:63], "", `read the digest of R: crane digest printed "sha256:` + hex[:63] + `", want one digest sha256:<64 hex digits>`},
		{"sha256:" + hex + "0", "", `read the digest of R: crane digest printed "sha256:` + hex + `0", want one digest sha256:<64 hex digits>`},
		{"sha256:" + strings.ToUpper(hex), "", `read the digest of R: crane digest printed "sha256:` + strings.ToUpper(hex) + `", want one digest sha256:<64 hex digits>`},
		{"sha512:" + hex, "", `read the digest of R: crane digest printed "sha512:` + hex + `", want one digest sha256:<64 hex digits>`},
		{"sha256:" + hex + "\nsha256:" + hex, "", `read the digest of R: crane digest printed "sha256:` + hex + `\nsha256:` + hex + `", want one digest sha256:<64 hex digits>`},
		{"", "", `read the digest of R: crane digest printed "", want one digest sha256:<64 hex digits>`},
	} {
		got, err := ParseDigest("R", tt.output)
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("ParseDigest(%q) = %q, %q\nwant %q, %q", tt.output, got, errText(err), tt.want, tt.wantErr)
		}
	}
}

func TestReadCommands(t *testing.T) {
	for _, tt := range []struct {
		got, want []string
	}{
		{Pull("r@sha256:x", "linux/arm64", "/work/base"), []string{"pull", "--format=oci", "--platform", "linux/arm64", "r@sha256:x", "/work/base"}},
		{Manifest("r@sha256:x", false), []string{"manifest", "r@sha256:x"}},
		{Manifest("r@sha256:x", true), []string{"manifest", "r@sha256:x", "--insecure"}},
		{Blob("r@sha256:x", false), []string{"blob", "r@sha256:x"}},
		{Blob("r@sha256:x", true), []string{"blob", "r@sha256:x", "--insecure"}},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("args %q, want %q", tt.got, tt.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
