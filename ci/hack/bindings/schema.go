package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/dagger/dagger/cmd/codegen/introspection"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// hiddenModuleTypes are the core types the engine scrubs, together with their
// ID scalars, from the introspection JSON it hands to module SDKs
// (core.TypesToIgnoreForModuleIntrospection and core.TypesHiddenFromModuleSDKs
// in github.com/dagger/dagger v0.21).
var hiddenModuleTypes = []string{"Host", "Engine", "EngineCache", "EngineCacheEntry", "EngineCacheEntrySet"}

// idDescription is the description dagql gives the ID scalar and every
// per-type ID scalar of the legacy ID view.
const idDescription = "A unique identifier for an object."

// builtinScalars are the scalars every dagql server installs. The printed SDL
// omits them, like the built-in @deprecated directive.
var builtinScalars = map[string]string{
	"Boolean": "The `Boolean` scalar type represents `true` or `false`.",
	"Float":   "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](http://en.wikipedia.org/wiki/IEEE_floating_point).",
	"ID":      idDescription,
	"Int":     "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.",
	"String":  "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.",
}

// deprecatedDirective is dagql's definition of @deprecated, which the printed
// SDL omits.
const deprecatedDirective = `
"""
The @deprecated built-in directive is used within the type system definition language to indicate deprecated portions of a GraphQL service's schema, such as deprecated fields on a type, arguments on a field, input fields on an input type, or values of an enum type.
"""
directive @deprecated(
  """
  Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted in [Markdown](https://daringfireball.net/projects/markdown/).
  """
  reason: String! = "No longer supported"
) on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
`

// ModuleSchema converts the core API schema printed as SDL (the
// docs/docs-graphql/schema.graphqls file of github.com/dagger/dagger) into the
// introspection JSON the engine of that version hands a Go module for codegen:
//
//   - the schema version is set to version;
//   - the legacy ID view of engines before v0.22 is restored: one <Type>ID
//     scalar and one load<Type>FromID(id: <Type>ID!): <Type>! query field per
//     object type with an ID and per interface (the SDL was printed without it);
//   - the types hidden from module SDKs (Host and Engine*) are scrubbed along
//     with their ID scalars and every field returning or taking them;
//   - types, fields, arguments, enum values, directive applications, default
//     values and deprecations are encoded the way dagql's introspection does.
func ModuleSchema(sdl []byte, version string) (*introspection.Response, error) {
	src := &ast.Source{Name: "schema.graphqls", Input: string(sdl)}
	schema, err := gqlparser.LoadSchema(src)
	if err != nil {
		return nil, fmt.Errorf("parse schema: %w", err)
	}
	if schema.Query == nil {
		return nil, fmt.Errorf("parse schema: no query type")
	}
	if schema.Mutation != nil || schema.Subscription != nil {
		return nil, fmt.Errorf("parse schema: unexpected mutation or subscription type")
	}

	c := &converter{schema: schema, defs: map[string]*ast.Definition{}}
	for name, def := range schema.Types {
		switch {
		case def.BuiltIn && builtinScalars[name] != "":
			// dagql's own descriptions, not the GraphQL spec's.
			cp := *def
			cp.Description = builtinScalars[name]
			c.defs[name] = &cp
		case def.BuiltIn, strings.HasPrefix(name, "_"):
			// the __Schema & co. introspection types: codegen skips
			// "_"-prefixed types, and the SDL does not describe dagql's.
		default:
			c.defs[name] = def
		}
	}
	if err := c.addLegacyIDs(); err != nil {
		return nil, err
	}

	resp := &introspection.Response{
		SchemaVersion: version,
		Schema:        &introspection.Schema{},
	}
	resp.Schema.QueryType.Name = schema.Query.Name

	for _, name := range sortedKeys(c.defs) {
		t, err := c.convertType(c.defs[name])
		if err != nil {
			return nil, fmt.Errorf("type %s: %w", name, err)
		}
		resp.Schema.Types = append(resp.Schema.Types, t)
	}

	dagqlDeprecated, err := parser.ParseSchema(&ast.Source{Name: "deprecated.graphqls", Input: deprecatedDirective})
	if err != nil {
		return nil, fmt.Errorf("parse @deprecated: %w", err)
	}
	directives := map[string]*ast.DirectiveDefinition{"deprecated": dagqlDeprecated.Directives[0]}
	for name, d := range schema.Directives {
		// Skip the GraphQL prelude's directives (@include, @skip, ...):
		// dagql defines only its own @deprecated.
		if d.Position == nil || d.Position.Src == nil || !d.Position.Src.BuiltIn {
			directives[name] = d
		}
	}
	for _, name := range sortedKeys(directives) {
		def, err := c.convertDirectiveDef(directives[name])
		if err != nil {
			return nil, fmt.Errorf("directive @%s: %w", name, err)
		}
		resp.Schema.Directives = append(resp.Schema.Directives, def)
	}

	scrubModuleTypes(resp.Schema)
	return resp, nil
}

// scrubModuleTypes removes the types hidden from module SDKs the way the
// engine does (Schema.ScrubType on the type and on its ID scalar), and also
// drops any field taking one of them as an argument, which ScrubType, looking
// at return types only, would leave behind.
func scrubModuleTypes(s *introspection.Schema) {
	for _, name := range hiddenModuleTypes {
		s.ScrubType(name)
		s.ScrubType(name + "ID")
	}
	for _, t := range s.Types {
		t.Fields = slices.DeleteFunc(t.Fields, func(f *introspection.Field) bool {
			return slices.ContainsFunc(f.Args, func(arg introspection.InputValue) bool {
				return slices.ContainsFunc(hiddenModuleTypes, func(hidden string) bool {
					return arg.TypeRef.ReferencesType(hidden) || arg.TypeRef.ReferencesType(hidden+"ID") ||
						arg.Directives.ExpectedType() == hidden
				})
			})
		})
	}
}

type converter struct {
	schema *ast.Schema
	// defs are the definitions to emit, by name.
	defs map[string]*ast.Definition
}

// addLegacyIDs mirrors the engine's legacyIDHook (core/schema/legacy_id.go):
// every object installed with an ID and every interface gets a <Type>ID scalar
// and a load<Type>FromID root field, visible in the views before v0.22.0. The
// query root and the Node interface are installed before the hook and get none.
func (c *converter) addLegacyIDs() error {
	query := c.defs[c.schema.Query.Name]
	fields := slices.Clone(query.Fields)
	for _, name := range sortedKeys(c.defs) {
		def := c.defs[name]
		switch {
		case def == query, name == "Node", strings.HasPrefix(name, "_"):
			continue
		case def.Kind == ast.Object && def.Fields.ForName("id") != nil:
		case def.Kind == ast.Interface:
		default:
			continue
		}
		idName := name + "ID"
		if existing, ok := c.defs[idName]; ok {
			if existing.Kind != ast.Scalar {
				return fmt.Errorf("legacy ID scalar %s clashes with a %s", idName, existing.Kind)
			}
		} else {
			c.defs[idName] = &ast.Definition{Kind: ast.Scalar, Name: idName, Description: idDescription}
		}
		loadName := "load" + name + "FromID"
		if fields.ForName(loadName) != nil {
			continue
		}
		fields = append(fields, &ast.FieldDefinition{
			Name:        loadName,
			Description: fmt.Sprintf("Load a %s from its ID.", name),
			Arguments: ast.ArgumentDefinitionList{
				{Name: "id", Type: ast.NonNullNamedType(idName, nil)},
			},
			Type: ast.NonNullNamedType(name, nil),
		})
	}
	cp := *query
	cp.Fields = fields
	c.defs[cp.Name] = &cp
	return nil
}

// convertType follows core.DagqlToCodegenType over dagql's introspection
// (dagql/introspection/types.go).
func (c *converter) convertType(def *ast.Definition) (*introspection.Type, error) {
	t := &introspection.Type{
		Kind:          introspection.TypeKind(def.Kind),
		Name:          def.Name,
		Description:   unwrapDescription(def.Description, typeIndent),
		Fields:        []*introspection.Field{},
		InputFields:   []introspection.InputValue{},
		EnumValues:    []introspection.EnumValue{},
		Interfaces:    []*introspection.Type{},
		PossibleTypes: []*introspection.Type{},
		Directives:    convertDirectives(def.Directives),
	}
	switch def.Kind {
	case ast.Object, ast.Interface:
		fields := slices.Clone(def.Fields)
		if def.Kind == ast.Object {
			// dagql sorts the fields of an object by name.
			slices.SortStableFunc(fields, func(a, b *ast.FieldDefinition) int { return cmp.Compare(a.Name, b.Name) })
		}
		for _, f := range fields {
			if strings.HasPrefix(f.Name, "_") {
				continue
			}
			field, err := c.convertField(f)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", f.Name, err)
			}
			t.Fields = append(t.Fields, field)
		}
		for _, name := range def.Interfaces {
			iface, ok := c.defs[name]
			if !ok {
				return nil, fmt.Errorf("unknown interface %s", name)
			}
			t.Interfaces = append(t.Interfaces, &introspection.Type{Kind: introspection.TypeKind(iface.Kind), Name: name})
		}
	case ast.InputObject:
		for _, f := range def.Fields {
			v, err := c.convertInputValue(f.Name, unwrapDescription(f.Description, memberIndent), f.Type, f.DefaultValue, f.Directives)
			if err != nil {
				return nil, fmt.Errorf("input field %s: %w", f.Name, err)
			}
			t.InputFields = append(t.InputFields, v)
		}
	case ast.Enum:
		for _, v := range def.EnumValues {
			t.EnumValues = append(t.EnumValues, introspection.EnumValue{
				Name:              v.Name,
				Description:       unwrapDescription(v.Description, memberIndent),
				IsDeprecated:      v.Directives.ForName("deprecated") != nil,
				DeprecationReason: deprecationReason(v.Directives, false),
				Directives:        convertDirectives(v.Directives),
			})
		}
	}
	switch def.Kind {
	case ast.Interface:
		// dagql registers every object as a possible type of the interfaces
		// it declares, visiting objects by name.
		for _, name := range sortedKeys(c.defs) {
			obj := c.defs[name]
			if obj.Kind == ast.Object && slices.Contains(obj.Interfaces, def.Name) {
				t.PossibleTypes = append(t.PossibleTypes, &introspection.Type{Kind: introspection.TypeKindObject, Name: name})
			}
		}
	case ast.Union:
		for _, name := range def.Types {
			t.PossibleTypes = append(t.PossibleTypes, &introspection.Type{Kind: introspection.TypeKindObject, Name: name})
		}
	}
	return t, nil
}

func (c *converter) convertField(f *ast.FieldDefinition) (*introspection.Field, error) {
	ref, err := c.typeRef(f.Type)
	if err != nil {
		return nil, err
	}
	args, err := c.convertArgs(f.Arguments, fieldArgIndent)
	if err != nil {
		return nil, err
	}
	return &introspection.Field{
		Name:              f.Name,
		Description:       unwrapDescription(f.Description, memberIndent),
		TypeRef:           ref,
		Args:              args,
		IsDeprecated:      f.Directives.ForName("deprecated") != nil,
		DeprecationReason: deprecationReason(f.Directives, true),
		Directives:        convertDirectives(f.Directives),
	}, nil
}

// convertArgs converts the arguments of a field or directive, whose
// descriptions the SDL printer indented by indent.
func (c *converter) convertArgs(list ast.ArgumentDefinitionList, indent int) (introspection.InputValues, error) {
	args := introspection.InputValues{}
	for _, arg := range list {
		v, err := c.convertInputValue(arg.Name, unwrapDescription(arg.Description, indent), arg.Type, arg.DefaultValue, arg.Directives)
		if err != nil {
			return nil, fmt.Errorf("argument %s: %w", arg.Name, err)
		}
		args = append(args, v)
	}
	return args, nil
}

func (c *converter) convertInputValue(name, description string, typ *ast.Type, def *ast.Value, directives ast.DirectiveList) (introspection.InputValue, error) {
	ref, err := c.typeRef(typ)
	if err != nil {
		return introspection.InputValue{}, err
	}
	v := introspection.InputValue{
		Name:              name,
		Description:       description,
		TypeRef:           ref,
		IsDeprecated:      directives.ForName("deprecated") != nil,
		DeprecationReason: deprecationReason(directives, false),
		Directives:        convertDirectives(directives),
	}
	if def != nil {
		s := def.String()
		v.DefaultValue = &s
	}
	return v, nil
}

func (c *converter) convertDirectiveDef(d *ast.DirectiveDefinition) (*introspection.DirectiveDef, error) {
	args, err := c.convertArgs(d.Arguments, memberIndent)
	if err != nil {
		return nil, err
	}
	def := &introspection.DirectiveDef{
		Name:        d.Name,
		Description: unwrapDescription(d.Description, typeIndent),
		Args:        args,
	}
	for _, loc := range d.Locations {
		def.Locations = append(def.Locations, string(loc))
	}
	return def, nil
}

// typeRef encodes a type reference the way the introspection query's TypeRef
// fragment returns it.
func (c *converter) typeRef(t *ast.Type) (*introspection.TypeRef, error) {
	if t.NonNull {
		inner := *t
		inner.NonNull = false
		of, err := c.typeRef(&inner)
		if err != nil {
			return nil, err
		}
		return &introspection.TypeRef{Kind: introspection.TypeKindNonNull, OfType: of}, nil
	}
	if t.Elem != nil {
		of, err := c.typeRef(t.Elem)
		if err != nil {
			return nil, err
		}
		return &introspection.TypeRef{Kind: introspection.TypeKindList, OfType: of}, nil
	}
	def, ok := c.defs[t.NamedType]
	if !ok {
		return nil, fmt.Errorf("unknown type %s", t.NamedType)
	}
	return &introspection.TypeRef{Kind: introspection.TypeKind(def.Kind), Name: def.Name}, nil
}

// convertDirectives encodes directive applications like dagql does: sorted
// by name, one per name, argument values printed as GraphQL literals.
func convertDirectives(list ast.DirectiveList) introspection.Directives {
	byName := map[string]*ast.Directive{}
	for _, d := range list {
		byName[d.Name] = d
	}
	out := introspection.Directives{}
	for _, name := range sortedKeys(byName) {
		d := &introspection.Directive{Name: name, Args: []*introspection.DirectiveArg{}}
		for _, arg := range byName[name].Arguments {
			value := arg.Value.String()
			d.Args = append(d.Args, &introspection.DirectiveArg{Name: arg.Name, Value: &value})
		}
		out = append(out, d)
	}
	return out
}

// deprecationReason returns the reason of a @deprecated application. dagql
// reports "No longer supported" for a field deprecated without a reason, and
// no reason at all for arguments, input fields and enum values.
func deprecationReason(list ast.DirectiveList, field bool) *string {
	d := list.ForName("deprecated")
	if d == nil {
		return nil
	}
	if arg := d.Arguments.ForName("reason"); arg != nil && arg.Value != nil {
		reason := arg.Value.Raw
		return &reason
	}
	if field {
		reason := "No longer supported"
		return &reason
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
