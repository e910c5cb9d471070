package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"dagger/echo-server/gitlog"
	"dagger/echo-server/gobuild"
	"dagger/echo-server/internal/dagger"
	"dagger/echo-server/labels"

	"golang.org/x/sync/errgroup"
)

// metadata is what the image says about itself: its labels and the version
// stamp linked into the binary, all derived from the checkout.
type metadata struct {
	meta   labels.Meta
	git    labels.Git
	labels map[string]string
	stamp  gobuild.Stamp
	// epoch is every timestamp of the release: the commit time, or the
	// Unix epoch without a checkout, so the same commit gives the same
	// bytes.
	epoch time.Time
	// base is the runtime base image by the digest it resolved to.
	base runtimeBase
}

// source is the source repository's web address (the source label), ""
// when it is unknown.
func (meta *metadata) source() string {
	if s := meta.labels[labels.Prefix+"source"]; s != "unknown" {
		return s
	}
	return ""
}

// metadata reads the checkout and derives the labels and version stamp.
func (m *EchoServer) metadata(ctx context.Context) (*metadata, error) {
	g, err := m.gitFacts(ctx)
	if err != nil {
		return nil, err
	}
	if g.RemoteURL != "" && m.SourceURL == "" {
		if _, err := labels.NormaliseRemote(g.RemoteURL); err != nil {
			slog.Warn("the origin remote is not a web URL: source and url labels say unknown; pass --source-url", "err", err)
		}
	}
	meta := m.labelMeta()
	base, err := m.resolveBase(ctx)
	if err != nil {
		return nil, err
	}
	meta.BaseImage = base.Named
	lbls, err := labels.Build(g, meta)
	if err != nil {
		return nil, err
	}
	return &metadata{
		meta:   meta,
		git:    g,
		labels: lbls,
		epoch:  labels.Epoch(g),
		base:   base,
		stamp: gobuild.Stamp{
			Version: labels.Version(g),
			Commit:  lbls[labels.Prefix+"revision"],
			Date:    labels.Created(g),
		},
	}, nil
}

// labelMeta is the project metadata: the caller's overrides on the defaults.
func (m *EchoServer) labelMeta() labels.Meta {
	meta := labels.DefaultMeta()
	for _, o := range []struct {
		field *string
		value string
	}{
		{&meta.Title, m.Title},
		{&meta.Description, m.Description},
		{&meta.Vendor, m.Vendor},
		{&meta.Authors, m.Authors},
		{&meta.Licenses, m.Licenses},
		{&meta.Source, m.SourceURL},
		{&meta.Documentation, m.DocumentationURL},
		{&meta.EnvPrefix, m.LabelPrefix},
		{&meta.Environment, m.Environment},
	} {
		if o.value != "" {
			*o.field = o.value
		}
	}
	return meta
}

// pinned is image by digest: as given when it names one, else with the
// digest the engine resolved its tag to (so the base.digest label is never
// unknown, and the provenance names every image by digest).
func pinned(ctx context.Context, image string) (string, error) {
	if strings.Contains(image, "@") {
		return image, nil
	}
	ref, err := dag.Container().From(image).ImageRef(ctx)
	if err != nil {
		return "", fmt.Errorf("resolve the digest of %s: %w", image, err)
	}
	return ref, nil
}

// gitFacts reads the checkout: commit, ref and dirtiness from the git API,
// the commit time, the tags at HEAD and the origin remote from git itself
// (the API has no commit time, and resolving every tag through it is one
// call per tag). No .git is not an error: every fact stays
// unknown and a warning is logged. (That is why the checkout comes in as a
// directory: a contextual GitRepository argument fails every call, even vet,
// outside a git checkout.)
func (m *EchoServer) gitFacts(ctx context.Context) (labels.Git, error) {
	var g labels.Git
	ok, err := m.Repo.Exists(ctx, ".git")
	if err != nil {
		return g, fmt.Errorf("look for .git: %w", err)
	}
	if !ok {
		slog.Warn("no git checkout: the revision, version, ref and created labels say unknown")
		return g, nil
	}
	repo := m.Repo.AsGit()
	head := repo.Head()
	commit, err := head.Commit(ctx)
	if err != nil {
		slog.Warn("cannot read the git HEAD: the revision, version, ref and created labels say unknown", "err", err)
		return g, nil
	}
	g.Commit = commit

	eg, ctx := errgroup.WithContext(ctx)
	eg.Go(func() (err error) {
		if g.Ref, err = head.Ref(ctx); err != nil {
			return fmt.Errorf("read the git ref of HEAD: %w", err)
		}
		return nil
	})
	eg.Go(func() error {
		clean, err := repo.Uncommitted().IsEmpty(ctx)
		if err != nil {
			return fmt.Errorf("read uncommitted changes: %w", err)
		}
		g.Dirty = !clean
		return nil
	})
	eg.Go(func() (err error) {
		g.CommitTime, g.Tags, err = m.gitLog(ctx)
		return err
	})
	eg.Go(func() (err error) {
		g.RemoteURL, err = m.originURL(ctx)
		return err
	})
	return g, eg.Wait()
}

// gitLog asks git for HEAD's committer time and the tags that point at HEAD.
func (m *EchoServer) gitLog(ctx context.Context) (time.Time, []string, error) {
	git := dag.Container().From(m.GitImage).
		WithMountedDirectory("/repo", m.Repo).
		WithWorkdir("/repo")
	out, err := git.WithExec(gitlog.CommitTimeCommand()).Stdout(ctx)
	if err != nil {
		return time.Time{}, nil, stepError("read the commit time with git", err)
	}
	commitTime, err := gitlog.ParseCommitTime(out)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("read the commit time with git: %w", err)
	}
	out, err = git.WithExec(gitlog.TagsCommand()).Stdout(ctx)
	if err != nil {
		return time.Time{}, nil, stepError("list the tags at HEAD with git", err)
	}
	return commitTime, gitlog.ParseTags(out), nil
}

// originURL asks git for the origin remote's URL, as git resolves it
// (includes and url.<base>.insteadOf of the checkout's config applied), ""
// when the checkout has none.
func (m *EchoServer) originURL(ctx context.Context) (string, error) {
	git := dag.Container().From(m.GitImage).
		WithMountedDirectory("/repo", m.Repo).
		WithWorkdir("/repo").
		WithExec(gitlog.OriginURLCommand(), dagger.ContainerWithExecOpts{Expect: dagger.ReturnTypeAny})
	code, err := git.ExitCode(ctx)
	if err != nil {
		return "", stepError("read the origin remote with git", err)
	}
	out, err := git.Stdout(ctx)
	if err != nil {
		return "", fmt.Errorf("read the origin remote with git: %w", err)
	}
	return gitlog.ParseOriginURL(code, out)
}
