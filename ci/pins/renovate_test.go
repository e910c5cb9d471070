package pins

import (
	"reflect"
	"testing"
)

const digestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

const testConfig = `{
  "extends": ["config:recommended"],
  "customManagers": [
    {
      "customType": "regex",
      "managerFilePatterns": ["/^ci/[^/]+\\.go$/"],
      "matchStrings": ["\\+default=\"(?<depName>[a-z0-9./-]+):(?<currentValue>[\\w.-]+)@(?<currentDigest>sha256:[a-f0-9]{64})\""],
      "datasourceTemplate": "docker",
      "versioningTemplate": "docker"
    },
    {
      "customType": "jsonata",
      "managerFilePatterns": ["/^ci/[^/]+\\.go$/"]
    },
    {
      "customType": "regex",
      "managerFilePatterns": ["dagger.json", "docs/*.md"],
      "matchStrings": ["\"engineVersion\":\\s*\"v(?<currentValue>[\\d.]+)\""],
      "datasourceTemplate": "github-releases",
      "depNameTemplate": "dagger",
      "packageNameTemplate": "dagger/dagger"
    }
  ]
}`

func TestManagersFor(t *testing.T) {
	r, err := ParseRenovate([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		file string
		want []string // the managers' first matchStrings
	}{
		{"ci/main.go", []string{r.CustomManagers[0].MatchStrings[0]}},
		{"ci/pins/pins.go", nil},
		{"xci/main.go", nil},
		{"dagger.json", []string{r.CustomManagers[2].MatchStrings[0]}},
		{"docs/a.md", []string{r.CustomManagers[2].MatchStrings[0]}},
		{"docs/a/b.md", nil},
		{"ci/dagger.json", nil},
	} {
		ms, err := r.ManagersFor(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.MatchStrings[0])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ManagersFor(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

func TestManagersForErrors(t *testing.T) {
	for _, tt := range []struct{ pattern, want string }{
		{"/[/", "managerFilePatterns \"/[/\": error parsing regexp: missing closing ]: `[`"},
		{"[", "managerFilePatterns \"[\": syntax error in pattern"},
	} {
		r := &Renovate{CustomManagers: []Manager{{CustomType: "regex", ManagerFilePatterns: []string{tt.pattern}}}}
		if _, err := r.ManagersFor("x"); err == nil || err.Error() != tt.want {
			t.Errorf("ManagersFor with %q: error = %v\nwant %s", tt.pattern, err, tt.want)
		}
	}
	if _, err := ParseRenovate([]byte(`{"customManagers": {}}`)); err == nil ||
		err.Error() != "parse renovate config: json: cannot unmarshal object into Go struct field Renovate.customManagers of type []pins.Manager" {
		t.Errorf("ParseRenovate error = %v", err)
	}
}

func TestExtract(t *testing.T) {
	r, err := ParseRenovate([]byte(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	src := "package main\n\t// +default=\"golang:1.26.8-alpine3.23@" + digestA + "\"\n" +
		"\t// +default=\"ghcr.io/x/y:v1@" + digestA + "\" +default=\"z:1@" + digestA + "\"\n" +
		"\t// +default=\"alpine:3\"\n"
	got, err := r.CustomManagers[0].Extract(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Dep{
		{Line: 2, DepName: "golang", PackageName: "golang", CurrentValue: "1.26.8-alpine3.23", CurrentDigest: digestA, Datasource: "docker", Versioning: "docker"},
		{Line: 3, DepName: "ghcr.io/x/y", PackageName: "ghcr.io/x/y", CurrentValue: "v1", CurrentDigest: digestA, Datasource: "docker", Versioning: "docker"},
		{Line: 3, DepName: "z", PackageName: "z", CurrentValue: "1", CurrentDigest: digestA, Datasource: "docker", Versioning: "docker"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Extract =\n%+v\nwant\n%+v", got, want)
	}

	got, err = r.CustomManagers[2].Extract("{\n  \"engineVersion\": \"v0.21.8\"\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	want = []Dep{{Line: 2, DepName: "dagger", PackageName: "dagger/dagger", CurrentValue: "0.21.8", Datasource: "github-releases"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Extract =\n%+v\nwant\n%+v", got, want)
	}
}

func TestExtractGroupsWinOverTemplates(t *testing.T) {
	m := Manager{
		MatchStringsStrategy: "any",
		MatchStrings: []string{
			`(?<datasource>\w+) (?<depName>\w+)(?: (?<packageName>\w+))? (?<versioning>\w+) (?<currentValue>\d+)`,
			`only (?<currentValue>\d+)`,
		},
		DatasourceTemplate: "docker", DepNameTemplate: "d", PackageNameTemplate: "p", VersioningTemplate: "v",
	}
	got, err := m.Extract("npm leftpad semver 1\nnpm a b loose 2\nonly 3\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []Dep{
		{Line: 1, DepName: "leftpad", PackageName: "p", CurrentValue: "1", Datasource: "npm", Versioning: "semver"},
		{Line: 2, DepName: "a", PackageName: "b", CurrentValue: "2", Datasource: "npm", Versioning: "loose"},
		{Line: 3, DepName: "d", PackageName: "p", CurrentValue: "3", Datasource: "docker", Versioning: "v"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Extract =\n%+v\nwant\n%+v", got, want)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, tt := range []struct {
		m    Manager
		want string
	}{
		{Manager{MatchStringsStrategy: "combination"}, `matchStringsStrategy "combination": only "any" is supported`},
		{Manager{DepNameTemplate: "{{{depName}}}"}, `template "{{{depName}}}": only literal templates are supported`},
		{Manager{DatasourceTemplate: "{{x}}"}, `template "{{x}}": only literal templates are supported`},
		{Manager{PackageNameTemplate: "{{x}}"}, `template "{{x}}": only literal templates are supported`},
		{Manager{VersioningTemplate: "{{x}}"}, `template "{{x}}": only literal templates are supported`},
		{Manager{MatchStrings: []string{"(?<x"}}, "matchStrings \"(?<x\": error parsing regexp: invalid named capture: `(?<x`"},
	} {
		if _, err := tt.m.Extract("x"); err == nil || err.Error() != tt.want {
			t.Errorf("Extract error = %v\nwant %s", err, tt.want)
		}
	}
}
