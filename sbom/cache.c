/*
 * The history cache: after a walk, the state at the walked revision (tracks
 * with their events, the components and what was not examined) is stored as
 * <dir>/<key>/<commit>.json, key = format version + signature-pack hash. A
 * later run walks back from its revision until it meets a cached commit and
 * continues from that state, so one new commit costs one commit's scan.
 * A cache file that cannot be read or parsed is ignored (and rewritten).
 */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

#define CACHE_MAX_BYTES ((size_t)256 << 20)

static int put_comp(cJSON *o, const struct sbom_component *c)
{
	char hex[GIT_OID_HEXSZ + 1];
	int rc;
	if ((rc = sdl_json_add_num(o, "kind", c->kind)) < 0 || (rc = sdl_json_add_str(o, "name", c->name)) < 0 ||
	    (rc = sdl_json_add_str(o, "version", c->version)) < 0 ||
	    (rc = sdl_json_add_str(o, "version_from", c->version_from)) < 0 ||
	    (rc = sdl_json_add_str(o, "supplier", c->supplier)) < 0 ||
	    (rc = sdl_json_add_str(o, "license", c->license)) < 0 ||
	    (rc = sdl_json_add_num(o, "license_confidence", c->license_confidence)) < 0 ||
	    (rc = sdl_json_add_str(o, "license_from", c->license_from)) < 0 ||
	    (rc = sdl_json_add_str(o, "purl", c->purl)) < 0 || (rc = sdl_json_add_str(o, "cpe", c->cpe)) < 0 ||
	    (rc = sdl_json_add_str(o, "source_url", c->source_url)) < 0 ||
	    (rc = sdl_json_add_str(o, "hash_alg", c->hash_alg)) < 0 ||
	    (rc = sdl_json_add_str(o, "hash_value", c->hash_value)) < 0 ||
	    (rc = sdl_json_add_str(o, "ecosystem", c->ecosystem)) < 0 ||
	    (rc = sdl_json_add_str(o, "detail", c->detail)) < 0 ||
	    (rc = sdl_json_add_num(o, "confidence", c->confidence)) < 0 ||
	    (rc = sdl_json_add_str(o, "digest", c->digest)) < 0)
		return rc;
	if (c->has_oid) {
		git_oid_tostr(hex, sizeof(hex), &c->oid);
		return sdl_json_add_str(o, "oid", hex);
	}
	return 0;
}

static int get_str(char **out, const cJSON *o, const char *key)
{
	return sbom_set(out, sdl_json_str(o, key));
}

static struct sbom_component *get_comp(const cJSON *o)
{
	struct sbom_component *c;
	const char *oid = sdl_json_str(o, "oid");
	double kind = sdl_json_num(o, "kind", -1);
	if (kind < 0 || kind > SBOM_MANIFEST || !sdl_json_str(o, "name"))
		return NULL;
	if (!(c = sbom_component_new((enum sbom_kind)kind, sdl_json_str(o, "name"))))
		return NULL;
	if (get_str(&c->version, o, "version") < 0 || get_str(&c->version_from, o, "version_from") < 0 ||
	    get_str(&c->supplier, o, "supplier") < 0 || get_str(&c->license, o, "license") < 0 ||
	    get_str(&c->license_from, o, "license_from") < 0 || get_str(&c->purl, o, "purl") < 0 ||
	    get_str(&c->cpe, o, "cpe") < 0 || get_str(&c->source_url, o, "source_url") < 0 ||
	    get_str(&c->hash_alg, o, "hash_alg") < 0 || get_str(&c->hash_value, o, "hash_value") < 0 ||
	    get_str(&c->ecosystem, o, "ecosystem") < 0 || get_str(&c->detail, o, "detail") < 0 ||
	    get_str(&c->digest, o, "digest") < 0) {
		sbom_component_unref(c);
		return NULL;
	}
	c->license_confidence = sdl_json_num(o, "license_confidence", 0);
	c->confidence = sdl_json_num(o, "confidence", 0);
	if (oid && git_oid_fromstr(&c->oid, oid) == 0)
		c->has_oid = 1;
	return c;
}

int sbom_cache_store(const struct sbom_result *r, const char *dir, const char *key)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o, *e, *evs;
	struct sdl_buf path = SDL_BUF_INIT;
	int rc = 0;
	size_t i, j;
	if (!root)
		return SDL_ENOMEM;
#define C(x) do { if ((rc = (x)) < 0) goto done; } while (0)
	C(sdl_json_add_str(root, "format", "sdl-sbom-cache-1"));
	C(sdl_json_add_str(root, "commit", r->commit));
	if (!(arr = cJSON_CreateArray()))
		goto nomem;
	C(sdl_json_add(root, "tracks", arr));
	for (i = 0; i < r->ntracks; i++) {
		const struct sbom_track *t = &r->tracks[i];
		if (!(o = cJSON_CreateObject()))
			goto nomem;
		C(sdl_json_add(arr, NULL, o));
		C(sdl_json_add_str(o, "name", t->name));
		C(sdl_json_add_str(o, "path", t->path));
		C(sdl_json_add_num(o, "kind", t->kind));
		C(sdl_json_add_bool(o, "present", t->present));
		if (!(evs = cJSON_CreateArray()))
			goto nomem;
		C(sdl_json_add(o, "events", evs));
		for (j = 0; j < t->nevents; j++) {
			const struct sbom_event *ev = &t->events[j];
			if (!(e = cJSON_CreateObject()))
				goto nomem;
			C(sdl_json_add(evs, NULL, e));
			C(sdl_json_add_num(e, "type", ev->type));
			C(sdl_json_add_str(e, "commit", ev->commit));
			C(sdl_json_add_num(e, "time", (double)ev->time));
			C(sdl_json_add_str(e, "author", ev->author));
			C(sdl_json_add_str(e, "summary", ev->summary));
			C(sdl_json_add_str(e, "from", ev->from));
			C(sdl_json_add_str(e, "to", ev->to));
		}
	}
	if (!(arr = cJSON_CreateArray()))
		goto nomem;
	C(sdl_json_add(root, "instances", arr));
	for (i = 0; i < r->ninst; i++) {
		if (!(o = cJSON_CreateObject()))
			goto nomem;
		C(sdl_json_add(arr, NULL, o));
		C(sdl_json_add_str(o, "path", r->inst[i].path));
		C(sdl_json_add_num(o, "track", r->inst[i].track < r->ntracks ? (double)r->inst[i].track : -1));
		if (!(e = cJSON_CreateObject()))
			goto nomem;
		C(sdl_json_add(o, "component", e));
		C(put_comp(e, r->inst[i].comp));
	}
	if (!(arr = cJSON_CreateArray()))
		goto nomem;
	C(sdl_json_add(root, "notes", arr));
	for (i = 0; i < r->nnotes; i++) {
		if (!(o = cJSON_CreateObject()))
			goto nomem;
		C(sdl_json_add(arr, NULL, o));
		C(sdl_json_add_str(o, "path", r->notes[i].path));
		C(sdl_json_add_str(o, "reason", r->notes[i].reason));
	}
	C(sdl_buf_printf(&path, "%s/%s", dir, key));
	C(sdl_fs_mkdirs(path.ptr));
	C(sdl_buf_printf(&path, "/%s.json", r->commit));
	rc = sdl_json_write_file(path.ptr, root);
	goto done;
#undef C
nomem:
	rc = SDL_ENOMEM;
done:
	sdl_buf_release(&path);
	cJSON_Delete(root);
	return rc;
}

int sbom_cache_load(struct sbom_result *out, const char *dir, const char *key, const char *commit)
{
	struct sdl_buf path = SDL_BUF_INIT;
	struct sdl_json_limits lim = { CACHE_MAX_BYTES, 16 };
	cJSON *root = NULL;
	const cJSON *it, *ev;
	int rc;

	if ((rc = sdl_buf_printf(&path, "%s/%s/%s.json", dir, key, commit)) < 0)
		return rc;
	if (!sdl_fs_is_file(path.ptr)) {
		sdl_buf_release(&path);
		return 1;
	}
	rc = sdl_json_load_file(&root, path.ptr, &lim);
	sdl_buf_release(&path);
	if (rc < 0) {
		sdl_error_clear();
		return rc == SDL_ENOMEM ? rc : 1;
	}
	if (!sdl_json_str(root, "commit") || strcmp(sdl_json_str(root, "commit"), commit))
		goto bad;
	cJSON_ArrayForEach(it, sdl_json_arr(root, "tracks")) {
		size_t idx;
		struct sbom_track *t = sbom_result_new_track(out, &idx);
		if (!t)
			goto nomem;
		if (get_str(&t->name, it, "name") < 0 || get_str(&t->path, it, "path") < 0)
			goto nomem;
		if (!t->name || !t->path)
			goto bad;
		t->kind = (enum sbom_kind)sdl_json_num(it, "kind", 0);
		t->present = sdl_json_bool(it, "present", 0);
		cJSON_ArrayForEach(ev, sdl_json_arr(it, "events")) {
			struct sbom_event *e;
			if (t->nevents == t->capevents) {
				size_t nc = t->capevents ? t->capevents * 2 : 8;
				struct sbom_event *n = sdl_reallocarray(t->events, nc, sizeof(*n));
				if (!n)
					goto nomem;
				t->events = n;
				t->capevents = nc;
			}
			e = &t->events[t->nevents];
			memset(e, 0, sizeof(*e));
			t->nevents++;
			e->type = (enum sbom_event_type)sdl_json_num(ev, "type", 0);
			snprintf(e->commit, sizeof(e->commit), "%s",
				 sdl_json_str(ev, "commit") ? sdl_json_str(ev, "commit") : "");
			e->time = (int64_t)sdl_json_num(ev, "time", 0);
			if (get_str(&e->author, ev, "author") < 0 || get_str(&e->summary, ev, "summary") < 0 ||
			    get_str(&e->from, ev, "from") < 0 || get_str(&e->to, ev, "to") < 0)
				goto nomem;
			if (!e->author && sbom_set(&e->author, "") < 0)
				goto nomem;
		}
	}
	cJSON_ArrayForEach(it, sdl_json_arr(root, "instances")) {
		struct sbom_component *c = get_comp(sdl_json_obj(it, "component"));
		double track = sdl_json_num(it, "track", -1);
		const char *p = sdl_json_str(it, "path");
		if (!c || !p || track >= (double)out->ntracks) {
			sbom_component_unref(c);
			goto bad;
		}
		rc = sbom_result_add_instance(out, p, c);
		sbom_component_unref(c);
		if (rc < 0)
			goto fail;
		out->inst[out->ninst - 1].track = track < 0 ? (size_t)-1 : (size_t)track;
	}
	cJSON_ArrayForEach(it, sdl_json_arr(root, "notes")) {
		const char *p = sdl_json_str(it, "path"), *r = sdl_json_str(it, "reason");
		if (p && r && (rc = sbom_result_add_note(out, p, "%s", r)) < 0)
			goto fail;
	}
	cJSON_Delete(root);
	return 0;
bad:
	/* an unusable cache entry: start over without it */
	cJSON_Delete(root);
	sbom_result_release(out);
	return 1;
nomem:
	rc = SDL_ENOMEM;
fail:
	cJSON_Delete(root);
	sbom_result_release(out);
	return rc;
}
