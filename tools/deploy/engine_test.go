// Package deploy_test holds deploy/ to what it deploys: the shared engine's
// Helm values to the chart and the engine of dagger.json.
package deploy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"echo-server/tools/engineconfig"
	"echo-server/tools/helmvalues"
)

// repoRoot is the repository root, two levels above this package.
var repoRoot = filepath.Join("..", "..")

// engineValues is the values file of Dagger's Helm chart for the shared
// engine of the self-hosted workflow.
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

// daggerModule returns the directory of the github.com/dagger/dagger module
// that the bindings tool pins (the engine of dagger.json; make bindings
// checks that), downloading it into the module cache if needed, as make
// bindings-check does. It holds the Helm chart (helm/dagger) and the
// engine's configuration schema.
func daggerModule(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", "github.com/dagger/dagger")
	cmd.Dir = filepath.Join(repoRoot, "ci", "hack", "bindings")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download github.com/dagger/dagger in ci/hack/bindings: %v\n%s%s", err, out, stderr.String())
	}
	var mod struct{ Version, Dir string }
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	if want := engineVersion(t); mod.Version != want {
		t.Fatalf("ci/hack/bindings pins github.com/dagger/dagger %s, dagger.json wants engine %s: run make bindings", mod.Version, want)
	}
	return mod.Dir
}

// TestEngineValues holds deploy/dagger-engine/values.yaml to the Helm chart
// of the engine version in dagger.json: every key is one the chart has
// (Helm ignores any other without a word), the engine configuration has
// only keys the engine knows (it refuses any other and does not start), and
// the values keep their promises: the engine of dagger.json, a sized
// persistent cache, resources requested, no privilege the chart does not
// need.
func TestEngineValues(t *testing.T) {
	dir := daggerModule(t)
	chartDir := filepath.Join(dir, "helm", "dagger")
	chartValues, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tpls, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	if err != nil {
		t.Fatal(err)
	}
	templates := map[string]string{}
	for _, f := range tpls {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		templates[filepath.Base(f)] = string(data)
	}
	if len(templates) < 5 {
		t.Fatalf("%s: %d templates, want the chart's", chartDir, len(templates))
	}
	chart, err := helmvalues.NewChart(chartValues, templates)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join(repoRoot, engineValues))
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := chart.Unknown(ours)
	if err != nil {
		t.Fatalf("%s: %v", engineValues, err)
	}
	for _, k := range unknown {
		t.Errorf("%s: %s is no key of Dagger's chart (%s: its values.yaml and what its templates read); Helm would ignore it", engineValues, k, chartDir)
	}

	var chartMeta struct{ Version string }
	meta, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(meta, &chartMeta); err != nil {
		t.Fatal(err)
	}
	version := engineVersion(t)
	if "v"+chartMeta.Version != version {
		t.Errorf("%s: chart version %s, dagger.json wants engine %s", chartDir, chartMeta.Version, version)
	}

	var values struct {
		Engine struct {
			Kind        string `yaml:"kind"`
			StatefulSet struct {
				PersistentVolumeClaim struct {
					Enabled   bool `yaml:"enabled"`
					Resources struct {
						Requests map[string]string `yaml:"requests"`
					} `yaml:"resources"`
				} `yaml:"persistentVolumeClaim"`
			} `yaml:"statefulSet"`
			HostPath map[string]struct {
				Enabled bool `yaml:"enabled"`
			} `yaml:"hostPath"`
			Image struct {
				Ref string `yaml:"ref"`
			} `yaml:"image"`
			Resources struct {
				Requests map[string]string `yaml:"requests"`
			} `yaml:"resources"`
			ConfigJSON string `yaml:"configJson"`
		} `yaml:"engine"`
	}
	if err := yaml.Unmarshal(ours, &values); err != nil {
		t.Fatal(err)
	}
	e := values.Engine
	if e.Kind != "StatefulSet" {
		t.Errorf("%s: engine.kind %q, want StatefulSet (the chart's only kind with a persistent volume)", engineValues, e.Kind)
	}
	if pvc := e.StatefulSet.PersistentVolumeClaim; !pvc.Enabled || pvc.Resources.Requests["storage"] == "" {
		t.Errorf("%s: engine.statefulSet.persistentVolumeClaim %+v, want enabled with a storage request", engineValues, pvc)
	}
	for _, v := range []string{"dataVolume", "runVolume"} {
		if h, ok := e.HostPath[v]; !ok || h.Enabled {
			t.Errorf("%s: engine.hostPath.%s.enabled must be false: the cache is the volume, runners connect through the API or the Service", engineValues, v)
		}
	}
	if want := "registry.dagger.io/engine:" + version; e.Image.Ref != want {
		t.Errorf("%s: engine.image.ref %q, want %q (engineVersion in dagger.json)", engineValues, e.Image.Ref, want)
	}
	if r := e.Resources.Requests; r["cpu"] == "" || r["memory"] == "" {
		t.Errorf("%s: engine.resources.requests %v, want cpu and memory", engineValues, r)
	}

	var raw struct {
		Engine map[string]any `yaml:"engine"`
	}
	if err := yaml.Unmarshal(ours, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"hostPort", "containerPorts", "volumes", "volumeMounts", "sidecars", "args", "runtimeClassName", "newServiceAccount", "existingServiceAccount", "shareProcessNamespace"} {
		if _, ok := raw.Engine[k]; ok {
			t.Errorf("%s: engine.%s is set: the shared engine needs nothing beyond the chart's defaults there", engineValues, k)
		}
	}

	schema, err := os.ReadFile(filepath.Join(dir, "docs", "static", "reference", "engine.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := engineconfig.Unknown(schema, []byte(e.ConfigJSON))
	if err != nil {
		t.Fatalf("%s: engine.configJson: %v", engineValues, err)
	}
	if len(bad) > 0 {
		t.Errorf("%s: engine.configJson: keys %q are not in the engine's schema: the engine would refuse its configuration and not start", engineValues, bad)
	}
	var config struct {
		GC struct {
			MaxUsedSpace string `json:"maxUsedSpace"`
		} `json:"gc"`
		Security struct {
			InsecureRootCapabilities *bool `json:"insecureRootCapabilities"`
		} `json:"security"`
	}
	if err := json.Unmarshal([]byte(e.ConfigJSON), &config); err != nil {
		t.Fatal(err)
	}
	if config.GC.MaxUsedSpace == "" {
		t.Errorf("%s: engine.configJson: want gc.maxUsedSpace below the volume's size", engineValues)
	}
	if c := config.Security.InsecureRootCapabilities; c == nil || *c {
		t.Errorf("%s: engine.configJson: want security.insecureRootCapabilities false: a shared engine runs no privileged build", engineValues)
	}
}
