package platform

import (
	"reflect"
	"testing"
)

// TestGoEnvVariant: GOARM is set for arm alone, from its variant; a variant
// of another architecture, or an arm without one, sets nothing more.
func TestGoEnvVariant(t *testing.T) {
	for _, tt := range []struct {
		p    Platform
		want [][2]string
	}{
		{Platform{"linux", "arm64", "v8"}, [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm64"}}},
		{Platform{"linux", "amd64", "v3"}, [][2]string{{"GOOS", "linux"}, {"GOARCH", "amd64"}}},
		{Platform{"linux", "arm", ""}, [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm"}}},
		{Platform{"linux", "arm", "v5"}, [][2]string{{"GOOS", "linux"}, {"GOARCH", "arm"}, {"GOARM", "5"}}},
		{Platform{"freebsd", "arm", "v6"}, [][2]string{{"GOOS", "freebsd"}, {"GOARCH", "arm"}, {"GOARM", "6"}}},
	} {
		if got := tt.p.GoEnv(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%#v.GoEnv() = %v, want %v", tt.p, got, tt.want)
		}
	}
}
