// Package workflow reads the GitHub Actions workflow of the repository, so
// that tests can hold it to the rules CI depends on: every action pinned to
// a commit, and the Dagger CLI at the engine version of dagger.json.
package workflow

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Workflow is the part of a workflow file the rules look at.
type Workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]Job `yaml:"jobs"`
}

// Job is one job of a workflow.
type Job struct {
	If    string `yaml:"if"`
	Needs any    `yaml:"needs"`
	Steps []Step `yaml:"steps"`
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
