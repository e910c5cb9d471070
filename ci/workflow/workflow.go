// Package workflow reads the GitHub Actions workflows of the repository, so
// that tests can hold them to the rules CI depends on: every action pinned
// to a commit, the Dagger CLI at the engine version of dagger.json, the
// same commands on hosted and self-hosted runners, and no pull request
// from a fork on the shared engine.
package workflow

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Workflow is the part of a workflow file the rules look at.
type Workflow struct {
	On   map[string]any    `yaml:"on"`
	Env  map[string]string `yaml:"env"`
	Jobs map[string]Job    `yaml:"jobs"`
}

// Job is one job of a workflow.
type Job struct {
	Name        string            `yaml:"name"`
	If          string            `yaml:"if"`
	Needs       any               `yaml:"needs"`
	RunsOn      any               `yaml:"runs-on"`
	Permissions map[string]string `yaml:"permissions"`
	Steps       []Step            `yaml:"steps"`
}

// Step is one step of a job.
type Step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// Parse decodes a workflow file that has at least one job.
func Parse(data []byte) (*Workflow, error) {
	var w Workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("parse workflow: %w", err)
	}
	if len(w.Jobs) == 0 {
		return nil, fmt.Errorf("parse workflow: no jobs")
	}
	return &w, nil
}

// Uses lists every action a workflow uses, job by job in name order.
func (w *Workflow) Uses() []string {
	var uses []string
	for _, name := range slices.Sorted(maps.Keys(w.Jobs)) {
		for _, s := range w.Jobs[name].Steps {
			if s.Uses != "" {
				uses = append(uses, s.Uses)
			}
		}
	}
	return uses
}

// pinned is OWNER/REPO[/PATH]@<40 hex>: a commit, which cannot move as a tag can.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$`)

// Unpinned returns the actions not pinned to a full commit SHA.
func Unpinned(uses []string) []string {
	var bad []string
	for _, u := range uses {
		if !pinned.MatchString(u) {
			bad = append(bad, u)
		}
	}
	return bad
}

// StepsUsing returns every step, in any job, that uses action (OWNER/REPO).
func (w *Workflow) StepsUsing(action string) []Step {
	var steps []Step
	for _, name := range slices.Sorted(maps.Keys(w.Jobs)) {
		for _, s := range w.Jobs[name].Steps {
			if strings.HasPrefix(s.Uses, action+"@") {
				steps = append(steps, s)
			}
		}
	}
	return steps
}

// Triggers returns the events a workflow runs on, sorted.
func (w *Workflow) Triggers() []string {
	return slices.Sorted(maps.Keys(w.On))
}

// The conditions that split the jobs between GitHub's hosted runners and the
// self-hosted runners of the shared engine, one the negation of the other
// (De Morgan), so that every event runs each job exactly once. The shared
// engine is on when the repository variable DAGGER_RUNNER_LABEL is set; a
// pull request from a fork (its head is another repository) never runs
// there.
const (
	HostedRunners = "vars.DAGGER_RUNNER_LABEL == '' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository)"
	SharedEngine  = "vars.DAGGER_RUNNER_LABEL != '' && (github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository)"
)

// Guarded tells whether a job's if makes it run only when guard holds: if
// is guard itself, or conditions joined by && only, then && (guard). Space
// is normalised and ${{ }} around the whole may be left out, as GitHub
// allows.
func Guarded(cond, guard string) bool {
	cond = strings.Join(strings.Fields(cond), " ")
	if inner, ok := strings.CutPrefix(cond, "${{"); ok {
		if inner, ok = strings.CutSuffix(inner, "}}"); ok {
			cond = strings.TrimSpace(inner)
		}
	}
	if cond == guard {
		return true
	}
	before, ok := strings.CutSuffix(cond, " && ("+guard+")")
	return ok && before != "" && !strings.Contains(before, "||")
}

// actionFlags are the Dagger CLI flags dagger-for-github passes when its
// dagger-flags input is left out.
var actionFlags = []string{"--progress", "plain"}

// DaggerCommands returns the Dagger CLI commands a job runs, in step order,
// as words: those of a run step that starts with "dagger ", and those of a
// dagger-for-github step as the action (v8) builds them: dagger, its
// dagger-flags (--progress plain when left out), then its args after its
// verb (call when left out), or its call input after call, its check input
// as dagger check, its shell input after shell. A dagger-for-github step
// with none of these inputs and no other verb only installs the CLI: it
// runs no command, and so starts no engine.
func (j Job) DaggerCommands() [][]string {
	var cmds [][]string
	for _, s := range j.Steps {
		var cmd []string
		if strings.HasPrefix(s.Uses, "dagger/dagger-for-github@") {
			cmd = actionCommand(s.With)
		} else if s.Uses == "" && strings.HasPrefix(s.Run, "dagger ") {
			cmd = strings.Fields(s.Run)
		}
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

// actionCommand is the command a dagger-for-github step runs, nil for none.
func actionCommand(with map[string]string) []string {
	flags := actionFlags
	if f, ok := with["dagger-flags"]; ok {
		flags = strings.Fields(f)
	}
	command := func(verb, rest string) []string {
		cmd := append(append([]string{"dagger"}, flags...), verb)
		return append(cmd, strings.Fields(rest)...)
	}
	verb := cmp.Or(with["verb"], "call")
	if args := with["args"]; args != "" {
		return command(verb, args)
	}
	if call := with["call"]; call != "" {
		return command("call", call)
	}
	if with["check"] != "" {
		return command("check", "")
	}
	if shell := with["shell"]; shell != "" {
		return command("shell", shell)
	}
	if verb != "call" {
		return command(verb, "")
	}
	return nil // install only
}
