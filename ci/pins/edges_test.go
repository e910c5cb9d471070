package pins

import (
	"reflect"
	"testing"
)

// TestSectionFences: a fence is three backticks; two open nothing, so a
// heading after them is a heading.
func TestSectionFences(t *testing.T) {
	md := "## A\n``not a fence\n## B\nb\n~~~\n## C\n```\n## not a heading\n```\nc\n"
	for _, tt := range []struct{ title, want string }{
		{"A", "``not a fence\n"},
		{"B", "b\n~~~\n"},
		{"C", "```\n## not a heading\n```\nc\n"},
	} {
		if got, err := Section(md, tt.title); err != nil || got != tt.want {
			t.Errorf("Section(%q) = %q, %v; want %q", tt.title, got, err, tt.want)
		}
	}
}

// TestManagerFilePatterns: a pattern is a regular expression only between
// two slashes; with one of them it is a glob.
func TestManagerFilePatterns(t *testing.T) {
	for _, tt := range []struct {
		pattern, file string
		want          bool
	}{
		{"/ci/", "ci/main.go", true},
		{"/^ci/[^/]+\\.go$/", "ci/main.go", true},
		{"/ci", "ci/main.go", false},
		{"/ci", "/ci", true},
		{"ci/", "ci/main.go", false},
		{"ci/*.go", "ci/main.go", true},
		{"ci/*.go", "ci/x/main.go", false},
	} {
		r := &Renovate{CustomManagers: []Manager{{CustomType: "regex", ManagerFilePatterns: []string{tt.pattern}}}}
		ms, err := r.ManagersFor(tt.file)
		if err != nil || (len(ms) == 1) != tt.want {
			t.Errorf("pattern %q, file %q: %d managers, %v; want a match %v", tt.pattern, tt.file, len(ms), err, tt.want)
		}
	}
	// Only regex managers are run.
	for _, typ := range []string{"jsonata", "", "Regex"} {
		r := &Renovate{CustomManagers: []Manager{{CustomType: typ, ManagerFilePatterns: []string{"x"}}}}
		if ms, err := r.ManagersFor("x"); err != nil || ms != nil {
			t.Errorf("customType %q: %v, %v; want none", typ, ms, err)
		}
	}
}

// TestParseDotenvComments: a comment is a line whose first non-blank
// character is '#'; a '#' later on is part of the value.
func TestParseDotenvComments(t *testing.T) {
	got, err := ParseDotenv("#A=1\n\t# B=2\nC=3 # not a comment\nD=#4\n")
	want := []Entry{{3, "C", "3 # not a comment"}, {4, "D", "#4"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDotenv = %+v, %v; want %+v", got, err, want)
	}
}
