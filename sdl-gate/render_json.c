/*
 * sdl-gate: the decision as JSON (docs/gate.md, "Decision JSON").
 * Deterministic: catalogue order for requirements, check ids sorted, no
 * absolute paths of this machine, the time only from --now /
 * SOURCE_DATE_EPOCH / the clock as used for the decision.
 */
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/version.h"
#include "lib/banned.h"

const char *gate_input_name(const struct gate_eval *ev, const char *path)
{
	if (!path)
		return NULL;
	for (size_t i = 0; i < ev->ninputs; i++)
		if (!strcmp(ev->inputs[i].path, path) || !strcmp(ev->inputs[i].name, path))
			return ev->inputs[i].name;
	return path[0] == '/' ? NULL : path;
}

static int strv_json(cJSON *obj, const char *key, const struct gate_strv *s)
{
	cJSON *arr = cJSON_CreateArray();
	int ret = sdl_json_add(obj, key, arr);
	for (size_t i = 0; ret == 0 && i < s->n; i++)
		ret = sdl_json_add(arr, NULL, cJSON_CreateString(s->v[i]));
	return arr ? ret : SDL_ENOMEM;
}

static int cmp_check(const void *a, const void *b)
{
	return strcmp((*(const struct gate_check *const *)a)->id,
		      (*(const struct gate_check *const *)b)->id);
}

static const char *state_name(enum gate_check_state s)
{
	return s == GATE_CHECK_PASS ? "pass" : s == GATE_CHECK_FAIL ? "fail" : "missing";
}

static int checks_json(cJSON *root, const struct gate_eval *ev)
{
	const struct gate_check **sorted = NULL;
	cJSON *arr = cJSON_CreateArray();
	int ret = sdl_json_add(root, "checks", arr);
	if (ret < 0 || !arr)
		return SDL_ENOMEM;
	if (ev->nchecks && !(sorted = sdl_calloc(ev->nchecks, sizeof(*sorted))))
		return SDL_ENOMEM;
	for (size_t i = 0; i < ev->nchecks; i++)
		sorted[i] = &ev->checks[i];
	if (ev->nchecks)
		qsort(sorted, ev->nchecks, sizeof(*sorted), cmp_check);
	for (size_t i = 0; ret == 0 && i < ev->nchecks; i++) {
		const struct gate_check *c = sorted[i];
		cJSON *o = cJSON_CreateObject(), *vs;
		if ((ret = sdl_json_add(arr, NULL, o)) < 0 || !o)
			break;
		if ((ret = sdl_json_add_str(o, "id", c->id)) < 0 ||
		    (ret = sdl_json_add_str(o, "state", state_name(c->state))) < 0 ||
		    (ret = sdl_json_add_str(o, "summary", c->summary ? c->summary : "")) < 0 ||
		    (ret = strv_json(o, "files", &c->files)) < 0)
			break;
		vs = cJSON_CreateArray();
		if ((ret = sdl_json_add(o, "violations", vs)) < 0 || !vs)
			break;
		for (size_t j = 0; ret == 0 && j < c->nviol; j++) {
			const struct gate_violation *v = &c->viol[j];
			cJSON *vo = cJSON_CreateObject();
			if ((ret = sdl_json_add(vs, NULL, vo)) < 0 || !vo)
				break;
			if ((ret = sdl_json_add_str(vo, "message", v->message)) < 0 ||
			    (ret = sdl_json_add_str(vo, "key", v->key)) < 0 ||
			    (ret = sdl_json_add_str(vo, "file", v->file)) < 0 ||
			    (v->line && (ret = sdl_json_add_num(vo, "line", v->line)) < 0) ||
			    (ret = sdl_json_add_str(vo, "waived_by", v->waiver)) < 0)
				break;
		}
	}
	sdl_free(sorted);
	return ret < 0 ? ret : (arr ? 0 : SDL_ENOMEM);
}

static int reqs_json(cJSON *root, const struct gate_eval *ev)
{
	cJSON *arr = cJSON_CreateArray();
	int ret = sdl_json_add(root, "requirements", arr);
	for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
		const struct gate_result *r = &ev->results[i];
		char a[2] = { r->req->automation, 0 };
		cJSON *o = cJSON_CreateObject(), *rs;
		if ((ret = sdl_json_add(arr, NULL, o)) < 0 || !o)
			return SDL_ENOMEM;
		if ((ret = sdl_json_add_str(o, "id", r->req->id)) < 0 ||
		    (ret = sdl_json_add_str(o, "title", r->req->title)) < 0 ||
		    (ret = sdl_json_add_str(o, "practice", r->req->practice)) < 0 ||
		    (ret = sdl_json_add_str(o, "automation", a)) < 0 ||
		    (ret = sdl_json_add_str(o, "status", gate_status_name(r->status))) < 0)
			return ret;
		rs = cJSON_CreateArray();
		if ((ret = sdl_json_add(o, "reasons", rs)) < 0 || !rs)
			return SDL_ENOMEM;
		for (size_t j = 0; j < r->nreasons; j++) {
			const struct gate_reason *re = &r->reasons[j];
			cJSON *ro = cJSON_CreateObject(), *fs;
			if ((ret = sdl_json_add(rs, NULL, ro)) < 0 || !ro)
				return SDL_ENOMEM;
			if ((ret = sdl_json_add_str(ro, "check", re->check)) < 0 ||
			    (ret = sdl_json_add_bool(ro, "ok", re->ok)) < 0 ||
			    (ret = sdl_json_add_str(ro, "text", re->text)) < 0)
				return ret;
			fs = cJSON_CreateArray();
			if ((ret = sdl_json_add(ro, "files", fs)) < 0 || !fs)
				return SDL_ENOMEM;
			for (size_t k = 0; k < re->files.n; k++) {
				const char *n = gate_input_name(ev, re->files.v[k]);
				if (n && (ret = sdl_json_add(fs, NULL, cJSON_CreateString(n))) < 0)
					return ret;
			}
		}
	}
	return ret;
}

static int misc_json(cJSON *root, const struct gate_eval *ev)
{
	cJSON *xm = cJSON_CreateArray(), *wv, *rc;
	int ret = sdl_json_add(root, "crossmap", xm);
	for (size_t i = 0; ret == 0 && i < ev->nxmaps; i++) {
		cJSON *o = cJSON_CreateObject();
		if ((ret = sdl_json_add(xm, NULL, o)) < 0 || !o)
			return SDL_ENOMEM;
		if ((ret = sdl_json_add_str(o, "catalog", ev->xmaps[i].cat->id)) < 0 ||
		    (ret = sdl_json_add_str(o, "id", ev->xmaps[i].item->id)) < 0 ||
		    (ret = sdl_json_add_str(o, "title", ev->xmaps[i].item->title)) < 0 ||
		    (ret = sdl_json_add_str(o, "status", gate_status_name(ev->xmaps[i].status))) < 0)
			return ret;
	}
	wv = cJSON_CreateArray();
	if (ret < 0 || (ret = sdl_json_add(root, "waivers", wv)) < 0 || !wv)
		return ret < 0 ? ret : SDL_ENOMEM;
	for (size_t i = 0; i < ev->nwaivers; i++) {
		const struct gate_waiver *w = &ev->waivers[i];
		cJSON *o = cJSON_CreateObject();
		if ((ret = sdl_json_add(wv, NULL, o)) < 0 || !o)
			return SDL_ENOMEM;
		if ((ret = sdl_json_add_str(o, "id", w->id)) < 0 ||
		    (ret = sdl_json_add_str(o, "requirement", w->requirement)) < 0 ||
		    (ret = sdl_json_add_str(o, "finding", w->finding)) < 0 ||
		    (ret = sdl_json_add_bool(o, "valid", w->valid)) < 0 ||
		    (ret = sdl_json_add_bool(o, "used", w->used)) < 0 ||
		    (ret = sdl_json_add_str(o, "problem", w->invalid_why)) < 0)
			return ret;
	}
	rc = cJSON_CreateArray();
	if ((ret = sdl_json_add(root, "records", rc)) < 0 || !rc)
		return ret < 0 ? ret : SDL_ENOMEM;
	for (size_t i = 0; i < ev->nrecords; i++) {
		const struct gate_record *r = &ev->records[i];
		cJSON *o = cJSON_CreateObject();
		if ((ret = sdl_json_add(rc, NULL, o)) < 0 || !o)
			return SDL_ENOMEM;
		if ((ret = sdl_json_add_str(o, "file", r->file)) < 0 ||
		    (ret = sdl_json_add_str(o, "record_id", r->record_id)) < 0 ||
		    (ret = sdl_json_add_str(o, "activity", r->activity)) < 0 ||
		    (ret = sdl_json_add_bool(o, "valid", r->valid)) < 0 ||
		    (ret = sdl_json_add_str(o, "problem", r->invalid_why)) < 0)
			return ret;
	}
	return strv_json(root, "warnings", &ev->warnings);
}

int gate_render_json(struct sdl_buf *out, const struct gate_eval *ev)
{
	cJSON *root, *o;
	char when[32];
	int ret;

	sdl_json_init();
	root = cJSON_CreateObject();
	if (!root)
		return sdl_error_set(SDL_ENOMEM, "out of memory");
	gate_format_time(when, sizeof(when), ev->now);
	if ((ret = sdl_json_add_str(root, "schema", "sdl-gate-decision/1")) < 0 ||
	    (ret = sdl_json_add(root, "tool", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "name", "sdl-gate")) < 0 ||
	    (ret = sdl_json_add_str(o, "version", SDL_VERSION)) < 0 ||
	    (ret = sdl_json_add_str(root, "evaluated_at", when)) < 0 ||
	    (ret = sdl_json_add_str(root, "decision", ev->release ? "release" : "no_release")) < 0)
		goto done;
	if ((ret = sdl_json_add(root, "release", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "commit", ev->release_commit[0] ? ev->release_commit : NULL)) < 0 ||
	    (ret = sdl_json_add_str(o, "previous", ev->previous_ref)) < 0 ||
	    (ret = sdl_json_add_str(o, "previous_commit",
				    ev->previous_commit[0] ? ev->previous_commit : NULL)) < 0 ||
	    (ret = sdl_json_add_num(o, "commits", (double)ev->ncommits)) < 0)
		goto done;
	if ((ret = sdl_json_add(root, "catalog", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "id", ev->catalog.id)) < 0 ||
	    (ret = sdl_json_add_str(o, "version", ev->catalog.version)) < 0 ||
	    (ret = sdl_json_add_str(o, "sha256", ev->catalog.digest)) < 0)
		goto done;
	if ((ret = sdl_json_add(root, "policy", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "name", ev->policy.name)) < 0 ||
	    (ret = sdl_json_add_str(o, "file", gate_input_name(ev, ev->policy.path))) < 0 ||
	    (ret = sdl_json_add_str(o, "sha256", ev->policy.digest)) < 0)
		goto done;
	if ((ret = sdl_json_add(root, "counts", (o = cJSON_CreateObject()))) < 0 || !o)
		goto done;
	for (int s = GATE_MET; s <= GATE_NA; s++)
		if ((ret = sdl_json_add_num(o, gate_status_name((enum gate_status)s),
					    (double)ev->counts[s])) < 0)
			goto done;
	if ((ret = reqs_json(root, ev)) < 0 || (ret = checks_json(root, ev)) < 0 ||
	    (ret = misc_json(root, ev)) < 0)
		goto done;
	ret = sdl_json_render(out, root);
done:
	cJSON_Delete(root);
	if (ret < 0 && !sdl_error_last()[0])
		sdl_error_set(ret, "rendering the decision failed");
	return ret < 0 ? ret : 0;
}
