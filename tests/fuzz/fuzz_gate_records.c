/*
 * Fuzz target: sdl-gate/collect_records.c, the attestation record reader,
 * via gate_collect_records() on <repo>/records/r.json (records name input
 * files by path and digest: those paths must stay inside the repository).
 * Properties: a failure carries one line; every record read is either valid
 * or says why not; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static int gate_records_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (!(ev.project.attestations = strdup("records")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_records(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < ev.nrecords; i++)
			FUZZ_CHECK(ev.records[i].valid || ev.records[i].invalid_why);
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_records)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("records/r.json", data, size);
	(void)gate_fuzz_catalog();
	gate_records_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_records_once(k, NULL));
	return 0;
}
