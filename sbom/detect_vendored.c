/*
 * Vendored copies: a directory is a copy of a library when every file of one
 * of the library's detect rules exists in it (and the optional grep matches).
 * The version comes from the signature's PCRE2 patterns over the named files,
 * then a VERSION file, then the head of a changelog. A directory directly
 * under a vendor root that matches no signature but carries its own licence
 * or README is reported as a component of unknown identity.
 */
#include "detect.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

/* Files read besides the signatures' own: version, licence, "own" evidence. */
static const char *const version_files[] = { "VERSION", "VERSION.txt", "version.txt", ".version",
					     "CHANGES", "CHANGES.md", "CHANGELOG", "CHANGELOG.md",
					     "ChangeLog", "NEWS", "NEWS.md", "RELEASE-NOTES", NULL };
static const char *const license_files[] = { "LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
					     "LICENCE.txt", "COPYING", "COPYING.txt", "COPYING.md",
					     "COPYRIGHT", "LICENSE.TXT", "License.txt", "license.txt",
					     "LICENSE.rst", "COPYING.LIB", "LICENSE-MIT", "LICENSE-APACHE",
					     "COPYING.LESSER", NULL };
static const char *const own_files[] = { "LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
					 "COPYING", "COPYING.txt", "COPYRIGHT", "LICENSE-MIT",
					 "LICENSE-APACHE", "README", "README.md", "README.txt",
					 "README.rst", NULL };

static int first_part(int (*cb)(void *, const char *, size_t), void *payload, const char *path)
{
	const char *slash = strchr(path, '/');
	return cb(payload, path, slash ? (size_t)(slash - path) : strlen(path));
}

int sbom_vendored_names(const struct sbom_sigpack *sigs,
			int (*cb)(void *payload, const char *name, size_t len), void *payload)
{
	static const char *const *const lists[] = { version_files, license_files, own_files };
	int rc = 0;
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (size_t i = 0; lists[l][i] && rc >= 0; i++)
			rc = first_part(cb, payload, lists[l][i]);
	for (size_t i = 0; i < sigs->nsigs && rc >= 0; i++) {
		const struct sbom_signature *sg = &sigs->sigs[i];
		for (size_t r = 0; r < sg->ndetect && rc >= 0; r++) {
			for (size_t f = 0; f < sg->detect[r].nfiles && rc >= 0; f++)
				rc = first_part(cb, payload, sg->detect[r].files[f]);
			if (rc >= 0 && sg->detect[r].grep.file)
				rc = first_part(cb, payload, sg->detect[r].grep.file);
		}
		for (size_t v = 0; v < sg->nversion && rc >= 0; v++)
			if (sg->version[v].file)
				rc = first_part(cb, payload, sg->version[v].file);
	}
	return rc < 0 ? rc : 0;
}

/* Memo of file facts (detect.h): open addressing on (blob id, key). */
struct tc_entry {
	git_oid oid;
	const void *key; /* a pcre2_code, or one of the keys below; NULL = free slot */
	int rc;          /* match result: 1 / 0 */
	char *text;      /* captured version, or NULL */
	const char *lic; /* licence id (points into the pack), or NULL */
	double conf;
};

#define TC_SUBTREES 32

struct sbom_textcache {
	struct tc_entry *tab;
	size_t cap, used;
	git_tree *sub[TC_SUBTREES]; /* recently read subtrees, replaced round-robin */
	size_t next;
};

#define TC_MAX_ENTRIES ((size_t)1 << 20)

static const char generic_key = 'g', license_key = 'l';

int sbom_textcache_new(struct sbom_textcache **out)
{
	struct sbom_textcache *tc = sdl_calloc(1, sizeof(*tc));
	*out = NULL;
	if (!tc || !(tc->tab = sdl_calloc(256, sizeof(*tc->tab)))) {
		sdl_free(tc);
		return SDL_ENOMEM;
	}
	tc->cap = 256;
	*out = tc;
	return 0;
}

void sbom_textcache_free(struct sbom_textcache *tc)
{
	if (!tc)
		return;
	for (size_t i = 0; i < tc->cap; i++)
		sdl_free(tc->tab[i].text);
	for (size_t i = 0; i < TC_SUBTREES; i++)
		git_tree_free(tc->sub[i]);
	sdl_free(tc->tab);
	sdl_free(tc);
}

static size_t tc_slot(const struct sbom_textcache *tc, const git_oid *oid, const void *key)
{
	uint64_t h;
	size_t i;
	memcpy(&h, oid->id, sizeof(h));
	h ^= (uint64_t)(uintptr_t)key * 0x9E3779B97F4A7C15ull;
	for (i = (size_t)(h & (tc->cap - 1)); tc->tab[i].key &&
	     (tc->tab[i].key != key || git_oid_cmp(&tc->tab[i].oid, oid));
	     i = (i + 1) & (tc->cap - 1))
		;
	return i;
}

/* The detector's context plus the memo of file facts (NULL: none). */
struct vctx {
	struct sbom_ctx *c;
	struct sbom_textcache *texts;
};

static const struct tc_entry *tc_get(const struct vctx *ctx, const git_oid *oid, const void *key)
{
	const struct tc_entry *e;
	if (!ctx->texts)
		return NULL;
	e = &ctx->texts->tab[tc_slot(ctx->texts, oid, key)];
	return e->key ? e : NULL;
}

/* Remember a fact; a full table or no memory only costs speed later. */
static void tc_put(struct vctx *ctx, const git_oid *oid, const void *key, int rc,
		   const char *text, const char *lic, double conf)
{
	struct sbom_textcache *tc = ctx->texts;
	struct tc_entry *e;
	if (!tc || tc->used >= TC_MAX_ENTRIES)
		return;
	if ((tc->used + 1) * 2 > tc->cap) {
		struct sbom_textcache n = { 0 };
		if (!(n.tab = sdl_calloc(tc->cap * 2, sizeof(*tc->tab))))
			return;
		n.cap = tc->cap * 2;
		for (size_t i = 0; i < tc->cap; i++)
			if (tc->tab[i].key)
				n.tab[tc_slot(&n, &tc->tab[i].oid, tc->tab[i].key)] = tc->tab[i];
		sdl_free(tc->tab);
		tc->tab = n.tab;
		tc->cap = n.cap;
	}
	e = &tc->tab[tc_slot(tc, oid, key)];
	if (text && !(e->text = sdl_strdup(text)))
		return;
	git_oid_cpy(&e->oid, oid);
	e->key = key;
	e->rc = rc;
	e->lic = lic;
	e->conf = conf;
	tc->used++;
}

/* A subtree by id through the small cache of recently read subtrees (a new reference). */
static int subtree(git_tree **out, struct vctx *ctx, const git_oid *id)
{
	struct sbom_textcache *tc = ctx->texts;
	size_t i;
	if (tc)
		for (i = 0; i < TC_SUBTREES; i++)
			if (tc->sub[i] && git_oid_equal(git_tree_id(tc->sub[i]), id))
				return git_object_dup((git_object **)out, (git_object *)tc->sub[i]);
	if (git_tree_lookup(out, ctx->c->repo, id) < 0)
		return -1;
	if (tc) {
		git_tree *keep = NULL;
		if (git_object_dup((git_object **)&keep, (git_object *)*out) == 0) {
			git_tree_free(tc->sub[tc->next]);
			tc->sub[tc->next] = keep;
			tc->next = (tc->next + 1) % TC_SUBTREES;
		}
	}
	return 0;
}

/*
 * The entry at a relative path below tree (as git_tree_entry_bypath), or
 * NULL; *hold keeps the subtree holding it alive (the caller frees it).
 * Subtrees come from the small cache: signature rules look into the same
 * src/ and include/ folders again and again.
 */
static const git_tree_entry *entry_at(git_tree **hold, struct vctx *ctx, const git_tree *tree,
				      const char *path)
{
	const git_tree *cur = tree;
	char part[256];
	*hold = NULL;
	for (;;) {
		const char *slash = strchr(path, '/');
		size_t l = slash ? (size_t)(slash - path) : strlen(path);
		const git_tree_entry *e;
		git_tree *sub = NULL;
		if (l == 0 || l >= sizeof(part))
			return NULL;
		memcpy(part, path, l);
		part[l] = '\0';
		if (!(e = git_tree_entry_byname(cur, part)) || !slash || !slash[1])
			return e;
		if (git_tree_entry_filemode(e) != GIT_FILEMODE_TREE ||
		    subtree(&sub, ctx, git_tree_entry_id(e)) < 0)
			return NULL;
		git_tree_free(*hold);
		*hold = sub;
		cur = sub;
		path = slash + 1;
	}
}

static int find_blob(git_oid *out, struct vctx *ctx, const git_tree *tree, const char *path)
{
	git_tree *hold;
	const git_tree_entry *e = entry_at(&hold, ctx, tree, path);
	int found = 0;
	if (e) {
		git_filemode_t m = git_tree_entry_filemode(e);
		if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
	}
	git_tree_free(hold);
	return found;
}

static int exists(struct vctx *ctx, const git_tree *tree, const char *path)
{
	git_tree *hold;
	int found = entry_at(&hold, ctx, tree, path) != NULL;
	git_tree_free(hold);
	return found;
}

/* What a file says, as the memo of file facts holds it. */
struct fact {
	int rc;          /* 1: the pattern matched / a version or licence was found */
	char *text;      /* captured version (owned), or NULL */
	const char *lic; /* licence id (points into the pack), or NULL */
	double conf;
};

typedef int (*fact_fn)(struct fact *out, const struct vctx *ctx, const void *key,
		       const char *data, size_t len);

/*
 * The fact fn computes from the file at path (key: its pattern or kind), from
 * the memo when the blob was seen before. Returns 1 when the file is absent
 * or not readable (noted on f), 0 with *out filled, negative on error.
 */
static int file_fact(struct fact *out, struct vctx *ctx, struct sbom_found *f,
		     const git_tree *tree, const char *path, const void *key, fact_fn fn)
{
	const struct tc_entry *e;
	git_blob *blob = NULL;
	git_oid id;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!find_blob(&id, ctx, tree, path))
		return 1;
	if ((e = tc_get(ctx, &id, key))) {
		out->rc = e->rc;
		out->lic = e->lic;
		out->conf = e->conf;
		if (e->text && !(out->text = sdl_strdup(e->text)))
			return SDL_ENOMEM;
		return 0;
	}
	if ((rc = sbom_blob_load(&blob, ctx->c, &id, SBOM_MAX_BLOB, f, path)) != 0)
		return rc;
	len = (size_t)git_blob_rawsize(blob);
	rc = fn(out, ctx, key, git_blob_rawcontent(blob), len > SBOM_MAX_TEXT_SCAN ? SBOM_MAX_TEXT_SCAN : len);
	git_blob_free(blob);
	if (rc < 0) {
		sdl_free(out->text);
		out->text = NULL;
		return rc;
	}
	tc_put(ctx, &id, key, out->rc, out->text, out->lic, out->conf);
	return 0;
}

static int fact_grep(struct fact *out, const struct vctx *ctx, const void *key,
		     const char *data, size_t len)
{
	(void)ctx;
	out->rc = sbom_re_matches(key, data, len);
	return out->rc < 0 ? out->rc : 0;
}

static int fact_version(struct fact *out, const struct vctx *ctx, const void *key,
			const char *data, size_t len)
{
	int rc = sbom_re_capture(&out->text, key, data, len);
	(void)ctx;
	out->rc = rc > 0;
	return rc < 0 ? rc : 0;
}

static int take_version(char **out, const char *start, const char *end);

static int fact_generic(struct fact *out, const struct vctx *ctx, const void *key,
			const char *data, size_t len)
{
	/* a changelog's head: its first 2 KiB name the latest release */
	int rc = take_version(&out->text, data, data + (len < 2048 ? len : 2048));
	(void)ctx;
	(void)key;
	out->rc = rc > 0;
	return rc < 0 ? rc : 0;
}

static int fact_license(struct fact *out, const struct vctx *ctx, const void *key,
			const char *data, size_t len)
{
	(void)key;
	sbom_license_match(&out->lic, &out->conf, ctx->c->sigs, data, len);
	out->rc = out->lic != NULL;
	return 0;
}

static int rule_matches(struct vctx *ctx, struct sbom_found *f, const git_tree *tree,
			const struct sbom_detect_rule *r)
{
	struct fact fa;
	size_t i;
	int rc;
	for (i = 0; i < r->nfiles; i++)
		if (!exists(ctx, tree, r->files[i]))
			return 0;
	if (!r->grep.re)
		return 1;
	if ((rc = file_fact(&fa, ctx, f, tree, r->grep.file, r->grep.re, fact_grep)) != 0)
		return rc < 0 ? rc : 0;
	return fa.rc;
}

/* A version-looking token: digits and dots, at least "N.N". */
static int take_version(char **out, const char *start, const char *end)
{
	const char *s, *p;
	for (p = start; p < end; p++) {
		if (!isdigit((unsigned char)*p) || (p > end - 3))
			continue;
		if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '.') && p[-1] != 'v' &&
		    p[-1] != 'V')
			continue;
		s = p;
		while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
			p++;
		while (p > s && p[-1] == '.')
			p--;
		if (memchr(s, '.', (size_t)(p - s))) {
			*out = sdl_strndup(s, (size_t)(p - s));
			return *out ? 1 : SDL_ENOMEM;
		}
	}
	return 0;
}

/* VERSION file, or the first version in the head of a changelog. */
static int generic_version(char **out, const char **from, struct vctx *ctx,
			   struct sbom_found *f, const git_tree *tree)
{
	const char *const *files = version_files;
	struct fact fa;
	int rc;
	*out = NULL;
	for (size_t i = 0; files[i]; i++) {
		if ((rc = file_fact(&fa, ctx, f, tree, files[i], &generic_key, fact_generic)) < 0)
			return rc;
		if (rc > 0)
			continue;
		if (fa.rc) {
			*out = fa.text;
			*from = files[i];
			return 0;
		}
		sdl_free(fa.text);
	}
	return 0;
}

static int license_of(struct sbom_component *c, struct vctx *ctx, const git_tree *tree,
		      const struct sbom_signature *sig)
{
	const char *const *files = license_files;
	struct sbom_found scratch = { 0 };
	struct fact fa;
	int rc = 0;

	for (size_t i = 0; files[i]; i++) {
		if ((rc = file_fact(&fa, ctx, &scratch, tree, files[i], &license_key, fact_license)) < 0)
			goto done;
		if (rc > 0)
			continue;
		sdl_free(fa.text);
		if (fa.lic) {
			if ((rc = sbom_set(&c->license, fa.lic)) < 0 ||
			    (rc = sbom_set(&c->license_from, files[i])) < 0)
				goto done;
			c->license_confidence = fa.conf;
			goto done;
		}
		/* a licence file we cannot identify: say so rather than guess */
		if ((rc = sbom_set(&c->license_from, files[i])) < 0)
			goto done;
	}
	rc = 0;
	if (sig && sig->license) {
		if ((rc = sbom_set(&c->license, sig->license)) < 0)
			goto done;
		if (!c->license_from && (rc = sbom_set(&c->license_from, "signature")) < 0)
			goto done;
		c->license_confidence = 0.5;
	}
done:
	sbom_found_release(&scratch);
	return rc;
}

static int make_known(struct sbom_found *f, struct vctx *ctx, const git_tree *tree,
		      const struct sbom_signature *sig, size_t rule)
{
	struct sbom_component *c = sbom_component_new(SBOM_VENDORED, sig->name);
	struct sdl_buf b = SDL_BUF_INIT;
	const char *from = NULL;
	struct fact fa;
	int rc;

	if (!c)
		return SDL_ENOMEM;
	git_oid_cpy(&c->oid, git_tree_id(tree));
	c->has_oid = 1;
	c->confidence = sig->detect[rule].grep.re ? 0.95 : 0.8;
	for (size_t i = 0; i < sig->nversion && !c->version; i++) {
		if ((rc = file_fact(&fa, ctx, f, tree, sig->version[i].file, sig->version[i].re,
				    fact_version)) < 0)
			goto fail;
		if (rc > 0)
			continue;
		c->version = fa.text;
		if (fa.rc)
			from = sig->version[i].file;
	}
	if (!c->version && (rc = generic_version(&c->version, &from, ctx, f, tree)) < 0)
		goto fail;
	if ((rc = sbom_set(&c->version_from, from)) < 0 ||
	    (rc = sbom_set(&c->supplier, sig->supplier)) < 0 ||
	    (rc = sbom_set(&c->source_url, sig->source)) < 0 ||
	    (rc = sbom_template_fill(&c->purl, sig->purl, c->version)) < 0 ||
	    (rc = sbom_template_fill(&c->cpe, sig->cpe, c->version)) < 0 ||
	    (rc = license_of(c, ctx, tree, sig)) < 0)
		goto fail;
	if ((rc = sdl_buf_printf(&b, "signature '%s' (files: %s", sig->name,
				 sig->detect[rule].files[0])) < 0)
		goto fail;
	for (size_t i = 1; i < sig->detect[rule].nfiles; i++)
		if ((rc = sdl_buf_printf(&b, ", %s", sig->detect[rule].files[i])) < 0)
			goto fail;
	if ((rc = sdl_buf_puts(&b, ")")) < 0)
		goto fail;
	if (!(c->detail = sdl_buf_detach(&b, NULL))) {
		rc = SDL_ENOMEM;
		goto fail;
	}
	return sbom_found_add(f, "", c);
fail:
	sdl_buf_release(&b);
	sbom_component_unref(c);
	return rc;
}

static int make_unknown(struct sbom_found *f, struct vctx *ctx, const git_tree *tree,
			const char *dirname, const char *evidence)
{
	struct sbom_component *c = sbom_component_new(SBOM_UNKNOWN, dirname);
	struct sdl_buf b = SDL_BUF_INIT;
	const char *from = NULL;
	int rc;
	if (!c)
		return SDL_ENOMEM;
	git_oid_cpy(&c->oid, git_tree_id(tree));
	c->has_oid = 1;
	c->confidence = 0.3;
	if ((rc = generic_version(&c->version, &from, ctx, f, tree)) < 0 ||
	    (rc = sbom_set(&c->version_from, from)) < 0 ||
	    (rc = license_of(c, ctx, tree, NULL)) < 0)
		goto fail;
	if ((rc = sdl_buf_printf(&b, "no signature matched; own %s", evidence)) < 0)
		goto fail;
	if (!(c->detail = sdl_buf_detach(&b, NULL))) {
		rc = SDL_ENOMEM;
		goto fail;
	}
	return sbom_found_add(f, "", c);
fail:
	sdl_buf_release(&b);
	sbom_component_unref(c);
	return rc;
}

static int detect(struct sbom_found *f, struct vctx *ctx, const git_tree *tree, const char *dirname,
		  int vendor_child, int *matched)
{
	const struct sbom_signature *best = NULL;
	size_t best_rule = 0, best_score = 0;
	int rc;

	*matched = 0;
	for (size_t i = 0; i < ctx->c->sigs->nsigs; i++) {
		const struct sbom_signature *s = &ctx->c->sigs->sigs[i];
		for (size_t r = 0; r < s->ndetect; r++) {
			rc = rule_matches(ctx, f, tree, &s->detect[r]);
			if (rc < 0)
				return rc;
			/* the most specific rule wins: more files, a grep */
			size_t score = s->detect[r].nfiles * 2 + (s->detect[r].grep.re ? 1 : 0);
			if (rc > 0 && score > best_score) {
				best = s;
				best_rule = r;
				best_score = score;
			}
		}
	}
	if (best) {
		*matched = 1;
		return make_known(f, ctx, tree, best, best_rule);
	}
	if (vendor_child) {
		/* weak roots: licence files only (the first 9) */
		size_t nown = vendor_child == 2 ? 9 : sizeof(own_files) / sizeof(own_files[0]) - 1;
		for (size_t i = 0; i < nown; i++)
			if (git_tree_entry_byname(tree, own_files[i])) {
				*matched = 1;
				return make_unknown(f, ctx, tree, dirname, own_files[i]);
			}
	}
	return 0;
}

int sbom_detect_license(struct sbom_component *c, struct sbom_ctx *ctx, const git_tree *tree,
			const struct sbom_signature *sig)
{
	struct vctx v = { ctx, NULL };
	return license_of(c, &v, tree, sig);
}

int sbom_detect_vendored_memo(struct sbom_found *f, struct sbom_ctx *ctx,
			      struct sbom_textcache *texts, const git_tree *tree, const char *dirname,
			      int vendor_child, int *matched)
{
	struct vctx v = { ctx, texts };
	return detect(f, &v, tree, dirname, vendor_child, matched);
}

int sbom_detect_vendored(struct sbom_found *f, struct sbom_ctx *ctx, const git_tree *tree,
			 const char *dirname, int vendor_child, int *matched)
{
	return sbom_detect_vendored_memo(f, ctx, NULL, tree, dirname, vendor_child, matched);
}
