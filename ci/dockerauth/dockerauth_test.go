package dockerauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// decode parses a config.json body into host -> "username:password".
func decode(t *testing.T, body []byte) map[string]string {
	t.Helper()
	var cfg struct {
		Auths map[string]map[string]string `json:"auths"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	out := make(map[string]string)
	for host, entry := range cfg.Auths {
		if len(entry) != 1 {
			t.Fatalf("auth entry for %q has fields %v, want only auth", host, entry)
		}
		raw, err := base64.StdEncoding.DecodeString(entry["auth"])
		if err != nil {
			t.Fatalf("auth for %q is not base64: %v", host, err)
		}
		out[host] = string(raw)
	}
	return out
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name, host, username, password string
		wantKey                        string
	}{
		{name: "ghcr", host: "ghcr.io", username: "acme-bot", password: "ghp_secret", wantKey: "ghcr.io"},
		{name: "port", host: "localhost:5000", username: "u", password: "p", wantKey: "localhost:5000"},
		{name: "docker.io", host: "docker.io", username: "u", password: "p", wantKey: "https://index.docker.io/v1/"},
		{name: "index.docker.io", host: "index.docker.io", username: "u", password: "p", wantKey: "https://index.docker.io/v1/"},
		{name: "registry-1.docker.io", host: "registry-1.docker.io", username: "u", password: "p", wantKey: "https://index.docker.io/v1/"},
		{name: "Docker.IO", host: "Docker.IO", username: "u", password: "p", wantKey: "https://index.docker.io/v1/"},
		{name: "password with anything", host: "ghcr.io", username: "u", password: "a:b\"c\\d\n\u00e9{}<>&", wantKey: "ghcr.io"},
		{name: "empty password", host: "ghcr.io", username: "u", password: "", wantKey: "ghcr.io"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := Config(tt.host, tt.username, tt.password)
			if err != nil {
				t.Fatalf("Config() error = %v", err)
			}
			got := decode(t, body)
			want := map[string]string{tt.wantKey: tt.username + ":" + tt.password}
			if len(got) != 1 || got[tt.wantKey] != want[tt.wantKey] {
				t.Errorf("Config() auths = %q, want %q", got, want)
			}
			again, err := Config(tt.host, tt.username, tt.password)
			if err != nil || !bytes.Equal(again, body) {
				t.Errorf("Config() is not deterministic: %s then %s", body, again)
			}
		})
	}
}

func TestConfigExactBody(t *testing.T) {
	body, err := Config("ghcr.io", "user", "pass")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}`
	if string(body) != want {
		t.Errorf("Config() = %s, want %s", body, want)
	}
}

func TestConfigErrors(t *testing.T) {
	const password = "s3cr3t-p4ss"
	tests := []struct {
		name, host, username, wantErr string
	}{
		{name: "empty host", host: "", username: "u", wantErr: "docker auth: empty registry host: want a host such as ghcr.io or localhost:5000"},
		{name: "blank host", host: "  ", username: "u", wantErr: "docker auth: empty registry host: want a host such as ghcr.io or localhost:5000"},
		{name: "empty username", host: "ghcr.io", username: "", wantErr: `docker auth for "ghcr.io": empty username: want the registry user name`},
		{name: "colon in username", host: "ghcr.io", username: "a:" + password, wantErr: `docker auth for "ghcr.io": username contains ':': want a user name without ':'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := Config(tt.host, tt.username, password)
			if err == nil {
				t.Fatalf("Config() = %s, want error", body)
			}
			msg := err.Error()
			if msg != tt.wantErr {
				t.Errorf("Config() error = %q, want %q", msg, tt.wantErr)
			}
			if strings.Contains(msg, password) || strings.Contains(msg, "\n") {
				t.Errorf("Config() error leaks the password or spans lines: %q", msg)
			}
		})
	}
}
