package checklist

import (
	"io/fs"
	"slices"
	"testing"
)

const (
	binaryPath    = "/usr/local/bin/echo-server"
	revisionKey   = "org.opencontainers.image.revision"
	versionKey    = "org.opencontainers.image.version"
	envKey        = "dev.echo-server.environment"
	notNumericFix = `set USER to "8080:8080" so Kubernetes runAsNonRoot can verify it`
)

var required = []string{versionKey, revisionKey, envKey}

// compliantImage returns an image that passes the checklist.
func compliantImage() Image {
	return Image{
		User:        "8080:8080",
		Entrypoint:  []string{binaryPath},
		Healthcheck: &Healthcheck{Args: []string{"/usr/local/bin/probe", "http://127.0.0.1:8080/healthz"}},
		Labels: map[string]string{
			revisionKey: "3f786850e387550fdab836ed7e6dc881de23001b",
			versionKey:  "1.2.3",
			envKey:      "production",
			"extra":     "",
		},
		Binary: &File{Path: binaryPath, UID: 0, GID: 0, Mode: 0o555},
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Image)
		want   []string
	}{
		{
			name:   "compliant",
			modify: func(*Image) {},
			want:   nil,
		},
		{
			name: "compliant: uid only, binary owned by another non-root user",
			modify: func(img *Image) {
				img.User, img.Binary.UID, img.Binary.GID, img.Binary.Mode = "65532", 1000, 1000, 0o755
			},
			want: nil,
		},
		{
			name:   "compliant: group-writable binary of another group",
			modify: func(img *Image) { img.Binary.GID, img.Binary.Mode = 1000, 0o775 },
			want:   nil,
		},
		{
			name:   "user empty",
			modify: func(img *Image) { img.User = "" },
			want:   []string{`user is not set, so the container runs as root: set USER to "8080:8080"`},
		},
		{
			name:   "user root by name",
			modify: func(img *Image) { img.User = "root" },
			want:   []string{`user "root" runs as root: set USER to a numeric non-root user such as "8080:8080"`},
		},
		{
			name:   "user uid 0",
			modify: func(img *Image) { img.User = "0" },
			want:   []string{`user "0" runs as root: set USER to a numeric non-root user such as "8080:8080"`},
		},
		{
			name:   "user uid 0, other gid",
			modify: func(img *Image) { img.User = "0:8080" },
			want:   []string{`user "0:8080" runs as root: set USER to a numeric non-root user such as "8080:8080"`},
		},
		{
			name:   "user root with group name",
			modify: func(img *Image) { img.User = "root:app" },
			want:   []string{`user "root:app" runs as root: set USER to a numeric non-root user such as "8080:8080"`},
		},
		{
			name:   "user name",
			modify: func(img *Image) { img.User = "docker-app" },
			want:   []string{`user "docker-app" is not numeric: ` + notNumericFix},
		},
		{
			name:   "user group name",
			modify: func(img *Image) { img.User = "8080:app" },
			want:   []string{`user "8080:app" is not numeric: ` + notNumericFix},
		},
		{
			name:   "user negative",
			modify: func(img *Image) { img.User = "-1" },
			want:   []string{`user "-1" is not numeric: ` + notNumericFix},
		},
		{
			name:   "user with empty gid",
			modify: func(img *Image) { img.User = "8080:" },
			want:   []string{`user "8080:" is not of the form UID or UID:GID: set USER to "8080:8080"`},
		},
		{
			name:   "user with empty uid",
			modify: func(img *Image) { img.User = ":8080" },
			want:   []string{`user ":8080" is not of the form UID or UID:GID: set USER to "8080:8080"`},
		},
		{
			name:   "user with three parts",
			modify: func(img *Image) { img.User = "1:2:3" },
			want:   []string{`user "1:2:3" is not of the form UID or UID:GID: set USER to "8080:8080"`},
		},
		{
			name:   "healthcheck absent",
			modify: func(img *Image) { img.Healthcheck = nil },
			want:   []string{"image has no healthcheck: add a HEALTHCHECK in exec form that runs the probe by its absolute path"},
		},
		{
			name: "healthcheck through a shell",
			modify: func(img *Image) {
				img.Healthcheck = &Healthcheck{Args: []string{"curl --head --fail localhost || exit 1"}, Shell: true}
			},
			want: []string{`healthcheck "curl --head --fail localhost || exit 1" runs through /bin/sh -c: ` +
				"switch to the exec form with the probe's absolute path (no curl, no shell)"},
		},
		{
			name:   "healthcheck without a command",
			modify: func(img *Image) { img.Healthcheck = &Healthcheck{} },
			want:   []string{"healthcheck has no command: give it the probe's absolute path in exec form"},
		},
		{
			name:   "healthcheck with a blank command",
			modify: func(img *Image) { img.Healthcheck = &Healthcheck{Args: []string{" "}} },
			want:   []string{"healthcheck has no command: give it the probe's absolute path in exec form"},
		},
		{
			name: "healthcheck command looked up in PATH",
			modify: func(img *Image) {
				img.Healthcheck = &Healthcheck{Args: []string{"curl", "--fail", "http://localhost:8080/"}}
			},
			want: []string{`healthcheck command "curl" is not an absolute path: the exec form needs the probe's absolute path (no curl, no shell)`},
		},
		{
			name:   "healthcheck relative path",
			modify: func(img *Image) { img.Healthcheck = &Healthcheck{Args: []string{"./probe"}} },
			want:   []string{`healthcheck command "./probe" is not an absolute path: the exec form needs the probe's absolute path (no curl, no shell)`},
		},
		{
			name: "healthcheck runs a shell in exec form",
			modify: func(img *Image) {
				img.Healthcheck = &Healthcheck{Args: []string{"/bin/sh", "-c", "wget -q -O- localhost"}}
			},
			want: []string{`healthcheck runs the shell "/bin/sh": run the probe by its absolute path, without a shell`},
		},
		{
			name: "labels missing and empty, one line each, sorted",
			modify: func(img *Image) {
				delete(img.Labels, versionKey)
				img.Labels[revisionKey] = " \t"
				img.Labels[envKey] = ""
			},
			want: []string{
				`label "dev.echo-server.environment" is empty: set it to a non-empty value`,
				`label "org.opencontainers.image.revision" is empty: set it to a non-empty value`,
				`label "org.opencontainers.image.version" is missing: set it to a non-empty value`,
			},
		},
		{
			name:   "no labels at all",
			modify: func(img *Image) { img.Labels = nil },
			want: []string{
				`label "dev.echo-server.environment" is missing: set it to a non-empty value`,
				`label "org.opencontainers.image.revision" is missing: set it to a non-empty value`,
				`label "org.opencontainers.image.version" is missing: set it to a non-empty value`,
			},
		},
		{
			name:   "entrypoint empty",
			modify: func(img *Image) { img.Entrypoint = nil },
			want:   []string{"image has no entrypoint: set ENTRYPOINT to the service binary's absolute path in exec form"},
		},
		{
			name:   "entrypoint blank",
			modify: func(img *Image) { img.Entrypoint = []string{""} },
			want:   []string{"image has no entrypoint: set ENTRYPOINT to the service binary's absolute path in exec form"},
		},
		{
			name:   "binary not inspected",
			modify: func(img *Image) { img.Binary = nil },
			want:   []string{"could not inspect the binary; make sure the image has it at the entrypoint's path and a stat that can read it"},
		},
		{
			name:   "binary owned by the user, read-only",
			modify: func(img *Image) { img.Binary.UID, img.Binary.GID = 8080, 8080 },
			want: []string{"binary /usr/local/bin/echo-server is owned by the runtime user (uid 8080), " +
				"who can always make it writable: chown it to 0:0 and chmod it 0555"},
		},
		{
			name:   "binary owned by the user, writable",
			modify: func(img *Image) { img.Binary.UID, img.Binary.Mode = 8080, 0o755 },
			want: []string{"binary /usr/local/bin/echo-server is owned by the runtime user (uid 8080), " +
				"who can always make it writable: chown it to 0:0 and chmod it 0555"},
		},
		{
			name:   "binary writable by the user's group",
			modify: func(img *Image) { img.Binary.GID, img.Binary.Mode = 8080, 0o575 },
			want:   []string{"binary /usr/local/bin/echo-server is writable by the runtime group (gid 8080, mode 0575): chmod g-w"},
		},
		{
			name:   "binary writable by gid 0 for a user in group 0",
			modify: func(img *Image) { img.User, img.Binary.Mode = "8080:0", 0o775 },
			want:   []string{"binary /usr/local/bin/echo-server is writable by the runtime group (gid 0, mode 0775): chmod g-w"},
		},
		{
			name:   "binary group-writable and USER names no group",
			modify: func(img *Image) { img.User, img.Binary.GID, img.Binary.Mode = "8080", 1000, 0o775 },
			want: []string{"binary /usr/local/bin/echo-server is group-writable (mode 0775) and USER names no group, " +
				"so the runtime group may be its group: chmod g-w"},
		},
		{
			name:   "binary world-writable",
			modify: func(img *Image) { img.Binary.Mode = 0o757 },
			want:   []string{"binary /usr/local/bin/echo-server is world-writable (mode 0757): chmod o-w"},
		},
		{
			name: "non-numeric user: only the world-write bit is judged",
			modify: func(img *Image) {
				img.User, img.Binary.UID, img.Binary.GID, img.Binary.Mode = "app:app", 8080, 8080, 0o777
			},
			want: []string{
				`user "app:app" is not numeric: ` + notNumericFix,
				"binary /usr/local/bin/echo-server is world-writable (mode 0777): chmod o-w",
			},
		},
		{
			name:   "root user: the user rule says it, the binary rule does not repeat it",
			modify: func(img *Image) { img.User, img.Binary.Mode = "0:0", 0o755 },
			want:   []string{`user "0:0" runs as root: set USER to a numeric non-root user such as "8080:8080"`},
		},
		{
			name:   "binary with a setuid bit is judged by its permission bits",
			modify: func(img *Image) { img.Binary.Mode = 0o555 | fs.ModeSetuid },
			want:   nil,
		},
		{
			name:   "binary without a path",
			modify: func(img *Image) { img.Binary.Path, img.Binary.Mode = "", 0o777 },
			want:   []string{"binary (path unknown) is world-writable (mode 0777): chmod o-w"},
		},
		{
			name: "everything wrong, in rule order",
			modify: func(img *Image) {
				*img = Image{
					User:        "docker-app",
					Healthcheck: &Healthcheck{Args: []string{"curl --head --fail localhost || exit 1"}, Shell: true},
					Labels:      map[string]string{envKey: "dev"},
					Binary:      &File{Path: binaryPath, UID: 1000, GID: 1000, Mode: 0o777},
				}
			},
			want: []string{
				`user "docker-app" is not numeric: ` + notNumericFix,
				`healthcheck "curl --head --fail localhost || exit 1" runs through /bin/sh -c: ` +
					"switch to the exec form with the probe's absolute path (no curl, no shell)",
				`label "org.opencontainers.image.revision" is missing: set it to a non-empty value`,
				`label "org.opencontainers.image.version" is missing: set it to a non-empty value`,
				"image has no entrypoint: set ENTRYPOINT to the service binary's absolute path in exec form",
				"binary /usr/local/bin/echo-server is world-writable (mode 0777): chmod o-w",
			},
		},
		{
			name: "owned, group- and world-writable, in that order",
			modify: func(img *Image) {
				img.Binary = &File{Path: binaryPath, UID: 8080, GID: 8080, Mode: 0o777}
			},
			want: []string{
				"binary /usr/local/bin/echo-server is owned by the runtime user (uid 8080), " +
					"who can always make it writable: chown it to 0:0 and chmod it 0555",
				"binary /usr/local/bin/echo-server is writable by the runtime group (gid 8080, mode 0777): chmod g-w",
				"binary /usr/local/bin/echo-server is world-writable (mode 0777): chmod o-w",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := compliantImage()
			tt.modify(&img)
			got := Check(img, required)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestCheckRequiredLabels(t *testing.T) {
	img := compliantImage()
	img.Labels = map[string]string{"b": "x"}
	keys := []string{"c", "a", "b", "a"}
	want := []string{
		`label "a" is missing: set it to a non-empty value`,
		`label "c" is missing: set it to a non-empty value`,
	}
	if got := Check(img, keys); !slices.Equal(got, want) {
		t.Errorf("Check() = %q, want %q", got, want)
	}
	if !slices.Equal(keys, []string{"c", "a", "b", "a"}) {
		t.Errorf("Check() reordered the caller's required keys: %q", keys)
	}
	if got := Check(compliantImage(), nil); got != nil {
		t.Errorf("Check() without required labels = %q, want nil", got)
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		out  string
		want File
	}{
		{"0 0 555\n", File{Path: binaryPath, UID: 0, GID: 0, Mode: 0o555}},
		{"8080 8080 755", File{Path: binaryPath, UID: 8080, GID: 8080, Mode: 0o755}},
		{"  65534\t65534  0  \n", File{Path: binaryPath, UID: 65534, GID: 65534, Mode: 0}},
		{"0 0 4755\n", File{Path: binaryPath, UID: 0, GID: 0, Mode: 0o755 | fs.ModeSetuid}},
		{"0 0 7777", File{Path: binaryPath, UID: 0, GID: 0, Mode: 0o777 | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky}},
		{"2147483647 2147483647 0555", File{Path: binaryPath, UID: 2147483647, GID: 2147483647, Mode: 0o555}},
		{"90 19 2555", File{Path: binaryPath, UID: 90, GID: 19, Mode: 0o555 | fs.ModeSetgid}},
		{"9 0 1000", File{Path: binaryPath, UID: 9, GID: 0, Mode: fs.ModeSticky}},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			got, err := ParseStat(binaryPath, tt.out)
			if err != nil {
				t.Fatalf("ParseStat(%q) error: %v", tt.out, err)
			}
			if *got != tt.want {
				t.Errorf("ParseStat(%q) = %+v, want %+v", tt.out, *got, tt.want)
			}
		})
	}
}

func TestParseStatErrors(t *testing.T) {
	const form = `want "<uid> <gid> <octal mode>" such as "0 0 555"`
	tests := []struct {
		out     string
		wantErr string
	}{
		{"", `stat output "" for /usr/local/bin/echo-server: ` + form},
		{"stat: can't stat '/usr/local/bin/echo-server': No such file or directory\n",
			`stat output "stat: can't stat '/usr/local/bin/echo-server': No such file or directory\n" for /usr/local/bin/echo-server: ` + form},
		{"garbage", `stat output "garbage" for /usr/local/bin/echo-server: ` + form},
		{"0 0", `stat output "0 0" for /usr/local/bin/echo-server: ` + form},
		{"0 0 555 extra", `stat output "0 0 555 extra" for /usr/local/bin/echo-server: ` + form},
		{"0\n0 555", `stat output "0\n0 555" for /usr/local/bin/echo-server: ` + form},
		{"-1 0 555", `stat output "-1 0 555" for /usr/local/bin/echo-server: uid "-1" is not a non-negative decimal number`},
		{"+1 0 555", `stat output "+1 0 555" for /usr/local/bin/echo-server: uid "+1" is not a non-negative decimal number`},
		{"99999999999999999999 0 555", `stat output "99999999999999999999 0 555" for /usr/local/bin/echo-server: uid "99999999999999999999" is not a non-negative decimal number`},
		{"0 -5 555", `stat output "0 -5 555" for /usr/local/bin/echo-server: gid "-5" is not a non-negative decimal number`},
		{"0 root 555", `stat output "0 root 555" for /usr/local/bin/echo-server: gid "root" is not a non-negative decimal number`},
		{"0 0 -555", `stat output "0 0 -555" for /usr/local/bin/echo-server: mode "-555" is not octal permission bits from 0 to 7777`},
		{"0 0 999", `stat output "0 0 999" for /usr/local/bin/echo-server: mode "999" is not octal permission bits from 0 to 7777`},
		{"0 0 17777", `stat output "0 0 17777" for /usr/local/bin/echo-server: mode "17777" is not octal permission bits from 0 to 7777`},
		{"0 0 rwxr-xr-x", `stat output "0 0 rwxr-xr-x" for /usr/local/bin/echo-server: mode "rwxr-xr-x" is not octal permission bits from 0 to 7777`},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			got, err := ParseStat(binaryPath, tt.out)
			if err == nil {
				t.Fatalf("ParseStat(%q) = %+v, want error", tt.out, got)
			}
			if err.Error() != tt.wantErr {
				t.Errorf("ParseStat(%q) error:\n got %s\nwant %s", tt.out, err, tt.wantErr)
			}
		})
	}
}

func TestError(t *testing.T) {
	tests := []struct {
		name       string
		violations []string
		want       string // "" for a nil error
	}{
		{"nil", nil, ""},
		{"empty", []string{}, ""},
		{"one", []string{"image has no entrypoint: set ENTRYPOINT"}, "image fails the production checklist:\n  - image has no entrypoint: set ENTRYPOINT"},
		{"two", []string{"a: fix a", "b: fix b"}, "image fails the production checklist:\n  - a: fix a\n  - b: fix b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Error(tt.violations)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Error() = %q, want nil", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("Error() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckErrorRoundTrip(t *testing.T) {
	if err := Error(Check(compliantImage(), required)); err != nil {
		t.Errorf("compliant image: %v", err)
	}
	img := compliantImage()
	img.User = "docker-app"
	want := "image fails the production checklist:\n  - user \"docker-app\" is not numeric: " + notNumericFix
	if err := Error(Check(img, required)); err == nil || err.Error() != want {
		t.Errorf("Error(Check()) = %v, want %q", err, want)
	}
}
