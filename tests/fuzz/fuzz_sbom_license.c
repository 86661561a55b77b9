/*
 * Fuzz target: sbom/signatures.c, sbom_license_match(), the licence text
 * matcher run on every LICENSE/COPYING file of a vendored tree, with the
 * real licence texts of rules/components/licenses.json. Properties: no
 * over-read of the unterminated buffer; an identified licence is one of the
 * pack's, with a confidence in [0.5, 1]; the answer does not depend on
 * anything but the text (the same call twice agrees).
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

SDL_FUZZ_TARGET(sbom_license)
{
	const struct sbom_sigpack *p = sbom_fuzz_sigs();
	const char *id = NULL, *id2 = NULL;
	double conf = -1, conf2 = -1;

	sbom_license_match(&id, &conf, p, (const char *)data, size);
	FUZZ_CHECK(conf >= 0.0 && conf <= 1.0);
	if (id) {
		int known = 0;
		for (size_t i = 0; i < p->nlic; i++)
			known |= p->lic[i].id == id;
		FUZZ_CHECK(known);
		FUZZ_CHECK(conf >= 0.5);
	}
	sbom_license_match(&id2, &conf2, p, (const char *)data, size);
	FUZZ_CHECK(id == id2 && conf == conf2);
	return 0;
}
