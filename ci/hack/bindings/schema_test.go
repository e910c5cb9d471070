package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dagger/dagger/cmd/codegen/introspection"
)

// base is the smallest schema the converter accepts, a query root, with the
// Node interface every dagql object implements and @expectedType.
const base = `
"""Indicates the expected object or interface type for an ID value."""
directive @expectedType(name: String!) on ARGUMENT_DEFINITION | FIELD_DEFINITION

"""An object with a globally unique ID."""
interface Node {
  id: ID!
}

"""The root of the DAG."""
type Query implements Node {
  """A unique identifier for this Query."""
  id: ID!
}
`

func convert(t *testing.T, sdl string) *introspection.Response {
	t.Helper()
	resp, err := ModuleSchema([]byte(base+sdl), "v0.21.8")
	if err != nil {
		t.Fatal(err)
	}
	// what codegen reads must survive the JSON round trip unchanged
	data, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var back introspection.Response
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Fatal("introspection JSON does not round-trip")
	}
	return resp
}

func typeNamed(t *testing.T, s *introspection.Schema, name string) *introspection.Type {
	t.Helper()
	typ := s.Types.Get(name)
	if typ == nil {
		t.Fatalf("no type %s", name)
	}
	return typ
}

func fieldNamed(t *testing.T, typ *introspection.Type, name string) *introspection.Field {
	t.Helper()
	for _, f := range typ.Fields {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s has no field %s", typ.Name, name)
	return nil
}

func names[T any](list []T, name func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = name(v)
	}
	return out
}

func typeNames(types []*introspection.Type) []string {
	return names(types, func(t *introspection.Type) string { return string(t.Kind) + " " + t.Name })
}

func fieldNames(fields []*introspection.Field) []string {
	return names(fields, func(f *introspection.Field) string { return f.Name })
}

// refString prints a type reference in SDL notation.
func refString(r *introspection.TypeRef) string {
	switch r.Kind {
	case introspection.TypeKindNonNull:
		return refString(r.OfType) + "!"
	case introspection.TypeKindList:
		return "[" + refString(r.OfType) + "]"
	}
	return r.Name
}

func directiveStrings(ds introspection.Directives) []string {
	return names(ds, func(d *introspection.Directive) string {
		args := names(d.Args, func(a *introspection.DirectiveArg) string { return a.Name + ": " + *a.Value })
		return "@" + d.Name + "(" + strings.Join(args, ", ") + ")"
	})
}

func ptr(s string) *string { return &s }

func TestModuleSchemaVersionAndRoot(t *testing.T) {
	resp := convert(t, "")
	if resp.SchemaVersion != "v0.21.8" {
		t.Errorf("schema version %q", resp.SchemaVersion)
	}
	if resp.Schema.QueryType.Name != "Query" || resp.Schema.MutationType != nil || resp.Schema.SubscriptionType != nil {
		t.Errorf("root types %+v", resp.Schema)
	}
	// dagql's scalars, which the printed SDL leaves out, with dagql's
	// descriptions; types sorted by name; no GraphQL introspection types
	want := []string{"SCALAR Boolean", "SCALAR Float", "SCALAR ID", "SCALAR Int", "INTERFACE Node", "OBJECT Query", "SCALAR String"}
	if got := typeNames(resp.Schema.Types); !slices.Equal(got, want) {
		t.Errorf("types %v, want %v", got, want)
	}
	if d := typeNamed(t, resp.Schema, "ID").Description; d != "A unique identifier for an object." {
		t.Errorf("ID description %q", d)
	}
	// dagql's @deprecated replaces the GraphQL prelude's directives
	if got := names(resp.Schema.Directives, func(d *introspection.DirectiveDef) string { return d.Name }); !slices.Equal(got, []string{"deprecated", "expectedType"}) {
		t.Errorf("directives %v", got)
	}
	dep := resp.Schema.Directives[0]
	if len(dep.Args) != 1 || dep.Args[0].DefaultValue == nil || *dep.Args[0].DefaultValue != `"No longer supported"` ||
		!slices.Equal(dep.Locations, []string{"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"}) {
		t.Errorf("@deprecated %+v", dep)
	}
}

func TestModuleSchemaLegacyIDs(t *testing.T) {
	s := convert(t, `
type Container implements Node & Syncer {
  id: ID!
  sync: ID! @expectedType(name: "Container")
}

interface Syncer implements Node {
  id: ID!
  sync: ID! @expectedType(name: "Syncer")
}

"""An object without an ID"""
type Plain {
  value: String!
}

extend type Query {
  container: Container!
  plain: Plain!
}
`).Schema

	for _, tc := range []struct {
		typ     string
		kind    introspection.TypeKind
		created bool
	}{
		{"Container", introspection.TypeKindObject, true},
		{"Syncer", introspection.TypeKindInterface, true},
		{"Plain", introspection.TypeKindObject, false}, // no id field
		{"Query", introspection.TypeKindObject, false}, // the root
		{"Node", introspection.TypeKindInterface, false},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			id := s.Types.Get(tc.typ + "ID")
			load := slices.IndexFunc(s.Query().Fields, func(f *introspection.Field) bool { return f.Name == "load"+tc.typ+"FromID" })
			if !tc.created {
				if id != nil || load >= 0 {
					t.Fatalf("unexpected legacy ID for %s", tc.typ)
				}
				return
			}
			if id == nil || id.Kind != introspection.TypeKindScalar || id.Description != "A unique identifier for an object." {
				t.Fatalf("ID scalar %+v", id)
			}
			if load < 0 {
				t.Fatal("no load field")
			}
			f := s.Query().Fields[load]
			if f.Description != "Load a "+tc.typ+" from its ID." || refString(f.TypeRef) != tc.typ+"!" ||
				f.TypeRef.OfType.Kind != tc.kind || len(f.Directives) != 0 || f.IsDeprecated {
				t.Errorf("load field %+v", f)
			}
			if len(f.Args) != 1 || f.Args[0].Name != "id" || refString(f.Args[0].TypeRef) != tc.typ+"ID!" ||
				f.Args[0].DefaultValue != nil || f.Args[0].Description != "" || len(f.Args[0].Directives) != 0 {
				t.Errorf("load field argument %+v", f.Args)
			}
		})
	}
	// like every object's, the root's fields are sorted by name
	want := []string{"container", "id", "loadContainerFromID", "loadSyncerFromID", "plain"}
	if got := fieldNames(s.Query().Fields); !slices.Equal(got, want) {
		t.Errorf("query fields %v, want %v", got, want)
	}
}

func TestModuleSchemaHiddenTypes(t *testing.T) {
	s := convert(t, `
type Host implements Node {
  id: ID!
  directory(path: String!): Directory!
}

type Engine implements Node {
  id: ID!
  localCache: EngineCache!
}

type EngineCache implements Node {
  id: ID!
  entrySet: EngineCacheEntrySet!
}

type EngineCacheEntrySet implements Node {
  id: ID!
  entries: [EngineCacheEntry!]!
}

type EngineCacheEntry implements Node {
  id: ID!
}

type Directory implements Node {
  id: ID!
  entries: [String!]!
  """Takes a host by ID: dropped as well."""
  withHost(host: ID! @expectedType(name: "Host")): Directory!
}

extend type Query {
  host: Host!
  engine: Engine!
  directory: Directory!
  hostname: String!
}
`).Schema

	for _, name := range []string{"Host", "Engine", "EngineCache", "EngineCacheEntry", "EngineCacheEntrySet"} {
		if s.Types.Get(name) != nil || s.Types.Get(name+"ID") != nil {
			t.Errorf("%s or %sID kept", name, name)
		}
	}
	want := []string{"directory", "hostname", "id", "loadDirectoryFromID"}
	if got := fieldNames(s.Query().Fields); !slices.Equal(got, want) {
		t.Errorf("query fields %v, want %v", got, want)
	}
	if got := fieldNames(typeNamed(t, s, "Directory").Fields); !slices.Equal(got, []string{"entries", "id"}) {
		t.Errorf("Directory fields %v", got)
	}
	// As in the engine, scrubbing leaves the possible types of Node alone.
	if got := typeNames(typeNamed(t, s, "Node").PossibleTypes); !slices.Contains(got, "OBJECT Host") {
		t.Errorf("Node possible types %v", got)
	}
}

func TestModuleSchemaDirectives(t *testing.T) {
	s := convert(t, `
directive @experimental(reason: String! = "Not stabilized") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE

directive @defaultPath(path: String!) on ARGUMENT_DEFINITION

directive @sourceMap(module: String!, filename: String!, line: Int!, column: Int!, url: String!) on SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT

type File implements Node @sourceMap(module: "dep", filename: "main.go", line: 3, column: 6, url: "") {
  id: ID!
  old: String! @deprecated(reason: "Use `+"`new`"+` instead")
  gone: String! @deprecated
  risky: String! @experimental(reason: "Not \"stable\"") @deprecated(reason: "x")
  with(
    source: ID! @expectedType(name: "Directory") @defaultPath(path: "/")
    expand: Boolean @deprecated(reason: "always on")
    quiet: Boolean @deprecated
  ): File!
}

type Directory implements Node {
  id: ID!
}
`).Schema

	file := typeNamed(t, s, "File")
	if got := directiveStrings(file.Directives); !slices.Equal(got, []string{`@sourceMap(module: "dep", filename: "main.go", line: 3, column: 6, url: "")`}) {
		t.Errorf("type directives %v", got)
	}
	if sm := file.Directives.SourceMap(); sm == nil || sm.Module != "dep" || sm.Line != 3 {
		t.Errorf("source map %+v", sm)
	}
	for _, tc := range []struct {
		field      string
		deprecated *string
		directives []string
	}{
		{"old", ptr("Use `new` instead"), []string{`@deprecated(reason: "Use ` + "`new`" + ` instead")`}},
		{"gone", ptr("No longer supported"), []string{"@deprecated()"}},
		// sorted by name, string values quoted as GraphQL literals
		{"risky", ptr("x"), []string{`@deprecated(reason: "x")`, `@experimental(reason: "Not \"stable\"")`}},
		{"with", nil, nil},
	} {
		f := fieldNamed(t, file, tc.field)
		if f.IsDeprecated != (tc.deprecated != nil) || !reflect.DeepEqual(f.DeprecationReason, tc.deprecated) {
			t.Errorf("%s: deprecated %v %v", tc.field, f.IsDeprecated, f.DeprecationReason)
		}
		if got := directiveStrings(f.Directives); !slices.Equal(got, tc.directives) {
			t.Errorf("%s: directives %v, want %v", tc.field, got, tc.directives)
		}
	}

	args := fieldNamed(t, file, "with").Args
	if got := names(args, func(a introspection.InputValue) string { return a.Name }); !slices.Equal(got, []string{"source", "expand", "quiet"}) {
		t.Fatalf("arguments %v, want the SDL order", got)
	}
	if got := directiveStrings(args[0].Directives); !slices.Equal(got, []string{`@defaultPath(path: "/")`, `@expectedType(name: "Directory")`}) {
		t.Errorf("source directives %v", got)
	}
	if args[0].Directives.ExpectedType() != "Directory" {
		t.Errorf("expected type %q", args[0].Directives.ExpectedType())
	}
	// arguments deprecated without a reason have none, unlike fields
	if !args[1].IsDeprecated || !reflect.DeepEqual(args[1].DeprecationReason, ptr("always on")) ||
		!args[2].IsDeprecated || args[2].DeprecationReason != nil {
		t.Errorf("deprecated arguments %+v", args[1:])
	}

	want := []string{"defaultPath", "deprecated", "expectedType", "experimental", "sourceMap"}
	if got := names(s.Directives, func(d *introspection.DirectiveDef) string { return d.Name }); !slices.Equal(got, want) {
		t.Errorf("directive definitions %v, want %v", got, want)
	}
	exp := s.Directives[3]
	if len(exp.Args) != 1 || refString(exp.Args[0].TypeRef) != "String!" || *exp.Args[0].DefaultValue != `"Not stabilized"` {
		t.Errorf("@experimental %+v", exp.Args)
	}
}

func TestModuleSchemaEnums(t *testing.T) {
	s := convert(t, `
directive @enumValue(value: String!) on ENUM_VALUE

"""File type."""
enum FileType {
  """unknown file type"""
  UNKNOWN

  """regular file type"""
  REGULAR
  REGULAR_TYPE @enumValue(value: "REGULAR")

  OLD @deprecated(reason: "gone")
}
`).Schema

	enum := typeNamed(t, s, "FileType")
	if enum.Kind != introspection.TypeKindEnum || enum.Description != "File type." {
		t.Errorf("enum %+v", enum)
	}
	// the SDL order, which codegen uses to group aliases
	got := names(enum.EnumValues, func(v introspection.EnumValue) string {
		return v.Name + " " + strings.Join(directiveStrings(v.Directives), " ")
	})
	want := []string{"UNKNOWN ", "REGULAR ", `REGULAR_TYPE @enumValue(value: "REGULAR")`, `OLD @deprecated(reason: "gone")`}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
	if v := enum.EnumValues[2]; v.Directives.EnumValue() != "REGULAR" || v.Description != "" {
		t.Errorf("alias %+v", v)
	}
	if v := enum.EnumValues[1]; v.Description != "regular file type" {
		t.Errorf("description %q", v.Description)
	}
	if v := enum.EnumValues[3]; !v.IsDeprecated || *v.DeprecationReason != "gone" {
		t.Errorf("deprecated value %+v", v)
	}
}

func TestModuleSchemaInputObjects(t *testing.T) {
	s := convert(t, `
enum NetworkProtocol {
  TCP
  UDP
}

"""Port forwarding rules for tunneling network traffic."""
input PortForward {
  """Port to expose to clients. If unspecified, a default will be chosen."""
  frontend: Int

  """Destination port for traffic."""
  backend: Int!

  """Transport layer protocol to use for traffic."""
  protocol: NetworkProtocol = TCP

  tags: [String!] = []

  name: String = "web"
}

type Service implements Node {
  id: ID!
  up(ports: [PortForward!] = [], random: Boolean = false): Service!
}
`).Schema

	in := typeNamed(t, s, "PortForward")
	if in.Kind != introspection.TypeKindInputObject || len(in.Fields) != 0 {
		t.Fatalf("input %+v", in)
	}
	type field struct{ name, typ, def, desc string }
	var got []field
	for _, f := range in.InputFields {
		def := "-"
		if f.DefaultValue != nil {
			def = *f.DefaultValue
		}
		got = append(got, field{f.Name, refString(f.TypeRef), def, f.Description})
	}
	// input fields keep their order, unlike object fields
	want := []field{
		{"frontend", "Int", "-", "Port to expose to clients. If unspecified, a default will be chosen."},
		{"backend", "Int!", "-", "Destination port for traffic."},
		{"protocol", "NetworkProtocol", "TCP", "Transport layer protocol to use for traffic."},
		{"tags", "[String!]", "[]", ""},
		{"name", "String", `"web"`, ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("input fields\n got %q\nwant %q", got, want)
	}
	if in.InputFields[2].TypeRef.Kind != introspection.TypeKindEnum {
		t.Errorf("enum reference %+v", in.InputFields[2].TypeRef)
	}

	up := fieldNamed(t, typeNamed(t, s, "Service"), "up")
	ref := up.Args[0].TypeRef
	if refString(ref) != "[PortForward!]" || ref.OfType.OfType.Kind != introspection.TypeKindInputObject ||
		*up.Args[0].DefaultValue != "[]" || *up.Args[1].DefaultValue != "false" || !up.Args.HasOptionals() {
		t.Errorf("arguments %+v", up.Args)
	}
}

func TestModuleSchemaInterfaces(t *testing.T) {
	s := convert(t, `
interface Exportable implements Node {
  id: ID!
  export(path: String!): String!
}

type File implements Exportable & Node {
  id: ID!
  export(path: String!): String!
}

type Directory implements Exportable & Node {
  id: ID!
  export(path: String!): String!
}

type Label {
  name: String!
}
`).Schema

	ex := typeNamed(t, s, "Exportable")
	if ex.Kind != introspection.TypeKindInterface {
		t.Errorf("kind %s", ex.Kind)
	}
	if got := typeNames(ex.Interfaces); !slices.Equal(got, []string{"INTERFACE Node"}) {
		t.Errorf("interfaces of Exportable %v", got)
	}
	// objects only, by name
	if got := typeNames(ex.PossibleTypes); !slices.Equal(got, []string{"OBJECT Directory", "OBJECT File"}) {
		t.Errorf("possible types of Exportable %v", got)
	}
	if got := typeNames(typeNamed(t, s, "Node").PossibleTypes); !slices.Equal(got, []string{"OBJECT Directory", "OBJECT File", "OBJECT Query"}) {
		t.Errorf("possible types of Node %v", got)
	}
	if got := typeNames(typeNamed(t, s, "File").Interfaces); !slices.Equal(got, []string{"INTERFACE Exportable", "INTERFACE Node"}) {
		t.Errorf("interfaces of File %v", got)
	}
	label := typeNamed(t, s, "Label")
	if label.Interfaces == nil || len(label.Interfaces) != 0 || label.PossibleTypes == nil || len(label.PossibleTypes) != 0 {
		t.Errorf("Label: want empty interface and possible type lists, got %+v", label)
	}
}

func TestModuleSchemaTypeRefs(t *testing.T) {
	s := convert(t, `
scalar Platform

type Container implements Node {
  id: ID!
  exec(args: [String!]!, platforms: [Platform], variants: [ID!] = [] @expectedType(name: "Container")): [[Container!]]!
}
`).Schema

	f := fieldNamed(t, typeNamed(t, s, "Container"), "exec")
	got := []string{refString(f.TypeRef)}
	for _, a := range f.Args {
		got = append(got, refString(a.TypeRef))
	}
	if want := []string{"[[Container!]]!", "[String!]!", "[Platform]", "[ID!]"}; !slices.Equal(got, want) {
		t.Errorf("type references %v, want %v", got, want)
	}
	if k := f.Args[1].TypeRef.OfType.Kind; k != introspection.TypeKindScalar {
		t.Errorf("custom scalar kind %s", k)
	}
}

func TestModuleSchemaErrors(t *testing.T) {
	for name, sdl := range map[string]string{
		"syntax":       "type {",
		"unknown type": base + "type Foo { bar: Baz }",
		"no query":     "type Foo { id: ID! }",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ModuleSchema([]byte(sdl), "v0.21.8"); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestUnwrapDescription(t *testing.T) {
	long := "Execute the command with all root capabilities. This is similar to running a command with \"sudo\" or executing \"docker run\" with the \"--privileged\" flag."
	for _, tc := range []struct {
		name   string
		indent int
		in     string
	}{
		{"single line", memberIndent, "A short description."},
		{"long line", memberIndent, long},
		{"long line among paragraphs", typeIndent, "Title.\n\n" + long + " More words to make it longer than one hundred and twenty-five characters.\n\n- item\n- item"},
		{"hand-wrapped paragraph", typeIndent, "A graphql input type, which is essentially just a group of named args.\nThis is currently only used to represent pre-existing usage of graphql input types\nin the core API. It is not used by user modules and shouldn't ever be as user\nmodule accept input objects via their id rather than graphql input types."},
		{"short lines", fieldArgIndent, "one\ntwo\nthree"},
		{"blank lines", memberIndent, "a\n\n\nb\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// print it the way the SDL printer does, then undo the wrapping
			var wrapped []string
			for _, line := range strings.Split(tc.in, "\n") {
				if len(line) < 120-tc.indent+5 {
					wrapped = append(wrapped, line)
				} else {
					wrapped = append(wrapped, breakLine(line, 120-tc.indent)...)
				}
			}
			if got := unwrapDescription(strings.Join(wrapped, "\n"), tc.indent); got != tc.in {
				t.Errorf("unwrapped\n%s\nwant\n%s", got, tc.in)
			}
		})
	}
}
