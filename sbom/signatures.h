/*
 * Component signatures and licence texts, loaded from the JSON files of rules/components
 * (format: docs/sbom.md "Signature files"). A signature says which files make
 * a directory a copy of a library, how to read its version (PCRE2 patterns),
 * and the library's supplier, licence, purl and CPE templates.
 */
#ifndef SDL_SBOM_SIGNATURES_H
#define SDL_SBOM_SIGNATURES_H

#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Limits of the signature loader. */
#define SBOM_SIG_MAX_FILES 64       /* signature files read from the directory */
#define SBOM_SIG_MAX_COMPONENTS 2000
#define SBOM_SIG_MAX_RULES 16       /* detect / version / single-file rules per component */

struct sbom_grep {
	char *file;      /* path relative to the component root */
	pcre2_code *re;  /* NULL: only the file must exist */
};

struct sbom_detect_rule {
	char **files; /* all must exist (paths relative to the candidate directory) */
	size_t nfiles;
	struct sbom_grep grep; /* optional content check */
};

struct sbom_single_rule {
	char *name;       /* file name, e.g. "linenoise.c" */
	pcre2_code *grep; /* must match the file's content */
	pcre2_code *version; /* optional: version from the file itself */
};

struct sbom_signature {
	char *name;
	char *supplier;
	char *license;   /* SPDX expression declared by the project */
	char *source;    /* upstream source URI */
	char *purl;      /* template with {version} */
	char *cpe;       /* template with {version} */
	char **aliases;  /* names used by package managers and advisories */
	size_t naliases;
	struct sbom_detect_rule *detect;
	size_t ndetect;
	struct sbom_grep *version; /* capture groups joined by '.' */
	size_t nversion;
	struct sbom_single_rule *single;
	size_t nsingle;
};

struct sbom_license_text {
	char *id;       /* SPDX id */
	char **all;     /* normalised phrases that should all occur */
	size_t nall;
	char **none;    /* phrases that must not occur */
	size_t nnone;
};

struct sbom_sigpack {
	struct sbom_signature *sigs;
	size_t nsigs;
	struct sbom_license_text *lic;
	size_t nlic;
	char hash[129]; /* SHA-256 over the loaded files, part of cache keys */
	const char **single_names; /* every single-file rule's name, sorted (point into sigs) */
	size_t nsingle_names;
	/* "scope": directory names that put a component out of the product (scope.c) */
	char **scope_test; /* lower case: "tests", "fixtures", "corpus", ... */
	size_t nscope_test;
	char **scope_dev; /* "examples", "docs", "benchmarks", ... */
	size_t nscope_dev;
};

/*
 * Load every *.json file of dir (sorted by name): files holding "components"
 * add signatures, files holding "licenses" add licence texts, files holding
 * "scope" ({"test": [names], "dev": [names]}) add scope directory names. Errors name the
 * file (and for patterns the component and the PCRE2 message): SDL_EINVAL.
 */
int sbom_sigpack_load(struct sbom_sigpack *out, const char *dir);
void sbom_sigpack_release(struct sbom_sigpack *p);

/* Find a signature by name or alias, case-insensitive; NULL if none. */
const struct sbom_signature *sbom_sigpack_find(const struct sbom_sigpack *p, const char *name);

/*
 * Run re over data; on a match, *out receives the capture groups joined by
 * '.' (the whole match if there are none), owned by the caller. Returns 1 on
 * a match, 0 on none, negative on error.
 */
int sbom_re_capture(char **out, const pcre2_code *re, const char *data, size_t len);
/* 1 if re matches data, 0 if not. */
int sbom_re_matches(const pcre2_code *re, const char *data, size_t len);

/*
 * Identify the licence text in data: *id_out points into the pack (NULL if
 * nothing reached 0.5) and *confidence_out is the fraction of the licence's
 * phrases found.
 */
void sbom_license_match(const char **id_out, double *confidence_out,
			const struct sbom_sigpack *p, const char *data, size_t len);

/* Fill "{version}" in a template; NULL template gives NULL. */
int sbom_template_fill(char **out, const char *tmpl, const char *version);

#endif
