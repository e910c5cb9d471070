package crane

import (
	"strings"
	"testing"
)

// TestDigestCharacters: a digest is sha256: and 64 lower-case hex digits,
// each accepted at both ends of its range, the characters next to them
// refused, in what crane prints and in the local digest alike.
func TestDigestCharacters(t *testing.T) {
	const ref = "r/e:1"
	for _, c := range []string{"0", "9", "a", "f", "5", "c"} {
		d := "sha256:" + strings.Repeat(c, 64)
		if err := CheckDigest(ref, d, d+"\n"); err != nil {
			t.Errorf("digest of %q refused: %v", c, err)
		}
	}
	for _, c := range []string{"/", ":", "`", "g", "A", "F", " ", "-"} {
		d := "sha256:" + strings.Repeat("0", 63) + c
		want := "check digest of " + ref + `: local digest "` + d + `" is not sha256:<64 hex digits>`
		if err := CheckDigest(ref, d, d); err == nil || err.Error() != want {
			t.Errorf("local digest ending in %q: error = %v, want %s", c, err, want)
		}
		good := "sha256:" + strings.Repeat("0", 64)
		want = "check digest of " + ref + `: crane digest printed "` + d + `", want one digest sha256:<64 hex digits>`
		if err := CheckDigest(ref, good, d); err == nil || err.Error() != want {
			t.Errorf("printed digest ending in %q: error = %v, want %s", c, err, want)
		}
	}
	// What crane prints is trimmed of every kind of surrounding space.
	d := "sha256:" + strings.Repeat("e", 64)
	for _, out := range []string{d, d + "\n", d + "\r\n", "\t" + d + "\t", " \n" + d + "\n\n"} {
		if err := CheckDigest(ref, d, out); err != nil {
			t.Errorf("CheckDigest(%q) = %v", out, err)
		}
	}
	if insecureFlag != "--insecure" {
		t.Errorf("insecureFlag = %q, want --insecure", insecureFlag)
	}
}
