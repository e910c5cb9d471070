package crane

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

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

// TestParseDigestCharacters pins the digest crane prints,
// ^sha256:[0-9a-f]{64}$: each bound of the class, the characters next to
// them, and the algorithm spelled otherwise.
func TestParseDigestCharacters(t *testing.T) {
	for _, c := range []string{"0", "9", "a", "f"} {
		d := "sha256:" + strings.Repeat(c, 64)
		if got, err := ParseDigest("R", d+"\n"); err != nil || got != d {
			t.Errorf("ParseDigest(%q) = %q, %v; want it accepted", d, got, err)
		}
	}
	var bad []string
	for _, c := range []string{"/", ":", "`", "g", "A", "F", " ", "@"} {
		bad = append(bad, "sha256:"+strings.Repeat("a", 62)+c+"a", "sha256:"+c+strings.Repeat("a", 63))
	}
	bad = append(bad, "SHA256:"+strings.Repeat("a", 64), "sha512:"+strings.Repeat("a", 64), "xsha256:"+strings.Repeat("a", 64),
		"sha256:"+strings.Repeat("a", 64)+"x", "sha256:"+strings.Repeat("a", 63), "r@sha256:"+strings.Repeat("a", 64))
	for _, out := range bad {
		want := "read the digest of R: crane digest printed " + strconv.Quote(out) + ", want one digest sha256:<64 hex digits>"
		if got, err := ParseDigest("R", out); got != "" || errText(err) != want {
			t.Errorf("ParseDigest(%q) = %q, %q\nwant error %q", out, got, errText(err), want)
		}
	}
}

func TestReadCommands(t *testing.T) {
	for _, tt := range []struct {
		got, want []string
	}{
		{Pull("r@sha256:x", "linux/arm64", "/work/base", false), []string{"pull", "--format=oci", "--platform", "linux/arm64", "r@sha256:x", "/work/base"}},
		{Pull("r@sha256:x", "linux/arm/v7", "/work/base", true), []string{"pull", "--format=oci", "--platform", "linux/arm/v7", "r@sha256:x", "/work/base", "--insecure"}},
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
