package workflow

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository root, two levels above this package.
var repoRoot = filepath.Join("..", "..")

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
	for _, doc := range []string{"jobs: [", "name: x\n", "jobs: {}\n"} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%q): want an error", doc)
		}
	}
}

func readWorkflow(t *testing.T) *Workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRepositoryWorkflowPinsEveryAction(t *testing.T) {
	w := readWorkflow(t)
	if len(w.Uses()) == 0 {
		t.Fatal("the workflow uses no action")
	}
	if bad := Unpinned(w.Uses()); len(bad) > 0 {
		t.Errorf("actions not pinned to a commit SHA: %q", bad)
	}
}

func TestRepositoryWorkflowRunsTheSameCommands(t *testing.T) {
	w := readWorkflow(t)
	var dagger struct {
		EngineVersion string `json:"engineVersion"`
	}
	data, err := os.ReadFile(filepath.Join(repoRoot, "dagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &dagger); err != nil {
		t.Fatal(err)
	}

	steps := w.StepsUsing("dagger/dagger-for-github")
	var calls []string
	for _, s := range steps {
		if got, want := "v"+strings.TrimPrefix(s.With["version"], "v"), dagger.EngineVersion; got != want {
			t.Errorf("step %q installs Dagger %s, dagger.json wants %s", s.Name, got, want)
		}
		if s.With["verb"] != "call" {
			t.Errorf("step %q: verb %q, want call", s.Name, s.With["verb"])
		}
		calls = append(calls, strings.Fields(s.With["args"])[0])
	}
	if !slices.Contains(calls, "check") || !slices.Contains(calls, "publish") {
		t.Errorf("dagger calls %q, want check and publish", calls)
	}

	var runsTests bool
	for _, job := range w.Jobs {
		for _, s := range job.Steps {
			runsTests = runsTests || strings.TrimSpace(s.Run) == "make test"
		}
	}
	if !runsTests {
		t.Error("no step runs `make test`, the test command README.md gives")
	}

	publish, ok := w.Jobs["publish"]
	if !ok || !strings.Contains(publish.If, "refs/tags/v") {
		t.Errorf("the publish job must run on v* tags only, has if %q", publish.If)
	}
	for _, s := range w.StepsUsing("dagger/dagger-for-github") {
		if strings.Contains(s.With["args"], "secrets.") {
			t.Errorf("step %q puts a secret on the command line; pass it as env:NAME", s.Name)
		}
	}
}
