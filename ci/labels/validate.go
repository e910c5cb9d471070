package labels

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
)

// envPrefixRE matches a lowercase reverse-DNS prefix with at least one dot.
var envPrefixRE = regexp.MustCompile(`^[a-z0-9-]+(\.[a-z0-9-]+)+$`)

// reservedPrefixes are label namespaces a custom label must stay out of:
// OCI's, and those the Docker documentation reserves for Docker.
var reservedPrefixes = []string{"org.opencontainers.", "com.docker.", "io.docker.", "org.dockerproject."}

// validateMeta returns a one-line error for the first invalid field of m, in
// field order, or nil. m must already be trimmed. The URL and image fields are
// checked by Build as it parses them.
func validateMeta(m Meta) error {
	for _, f := range []struct{ name, value string }{
		{"Title", m.Title},
		{"Description", m.Description},
		{"Vendor", m.Vendor},
		{"Authors", m.Authors},
		{"Licenses", m.Licenses},
	} {
		if f.value == "" {
			return fmt.Errorf("invalid Meta.%s %q: want a non-empty value", f.name, f.value)
		}
	}
	// The SPDX parser: license and exception ids of the SPDX license list
	// (in any case), LicenseRef-…, AND, OR, WITH (in upper case) and parentheses.
	if _, err := spdxexp.ExtractLicenses(m.Licenses); err != nil {
		return fmt.Errorf(`invalid Meta.Licenses %q: %v; want an SPDX license expression such as "Apache-2.0" or "(MIT OR Apache-2.0)"`, m.Licenses, err)
	}
	if !envPrefixRE.MatchString(m.EnvPrefix) {
		return fmt.Errorf(`invalid Meta.EnvPrefix %q: want a lowercase reverse-DNS prefix with at least one dot, such as "dev.echo-server"`, m.EnvPrefix)
	}
	for _, reserved := range reservedPrefixes {
		if strings.HasPrefix(m.EnvPrefix+".", reserved) {
			return fmt.Errorf("invalid Meta.EnvPrefix %q: want a prefix outside the reserved %q namespace", m.EnvPrefix, reserved)
		}
	}
	if m.Environment == "" {
		return fmt.Errorf("invalid Meta.Environment %q: want a non-empty value", m.Environment)
	}
	return nil
}
