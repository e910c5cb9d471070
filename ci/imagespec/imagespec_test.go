package imagespec

import (
	"slices"
	"strings"
	"testing"
)

const alpinePasswd = `root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
`

const alpineGroup = `root:x:0:root
bin:x:1:root,bin,daemon
nogroup:x:65533:
nobody:x:65534:
`

func TestAddTo(t *testing.T) {
	tests := []struct {
		name       string
		user       User
		passwd     string
		group      string
		wantPasswd string
		wantGroup  string
		wantErr    string
	}{
		{
			name:       "appends user and group",
			user:       User{Name: "docker-app", UID: 8080},
			passwd:     alpinePasswd,
			group:      alpineGroup,
			wantPasswd: alpinePasswd + "docker-app:x:8080:8080::/nonexistent:/sbin/nologin\n",
			wantGroup:  alpineGroup + "docker-app:x:8080:\n",
		},
		{
			name:       "missing final newline",
			user:       User{Name: "app", UID: 10001},
			passwd:     "root:x:0:0:root:/root:/bin/sh",
			group:      "root:x:0:root",
			wantPasswd: "root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/nonexistent:/sbin/nologin\n",
			wantGroup:  "root:x:0:root\napp:x:10001:\n",
		},
		{
			name:       "identical entry kept",
			user:       User{Name: "docker-app", UID: 8080},
			passwd:     alpinePasswd + "docker-app:x:8080:8080::/nonexistent:/sbin/nologin\n",
			group:      alpineGroup + "docker-app:x:8080:\n",
			wantPasswd: alpinePasswd + "docker-app:x:8080:8080::/nonexistent:/sbin/nologin\n",
			wantGroup:  alpineGroup + "docker-app:x:8080:\n",
		},
		{
			name:       "short and blank lines skipped",
			user:       User{Name: "app", UID: 8080},
			passwd:     "app:x\n\nroot:x:0:0:root:/root:/bin/sh\n",
			group:      "app\n",
			wantPasswd: "app:x\n\nroot:x:0:0:root:/root:/bin/sh\napp:x:8080:8080::/nonexistent:/sbin/nologin\n",
			wantGroup:  "app\napp:x:8080:\n",
		},
		{
			name:       "empty databases",
			user:       User{Name: "app", UID: 8080},
			wantPasswd: "app:x:8080:8080::/nonexistent:/sbin/nologin\n",
			wantGroup:  "app:x:8080:\n",
		},
		{
			name:    "group name taken with another id",
			user:    User{Name: "app", UID: 8080},
			passwd:  alpinePasswd,
			group:   alpineGroup + "app:x:9000:\n",
			wantErr: `/etc/group already has "app" with id 9000: choose another name or use id 9000`,
		},
		{
			name:    "name taken with another id",
			user:    User{Name: "bin", UID: 8080},
			passwd:  alpinePasswd,
			group:   alpineGroup,
			wantErr: `/etc/passwd already has "bin" with id 1: choose another name or use id 1`,
		},
		{
			name:    "id taken by another name",
			user:    User{Name: "app", UID: 2},
			passwd:  alpinePasswd,
			group:   alpineGroup,
			wantErr: `/etc/passwd already uses id 2 for "daemon": choose another uid`,
		},
		{
			name:    "group id taken",
			user:    User{Name: "app", UID: 65533},
			passwd:  alpinePasswd,
			group:   alpineGroup,
			wantErr: `/etc/group already uses id 65533 for "nogroup": choose another uid`,
		},
		{
			name:    "root rejected",
			user:    User{Name: "app", UID: 0},
			wantErr: "uid 0: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root",
		},
		{
			name:    "bad name",
			user:    User{Name: "App User", UID: 8080},
			wantErr: `user "App User": want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			passwd, group, err := tt.user.AddTo(tt.passwd, tt.group)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if passwd != tt.wantPasswd {
				t.Errorf("passwd:\n%s\nwant:\n%s", passwd, tt.wantPasswd)
			}
			if group != tt.wantGroup {
				t.Errorf("group:\n%s\nwant:\n%s", group, tt.wantGroup)
			}
		})
	}
}

func TestUserSpecIsNumeric(t *testing.T) {
	if got := (User{Name: "docker-app", UID: 8080}).Spec(); got != "8080:8080" {
		t.Errorf("Spec() = %q, want 8080:8080", got)
	}
}

func TestHealthcheckValidate(t *testing.T) {
	ok := Healthcheck{Interval: "30s", Timeout: "30s", StartPeriod: "5s", StartInterval: "1s", Retries: 3}
	tests := []struct {
		name    string
		mutate  func(*Healthcheck)
		wantErr string
	}{
		{"defaults", func(*Healthcheck) {}, ""},
		{"minutes", func(h *Healthcheck) { h.Interval = "1m30s" }, ""},
		{"one millisecond", func(h *Healthcheck) { h.Timeout = "1ms" }, ""},
		{"one retry", func(h *Healthcheck) { h.Retries = 1 }, ""},
		{"under a millisecond", func(h *Healthcheck) { h.StartInterval = "999us" }, `healthcheck start interval "999us": want a duration of at least 1ms such as 30s or 1m30s`},
		{"negative", func(h *Healthcheck) { h.Interval = "-30s" }, `healthcheck interval "-30s": want a duration of at least 1ms such as 30s or 1m30s`},
		{"negative retries", func(h *Healthcheck) { h.Retries = -1 }, "healthcheck retries -1: want a whole number of at least 1"},
		{"no unit", func(h *Healthcheck) { h.Interval = "30" }, `healthcheck interval "30": want a duration of at least 1ms such as 30s or 1m30s`},
		{"too short", func(h *Healthcheck) { h.Timeout = "10us" }, `healthcheck timeout "10us": want a duration of at least 1ms such as 30s or 1m30s`},
		{"empty start period", func(h *Healthcheck) { h.StartPeriod = "" }, `healthcheck start period "": want a duration of at least 1ms such as 30s or 1m30s`},
		{"bad start interval", func(h *Healthcheck) { h.StartInterval = "1 s" }, `healthcheck start interval "1 s": want a duration of at least 1ms such as 30s or 1m30s`},
		{"zero retries", func(h *Healthcheck) { h.Retries = 0 }, "healthcheck retries 0: want a whole number of at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ok
			tt.mutate(&h)
			err := h.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestHealthcheckIsExecFormOfTheBinary(t *testing.T) {
	// The probe is the binary's healthcheck subcommand: without it the
	// healthcheck would start a second server instead of probing the first.
	want := []string{"/usr/local/bin/echo-server", "healthcheck"}
	if got := HealthcheckArgs(); !slices.Equal(got, want) {
		t.Errorf("HealthcheckArgs() = %q, want %q", got, want)
	}
	if got, want := Entrypoint(), []string{"/usr/local/bin/echo-server"}; !slices.Equal(got, want) {
		t.Errorf("Entrypoint() = %q, want %q", got, want)
	}
}

// TestImageContract pins the values README.md and the checklist promise.
func TestImageContract(t *testing.T) {
	if BinaryPath != "/usr/local/bin/echo-server" {
		t.Errorf("BinaryPath = %q", BinaryPath)
	}
	if BinaryMode != 0o755 {
		t.Errorf("BinaryMode = %o, want 755", BinaryMode)
	}
	if Port != 8080 {
		t.Errorf("Port = %d, want 8080", Port)
	}
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		user    User
		wantErr string
	}{
		{User{Name: "docker-app", UID: 8080}, ""},
		{User{Name: "_a", UID: 1}, ""},
		{User{Name: "a" + strings.Repeat("b", 31), UID: 2147483646}, ""},
		{User{Name: "app", UID: 65533}, ""},
		{User{Name: "app", UID: 65535}, ""},
		{User{Name: "app", UID: 0}, "uid 0: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"},
		{User{Name: "app", UID: -1}, "uid -1: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"},
		{User{Name: "app", UID: 65534}, "uid 65534: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"},
		{User{Name: "app", UID: 2147483647}, "uid 2147483647: want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"},
		{User{Name: "", UID: 8080}, `user "": want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'`},
		{User{Name: "-app", UID: 8080}, `user "-app": want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'`},
		{User{Name: "a" + strings.Repeat("b", 32), UID: 8080}, `user "a` + strings.Repeat("b", 32) + `": want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'`},
	}
	for _, tt := range tests {
		err := tt.user.Validate()
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%+v.Validate() = %v, want nil", tt.user, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.wantErr {
			t.Errorf("%+v.Validate() = %v, want %q", tt.user, err, tt.wantErr)
		}
	}
}
