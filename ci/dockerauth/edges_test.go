package dockerauth

import (
	"testing"
)

// TestDockerHubHosts: each name of Docker Hub, in any case, is written
// under the Docker client's key; the names next to them keep their own.
func TestDockerHubHosts(t *testing.T) {
	if dockerHubKey != "https://index.docker.io/v1/" {
		t.Errorf("dockerHubKey = %q", dockerHubKey)
	}
	for _, host := range []string{"docker.io", "index.docker.io", "registry-1.docker.io", "DOCKER.IO", "Index.Docker.IO", "REGISTRY-1.DOCKER.IO"} {
		body, err := Config(host, "u", "p")
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, body); len(got) != 1 || got["https://index.docker.io/v1/"] != "u:p" {
			t.Errorf("Config(%q) auths = %q, want the Docker Hub key", host, got)
		}
	}
	for _, host := range []string{"docker.com", "hub.docker.com", "registry-2.docker.io", "registry.docker.io", "docker.io:443", "index.docker.io:443", "xdocker.io", "docker.io.example.com", "https://index.docker.io/v1/x"} {
		body, err := Config(host, "u", "p")
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, body); len(got) != 1 || got[host] != "u:p" {
			t.Errorf("Config(%q) auths = %q, want the host as key", host, got)
		}
	}
}

// TestUsernameColon: a ':' anywhere in the username is refused; the
// password may hold any.
func TestUsernameColon(t *testing.T) {
	const want = `docker auth for "r": username contains ':': want a user name without ':'`
	for _, user := range []string{":", ":u", "u:", "u:v", "u::"} {
		if _, err := Config("r", user, "p"); err == nil || err.Error() != want {
			t.Errorf("Config(user %q) error = %v, want %s", user, err, want)
		}
	}
	for _, user := range []string{"u", " ", "u;v", "u/v", "u@v", "é"} {
		if _, err := Config("r", user, ":"); err != nil {
			t.Errorf("Config(user %q) = %v", user, err)
		}
	}
	for _, host := range []string{"", " ", "\t", "\n", " \t\r\n"} {
		if _, err := Config(host, "u", "p"); err == nil || err.Error() != "docker auth: empty registry host: want a host such as ghcr.io or localhost:5000" {
			t.Errorf("Config(host %q) error = %v", host, err)
		}
	}
}
