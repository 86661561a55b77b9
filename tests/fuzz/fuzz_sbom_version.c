/*
 * Fuzz target: version-macro extraction, sbom/signatures.c
 * sbom_re_capture() with every version pattern of rules/components/ (the
 * PCRE2 patterns read "#define ZLIB_VERSION ..." out of vendored headers),
 * then sbom_version_cmp() (sbom/model.c), which orders what was read to
 * tell upgrades from downgrades. Properties: no over-read of the
 * unterminated buffer; a capture is a non-empty string; no pattern
 * backtracks past libFuzzer's timeout; the version order is reflexive and
 * antisymmetric on the captured versions and on the two lines of the input.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

static int version_sign(int v)
{
	return (v > 0) - (v < 0);
}

static void version_check_cmp(const char *a, const char *b)
{
	FUZZ_CHECK(sbom_version_cmp(a, a) == 0);
	FUZZ_CHECK(version_sign(sbom_version_cmp(a, b)) == -version_sign(sbom_version_cmp(b, a)));
}

static void version_capture(const pcre2_code *re, const uint8_t *data, size_t size,
			    char **last)
{
	char *v = NULL;
	int ret;

	if (!re)
		return;
	ret = sbom_re_capture(&v, re, (const char *)data, size);
	FUZZ_CHECK(ret <= 1);
	if (ret < 0)
		fuzz_check_error(ret);
	if (ret == 1) {
		FUZZ_CHECK(v != NULL);
		if (*last)
			version_check_cmp(*last, v);
		free(*last);
		*last = v;
	} else {
		FUZZ_CHECK(v == NULL);
	}
}

SDL_FUZZ_TARGET(sbom_version)
{
	const struct sbom_sigpack *p = sbom_fuzz_sigs();
	char *last = NULL, *text, *nl;

	for (size_t i = 0; i < p->nsigs; i++) {
		const struct sbom_signature *s = &p->sigs[i];
		for (size_t j = 0; j < s->nversion; j++)
			version_capture(s->version[j].re, data, size, &last);
		for (size_t j = 0; j < s->nsingle; j++)
			version_capture(s->single[j].version, data, size, &last);
	}
	free(last);

	text = fuzz_cstr(data, size);
	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		version_check_cmp(text, nl + 1);
	} else {
		version_check_cmp(text, "1.2.3");
	}
	free(text);
	return 0;
}
