package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

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
	lbls, err := labels.Build(g, meta)
	if err != nil {
		return nil, err
	}
	return &metadata{
		meta:   meta,
		git:    g,
		labels: lbls,
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
	meta.BaseImage = m.RuntimeImage
	return meta
}

// gitFacts reads the checkout: commit, ref, tags at HEAD and dirtiness from
// the git API, the commit time from git itself and the origin remote from
// .git/config. No checkout is not an error: every fact stays unknown.
func (m *EchoServer) gitFacts(ctx context.Context) (labels.Git, error) {
	var g labels.Git
	if m.Git == nil {
		slog.Warn("no git checkout: the revision, version, ref and created labels say unknown")
		return g, nil
	}
	head := m.Git.Head()
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
		clean, err := m.Git.Uncommitted().IsEmpty(ctx)
		if err != nil {
			return fmt.Errorf("read uncommitted changes: %w", err)
		}
		g.Dirty = !clean
		return nil
	})
	eg.Go(func() (err error) {
		g.Tags, err = m.tagsAt(ctx, commit)
		return err
	})
	eg.Go(func() (err error) {
		g.CommitTime, err = m.commitTime(ctx, head)
		return err
	})
	eg.Go(func() (err error) {
		g.RemoteURL, err = m.originURL(ctx)
		return err
	})
	return g, eg.Wait()
}

// tagsAt lists the tags whose commit is commit.
func (m *EchoServer) tagsAt(ctx context.Context, commit string) ([]string, error) {
	all, err := m.Git.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("list git tags: %w", err)
	}
	var (
		mu sync.Mutex
		at []string
		eg errgroup.Group
	)
	eg.SetLimit(8)
	for _, tag := range all {
		eg.Go(func() error {
			c, err := m.Git.Tag(tag).Commit(ctx)
			if err != nil {
				return fmt.Errorf("resolve git tag %s: %w", tag, err)
			}
			if c == commit {
				mu.Lock()
				at = append(at, tag)
				mu.Unlock()
			}
			return nil
		})
	}
	return at, eg.Wait()
}

// commitTime asks git for HEAD's committer time: the git API has no field
// for it.
func (m *EchoServer) commitTime(ctx context.Context, head *dagger.GitRef) (time.Time, error) {
	out, err := dag.Container().From(m.GitImage).
		WithMountedDirectory("/repo", head.Tree(dagger.GitRefTreeOpts{Depth: 1})).
		WithExec([]string{"git", "-c", "safe.directory=*", "-C", "/repo", "log", "-1", "--format=%ct", "HEAD"}).
		Stdout(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("read the commit time with git: %w", err)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("read the commit time with git: unexpected output %q", out)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// originURL returns the origin remote's URL from .git/config, "" if none.
func (m *EchoServer) originURL(ctx context.Context) (string, error) {
	const path = ".git/config"
	if m.GitConfig == nil {
		return "", nil
	}
	ok, err := m.GitConfig.Exists(ctx, path)
	if err != nil || !ok {
		return "", err
	}
	text, err := m.GitConfig.File(path).Contents(ctx)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return labels.OriginURL(text), nil
}
