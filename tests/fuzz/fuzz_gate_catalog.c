/*
 * Fuzz target: sdl-gate/catalog.c, gate_catalog_load() (requirement
 * catalogues under rules/catalog/; a user may bring their own).
 * Properties: a failure carries one line; a loaded catalogue finds each of
 * its own requirements by id; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static int gate_catalog_once(const uint8_t *data, size_t size, unsigned long fail,
			     unsigned long *nalloc)
{
	struct gate_catalog cat;
	char path[64];
	int fd, ret;

	memset(&cat, 0, sizeof(cat));
	fuzz_memfile(&fd, path, data, size);
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_catalog_load(&cat, path));
	close(fd);
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < cat.nreqs; i++)
			FUZZ_CHECK(cat.reqs[i].id && gate_catalog_find(&cat, cat.reqs[i].id));
	gate_catalog_release(&cat);
	return ret;
}

SDL_FUZZ_TARGET(gate_catalog)
{
	unsigned long nalloc = 0;

	gate_catalog_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_catalog_once(data, size, k, NULL));
	return 0;
}
