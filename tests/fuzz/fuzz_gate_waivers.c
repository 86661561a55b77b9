/*
 * Fuzz target: sdl-gate/collect_records.c, the waiver file reader, via
 * gate_collect_waivers() on <repo>/waivers.json. Properties: a failure
 * carries one line; every waiver read is either valid or says why not; one
 * failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static int gate_waivers_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (!(ev.project.waivers = strdup("waivers.json")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_waivers(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < ev.nwaivers; i++)
			FUZZ_CHECK(ev.waivers[i].valid || ev.waivers[i].invalid_why);
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_waivers)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("waivers.json", data, size);
	(void)gate_fuzz_catalog();
	gate_waivers_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_waivers_once(k, NULL));
	return 0;
}
