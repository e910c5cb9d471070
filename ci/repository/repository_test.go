// Package repository_test holds the repository's own files to the rules the
// pipeline depends on: the CI workflow pins every action and runs the same
// commands as a laptop; the self-hosted workflow runs the same jobs on the
// shared engine and never a fork's pull request; the shared engine's Helm
// values fit Dagger's chart and engine; the image's healthcheck runs a
// subcommand the service has; every image default is pinned, documented
// for mirrors and kept fresh by Renovate; the committed Kyverno policy is
// the rendering.
//
// These tests read files outside ci/, so they live apart from the pure
// packages: mutation testing runs a package's tests in a copy of ci/ alone,
// where they could not find those files.
package repository_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dagger/echo-server/imagespec"
	"dagger/echo-server/policy"
	"dagger/echo-server/workflow"
)

// repoRoot is the repository root, two levels above this package.
var repoRoot = filepath.Join("..", "..")

func readWorkflow(t *testing.T) *workflow.Workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := workflow.Parse(data)
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
	if bad := workflow.Unpinned(w.Uses()); len(bad) > 0 {
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

// TestHealthcheckSubcommandExists holds imagespec.HealthcheckArgs to the
// service: its main dispatches the subcommand the healthcheck runs.
func TestHealthcheckSubcommandExists(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "echo-server", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	sub := imagespec.HealthcheckArgs()[1]
	if !strings.Contains(string(src), "case "+strconv.Quote(sub)+":") {
		t.Errorf("echo-server/main.go has no %q subcommand: the image's healthcheck would not probe", sub)
	}
}

// TestDeployPolicy keeps deploy/kyverno/verify-images.yaml byte-equal to
// what the policy function renders for the project's repository with the
// placeholder key. Regenerate it with:
//
//	cd ci && go test ./repository -run TestDeployPolicy -update-policy
func TestDeployPolicy(t *testing.T) {
	got, err := policy.Render(policy.Shipped)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(repoRoot, "deploy", "kyverno", "verify-images.yaml")
	if *updatePolicy {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the rendering of policy.Shipped; if intended, regenerate with:\n  cd ci && go test ./repository -run TestDeployPolicy -update-policy", path)
	}
}

var updatePolicy = flag.Bool("update-policy", false, "rewrite deploy/kyverno/verify-images.yaml")
