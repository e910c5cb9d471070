// Package helmvalues checks a values file against a Helm chart: every key
// it sets must be one the chart has, so that a typo is an error here rather
// than a setting Helm silently ignores.
package helmvalues

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template/parse"

	"gopkg.in/yaml.v3"
)

// Chart is what a chart says about its values: the keys of its values.yaml
// and the keys its templates read.
type Chart struct {
	// keys maps every key of values.yaml, dotted (engine.image.pullPolicy),
	// to whether anything may go below it: true for an empty map, a list or
	// a key without a value, whose content the templates copy as is
	// (engine.resources.requests: {}).
	keys map[string]bool
	// read holds the keys the templates read (.Values.engine.port, or
	// $.Values.… inside a range).
	read map[string]bool
}

// NewChart reads a chart's values.yaml and its templates, by file name.
func NewChart(values []byte, templates map[string]string) (*Chart, error) {
	c := &Chart{keys: map[string]bool{}, read: map[string]bool{}}
	var doc map[string]any
	if err := yaml.Unmarshal(values, &doc); err != nil {
		return nil, fmt.Errorf("the chart's values.yaml: %w", err)
	}
	walk(doc, "", func(key string, v any, leaf bool) {
		c.keys[key] = leaf && freeForm(v)
	})
	for _, name := range slices.Sorted(maps.Keys(templates)) {
		if err := c.readTemplate(name, templates[name]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Unknown returns the keys that values sets and the chart does not have,
// sorted. A key is the chart's when values.yaml has it, when it lies below
// a key of values.yaml that takes any content, or when the templates read
// it (or a key above it) although values.yaml leaves it out, as it does
// for the keys it only shows in comments.
func (c *Chart) Unknown(values []byte) ([]string, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(values, &doc); err != nil {
		return nil, fmt.Errorf("values: %w", err)
	}
	var unknown []string
	walk(doc, "", func(key string, _ any, leaf bool) {
		if leaf && !c.has(key) {
			unknown = append(unknown, key)
		}
	})
	slices.Sort(unknown)
	return unknown, nil
}

// has tells whether key is the chart's: values.yaml has it or the
// templates read it, or it lies below a key that takes any content.
func (c *Chart) has(key string) bool {
	if _, ok := c.keys[key]; ok || c.read[key] {
		return true
	}
	return c.below(key)
}

// below tells whether key lies below a key that takes any content: the
// nearest key above it that values.yaml has decides, unless the templates
// read a key on the way there (a key values.yaml leaves out, with
// everything below it).
func (c *Chart) below(key string) bool {
	i := strings.LastIndexByte(key, '.')
	if i == -1 {
		return false
	}
	above := key[:i]
	if free, ok := c.keys[above]; ok {
		return free
	}
	return c.read[above] || c.below(above)
}

// walk calls f for every key of a YAML mapping, depth first, with leaf
// true for a key whose value is not a non-empty mapping.
func walk(m map[string]any, prefix string, f func(key string, v any, leaf bool)) {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		key := prefix + k
		sub, isMap := m[k].(map[string]any)
		f(key, m[k], !isMap || len(sub) == 0)
		if isMap {
			walk(sub, key+".", f)
		}
	}
}

// freeForm tells whether a value of values.yaml leaves its content to the
// user: an empty map, a list, or nothing.
func freeForm(v any) bool {
	switch v := v.(type) {
	case nil, []any:
		return true
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// readTemplate records the keys of .Values a template reads.
func (c *Chart) readTemplate(name, text string) error {
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck // Helm's functions (include, toYaml, …) are not known here
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return fmt.Errorf("the chart's template %s: %w", name, err)
	}
	for _, tree := range trees {
		c.readNode(tree.Root)
	}
	return nil
}

// readNode records the .Values keys under n.
func (c *Chart) readNode(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, sub := range n.Nodes {
				c.readNode(sub)
			}
		}
	case *parse.ActionNode:
		c.readNode(n.Pipe)
	case *parse.IfNode:
		c.readBranch(&n.BranchNode)
	case *parse.RangeNode:
		c.readBranch(&n.BranchNode)
	case *parse.WithNode:
		c.readBranch(&n.BranchNode)
	case *parse.TemplateNode:
		c.readNode(n.Pipe)
	case *parse.PipeNode:
		if n != nil {
			for _, cmd := range n.Cmds {
				c.readNode(cmd)
			}
		}
	case *parse.CommandNode:
		for _, arg := range n.Args {
			c.readNode(arg)
		}
	case *parse.ChainNode:
		c.readNode(n.Node)
	case *parse.FieldNode:
		c.readPath(n.Ident)
	case *parse.VariableNode: // $.Values.…; parse makes Ident[0] the variable
		if n.Ident[0] == "$" {
			c.readPath(n.Ident[1:])
		}
	}
}

func (c *Chart) readBranch(b *parse.BranchNode) {
	c.readNode(b.Pipe)
	c.readNode(b.List)
	c.readNode(b.ElseList)
}

// readPath records Values.a.b as the key a.b.
func (c *Chart) readPath(ident []string) {
	if key, ok := strings.CutPrefix(strings.Join(ident, "."), "Values."); ok {
		c.read[key] = true
	}
}
