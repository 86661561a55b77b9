/*
 * Fuzz target: analyzers/pack.c, az_pack_load(): a rule pack given with
 * --rules, and a rule override file (--rules-override) merged onto the
 * default pack. Properties: a failure carries one line; a loaded pack has
 * unique rule ids that az_pack_find() finds, and renders into SARIF rules;
 * one failing allocation fails cleanly.
 */
#include "fuzz_analyze.h"

#include "lib/sarif.h"

#include "lib/banned.h"

static int pack_once(const char *path, const char *override, unsigned long fail,
		     unsigned long *nalloc)
{
	struct az_pack pack;
	struct sdl_sarif_run run;
	int ret;

	sdl_alloc_fail_at(fail);
	ret = az_pack_load(&pack, path, override);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		for (size_t i = 0; i < pack.nrules; i++) {
			FUZZ_CHECK(pack.rules[i].id != NULL);
			FUZZ_CHECK(az_pack_find(&pack, pack.rules[i].id) == &pack.rules[i]);
		}
		sdl_sarif_run_init(&run);
		FUZZ_CHECK(az_pack_add_sarif_rules(&run, &pack) == 0);
		sdl_sarif_run_release(&run);
	}
	az_pack_release(&pack);
	return ret;
}

SDL_FUZZ_TARGET(analyze_pack)
{
	unsigned long nalloc = 0;
	char path[64];
	int fd;

	(void)analyze_fuzz_pack();
	fuzz_memfile(&fd, path, data, size);
	/* as the whole pack */
	pack_once(path, NULL, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(pack_once(path, NULL, k, NULL));
	/* as an override of the default pack */
	pack_once(NULL, path, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(pack_once(NULL, path, k, NULL));
	close(fd);
	return 0;
}
