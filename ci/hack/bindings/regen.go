package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

const (
	// daggerRepoModule provides cmd/codegen and the printed core schema.
	daggerRepoModule = "github.com/dagger/dagger"
	// libVersion is the dagger.io/dagger version the module uses.
	libVersion = "v0.21.9"
	// schemaPath is the core schema, printed as SDL, in daggerRepoModule.
	schemaPath = "docs/docs-graphql/schema.graphqls"
)

// moduleConfig is the part of dagger.json this tool reads.
type moduleConfig struct {
	Name          string `json:"name"`
	EngineVersion string `json:"engineVersion"`
	Source        string `json:"source"`
	SDK           struct {
		Source string `json:"source"`
	} `json:"sdk"`
}

type regenerator struct {
	repo    string // repository root, holding dagger.json
	config  moduleConfig
	codegen string // codegen binary
	tmp     string // scratch directory, removed by close
	schema  string // introspection JSON, in tmp
	verbose bool
}

// newRegenerator prepares the regeneration of the module in repo: it builds
// the codegen of the tool module in toolDir and writes the introspection JSON
// of the engine version that module pins. toolDir defaults to the module
// source's hack/bindings directory.
func newRegenerator(ctx context.Context, repo, toolDir string, verbose bool) (_ *regenerator, rerr error) {
	r := &regenerator{repo: repo, verbose: verbose}
	var err error
	if r.config, err = readModuleConfig(repo); err != nil {
		return nil, err
	}
	if toolDir == "" {
		toolDir = filepath.Join(repo, r.config.Source, "hack", "bindings")
	}

	if r.tmp, err = os.MkdirTemp("", "bindings-"); err != nil {
		return nil, fmt.Errorf("create scratch directory: %w", err)
	}
	defer func() {
		if rerr != nil {
			r.close()
		}
	}()

	schemaJSON, version, err := introspectionJSON(ctx, toolDir)
	if err != nil {
		return nil, err
	}
	if version != r.config.EngineVersion {
		return nil, fmt.Errorf("dagger.json wants engine %s but %s pins %s %s: update the pin", r.config.EngineVersion,
			filepath.Join(toolDir, "go.mod"), daggerRepoModule, version)
	}

	slog.Info("building codegen", "version", version)
	if r.codegen, err = buildCodegen(ctx, toolDir); err != nil {
		return nil, err
	}

	r.schema = filepath.Join(r.tmp, "schema.json")
	if err := os.WriteFile(r.schema, schemaJSON, 0o644); err != nil {
		return nil, fmt.Errorf("write introspection JSON: %w", err)
	}
	return r, nil
}

func (r *regenerator) close() {
	if r.tmp != "" {
		_ = os.RemoveAll(r.tmp)
	}
}

// generate regenerates the bindings in place: it regenerates a copy of the
// module and brings the generated files back into the repository.
func (r *regenerator) generate(ctx context.Context) error {
	scratch, err := r.regenerate(ctx)
	if err != nil {
		return err
	}
	want, err := generatedFiles(scratch, r.config.Source)
	if err != nil {
		return err
	}
	have, err := generatedFiles(r.repo, r.config.Source)
	if err != nil {
		return err
	}
	for _, f := range want {
		data, err := os.ReadFile(filepath.Join(scratch, f))
		if err != nil {
			return err
		}
		dst := filepath.Join(r.repo, f)
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
			if err := os.Chmod(dst, 0o644); err != nil {
				return err
			}
			continue
		}
		slog.Info("writing", "file", f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := writeFile(dst, data); err != nil {
			return fmt.Errorf("write %s: %w", f, err)
		}
	}
	for _, f := range have {
		if !slices.Contains(want, f) {
			slog.Info("removing", "file", f)
			if err := os.Remove(filepath.Join(r.repo, f)); err != nil {
				return err
			}
		}
	}
	return nil
}

// check regenerates a copy of the module and returns one line per generated
// file that differs from the committed one.
func (r *regenerator) check(ctx context.Context) ([]string, error) {
	scratch, err := r.regenerate(ctx)
	if err != nil {
		return nil, err
	}
	return compareGenerated(r.repo, scratch, r.config.Source)
}

// regenerate copies dagger.json and the module source (minus hack/) into a
// scratch directory and regenerates the bindings there the way the engine
// does: remove dagger.gen.go, run codegen generate-module (which makes a
// second pass when dagger.gen.go is missing and runs `go get
// dagger.io/dagger@<lib>` and `go mod tidy`). It returns the scratch root.
//
// codegen runs `go work use .` whenever `go env GOWORK` is not empty, "off"
// included, so it cannot run with GOWORK=off; it runs instead with GOWORK
// unset in the scratch copy, which no go.work governs.
func (r *regenerator) regenerate(ctx context.Context) (string, error) {
	root, err := os.MkdirTemp(r.tmp, "module-")
	if err != nil {
		return "", err
	}
	if err := copyModule(r.repo, root, r.config.Source); err != nil {
		return "", fmt.Errorf("copy module: %w", err)
	}
	src := filepath.Join(root, r.config.Source)
	env := append(os.Environ(), "GOWORK=")
	if work, err := goOutputEnv(ctx, src, env, "env", "GOWORK"); err != nil {
		return "", err
	} else if work != "" {
		return "", fmt.Errorf("the scratch copy %s is in the workspace %s: set TMPDIR elsewhere", src, work)
	}

	// also drop the generated files codegen might no longer write (such as
	// the file of a removed dependency): it rewrites the others
	stale, err := filepath.Glob(filepath.Join(src, "internal", "dagger", "*.gen.go"))
	if err != nil {
		return "", err
	}
	for _, f := range append(stale, filepath.Join(src, "dagger.gen.go")) {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("remove generated file: %w", err)
		}
	}

	slog.Info("running codegen", "module", r.config.Name, "lib", libVersion)
	cmd := exec.CommandContext(ctx, r.codegen, "generate-module",
		"--output", root,
		"--module-source-path", src,
		"--module-name", r.config.Name,
		"--introspection-json-path", r.schema,
		"--lib-version", libVersion,
	)
	cmd.Dir = src
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if r.verbose {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Run(); err != nil {
		os.Stderr.Write(out.Bytes())
		return "", fmt.Errorf("codegen generate-module: %w", err)
	}

	// codegen creates files 0600
	files, err := generatedFiles(root, r.config.Source)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if err := os.Chmod(filepath.Join(root, f), 0o644); err != nil {
			return "", fmt.Errorf("chmod generated file: %w", err)
		}
	}
	return root, nil
}

// generatedFiles lists, relative to root and slash-separated, the files
// regeneration owns: dagger.gen.go, go.mod, go.sum and internal/dagger/.
func generatedFiles(root, source string) ([]string, error) {
	var files []string
	for _, name := range []string{"dagger.gen.go", "go.mod", "go.sum"} {
		rel := filepath.Join(source, name)
		if _, err := os.Stat(filepath.Join(root, rel)); err == nil {
			files = append(files, filepath.ToSlash(rel))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	internal := filepath.Join(root, source, "internal", "dagger")
	err := filepath.WalkDir(internal, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == internal {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list generated files: %w", err)
	}
	slices.Sort(files)
	return files, nil
}

// compareGenerated compares the generated files of two copies of a module,
// byte for byte.
func compareGenerated(committed, regenerated, source string) ([]string, error) {
	have, err := generatedFiles(committed, source)
	if err != nil {
		return nil, err
	}
	want, err := generatedFiles(regenerated, source)
	if err != nil {
		return nil, err
	}
	var diffs []string
	for _, f := range want {
		if !slices.Contains(have, f) {
			diffs = append(diffs, f+": missing")
			continue
		}
		a, err := os.ReadFile(filepath.Join(committed, f))
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(filepath.Join(regenerated, f))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(a, b) {
			diffs = append(diffs, f+": differs from the regenerated file")
		}
	}
	for _, f := range have {
		if !slices.Contains(want, f) {
			diffs = append(diffs, f+": no longer generated")
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

// copyModule copies dagger.json and the module source directory, minus its
// hack/ directory, from repo to dst.
func copyModule(repo, dst, source string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(repo, "dagger.json"), filepath.Join(dst, "dagger.json"), 0o644); err != nil {
		return err
	}
	return copyTree(filepath.Join(repo, source), filepath.Join(dst, source), "hack")
}

// copyTree copies the directory src to dst, skipping src/skip if skip is not
// empty. Files keep their permission bits, made writable by their owner.
func copyTree(src, dst, skip string) error {
	if skip != "" {
		skip = filepath.Join(src, skip)
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == skip {
			return fs.SkipDir
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return copyFile(path, target, info.Mode().Perm()|0o200)
		default:
			return nil // sockets, devices: nothing codegen reads
		}
	})
}

// writeFile replaces dst with data, mode 0644.
func writeFile(dst string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".bindings-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// findRepo returns dir, or else the nearest directory holding a dagger.json
// at or above the working directory.
func findRepo(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(abs, "dagger.json")); err != nil {
			return "", fmt.Errorf("-repo %s: %w", dir, err)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "dagger.json")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no dagger.json in %s or above: pass -repo", wd)
		}
	}
}

func readModuleConfig(repo string) (moduleConfig, error) {
	var cfg moduleConfig
	data, err := os.ReadFile(filepath.Join(repo, "dagger.json"))
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("parse dagger.json: %w", err)
	}
	switch {
	case cfg.Name == "":
		return cfg, errors.New("dagger.json: no module name")
	case cfg.SDK.Source != "go":
		return cfg, fmt.Errorf("dagger.json: sdk %q is not go", cfg.SDK.Source)
	case cfg.EngineVersion == "":
		return cfg, errors.New("dagger.json: no engineVersion")
	case cfg.Source == "" || filepath.IsAbs(cfg.Source) || !filepath.IsLocal(cfg.Source):
		return cfg, fmt.Errorf("dagger.json: source %q must be a subdirectory", cfg.Source)
	}
	cfg.Source = filepath.Clean(cfg.Source)
	return cfg, nil
}

// goOutput runs the go command in dir with GOWORK=off and returns its
// output.
func goOutput(ctx context.Context, dir string, args ...string) (string, error) {
	return goOutputEnv(ctx, dir, append(os.Environ(), "GOWORK=off"), args...)
}

func goOutputEnv(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

// introspectionJSON returns the introspection JSON a module sees, converted
// from the core schema of the github.com/dagger/dagger version the tool
// module in toolDir requires, and that version.
func introspectionJSON(ctx context.Context, toolDir string) ([]byte, string, error) {
	dir, version, err := daggerModule(ctx, toolDir)
	if err != nil {
		return nil, "", err
	}
	sdl, err := os.ReadFile(filepath.Join(dir, schemaPath))
	if err != nil {
		return nil, "", fmt.Errorf("read core schema: %w", err)
	}
	resp, err := ModuleSchema(sdl, version)
	if err != nil {
		return nil, "", fmt.Errorf("convert %s: %w", schemaPath, err)
	}
	data, err := json.Marshal(resp)
	if err != nil {
		return nil, "", fmt.Errorf("encode introspection JSON: %w", err)
	}
	return data, version, nil
}

// daggerModule returns the module cache directory and version of the
// github.com/dagger/dagger module required by the tool module in toolDir.
func daggerModule(ctx context.Context, toolDir string) (dir, version string, err error) {
	// download first: go list -m leaves .Dir empty for a module not in
	// the module cache
	if _, err := goOutput(ctx, toolDir, "mod", "download", daggerRepoModule); err != nil {
		return "", "", err
	}
	out, err := goOutput(ctx, toolDir, "list", "-m", "-f", "{{.Dir}}\t{{.Version}}", daggerRepoModule)
	if err != nil {
		return "", "", err
	}
	dir, version, _ = strings.Cut(out, "\t")
	if dir == "" || version == "" {
		return "", "", fmt.Errorf("locate %s: go list -m printed %q", daggerRepoModule, out)
	}
	return dir, version, nil
}

// buildCodegen builds the codegen tool of the module in toolDir (cached by
// the go command) and returns the path of the binary.
func buildCodegen(ctx context.Context, toolDir string) (string, error) {
	path, err := goOutput(ctx, toolDir, "tool", "-n", "codegen")
	if err != nil {
		return "", fmt.Errorf("build codegen: %w", err)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("build codegen: %w", err)
	}
	return path, nil
}
