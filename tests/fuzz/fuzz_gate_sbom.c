/*
 * Fuzz target: sdl-gate/collect_sbom.c, gate_collect_sbom() on <repo>/sbom.cdx.json:
 * a CycloneDX SBOM with vulnerabilities and VEX analyses (identity, unknown components, CVSS thresholds).
 * Properties: a failure carries one line; on success every check of the
 * collector has a summary or a violation; one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const gate_sbom_checks[] = { "sbom.present", "sbom.identity", "sbom.unknown-reviewed", "sbom.vulnerabilities", "sbom.vuln-data-age" };

static int gate_sbom_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	if (!(ev.project.sbom = strdup("sbom.cdx.json")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_sbom(&ev));
	fuzz_check_error(ret);
	if (ret == 0)
		for (size_t i = 0; i < sizeof(gate_sbom_checks) / sizeof(gate_sbom_checks[0]); i++) {
			const struct gate_check *c = gate_check_find(&ev, gate_sbom_checks[i]);
			if (!c || (!c->summary && !c->nviol))
				fprintf(stderr, "check %s: %s\n", gate_sbom_checks[i],
					c ? "no summary, no violation" : "not set");
			FUZZ_CHECK(c && (c->summary || c->nviol > 0));
		}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_sbom)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("sbom.cdx.json", data, size);
	(void)gate_fuzz_catalog();
	gate_sbom_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_sbom_once(k, NULL));
	return 0;
}
