/*
 * Fuzz target: sdl-gate/policy.c, gate_policy_load() against the real
 * IEC 62443-4-1 catalogue. Properties: a failure carries one line; a loaded
 * policy has one entry per catalogue requirement, in catalogue order; one
 * failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static int gate_policy_once(const uint8_t *data, size_t size, unsigned long fail,
			    unsigned long *nalloc)
{
	const struct gate_catalog *cat = gate_fuzz_catalog();
	struct gate_policy pol;
	char path[64];
	int fd, ret;

	memset(&pol, 0, sizeof(pol));
	fuzz_memfile(&fd, path, data, size);
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_policy_load(&pol, path, cat));
	close(fd);
	fuzz_check_error(ret);
	if (ret == 0) {
		FUZZ_CHECK(pol.nreqs == cat->nreqs);
		for (size_t i = 0; i < pol.nreqs; i++)
			FUZZ_CHECK(pol.reqs[i].id && strcmp(pol.reqs[i].id, cat->reqs[i].id) == 0);
		for (size_t i = 0; i < pol.ndocs; i++)
			FUZZ_CHECK(gate_policy_doc(&pol, pol.docs[i].name) != NULL);
	}
	gate_policy_release(&pol);
	return ret;
}

SDL_FUZZ_TARGET(gate_policy)
{
	unsigned long nalloc = 0;

	(void)gate_fuzz_catalog();
	gate_policy_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_policy_once(data, size, k, NULL));
	return 0;
}
