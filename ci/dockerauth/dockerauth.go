// Package dockerauth writes Docker client configuration that authenticates
// to an image registry.
package dockerauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// dockerHubKey is the auths key the Docker client uses for Docker Hub.
const dockerHubKey = "https://index.docker.io/v1/"

// dockerHubHosts are the host names that mean Docker Hub.
var dockerHubHosts = map[string]bool{
	"docker.io":            true,
	"index.docker.io":      true,
	"registry-1.docker.io": true,
}

// config is the part of a docker config.json that Config writes.
type config struct {
	Auths map[string]authEntry `json:"auths"`
}

// authEntry holds the credentials for one registry.
type authEntry struct {
	Auth string `json:"auth"`
}

// Config returns a docker config.json body that authenticates to host with
// username and password:
//
//	{"auths":{"<host>":{"auth":"<base64(username:password)>"}}}
//
// For Docker Hub hosts (docker.io, index.docker.io, registry-1.docker.io)
// the key is "https://index.docker.io/v1/". The host must not be empty, and
// the username must not be empty or contain ':' (it would corrupt the auth
// field); the password may contain anything. The output is deterministic.
// It holds the secret, so callers must not log it; errors never include the
// username or password.
func Config(host, username, password string) ([]byte, error) {
	if strings.TrimSpace(host) == "" {
		return nil, errors.New("docker auth: empty registry host: want a host such as ghcr.io or localhost:5000")
	}
	if username == "" {
		return nil, fmt.Errorf("docker auth for %q: empty username: want the registry user name", host)
	}
	if strings.Contains(username, ":") {
		return nil, fmt.Errorf("docker auth for %q: username contains ':': want a user name without ':'", host)
	}
	key := host
	if dockerHubHosts[strings.ToLower(host)] {
		key = dockerHubKey
	}
	auth := base64.StdEncoding.EncodeToString([]byte(username + ":" + password))
	body, err := json.Marshal(config{Auths: map[string]authEntry{key: {Auth: auth}}})
	if err != nil {
		return nil, fmt.Errorf("docker auth for %q: encode config: %w", host, err)
	}
	return body, nil
}
