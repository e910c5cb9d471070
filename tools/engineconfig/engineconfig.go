// Package engineconfig checks a Dagger engine configuration (engine.json)
// against the engine's JSON schema: the engine refuses a configuration with
// a key it does not know (engine/config.Load disallows unknown fields) and
// does not start, so a typo is an error here instead.
package engineconfig

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// schema is the part of a JSON schema that says which keys exist.
type schema struct {
	Ref                  string             `json:"$ref"`
	Defs                 map[string]*schema `json:"$defs"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	Items                *schema            `json:"items"`
}

// Unknown returns the keys of config that the schema does not define, as
// paths (gc.maxUsedSpaces, gc.policies[0].keep, registries.docker.io.mirror),
// depth first with the keys of each object sorted. Keys must be spelled as
// the schema spells them: the engine's decoder would also take another
// letter case, this check does not.
func Unknown(schemaJSON, config []byte) ([]string, error) {
	var root schema
	if err := json.Unmarshal(schemaJSON, &root); err != nil {
		return nil, fmt.Errorf("engine schema: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(config, &doc); err != nil {
		return nil, fmt.Errorf("engine.json: %w", err)
	}
	w := walker{root: &root}
	if err := w.walk(doc, &root, ""); err != nil {
		return nil, err
	}
	return w.unknown, nil
}

type walker struct {
	root    *schema
	unknown []string
}

// resolve follows a $ref of the form #/$defs/NAME.
func (w *walker) resolve(s *schema) (*schema, error) {
	for s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/$defs/")
		def := w.root.Defs[name]
		if !ok || def == nil {
			return nil, fmt.Errorf("engine schema: $ref %q: want #/$defs/<a definition of the schema>", s.Ref)
		}
		s = def
	}
	return s, nil
}

// walk records the keys of v that s does not define; path names v.
func (w *walker) walk(v any, s *schema, path string) error {
	s, err := w.resolve(s)
	if err != nil {
		return err
	}
	switch v := v.(type) {
	case map[string]any:
		var additional *schema // the schema of keys not in properties
		switch a := string(s.AdditionalProperties); a {
		case "", "false": // none: the engine's decoder refuses unknown fields
		case "true":
			return nil // any key
		default:
			if err := json.Unmarshal(s.AdditionalProperties, &additional); err != nil {
				return fmt.Errorf("engine schema: additionalProperties at %q: %w", path, err)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			sub := s.Properties[k]
			if sub == nil {
				sub = additional
			}
			key := k
			if path != "" {
				key = path + "." + k
			}
			if sub == nil {
				w.unknown = append(w.unknown, key)
				continue
			}
			if err := w.walk(v[k], sub, key); err != nil {
				return err
			}
		}
	case []any:
		if s.Items == nil {
			return nil
		}
		for i, item := range v {
			if err := w.walk(item, s.Items, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}
