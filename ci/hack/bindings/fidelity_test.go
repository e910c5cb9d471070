package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFidelity checks the converter against the engine: codegen
// generate-library, fed the introspection JSON the tool hands codegen,
// reproduces the client library published as dagger.io/dagger@<libVersion>,
// which codegen generated from a live engine's introspection.
//
// The comparison is per top-level declaration. These differences are
// legitimate and are the only ones allowed:
//
//  1. Comments. Declarations are compared with their comments stripped and
//     white space collapsed, since the SDL the schema comes from has its long
//     description lines wrapped. The converter undoes that wrapping, and
//     TestFidelity/comments checks that doc comments match too.
//  2. The Volume API, which the v0.21.9 engine added after the v0.21.8 schema
//     we generate from (type Volume and VolumeID, Address.volume,
//     Binding.asVolume, Container.withMountedVolume, Env.withVolumeInput and
//     Env.withVolumeOutput, Query.loadVolumeFromID and Query.sshfsVolume, their
//     option structs): every declaration whose key names "Volume", other
//     than "CacheVolume", is removed on both sides.
//  3. Host, Engine, EngineCache, EngineCacheEntry and EngineCacheEntrySet:
//     the library is generated from the client's view of the schema, which
//     has them, while a module's view, which the tool generates from, does
//     not. Exactly their declarations must be missing: the types and their
//     ID types, their methods and the option structs of those methods, and
//     the Query methods and dag functions named after them or loading them
//     from IDs (host, engine, load<Type>FromID). See hiddenDecls.
//
// Anything else, missing, unexpected or different, is a converter bug.
func TestFidelity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs codegen")
	}
	ctx := t.Context()
	codegen, schema := codegenAndSchema(t)

	var mod struct{ Dir, Error string }
	out, err := goOutputEnv(ctx, t.TempDir(), append(os.Environ(), "GOWORK=off"), "mod", "download", "-json", "dagger.io/dagger@"+libVersion)
	if err != nil || json.Unmarshal([]byte(out), &mod) != nil || mod.Dir == "" {
		t.Fatalf("download dagger.io/dagger@%s: %v %s %s", libVersion, err, mod.Error, out)
	}
	lib := t.TempDir()
	if err := copyTree(mod.Dir, lib, ""); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, codegen, "generate-library", "--output", lib, "--introspection-json-path", schema)
	cmd.Dir = lib
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("codegen generate-library: %v\n%s", err, out)
	}

	for _, file := range []string{"dagger.gen.go", "dag/dag.gen.go"} {
		t.Run(file, func(t *testing.T) {
			published, generated := parseDecls(t, filepath.Join(mod.Dir, file)), parseDecls(t, filepath.Join(lib, file))
			for _, decls := range []map[string]goDecl{published, generated} {
				for k := range decls {
					if volumeDecl(k) {
						delete(decls, k)
					}
				}
			}
			hidden := hiddenDecls(published)
			if len(hidden) == 0 {
				t.Fatal("no Host or Engine declarations in the published library: revisit the exceptions")
			}

			var problems []string
			for _, d := range declDiff(published, generated) {
				if key, ok := strings.CutPrefix(d, "missing: "); ok && slices.Contains(hidden, key) {
					continue
				}
				problems = append(problems, d)
			}
			for _, key := range hidden {
				if _, ok := generated[key]; ok {
					problems = append(problems, "kept although hidden from modules: "+key)
				}
			}
			if len(problems) > 0 {
				t.Errorf("%d declarations differ from the published %s:\n%s", len(problems), file, strings.Join(problems, "\n"))
			}

			t.Run("comments", func(t *testing.T) {
				var differ []string
				for _, k := range sortedKeys(generated) {
					if p, ok := published[k]; ok && p.Code == generated[k].Code && p.Text != generated[k].Text {
						differ = append(differ, k+":\n"+p.Text+"\n---\n"+generated[k].Text)
					}
				}
				if len(differ) > 0 {
					t.Errorf("%d declarations have other comments than the published %s (description unwrapping):\n%s",
						len(differ), file, strings.Join(differ, "\n\n"))
				}
			})
		})
	}
}

func parseDecls(t *testing.T, path string) map[string]goDecl {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decls, err := goDecls(src)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return decls
}

// volumeDecl reports whether a declaration belongs to the Volume API.
func volumeDecl(key string) bool {
	return strings.Contains(strings.ReplaceAll(key, "CacheVolume", ""), "Volume")
}

// hiddenDecls returns the keys of the declarations of decls that belong to
// the types hidden from modules: the types and their ID types, their methods
// and those methods' option structs, and the Query methods and dag functions
// returning them.
func hiddenDecls(decls map[string]goDecl) []string {
	var keys []string
	for _, h := range hiddenModuleTypes {
		candidates := []string{
			"type " + h, "type " + h + "ID",
			"func (*Query)." + h, "func (*Query).Load" + h + "FromID", "type " + h + "Opts",
			"func " + h, "func Load" + h + "FromID",
		}
		for k := range decls {
			if method, ok := strings.CutPrefix(k, "func (*"+h+")."); ok {
				candidates = append(candidates, k, "type "+h+method+"Opts")
			}
		}
		for _, k := range candidates {
			if _, ok := decls[k]; ok && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// codegenAndSchema builds codegen and writes the introspection JSON the way
// the tool does.
func codegenAndSchema(t *testing.T) (codegen, schema string) {
	t.Helper()
	codegen, err := buildCodegen(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	data, version, err := introspectionJSON(t.Context(), ".")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"__schemaVersion":"`+version+`"`)) {
		t.Fatalf("schema version %s not set", version)
	}
	schema = filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(schema, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return codegen, schema
}
