/*
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/). Per component
 * (NTIA minimum elements, BSI TR-03183-2 section 5.2): supplier, name,
 * version, purl and CPE where known, SHA-512 of the component's files,
 * licence, source URI (externalReferences), and the history as pedigree
 * (commits with author and date; local modifications as unofficial patches).
 * What could not be examined makes the composition "incomplete" and is listed
 * in metadata properties. Deterministic: order by path, no clock.
 */
#include "emit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/version.h"
#include "vulns.h"
#include "lib/banned.h"

#define CHECK(x)                  \
	do {                      \
		if ((rc = (x)) < 0) \
			goto done; \
	} while (0)

int sbom_iso8601(char out[32], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return sdl_error_set(SDL_EINVAL, "timestamp %lld out of range", (long long)t);
	return 0;
}

static cJSON *obj(void)
{
	return cJSON_CreateObject();
}

static int add_prop(cJSON *props, const char *name, const char *value)
{
	cJSON *p;
	int rc;
	if (!value)
		return 0;
	if (!(p = obj()))
		return SDL_ENOMEM;
	if ((rc = sdl_json_add(props, NULL, p)) < 0)
		return rc;
	if ((rc = sdl_json_add_str(p, "name", name)) < 0)
		return rc;
	return sdl_json_add_str(p, "value", value);
}

/* Deterministic UUID (version 8 layout, RFC 9562) from a SHA-256 of text. */
int sbom_uuid_from(char out[37], const char *text)
{
	char hex[SDL_HASH_HEX_MAX];
	int rc = sdl_hash_buf(hex, SDL_SHA256, text, strlen(text));
	if (rc < 0)
		return rc;
	hex[12] = '8';
	hex[16] = "89ab"[(hex[16] - '0') & 3];
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

static int license_json(cJSON *comp, const struct sbom_component *c)
{
	cJSON *arr, *choice, *lic;
	int rc;
	if (!c->license)
		return 0;
	if (!(arr = cJSON_CreateArray()) || (rc = sdl_json_add(comp, "licenses", arr)) < 0)
		return SDL_ENOMEM;
	if (!(choice = obj()) || (rc = sdl_json_add(arr, NULL, choice)) < 0)
		return SDL_ENOMEM;
	/* an expression ("Apache-2.0 OR GPL-2.0-or-later") is not a single id */
	if (strchr(c->license, ' '))
		return sdl_json_add_str(choice, "expression", c->license);
	if (!(lic = obj()) || (rc = sdl_json_add(choice, "license", lic)) < 0)
		return SDL_ENOMEM;
	if ((rc = sdl_json_add_str(lic, "id", c->license)) < 0)
		return rc;
	/* read from the component's own licence file: declared by its authors */
	return sdl_json_add_str(lic, "acknowledgement", "declared");
}

static int pedigree(cJSON *comp, const struct sbom_result *r, const struct sbom_track *t)
{
	cJSON *ped, *commits, *patches = NULL;
	struct sdl_buf notes = SDL_BUF_INIT;
	int rc = 0;
	size_t i;
	if (!t || !t->nevents)
		return 0;
	if (!(ped = obj()) || (rc = sdl_json_add(comp, "pedigree", ped)) < 0)
		return SDL_ENOMEM;
	if (!(commits = cJSON_CreateArray()) || (rc = sdl_json_add(ped, "commits", commits)) < 0)
		return SDL_ENOMEM;
	for (i = 0; i < t->nevents; i++) {
		const struct sbom_event *e = &t->events[i];
		cJSON *c, *who;
		char ts[32];
		const char *lt, *gt;
		CHECK(sbom_iso8601(ts, e->time));
		if (!(c = obj()) || (rc = sdl_json_add(commits, NULL, c)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(c, "uid", e->commit));
		if (!(who = obj()) || (rc = sdl_json_add(c, "author", who)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(who, "timestamp", ts));
		lt = strchr(e->author, '<');
		gt = lt ? strchr(lt, '>') : NULL;
		if (lt && gt) {
			char name[256], mail[256];
			snprintf(name, sizeof(name), "%.*s", (int)(lt > e->author ? lt - e->author - 1 : 0),
				 e->author);
			snprintf(mail, sizeof(mail), "%.*s", (int)(gt - lt - 1), lt + 1);
			CHECK(sdl_json_add_str(who, "name", name));
			if (strchr(mail, '@'))
				CHECK(sdl_json_add_str(who, "email", mail));
		}
		sdl_buf_clear(&notes);
		CHECK(sdl_buf_printf(&notes, "%s", sbom_event_name(e->type)));
		if (e->type == SBOM_EV_VERSION)
			CHECK(sdl_buf_printf(&notes, " (%s)",
					     sbom_version_cmp(e->to, e->from) > 0   ? "upgrade"
					     : sbom_version_cmp(e->to, e->from) < 0 ? "downgrade"
										    : "change"));
		if (e->from || e->to)
			CHECK(sdl_buf_printf(&notes, ": %s -> %s", e->from ? e->from : "-", e->to ? e->to : "-"));
		CHECK(sdl_buf_printf(&notes, " | %s", e->summary ? e->summary : ""));
		CHECK(sdl_json_add_str(c, "message", notes.ptr));
		if (e->type == SBOM_EV_MODIFIED) {
			cJSON *p, *diff;
			if (!patches) {
				if (!(patches = cJSON_CreateArray()) ||
				    (rc = sdl_json_add(ped, "patches", patches)) < 0) {
					rc = SDL_ENOMEM;
					goto done;
				}
			}
			if (!(p = obj()) || (rc = sdl_json_add(patches, NULL, p)) < 0 ||
			    (rc = sdl_json_add_str(p, "type", "unofficial")) < 0 || !(diff = obj()) ||
			    (rc = sdl_json_add(p, "diff", diff)) < 0) {
				rc = rc < 0 ? rc : SDL_ENOMEM;
				goto done;
			}
			sdl_buf_clear(&notes);
			CHECK(sdl_buf_printf(&notes, "git show %s -- %s", e->commit, t->path));
			CHECK(sdl_json_add_str(diff, "url", e->commit));
			{
				cJSON *text = obj();
				if (!text || (rc = sdl_json_add(diff, "text", text)) < 0) {
					rc = SDL_ENOMEM;
					goto done;
				}
				CHECK(sdl_json_add_str(text, "content", notes.ptr));
			}
		}
	}
	(void)r;
done:
	sdl_buf_release(&notes);
	return rc;
}

static int component_json(cJSON *arr, const struct sbom_result *r, const struct sbom_instance *in)
{
	const struct sbom_component *c = in->comp;
	cJSON *j, *x;
	char *ref = NULL;
	char conf[32];
	int rc;

	if (!(j = obj()) || (rc = sdl_json_add(arr, NULL, j)) < 0)
		return SDL_ENOMEM;
	CHECK(sbom_instance_ref(&ref, in));
	CHECK(sdl_json_add_str(j, "type", "library"));
	CHECK(sdl_json_add_str(j, "bom-ref", ref));
	if (c->supplier) {
		if (!(x = obj()) || (rc = sdl_json_add(j, "supplier", x)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(x, "name", c->supplier));
	}
	CHECK(sdl_json_add_str(j, "name", c->name));
	CHECK(sdl_json_add_str(j, "version", c->version));
	/* CycloneDX 1.6 component.scope: "excluded" = not part of the product's runtime */
	if (in->scope != SBOM_SCOPE_PRODUCT)
		CHECK(sdl_json_add_str(j, "scope", "excluded"));
	if (c->digest || c->hash_value) {
		cJSON *hashes = cJSON_CreateArray(), *h;
		if (!hashes || (rc = sdl_json_add(j, "hashes", hashes)) < 0 || !(h = obj()) ||
		    (rc = sdl_json_add(hashes, NULL, h)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(h, "alg", c->digest ? "SHA-512" : c->hash_alg));
		CHECK(sdl_json_add_str(h, "content", c->digest ? c->digest : c->hash_value));
	}
	CHECK(license_json(j, c));
	CHECK(sdl_json_add_str(j, "cpe", c->cpe));
	CHECK(sdl_json_add_str(j, "purl", c->purl));
	if (c->source_url) {
		cJSON *refs = cJSON_CreateArray(), *e;
		if (!refs || (rc = sdl_json_add(j, "externalReferences", refs)) < 0 || !(e = obj()) ||
		    (rc = sdl_json_add(refs, NULL, e)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(e, "type", c->kind == SBOM_MANIFEST && !strstr(c->source_url, ".git") &&
							  !strstr(c->source_url, "github.com")
						      ? "distribution"
						      : "vcs"));
		CHECK(sdl_json_add_str(e, "url", c->source_url));
	}
	if (in->track < r->ntracks)
		CHECK(pedigree(j, r, &r->tracks[in->track]));
	{
		cJSON *ev = obj(), *ids, *id, *methods, *m, *occ, *o;
		if (!ev || (rc = sdl_json_add(j, "evidence", ev)) < 0 || !(ids = cJSON_CreateArray()) ||
		    (rc = sdl_json_add(ev, "identity", ids)) < 0 || !(id = obj()) ||
		    (rc = sdl_json_add(ids, NULL, id)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(id, "field", "name"));
		CHECK(sdl_json_add_num(id, "confidence", c->confidence));
		if (!(methods = cJSON_CreateArray()) || (rc = sdl_json_add(id, "methods", methods)) < 0 ||
		    !(m = obj()) || (rc = sdl_json_add(methods, NULL, m)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(m, "technique", c->kind == SBOM_MANIFEST ? "manifest-analysis"
						       : c->kind == SBOM_SUBMODULE ? "other"
										   : "source-code-analysis"));
		CHECK(sdl_json_add_num(m, "confidence", c->confidence));
		CHECK(sdl_json_add_str(m, "value", c->detail));
		if (!(occ = cJSON_CreateArray()) || (rc = sdl_json_add(ev, "occurrences", occ)) < 0 ||
		    !(o = obj()) || (rc = sdl_json_add(occ, NULL, o)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(sdl_json_add_str(o, "location", in->path));
	}
	{
		cJSON *props = cJSON_CreateArray();
		if (!props || (rc = sdl_json_add(j, "properties", props)) < 0) {
			rc = SDL_ENOMEM;
			goto done;
		}
		CHECK(add_prop(props, "sdl:kind", sbom_kind_name(c->kind)));
		CHECK(add_prop(props, "sdl:path", in->path));
		if (in->scope != SBOM_SCOPE_PRODUCT) {
			CHECK(add_prop(props, "sdl:scope", in->scope == SBOM_SCOPE_TEST ? "test" : "dev"));
			CHECK(add_prop(props, "sdl:scope-reason", in->scope_reason));
		}
		CHECK(add_prop(props, "sdl:ecosystem", c->ecosystem));
		CHECK(add_prop(props, "sdl:version-source", c->version_from));
		CHECK(add_prop(props, "sdl:license-source", c->license_from));
		if (c->license) {
			snprintf(conf, sizeof(conf), "%.2f", c->license_confidence);
			CHECK(add_prop(props, "sdl:license-confidence", conf));
		}
		if (c->kind == SBOM_UNKNOWN)
			CHECK(add_prop(props, "sdl:identity", "unknown: vendored code without a matching signature"));
		if (c->hash_value && c->digest) {
			CHECK(add_prop(props, "sdl:declared-hash", c->hash_value));
		}
		if (c->digest)
			CHECK(add_prop(props, "sdl:digest-method", "sdl-sbom-tree-v1 (docs/sbom.md)"));
	}
done:
	sdl_free(ref);
	return rc;
}

static int history_props(cJSON *props, const struct sbom_result *r)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc = 0;
	/* components that are gone at the revision keep their history here */
	for (size_t i = 0; i < r->ntracks; i++) {
		const struct sbom_track *t = &r->tracks[i];
		const struct sbom_event *last;
		char ts[32];
		if (t->present || !t->nevents)
			continue;
		last = &t->events[t->nevents - 1];
		sdl_buf_clear(&b);
		CHECK(sbom_iso8601(ts, last->time));
		CHECK(sdl_buf_printf(&b, "%s (%s at %s, introduced %s) removed in %s on %s", t->name,
				     sbom_kind_name(t->kind), t->path, t->events[0].commit, last->commit, ts));
		CHECK(add_prop(props, "sdl:removed-component", b.ptr));
	}
done:
	sdl_buf_release(&b);
	return rc;
}

int sbom_emit_cyclonedx(struct sdl_buf *out, const struct sbom_result *r,
			const struct sbom_emit_options *opt)
{
	cJSON *root = obj(), *meta, *tools, *tcomps, *tool, *comps, *deps, *rootdep, *dependson, *x;
	char ts[32], uuid[37];
	struct sdl_buf b = SDL_BUF_INIT;
	int rc = 0;
	size_t i;

	if (!root)
		return SDL_ENOMEM;
	CHECK(sbom_iso8601(ts, opt->timestamp));
	CHECK(sdl_buf_printf(&b, "cyclonedx|%s|%s|%s|%s", r->repo_name, r->commit, opt->sigpack_hash,
			     ts));
	CHECK(sbom_uuid_from(uuid, b.ptr));
	sdl_buf_clear(&b);
	CHECK(sdl_buf_printf(&b, "urn:uuid:%s", uuid));
	CHECK(sdl_json_add_str(root, "bomFormat", "CycloneDX"));
	CHECK(sdl_json_add_str(root, "specVersion", "1.6"));
	CHECK(sdl_json_add_str(root, "serialNumber", b.ptr));
	CHECK(sdl_json_add_num(root, "version", 1));
	if (!(meta = obj()) || (rc = sdl_json_add(root, "metadata", meta)) < 0)
		goto nomem;
	CHECK(sdl_json_add_str(meta, "timestamp", ts));
	{
		cJSON *lc = cJSON_CreateArray(), *ph = obj();
		if (!lc || (rc = sdl_json_add(meta, "lifecycles", lc)) < 0 || !ph ||
		    (rc = sdl_json_add(lc, NULL, ph)) < 0)
			goto nomem;
		CHECK(sdl_json_add_str(ph, "phase", "pre-build"));
	}
	if (!(tools = obj()) || (rc = sdl_json_add(meta, "tools", tools)) < 0 ||
	    !(tcomps = cJSON_CreateArray()) || (rc = sdl_json_add(tools, "components", tcomps)) < 0 ||
	    !(tool = obj()) || (rc = sdl_json_add(tcomps, NULL, tool)) < 0)
		goto nomem;
	CHECK(sdl_json_add_str(tool, "type", "application"));
	CHECK(sdl_json_add_str(tool, "name", "sdl-sbom"));
	CHECK(sdl_json_add_str(tool, "version", SDL_VERSION));
	{
		cJSON *authors = cJSON_CreateArray(), *a = obj();
		if (!authors || (rc = sdl_json_add(meta, "authors", authors)) < 0 || !a ||
		    (rc = sdl_json_add(authors, NULL, a)) < 0)
			goto nomem;
		CHECK(sdl_json_add_str(a, "name", opt->author_name));
		CHECK(sdl_json_add_str(a, "email", opt->author_email));
	}
	if (!(x = obj()) || (rc = sdl_json_add(meta, "component", x)) < 0)
		goto nomem;
	CHECK(sdl_json_add_str(x, "type", "application"));
	CHECK(sdl_json_add_str(x, "bom-ref", "product"));
	CHECK(sdl_json_add_str(x, "name", r->repo_name));
	CHECK(sdl_json_add_str(x, "version", r->commit));
	{
		cJSON *props = cJSON_CreateArray();
		char n[32];
		if (!props || (rc = sdl_json_add(meta, "properties", props)) < 0)
			goto nomem;
		CHECK(add_prop(props, "sdl:revision", r->commit));
		CHECK(add_prop(props, "sdl:history", r->history ? "first-parent" : "none"));
		(void)n; /* commits examined differ between a cached and a full run: not in the output */
		CHECK(add_prop(props, "sdl:signatures-sha256", opt->sigpack_hash));
		if (r->shallow)
			CHECK(add_prop(props, "sdl:shallow-clone", "true"));
		for (i = 0; i < r->nnotes; i++) {
			sdl_buf_clear(&b);
			CHECK(sdl_buf_printf(&b, "%s: %s", r->notes[i].path, r->notes[i].reason));
			CHECK(add_prop(props, "sdl:not-examined", b.ptr));
		}
		for (i = 0; i < r->nexcluded; i++)
			CHECK(add_prop(props, "sdl:excluded-by-configuration", r->excluded[i]));
		CHECK(history_props(props, r));
	}
	if (!(comps = cJSON_CreateArray()) || (rc = sdl_json_add(root, "components", comps)) < 0)
		goto nomem;
	for (i = 0; i < r->ninst; i++)
		CHECK(component_json(comps, r, &r->inst[i]));
	if (!(deps = cJSON_CreateArray()) || (rc = sdl_json_add(root, "dependencies", deps)) < 0 ||
	    !(rootdep = obj()) || (rc = sdl_json_add(deps, NULL, rootdep)) < 0)
		goto nomem;
	CHECK(sdl_json_add_str(rootdep, "ref", "product"));
	if (!(dependson = cJSON_CreateArray()) || (rc = sdl_json_add(rootdep, "dependsOn", dependson)) < 0)
		goto nomem;
	for (i = 0; i < r->ninst; i++) {
		char *ref = NULL;
		cJSON *d, *s;
		CHECK(sbom_instance_ref(&ref, &r->inst[i]));
		s = cJSON_CreateString(ref);
		if (!s || (rc = sdl_json_add(dependson, NULL, s)) < 0 || !(d = obj()) ||
		    (rc = sdl_json_add(deps, NULL, d)) < 0 || (rc = sdl_json_add_str(d, "ref", ref)) < 0) {
			sdl_free(ref);
			goto nomem;
		}
		sdl_free(ref);
		/* nested copies: a component inside another one's folder */
		{
			cJSON *inner = NULL;
			for (size_t k = 0; k < r->ninst; k++) {
				size_t l = strlen(r->inst[i].path);
				if (k == i || r->inst[i].comp->kind == SBOM_MANIFEST ||
				    strncmp(r->inst[k].path, r->inst[i].path, l) || r->inst[k].path[l] != '/')
					continue;
				if (!inner && (!(inner = cJSON_CreateArray()) ||
					       (rc = sdl_json_add(d, "dependsOn", inner)) < 0))
					goto nomem;
				CHECK(sbom_instance_ref(&ref, &r->inst[k]));
				s = cJSON_CreateString(ref);
				sdl_free(ref);
				if (!s || (rc = sdl_json_add(inner, NULL, s)) < 0)
					goto nomem;
			}
		}
	}
	{
		cJSON *compo = cJSON_CreateArray(), *c = obj(), *asm_;
		if (!compo || (rc = sdl_json_add(root, "compositions", compo)) < 0 || !c ||
		    (rc = sdl_json_add(compo, NULL, c)) < 0)
			goto nomem;
		/* never presented as complete when something was not examined */
		CHECK(sdl_json_add_str(c, "aggregate", r->nnotes ? "incomplete" : "complete"));
		if (!(asm_ = cJSON_CreateArray()) || (rc = sdl_json_add(c, "assemblies", asm_)) < 0)
			goto nomem;
		x = cJSON_CreateString("product");
		if (!x || (rc = sdl_json_add(asm_, NULL, x)) < 0)
			goto nomem;
	}
	if (r->nvulns)
		CHECK(sbom_emit_cdx_vulns(root, r));
	rc = sdl_json_render(out, root);
	goto done;
nomem:
	rc = rc < 0 ? rc : SDL_ENOMEM;
done:
	sdl_buf_release(&b);
	cJSON_Delete(root);
	return rc;
}
