/*
 * The per-component digest (docs/sbom.md "Component digest"), computed from
 * git objects so that it is the same for any checkout of the commit:
 *
 *   SHA-512 over, for each file of the component in byte-wise order of its
 *   path relative to the component root:
 *       path NUL decimal-size NUL content
 *   (a symlink's content is its target; a nested gitlink contributes
 *    path NUL "commit" NUL hex-id).
 *
 * A single vendored file is a component of one file whose path is its name.
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/banned.h"

#define DIGEST_MAX_FILES 200000

struct dfile {
	char *path;
	git_oid oid;
	int gitlink;
};

struct dlist {
	struct dfile *v;
	size_t n, cap;
	int failed;
};

static int collect(const char *root, const git_tree_entry *e, void *payload)
{
	struct dlist *l = payload;
	git_filemode_t m = git_tree_entry_filemode(e);
	struct sdl_buf b = SDL_BUF_INIT;
	if (m == GIT_FILEMODE_TREE)
		return 0;
	if (l->n == DIGEST_MAX_FILES) {
		l->failed = SDL_ELIMIT;
		return -1;
	}
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct dfile *v = sdl_reallocarray(l->v, nc, sizeof(*v));
		if (!v) {
			l->failed = SDL_ENOMEM;
			return -1;
		}
		l->v = v;
		l->cap = nc;
	}
	if (sdl_buf_printf(&b, "%s%s", root, git_tree_entry_name(e)) < 0) {
		l->failed = SDL_ENOMEM;
		return -1;
	}
	l->v[l->n].path = sdl_buf_detach(&b, NULL);
	if (!l->v[l->n].path) {
		l->failed = SDL_ENOMEM;
		return -1;
	}
	git_oid_cpy(&l->v[l->n].oid, git_tree_entry_id(e));
	l->v[l->n].gitlink = m == GIT_FILEMODE_COMMIT;
	l->n++;
	return 0;
}

static int cmp_df(const void *a, const void *b)
{
	return strcmp(((const struct dfile *)a)->path, ((const struct dfile *)b)->path);
}

int sbom_digest_component(struct sbom_result *r, git_repository *repo, const char *path,
			  struct sbom_component *c)
{
	struct dlist l = { NULL, 0, 0, 0 };
	struct sdl_hash_ctx *h = NULL;
	git_tree *tree = NULL;
	char hex[SDL_HASH_HEX_MAX], num[32];
	int rc = 0;
	size_t i;

	if (!c->has_oid || (c->kind != SBOM_VENDORED && c->kind != SBOM_UNKNOWN &&
			    c->kind != SBOM_SINGLE_FILE))
		return 1;
	if (c->kind == SBOM_SINGLE_FILE) {
		const char *base = strrchr(path, '/');
		if (!(l.v = sdl_calloc(1, sizeof(*l.v))) || !(l.v[0].path = sdl_strdup(base ? base + 1 : path))) {
			rc = SDL_ENOMEM;
			goto done;
		}
		git_oid_cpy(&l.v[0].oid, &c->oid);
		l.n = 1;
	} else {
		if (git_tree_lookup(&tree, repo, &c->oid) < 0) {
			rc = sbom_result_add_note(r, path, "tree missing: no digest");
			rc = rc < 0 ? rc : 1;
			goto done;
		}
		if (git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &l) < 0) {
			if (l.failed == SDL_ENOMEM) {
				rc = SDL_ENOMEM;
				goto done;
			}
			rc = sbom_result_add_note(r, path, "component tree unreadable or larger than %d files: no digest",
						  DIGEST_MAX_FILES);
			rc = rc < 0 ? rc : 1;
			goto done;
		}
		qsort(l.v, l.n, sizeof(*l.v), cmp_df);
	}
	if ((rc = sdl_hash_begin(&h, SDL_SHA512)) < 0)
		goto done;
	for (i = 0; i < l.n; i++) {
		git_blob *blob = NULL;
		if ((rc = sdl_hash_update(h, l.v[i].path, strlen(l.v[i].path) + 1)) < 0)
			goto done;
		if (l.v[i].gitlink) {
			char ohex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(ohex, sizeof(ohex), &l.v[i].oid);
			if ((rc = sdl_hash_update(h, "commit", 7)) < 0 ||
			    (rc = sdl_hash_update(h, ohex, strlen(ohex))) < 0)
				goto done;
			continue;
		}
		if (git_blob_lookup(&blob, repo, &l.v[i].oid) < 0) {
			rc = sbom_result_add_note(r, path, "blob of %s missing: no digest", l.v[i].path);
			rc = rc < 0 ? rc : 1;
			goto done;
		}
		snprintf(num, sizeof(num), "%llu", (unsigned long long)git_blob_rawsize(blob));
		rc = sdl_hash_update(h, num, strlen(num) + 1);
		if (rc >= 0)
			rc = sdl_hash_update(h, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		if (rc < 0)
			goto done;
	}
	rc = sdl_hash_end(h, hex);
	h = NULL;
	if (rc >= 0)
		rc = sbom_set(&c->digest, hex);
done:
	sdl_hash_abort(h);
	for (i = 0; i < l.n; i++)
		sdl_free(l.v[i].path);
	sdl_free(l.v);
	git_tree_free(tree);
	return rc;
}
