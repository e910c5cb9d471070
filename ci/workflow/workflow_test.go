package workflow

import (
	"reflect"
	"slices"
	"strings"
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

func TestGuarded(t *testing.T) {
	tag := "startsWith(github.ref, 'refs/tags/v')"
	tests := []struct {
		cond, guard string
		want        bool
	}{
		{SharedEngine, SharedEngine, true},
		{HostedRunners, HostedRunners, true},
		{"${{ " + SharedEngine + " }}", SharedEngine, true},
		{"${{" + SharedEngine + "}}", SharedEngine, true},
		{"  " + strings.ReplaceAll(SharedEngine, " && ", "\n  &&  ") + "\n", SharedEngine, true},
		{tag + " && (" + SharedEngine + ")", SharedEngine, true},
		{"${{ " + tag + " && (" + SharedEngine + ") }}", SharedEngine, true},
		{"a && !b && (" + HostedRunners + ")", HostedRunners, true},
		{"a || b && (" + SharedEngine + ")", SharedEngine, false}, // || before: a alone runs it
		{"&& (" + SharedEngine + ")", SharedEngine, false},
		{"(" + SharedEngine + ")", SharedEngine, false},
		{tag + " && " + SharedEngine, SharedEngine, false}, // not parenthesised
		{SharedEngine + " || always()", SharedEngine, false},
		{"(" + SharedEngine + ") || always()", SharedEngine, false},
		{"always() && (" + SharedEngine + ") || true", SharedEngine, false},
		{"${{ " + SharedEngine, SharedEngine, false},
		{HostedRunners, SharedEngine, false},
		{SharedEngine, HostedRunners, false},
		{"", SharedEngine, false},
		{tag, SharedEngine, false},
	}
	for _, tt := range tests {
		if got := Guarded(tt.cond, tt.guard); got != tt.want {
			t.Errorf("Guarded(%q, %q) = %v, want %v", tt.cond, tt.guard, got, tt.want)
		}
	}
}

// TestGuardsSplitEveryEvent pins the two guards word for word: each is the
// other negated (De Morgan), so every event runs a job on exactly one side.
func TestGuardsSplitEveryEvent(t *testing.T) {
	const (
		label    = "vars.DAGGER_RUNNER_LABEL"
		pr       = "github.event_name"
		sameRepo = "github.event.pull_request.head.repo.full_name"
	)
	if want := label + " != '' && (" + pr + " != 'pull_request' || " + sameRepo + " == github.repository)"; SharedEngine != want {
		t.Errorf("SharedEngine = %q\nwant %q", SharedEngine, want)
	}
	if want := label + " == '' || (" + pr + " == 'pull_request' && " + sameRepo + " != github.repository)"; HostedRunners != want {
		t.Errorf("HostedRunners = %q\nwant %q", HostedRunners, want)
	}
}

func TestDaggerCommands(t *testing.T) {
	action := "dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77"
	tests := []struct {
		name string
		step Step
		want [][]string
	}{
		{"a run step", Step{Run: "dagger --progress plain call check"}, [][]string{{"dagger", "--progress", "plain", "call", "check"}}},
		{"a folded run step", Step{Run: "dagger call\npublish --registry r\n"}, [][]string{{"dagger", "call", "publish", "--registry", "r"}}},
		{"another command", Step{Run: "make test"}, nil},
		{"dagger later in a line", Step{Run: "echo dagger call check"}, nil},
		{"dagger as a word's start", Step{Run: "daggerx call"}, nil},
		{"the action with args", Step{Uses: action, With: map[string]string{"verb": "call", "args": "check"}}, [][]string{{"dagger", "--progress", "plain", "call", "check"}}},
		{"the action's default verb", Step{Uses: action, With: map[string]string{"args": "publish --latest=true"}}, [][]string{{"dagger", "--progress", "plain", "call", "publish", "--latest=true"}}},
		{"the action without flags", Step{Uses: action, With: map[string]string{"dagger-flags": "", "args": "check"}}, [][]string{{"dagger", "call", "check"}}},
		{"the action with other flags", Step{Uses: action, With: map[string]string{"dagger-flags": "--silent", "args": "check"}}, [][]string{{"dagger", "--silent", "call", "check"}}},
		{"the action's call input", Step{Uses: action, With: map[string]string{"verb": "functions", "call": "check"}}, [][]string{{"dagger", "--progress", "plain", "call", "check"}}},
		{"the action's check input", Step{Uses: action, With: map[string]string{"check": "*"}}, [][]string{{"dagger", "--progress", "plain", "check"}}},
		{"the action's shell input", Step{Uses: action, With: map[string]string{"shell": "container | from alpine"}}, [][]string{{"dagger", "--progress", "plain", "shell", "container", "|", "from", "alpine"}}},
		{"the action with a verb alone", Step{Uses: action, With: map[string]string{"verb": "functions"}}, [][]string{{"dagger", "--progress", "plain", "functions"}}},
		{"the action installing only", Step{Uses: action, With: map[string]string{"version": "0.21.8"}}, nil},
		{"the action installing only, verb call", Step{Uses: action, With: map[string]string{"version": "0.21.8", "verb": "call"}}, nil},
		{"another action", Step{Uses: "dagger/dagger-for-github-extra@x", With: map[string]string{"args": "check"}}, nil},
		{"an action with a dagger run", Step{Uses: "actions/checkout@x", Run: "dagger call check"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Job{Steps: []Step{{Run: "true"}, tt.step}}.DaggerCommands()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DaggerCommands = %q, want %q", got, tt.want)
			}
		})
	}
	two := Job{Steps: []Step{{Run: "dagger call a"}, {Uses: action, With: map[string]string{"args": "b"}}}}
	if got, want := two.DaggerCommands(), [][]string{{"dagger", "call", "a"}, {"dagger", "--progress", "plain", "call", "b"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("DaggerCommands of two steps = %q, want %q", got, want)
	}
}

func TestTriggersAndJobFields(t *testing.T) {
	w, err := Parse([]byte(`
on:
  pull_request:
  push: {branches: [main]}
  workflow_dispatch: {}
env: {_EXPERIMENTAL_DAGGER_RUNNER_HOST: "${{ vars.DAGGER_RUNNER_HOST }}"}
jobs:
  publish:
    name: dagger call publish
    runs-on: ${{ vars.DAGGER_RUNNER_LABEL }}
    permissions: {contents: read, packages: write}
    steps: [{run: "true"}]
`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Triggers(), []string{"pull_request", "push", "workflow_dispatch"}; !slices.Equal(got, want) {
		t.Errorf("Triggers = %q, want %q", got, want)
	}
	if got := w.Env["_EXPERIMENTAL_DAGGER_RUNNER_HOST"]; got != "${{ vars.DAGGER_RUNNER_HOST }}" {
		t.Errorf("env = %q", got)
	}
	j := w.Jobs["publish"]
	if j.Name != "dagger call publish" || j.RunsOn != "${{ vars.DAGGER_RUNNER_LABEL }}" || !reflect.DeepEqual(j.Permissions, map[string]string{"contents": "read", "packages": "write"}) {
		t.Errorf("job = %+v", j)
	}
}
