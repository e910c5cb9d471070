package ref

import (
	"reflect"
	"strings"
	"testing"
)

// TestTagsTrimEveryCandidate: the git version and commit, like every
// --tags entry, are used without the white space around them; "unknown"
// is skipped only when it comes from git.
func TestTagsTrimEveryCandidate(t *testing.T) {
	sha := strings.Repeat("ab", 20)
	for _, tt := range []struct {
		explicit        []string
		version, commit string
		want            []string
	}{
		{nil, " v1.2.3\n", "\t" + sha + " ", []string{"v1.2.3", sha}},
		{nil, " unknown ", sha, []string{sha}},
		{nil, "v1", " unknown\n", []string{"v1"}},
		{[]string{" a ,\tb\n"}, "v1", sha, []string{"a", "b"}},
		{[]string{"unknown"}, "v1", sha, []string{"unknown"}},
	} {
		got, err := Tags(tt.explicit, tt.version, tt.commit, false)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tags(%q, %q, %q) = %q, %v; want %q", tt.explicit, tt.version, tt.commit, got, err, tt.want)
		}
	}
}

// TestParseRepositoryQuotesTheInput: every error quotes the argument as the
// user gave it, white space included, while the parsing ignores that space.
func TestParseRepositoryQuotesTheInput(t *testing.T) {
	digest := "sha256:" + strings.Repeat("ab", 32)
	for _, tt := range []struct{ in, reason string }{
		{" ghcr.io/acme/echo@" + digest + "\n", `digest "@` + digest + `" is not accepted here (tags go in --tags)`},
		{" ghcr.io/acme/echo:1\n", `tag ":1" is not accepted here (tags go in --tags)`},
		{" echo\n", "strict validation requires the registry to be explicitly defined"},
	} {
		if _, err := ParseRepository(tt.in); err == nil || err.Error() != invalid(tt.in, tt.reason) {
			t.Errorf("ParseRepository(%q) error = %v\nwant %s", tt.in, err, invalid(tt.in, tt.reason))
		}
	}
}
