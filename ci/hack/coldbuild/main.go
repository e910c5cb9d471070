// Command coldbuild replays, on this machine, the Go work of a `dagger call
// check` on a cold engine, and times it. The go commands, their environment
// and the platforms come from packages gobuild and platform, as in
// ci/golang.go; the order and concurrency are the pipeline's:
//
//  1. gate: sharing one build cache, the compile ahead (gobuild.Prepare),
//     then go vet, go test and the build for this machine's platform at
//     once; the builds for the other release platforms (linux/amd64,
//     linux/arm64) from the start;
//  2. fresh: the rebuild that proves reproducibility, every platform at
//     once, each from an empty build cache; its binaries must be the same
//     bytes as the gate's.
//
// Every go command runs in a copy of echo-server/ with an empty GOCACHE in a
// scratch directory, so nothing this machine compiled before helps.
//
//	make coldbuild                                          # wall-clock and CPU per step and phase
//	cd ci/hack/coldbuild && GOWORK=off go run . -explain    # also: what each step compiled (go -x)
//
// It is a module of its own, outside go.work like the bindings tool, that
// uses the pipeline's packages from the checkout (a replace directive).
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dagger/echo-server/gobuild"
	"dagger/echo-server/platform"
)

func main() {
	repo := flag.String("repo", "..", "the repository root, holding echo-server/")
	explain := flag.Bool("explain", false, "run the go commands with -x and report what each step compiled, and what more than one step compiled")
	keep := flag.Bool("keep", false, "keep the scratch directory")
	flag.Parse()
	if err := run(context.Background(), *repo, *explain, *keep); err != nil {
		slog.Error("coldbuild", "err", err)
		os.Exit(1)
	}
}

// stamp is the version stamp of the replayed builds; any valid stamp
// compiles the same packages.
var stamp = gobuild.Stamp{Version: "0.0.0-coldbuild", Commit: strings.Repeat("0", 40), Date: "2026-01-01T00:00:00Z"}

func run(ctx context.Context, repo string, explain, keep bool) error {
	scratch, err := os.MkdirTemp("", "coldbuild-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("scratch:", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	src := filepath.Join(scratch, "src")
	if err := copySource(filepath.Join(repo, "echo-server"), src); err != nil {
		return err
	}
	native, err := platform.Parse(runtime.GOOS + "/" + runtime.GOARCH)
	if err != nil {
		return fmt.Errorf("this machine's platform: %w", err)
	}
	r := &runner{src: src, scratch: scratch, explain: explain, base: baseEnv(scratch)}
	fmt.Printf("%s, %d CPUs, GOMAXPROCS %d, %s\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), native)

	started := time.Now()
	gate, err := r.phase(ctx, "gate", gateSteps(native))
	if err != nil {
		return err
	}
	fresh, err := r.phase(ctx, "fresh", freshSteps())
	if err != nil {
		return err
	}
	total := time.Since(started)

	if err := sameBinaries(gate, fresh); err != nil {
		return err
	}
	r.report(total)
	return nil
}

// gateSteps are the gate's go commands, as ci/golang.go runs them: the
// compile ahead (gobuild.Prepare) first, then vet, test and the build for
// the builder's own platform after it; the builds for other platforms from
// the start.
func gateSteps(native platform.Platform) []step {
	const prepare = "go list -export"
	steps := []step{
		{name: prepare, args: gobuild.Prepare()},
		{name: "go vet", args: gobuild.Vet(nil), after: prepare},
		{name: "go test", args: gobuild.Test(nil), after: prepare},
	}
	for _, p := range platform.Default() {
		s := buildStep("go build "+p.String(), p, nil)
		if p == native {
			s.after = prepare
		}
		steps = append(steps, s)
	}
	return steps
}

// freshSteps are the rebuild of every release platform from an empty build
// cache.
func freshSteps() []step {
	var steps []step
	for _, p := range platform.Default() {
		steps = append(steps, buildStep("fresh go build "+p.String(), p, gobuild.FreshEnv("coldbuild")))
	}
	return steps
}

func buildStep(name string, p platform.Platform, extra [][2]string) step {
	args, err := gobuild.Build(stamp, "", nil, "OUT")
	if err != nil {
		panic(err) // stamp is valid
	}
	return step{name: name, args: args, env: append(p.GoEnv(), extra...), binary: true}
}

// step is one go command of the pipeline. Its output flag ("-o OUT") is
// pointed at a file of the scratch directory.
type step struct {
	name   string
	args   []string
	env    [][2]string // on top of gobuild.Env
	binary bool
	// after names a step that must finish first.
	after string
}

// result is how a step went.
type result struct {
	step       step
	start, end time.Duration // from the start of its phase
	cpu        time.Duration // user + system, the go command and its children
	binary     string
	compiled   []string // GOOS/GOARCH package, with -explain
	vets       int
	links      int
}

type runner struct {
	src, scratch string
	base         []string
	explain      bool
	phases       []phaseResult
}

type phaseResult struct {
	name    string
	wall    time.Duration
	results []result
	// others is the CPU the rest of the machine used meanwhile, in cores
	// on average (-1 where /proc/stat cannot be read): other work slows
	// the replay down, and the figures mean little unless it is near 0.
	others float64
}

// phase runs steps at the same time, each after the one it waits for, and
// fails with the output of the first that failed.
func (r *runner) phase(ctx context.Context, name string, steps []step) ([]result, error) {
	busyBefore, errBefore := machineCPU()
	start := time.Now()
	done := map[string]chan struct{}{}
	for _, s := range steps {
		done[s.name] = make(chan struct{})
	}
	results := make([]result, len(steps))
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, s := range steps {
		wg.Go(func() {
			defer close(done[s.name])
			if s.after != "" {
				<-done[s.after]
			}
			results[i], errs[i] = r.run(ctx, s, start)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	ph := phaseResult{name: name, wall: time.Since(start), results: results, others: -1}
	if busyAfter, err := machineCPU(); err == nil && errBefore == nil {
		busy := busyAfter - busyBefore
		for _, res := range results {
			busy -= res.cpu
		}
		ph.others = max(0, busy.Seconds()/ph.wall.Seconds())
	}
	r.phases = append(r.phases, ph)
	return results, nil
}

// userHZ is the unit of /proc/stat: 100 ticks a second on Linux.
const userHZ = 100

// machineCPU is the CPU time every process of the machine has used since
// boot: the user, nice, system, irq and softirq ticks of /proc/stat.
func machineCPU() (time.Duration, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq …
	if len(f) < 8 || f[0] != "cpu" {
		return 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7} {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// run runs one step with its environment, in the source copy.
func (r *runner) run(ctx context.Context, s step, phaseStart time.Time) (result, error) {
	res := result{step: s, start: time.Since(phaseStart)}
	args := slices.Clone(s.args)
	if s.binary {
		res.binary = filepath.Join(r.scratch, "out", strings.ReplaceAll(s.name, " ", "-"), "echo-server")
		args[slices.Index(args, "OUT")] = res.binary
	}
	if r.explain {
		args = slices.Insert(args, 2, "-x")
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = r.src
	cmd.Env = slices.Clone(r.base)
	goos, goarch := runtime.GOOS, runtime.GOARCH
	for _, kv := range append(gobuild.Env(), s.env...) {
		v := kv[1]
		switch kv[0] {
		case "GOCACHE": // a path in the builder: here, under the scratch directory
			v = filepath.Join(r.scratch, strings.ReplaceAll(s.name, " ", "-")+"-cache", v)
		case "GOOS":
			goos = v
		case "GOARCH":
			goarch = v
		}
		cmd.Env = append(cmd.Env, kv[0]+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	res.end = time.Since(phaseStart)
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return res, fmt.Errorf("%s: %w\n%s", s.name, err, out.String())
	}
	if r.explain {
		res.compiled, res.vets, res.links = actions(out.Bytes(), goos+"/"+goarch)
	}
	return res, nil
}

// actions reads the -x output of a go command: the packages it compiled
// (for platform), and how many times it ran vet and the linker.
func actions(out []byte, platform string) (compiled []string, vets, links int) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		for len(f) > 0 && strings.Contains(f[0], "=") { // GOROOT='' TERM='dumb' before a tool
			f = f[1:]
		}
		if len(f) < 2 {
			continue
		}
		switch tool := filepath.Base(f[0]); {
		case tool == "compile" && slices.Contains(f, "-p"):
			compiled = append(compiled, platform+" "+f[slices.Index(f, "-p")+1])
		case tool == "vet" || tool == "vet.exe":
			vets++
		case tool == "link":
			links++
		}
	}
	return compiled, vets, links
}

// report prints every step and phase, and with -explain what was compiled
// more than once for the same platform.
func (r *runner) report(total time.Duration) {
	var cpu time.Duration
	byPkg := map[string][]string{}
	for _, ph := range r.phases {
		fmt.Printf("\n%-8s %6.1fs wall", ph.name, ph.wall.Seconds())
		if ph.others >= 0 {
			fmt.Printf("  (meanwhile, other processes used %.2f of the %d CPUs)", ph.others, runtime.NumCPU())
		}
		fmt.Println()
		for _, res := range ph.results {
			cpu += res.cpu
			fmt.Printf("  %-26s %6.1fs → %6.1fs  %6.1fs wall  %6.1fs CPU", res.step.name, res.start.Seconds(), res.end.Seconds(), (res.end - res.start).Seconds(), res.cpu.Seconds())
			if r.explain {
				fmt.Printf("  %3d compiled, %3d vet runs, %2d links", len(res.compiled), res.vets, res.links)
				if ph.name == "gate" {
					for _, p := range res.compiled {
						if !slices.Contains(byPkg[p], res.step.name) { // a package and its test variant
							byPkg[p] = append(byPkg[p], res.step.name)
						}
					}
				}
			}
			fmt.Println()
		}
	}
	fmt.Printf("\ntotal    %6.1fs wall (%.0fm%02.0fs), %.1fs CPU\n", total.Seconds(), total.Truncate(time.Minute).Minutes(), (total % time.Minute).Seconds(), cpu.Seconds())
	if !r.explain {
		return
	}
	var again []string
	for p, steps := range byPkg {
		if len(steps) > 1 {
			again = append(again, p)
		}
	}
	slices.Sort(again)
	fmt.Printf("gate: %d packages compiled by more than one step for the same platform\n", len(again))
	for _, p := range again {
		fmt.Printf("  %s: %s\n", p, strings.Join(byPkg[p], ", "))
	}
}

// sameBinaries requires every fresh binary to be the same bytes as the
// gate's for its platform: the pipeline's reproducibility proof.
func sameBinaries(gate, fresh []result) error {
	for _, f := range fresh {
		name := strings.TrimPrefix(f.step.name, "fresh ")
		i := slices.IndexFunc(gate, func(g result) bool { return g.step.name == name })
		if i < 0 {
			return fmt.Errorf("%s: no gate build to compare with", f.step.name)
		}
		a, err := os.ReadFile(gate[i].binary)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(f.binary)
		if err != nil {
			return err
		}
		if !bytes.Equal(a, b) {
			return fmt.Errorf("%s: not the same bytes as %s", f.step.name, name)
		}
	}
	return nil
}

// baseEnv is this machine's environment without any Go setting, plus a
// module cache and GOPATH of the scratch directory.
func baseEnv(scratch string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GO") && !strings.HasPrefix(kv, "CGO_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"GOCACHE="+filepath.Join(scratch, "cache"), // the pipeline's build cache volume
		"GOPATH="+filepath.Join(scratch, "gopath"),
		"GOMODCACHE="+filepath.Join(scratch, "gopath", "pkg", "mod"),
	)
}

// copySource copies the echo server's module as the pipeline's source
// argument takes it: without the docs, the benchmarks (bench/) and a built
// binary (see the +ignore of source in ci/main.go). Only Go files, go.mod
// and test data matter to the go commands.
func copySource(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && rel == "bench":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		case strings.HasSuffix(rel, ".md") || rel == "echo-server":
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
}
