/*
 * Fuzz target: sdl-gate/collect_fuzz.c, gate_collect_fuzz() on <repo>/fuzz-summary.json:
 * fuzzing campaign summaries (sdl-gate-fuzz/1, as bench/fuzz-campaign writes them).
 * Properties: a failure carries one line; on success every check of the
 * collector has a summary or a violation; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const gate_fuzz_checks[] = { "fuzz.duration", "fuzz.crashes" };

static int gate_fuzz_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (gate_strv_push(&ev.project.fuzz, "fuzz-summary.json") < 0)
		abort();
	ev.policy.settings.fuzz_min_seconds = 600;
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_fuzz(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < sizeof(gate_fuzz_checks) / sizeof(gate_fuzz_checks[0]); i++) {
			const struct gate_check *c = gate_check_find(&ev, gate_fuzz_checks[i]);
			if (!c || (!c->summary && !c->nviol))
				fprintf(stderr, "check %s: %s\n", gate_fuzz_checks[i],
					c ? "no summary, no violation" : "not set");
			FUZZ_CHECK(c && (c->summary || c->nviol > 0));
		}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_fuzz)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("fuzz-summary.json", data, size);
	(void)gate_fuzz_catalog();
	gate_fuzz_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_fuzz_once(k, NULL));
	return 0;
}
