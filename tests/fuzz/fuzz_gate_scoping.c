/*
 * Fuzz target: sdl-gate/collect_scoping.c, gate_collect_scoping() on <repo>/scoping.json:
 * the SM-5 scoping file (every catalogue requirement applicable or not, with a reason).
 * Properties: a failure carries one line; on success every check of the
 * collector has a summary or a violation; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const gate_scoping_checks[] = { "scoping.complete" };

static int gate_scoping_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (!(ev.project.scoping = strdup("scoping.json")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_scoping(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < sizeof(gate_scoping_checks) / sizeof(gate_scoping_checks[0]); i++) {
			const struct gate_check *c = gate_check_find(&ev, gate_scoping_checks[i]);
			if (!c || (!c->summary && !c->nviol))
				fprintf(stderr, "check %s: %s\n", gate_scoping_checks[i],
					c ? "no summary, no violation" : "not set");
			FUZZ_CHECK(c && (c->summary || c->nviol > 0));
		}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_scoping)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("scoping.json", data, size);
	(void)gate_fuzz_catalog();
	gate_scoping_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_scoping_once(k, NULL));
	return 0;
}
