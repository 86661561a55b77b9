/*
 * Fuzz target: sbom/vulns.c, the VEX reader, sbom_vex_apply() (--vex FILE:
 * OpenVEX or CycloneDX VEX) applied to the vulnerabilities a fixed OSV
 * record (CVE-2022-37434, zlib) finds in a fixed scan result (fuzz_sbom.h).
 * Properties: a failure carries one line; every analysis state applied is a
 * CycloneDX impact-analysis state and names the file that supplied it; one
 * failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

static const char vex_osv_record[] =
	"{\"id\": \"CVE-2022-37434\", \"summary\": \"zlib inflate buffer overflow\","
	" \"affected\": [{\"package\": {\"name\": \"zlib\", \"ecosystem\": \"GIT\"},"
	" \"versions\": [\"1.2.11\", \"v1.2.11\"]}, {\"package\": {\"name\": \"mbedtls\"},"
	" \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
	" {\"fixed\": \"2.28.0\"}]}]}]}";

static int vex_state_ok(const char *s)
{
	static const char *const states[] = { "resolved", "resolved_with_pedigree", "exploitable",
					      "in_triage", "false_positive", "not_affected" };
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(s, states[i]) == 0)
			return 1;
	return 0;
}

static int vex_once(const char *osv, const char *path, unsigned long fail, unsigned long *nalloc)
{
	struct sbom_result r;
	int ret;

	sbom_fuzz_result(&r);
	if (sbom_vulns_match(&r, osv, NULL) < 0)
		abort();
	sdl_alloc_fail_at(fail);
	ret = sbom_vex_apply(&r, path);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < r.nvulns; i++)
			if (r.vulns[i].state)
				FUZZ_CHECK(vex_state_ok(r.vulns[i].state) && r.vulns[i].vex_source);
	sbom_result_release(&r);
	return ret;
}

SDL_FUZZ_TARGET(sbom_vex)
{
	char osv[256], path[64];
	unsigned long nalloc = 0;
	int fd;

	fuzz_scratch_write("vex-osv/record.json", vex_osv_record, sizeof(vex_osv_record) - 1);
	snprintf(osv, sizeof(osv), "%s/vex-osv", fuzz_scratch_dir());
	fuzz_memfile(&fd, path, data, size);
	vex_once(osv, path, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(vex_once(osv, path, k, NULL));
	close(fd);
	return 0;
}
