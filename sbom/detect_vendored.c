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
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

static int find_blob(git_oid *out, const git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	int found = 0;
	if (git_tree_entry_bypath(&e, tree, path) == 0) {
		git_filemode_t m = git_tree_entry_filemode(e);
		if (m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
		git_tree_entry_free(e);
	}
	return found;
}

static int exists(const git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	/* quick reject on the first path component (binary search in the tree) */
	const char *slash = strchr(path, '/');
	if (!slash)
		return git_tree_entry_byname(tree, path) != NULL;
	{
		char first[256];
		size_t l = (size_t)(slash - path);
		if (l >= sizeof(first))
			return 0;
		memcpy(first, path, l);
		first[l] = '\0';
		if (!git_tree_entry_byname(tree, first))
			return 0;
	}
	if (git_tree_entry_bypath(&e, tree, path) != 0)
		return 0;
	git_tree_entry_free(e);
	return 1;
}

/* Bytes of a blob, bounded; 1 = not available (noted), 0 = ok. */
static int read_text(git_blob **blob, struct sbom_ctx *ctx, struct sbom_found *f,
		     const git_tree *tree, const char *path, const char **data, size_t *len)
{
	git_oid id;
	int rc;
	*blob = NULL;
	if (!find_blob(&id, tree, path))
		return 1;
	if ((rc = sbom_blob_load(blob, ctx, &id, SBOM_MAX_BLOB, f, path)) != 0)
		return rc;
	*data = git_blob_rawcontent(*blob);
	*len = (size_t)git_blob_rawsize(*blob);
	if (*len > SBOM_MAX_TEXT_SCAN)
		*len = SBOM_MAX_TEXT_SCAN;
	return 0;
}

static int rule_matches(struct sbom_ctx *ctx, struct sbom_found *f, const git_tree *tree,
			const struct sbom_detect_rule *r)
{
	git_blob *blob;
	const char *data;
	size_t len, i;
	int rc;
	for (i = 0; i < r->nfiles; i++)
		if (!exists(tree, r->files[i]))
			return 0;
	if (!r->grep.re)
		return 1;
	if ((rc = read_text(&blob, ctx, f, tree, r->grep.file, &data, &len)) != 0)
		return rc < 0 ? rc : 0;
	rc = sbom_re_matches(r->grep.re, data, len);
	git_blob_free(blob);
	return rc;
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
static int generic_version(char **out, const char **from, struct sbom_ctx *ctx,
			   struct sbom_found *f, const git_tree *tree)
{
	static const char *const files[] = { "VERSION", "VERSION.txt", "version.txt", ".version",
					     "CHANGES", "CHANGES.md", "CHANGELOG", "CHANGELOG.md",
					     "ChangeLog", "NEWS", "NEWS.md", "RELEASE-NOTES", NULL };
	git_blob *blob;
	const char *data;
	size_t len;
	int rc;
	*out = NULL;
	for (size_t i = 0; files[i]; i++) {
		if ((rc = read_text(&blob, ctx, f, tree, files[i], &data, &len)) < 0)
			return rc;
		if (rc > 0)
			continue;
		/* a changelog's head: its first 2 KiB name the latest release */
		rc = take_version(out, data, data + (len < 2048 ? len : 2048));
		git_blob_free(blob);
		if (rc != 0) {
			*from = files[i];
			return rc < 0 ? rc : 0;
		}
	}
	return 0;
}

int sbom_detect_license(struct sbom_component *c, struct sbom_ctx *ctx, const git_tree *tree,
			const struct sbom_signature *sig)
{
	static const char *const files[] = { "LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
					     "LICENCE.txt", "COPYING", "COPYING.txt", "COPYING.md",
					     "COPYRIGHT", "LICENSE.TXT", "License.txt", "license.txt",
					     "LICENSE.rst", "COPYING.LIB", "LICENSE-MIT", "LICENSE-APACHE",
					     "COPYING.LESSER", NULL };
	struct sbom_found scratch = { 0 };
	git_blob *blob;
	const char *data, *id;
	size_t len;
	double conf;
	int rc = 0;

	for (size_t i = 0; files[i]; i++) {
		if ((rc = read_text(&blob, ctx, &scratch, tree, files[i], &data, &len)) < 0)
			goto done;
		if (rc > 0)
			continue;
		sbom_license_match(&id, &conf, ctx->sigs, data, len);
		git_blob_free(blob);
		if (id) {
			if ((rc = sbom_set(&c->license, id)) < 0 ||
			    (rc = sbom_set(&c->license_from, files[i])) < 0)
				goto done;
			c->license_confidence = conf;
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

static int make_known(struct sbom_found *f, struct sbom_ctx *ctx, const git_tree *tree,
		      const struct sbom_signature *sig, size_t rule)
{
	struct sbom_component *c = sbom_component_new(SBOM_VENDORED, sig->name);
	struct sdl_buf b = SDL_BUF_INIT;
	const char *from = NULL;
	git_blob *blob;
	const char *data;
	size_t len;
	int rc;

	if (!c)
		return SDL_ENOMEM;
	git_oid_cpy(&c->oid, git_tree_id(tree));
	c->has_oid = 1;
	c->confidence = sig->detect[rule].grep.re ? 0.95 : 0.8;
	for (size_t i = 0; i < sig->nversion && !c->version; i++) {
		if ((rc = read_text(&blob, ctx, f, tree, sig->version[i].file, &data, &len)) < 0)
			goto fail;
		if (rc > 0)
			continue;
		rc = sbom_re_capture(&c->version, sig->version[i].re, data, len);
		git_blob_free(blob);
		if (rc < 0)
			goto fail;
		if (rc > 0)
			from = sig->version[i].file;
	}
	if (!c->version && (rc = generic_version(&c->version, &from, ctx, f, tree)) < 0)
		goto fail;
	if ((rc = sbom_set(&c->version_from, from)) < 0 ||
	    (rc = sbom_set(&c->supplier, sig->supplier)) < 0 ||
	    (rc = sbom_set(&c->source_url, sig->source)) < 0 ||
	    (rc = sbom_template_fill(&c->purl, sig->purl, c->version)) < 0 ||
	    (rc = sbom_template_fill(&c->cpe, sig->cpe, c->version)) < 0 ||
	    (rc = sbom_detect_license(c, ctx, tree, sig)) < 0)
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

static int make_unknown(struct sbom_found *f, struct sbom_ctx *ctx, const git_tree *tree,
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
	    (rc = sbom_detect_license(c, ctx, tree, NULL)) < 0)
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

int sbom_detect_vendored(struct sbom_found *f, struct sbom_ctx *ctx, const git_tree *tree,
			 const char *dirname, int vendor_child, int *matched)
{
	const struct sbom_signature *best = NULL;
	size_t best_rule = 0, best_score = 0;
	int rc;

	*matched = 0;
	for (size_t i = 0; i < ctx->sigs->nsigs; i++) {
		const struct sbom_signature *s = &ctx->sigs->sigs[i];
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
		static const char *const own[] = { "LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
						   "COPYING", "COPYING.txt", "COPYRIGHT", "LICENSE-MIT",
						   "LICENSE-APACHE", "README", "README.md", "README.txt",
						   "README.rst", NULL };
		/* weak roots: licence files only (the first 9) */
		size_t nown = vendor_child == 2 ? 9 : sizeof(own) / sizeof(own[0]) - 1;
		for (size_t i = 0; i < nown; i++)
			if (git_tree_entry_byname(tree, own[i])) {
				*matched = 1;
				return make_unknown(f, ctx, tree, dirname, own[i]);
			}
	}
	return 0;
}
