package helmvalues

import (
	"slices"
	"testing"
)

// chartValues has a key of every kind: a scalar, a map with content, an
// empty map, a list and a key without a value, at the top and nested.
const chartValues = `
nameOverride: ""
engine:
  kind: DaemonSet
  image:
    pullPolicy: IfNotPresent
  resources:
    requests: {}
  args: []
  lifecycle:
    preStop:
service:
  type: ClusterIP
`

// templates read keys values.yaml leaves out, in every place a template
// can: an action, a pipeline, if/else, range and with (and their else), a
// define, a template call, a chain, a variable declaration and $.Values.
var templates = map[string]string{
	"_names.tpl": `{{- define "name" -}}{{ default .Chart.Name .Values.fullnameOverride }}{{- end }}`,
	"engine.yaml": `
image: {{ if .Values.engine.image.tag }}{{ .Values.engine.image.tag }}{{ else }}{{ .Values.engine.image.ref }}{{ end }}
{{- if .Values.engine.port }}
port: {{ .Values.engine.port | quote }}
{{- end }}
{{- range .Values.engine.containerPorts }}
  - {{ .name }} {{ $.Values.engine.hostPort }}
{{- else }}{{ .Values.engine.defaultPort }}
{{- end }}
{{- with .Values.engine.nodeSelector }}{{ toYaml . }}{{ else }}{{ .Values.engine.zone }}{{- end }}
{{ template "name" .Values.engine.serviceAccount }}
{{ (.Values.engine.sidecars).first }}
{{ $config := .Values.engine.configJson }}{{ $config.hidden }}
{{ toYaml .Values }} {{ .Release.Name }}
`,
}

func TestUnknown(t *testing.T) {
	chart, err := NewChart([]byte(chartValues), templates)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, values string
		want         []string
	}{
		{"nothing", "", nil},
		{"a top-level scalar", "nameOverride: x", nil},
		{"a nested scalar", "engine: {kind: StatefulSet}", nil},
		{"a map's known key", "engine: {image: {pullPolicy: Always}}", nil},
		{"a top-level typo", "nameOverrid: x", []string{"nameOverrid"}},
		{"a nested typo", "engine: {knd: StatefulSet}", []string{"engine.knd"}},
		{"a typo next to a known key", "engine: {image: {pullPolicy: Always, reff: x}}", []string{"engine.image.reff"}},
		{"below a scalar", "engine: {kind: {x: 1}}", []string{"engine.kind.x"}},
		{"below an empty map", "engine: {resources: {requests: {cpu: '2', memory: 8Gi}}}", nil},
		{"next to an empty map", "engine: {resources: {claims: [a]}}", []string{"engine.resources.claims"}},
		{"a list", "engine: {args: [--debug]}", nil},
		{"below a list", "engine: {args: {x: 1}}", nil},
		{"below a key without a value", "engine: {lifecycle: {preStop: {exec: {command: [sh]}}}}", nil},
		{"next to a key without a value", "engine: {lifecycle: {postStart: {}}}", []string{"engine.lifecycle.postStart"}},
		{"read by an action in an if", "engine: {image: {tag: v1}}", nil},
		{"read in an else", "engine: {image: {ref: x}}", nil},
		{"read in an if's condition, and through a pipe", "engine: {port: 1234}", nil},
		{"read by a range, with what is below it", "engine: {containerPorts: [{name: dagger}]}", nil},
		{"read through $.Values in a range", "engine: {hostPort: 1234}", nil},
		{"read in a range's else", "engine: {defaultPort: 1234}", nil},
		{"read by a with, with what is below it", "engine: {nodeSelector: {app: dagger}}", nil},
		{"read in a with's else", "engine: {zone: a}", nil},
		{"read in a define", "fullnameOverride: x", nil},
		{"read by a template call", "engine: {serviceAccount: {name: x}}", nil},
		{"read in a chain", "engine: {sidecars: [x]}", nil},
		{"read into a variable", "engine: {configJson: '{}'}", nil},
		{"a field of a variable is not .Values", "engine: {hidden: x}", []string{"engine.hidden"}},
		{"all of .Values read admits nothing", "zzz: 1", []string{"zzz"}},
		{"not .Values", "Release: {Name: x}", []string{"Release.Name"}},
		{"several, sorted", "zz: 1\nengine: {kind: x, b: 2, a: {c: 3}}\nservice: {typ: x}", []string{"engine.a.c", "engine.b", "service.typ", "zz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := chart.Unknown([]byte(tt.values))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Unknown(%q) = %q, want %q", tt.values, got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	if _, err := NewChart([]byte("a: [\n"), nil); err == nil || err.Error() != "the chart's values.yaml: yaml: line 1: did not find expected node content" {
		t.Errorf("NewChart(bad values.yaml) error = %v", err)
	}
	if _, err := NewChart([]byte("- a\n"), nil); err == nil || err.Error() != "the chart's values.yaml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into map[string]interface {}" {
		t.Errorf("NewChart(values.yaml a list) error = %v", err)
	}
	if _, err := NewChart(nil, map[string]string{"a.yaml": "ok", "b.yaml": "{{ if .Values.x }}"}); err == nil || err.Error() != "the chart's template b.yaml: template: b.yaml:1: unexpected EOF" {
		t.Errorf("NewChart(bad template) error = %v", err)
	}
	chart, err := NewChart(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chart.Unknown([]byte("a: {")); err == nil || err.Error() != "values: yaml: line 1: did not find expected node content" {
		t.Errorf("Unknown(bad values) error = %v", err)
	}
	if got, err := chart.Unknown([]byte("a: 1")); err != nil || !slices.Equal(got, []string{"a"}) {
		t.Errorf("Unknown of an empty chart = %q, %v; want [a]", got, err)
	}
}
