/*
 * Fuzz target: sdl-gate/collect_sarif.c, gate_collect_sarif() on <repo>/analyze.sarif:
 * SARIF from any tool (thresholds, suppressions with justifications).
 * Properties: a failure carries one line; on success every check of the
 * collector has a summary or a violation; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const gate_sarif_checks[] = { "sarif.present", "sarif.threshold", "sarif.suppressions" };

static int gate_sarif_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (gate_strv_push(&ev.project.sarif, "analyze.sarif") < 0)
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_sarif(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < sizeof(gate_sarif_checks) / sizeof(gate_sarif_checks[0]); i++) {
			const struct gate_check *c = gate_check_find(&ev, gate_sarif_checks[i]);
			if (!c || (!c->summary && !c->nviol))
				fprintf(stderr, "check %s: %s\n", gate_sarif_checks[i],
					c ? "no summary, no violation" : "not set");
			FUZZ_CHECK(c && (c->summary || c->nviol > 0));
		}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_sarif)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("analyze.sarif", data, size);
	(void)gate_fuzz_catalog();
	gate_sarif_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_sarif_once(k, NULL));
	return 0;
}
