package workflow

import (
	"slices"
	"testing"
)

func TestUnpinned(t *testing.T) {
	uses := []string{
		"actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd",
		"actions/checkout@v6",
		"dagger/dagger-for-github@main",
		"github/codeql-action/init@de0fac2e4500dabe0009e67214ff5f5447ce83dd",
		"actions/setup-go@4a3601121dd01d1626a1e23e37211e3254c1c06",  // 39 hex
		"actions/setup-go@4A3601121DD01D1626A1E23E37211E3254C1C06C", // upper case
	}
	got := Unpinned(uses)
	want := []string{
		"actions/checkout@v6",
		"dagger/dagger-for-github@main",
		"actions/setup-go@4a3601121dd01d1626a1e23e37211e3254c1c06",
		"actions/setup-go@4A3601121DD01D1626A1E23E37211E3254C1C06C",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Unpinned = %q\nwant %q", got, want)
	}
}

func TestParseRejectsNonWorkflows(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"jobs: [", "parse workflow: yaml: line 1: did not find expected node content"},
		{"name: x\n", "parse workflow: no jobs"},
		{"jobs: {}\n", "parse workflow: no jobs"},
		{"", "parse workflow: no jobs"},
	}
	for _, tt := range tests {
		w, err := Parse([]byte(tt.doc))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want error %q", tt.doc, w, err, tt.want)
		}
	}
}

// sample has two jobs written out of name order, steps with and without
// actions, and an action whose name extends another's.
const sample = `
on: {push: {tags: ["v*"]}}
jobs:
  test:
    steps:
      - uses: actions/checkout@v6
      - run: make test
      - name: check
        uses: dagger/dagger-for-github@abc
        with: {verb: call, args: check}
  publish:
    if: startsWith(github.ref, 'refs/tags/v')
    needs: test
    steps:
      - uses: dagger/dagger-for-github-extra@def
      - name: publish
        uses: dagger/dagger-for-github@abc
        env: {TOKEN: x}
`

func TestParse(t *testing.T) {
	w, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Uses(), []string{
		"dagger/dagger-for-github-extra@def", "dagger/dagger-for-github@abc", // publish
		"actions/checkout@v6", "dagger/dagger-for-github@abc", // test
	}; !slices.Equal(got, want) {
		t.Errorf("Uses = %q\nwant %q", got, want)
	}
	steps := w.StepsUsing("dagger/dagger-for-github")
	var names []string
	for _, s := range steps {
		names = append(names, s.Name)
	}
	if want := []string{"publish", "check"}; !slices.Equal(names, want) {
		t.Errorf("StepsUsing(dagger/dagger-for-github) = steps %q, want %q", names, want)
	}
	if got := steps[1].With; got["verb"] != "call" || got["args"] != "check" {
		t.Errorf("check step with = %v", got)
	}
	if got := steps[0].Env["TOKEN"]; got != "x" {
		t.Errorf("publish step env TOKEN = %q, want x", got)
	}
	if got := w.Jobs["publish"]; got.If != "startsWith(github.ref, 'refs/tags/v')" || got.Needs != "test" {
		t.Errorf("publish job = if %q needs %v", got.If, got.Needs)
	}
	if got := w.Jobs["test"].Steps[1].Run; got != "make test" {
		t.Errorf("test job's second step runs %q, want make test", got)
	}
	if _, ok := w.On["push"]; !ok {
		t.Errorf("on = %v, want a push trigger", w.On)
	}
	if got := w.StepsUsing("actions/setup-go"); len(got) != 0 {
		t.Errorf("StepsUsing(actions/setup-go) = %v, want none", got)
	}
}
