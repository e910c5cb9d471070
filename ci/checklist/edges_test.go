package checklist

import (
	"io/fs"
	"slices"
	"testing"
)

// The production checklist's rules (README.md, "The pipeline", step 2:
// "USER 8080:8080 (numeric, so Kubernetes runAsNonRoot can verify it)", an
// exec-form HEALTHCHECK with "no curl, no shell", the binary owned by root)
// pinned at their edges.

func checkOnly(modify func(*Image)) []string {
	img := compliantImage()
	modify(&img)
	return Check(img, required)
}

// TestShellsRefused: each shell of the list, by its base name in any
// directory, is refused as a healthcheck; names next to them are not
// shells.
func TestShellsRefused(t *testing.T) {
	for _, probe := range []string{"/bin/sh", "/bin/ash", "/bin/bash", "/bin/dash", "/bin/ksh", "/bin/zsh",
		"/usr/bin/sh", "/usr/local/bin/bash", "/sh", "/usr/bin/../bin/zsh"} {
		got := checkOnly(func(img *Image) { img.Healthcheck = &Healthcheck{Args: []string{probe, "-c", "true"}} })
		want := []string{`healthcheck runs the shell "` + probe + `": run the probe by its absolute path, without a shell`}
		if !slices.Equal(got, want) {
			t.Errorf("healthcheck %s: %q, want %q", probe, got, want)
		}
	}
	for _, probe := range []string{"/bin/shx", "/bin/sh2", "/bin/esh", "/bin/bashful", "/bin/SH", "/sh/probe", "/usr/local/bin/echo-server", "/bin/fsh", "/bin/ashes"} {
		if got := checkOnly(func(img *Image) { img.Healthcheck = &Healthcheck{Args: []string{probe}} }); got != nil {
			t.Errorf("healthcheck %s: %q, want none", probe, got)
		}
	}
	if want := []string{"sh", "ash", "bash", "dash", "ksh", "zsh"}; !slices.Equal(shells, want) {
		t.Errorf("shells = %q, want %q", shells, want)
	}
}

// TestUserEdges: USER is UID or UID:GID, decimal, not 0; spaces around it
// are ignored.
func TestUserEdges(t *testing.T) {
	const (
		notNumeric = `" is not numeric: set USER to "8080:8080" so Kubernetes runAsNonRoot can verify it`
		root       = `" runs as root: set USER to a numeric non-root user such as "8080:8080"`
		form       = `" is not of the form UID or UID:GID: set USER to "8080:8080"`
	)
	for _, user := range []string{"1", "1:0", "9", "10", "8080:8080", " 8080:8080 ", "\t8080\n", "2147483647:2147483647", "00001", "65534:65534"} {
		if got := checkOnly(func(img *Image) { img.User = user }); got != nil {
			t.Errorf("user %q: %q, want none", user, got)
		}
	}
	for _, tt := range []struct{ user, want string }{
		{"0", `user "0` + root},
		{"00", `user "00` + root},
		{"0:0", `user "0:0` + root},
		{" 0 ", `user " 0 ` + root},
		{"root", `user "root` + root},
		{"root:0", `user "root:0` + root},
		{"ROOT", `user "ROOT` + notNumeric},
		{"Root:1", `user "Root:1` + notNumeric},
		{"99999999999999999999", `user "99999999999999999999` + notNumeric},
		{"8080:99999999999999999999", `user "8080:99999999999999999999` + notNumeric},
		{"+1", `user "+1` + notNumeric},
		{"1a", `user "1a` + notNumeric},
		{"1/", `user "1/` + notNumeric},
		{"8080:1/", `user "8080:1/` + notNumeric},
		{"1 2", `user "1 2` + notNumeric},
		{"0x10", `user "0x10` + notNumeric},
		{"8080:-1", `user "8080:-1` + notNumeric},
		{":", `user ":` + form},
		{"1::", `user "1::` + form},
		{"1:2:", `user "1:2:` + form},
		{" ", `user is not set, so the container runs as root: set USER to "8080:8080"`},
		{"\t\n", `user is not set, so the container runs as root: set USER to "8080:8080"`},
	} {
		got := checkOnly(func(img *Image) { img.User = tt.user })
		if len(got) == 0 || got[0] != tt.want {
			t.Errorf("user %q: %q, want first %q", tt.user, got, tt.want)
		}
	}
}

// TestBinaryModeBits: of the nine permission bits only group-write (when
// the runtime group may be the binary's) and world-write are violations;
// owner-write is root's, and root owns the binary.
func TestBinaryModeBits(t *testing.T) {
	const path = "/usr/local/bin/echo-server"
	for _, tt := range []struct {
		mode fs.FileMode
		want []string
	}{
		{0o400, nil}, {0o200, nil}, {0o100, nil},
		{0o040, nil}, {0o010, nil},
		{0o020, []string{"binary " + path + " is writable by the runtime group (gid 8080, mode 0020): chmod g-w"}},
		{0o004, nil}, {0o001, nil},
		{0o002, []string{"binary " + path + " is world-writable (mode 0002): chmod o-w"}},
		{0o755, nil}, {0o555, nil},
		{0o777 | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky, []string{
			"binary " + path + " is writable by the runtime group (gid 8080, mode 0777): chmod g-w",
			"binary " + path + " is world-writable (mode 0777): chmod o-w",
		}},
	} {
		got := checkOnly(func(img *Image) { img.Binary = &File{Path: path, UID: 0, GID: 8080, Mode: tt.mode} })
		if !slices.Equal(got, tt.want) {
			t.Errorf("mode %04o: %q, want %q", tt.mode, got, tt.want)
		}
	}
	// Owned by uid 8080 (the runtime user) is a violation; by 8079 or 8081
	// it is not.
	for _, uid := range []int{8079, 8081, 0} {
		if got := checkOnly(func(img *Image) { img.Binary.UID = uid }); got != nil {
			t.Errorf("binary of uid %d: %q, want none", uid, got)
		}
	}
}

// TestBlankValues: a label, an entrypoint or a healthcheck command of
// spaces alone counts as missing.
func TestBlankValues(t *testing.T) {
	for _, blank := range []string{" ", "\t", "\n", "\r\n", " \t "} {
		got := checkOnly(func(img *Image) { img.Labels[envKey] = blank })
		if want := []string{`label "dev.echo-server.environment" is empty: set it to a non-empty value`}; !slices.Equal(got, want) {
			t.Errorf("label %q: %q, want %q", blank, got, want)
		}
		got = checkOnly(func(img *Image) { img.Entrypoint = []string{blank, "x"} })
		if want := []string{"image has no entrypoint: set ENTRYPOINT to the service binary's absolute path in exec form"}; !slices.Equal(got, want) {
			t.Errorf("entrypoint %q: %q, want %q", blank, got, want)
		}
		got = checkOnly(func(img *Image) { img.Healthcheck = &Healthcheck{Args: []string{blank}} })
		if want := []string{"healthcheck has no command: give it the probe's absolute path in exec form"}; !slices.Equal(got, want) {
			t.Errorf("healthcheck %q: %q, want %q", blank, got, want)
		}
	}
	if got := checkOnly(func(img *Image) { img.Labels[envKey] = " x " }); got != nil {
		t.Errorf("label \" x \": %q, want none", got)
	}
}

// TestStatModeEdges: stat's octal mode from 0 to 7777; one past is
// refused, and so are digits that are not octal.
func TestStatModeEdges(t *testing.T) {
	for _, tt := range []struct {
		mode string
		want fs.FileMode
	}{
		{"0", 0}, {"7", 0o7}, {"777", 0o777}, {"1777", 0o777 | fs.ModeSticky}, {"7777", 0o777 | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky},
		{"4000", fs.ModeSetuid}, {"2000", fs.ModeSetgid}, {"1000", fs.ModeSticky}, {"0755", 0o755}, {"00000755", 0o755},
	} {
		f, err := ParseStat("/b", "0 0 "+tt.mode)
		if err != nil || f.Mode != tt.want {
			t.Errorf("mode %s: %v, %v; want %v", tt.mode, f, err, tt.want)
		}
	}
	for _, mode := range []string{"10000", "8", "9", "778", "0o755", "0x1ff", "-0", "+755", "37777777777"} {
		want := `stat output "0 0 ` + mode + `" for /b: mode "` + mode + `" is not octal permission bits from 0 to 7777`
		if _, err := ParseStat("/b", "0 0 "+mode); err == nil || err.Error() != want {
			t.Errorf("mode %s: error %v, want %s", mode, err, want)
		}
	}
	// Ids: decimal digits only, the largest int32 too.
	for _, id := range []string{"0", "9", "10", "2147483647", "4294967295"} {
		if _, err := ParseStat("/b", id+" "+id+" 555"); err != nil {
			t.Errorf("id %s refused: %v", id, err)
		}
	}
	for _, id := range []string{"/1", "1/", ":1", "1:", "a", "١"} {
		want := `stat output "` + id + ` 0 555" for /b: uid "` + id + `" is not a non-negative decimal number`
		if _, err := ParseStat("/b", id+" 0 555"); err == nil || err.Error() != want {
			t.Errorf("uid %s: error %v, want %s", id, err, want)
		}
	}
}
