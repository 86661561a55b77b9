/*
 * sdl-gate: SARIF 2.1.0 of what made the gate fail: one run, one rule per
 * requirement of the catalogue (rule id = requirement id), one error result
 * per failing reason of each requirement that is not met, located at the
 * evidence file the reason names (repository-relative, %SRCROOT%).
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/sarif.h"
#include "lib/version.h"
#include "lib/banned.h"

int gate_render_sarif(struct sdl_buf *out, const struct gate_eval *ev)
{
	struct sdl_sarif_log log;
	struct sdl_sarif_run *run;
	struct sdl_buf msg = SDL_BUF_INIT, tag = SDL_BUF_INIT, ptag = SDL_BUF_INIT;
	int ret = 0;

	sdl_sarif_log_init(&log);
	log.runs = sdl_calloc(1, sizeof(*log.runs));
	if (!log.runs)
		return SDL_ENOMEM;
	log.nruns = 1;
	run = &log.runs[0];
	sdl_sarif_run_init(run);
	run->execution_successful = 1;
	if (!(run->tool_name = sdl_strdup("sdl-gate")) ||
	    !(run->tool_version = sdl_strdup(SDL_VERSION)) ||
	    !(run->automation_id = sdl_strdup("sdl-gate/"))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < ev->catalog.nreqs; i++) {
		const struct gate_req *q = &ev->catalog.reqs[i];
		char *tags[3];
		struct sdl_rule r;
		memset(&r, 0, sizeof(r));
		sdl_buf_clear(&tag);
		sdl_buf_clear(&ptag);
		if ((ret = sdl_buf_printf(&tag, "%s/%s", ev->catalog.id, q->id)) < 0 ||
		    (ret = sdl_buf_printf(&ptag, "practice/%s", q->practice)) < 0)
			goto done;
		tags[0] = (char *)"sdl-gate";
		tags[1] = tag.ptr;
		tags[2] = ptag.ptr;
		r.id = q->id;
		r.short_desc = q->title;
		r.full_desc = q->summary;
		r.level = SDL_LEVEL_ERROR;
		r.tags = tags;
		r.ntags = 3;
		if ((ret = sdl_sarif_run_add_rule(run, &r)) < 0)
			goto done;
	}
	for (size_t i = 0; i < ev->nresults; i++) {
		const struct gate_result *r = &ev->results[i];
		if (r->status != GATE_NOT_MET)
			continue;
		for (size_t j = 0; j < r->nreasons; j++) {
			const struct gate_reason *re = &r->reasons[j];
			const char *file = NULL;
			if (re->ok)
				continue;
			for (size_t k = 0; !file && k < re->files.n; k++) {
				const char *n = gate_input_name(ev, re->files.v[k]);
				if (n && strncmp(n, "external/", 9) != 0)
					file = n;
			}
			if (!file && re->files.n && re->files.v[0][0] != '/')
				file = re->files.v[0];
			sdl_buf_clear(&msg);
			if ((ret = sdl_buf_printf(&msg, "%s %s not met: [%s] %s", r->req->id,
						  r->req->title, re->check, re->text)) < 0 ||
			    (ret = sdl_findings_add(&run->results, r->req->id, SDL_LEVEL_ERROR, file, 0,
						    0, msg.ptr, NULL)) < 0)
				goto done;
			if (file && (ret = sdl_sarif_run_add_artifact(run, file)) < 0)
				goto done;
		}
	}
	if ((ret = sdl_findings_fingerprint(&run->results, NULL, NULL)) < 0)
		goto done;
	ret = sdl_sarif_render(out, &log);
done:
	sdl_sarif_log_release(&log);
	sdl_buf_release(&msg);
	sdl_buf_release(&tag);
	sdl_buf_release(&ptag);
	return ret;
}
