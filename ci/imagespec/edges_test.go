package imagespec

import (
	"fmt"
	"strings"
	"testing"
)

// The runtime image's rules (README.md, "The pipeline", step 2: "a
// docker-app account with no home and no login shell, the binary at
// /usr/local/bin/echo-server owned by root (mode 0755), USER 8080:8080,
// port 8080, an exec-form HEALTHCHECK (echo-server healthcheck)") and the
// validation of user and healthcheck, pinned at their edges.

const (
	wantName = "want 1-32 characters of a-z, 0-9, '_' or '-', starting with a letter or '_'"
	wantUID  = "want a number from 1 to 2147483646 other than 65534 (nobody); 0 is root"
	wantDur  = "want a duration of at least 1ms such as 30s or 1m30s"
)

// TestUserNameCharacters: the first character is a-z or '_', the others
// a-z, 0-9, '_' or '-'; each is accepted at both ends of its range, and
// the characters next to them are refused.
func TestUserNameCharacters(t *testing.T) {
	for _, first := range []string{"a", "m", "z", "_"} {
		if err := (User{Name: first + "x", UID: 8080}).Validate(); err != nil {
			t.Errorf("name starting with %q refused: %v", first, err)
		}
	}
	for _, first := range []string{"`", "{", "A", "Z", "^", "0", "9", "-", ".", "/", ":", " ", "é"} {
		name := first + "x"
		want := fmt.Sprintf("user %q: %s", name, wantName)
		if err := (User{Name: name, UID: 8080}).Validate(); err == nil || err.Error() != want {
			t.Errorf("name %q: error = %v, want %s", name, err, want)
		}
	}
	for _, rest := range []string{"a", "z", "0", "9", "_", "-", "m", "5"} {
		if err := (User{Name: "x" + rest, UID: 8080}).Validate(); err != nil {
			t.Errorf("name with %q refused: %v", rest, err)
		}
	}
	for _, rest := range []string{"`", "{", "A", "Z", "^", ",", ".", "/", ":", "@", "[", " ", "\n", "$", "é"} {
		name := "x" + rest
		want := fmt.Sprintf("user %q: %s", name, wantName)
		if err := (User{Name: name, UID: 8080}).Validate(); err == nil || err.Error() != want {
			t.Errorf("name %q: error = %v, want %s", name, err, want)
		}
	}
	// 1 to 32 characters.
	for _, n := range []int{1, 2, 31, 32} {
		if err := (User{Name: strings.Repeat("a", n), UID: 8080}).Validate(); err != nil {
			t.Errorf("name of %d characters refused: %v", n, err)
		}
	}
	for _, n := range []int{0, 33, 34} {
		name := strings.Repeat("a", n)
		want := fmt.Sprintf("user %q: %s", name, wantName)
		if err := (User{Name: name, UID: 8080}).Validate(); err == nil || err.Error() != want {
			t.Errorf("name of %d characters: error = %v, want %s", n, err, want)
		}
	}
}

// TestUIDEdges: 1 to 2147483646 (2^31-2: neither root nor the overflow
// id), other than 65534 (nobody).
func TestUIDEdges(t *testing.T) {
	if maxID != 1<<31-2 {
		t.Errorf("maxID = %d, want 2^31-2", maxID)
	}
	for _, uid := range []int{1, 2, 999, 1000, 8080, 65533, 65535, 65536, 1<<31 - 3, 1<<31 - 2} {
		if err := (User{Name: "app", UID: uid}).Validate(); err != nil {
			t.Errorf("uid %d refused: %v", uid, err)
		}
	}
	for _, uid := range []int{-2147483648, -1, 0, 65534, 1<<31 - 1, 1 << 31, 1 << 32} {
		want := fmt.Sprintf("uid %d: %s", uid, wantUID)
		if err := (User{Name: "app", UID: uid}).Validate(); err == nil || err.Error() != want {
			t.Errorf("uid %d: error = %v, want %s", uid, err, want)
		}
	}
}

// TestHealthcheckDurationEdges: each of the four durations must be at
// least 1ms, in whatever unit it is written.
func TestHealthcheckDurationEdges(t *testing.T) {
	ok := Healthcheck{Interval: "30s", Timeout: "5s", StartPeriod: "5s", StartInterval: "1s", Retries: 3}
	fields := []struct {
		name string
		set  func(*Healthcheck, string)
	}{
		{"interval", func(h *Healthcheck, v string) { h.Interval = v }},
		{"timeout", func(h *Healthcheck, v string) { h.Timeout = v }},
		{"start period", func(h *Healthcheck, v string) { h.StartPeriod = v }},
		{"start interval", func(h *Healthcheck, v string) { h.StartInterval = v }},
	}
	for _, f := range fields {
		for _, v := range []string{"1ms", "1000us", "1000µs", "1000000ns", "0.001s", "1.5ms", "1m30s", "1h"} {
			h := ok
			f.set(&h, v)
			if err := h.Validate(); err != nil {
				t.Errorf("%s %q refused: %v", f.name, v, err)
			}
		}
		for _, v := range []string{"999us", "999999ns", "0.0009s", "0.999ms", "1ns", "0", "0s", "-1ms", "-1h", "1", "30", "", "1 ms", "1MS", "1d"} {
			h := ok
			f.set(&h, v)
			want := fmt.Sprintf("healthcheck %s %q: %s", f.name, v, wantDur)
			if err := h.Validate(); err == nil || err.Error() != want {
				t.Errorf("%s %q: error = %v, want %s", f.name, v, err, want)
			}
		}
	}
	for _, r := range []int{1, 2, 3, 100} {
		h := ok
		h.Retries = r
		if err := h.Validate(); err != nil {
			t.Errorf("retries %d refused: %v", r, err)
		}
	}
	for _, r := range []int{0, -1, -100} {
		h := ok
		h.Retries = r
		want := fmt.Sprintf("healthcheck retries %d: want a whole number of at least 1", r)
		if err := h.Validate(); err == nil || err.Error() != want {
			t.Errorf("retries %d: error = %v, want %s", r, err, want)
		}
	}
}

// TestAccountEntries: "no home and no login shell": the passwd entry's
// home is /nonexistent and its shell /sbin/nologin, its group the user's
// own id; USER is the numeric uid:gid.
func TestAccountEntries(t *testing.T) {
	for _, u := range []User{{Name: "docker-app", UID: 8080}, {Name: "a", UID: 1}, {Name: "_x-9", UID: 2147483646}} {
		id := fmt.Sprint(u.UID)
		passwd, group, err := u.AddTo("", "")
		if err != nil {
			t.Fatal(err)
		}
		if want := u.Name + ":x:" + id + ":" + id + "::/nonexistent:/sbin/nologin\n"; passwd != want {
			t.Errorf("passwd = %q, want %q", passwd, want)
		}
		if want := u.Name + ":x:" + id + ":\n"; group != want {
			t.Errorf("group = %q, want %q", group, want)
		}
		if want := id + ":" + id; u.Spec() != want {
			t.Errorf("Spec() = %q, want %q", u.Spec(), want)
		}
	}
	// A bad user never reaches the databases.
	if _, _, err := (User{Name: "app", UID: 65534}).AddTo("", ""); err == nil || err.Error() != "uid 65534: "+wantUID {
		t.Errorf("AddTo(nobody) error = %v", err)
	}
}

// TestClashAfterShortLines: lines too short to hold an id are skipped, and
// the entries after them are still checked for a clash.
func TestClashAfterShortLines(t *testing.T) {
	for _, tt := range []struct{ passwd, group, want string }{
		{"short\n\nbin:x:1:1:bin:/bin:/sbin/nologin\n", "", `/etc/passwd already has "bin" with id 1: choose another name or use id 1`},
		{"", "a:b\nbin:x:1:\n", `/etc/group already has "bin" with id 1: choose another name or use id 1`},
	} {
		if _, _, err := (User{Name: "bin", UID: 8080}).AddTo(tt.passwd, tt.group); err == nil || err.Error() != tt.want {
			t.Errorf("AddTo(%q, %q) error = %v, want %s", tt.passwd, tt.group, err, tt.want)
		}
	}
}
