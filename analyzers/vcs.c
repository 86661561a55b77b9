/* git-aware modes on libgit2 (through lib/git.h): staged content, diff base, baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az.h"
#include "vcs.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/sarif.h"
#include "lib/banned.h"

void az_unsaved_free(struct az_unsaved *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sdl_free(v[i].path);
		sdl_free(v[i].data);
	}
	sdl_free(v);
}

static int is_header(const char *p)
{
	const char *dot = strrchr(p, '.');
	return dot && (!strcmp(dot, ".h") || !strcmp(dot, ".hpp") || !strcmp(dot, ".hh"));
}

static int is_source_like(const char *p)
{
	const char *dot = strrchr(p, '.');
	static const char *const exts[] = { ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh",
					    ".inc", ".def", NULL };
	for (int i = 0; dot && exts[i]; i++)
		if (!strcmp(dot, exts[i]))
			return 1;
	return 0;
}

/* The staged content of `path`: the blob the index (ours, maybe GIT_INDEX_FILE's) names. */
static int read_staged(struct sdl_buf *out, git_repository *repo, const git_oid *id,
		       const char *path)
{
	git_blob *b = NULL;
	int rc = git_blob_lookup(&b, repo, id);
	if (rc == GIT_ENOTFOUND)
		return sdl_error_set(SDL_ENOTFOUND, "%s: not in the index", path);
	if (rc < 0)
		return sdl_git_error(rc, "reading the staged content");
	git_object_size_t size = git_blob_rawsize(b);
	int ret = size > AZ_MAX_SOURCE_BYTES
			  ? sdl_error_set(SDL_ELIMIT, "%s: staged content larger than %zu bytes", path,
					  AZ_MAX_SOURCE_BYTES)
			  : sdl_buf_put(out, git_blob_rawcontent(b), (size_t)size);
	git_blob_free(b);
	return ret;
}

int az_vcs_staged(struct az_unsaved **out, size_t *nout, char ***changed, size_t *nchanged,
		  int *header_changed, git_repository *repo)
{
	git_index *index = NULL;
	git_diff *wd = NULL, *head = NULL;
	git_object *tree = NULL;
	struct sdl_buf blob = SDL_BUF_INIT;
	const char *workdir = sdl_git_workdir(repo);
	int ret = 0, rc;

	*out = NULL;
	*nout = 0;
	*changed = NULL;
	*nchanged = 0;
	*header_changed = 0;
	if (!workdir)
		return sdl_error_set(SDL_EINVAL, "--staged needs a work tree (the repository is bare)");
	/* git sets GIT_INDEX_FILE for `git commit -a` and `git commit PATH`: the
	 * pre-commit hook must see that index, not .git/index (git(1), ENVIRONMENT) */
	const char *index_file = getenv("GIT_INDEX_FILE");
	if (index_file && *index_file) {
		if ((rc = git_index_open(&index, index_file)) < 0)
			return sdl_git_error(rc, "reading the index named by GIT_INDEX_FILE");
	} else if ((rc = git_repository_index(&index, repo)) < 0) {
		return sdl_git_error(rc, "reading the index");
	}
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if ((rc = git_diff_index_to_workdir(&wd, repo, index, &opts)) < 0) {
		ret = sdl_git_error(rc, "comparing the index with the work tree");
		goto done;
	}
	size_t n = git_diff_num_deltas(wd);
	for (size_t i = 0; i < n && !ret; i++) {
		const git_diff_delta *d = git_diff_get_delta(wd, i);
		const char *p = d->old_file.path;
		if (d->status == GIT_DELTA_UNTRACKED || !is_source_like(p))
			continue;
		sdl_buf_clear(&blob);
		ret = read_staged(&blob, repo, &d->old_file.id, p);
		if (ret == SDL_ENOTFOUND) {
			ret = 0;
			sdl_error_clear();
			continue;
		}
		if (ret)
			break;
		struct az_unsaved *nv = sdl_reallocarray(*out, *nout + 1, sizeof *nv);
		if (!nv) {
			ret = SDL_ENOMEM;
			break;
		}
		*out = nv;
		struct az_unsaved *u = &nv[*nout];
		size_t wl = strlen(workdir), pl = strlen(p);
		u->path = sdl_malloc(wl + pl + 1);
		u->data = NULL;
		u->len = 0;
		if (!u->path) {
			ret = SDL_ENOMEM;
			break;
		}
		memcpy(u->path, workdir, wl);
		memcpy(u->path + wl, p, pl + 1);
		(*nout)++;
		u->data = sdl_buf_detach(&blob, &u->len);
		if (!u->data)
			ret = SDL_ENOMEM;
	}
	if (ret)
		goto done;
	/* what the commit changes: index against HEAD (an unborn HEAD compares with nothing) */
	if (git_revparse_single(&tree, repo, "HEAD^{tree}") < 0) {
		git_error_clear();
		tree = NULL;
	}
	if ((rc = git_diff_tree_to_index(&head, repo, (git_tree *)tree, index, &opts)) < 0) {
		ret = sdl_git_error(rc, "comparing the index with HEAD");
		goto done;
	}
	n = git_diff_num_deltas(head);
	for (size_t i = 0; i < n && !ret; i++) {
		const git_diff_delta *d = git_diff_get_delta(head, i);
		if (d->status == GIT_DELTA_DELETED || !is_source_like(d->new_file.path))
			continue;
		if (is_header(d->new_file.path))
			*header_changed = 1;
		ret = az_strv_push(changed, nchanged, d->new_file.path);
	}
done:
	sdl_buf_release(&blob);
	git_diff_free(wd);
	git_diff_free(head);
	git_object_free(tree);
	git_index_free(index);
	if (ret < 0) {
		az_unsaved_free(*out, *nout);
		*out = NULL;
		*nout = 0;
		az_strv_free(*changed, *nchanged);
		*changed = NULL;
		*nchanged = 0;
	}
	return ret;
}

/* ---- --diff-base ---- */

struct lines { unsigned char *set; size_t n; };

static int line_cb(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct lines *l = payload;
	(void)delta;
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0 &&
	    (size_t)line->new_lineno <= l->n)
		l->set[line->new_lineno - 1] = 1;
	return 0;
}

int az_vcs_diff_filter(struct sdl_findings *list, git_repository *repo, const char *rev,
		       struct az_sources *sources, const char *root)
{
	const char *workdir = sdl_git_workdir(repo);
	git_commit *commit = NULL;
	struct sdl_buf old = SDL_BUF_INIT;
	int ret;
	char prefix[4096] = "";

	if (!workdir)
		return sdl_error_set(SDL_EINVAL, "--diff-base needs a work tree");
	ret = sdl_git_resolve_commit(&commit, repo, rev);
	if (ret < 0)
		return ret;
	git_commit_free(commit);
	size_t wl = strlen(workdir);
	if (!strncmp(root, workdir, wl - 1) && strlen(root) >= wl)
		snprintf(prefix, sizeof prefix, "%s/", root + wl);

	size_t keep = 0, i = 0;
	char cur[4096] = "";
	int have_cur = 0;
	struct lines l = { NULL, 0 };
	int whole = 0;
	for (; i < list->count && !ret; i++) {
		struct sdl_finding *f = &list->items[i];
		if (!f->path) {
			list->items[keep++] = *f;
			continue;
		}
		if (!have_cur || strcmp(cur, f->path)) {
			const struct az_source *src = az_sources_get(sources, f->path);
			if (!src && sources->err) {
				ret = sources->err;
				break;
			}
			char gp[4096];
			sdl_free(l.set);
			l.set = NULL;
			l.n = 0;
			whole = 0;
			snprintf(cur, sizeof cur, "%s", f->path);
			have_cur = 1;
			snprintf(gp, sizeof gp, "%s%s", prefix, f->path);
			sdl_buf_clear(&old);
			ret = sdl_git_read_blob(&old, repo, rev, gp, AZ_MAX_SOURCE_BYTES);
			if (ret == SDL_ENOTFOUND) { /* a new file: every line is new */
				ret = 0;
				sdl_error_clear();
				whole = 1;
			} else if (!ret && src) {
				l.n = src->nlines;
				l.set = sdl_calloc(l.n + 1, 1);
				if (!l.set) {
					ret = SDL_ENOMEM;
					break;
				}
				git_diff_options o;
				git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
				o.context_lines = 0;
				int rc = git_diff_buffers(old.ptr, old.len, gp, src->data, src->len, gp, &o,
							  NULL, NULL, NULL, line_cb, &l);
				if (rc < 0)
					ret = sdl_git_error(rc, "diffing");
			}
		}
		int changed = whole || (l.set && f->line > 0 && f->line <= l.n && l.set[f->line - 1]);
		if (changed)
			list->items[keep++] = *f;
		else
			sdl_finding_release(f);
	}
	for (; i < list->count; i++) /* after an error: drop what was not looked at */
		sdl_finding_release(&list->items[i]);
	list->count = keep;
	sdl_free(l.set);
	sdl_buf_release(&old);
	return ret;
}

/* ---- --baseline ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int az_baseline_apply(struct sdl_findings *list, const char *sarif_path, struct az_sources *sources)
{
	struct sdl_sarif_log log;
	char **fps = NULL;
	size_t n = 0;
	int ret;

	sdl_sarif_log_init(&log);
	ret = sdl_sarif_read_file(&log, sarif_path);
	if (ret < 0)
		return ret;
	for (size_t r = 0; r < log.nruns && !ret; r++)
		for (size_t i = 0; i < log.runs[r].results.count && !ret; i++) {
			const char *fp = log.runs[r].results.items[i].fingerprint;
			if (fp)
				ret = az_strv_push(&fps, &n, fp);
		}
	if (!ret)
		ret = sdl_findings_fingerprint(list, az_sources_line, sources);
	if (!ret && sources->err)
		ret = sources->err; /* a line text lost to out-of-memory: fingerprints are wrong */
	if (!ret && n)
		qsort(fps, n, sizeof *fps, cmp_str);
	for (size_t i = 0; i < list->count && !ret; i++) {
		struct sdl_finding *f = &list->items[i];
		const char *key = f->fingerprint;
		int old = key && n && bsearch(&key, fps, n, sizeof *fps, cmp_str);
		f->baseline = old ? SDL_BASELINE_UNCHANGED : SDL_BASELINE_NEW;
	}
	az_strv_free(fps, n);
	sdl_sarif_log_release(&log);
	return ret;
}
