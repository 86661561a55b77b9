/*
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). One package per
 * component plus the product's package; the document DESCRIBES the product,
 * which CONTAINS vendored copies and DEPENDS_ON declared dependencies. History
 * events become package annotations (clause 12). documentNamespace is a
 * deterministic URI from the product, revision and timestamp (clause 6.5).
 */
#include "emit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/version.h"
#include "lib/banned.h"

#define CHECK(x)                  \
	do {                      \
		if ((rc = (x)) < 0) \
			goto done; \
	} while (0)

/* SPDXRef-<idstring>: letters, digits, '.' and '-' only (clause 7.2). */
static int spdx_id(struct sdl_buf *b, const char *prefix, const char *text)
{
	int rc;
	sdl_buf_clear(b);
	if ((rc = sdl_buf_printf(b, "SPDXRef-%s-", prefix)) < 0)
		return rc;
	for (const char *p = text; *p; p++)
		if ((rc = sdl_buf_putc(b, isalnum((unsigned char)*p) || *p == '.' || *p == '-' ? *p : '-')) < 0)
			return rc;
	return 0;
}

static int add_rel(cJSON *rels, const char *a, const char *type, const char *b)
{
	cJSON *r = cJSON_CreateObject();
	int rc;
	if (!r || (rc = sdl_json_add(rels, NULL, r)) < 0)
		return SDL_ENOMEM;
	if ((rc = sdl_json_add_str(r, "spdxElementId", a)) < 0 ||
	    (rc = sdl_json_add_str(r, "relationshipType", type)) < 0)
		return rc;
	return sdl_json_add_str(r, "relatedSpdxElement", b);
}

static int annotations(cJSON *pkg, const struct sbom_track *t, const char *tool)
{
	cJSON *arr;
	struct sdl_buf b = SDL_BUF_INIT;
	int rc = 0;
	if (!t || !t->nevents)
		return 0;
	if (!(arr = cJSON_CreateArray()) || (rc = sdl_json_add(pkg, "annotations", arr)) < 0)
		return SDL_ENOMEM;
	for (size_t i = 0; i < t->nevents; i++) {
		const struct sbom_event *e = &t->events[i];
		cJSON *a = cJSON_CreateObject();
		char ts[32];
		if (!a || (rc = sdl_json_add(arr, NULL, a)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sbom_iso8601(ts, e->time));
		sdl_buf_clear(&b);
		CHECK(sdl_buf_printf(&b, "sdl-sbom history: %s", sbom_event_name(e->type)));
		if (e->type == SBOM_EV_VERSION)
			CHECK(sdl_buf_printf(&b, " (%s)",
					     sbom_version_cmp(e->to, e->from) > 0   ? "upgrade"
					     : sbom_version_cmp(e->to, e->from) < 0 ? "downgrade"
										    : "change"));
		if (e->from || e->to)
			CHECK(sdl_buf_printf(&b, " %s -> %s", e->from ? e->from : "-", e->to ? e->to : "-"));
		CHECK(sdl_buf_printf(&b, "; commit %s by %s: %s", e->commit, e->author,
				     e->summary ? e->summary : ""));
		CHECK(sdl_json_add_str(a, "annotationDate", ts));
		CHECK(sdl_json_add_str(a, "annotationType", "OTHER"));
		CHECK(sdl_json_add_str(a, "annotator", tool));
		CHECK(sdl_json_add_str(a, "comment", b.ptr));
	}
done:
	sdl_buf_release(&b);
	return rc;
}

/* A licence id we can put in licenseDeclared: SPDX ids and expressions only. */
static const char *declared(const char *lic)
{
	if (!lic)
		return "NOASSERTION";
	for (const char *p = lic; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-+ ()", *p))
			return "NOASSERTION";
	return lic;
}

int sbom_emit_spdx(struct sdl_buf *out, const struct sbom_result *r,
		   const struct sbom_emit_options *opt)
{
	cJSON *root = cJSON_CreateObject(), *ci, *creators, *pkgs, *rels, *x;
	struct sdl_buf b = SDL_BUF_INIT, id = SDL_BUF_INIT, tool = SDL_BUF_INIT;
	char ts[32], uuid[37];
	int rc = 0;
	size_t i;

	if (!root)
		return SDL_ENOMEM;
	CHECK(sbom_iso8601(ts, opt->timestamp));
	CHECK(sdl_buf_printf(&tool, "Tool: sdl-sbom-%s", SDL_VERSION));
	CHECK(sdl_json_add_str(root, "spdxVersion", "SPDX-2.3"));
	CHECK(sdl_json_add_str(root, "dataLicense", "CC0-1.0"));
	CHECK(sdl_json_add_str(root, "SPDXID", "SPDXRef-DOCUMENT"));
	CHECK(sdl_buf_printf(&b, "%s-%.12s", r->repo_name, r->commit));
	CHECK(sdl_json_add_str(root, "name", b.ptr));
	sdl_buf_clear(&b);
	CHECK(sdl_buf_printf(&b, "spdx|%s|%s|%s|%s", r->repo_name, r->commit, opt->sigpack_hash, ts));
	CHECK(sbom_uuid_from(uuid, b.ptr));
	sdl_buf_clear(&b);
	CHECK(sdl_buf_printf(&b, "https://spdx.org/spdxdocs/sdl-sbom/%s-%s", r->commit, uuid));
	CHECK(sdl_json_add_str(root, "documentNamespace", b.ptr));
	if (!(ci = cJSON_CreateObject()) || (rc = sdl_json_add(root, "creationInfo", ci)) < 0 ||
	    !(creators = cJSON_CreateArray()) || (rc = sdl_json_add(ci, "creators", creators)) < 0)
		goto nomem;
	CHECK(sdl_json_add_str(ci, "created", ts));
	sdl_buf_clear(&b);
	if (opt->author_email)
		CHECK(sdl_buf_printf(&b, "Person: %s (%s)", opt->author_name, opt->author_email));
	else
		CHECK(sdl_buf_printf(&b, "Organization: %s", opt->author_name));
	if (!(x = cJSON_CreateString(b.ptr)) || (rc = sdl_json_add(creators, NULL, x)) < 0 ||
	    !(x = cJSON_CreateString(tool.ptr)) || (rc = sdl_json_add(creators, NULL, x)) < 0)
		goto nomem;
	sdl_buf_clear(&b);
	CHECK(sdl_buf_printf(&b, "revision %s; history: %s; %zu item(s) not examined%s",
			     r->commit, r->history ? "first-parent" : "none", r->nnotes,
			     r->nnotes ? " (see annotations of the product package): this SBOM is incomplete" : ""));
	for (i = 0; i < r->nexcluded; i++)
		CHECK(sdl_buf_printf(&b, "; excluded by configuration: %s", r->excluded[i]));
	CHECK(sdl_json_add_str(ci, "comment", b.ptr));

	if (!(pkgs = cJSON_CreateArray()) || (rc = sdl_json_add(root, "packages", pkgs)) < 0 ||
	    !(rels = cJSON_CreateArray()) || (rc = sdl_json_add(root, "relationships", rels)) < 0)
		goto nomem;
	/* the product */
	{
		cJSON *p = cJSON_CreateObject();
		if (!p || (rc = sdl_json_add(pkgs, NULL, p)) < 0)
			goto nomem;
		CHECK(sdl_json_add_str(p, "SPDXID", "SPDXRef-Product"));
		CHECK(sdl_json_add_str(p, "name", r->repo_name));
		CHECK(sdl_json_add_str(p, "versionInfo", r->commit));
		CHECK(sdl_json_add_str(p, "downloadLocation", "NOASSERTION"));
		CHECK(sdl_json_add_bool(p, "filesAnalyzed", 0));
		CHECK(sdl_json_add_str(p, "licenseConcluded", "NOASSERTION"));
		CHECK(sdl_json_add_str(p, "licenseDeclared", "NOASSERTION"));
		CHECK(sdl_json_add_str(p, "copyrightText", "NOASSERTION"));
		if (r->nnotes) {
			cJSON *arr = cJSON_CreateArray();
			if (!arr || (rc = sdl_json_add(p, "annotations", arr)) < 0)
				goto nomem;
			for (i = 0; i < r->nnotes; i++) {
				cJSON *a = cJSON_CreateObject();
				if (!a || (rc = sdl_json_add(arr, NULL, a)) < 0)
					goto nomem;
				sdl_buf_clear(&b);
				CHECK(sdl_buf_printf(&b, "not examined: %s: %s", r->notes[i].path, r->notes[i].reason));
				CHECK(sdl_json_add_str(a, "annotationDate", ts));
				CHECK(sdl_json_add_str(a, "annotationType", "REVIEW"));
				CHECK(sdl_json_add_str(a, "annotator", tool.ptr));
				CHECK(sdl_json_add_str(a, "comment", b.ptr));
			}
		}
	}
	CHECK(add_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Product"));
	for (i = 0; i < r->ninst; i++) {
		const struct sbom_instance *in = &r->inst[i];
		const struct sbom_component *c = in->comp;
		cJSON *p = cJSON_CreateObject(), *refs;
		char *ref = NULL;
		if (!p || (rc = sdl_json_add(pkgs, NULL, p)) < 0)
			goto nomem;
		CHECK(sbom_instance_ref(&ref, in));
		rc = spdx_id(&id, "Package", ref);
		sdl_free(ref);
		if (rc < 0)
			goto done;
		CHECK(sdl_json_add_str(p, "SPDXID", id.ptr));
		CHECK(sdl_json_add_str(p, "name", c->name));
		CHECK(sdl_json_add_str(p, "versionInfo", c->version));
		sdl_buf_clear(&b);
		if (c->supplier)
			CHECK(sdl_buf_printf(&b, "Organization: %s", c->supplier));
		CHECK(sdl_json_add_str(p, "supplier", c->supplier ? b.ptr : "NOASSERTION"));
		CHECK(sdl_json_add_str(p, "downloadLocation", c->source_url ? c->source_url : "NOASSERTION"));
		CHECK(sdl_json_add_bool(p, "filesAnalyzed", 0));
		if (c->digest || c->hash_value) {
			cJSON *sums = cJSON_CreateArray(), *s = cJSON_CreateObject();
			const char *alg = c->digest ? "SHA512" : !strcmp(c->hash_alg, "SHA-256") ? "SHA256" : NULL;
			if (alg) {
				if (!sums || (rc = sdl_json_add(p, "checksums", sums)) < 0 || !s ||
				    (rc = sdl_json_add(sums, NULL, s)) < 0)
					goto nomem;
				CHECK(sdl_json_add_str(s, "algorithm", alg));
				CHECK(sdl_json_add_str(s, "checksumValue", c->digest ? c->digest : c->hash_value));
			} else {
				cJSON_Delete(sums);
				cJSON_Delete(s);
			}
		}
		CHECK(sdl_json_add_str(p, "licenseConcluded", "NOASSERTION"));
		CHECK(sdl_json_add_str(p, "licenseDeclared", declared(c->license)));
		CHECK(sdl_json_add_str(p, "copyrightText", "NOASSERTION"));
		sdl_buf_clear(&b);
		CHECK(sdl_buf_printf(&b, "%s at %s; %s", sbom_kind_name(c->kind), in->path,
				     c->detail ? c->detail : ""));
		if (c->license_from)
			CHECK(sdl_buf_printf(&b, "; licence from %s (confidence %.2f)", c->license_from,
					     c->license_confidence));
		if (in->scope != SBOM_SCOPE_PRODUCT)
			CHECK(sdl_buf_printf(&b, "; scope: %s only (%s)",
					     in->scope == SBOM_SCOPE_TEST ? "test" : "development", in->scope_reason));
		CHECK(sdl_json_add_str(p, "comment", b.ptr));
		if (c->purl || c->cpe) {
			if (!(refs = cJSON_CreateArray()) || (rc = sdl_json_add(p, "externalRefs", refs)) < 0)
				goto nomem;
			if (c->purl) {
				cJSON *e = cJSON_CreateObject();
				if (!e || (rc = sdl_json_add(refs, NULL, e)) < 0)
					goto nomem;
				CHECK(sdl_json_add_str(e, "referenceCategory", "PACKAGE-MANAGER"));
				CHECK(sdl_json_add_str(e, "referenceType", "purl"));
				CHECK(sdl_json_add_str(e, "referenceLocator", c->purl));
			}
			if (c->cpe) {
				cJSON *e = cJSON_CreateObject();
				if (!e || (rc = sdl_json_add(refs, NULL, e)) < 0)
					goto nomem;
				CHECK(sdl_json_add_str(e, "referenceCategory", "SECURITY"));
				CHECK(sdl_json_add_str(e, "referenceType", "cpe23Type"));
				CHECK(sdl_json_add_str(e, "referenceLocator", c->cpe));
			}
		}
		if (in->track < r->ntracks)
			CHECK(annotations(p, &r->tracks[in->track], tool.ptr));
		/*
		 * SPDX 2.3 section 11.1: "A TEST_DEPENDENCY_OF B" / "A DEV_DEPENDENCY_OF B"
		 * for what only B's tests / development (examples, docs) use.
		 */
		if (in->scope != SBOM_SCOPE_PRODUCT)
			CHECK(add_rel(rels, id.ptr,
				      in->scope == SBOM_SCOPE_TEST ? "TEST_DEPENDENCY_OF" : "DEV_DEPENDENCY_OF",
				      "SPDXRef-Product"));
		else
			CHECK(add_rel(rels, "SPDXRef-Product",
				      c->kind == SBOM_MANIFEST ? "DEPENDS_ON" : "CONTAINS", id.ptr));
	}
	rc = sdl_json_render(out, root);
	goto done;
nomem:
	rc = rc < 0 ? rc : SDL_ENOMEM;
done:
	sdl_buf_release(&b);
	sdl_buf_release(&id);
	sdl_buf_release(&tool);
	cJSON_Delete(root);
	return rc;
}
