/*
 * Single vendored files: a lone linenoise.c, sha256.c or sqlite3.c copied
 * into the project's own sources. The file name selects the candidate rules,
 * the content must match the rule's grep (a copyright line or a macro that
 * only the upstream file has), and the version comes from the file itself.
 */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int sbom_single_file_candidate(const struct sbom_sigpack *sigs, const char *name)
{
	return sigs->nsingle_names &&
	       bsearch(name, sigs->single_names, sigs->nsingle_names, sizeof(*sigs->single_names), cmp_name);
}

int sbom_detect_single_file(struct sbom_found *f, struct sbom_ctx *ctx, const char *name,
			    const git_oid *blob_id)
{
	git_blob *blob = NULL;
	const char *data;
	size_t len;
	int rc;

	rc = sbom_blob_load(&blob, ctx, blob_id, SBOM_MAX_BLOB, f, name);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (len > SBOM_MAX_TEXT_SCAN)
		len = SBOM_MAX_TEXT_SCAN;
	for (size_t i = 0; i < ctx->sigs->nsigs; i++) {
		const struct sbom_signature *s = &ctx->sigs->sigs[i];
		for (size_t j = 0; j < s->nsingle; j++) {
			const struct sbom_single_rule *r = &s->single[j];
			struct sbom_component *c;
			struct sdl_buf b = SDL_BUF_INIT;
			if (strcmp(r->name, name) || !sbom_re_matches(r->grep, data, len))
				continue;
			if (!(c = sbom_component_new(SBOM_SINGLE_FILE, s->name))) {
				rc = SDL_ENOMEM;
				goto done;
			}
			git_oid_cpy(&c->oid, blob_id);
			c->has_oid = 1;
			c->confidence = 0.85;
			if ((r->version && (rc = sbom_re_capture(&c->version, r->version, data, len)) < 0) ||
			    (rc = sbom_set(&c->version_from, c->version ? name : NULL)) < 0 ||
			    (rc = sbom_set(&c->supplier, s->supplier)) < 0 ||
			    (rc = sbom_set(&c->source_url, s->source)) < 0 ||
			    (rc = sbom_template_fill(&c->purl, s->purl, c->version)) < 0 ||
			    (rc = sbom_template_fill(&c->cpe, s->cpe, c->version)) < 0 ||
			    (rc = sbom_set(&c->license, s->license)) < 0 ||
			    (rc = sbom_set(&c->license_from, s->license ? "signature" : NULL)) < 0 ||
			    (rc = sdl_buf_printf(&b, "single vendored file matching signature '%s'",
						 s->name)) < 0) {
				sbom_component_unref(c);
				goto done;
			}
			c->license_confidence = s->license ? 0.5 : 0.0;
			if (!(c->detail = sdl_buf_detach(&b, NULL))) {
				sbom_component_unref(c);
				rc = SDL_ENOMEM;
				goto done;
			}
			rc = sbom_found_add(f, name, c);
			goto done; /* one identity per file */
		}
	}
	rc = 0;
done:
	git_blob_free(blob);
	return rc;
}
