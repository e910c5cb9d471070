package engineconfig

import (
	"os"
	"slices"
	"testing"
)

// testdata/engine.schema.json is the engine.schema.json of Dagger v0.21.8
// (docs/static/reference/ in github.com/dagger/dagger), descriptions left
// out.
func engineSchema(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/engine.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUnknown(t *testing.T) {
	schema := engineSchema(t)
	tests := []struct {
		name, config string
		want         []string
	}{
		{"empty", `{}`, nil},
		{
			"every key",
			`{"logLevel": "info",
			  "gc": {"enabled": true, "maxUsedSpace": "75GB", "reservedSpace": "10GB", "minFreeSpace": "10%", "sweepSize": "50%",
			         "policies": [{"all": true, "filters": ["type==regular"], "keepDuration": "6h", "maxUsedSpace": 1, "reservedSpace": 1, "minFreeSpace": 1, "sweepSize": 1}]},
			  "security": {"insecureRootCapabilities": false},
			  "registries": {"docker.io": {"mirrors": ["mirror.gcr.io"], "http": false, "insecure": false, "ca": ["/ca.crt"]}}}`,
			nil,
		},
		{"a top-level typo", `{"gcc": {}}`, []string{"gcc"}},
		{"another letter case", `{"loglevel": "info"}`, []string{"loglevel"}},
		{"a typo in gc", `{"gc": {"maxUsedSpaces": "75GB", "minFreeSpace": "10GB"}}`, []string{"gc.maxUsedSpaces"}},
		{"a typo in a policy", `{"gc": {"policies": [{"all": true}, {"keep": "6h"}]}}`, []string{"gc.policies[1].keep"}},
		{"a typo in a registry", `{"registries": {"docker.io": {"mirror": ["m"]}}}`, []string{"registries.docker.io.mirror"}},
		{"a typo in security", `{"security": {"insecure": false}}`, []string{"security.insecure"}},
		{"a map for a disk space", `{"gc": {"maxUsedSpace": {"bytes": 1}}}`, []string{"gc.maxUsedSpace.bytes"}},
		{"a list for a key without items", `{"logLevel": [{"x": 1}]}`, nil},
		{"several, in order", `{"z": 1, "gc": {"b": 1, "a": 1}, "a": 1}`, []string{"a", "gc.a", "gc.b", "z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Unknown(schema, []byte(tt.config))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Unknown(%s) = %q, want %q", tt.config, got, tt.want)
			}
		})
	}
}

func TestAnyKey(t *testing.T) {
	schema := `{"$ref": "#/$defs/C", "$defs": {"C": {"properties": {"labels": {"additionalProperties": true}}, "additionalProperties": false}}}`
	got, err := Unknown([]byte(schema), []byte(`{"labels": {"a": {"b": 1}}, "x": 1}`))
	if err != nil || !slices.Equal(got, []string{"x"}) {
		t.Errorf("Unknown = %q, %v; want [x]", got, err)
	}
}

func TestErrors(t *testing.T) {
	schema := engineSchema(t)
	tests := []struct {
		name, schema, config, want string
	}{
		{"a schema that is no JSON", `{`, `{}`, "engine schema: unexpected end of JSON input"},
		{"a config that is no JSON", string(schema), `{"gc": }`, "engine.json: invalid character '}' looking for beginning of value"},
		{"a config that is no object", string(schema), `[]`, "engine.json: json: cannot unmarshal array into Go value of type map[string]interface {}"},
		{"a $ref outside $defs", `{"$ref": "#/definitions/C"}`, `{}`, `engine schema: $ref "#/definitions/C": want #/$defs/<a definition of the schema>`},
		{"a $ref to nothing", `{"$ref": "#/$defs/C", "$defs": {}}`, `{}`, `engine schema: $ref "#/$defs/C": want #/$defs/<a definition of the schema>`},
		{"a nested $ref to nothing", `{"properties": {"gc": {"$ref": "#/$defs/GC"}}}`, `{"gc": {}}`, `engine schema: $ref "#/$defs/GC": want #/$defs/<a definition of the schema>`},
		{"an item $ref to nothing", `{"properties": {"p": {"items": {"$ref": "#/$defs/P"}}}}`, `{"p": [1]}`, `engine schema: $ref "#/$defs/P": want #/$defs/<a definition of the schema>`},
		{"additionalProperties of another type", `{"properties": {"r": {"additionalProperties": 5}}}`, `{"r": {"a": 1}}`, `engine schema: additionalProperties at "r": json: cannot unmarshal number into Go value of type engineconfig.schema`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Unknown([]byte(tt.schema), []byte(tt.config))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Unknown = %q, %v; want error %q", got, err, tt.want)
			}
		})
	}
}
