package pins

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Renovate is the part of a Renovate configuration that the tests run.
type Renovate struct {
	CustomManagers []Manager `json:"customManagers"`
}

// Manager is a custom regex manager of a Renovate configuration.
type Manager struct {
	CustomType             string   `json:"customType"`
	ManagerFilePatterns    []string `json:"managerFilePatterns"`
	MatchStrings           []string `json:"matchStrings"`
	MatchStringsStrategy   string   `json:"matchStringsStrategy"`
	DatasourceTemplate     string   `json:"datasourceTemplate"`
	DepNameTemplate        string   `json:"depNameTemplate"`
	PackageNameTemplate    string   `json:"packageNameTemplate"`
	VersioningTemplate     string   `json:"versioningTemplate"`
	ExtractVersionTemplate string   `json:"extractVersionTemplate"`
}

// ParseRenovate decodes a Renovate configuration (renovate.json, plain JSON).
func ParseRenovate(data []byte) (*Renovate, error) {
	var r Renovate
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("parse renovate config: %w", err)
	}
	return &r, nil
}

// ManagersFor returns the regex managers whose managerFilePatterns match a
// path relative to the repository root. A pattern between slashes is a
// regular expression, any other a glob (path.Match syntax).
func (r *Renovate) ManagersFor(file string) ([]Manager, error) {
	var ms []Manager
	for _, m := range r.CustomManagers {
		if m.CustomType != "regex" {
			continue
		}
		for _, p := range m.ManagerFilePatterns {
			ok, err := patternMatches(p, file)
			if err != nil {
				return nil, err
			}
			if ok {
				ms = append(ms, m)
				break
			}
		}
	}
	return ms, nil
}

// patternMatches reports whether a managerFilePatterns entry matches file.
func patternMatches(pattern, file string) (bool, error) {
	if expr, ok := strings.CutPrefix(pattern, "/"); ok && strings.HasSuffix(expr, "/") {
		re, err := regexp.Compile(strings.TrimSuffix(expr, "/"))
		if err != nil {
			return false, fmt.Errorf("managerFilePatterns %q: %w", pattern, err)
		}
		return re.MatchString(file), nil
	}
	ok, err := path.Match(pattern, file)
	if err != nil {
		return false, fmt.Errorf("managerFilePatterns %q: %w", pattern, err)
	}
	return ok, nil
}

// Dep is a dependency a regex manager extracts, as Renovate would see it.
type Dep struct {
	Line          int    // the line the match starts on, from 1
	DepName       string // the depName group, else depNameTemplate
	PackageName   string // the packageName group, else packageNameTemplate, else DepName
	CurrentValue  string
	CurrentDigest string
	Datasource    string // the datasource group, else datasourceTemplate
	Versioning    string // the versioning group, else versioningTemplate
}

// Extract applies a manager's matchStrings to a file's content, each over
// the whole file and as often as it matches (Renovate's "any" strategy).
// Renovate runs them with RE2, as Go does, and Go's regexp accepts the
// JavaScript named-group syntax (?<name>…) since Go 1.22, so they are used
// as written. Templates must be literal: Handlebars is not evaluated.
func (m Manager) Extract(content string) ([]Dep, error) {
	if m.MatchStringsStrategy != "" && m.MatchStringsStrategy != "any" {
		return nil, fmt.Errorf("matchStringsStrategy %q: only \"any\" is supported", m.MatchStringsStrategy)
	}
	for _, t := range []string{m.DatasourceTemplate, m.DepNameTemplate, m.PackageNameTemplate, m.VersioningTemplate} {
		if strings.Contains(t, "{{") {
			return nil, fmt.Errorf("template %q: only literal templates are supported", t)
		}
	}
	var deps []Dep
	for _, s := range m.MatchStrings {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("matchStrings %q: %w", s, err)
		}
		names := re.SubexpNames()
		for _, match := range re.FindAllStringSubmatchIndex(content, -1) {
			groups := map[string]string{}
			for i, name := range names {
				if name != "" && match[2*i] != -1 {
					groups[name] = content[match[2*i]:match[2*i+1]]
				}
			}
			group := func(name, fallback string) string {
				if v, ok := groups[name]; ok {
					return v
				}
				return fallback
			}
			d := Dep{
				Line:          1 + strings.Count(content[:match[0]], "\n"),
				DepName:       group("depName", m.DepNameTemplate),
				CurrentValue:  group("currentValue", ""),
				CurrentDigest: group("currentDigest", ""),
				Datasource:    group("datasource", m.DatasourceTemplate),
				Versioning:    group("versioning", m.VersioningTemplate),
			}
			d.PackageName = group("packageName", m.PackageNameTemplate)
			if d.PackageName == "" {
				d.PackageName = d.DepName
			}
			deps = append(deps, d)
		}
	}
	return deps, nil
}
