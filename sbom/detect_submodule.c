/*
 * git submodules: a gitlink entry (mode 160000) names a commit of another
 * repository; the root .gitmodules (git-config syntax, gitmodules(5)) maps
 * its path to a name and URL. The version is the upstream tag at that commit
 * when the submodule's repository is available locally (.git/modules/NAME
 * or a checkout), otherwise the commit id. The purl names the upstream.
 */
#include "scan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/fs.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/banned.h"

#define GITMODULES_MAX ((size_t)1 << 20)
#define GITMODULES_MAX_ENTRIES 4096

struct submod {
	char name[512];
	char path[1024];
	char url[1024];
};

static void trim(char **s, char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Parse .gitmodules into mods; unknown keys are ignored. */
static size_t parse_gitmodules(struct submod *mods, size_t max, char *text)
{
	size_t n = 0;
	struct submod *cur = NULL;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n'), *s = line, *e, *eq;
		e = nl ? nl : line + strlen(line);
		line = nl ? nl + 1 : NULL;
		trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *q1 = memchr(s, '"', (size_t)(e - s)), *q2;
			cur = NULL;
			if (!q1 || strncmp(s, "[submodule", 10) || !(q2 = memchr(q1 + 1, '"', (size_t)(e - q1 - 1))))
				continue;
			if (n == max || (size_t)(q2 - q1 - 1) >= sizeof(cur->name))
				continue;
			cur = &mods[n++];
			memset(cur, 0, sizeof(*cur));
			memcpy(cur->name, q1 + 1, (size_t)(q2 - q1 - 1));
			continue;
		}
		if (!cur || !(eq = memchr(s, '=', (size_t)(e - s))))
			continue;
		{
			char *ke = eq, *vs = eq + 1, *dst = NULL;
			size_t cap = 0;
			trim(&s, &ke);
			trim(&vs, &e);
			if ((size_t)(ke - s) == 4 && !strncmp(s, "path", 4))
				dst = cur->path, cap = sizeof(cur->path);
			else if ((size_t)(ke - s) == 3 && !strncmp(s, "url", 3))
				dst = cur->url, cap = sizeof(cur->url);
			if (dst && (size_t)(e - vs) < cap) {
				memcpy(dst, vs, (size_t)(e - vs));
				dst[e - vs] = '\0';
			}
		}
	}
	return n;
}

struct tagfind {
	git_repository *repo;
	const git_oid *want;
	char best[256];
};

static int on_tag(const char *name, git_oid *oid, void *payload)
{
	struct tagfind *t = payload;
	git_object *obj = NULL, *peeled = NULL;
	if (git_object_lookup(&obj, t->repo, oid, GIT_OBJECT_ANY) < 0)
		return 0;
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		if (!git_oid_cmp(git_object_id(peeled), t->want)) {
			const char *short_name = !strncmp(name, "refs/tags/", 10) ? name + 10 : name;
			/* several tags on one commit: the highest version, deterministically */
			if (!t->best[0] || sbom_version_cmp(short_name, t->best) > 0)
				snprintf(t->best, sizeof(t->best), "%s", short_name);
		}
		git_object_free(peeled);
	}
	git_object_free(obj);
	return 0;
}

/*
 * A .gitmodules name or path comes from the inspected repository: it is used
 * to open anything only when it is a relative path that stays inside its root
 * (not absolute, no ".." climbing out). git refuses such names for the same
 * reason since CVE-2018-11235 (CWE-22). On success out holds the normal form.
 */
static int contained_rel(struct sdl_buf *out, const char *rel)
{
	if (!rel[0] || sdl_path_normalize(out, rel) < 0 || out->len == 0) {
		sdl_error_clear();
		return 0;
	}
	return 1;
}

/* Open the submodule's own repository if it is available locally. */
static git_repository *open_sub(git_repository *repo, const struct submod *m)
{
	git_repository *sub = NULL;
	struct sdl_buf p = SDL_BUF_INIT, rel = SDL_BUF_INIT;
	const char *wd = git_repository_workdir(repo);
	if (contained_rel(&rel, m->name) &&
	    sdl_buf_printf(&p, "%smodules/%s", git_repository_path(repo), rel.ptr) >= 0 &&
	    git_repository_open_ext(&sub, p.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		goto done;
	sub = NULL;
	sdl_buf_clear(&p);
	if (wd && contained_rel(&rel, m->path) && sdl_buf_printf(&p, "%s%s", wd, rel.ptr) >= 0) {
		struct sdl_buf g = SDL_BUF_INIT, real = SDL_BUF_INIT;
		struct stat st;
		/*
		 * Only a checkout of its own (never the parent repository found by
		 * searching up), and never through a symlink that leaves the tree.
		 */
		if (sdl_path_resolve_within(&real, wd, p.ptr) == 0 &&
		    sdl_buf_printf(&g, "%s/.git", real.ptr) >= 0 && lstat(g.ptr, &st) == 0 &&
		    git_repository_open_ext(&sub, real.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
			sub = NULL;
		sdl_error_clear();
		sdl_buf_release(&g);
		sdl_buf_release(&real);
	}
done:
	sdl_buf_release(&p);
	sdl_buf_release(&rel);
	return sub;
}

/*
 * The last segment of a relative path or of a git URL's path (gitmodules(5):
 * "scheme://host/path", scp-like "[user@]host:path", or a local path),
 * trailing '/' and a ".git" suffix dropped, into out; "" when there is none
 * ("https://example.com/", "git@host:", ".", "..").
 */
static void last_segment(char *out, size_t cap, const char *s, int url)
{
	const char *p = s, *e, *b;
	size_t l;
	out[0] = '\0';
	if (url) {
		const char *scheme = strstr(s, "://"), *colon = strchr(s, ':');
		if (scheme) { /* skip the host: only the path names the project */
			p = strchr(scheme + 3, '/');
			if (!p)
				return;
		} else if (colon && (!strchr(s, '/') || colon < strchr(s, '/'))) {
			p = colon + 1;
		}
	}
	e = p + strlen(p);
	while (e > p && e[-1] == '/')
		e--;
	for (b = e; b > p && b[-1] != '/'; b--)
		;
	l = (size_t)(e - b);
	if (l >= 4 && !strncmp(e - 4, ".git", 4))
		l -= 4;
	if (!l || l >= cap || (l == 1 && b[0] == '.') || (l == 2 && !strncmp(b, "..", 2)))
		return;
	memcpy(out, b, l);
	out[l] = '\0';
}

static int resolve_one(struct sbom_component **out, struct sbom_result *r, struct sbom_ctx *ctx,
		       const struct sbom_instance *in, const struct submod *m, int final)
{
	const struct sbom_component *g = in->comp;
	struct sbom_component *c;
	const struct sbom_signature *sig = NULL;
	struct sdl_buf b = SDL_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], name[512];
	git_repository *sub = NULL;
	struct tagfind tf;
	int rc;

	*out = NULL;
	git_oid_tostr(hex, sizeof(hex), &g->oid);
	/*
	 * The upstream's name, else the submodule's path basename ("https://host/",
	 * "git@host:" name nothing: finding 9), else the gitlink's own name.
	 */
	name[0] = '\0';
	if (m && m->url[0])
		last_segment(name, sizeof(name), m->url, 1);
	if (!name[0])
		last_segment(name, sizeof(name), in->path, 0);
	if (!name[0] && g->name)
		last_segment(name, sizeof(name), g->name, 0);
	if (!name[0]) {
		if (final && (rc = sbom_result_add_note(r, in->path, "not examined: a submodule (commit %s) "
								     "without a usable name", hex)) < 0)
			return rc;
		return 1;
	}
	sig = sbom_sigpack_find(ctx->sigs, name);
	if (!(c = sbom_component_new(SBOM_SUBMODULE, sig ? sig->name : name)))
		return SDL_ENOMEM;
	git_oid_cpy(&c->oid, &g->oid);
	c->has_oid = 1;
	c->confidence = 0.9;
	memset(&tf, 0, sizeof(tf));
	if (final && m && (sub = open_sub(ctx->repo, m))) {
		tf.repo = sub;
		tf.want = &g->oid;
		git_tag_foreach(sub, on_tag, &tf);
		git_repository_free(sub);
	} else if (final) {
		if ((rc = sbom_result_add_note(r, in->path,
					       "submodule not checked out: version is the gitlink commit %s; "
					       "its content (licence, digest) was not examined", hex)) < 0)
			goto fail;
	}
	if ((rc = sbom_set(&c->version, tf.best[0] ? tf.best : hex)) < 0 ||
	    (rc = sbom_set(&c->version_from, tf.best[0] ? "tag at the gitlink commit" : "gitlink commit")) < 0 ||
	    (rc = sbom_set(&c->source_url, m && m->url[0] ? m->url : sig ? sig->source : NULL)) < 0)
		goto fail;
	if ((rc = sbom_purl_for_url(&c->purl, c->source_url, c->version)) < 0)
		goto fail;
	if (!c->purl) {
		if ((rc = sdl_buf_printf(&b, "pkg:generic/%s@%s", c->name, c->version)) < 0 ||
		    (c->source_url && (rc = sdl_buf_printf(&b, "?vcs_url=git%%2B%s%%40%s",
							   c->source_url, hex)) < 0))
			goto fail;
		if (!(c->purl = sdl_buf_detach(&b, NULL))) {
			rc = SDL_ENOMEM;
			goto fail;
		}
	}
	if (sig) {
		if ((rc = sbom_set(&c->supplier, sig->supplier)) < 0 ||
		    (rc = sbom_set(&c->license, sig->license)) < 0 ||
		    (rc = sbom_set(&c->license_from, sig->license ? "signature" : NULL)) < 0 ||
		    (rc = sbom_template_fill(&c->cpe, sig->cpe, tf.best[0] ? c->version : NULL)) < 0)
			goto fail;
		c->license_confidence = sig->license ? 0.5 : 0;
	}
	sdl_buf_clear(&b);
	if ((rc = sdl_buf_printf(&b, "git submodule '%s' at commit %s%s", m ? m->name : in->path, hex,
				 m ? "" : " (no .gitmodules entry)")) < 0)
		goto fail;
	if (!(c->detail = sdl_buf_detach(&b, NULL))) {
		rc = SDL_ENOMEM;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	sdl_buf_release(&b);
	sbom_component_unref(c);
	return rc;
}

int sbom_submodules_resolve(struct sbom_result *r, struct sbom_ctx *ctx, const git_tree *root,
			    int final)
{
	struct submod *mods = NULL;
	size_t nmods = 0, i, j;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *text = NULL;
	int rc = 0, any = 0;

	for (i = 0; i < r->ninst; i++)
		if (r->inst[i].comp->kind == SBOM_SUBMODULE && !r->inst[i].comp->detail)
			any = 1;
	if (!any)
		return 0;
	if (git_tree_entry_bypath(&e, root, ".gitmodules") == 0) {
		struct sbom_found scratch = { 0 };
		rc = sbom_blob_load(&blob, ctx, git_tree_entry_id(e), GITMODULES_MAX, &scratch, ".gitmodules");
		for (j = 0; j < scratch.nnotes && rc >= 0; j++)
			rc = sbom_result_add_note(r, ".gitmodules", "%s", scratch.notes[j].reason);
		sbom_found_release(&scratch);
		if (rc < 0)
			goto done;
		if (blob) {
			size_t cap = 0;
			text = sdl_strndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			if (!text) {
				rc = SDL_ENOMEM;
				goto done;
			}
			/*
			 * Every entry starts with a '[': as many slots as the text
			 * can fill, within the limit (not 4096 x 2.5 KiB per tree:
			 * finding 11).
			 */
			for (const char *t = text; cap < GITMODULES_MAX_ENTRIES && (t = strchr(t, '[')); t++)
				cap++;
			if (cap && !(mods = sdl_calloc(cap, sizeof(*mods)))) {
				rc = SDL_ENOMEM;
				goto done;
			}
			nmods = parse_gitmodules(mods, cap, text);
		}
	}
	for (i = 0; i < r->ninst;) {
		struct sbom_instance *in = &r->inst[i];
		const struct submod *m = NULL;
		struct sbom_component *c = NULL;
		if (in->comp->kind != SBOM_SUBMODULE || in->comp->detail) {
			i++;
			continue;
		}
		for (j = 0; j < nmods; j++)
			if (!strcmp(mods[j].path, in->path))
				m = &mods[j];
		if (!m && final &&
		    (rc = sbom_result_add_note(r, in->path, "gitlink without a .gitmodules entry: "
							    "upstream URL unknown")) < 0)
			goto done;
		if ((rc = resolve_one(&c, r, ctx, in, m, final)) < 0)
			goto done;
		if (!c) { /* nameless: noted, and no component */
			sdl_free(in->path);
			sdl_free(in->scope_reason);
			sbom_component_unref(in->comp);
			memmove(in, in + 1, (r->ninst - i - 1) * sizeof(*in));
			r->ninst--;
			continue;
		}
		sbom_component_unref(in->comp);
		in->comp = c;
		i++;
	}
	rc = 0;
done:
	git_tree_entry_free(e);
	git_blob_free(blob);
	sdl_free(text);
	sdl_free(mods);
	return rc;
}
