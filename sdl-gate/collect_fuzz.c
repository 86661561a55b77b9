/*
 * sdl-gate collector: fuzzing campaign summaries (docs/gate/fuzz.md).
 *   fuzz.duration  every harness ran at least settings.fuzz_min_seconds
 *   fuzz.crashes   every crash is triaged (with a tracker reference)
 * Input: JSON files {"schema": "sdl-gate-fuzz/1", "harnesses": [{"name",
 * "engine", "seconds", "executions", "crashes": [{"id", "triaged",
 * "tracker"}]}]} written by the CI job that runs libFuzzer or AFL++.
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

int gate_collect_fuzz(struct gate_eval *ev)
{
	struct gate_check *dur = gate_check_get(ev, "fuzz.duration");
	struct gate_check *cr = gate_check_get(ev, "fuzz.crashes");
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT;
	size_t nh = 0, ncr = 0, nfiles = 0;
	int ret = 0;

	if (!dur || !cr)
		return SDL_ENOMEM;
	for (size_t i = 0; i < ev->project.fuzz.n; i++) {
		const char *rel = ev->project.fuzz.v[i], *name, *schema;
		cJSON *doc = NULL;
		const cJSON *h;
		ret = gate_evidence_locate(&abs, ev, rel, "fuzzing summary");
		if (ret < 0)
			goto done;
		if (ret == 0)
			continue;
		sdl_buf_clear(&raw);
		if ((ret = gate_json_load(&doc, &raw, abs.ptr, GATE_MAX_EVIDENCE_BYTES)) < 0)
			goto done;
		schema = sdl_json_str(doc, "schema");
		if (!schema || strcmp(schema, "sdl-gate-fuzz/1") != 0 || !sdl_json_arr(doc, "harnesses")) {
			cJSON_Delete(doc);
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: not a fuzzing summary (\"schema\": \"sdl-gate-fuzz/1\", \"harnesses\")",
					    rel);
			goto done;
		}
		nfiles++;
		if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(dur, name)) < 0 ||
		    (ret = gate_check_file(cr, name)) < 0) {
			cJSON_Delete(doc);
			goto done;
		}
		cJSON_ArrayForEach(h, sdl_json_arr(doc, "harnesses")) {
			const char *hn = sdl_json_str(h, "name");
			double secs = sdl_json_num(h, "seconds", -1);
			const cJSON *c;
			nh++;
			if (!hn)
				hn = "?";
			if (secs < (double)ev->policy.settings.fuzz_min_seconds &&
			    (ret = gate_check_violation(dur, hn, rel, 0,
							"harness %s ran %.0f s, less than %ld s", hn,
							secs < 0 ? 0 : secs,
							ev->policy.settings.fuzz_min_seconds)) < 0)
				break;
			cJSON_ArrayForEach(c, sdl_json_arr(h, "crashes")) {
				const char *id = sdl_json_str(c, "id");
				ncr++;
				if ((!sdl_json_bool(c, "triaged", 0) || !sdl_json_str(c, "tracker")) &&
				    (ret = gate_check_violation(cr, id ? id : hn, rel, 0,
								"harness %s: crash %s is not triaged (triaged + tracker)",
								hn, id ? id : "?")) < 0)
					break;
			}
			if (ret < 0)
				break;
		}
		cJSON_Delete(doc);
		if (ret < 0)
			goto done;
	}
	if (!nfiles) {
		if ((ret = gate_check_set(dur, GATE_CHECK_MISSING, "no fuzzing summary configured or found")) < 0)
			goto done;
		ret = gate_check_set(cr, GATE_CHECK_MISSING, "no fuzzing summary configured or found");
		goto done;
	}
	if (nh == 0 && (ret = gate_check_violation(dur, "fuzz", NULL, 0, "no harness in the fuzzing summaries")) < 0)
		goto done;
	if ((ret = gate_check_set(dur, GATE_CHECK_PASS, "%zu harness(es)", nh)) < 0)
		goto done;
	ret = gate_check_set(cr, GATE_CHECK_PASS, "%zu crash(es), %zu untriaged", ncr, cr->nviol);
done:
	sdl_buf_release(&abs);
	sdl_buf_release(&raw);
	return ret;
}
