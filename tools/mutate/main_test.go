package main

import (
	"testing"
)

func TestPure(t *testing.T) {
	exclude := []string{"internal", "hack"}
	tests := []struct {
		name, importPath string
		want             bool
	}{
		{"labels", "dagger/echo-server/labels", true},
		{"gitlog", "dagger/echo-server/gitlog", true},
		{"main", "dagger/echo-server", false},
		{"main", "dagger/echo-server/cmd/x", false},
		{"dagger", "dagger/echo-server/internal/dagger", false},
		{"internal", "dagger/echo-server/internal", false},
		{"bindings", "dagger/echo-server/hack/bindings", false},
		{"internalx", "dagger/echo-server/internalx", true},
		{"hacks", "dagger/echo-server/hacks/a", true},
		{"sub", "dagger/echo-server/labels/internal", true},
	}
	for _, tt := range tests {
		if got := pure(tt.name, tt.importPath, "dagger/echo-server", exclude); got != tt.want {
			t.Errorf("pure(%q, %q) = %v, want %v", tt.name, tt.importPath, got, tt.want)
		}
	}
	if !pure("echo", "echo-server/internal/echo", "echo-server", nil) {
		t.Error("pure(echo-server/internal/echo) with nothing excluded = false, want true")
	}
}
