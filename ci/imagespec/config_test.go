package imagespec

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"dagger/echo-server/oci"
)

func TestFiles(t *testing.T) {
	got := Files("root:x:0:0::/:/bin/sh\n", "root:x:0:\n", []byte("ELF"))
	want := []oci.File{
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/:/bin/sh\n")},
		{Path: "/etc/group", Mode: 0o644, Data: []byte("root:x:0:\n")},
		{Path: "/usr/local/bin/echo-server", Mode: 0o755, Data: []byte("ELF")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Files = %+v\nwant %+v", got, want)
	}
}

func TestConfig(t *testing.T) {
	created := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	labels := map[string]string{"org.opencontainers.image.version": "1.2.3"}
	health := Healthcheck{Interval: "30s", Timeout: "1m30s", StartPeriod: "5s", StartInterval: "1ms", Retries: 3}
	got, err := Config(User{Name: "docker-app", UID: 8080}, health, labels, created)
	if err != nil {
		t.Fatal(err)
	}
	want := oci.Config{
		Created:      created,
		CreatedBy:    "COPY /etc/passwd /etc/group /usr/local/bin/echo-server # echo-server pipeline",
		User:         "8080:8080",
		Entrypoint:   []string{"/usr/local/bin/echo-server"},
		ExposedPorts: []string{"8080/tcp"},
		Healthcheck: oci.Healthcheck{
			Test:     []string{"CMD", "/usr/local/bin/echo-server", "healthcheck"},
			Interval: 30 * time.Second, Timeout: 90 * time.Second, StartPeriod: 5 * time.Second, StartInterval: time.Millisecond,
			Retries: 3,
		},
		Labels: labels,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Config =\n%+v\nwant\n%+v", got, want)
	}
	labels["org.opencontainers.image.version"] = "changed"
	if got.Labels["org.opencontainers.image.version"] != "1.2.3" {
		t.Error("Config shares the caller's label map")
	}
	// Each input is validated as its own Validate does.
	for _, tt := range []struct {
		name    string
		user    User
		health  Healthcheck
		wantErr string
	}{
		{"bad user", User{Name: "Docker", UID: 8080}, health, `user "Docker": want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'`},
		{"root", User{Name: "docker-app", UID: 0}, health, "uid 0: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"},
		{"bad interval", User{Name: "docker-app", UID: 8080}, Healthcheck{Interval: "0s", Timeout: "1s", StartPeriod: "1s", StartInterval: "1s", Retries: 1},
			`healthcheck interval "0s": want a duration of at least 1ms such as 30s or 1m30s`},
		{"no retries", User{Name: "docker-app", UID: 8080}, Healthcheck{Interval: "1s", Timeout: "1s", StartPeriod: "1s", StartInterval: "1s"},
			"healthcheck retries 0: want a whole number of at least 1"},
	} {
		got, err := Config(tt.user, tt.health, nil, created)
		if err == nil || err.Error() != tt.wantErr || !reflect.DeepEqual(got, oci.Config{}) {
			t.Errorf("%s: Config = %+v, %v; want error %q", tt.name, got, err, tt.wantErr)
		}
	}
}

// TestCreatedByNamesTheFiles: the history entry of the added layer names
// every file of it, and nothing is added that it does not name.
func TestCreatedByNamesTheFiles(t *testing.T) {
	files := Files("", "", nil)
	if len(files) != 3 {
		t.Errorf("Files holds %d files, want /etc/passwd, /etc/group and the binary", len(files))
	}
	for _, f := range files {
		if !strings.Contains(CreatedBy, " "+f.Path+" ") {
			t.Errorf("CreatedBy %q does not name %s", CreatedBy, f.Path)
		}
	}
}

// TestConfigDurations: each healthcheck timing reaches the config in
// nanoseconds, from every unit Go durations are written in.
func TestConfigDurations(t *testing.T) {
	h := Healthcheck{Interval: "1h2m3s", Timeout: "1500ms", StartPeriod: "2s500ms", StartInterval: "1ms", Retries: 1}
	got, err := Config(User{Name: "docker-app", UID: 8080}, h, nil, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := oci.Healthcheck{
		Test:     []string{"CMD", "/usr/local/bin/echo-server", "healthcheck"},
		Interval: 3723 * time.Second, Timeout: 1500 * time.Millisecond, StartPeriod: 2500 * time.Millisecond,
		StartInterval: time.Millisecond, Retries: 1,
	}
	if !reflect.DeepEqual(got.Healthcheck, want) {
		t.Errorf("Config healthcheck = %+v, want %+v", got.Healthcheck, want)
	}
	if got.Labels != nil {
		t.Errorf("Config labels = %v, want none", got.Labels)
	}
}
