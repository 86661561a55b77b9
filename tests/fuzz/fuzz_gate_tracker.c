/*
 * Fuzz target: sdl-gate/collect_tracker.c, gate_collect_tracker() on <repo>/issues.json:
 * issue-tracker exports (sdl-gate-tracker/1, GitHub and GitLab issue lists, severity front matter and labels).
 * Properties: a failure carries one line; on success every check of the
 * collector has a summary or a violation; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const gate_tracker_checks[] = { "tracker.security-issues", "tracker.triaged", "tracker.review", "tracker.metrics" };

static int gate_tracker_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (!(ev.project.tracker = strdup("issues.json")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_tracker(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < sizeof(gate_tracker_checks) / sizeof(gate_tracker_checks[0]); i++) {
			const struct gate_check *c = gate_check_find(&ev, gate_tracker_checks[i]);
			if (!c || (!c->summary && !c->nviol))
				fprintf(stderr, "check %s: %s\n", gate_tracker_checks[i],
					c ? "no summary, no violation" : "not set");
			FUZZ_CHECK(c && (c->summary || c->nviol > 0));
		}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_tracker)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("issues.json", data, size);
	(void)gate_fuzz_catalog();
	gate_tracker_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_tracker_once(k, NULL));
	return 0;
}
