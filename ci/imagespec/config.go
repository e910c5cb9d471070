package imagespec

import (
	"maps"
	"strconv"
	"time"

	"dagger/echo-server/oci"
)

// Files are what the pipeline adds to the base image, as one layer: the
// base's account databases with the user added (0644), and the service
// binary (BinaryMode), all owned by root.
func Files(passwd, group string, binary []byte) []oci.File {
	return []oci.File{
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte(passwd)},
		{Path: "/etc/group", Mode: 0o644, Data: []byte(group)},
		{Path: BinaryPath, Mode: BinaryMode, Data: binary},
	}
}

// CreatedBy is the history entry of the added layer.
const CreatedBy = "COPY /etc/passwd /etc/group " + BinaryPath + " # echo-server pipeline"

// Config is what the release changes in the base image's config: the
// numeric user, the binary as entrypoint (the base's command dropped), the
// service port, the exec-form healthcheck with h's timings, the labels, and
// created (the commit time) as every timestamp.
func Config(u User, h Healthcheck, labels map[string]string, created time.Time) (oci.Config, error) {
	if err := u.Validate(); err != nil {
		return oci.Config{}, err
	}
	hc, err := h.docker()
	if err != nil {
		return oci.Config{}, err
	}
	return oci.Config{
		Created:      created,
		CreatedBy:    CreatedBy,
		User:         u.Spec(),
		Entrypoint:   Entrypoint(),
		ExposedPorts: []string{strconv.Itoa(Port) + "/tcp"},
		Healthcheck:  hc,
		Labels:       maps.Clone(labels),
	}, nil
}

// docker returns the healthcheck as the image config holds it: the exec
// form ["CMD", probe…] and the timings in nanoseconds.
func (h Healthcheck) docker() (oci.Healthcheck, error) {
	if err := h.Validate(); err != nil {
		return oci.Healthcheck{}, err
	}
	d := func(s string) time.Duration {
		v, _ := time.ParseDuration(s) // Validate parsed it
		return v
	}
	return oci.Healthcheck{
		Test:          append([]string{"CMD"}, HealthcheckArgs()...),
		Interval:      d(h.Interval),
		Timeout:       d(h.Timeout),
		StartPeriod:   d(h.StartPeriod),
		StartInterval: d(h.StartInterval),
		Retries:       h.Retries,
	}, nil
}
