package repository_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"dagger/echo-server/workflow"
)

// engineValues is the values file of Dagger's Helm chart for the shared
// engine of the self-hosted workflow (tools/deploy holds it to the chart).
const engineValues = "deploy/dagger-engine/values.yaml"

// engineVersion is the engineVersion of dagger.json, e.g. v0.21.8.
func engineVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "dagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		EngineVersion string `json:"engineVersion"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	return manifest.EngineVersion
}

// selfHostedFile is the workflow that runs ci.yml's jobs on self-hosted
// runners next to the shared engine of deploy/dagger-engine.
const selfHostedFile = ".github/workflows/ci-self-hosted.yml"

func readWorkflowFile(t *testing.T, name string) *workflow.Workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	w, err := workflow.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w
}

// untrusted are the events that run a workflow for code or input from
// outside the repository with the repository's rights: pull_request_target
// and workflow_run hand a fork's pull request the secrets, issue_comment and
// the like run on anyone's words. The shared engine's workflow has none.
var untrusted = []string{"pull_request_target", "workflow_run", "issue_comment", "pull_request_review", "pull_request_review_comment", "discussion_comment"}

// TestSelfHostedNeverRunsForks holds the rule that keeps untrusted code off
// the shared engine, whose cache every later build trusts: each job of the
// self-hosted workflow runs only when the shared engine is on and the event
// is not a pull request from a fork, and each job of ci.yml runs exactly in
// the other case, so a fork's pull request still gets its CI on hosted
// runners with a fresh engine.
func TestSelfHostedNeverRunsForks(t *testing.T) {
	hosted := readWorkflowFile(t, workflowFile)
	shared := readWorkflowFile(t, selfHostedFile)
	for _, name := range slices.Sorted(maps.Keys(shared.Jobs)) {
		if cond := shared.Jobs[name].If; !workflow.Guarded(cond, workflow.SharedEngine) {
			t.Errorf("%s: job %s runs for a pull request from a fork, or without the shared engine: its if %q must be\n  %s\nor conditions joined by && only, then && (that)", selfHostedFile, name, cond, workflow.SharedEngine)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(hosted.Jobs)) {
		if cond := hosted.Jobs[name].If; !workflow.Guarded(cond, workflow.HostedRunners) {
			t.Errorf("%s: job %s does not leave the shared engine's events to %s: its if %q must be\n  %s\nor conditions joined by && only, then && (that)", workflowFile, name, selfHostedFile, cond, workflow.HostedRunners)
		}
	}
	for _, tr := range shared.Triggers() {
		if slices.Contains(untrusted, tr) {
			t.Errorf("%s: runs on %s: it must never run code or input from outside the repository", selfHostedFile, tr)
		}
	}
	if got, want := shared.Triggers(), hosted.Triggers(); !slices.Equal(got, want) {
		t.Errorf("%s runs on %q, %s on %q: want the same events", selfHostedFile, got, workflowFile, want)
	}
	if !reflect.DeepEqual(shared.On, hosted.On) {
		t.Errorf("%s: on %v, %s: on %v: want the same branches and tags", selfHostedFile, shared.On, workflowFile, hosted.On)
	}
}

// TestSelfHostedRunsTheSameJobs holds the self-hosted workflow to ci.yml:
// the same jobs, each with the same dagger commands and arguments, the same
// other commands, the same actions at the same commits, the same secrets,
// needs and permissions; on the runners of DAGGER_RUNNER_LABEL, with the CLI
// at the engine version of dagger.json, connected to the engine of
// DAGGER_RUNNER_HOST and never starting one of its own.
func TestSelfHostedRunsTheSameJobs(t *testing.T) {
	hosted := readWorkflowFile(t, workflowFile)
	shared := readWorkflowFile(t, selfHostedFile)
	version := strings.TrimPrefix(engineVersion(t), "v")

	if got, want := slices.Sorted(maps.Keys(shared.Jobs)), slices.Sorted(maps.Keys(hosted.Jobs)); !slices.Equal(got, want) {
		t.Fatalf("%s has jobs %q, %s %q", selfHostedFile, got, workflowFile, want)
	}
	if bad := workflow.Unpinned(shared.Uses()); len(bad) > 0 {
		t.Errorf("%s: actions not pinned to a commit SHA: %q", selfHostedFile, bad)
	}
	if got, want := shared.Env["_EXPERIMENTAL_DAGGER_RUNNER_HOST"], "${{ vars.DAGGER_RUNNER_HOST }}"; got != want {
		t.Errorf("%s: env _EXPERIMENTAL_DAGGER_RUNNER_HOST %q, want %q: the CLI connects to the shared engine", selfHostedFile, got, want)
	}

	var calls int
	for _, name := range slices.Sorted(maps.Keys(hosted.Jobs)) {
		h, s := hosted.Jobs[name], shared.Jobs[name]
		if s.Name != h.Name || !reflect.DeepEqual(s.Needs, h.Needs) || !reflect.DeepEqual(s.Permissions, h.Permissions) {
			t.Errorf("job %s: name %q, needs %v, permissions %v in %s; %q, %v, %v in %s", name, s.Name, s.Needs, s.Permissions, selfHostedFile, h.Name, h.Needs, h.Permissions, workflowFile)
		}
		if s.RunsOn != "${{ vars.DAGGER_RUNNER_LABEL }}" {
			t.Errorf("%s: job %s runs on %v, want ${{ vars.DAGGER_RUNNER_LABEL }}", selfHostedFile, name, s.RunsOn)
		}
		if got, want := s.DaggerCommands(), h.DaggerCommands(); !reflect.DeepEqual(got, want) {
			t.Errorf("job %s: %s runs\n  %q\n%s runs\n  %q", name, selfHostedFile, got, workflowFile, want)
		}
		if got, want := daggerEnvs(s), daggerEnvs(h); !reflect.DeepEqual(got, want) {
			t.Errorf("job %s: the dagger commands' env %v in %s, %v in %s", name, got, selfHostedFile, want, workflowFile)
		}
		calls += len(h.DaggerCommands())
		for _, step := range h.Steps {
			if step.Run != "" && !slices.ContainsFunc(s.Steps, func(o workflow.Step) bool { return o.Run == step.Run }) {
				t.Errorf("%s: job %s lacks the step that runs %q", selfHostedFile, name, step.Run)
			}
			if step.Uses != "" && !slices.ContainsFunc(s.Steps, func(o workflow.Step) bool { return o.Uses == step.Uses }) {
				t.Errorf("%s: job %s does not use %s", selfHostedFile, name, step.Uses)
			}
		}
		checked := false // the runner host is checked before the first dagger command
		for _, step := range s.Steps {
			checked = checked || strings.Contains(step.Run, `test -n "$_EXPERIMENTAL_DAGGER_RUNNER_HOST"`)
			if strings.HasPrefix(step.Uses, "dagger/dagger-for-github@") {
				if cmds := (workflow.Job{Steps: []workflow.Step{step}}).DaggerCommands(); len(cmds) > 0 {
					t.Errorf("%s: job %s: dagger-for-github runs %q: it may only install the CLI (no args, call, check, shell or verb)", selfHostedFile, name, cmds)
				}
				if step.With["version"] != version {
					t.Errorf("%s: job %s installs Dagger %q, dagger.json wants %s", selfHostedFile, name, step.With["version"], version)
				}
			}
			if strings.HasPrefix(step.Run, "dagger ") && !checked {
				t.Errorf("%s: job %s runs %q before a step fails on an empty DAGGER_RUNNER_HOST: the CLI would start an engine of its own", selfHostedFile, name, step.Run)
			}
		}
	}
	if calls < 2 {
		t.Errorf("%s runs %d dagger commands, want check and publish", workflowFile, calls)
	}
}

// daggerEnvs is the env of every step of j that runs a dagger command.
func daggerEnvs(j workflow.Job) []map[string]string {
	var envs []map[string]string
	for _, s := range j.Steps {
		if len((workflow.Job{Steps: []workflow.Step{s}}).DaggerCommands()) > 0 {
			envs = append(envs, s.Env)
		}
	}
	return envs
}
