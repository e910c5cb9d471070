package oci

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// FuzzConfigJSON feeds configJSON arbitrary base configs: it must not
// panic, and a config it accepts must come out with every change applied
// and every other top-level field as it was.
func FuzzConfigJSON(f *testing.F) {
	h := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("a", 64)}
	f.Add([]byte(baseConfig(amd64, []v1.Hash{h, h})), 2)
	f.Add([]byte(baseConfig(arm64, []v1.Hash{h})), 1)
	f.Add([]byte(`{"rootfs":{"diff_ids":[]}}`), 0)
	f.Add([]byte(`{"config":null,"history":null,"rootfs":{"diff_ids":[]}}`), 0)
	f.Add([]byte(`{"config":{"Labels":{"a":"b"},"ExposedPorts":{"1/udp":{}}},"rootfs":{"diff_ids":[]}}`), 0)
	f.Add([]byte(`[]`), 0)
	f.Add([]byte(`{"history":[1],"rootfs":{"diff_ids":[]}}`), 0)
	cfg := testConfig()
	added := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("b", 64)}
	f.Fuzz(func(t *testing.T, raw []byte, layers int) {
		out, err := configJSON(raw, cfg, stamp, layers, added)
		if err != nil {
			return
		}
		var in, got map[string]json.RawMessage
		if err := json.Unmarshal(raw, &in); err != nil {
			t.Fatalf("accepted a config that is not an object: %v", err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("output is not a JSON object: %v\n%s", err, out)
		}
		for k, v := range in {
			if k == "created" || k == "history" || k == "rootfs" || k == "config" {
				continue
			}
			if !jsonEqual(t, got[k], v) {
				t.Errorf("field %s: %s, want it kept as %s", k, got[k], v)
			}
		}
		// The fields the release writes, by their exact keys: a base may
		// hold others that differ only in case, which it keeps.
		var (
			created string
			history []map[string]json.RawMessage
			rootfs  v1.RootFS
			config  map[string]json.RawMessage
		)
		for key, into := range map[string]any{"created": &created, "history": &history, "rootfs": &rootfs, "config": &config} {
			if err := json.Unmarshal(got[key], into); err != nil {
				t.Fatalf("output %s: %v\n%s", key, err, out)
			}
		}
		if created != stamp {
			t.Errorf("created %s, want %s", created, stamp)
		}
		if ids := rootfs.DiffIDs; len(ids) != layers+1 || ids[layers] != added {
			t.Errorf("diff_ids %v: want %d then %s", ids, layers, added)
		}
		if n := len(history); n == 0 || string(history[n-1]["created_by"]) != `"`+cfg.CreatedBy+`"` || len(history[n-1]) != 2 {
			t.Errorf("history %s: want the added layer's entry last", got["history"])
		}
		for i, e := range history {
			if string(e["created"]) != `"`+stamp+`"` {
				t.Errorf("history %d created %s, want %s", i, e["created"], stamp)
			}
		}
		want := map[string]string{
			"User":        `"8080:8080"`,
			"Entrypoint":  `["/usr/local/bin/echo-server"]`,
			"Healthcheck": `{"Test":["CMD","/usr/local/bin/echo-server","healthcheck"],"Interval":30000000000,"Timeout":30000000000,"StartPeriod":5000000000,"StartInterval":1000000000,"Retries":3}`,
		}
		for k, v := range want {
			if string(config[k]) != v {
				t.Errorf("config %s = %s, want %s", k, config[k], v)
			}
		}
		if _, ok := config["Cmd"]; ok {
			t.Errorf("config keeps Cmd %s", config["Cmd"])
		}
		var ports map[string]any
		var labels map[string]string
		if json.Unmarshal(config["ExposedPorts"], &ports) != nil || json.Unmarshal(config["Labels"], &labels) != nil {
			t.Fatalf("config ports %s, labels %s", config["ExposedPorts"], config["Labels"])
		}
		if _, ok := ports["8080/tcp"]; !ok || labels["org.opencontainers.image.version"] != "1.2.3" {
			t.Errorf("ports %v, labels %v: want 8080/tcp and the release's labels", ports, labels)
		}
	})
}

// FuzzLayerTar feeds layerTar arbitrary files: it must not panic, and a
// layer it writes must hold each file once under its path, every parent
// directory once, sorted, nothing else, all owned by root.
func FuzzLayerTar(f *testing.F) {
	f.Add("/usr/local/bin/echo-server", uint32(0o755), []byte("bin"), "/etc/passwd")
	f.Add("/etc/passwd", uint32(0o644), []byte("x"), "/etc/passwd")
	f.Add("/usr", uint32(0o644), []byte(""), "/usr/x")
	f.Add("relative", uint32(0o4755), []byte(""), "/../x")
	f.Fuzz(func(t *testing.T, p1 string, mode uint32, data []byte, p2 string) {
		files := []File{{Path: p1, Mode: fs.FileMode(mode), Data: data}, {Path: p2, Mode: 0o644, Data: []byte("second")}}
		raw, err := layerTar(files, commit)
		if err != nil {
			return
		}
		want := map[string]bool{}
		for _, f := range files {
			name := strings.TrimPrefix(f.Path, "/")
			want[name] = true
			for d := path.Dir(name); d != "."; d = path.Dir(d) {
				want[d+"/"] = true
			}
		}
		tr := tar.NewReader(bytes.NewReader(raw))
		prev := ""
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("layer does not read back: %v", err)
			}
			if hdr.Name <= prev || !want[hdr.Name] || hdr.Uid != 0 || hdr.Gid != 0 || !hdr.ModTime.Equal(commit) {
				t.Fatalf("entry %+v after %q: want each of %v once, sorted, root's, at the commit time", hdr, prev, want)
			}
			delete(want, hdr.Name)
			prev = hdr.Name
		}
		if len(want) != 0 {
			t.Errorf("entries missing: %v", want)
		}
	})
}
