package repository_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dagger/echo-server/pins"
	"dagger/echo-server/ref"
	"dagger/echo-server/workflow"
)

// mirrorSection is the README section that documents the image arguments,
// envPrefix the prefix of the outer .env's keys (the module is echo-server)
// and mirror the registry of the README's examples.
const (
	mirrorSection = "Base images and mirrors"
	envPrefix     = "ECHO_SERVER_"
	mirror        = "mirror.example.com/"
	workflowFile  = ".github/workflows/ci.yml"
)

// repo holds the repository files the tests read, by path from the root.
type repo map[string]string

func readRepo(t *testing.T) repo {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot, "ci", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	r := repo{}
	for _, name := range append(files, filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "renovate.json"),
		filepath.Join(repoRoot, "dagger.json"), filepath.Join(repoRoot, workflowFile), filepath.Join(repoRoot, selfHostedFile),
		filepath.Join(repoRoot, engineValues)) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(repoRoot, name)
		if err != nil {
			t.Fatal(err)
		}
		r[filepath.ToSlash(rel)] = string(data)
	}
	return r
}

// with returns a copy of the repository with file's old text replaced.
func (r repo) with(t *testing.T, file, old, new string) repo {
	t.Helper()
	if !strings.Contains(r[file], old) {
		t.Fatalf("%s has no %q", file, old)
	}
	c := maps.Clone(r)
	c[file] = strings.Replace(r[file], old, new, 1)
	return c
}

// defaultRE matches a `// +default="…"` pragma line of a Go file: its
// value and, when one is declared on the next line, the parameter's name.
// (Dagger's codegen attaches the comment lines right above a parameter to
// it; the module writes the pragma last.)
var defaultRE = regexp.MustCompile(`(?m)^[ \t]*// \+default="([^"\n]*)"$(?:\n\t(\w+) )?`)

// pragma is a +default="…" pragma.
type pragma struct {
	Line   int    // from 1
	Offset int    // of the line, in bytes
	Value  string // e.g. "alpine:3.23.5@sha256:…"
	Param  string // the parameter declared on the next line, "" if none
}

// pragmas returns the +default="…" pragmas of a Go source file.
func pragmas(src string) []pragma {
	var ps []pragma
	for _, m := range defaultRE.FindAllStringSubmatchIndex(src, -1) {
		p := pragma{Line: 1 + strings.Count(src[:m[0]], "\n"), Offset: m[0], Value: src[m[2]:m[3]]}
		if m[4] >= 0 {
			p.Param = src[m[4]:m[5]]
		}
		ps = append(ps, p)
	}
	return ps
}

// imageParamRE matches an image parameter of func New.
var imageParamRE = regexp.MustCompile(`(?m)^\t(\w+Image) string,$`)

// images returns the +default pragmas of the image parameters of func New
// in ci/main.go, in order; every image parameter must have one.
func (r repo) images() ([]pragma, error) {
	src := r["ci/main.go"]
	start := strings.Index(src, "\nfunc New(")
	if start < 0 {
		return nil, errors.New("ci/main.go: no func New")
	}
	end := start + strings.Index(src[start:], "\n) ")
	var args []pragma
	var names, want []string
	for _, p := range pragmas(src) {
		if p.Offset > start && p.Offset < end && strings.HasSuffix(p.Param, "Image") {
			args = append(args, p)
			names = append(names, p.Param)
		}
	}
	for _, m := range imageParamRE.FindAllStringSubmatch(src[start:end], -1) {
		want = append(want, m[1])
	}
	if len(want) == 0 || !slices.Equal(names, want) {
		return nil, fmt.Errorf("ci/main.go: func New has the image parameters %q, with a +default=\"…\" line right above %q", want, names)
	}
	return args, nil
}

func (r repo) renovate() (*pins.Renovate, error) {
	return pins.ParseRenovate([]byte(r["renovate.json"]))
}

// extract runs every regex manager of renovate.json that matches file on it.
func (r repo) extract(file string) ([]pins.Dep, error) {
	cfg, err := r.renovate()
	if err != nil {
		return nil, err
	}
	ms, err := cfg.ManagersFor(file)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("renovate.json: no regex manager's managerFilePatterns match %s", file)
	}
	var deps []pins.Dep
	for _, m := range ms {
		d, err := m.Extract(r[file])
		if err != nil {
			return nil, err
		}
		deps = append(deps, d...)
	}
	return deps, nil
}

// check runs one of the checks below and returns its problems, or the error
// that stopped it as the only one.
func check(r repo, f func(repo) ([]string, error)) []string {
	problems, err := f(r)
	if err != nil {
		return []string{err.Error()}
	}
	return problems
}

// unpinned holds every image argument of New to a default pinned by tag and
// digest: Renovate can only refresh those.
func unpinned(r repo) ([]string, error) {
	args, err := r.images()
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, a := range args {
		reason := "want NAME:TAG@DIGEST, pinned by tag and digest"
		img, err := ref.ParseImage(a.Value)
		if err != nil {
			reason = err.Error() + "; " + reason
		}
		if err != nil || img.Tag == "" || img.Digest == "" {
			problems = append(problems, fmt.Sprintf("ci/main.go:%d: image argument %s: %q: %s", a.Line, a.Param, a.Value, reason))
		}
	}
	return problems, nil
}

// mirrorExample holds the README's outer .env example to the constructor:
// one line for every image argument, under its camelCase name, pointing at
// the mirror's copy of the pinned default, and no other line; and a table
// row for every argument's flag.
func mirrorExample(r repo) ([]string, error) {
	args, err := r.images()
	if err != nil {
		return nil, err
	}
	section, err := pins.Section(r["README.md"], mirrorSection)
	if err != nil {
		return nil, fmt.Errorf("README.md: %w", err)
	}
	blocks := pins.FencedBlocks(section, "dotenv")
	if len(blocks) != 1 {
		return nil, fmt.Errorf("README.md, %q: %d ```dotenv examples, want 1", mirrorSection, len(blocks))
	}
	entries, err := pins.ParseDotenv(blocks[0])
	if err != nil {
		return nil, fmt.Errorf("README.md, %q: %w", mirrorSection, err)
	}
	example := map[string]string{}
	for _, e := range entries {
		example[e.Key] = e.Value
	}

	var problems, missing []string
	keys := map[string]bool{}
	for _, a := range args {
		key := envPrefix + a.Param
		keys[key] = true
		value, ok := example[key]
		switch {
		case !ok:
			missing = append(missing, key)
		case value != mirror+a.Value:
			problems = append(problems, fmt.Sprintf("README.md, %q: stale .env example %s=%s, want %s", mirrorSection, key, value, mirror+a.Value))
		}
		if row := "| `" + kebab(a.Param) + "` |"; !strings.Contains(section, row) {
			problems = append(problems, fmt.Sprintf("README.md, %q: the table has no row %s", mirrorSection, row))
		}
	}
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("README.md, %q: the .env example misses the image arguments %s of New in ci/main.go", mirrorSection, strings.Join(missing, ", ")))
	}
	for _, e := range entries {
		if !keys[e.Key] {
			problems = append(problems, fmt.Sprintf("README.md, %q: .env example line %d: %s is no image argument of New in ci/main.go (keys are %s + the camelCase argument name)", mirrorSection, e.Line, e.Key, envPrefix))
		}
	}
	return problems, nil
}

// kebab turns an argument's name into its dagger call flag: builderImage ->
// --builder-image.
func kebab(name string) string {
	var b strings.Builder
	b.WriteString("--")
	for _, r := range name {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// imageDefaults applies the regex managers of renovate.json to ci/*.go, as
// Renovate would: every +default pinned by digest must be matched, once, on
// its line, as a docker image whose name, tag and digest make up its value,
// and every image argument of New must be among them, so that a new image
// argument cannot escape updates.
func imageDefaults(r repo) ([]string, error) {
	var problems, pinned []string
	for _, file := range slices.Sorted(func(yield func(string) bool) {
		for f := range r {
			if strings.HasPrefix(f, "ci/") && strings.HasSuffix(f, ".go") && !yield(f) {
				return
			}
		}
	}) {
		var defaults []pragma
		for _, p := range pragmas(r[file]) {
			if strings.Contains(p.Value, "@sha256:") {
				defaults = append(defaults, p)
			}
		}
		if len(defaults) == 0 {
			continue
		}
		deps, err := r.extract(file)
		if err != nil {
			return nil, err
		}
		for _, p := range defaults {
			pinned = append(pinned, p.Value)
			if n := count(deps, p); n != 1 {
				problems = append(problems, fmt.Sprintf("%s:%d: +default=%q: renovate.json extracts it %d times as a docker image; on that line: %+v", file, p.Line, p.Value, n, onLine(deps, p.Line)))
			}
		}
		if len(deps) != len(defaults) {
			problems = append(problems, fmt.Sprintf("%s: renovate.json extracts %d dependencies from %d pinned defaults", file, len(deps), len(defaults)))
		}
	}
	args, err := r.images()
	if err != nil {
		return nil, err
	}
	for _, a := range args {
		if !slices.Contains(pinned, a.Value) {
			problems = append(problems, fmt.Sprintf("ci/main.go: image argument %s: default %q is not a +default Renovate updates", a.Param, a.Value))
		}
	}
	return problems, nil
}

// mirrorRefRE finds the README's mirror references pinned by digest.
var mirrorRefRE = regexp.MustCompile(regexp.QuoteMeta(mirror) + `\S*@sha256:`)

// readmeMirrors checks that every mirror reference of the README pinned by
// digest is extracted, as an image default of ci/main.go, so that the
// container images pull request updates it together with ci/main.go.
func readmeMirrors(r repo) ([]string, error) {
	args, err := r.images()
	if err != nil {
		return nil, err
	}
	defaults := map[string]bool{}
	for _, a := range args {
		defaults[a.Value] = true
	}
	deps, err := r.extract("README.md")
	if err != nil {
		return nil, err
	}
	var problems []string
	if n := len(mirrorRefRE.FindAllString(r["README.md"], -1)); len(deps) != n {
		problems = append(problems, fmt.Sprintf("README.md: renovate.json extracts %d of its %d %s references", len(deps), n, mirror))
	}
	for _, d := range deps {
		ref := d.DepName + ":" + d.CurrentValue + "@" + d.CurrentDigest
		if !defaults[ref] || d.Datasource != "docker" || d.Versioning != "docker" {
			problems = append(problems, fmt.Sprintf("README.md:%d: renovate.json extracts %s from %s (%s), no image default of ci/main.go", d.Line, d.Datasource, ref, d.Versioning))
		}
	}
	return problems, nil
}

// daggerVersions checks the Dagger managers: the version of every
// dagger-for-github step of both workflows, the engine image of the shared
// engine's values and engineVersion in dagger.json are extracted as the
// same package, at the same version.
func daggerVersions(r repo) ([]string, error) {
	var manifest struct {
		EngineVersion string `json:"engineVersion"`
	}
	if err := json.Unmarshal([]byte(r["dagger.json"]), &manifest); err != nil {
		return nil, fmt.Errorf("dagger.json: %w", err)
	}
	engine, err := r.extract("dagger.json")
	if err != nil {
		return nil, err
	}
	engine = releasesOf(engine, "dagger/dagger")
	if len(engine) != 1 || "v"+engine[0].CurrentValue != manifest.EngineVersion {
		return []string{fmt.Sprintf("dagger.json: renovate.json extracts %+v, want engineVersion %s once", engine, manifest.EngineVersion)}, nil
	}

	var problems []string
	together := func(file string, d pins.Dep) {
		want := engine[0]
		want.Line = d.Line
		if d != want {
			problems = append(problems, fmt.Sprintf("%s:%d: renovate.json extracts %+v, dagger.json %+v: they would not move together", file, d.Line, d, engine[0]))
		}
	}
	for _, file := range []string{workflowFile, selfHostedFile} {
		wf, err := workflow.Parse([]byte(r[file]))
		if err != nil {
			return nil, err
		}
		steps := wf.StepsUsing("dagger/dagger-for-github")
		deps, err := r.extract(file)
		if err != nil {
			return nil, err
		}
		deps = releasesOf(deps, "dagger/dagger")
		if len(deps) != len(steps) {
			problems = append(problems, fmt.Sprintf("%s: renovate.json extracts %d Dagger versions from %d dagger-for-github steps", file, len(deps), len(steps)))
		}
		for i, d := range deps {
			together(file, d)
			if i < len(steps) && d.CurrentValue != steps[i].With["version"] {
				problems = append(problems, fmt.Sprintf("%s:%d: renovate.json extracts version %q, the step says %q", file, d.Line, d.CurrentValue, steps[i].With["version"]))
			}
		}
	}
	values, err := r.extract(engineValues)
	if err != nil {
		return nil, err
	}
	values = releasesOf(values, "dagger/dagger")
	if len(values) != 1 {
		problems = append(problems, fmt.Sprintf("%s: renovate.json extracts %d Dagger versions, want the engine image's once", engineValues, len(values)))
	}
	for _, d := range values {
		together(engineValues, d)
	}

	cfg, err := r.renovate()
	if err != nil {
		return nil, err
	}
	for _, f := range []string{workflowFile, selfHostedFile, engineValues, "dagger.json"} {
		ms, err := cfg.ManagersFor(f)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.DatasourceTemplate == "github-releases" && m.ExtractVersionTemplate != `^v(?<version>\d+\.\d+\.\d+)$` {
				problems = append(problems, fmt.Sprintf("%s: extractVersionTemplate %q: want the bare release tags vX.Y.Z, without the v", f, m.ExtractVersionTemplate))
			}
		}
	}
	return problems, nil
}

// releasesOf keeps the dependencies on a package's GitHub releases.
func releasesOf(deps []pins.Dep, pkg string) []pins.Dep {
	var ds []pins.Dep
	for _, d := range deps {
		if d.PackageName == pkg && d.Datasource == "github-releases" && d.Versioning == "semver" {
			ds = append(ds, d)
		}
	}
	return ds
}

// count is how many of deps are the docker image of pragma p: on its line,
// with a name, tag and digest that make up its value.
func count(deps []pins.Dep, p pragma) int {
	n := 0
	for _, d := range deps {
		if d.Line == p.Line && d.DepName+":"+d.CurrentValue+"@"+d.CurrentDigest == p.Value &&
			d.PackageName == d.DepName && d.Datasource == "docker" && d.Versioning == "docker" {
			n++
		}
	}
	return n
}

func onLine(deps []pins.Dep, line int) []pins.Dep {
	var ds []pins.Dep
	for _, d := range deps {
		if d.Line == line {
			ds = append(ds, d)
		}
	}
	return ds
}

// TestRepository runs every check on the repository itself.
func TestRepository(t *testing.T) {
	r := readRepo(t)
	for name, f := range map[string]func(repo) ([]string, error){
		"image arguments pinned by digest":               unpinned,
		"README .env example lists every image argument": mirrorExample,
		"Renovate matches every image default":           imageDefaults,
		"Renovate keeps the README mirrors in step":      readmeMirrors,
		"Renovate moves Dagger as one":                   daggerVersions,
	} {
		t.Run(name, func(t *testing.T) {
			for _, p := range check(r, f) {
				t.Error(p)
			}
		})
	}
}

// TestChecksCatch breaks a copy of the repository in the ways the checks
// exist for, and expects each to say what is wrong.
func TestChecksCatch(t *testing.T) {
	r := readRepo(t)
	args, err := r.images()
	if err != nil {
		t.Fatal(err)
	}
	builder, kyverno := args[0], args[len(args)-1]
	kyvernoLine := envPrefix + kyverno.Param + "=" + mirror + kyverno.Value + "\n"
	newImage := "\t// Image with a new tool.\n\t// +optional\n\t// +default=\"ghcr.io/acme/tool:v1.0.0@sha256:" + strings.Repeat("ab", 32) + "\"\n\ttoolImage string,\n"
	defaultLine := "\t// +default=\"" + builder.Value + "\"\n"
	builderParam := "\t" + builder.Param + " string,\n"
	section, err := pins.Section(r["README.md"], mirrorSection)
	if err != nil {
		t.Fatal(err)
	}
	block := pins.FencedBlocks(section, "dotenv")[0]
	kyvernoEnvLine := lineOf(block, kyvernoLine)
	var manifest struct {
		EngineVersion string `json:"engineVersion"`
	}
	if err := json.Unmarshal([]byte(r["dagger.json"]), &manifest); err != nil {
		t.Fatal(err)
	}
	engineLine := `"engineVersion": "` + manifest.EngineVersion + `"`
	cliVersion := strings.TrimPrefix(manifest.EngineVersion, "v")
	var apart []string // what daggerVersions says when dagger.json moves alone
	for _, f := range []struct{ file, marker string }{
		{workflowFile, `version: "` + cliVersion + `"`},
		{selfHostedFile, `version: "` + cliVersion + `"`},
		{engineValues, "registry.dagger.io/engine:" + manifest.EngineVersion},
	} {
		for i, line := range strings.Split(r[f.file], "\n") {
			if strings.Contains(line, f.marker) {
				apart = append(apart, fmt.Sprintf("%s:%d: renovate.json extracts {Line:%[2]d DepName:dagger PackageName:dagger/dagger CurrentValue:%s CurrentDigest: Datasource:github-releases Versioning:semver}, dagger.json {Line:%d DepName:dagger PackageName:dagger/dagger CurrentValue:99.0.0 CurrentDigest: Datasource:github-releases Versioning:semver}: they would not move together",
					f.file, i+1, cliVersion, lineOf(r["dagger.json"], engineLine)))
			}
		}
	}
	if len(apart) < 5 {
		t.Fatalf("found %d Dagger versions in the workflows and the engine's values, want 2 + 2 + 1", len(apart))
	}
	wf, err := workflow.Parse([]byte(r[workflowFile]))
	if err != nil {
		t.Fatal(err)
	}
	daggerSteps := len(wf.StepsUsing("dagger/dagger-for-github"))
	sh, err := workflow.Parse([]byte(r[selfHostedFile]))
	if err != nil {
		t.Fatal(err)
	}
	selfHostedSteps := len(sh.StepsUsing("dagger/dagger-for-github"))
	upperBuilder := strings.ToUpper(builder.Value[:1]) + builder.Value[1:]
	_, builderDigest, _ := strings.Cut(builder.Value, "@")
	var names []string
	for _, a := range args {
		names = append(names, a.Param)
	}

	for _, tt := range []struct {
		name  string
		repo  repo
		check func(repo) ([]string, error)
		want  []string
	}{
		{
			name:  "an image argument missing from the .env example",
			repo:  r.with(t, "README.md", kyvernoLine, ""),
			check: mirrorExample,
			want:  []string{fmt.Sprintf("README.md, %q: the .env example misses the image arguments %s of New in ci/main.go", mirrorSection, envPrefix+kyverno.Param)},
		},
		{
			name:  "a new image argument missing from the README",
			repo:  r.with(t, "ci/main.go", builderParam, builderParam+"\t// +default=\"alpine:3\"\n\tnewImage string,\n"),
			check: mirrorExample,
			want: []string{
				fmt.Sprintf("README.md, %q: the table has no row | `--new-image` |", mirrorSection),
				fmt.Sprintf("README.md, %q: the .env example misses the image arguments %snewImage of New in ci/main.go", mirrorSection, envPrefix),
			},
		},
		{
			name:  "an underscored key",
			repo:  r.with(t, "README.md", envPrefix+kyverno.Param+"=", envPrefix+"KYVERNO_IMAGE="),
			check: mirrorExample,
			want: []string{
				fmt.Sprintf("README.md, %q: the .env example misses the image arguments %s of New in ci/main.go", mirrorSection, envPrefix+kyverno.Param),
				fmt.Sprintf("README.md, %q: .env example line %d: %sKYVERNO_IMAGE is no image argument of New in ci/main.go (keys are %s + the camelCase argument name)", mirrorSection, kyvernoEnvLine, envPrefix, envPrefix),
			},
		},
		{
			name:  "a stale mirror reference",
			repo:  r.with(t, "README.md", envPrefix+builder.Param+"="+mirror+builder.Value, envPrefix+builder.Param+"="+mirror+"golang:1"),
			check: mirrorExample,
			want:  []string{fmt.Sprintf("README.md, %q: stale .env example %s=%sgolang:1, want %s", mirrorSection, envPrefix+builder.Param, mirror, mirror+builder.Value)},
		},
		{
			name:  "an image argument not pinned by digest",
			repo:  r.with(t, "ci/main.go", defaultLine, "\t// +default=\"golang:1.26\"\n"),
			check: unpinned,
			want:  []string{fmt.Sprintf(`ci/main.go:%d: image argument %s: "golang:1.26": want NAME:TAG@DIGEST, pinned by tag and digest`, builder.Line, builder.Param)},
		},
		{
			name:  "an image argument pinned by digest alone",
			repo:  r.with(t, "ci/main.go", defaultLine, "\t// +default=\"golang@"+builderDigest+"\"\n"),
			check: unpinned,
			want:  []string{fmt.Sprintf(`ci/main.go:%d: image argument %s: "golang@%s": want NAME:TAG@DIGEST, pinned by tag and digest`, builder.Line, builder.Param, builderDigest)},
		},
		{
			name:  "an image argument that is no image reference",
			repo:  r.with(t, "ci/main.go", defaultLine, "\t// +default=\""+upperBuilder+"\"\n"),
			check: unpinned,
			want: []string{fmt.Sprintf("ci/main.go:%d: image argument %s: %q: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: %s; want NAME:TAG@DIGEST, pinned by tag and digest",
				builder.Line, builder.Param, upperBuilder, strings.TrimSuffix(upperBuilder, "@"+builderDigest))},
		},
		{
			name:  "a +default pragma not right above its image parameter",
			repo:  r.with(t, "ci/main.go", defaultLine+builderParam, defaultLine+"\t// +optional\n"+builderParam),
			check: unpinned,
			want:  []string{fmt.Sprintf("ci/main.go: func New has the image parameters %q, with a +default=\"…\" line right above %q", names, names[1:])},
		},
		{
			name:  "a new image argument is matched",
			repo:  r.with(t, "ci/main.go", builderParam, builderParam+newImage),
			check: imageDefaults,
		},
		{
			name:  "a default the pattern misses",
			repo:  r.with(t, "ci/main.go", defaultLine, "\t// +default=\""+upperBuilder+"\"\n"),
			check: imageDefaults,
			want: []string{
				fmt.Sprintf("ci/main.go:%d: +default=%q: renovate.json extracts it 0 times as a docker image; on that line: []", builder.Line, upperBuilder),
				fmt.Sprintf("ci/main.go: renovate.json extracts %d dependencies from %d pinned defaults", len(args)-1, len(args)),
			},
		},
		{
			name:  "a manager that no longer covers ci/*.go",
			repo:  r.with(t, "renovate.json", `"/^ci/[^/]+\\.go$/"`, `"/^src/[^/]+\\.go$/"`),
			check: imageDefaults,
			want:  []string{"renovate.json: no regex manager's managerFilePatterns match ci/main.go"},
		},
		{
			name:  "a README mirror reference the pattern misses",
			repo:  r.with(t, "README.md", mirror+kyverno.Value, mirror+strings.Replace(kyverno.Value, "kyverno-cli", "Kyverno-cli", 1)),
			check: readmeMirrors,
			want:  []string{fmt.Sprintf("README.md: renovate.json extracts %d of its %d %s references", len(args), len(args)+1, mirror)},
		},
		{
			name:  "a dagger-for-github step without the marker comment",
			repo:  r.with(t, workflowFile, " # engineVersion in dagger.json", ""),
			check: daggerVersions,
			want:  []string{fmt.Sprintf("%s: renovate.json extracts %d Dagger versions from %d dagger-for-github steps", workflowFile, daggerSteps-1, daggerSteps)},
		},
		{
			name:  "a self-hosted dagger-for-github step without the marker comment",
			repo:  r.with(t, selfHostedFile, " # engineVersion in dagger.json", ""),
			check: daggerVersions,
			want:  []string{fmt.Sprintf("%s: renovate.json extracts %d Dagger versions from %d dagger-for-github steps", selfHostedFile, selfHostedSteps-1, selfHostedSteps)},
		},
		{
			name:  "the engine image the manager misses",
			repo:  r.with(t, engineValues, "registry.dagger.io/engine:"+manifest.EngineVersion, "registry.dagger.io/engine:"+cliVersion),
			check: daggerVersions,
			want:  []string{engineValues + ": renovate.json extracts 0 Dagger versions, want the engine image's once"},
		},
		{
			name:  "a manager that no longer covers the engine's values",
			repo:  r.with(t, "renovate.json", `"/^deploy/dagger-engine/values\\.yaml$/"`, `"/^deploy/engine/values\\.yaml$/"`),
			check: daggerVersions,
			want:  []string{"renovate.json: no regex manager's managerFilePatterns match " + engineValues},
		},
		{
			name:  "the workflows, the engine's values and dagger.json apart",
			repo:  r.with(t, "dagger.json", engineLine, `"engineVersion": "v99.0.0"`),
			check: daggerVersions,
			want:  apart,
		},
		{
			name:  "engineVersion the manager misses",
			repo:  r.with(t, "dagger.json", engineLine, `"engineVersion": "`+cliVersion+`"`),
			check: daggerVersions,
			want:  []string{"dagger.json: renovate.json extracts [], want engineVersion " + cliVersion + " once"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(tt.repo, tt.check); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// lineOf is the line, from 1, where s first occurs in text.
func lineOf(text, s string) int {
	return 1 + strings.Count(text[:strings.Index(text, s)], "\n")
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{"builderImage": "--builder-image", "gitImage": "--git-image", "a": "--a", "xYZ": "--x-y-z"} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPragmas pins what defaultRE reads: a whole `// +default="…"` line,
// and the parameter declared on the line right below it.
func TestPragmas(t *testing.T) {
	src := "package main\n" + // 1
		"// +default=\"alpine:3@sha256:x\"\n" + // 2: no parameter below
		"var x = 1\n" + // 3
		"func New(\n" + // 4
		"\t// +optional\n" + // 5
		"\t// +default=\"golang:1\"\n" + // 6
		"\tbuilderImage string,\n" + // 7
		"\t// +default=\"\"\n" + // 8: an empty value
		"\tempty string,\n" + // 9
		"\t// +default=8080\n" + // 10: not a string
		"\tport int,\n" + // 11
		"\t//+default=\"no space\"\n" + // 12: not gofmt's comment
		"\ta string,\n" + // 13
		"\t// see +default=\"not a pragma\"\n" + // 14: not the whole line
		"\tb string,\n" + // 15
		"\t// +default=\"trailing\" // text\n" + // 16: not the whole line
		"\tc string,\n" + // 17
		"\t// +default=\"a\\\"b\"\n" + // 18: an escaped quote
		"\td string,\n" + // 19
		"  // +default=\"spaces\"\n" + // 20: indented with spaces, no tab before the parameter
		"  e string,\n" + // 21
		"\t// +default=\"last\"\n" + // 22
		"\n" + // 23
		"\tf string,\n" + // 24
		") {}\n"
	want := []pragma{
		{Line: 2, Value: "alpine:3@sha256:x"},
		{Line: 6, Value: "golang:1", Param: "builderImage"},
		{Line: 8, Value: "", Param: "empty"},
		{Line: 20, Value: "spaces"},
		{Line: 22, Value: "last"},
	}
	got := pragmas(src)
	for i := range got {
		got[i].Offset = 0
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pragmas =\n%+v\nwant\n%+v", got, want)
	}
	if ps := pragmas(src); len(ps) != len(want) || ps[1].Offset != strings.Index(src, "\t// +default=\"golang:1\"") {
		t.Errorf("pragmas offsets: %+v", ps)
	}
}
