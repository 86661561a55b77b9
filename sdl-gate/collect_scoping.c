/*
 * sdl-gate collector: the SM-5 scoping file (docs/gate/scoping.complete.md).
 *
 * SM-5 asks each project to decide, with a documented analysis, which
 * requirements of the standard apply. The scoping file lists every id of the
 * catalogue as applicable or not applicable with a reason:
 *
 *   { "schema": "sdl-gate-scoping/1", "product": "...",
 *     "requirements": { "SM-1": { "applicable": true },
 *                       "SM-10": { "applicable": false, "reason": "..." } } }
 *
 * scoping.complete fails for an id the file does not decide, an id the
 * catalogue does not know, a not-applicable without a reason, and a
 * requirement the policy drops (not applicable) while the scoping keeps it.
 * The human side (the analysis and its approval) is the "scoping" record.
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

#define SCOPING_MAX_BYTES ((size_t)1 << 20)

static unsigned line_of(const struct sdl_buf *raw, const char *key)
{
	char needle[96];
	const char *p;
	unsigned line = 1;
	snprintf(needle, sizeof(needle), "\"%s\"", key);
	p = raw->ptr ? strstr(raw->ptr, needle) : NULL;
	if (!p)
		return 0;
	for (const char *q = raw->ptr; q < p; q++)
		line += *q == '\n';
	return line;
}

/*
 * SM-5: scoping decided before the architecture last changed may no longer
 * fit it; warn when the secure design document changed after the scoping file.
 */
static int scoping_outdated(struct gate_eval *ev, const char *rel)
{
	const char *design = gate_project_doc(&ev->project, "secure_design");
	long long ts, td;
	int ret;
	if (!ev->git || rel[0] == '/')
		return 0;
	if (!design)
		design = "docs/security/secure-design.md";
	if ((ret = gate_git_last_change(ev, rel, &ts)) == 0 &&
	    (ret = gate_git_last_change(ev, design, &td)) == 0 && td > ts) {
		char a[32], b[32];
		gate_format_time(a, sizeof(a), ts);
		gate_format_time(b, sizeof(b), td);
		return gate_warn(ev, "%s (last changed %s) is older than the architecture in %s (changed %s): review the scoping (SM-5)",
				 rel, a, design, b);
	}
	if (ret == SDL_ENOTFOUND) {
		sdl_error_clear();
		ret = 0;
	}
	return ret;
}

int gate_collect_scoping(struct gate_eval *ev)
{
	struct gate_check *c = gate_check_get(ev, "scoping.complete");
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT;
	const char *rel = ev->project.scoping, *name = NULL, *schema;
	const cJSON *reqs, *it;
	cJSON *doc = NULL;
	size_t napplicable = 0, nna = 0;
	int ret;

	if (!c)
		return SDL_ENOMEM;
	if (!rel)
		return gate_check_set(c, GATE_CHECK_MISSING, "no scoping file configured");
	ret = gate_evidence_locate(&abs, ev, rel, "scoping file");
	if (ret <= 0) {
		if (ret == 0)
			ret = gate_check_set(c, GATE_CHECK_MISSING, "evidence missing: %s", rel);
		goto done;
	}
	if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(c, name)) < 0 ||
	    (ret = gate_json_load(&doc, &raw, abs.ptr, SCOPING_MAX_BYTES)) < 0)
		goto done;
	schema = sdl_json_str(doc, "schema");
	reqs = cJSON_GetObjectItemCaseSensitive(doc, "requirements");
	if (!schema || strcmp(schema, "sdl-gate-scoping/1") != 0 || !cJSON_IsObject(reqs)) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: not a scoping file (\"schema\": \"sdl-gate-scoping/1\" and a \"requirements\" object keyed by id)",
				    rel);
		goto done;
	}
	cJSON_ArrayForEach(it, reqs) {
		unsigned line = line_of(&raw, it->string);
		const char *why;
		if (!gate_catalog_find(&ev->catalog, it->string)) {
			ret = gate_check_violation(c, NULL, name, line,
						   "%s names requirement '%s', which catalogue %s does not have",
						   name, it->string, ev->catalog.id);
		} else if (!cJSON_IsObject(it) ||
			   !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(it, "applicable"))) {
			ret = gate_check_violation(c, NULL, name, line,
						   "%s: %s needs \"applicable\": true or false", name,
						   it->string);
		} else if (sdl_json_bool(it, "applicable", 1)) {
			napplicable++;
		} else if (!(why = sdl_json_str(it, "reason")) || !*why) {
			ret = gate_check_violation(c, NULL, name, line,
						   "%s: %s is not applicable without a reason", name,
						   it->string);
		} else {
			nna++;
		}
		if (ret < 0)
			goto done;
	}
	for (size_t i = 0; i < ev->catalog.nreqs; i++) {
		const struct gate_req *r = &ev->catalog.reqs[i];
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(reqs, r->id);
		const struct gate_req_policy *pol = &ev->policy.reqs[i];
		if (!e)
			ret = gate_check_violation(c, NULL, name, 0,
						   "%s does not decide %s (%s): applicable or not applicable with a reason",
						   name, r->id, r->title);
		else if (!pol->applicable && cJSON_IsObject(e) && sdl_json_bool(e, "applicable", 0))
			ret = gate_check_violation(c, NULL, name, line_of(&raw, r->id),
						   "the policy marks %s not applicable, but %s scopes it in",
						   r->id, name);
		if (ret < 0)
			goto done;
	}
	if ((ret = gate_check_set(c, GATE_CHECK_PASS,
				  "%s: %zu applicable, %zu not applicable with a reason, of %zu requirements",
				  name, napplicable, nna, ev->catalog.nreqs)) < 0)
		goto done;
	ret = scoping_outdated(ev, rel);
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	sdl_buf_release(&abs);
	return ret;
}
