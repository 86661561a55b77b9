/*
 * The history walk (run.h). Commits of --rev are walked once along first
 * parents (read from the raw commit objects), oldest first. Between two consecutive
 * commits the component lists are merged by (path, name, class); what
 * differs becomes an event on the component's track:
 *   same key, other version        -> version (upgrade, downgrade, revert)
 *   same key, same version, other content -> modified (a local patch)
 *   gone here, same name there     -> moved (same class) or switched
 *                                     (vendored -> manifest, ...)
 *   new                            -> introduced;  gone -> removed.
 * Versions are always the ones read from files, never commit messages.
 */
#include "run.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/progress.h"
#include "scan.h"
#include "lib/banned.h"

static int kind_class(enum sbom_kind k)
{
	return k == SBOM_SUBMODULE ? 1 : k == SBOM_MANIFEST ? 2 : 0;
}

static int key_cmp(const struct sbom_instance *a, const struct sbom_instance *b)
{
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	c = strcmp(a->comp->name, b->comp->name);
	if (c)
		return c;
	return kind_class(a->comp->kind) - kind_class(b->comp->kind);
}

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int content_differs(const struct sbom_component *a, const struct sbom_component *b)
{
	return a->has_oid && b->has_oid && git_oid_cmp(&a->oid, &b->oid);
}

static int version_differs(const struct sbom_component *a, const struct sbom_component *b)
{
	/* a submodule's version is its commit; the tag is only a label for it */
	if (a->kind == SBOM_SUBMODULE && b->kind == SBOM_SUBMODULE)
		return content_differs(a, b);
	return !str_eq(a->version, b->version);
}

static int where(struct sdl_buf *b, const struct sbom_instance *in)
{
	sdl_buf_clear(b);
	if (in->comp->kind == SBOM_MANIFEST)
		return sdl_buf_printf(b, "%s:%s", in->comp->ecosystem ? in->comp->ecosystem : "manifest",
				      in->path);
	return sdl_buf_printf(b, "%s:%s", sbom_kind_name(in->comp->kind), in->path);
}

static int new_track(struct sbom_result *out, struct sbom_instance *in, const git_commit *commit)
{
	size_t idx;
	struct sbom_track *t = sbom_result_new_track(out, &idx);
	int rc;
	if (!t)
		return SDL_ENOMEM;
	t->kind = in->comp->kind;
	t->present = 1;
	if ((rc = sbom_set(&t->name, in->comp->name)) < 0 || (rc = sbom_set(&t->path, in->path)) < 0)
		return rc;
	in->track = idx;
	return sbom_track_add_event(t, SBOM_EV_INTRODUCED, commit, NULL, in->comp->version);
}

/* Events between prev and cur (both sorted); sets cur's track indices. */
static int diff(struct sbom_result *out, const struct sbom_result *prev, struct sbom_result *cur,
		const git_commit *commit)
{
	size_t i = 0, j = 0, k;
	unsigned char *used_prev = NULL, *used_cur = NULL;
	struct sdl_buf a = SDL_BUF_INIT, b = SDL_BUF_INIT;
	int rc = 0;

	if ((prev->ninst && !(used_prev = sdl_calloc(prev->ninst, 1))) ||
	    (cur->ninst && !(used_cur = sdl_calloc(cur->ninst, 1)))) {
		rc = SDL_ENOMEM;
		goto done;
	}
	while (i < prev->ninst && j < cur->ninst) {
		const struct sbom_instance *p = &prev->inst[i];
		struct sbom_instance *c = &cur->inst[j];
		int cmp = key_cmp(p, c);
		if (cmp < 0) {
			i++;
			continue;
		}
		if (cmp > 0) {
			j++;
			continue;
		}
		used_prev[i] = used_cur[j] = 1;
		c->track = p->track;
		if (p->comp != c->comp) {
			struct sbom_track *t = &out->tracks[p->track];
			if (version_differs(p->comp, c->comp))
				rc = sbom_track_add_event(t, SBOM_EV_VERSION, commit, p->comp->version,
							  c->comp->version);
			else if (content_differs(p->comp, c->comp) && c->comp->kind != SBOM_SUBMODULE)
				rc = sbom_track_add_event(t, SBOM_EV_MODIFIED, commit, NULL, NULL);
			if (rc < 0)
				goto done;
			t->kind = c->comp->kind;
		}
		i++;
		j++;
	}
	/* moves and switches: a component gone here and one of the same name there */
	for (j = 0; j < cur->ninst; j++) {
		struct sbom_instance *c = &cur->inst[j];
		if (used_cur[j])
			continue;
		for (k = 0; k < prev->ninst; k++) {
			const struct sbom_instance *p = &prev->inst[k];
			struct sbom_track *t;
			if (used_prev[k] || strcasecmp(p->comp->name, c->comp->name))
				continue;
			used_prev[k] = used_cur[j] = 1;
			c->track = p->track;
			t = &out->tracks[p->track];
			if (kind_class(p->comp->kind) == kind_class(c->comp->kind) &&
			    kind_class(c->comp->kind) == 0)
				rc = sbom_track_add_event(t, SBOM_EV_MOVED, commit, p->path, c->path);
			else if ((rc = where(&a, p)) >= 0 && (rc = where(&b, c)) >= 0)
				rc = sbom_track_add_event(t, SBOM_EV_SWITCHED, commit, a.ptr, b.ptr);
			if (rc >= 0 && version_differs(p->comp, c->comp) && p->comp->version &&
			    c->comp->version)
				rc = sbom_track_add_event(t, SBOM_EV_VERSION, commit, p->comp->version,
							  c->comp->version);
			if (rc >= 0)
				rc = sbom_set(&t->path, c->path);
			if (rc < 0)
				goto done;
			t->kind = c->comp->kind;
			break;
		}
		if (!used_cur[j] && (rc = new_track(out, c, commit)) < 0)
			goto done;
	}
	for (i = 0; i < prev->ninst; i++) {
		struct sbom_track *t;
		if (used_prev[i])
			continue;
		t = &out->tracks[prev->inst[i].track];
		t->present = 0;
		if ((rc = sbom_track_add_event(t, SBOM_EV_REMOVED, commit, prev->inst[i].comp->version,
					       NULL)) < 0)
			goto done;
	}
done:
	sdl_free(used_prev);
	sdl_free(used_cur);
	sdl_buf_release(&a);
	sdl_buf_release(&b);
	return rc;
}

static void clear_instances(struct sbom_result *r)
{
	for (size_t i = 0; i < r->ninst; i++) {
		sdl_free(r->inst[i].path);
		sbom_component_unref(r->inst[i].comp);
	}
	r->ninst = 0;
	for (size_t i = 0; i < r->nnotes; i++) {
		sdl_free(r->notes[i].path);
		sdl_free(r->notes[i].reason);
	}
	r->nnotes = 0;
}

static void swap_instances(struct sbom_result *a, struct sbom_result *b)
{
	struct sbom_instance *i = a->inst;
	size_t n = a->ninst, c = a->capinst;
	struct sbom_note *nt = a->notes;
	size_t nn = a->nnotes, nc = a->capnotes;
	a->inst = b->inst, a->ninst = b->ninst, a->capinst = b->capinst;
	b->inst = i, b->ninst = n, b->capinst = c;
	a->notes = b->notes, a->nnotes = b->nnotes, a->capnotes = b->capnotes;
	b->notes = nt, b->nnotes = nn, b->capnotes = nc;
}

/*
 * The tree and first parent of a commit, read from the raw object: the walk
 * needs nothing else, and a full parse (signatures, message) of every commit
 * of a long history costs more than reading it. -1 (libgit2's error set)
 * when the object is missing or not a well-formed commit.
 */
static int commit_links(git_oid *tree, git_oid *parent, int *has_parent, git_odb *odb,
			const git_oid *id)
{
	git_odb_object *obj = NULL;
	const char *p;
	size_t len;
	int rc = -1;
	*has_parent = 0;
	if (git_odb_read(&obj, odb, id) < 0)
		return -1;
	p = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	/* "tree <hex>\n" then "parent <hex>\n" lines (git's commit format) */
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT || len < 46 || memcmp(p, "tree ", 5) ||
	    p[45] != '\n' || git_oid_fromstrn(tree, p + 5, GIT_OID_HEXSZ) < 0) {
		git_error_set_str(GIT_ERROR_OBJECT, "malformed commit object");
		goto done;
	}
	p += 46, len -= 46;
	if (len >= 48 && !memcmp(p, "parent ", 7) && p[47] == '\n') {
		if (git_oid_fromstrn(parent, p + 7, GIT_OID_HEXSZ) < 0)
			goto done;
		*has_parent = 1;
	}
	rc = 0;
done:
	git_odb_object_free(obj);
	return rc;
}

static int cache_key(char *out, size_t len, const struct sbom_sigpack *sigs)
{
	/* signatures and the walk's semantics decide what a cached state means */
	return snprintf(out, len, "v2-fp-%.16s", sigs->hash) < (int)len ? 0 : SDL_EINTERNAL;
}

static int default_cache_dir(struct sdl_buf *b, git_repository *repo, const struct sbom_options *opt)
{
	if (opt->cache_dir)
		return sdl_buf_puts(b, opt->cache_dir);
	return sdl_buf_printf(b, "%ssdl-sbom-cache", git_repository_path(repo));
}

/*
 * libgit2 1.5.1's git_revparse_single() leaks the git_reference it found
 * (and, through it, the refdb: 844 bytes in 8 allocations) when the name
 * resolves to a reference whose target object cannot be read: a corrupt or
 * missing HEAD commit. So when REV (or the base of "REV~n", "REV^", "REV:p",
 * "REV@{...}") names a reference, look its object up here first, freeing
 * everything on every path, and only hand REV to sdl_git_resolve_commit()
 * once its object is readable. A 40-hex REV is an object id to revparse
 * (tried before references), so it is left alone.
 */
static int check_rev_object(git_repository *repo, const char *rev)
{
	git_reference *ref = NULL, *res = NULL;
	git_object *obj = NULL;
	char base[256];
	size_t n = strcspn(rev, "~^:@"), i;
	int rc, ret = 0;

	if (n == 0 || n >= sizeof(base))
		return 0;
	if (n == (size_t)GIT_OID_HEXSZ) {
		for (i = 0; i < n && strchr("0123456789abcdefABCDEF", rev[i]); i++)
			;
		if (i == n)
			return 0;
	}
	memcpy(base, rev, n);
	base[n] = '\0';
	if (git_reference_dwim(&ref, repo, base) < 0) {
		git_error_clear(); /* not a reference: revparse reports it */
		return 0;
	}
	rc = git_reference_resolve(&res, ref);
	if (rc == 0 &&
	    (rc = git_object_lookup(&obj, repo, git_reference_target(res), GIT_OBJECT_ANY)) < 0 &&
	    rc != GIT_ENOTFOUND) {
		/* libgit2 names a missing object's id itself, not a corrupt one's */
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), git_reference_target(res));
		ret = sdl_git_error(rc, "bad revision");
		ret = sdl_error_wrap(ret, "%s: object %s", rev, hex);
	} else if (rc < 0) {
		ret = sdl_git_error(rc, rc == GIT_ENOTFOUND ? "no such revision" : "bad revision");
		ret = sdl_error_wrap(ret, "%s", rev);
	}
	git_object_free(obj);
	git_reference_free(res);
	git_reference_free(ref);
	return ret;
}

/* The repository as messages name it: opt->repo_label, else its path. */
static int wrap_repo(int rc, git_repository *repo, const struct sbom_options *opt)
{
	const char *p = opt->repo_label;
	size_t l;

	if (!p)
		p = git_repository_workdir(repo) ? git_repository_workdir(repo)
						 : git_repository_path(repo);
	l = strlen(p);
	while (l > 1 && p[l - 1] == '/')
		l--;
	return sdl_error_wrap(rc, "%.*s", (int)l, p);
}

int sbom_run(struct sbom_result *out, git_repository *repo, const struct sbom_sigpack *sigs,
	     const struct sbom_options *opt)
{
	struct sbom_scanner *scanner = NULL;
	git_commit *head = NULL, *commit = NULL;
	git_odb *odb = NULL;
	struct hop {
		git_oid commit, tree;
	} *oids = NULL;
	git_oid oid;
	size_t noids = 0, cap = 0, i;
	struct sbom_result prev, cur;
	struct sdl_buf cdir = SDL_BUF_INIT;
	char key[64], hex[GIT_OID_HEXSZ + 1];
	const char *workdir;
	git_oid prev_tree;
	int rc, have_prev_tree = 0, cached = 0, same = 0;
	struct sbom_component **known = NULL; /* cached components, for their digests */
	size_t nknown = 0;

	sbom_result_init(&prev);
	sbom_result_init(&cur);
	if ((rc = check_rev_object(repo, opt->rev ? opt->rev : "HEAD")) < 0 ||
	    (rc = sdl_git_resolve_commit(&head, repo, opt->rev ? opt->rev : "HEAD")) < 0) {
		rc = wrap_repo(rc, repo, opt);
		goto done;
	}
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(head));
	out->commit_time = (int64_t)git_commit_time(head);
	out->shallow = git_repository_is_shallow(repo) == 1;
	workdir = git_repository_workdir(repo);
	{
		/* the product's name: the work tree's folder, else the git dir's without ".git" */
		const char *p = workdir ? workdir : git_repository_path(repo);
		size_t l = strlen(p), s;
		while (l > 1 && p[l - 1] == '/')
			l--;
		if (!workdir && l > 5 && !strncmp(p + l - 5, "/.git", 5))
			l -= 5;
		else if (!workdir && l > 4 && !strncmp(p + l - 4, ".git", 4))
			l -= 4;
		for (s = l; s > 0 && p[s - 1] != '/'; s--)
			;
		if (!(out->repo_name = sdl_strndup(p + s, l - s))) {
			rc = SDL_ENOMEM;
			goto done;
		}
	}
	{
		/* the revision's own tree must be readable, else the input is unusable */
		git_tree *t = NULL;
		if (git_commit_tree(&t, head) < 0) {
			rc = sdl_error_set(SDL_EINVAL, "%s: tree %s of %s is unreadable: corrupt repository (%s)",
					   git_repository_path(repo), git_oid_tostr_s(git_commit_tree_id(head)),
					   out->commit, git_error_last() ? git_error_last()->message : "");
			goto done;
		}
		git_tree_free(t);
	}
	if ((rc = sbom_scanner_new(&scanner, repo, sigs)) < 0)
		goto done;
	if (!opt->history) {
		if ((rc = sbom_scan_commit(out, scanner, head, 1)) < 0)
			goto done;
		sbom_result_sort(out);
		out->commits_walked = 1;
		goto digests;
	}
	out->history = 1;
	if ((rc = cache_key(key, sizeof(key), sigs)) < 0 ||
	    (rc = default_cache_dir(&cdir, repo, opt)) < 0)
		goto done;

	/*
	 * Newest first along first parents, back to the root or to a commit whose
	 * state is cached. Each commit is read once here (and kept in libgit2's
	 * object cache for the forward pass); a first-parent chain needs no
	 * revision walker, and the walk stops at the newest cached commit without
	 * touching older history (an incremental run reads one commit).
	 */
	if ((rc = git_repository_odb(&odb, repo)) < 0) {
		rc = sdl_git_error(rc, "object database");
		goto done;
	}
	git_oid_cpy(&oid, git_commit_id(head));
	for (;;) {
		git_oid tree, parent;
		int has_parent;
		if (cdir.len) {
			git_oid_tostr(hex, sizeof(hex), &oid);
			rc = sbom_cache_load(&prev, cdir.ptr, key, hex);
			if (rc < 0)
				goto done;
			if (rc == 0) {
				cached = 1;
				break;
			}
		}
		if (commit_links(&tree, &parent, &has_parent, odb, &oid) < 0) {
			/* a missing parent: report, and work with what is reachable */
			if ((rc = sbom_result_add_note(out, ".git", "history incomplete: %s",
						       git_error_last() ? git_error_last()->message
									: "commit walk failed")) < 0)
				goto done;
			break;
		}
		if (noids == cap) {
			struct hop *n = sdl_reallocarray(oids, cap ? cap * 2 : 256, sizeof(*n));
			if (!n) {
				rc = SDL_ENOMEM;
				goto done;
			}
			oids = n;
			cap = cap ? cap * 2 : 256;
		}
		if (noids == SBOM_MAX_COMMITS) {
			rc = sdl_error_set(SDL_ELIMIT, "more than %zu commits in the history of %s",
					   (size_t)SBOM_MAX_COMMITS, opt->rev ? opt->rev : "HEAD");
			goto done;
		}
		git_oid_cpy(&oids[noids].commit, &oid);
		git_oid_cpy(&oids[noids++].tree, &tree);
		if (!has_parent)
			break;
		git_oid_cpy(&oid, &parent);
	}
	rc = 0;
	if (cached) {
		/* the cached state: tracks go to out, the instances become prev */
		out->tracks = prev.tracks, out->ntracks = prev.ntracks, out->captracks = prev.captracks;
		prev.tracks = NULL, prev.ntracks = prev.captracks = 0;
		out->commits_cached = 1;
		/* a component digest depends only on its object id: keep the cached ones */
		if (prev.ninst && !(known = sdl_calloc(prev.ninst, sizeof(*known)))) {
			rc = SDL_ENOMEM;
			goto done;
		}
		for (i = 0; i < prev.ninst; i++)
			if (prev.inst[i].comp->digest && prev.inst[i].comp->has_oid)
				known[nknown++] = sbom_component_ref(prev.inst[i].comp);
		for (i = 0; i < prev.nnotes; i++) /* history notes of the cached walk */
			if (!strncmp(prev.notes[i].reason, "at ", 3) &&
			    (rc = sbom_result_add_note(out, prev.notes[i].path, "%s", prev.notes[i].reason)) < 0)
				goto done;
		if (noids == 0) {
			/* nothing new: the cached state is the answer */
			swap_instances(out, &prev);
			goto digests;
		}
	}
	if (out->shallow &&
	    (rc = sbom_result_add_note(out, ".git/shallow",
				       "shallow clone: history before the oldest available commit "
				       "is not known; 'introduced' events may be too late")) < 0)
		goto done;
	for (i = noids; i-- > 0;) {
		int final = i == 0;
		out->commits_walked++;
		if (!final && have_prev_tree && !git_oid_cmp(&prev_tree, &oids[i].tree))
			continue;
		git_oid_cpy(&prev_tree, &oids[i].tree);
		have_prev_tree = 1;
		clear_instances(&cur);
		if ((rc = sbom_scan_commit_next(&cur, scanner, &oids[i].tree, final, &same)) < 0)
			goto done;
		if (same) /* the same components as the previous commit: no events */
			continue;
		/* the commit itself (author, date, subject) only where something changed */
		git_commit_free(commit);
		commit = NULL;
		if ((rc = git_commit_lookup(&commit, repo, &oids[i].commit)) < 0) {
			git_oid_tostr(hex, sizeof(hex), &oids[i].commit);
			rc = sdl_error_set(SDL_EINVAL, "commit %s became unreadable during the walk: %s", hex,
					   git_error_last() ? git_error_last()->message : "");
			goto done;
		}
		sbom_result_sort(&cur);
		if ((rc = diff(out, &prev, &cur, commit)) < 0)
			goto done;
		/* objects missing in older commits are reported, not fatal */
		if (!final)
			for (size_t n = 0; n < cur.nnotes; n++)
				if (strstr(cur.notes[n].reason, "missing") &&
				    (rc = sbom_result_add_note(out, cur.notes[n].path, "at %.12s: %s",
							       git_oid_tostr_s(git_commit_id(commit)),
							       cur.notes[n].reason)) < 0)
					goto done;
		swap_instances(&prev, &cur);
		if (sdl_progress_enabled() && (i % 256) == 0)
			sdl_progress_update("sdl-sbom: %zu commits left", i);
	}
	sdl_progress_done();
	/* prev holds the last commit's instances and notes */
	for (i = 0; i < prev.nnotes; i++)
		if ((rc = sbom_result_add_note(out, prev.notes[i].path, "%s", prev.notes[i].reason)) < 0)
			goto done;
	for (i = 0; i < prev.nnotes; i++) {
		sdl_free(prev.notes[i].path);
		sdl_free(prev.notes[i].reason);
	}
	prev.nnotes = 0;
	{
		struct sbom_instance *t = out->inst;
		size_t n = out->ninst, c = out->capinst;
		out->inst = prev.inst, out->ninst = prev.ninst, out->capinst = prev.capinst;
		prev.inst = t, prev.ninst = n, prev.capinst = c;
	}
digests:
	for (i = 0; i < out->ninst; i++) {
		struct sbom_component *c = out->inst[i].comp;
		for (size_t k = 0; k < nknown && !c->digest && c->has_oid; k++)
			if (known[k]->kind == c->kind && !git_oid_cmp(&known[k]->oid, &c->oid) &&
			    (rc = sbom_set(&c->digest, known[k]->digest)) < 0)
				goto done;
		if (!c->digest && (rc = sbom_digest_component(out, repo, out->inst[i].path, c)) < 0)
			goto done;
	}
	sbom_result_sort(out);
	if (out->history && cdir.len && (noids > 0 || !cached)) {
		/* a cache that cannot be written costs speed, not correctness */
		if (sbom_cache_store(out, cdir.ptr, key) < 0)
			sdl_error_clear();
	}
	rc = 0;
done:
	for (i = 0; i < nknown; i++)
		sbom_component_unref(known[i]);
	sdl_free(known);
	sdl_buf_release(&cdir);
	sdl_free(oids);
	git_odb_free(odb);
	git_commit_free(commit);
	git_commit_free(head);
	sbom_scanner_free(scanner);
	sbom_result_release(&prev);
	sbom_result_release(&cur);
	return rc;
}
