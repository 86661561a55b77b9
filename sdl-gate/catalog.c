/*
 * sdl-gate: requirement catalogues (rules/catalog/<name>.json).
 *
 * A catalogue is data: id, practices, requirements (id, title, our own
 * paraphrase, practice, automation level A/P/H) and optional cross-mappings
 * ("maps_to": ["other-catalog:REQ"]), so a new catalogue (CRA Annex I, a
 * future edition of 62443-4-1) is a new file, not new code.
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/banned.h"

#define CATALOG_MAX_REQS 10000

void gate_catalog_release(struct gate_catalog *c)
{
	for (size_t i = 0; i < c->npractices; i++) {
		sdl_free(c->practices[i].id);
		sdl_free(c->practices[i].title);
	}
	for (size_t i = 0; i < c->nreqs; i++) {
		struct gate_req *r = &c->reqs[i];
		sdl_free(r->id);
		sdl_free(r->title);
		sdl_free(r->summary);
		sdl_free(r->practice);
		gate_strv_release(&r->maps_to);
	}
	sdl_free(c->practices);
	sdl_free(c->reqs);
	sdl_free(c->id);
	sdl_free(c->title);
	sdl_free(c->version);
	sdl_free(c->path);
	memset(c, 0, sizeof(*c));
}

const struct gate_req *gate_catalog_find(const struct gate_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->nreqs; i++)
		if (strcmp(c->reqs[i].id, id) == 0)
			return &c->reqs[i];
	return NULL;
}

static int dup_field(char **out, const cJSON *obj, const char *key, const char *where,
		     const struct sdl_buf *raw, const char *path)
{
	const char *s = sdl_json_str(obj, key);
	if (!s || !*s) {
		char loc[512];
		gate_locate(loc, sizeof(loc), path, raw->ptr, raw->len, where);
		return sdl_error_set(SDL_EINVAL, "%s: %s: missing string \"%s\"", loc, where, key);
	}
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

static int is_practice(const struct gate_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->npractices; i++)
		if (strcmp(c->practices[i].id, id) == 0)
			return 1;
	return 0;
}

int gate_catalog_load(struct gate_catalog *out, const char *path)
{
	struct sdl_buf raw = SDL_BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *arr, *it;
	const char *schema;
	char loc[512];
	int ret;

	memset(out, 0, sizeof(*out));
	ret = gate_json_load(&doc, &raw, path, GATE_MAX_CATALOG_BYTES);
	if (ret < 0)
		goto done;
	ret = sdl_hash_buf(out->digest, SDL_SHA256, raw.ptr, raw.len);
	if (ret < 0)
		goto done;
	schema = sdl_json_str(doc, "schema");
	if (!schema || strcmp(schema, "sdl-gate-catalog/1") != 0) {
		ret = sdl_error_set(SDL_EINVAL, "%s: not a catalogue (\"schema\" must be \"sdl-gate-catalog/1\")",
				    path);
		goto done;
	}
	out->path = sdl_strdup(path);
	if (!out->path) {
		ret = SDL_ENOMEM;
		goto done;
	}
	if ((ret = dup_field(&out->id, doc, "id", "catalogue", &raw, path)) < 0 ||
	    (ret = dup_field(&out->title, doc, "title", "catalogue", &raw, path)) < 0 ||
	    (ret = dup_field(&out->version, doc, "version", "catalogue", &raw, path)) < 0)
		goto done;

	arr = sdl_json_arr(doc, "practices");
	if (!arr || cJSON_GetArraySize(arr) < 1) {
		ret = sdl_error_set(SDL_EINVAL, "%s: \"practices\" must be a non-empty array", path);
		goto done;
	}
	out->practices = sdl_calloc((size_t)cJSON_GetArraySize(arr), sizeof(*out->practices));
	if (!out->practices) {
		ret = SDL_ENOMEM;
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		struct gate_practice *p = &out->practices[out->npractices++];
		if ((ret = dup_field(&p->id, it, "id", "practices", &raw, path)) < 0 ||
		    (ret = dup_field(&p->title, it, "title", "practices", &raw, path)) < 0)
			goto done;
	}

	arr = sdl_json_arr(doc, "requirements");
	if (!arr || cJSON_GetArraySize(arr) < 1 || cJSON_GetArraySize(arr) > CATALOG_MAX_REQS) {
		ret = sdl_error_set(SDL_EINVAL, "%s: \"requirements\" must be an array of 1..%d entries",
				    path, CATALOG_MAX_REQS);
		goto done;
	}
	out->reqs = sdl_calloc((size_t)cJSON_GetArraySize(arr), sizeof(*out->reqs));
	if (!out->reqs) {
		ret = SDL_ENOMEM;
		goto done;
	}
	cJSON_ArrayForEach(it, arr) {
		struct gate_req *r = &out->reqs[out->nreqs];
		const char *autom = sdl_json_str(it, "automation");
		const cJSON *maps = sdl_json_arr(it, "maps_to"), *m;
		const char *id = sdl_json_str(it, "id");
		char needle[128];
		snprintf(needle, sizeof(needle), "\"%s\"", id ? id : "requirements");
		if ((ret = dup_field(&r->id, it, "id", "requirements", &raw, path)) < 0)
			goto done;
		out->nreqs++;
		if ((ret = dup_field(&r->title, it, "title", needle, &raw, path)) < 0 ||
		    (ret = dup_field(&r->summary, it, "summary", needle, &raw, path)) < 0 ||
		    (ret = dup_field(&r->practice, it, "practice", needle, &raw, path)) < 0)
			goto done;
		gate_locate(loc, sizeof(loc), path, raw.ptr, raw.len, needle);
		if (strspn(r->id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
			    strlen(r->id) ||
		    strlen(r->id) > 64) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: requirement id \"%s\" may hold only letters, digits, '.', '_' and '-'",
					    loc, r->id);
			goto done;
		}
		if (gate_catalog_find(out, r->id) != r) {
			ret = sdl_error_set(SDL_EINVAL, "%s: duplicate requirement id %s", loc, r->id);
			goto done;
		}
		if (!is_practice(out, r->practice)) {
			ret = sdl_error_set(SDL_EINVAL, "%s: %s: unknown practice \"%s\"", loc, r->id,
					    r->practice);
			goto done;
		}
		if (!autom || strlen(autom) != 1 || !strchr("APH", autom[0])) {
			ret = sdl_error_set(SDL_EINVAL, "%s: %s: \"automation\" must be A, P or H", loc,
					    r->id);
			goto done;
		}
		r->automation = autom[0];
		cJSON_ArrayForEach(m, maps) {
			if (!cJSON_IsString(m) || !strchr(m->valuestring, ':')) {
				ret = sdl_error_set(SDL_EINVAL,
						    "%s: %s: \"maps_to\" entries are \"catalog-id:REQ-ID\"",
						    loc, r->id);
				goto done;
			}
			if ((ret = gate_strv_push(&r->maps_to, m->valuestring)) < 0)
				goto done;
		}
	}
	ret = 0;
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	if (ret < 0)
		gate_catalog_release(out);
	return ret;
}
