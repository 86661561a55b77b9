/*
 * Fuzz target: sbom/vulns.c, the OSV record reader and matcher,
 * sbom_vulns_match() on a directory holding the input as one record
 * (--vulns DIR), against a fixed scan result (fuzz_sbom.h). Properties: a
 * failure carries one line; a record that cannot be used becomes a note,
 * never a silent omission; every match names a vulnerability id, the
 * component and how it matched; one failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

static int osv_once(const char *dir, unsigned long fail, unsigned long *nalloc)
{
	struct sbom_result r;
	int ret;

	sbom_fuzz_result(&r);
	sdl_alloc_fail_at(fail);
	ret = sbom_vulns_match(&r, dir, NULL);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		for (size_t i = 0; i < r.nvulns; i++)
			FUZZ_CHECK(r.vulns[i].id && r.vulns[i].component_ref && r.vulns[i].matched_by);
		for (size_t i = 0; i < r.nnotes; i++)
			FUZZ_CHECK(r.notes[i].reason != NULL);
	}
	sbom_result_release(&r);
	return ret;
}

SDL_FUZZ_TARGET(sbom_osv)
{
	char dir[256];
	unsigned long nalloc = 0;

	fuzz_scratch_write("osv/record.json", data, size);
	snprintf(dir, sizeof(dir), "%s/osv", fuzz_scratch_dir());
	osv_once(dir, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(osv_once(dir, k, NULL));
	return 0;
}
