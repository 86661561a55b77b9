/*
 * Scope of the scanned revision's components (docs/sbom.md "Scope"):
 * trees excluded by configuration are dropped from the result (and listed
 * in it), components under test / example / documentation trees are kept
 * with a test or dev scope and the reason.
 *
 * Applied after the history walk, on the result only: the per-tree memo and
 * the history cache never depend on the configuration.
 */
#ifndef SDL_SBOM_SCOPE_H
#define SDL_SBOM_SCOPE_H

#include <git2.h>
#include <stddef.h>

#include "sbom.h"
#include "signatures.h"

/* Limits of a .sdl-sbom.json file (it comes from the repository: untrusted). */
#define SBOM_CONFIG_NAME ".sdl-sbom.json"
#define SBOM_CONFIG_MAX_BYTES ((size_t)64 << 10)
#define SBOM_CONFIG_MAX_DEPTH 4
#define SBOM_CONFIG_MAX_PATTERNS 256 /* per list, also for the command line */
#define SBOM_CONFIG_MAX_PATTERN 1024 /* bytes of one pattern */

struct sbom_scope_config {
	char **exclude; /* globs: trees dropped from the result */
	size_t nexclude;
	const char *exclude_origin; /* "--exclude", ".sdl-sbom.json", ...; static or caller-owned */
	char **test_paths;          /* globs: trees whose components are test-only */
	size_t ntest_paths;
	const char *test_origin;
};

void sbom_scope_config_release(struct sbom_scope_config *c);

/* Append a copy of pattern to *list (bounded); 0, SDL_ELIMIT or SDL_ENOMEM. */
int sbom_scope_add_pattern(char ***list, size_t *n, const char *pattern);

/*
 * Parse a configuration file: {"exclude": [globs], "test_paths": [globs]};
 * other keys are refused (a typo would otherwise be silent). On failure out
 * is left empty and the error (SDL_EINVAL / SDL_ELIMIT) names `name`.
 */
int sbom_scope_config_parse(struct sbom_scope_config *out, const char *data, size_t len,
			    const char *name);

/*
 * Read .sdl-sbom.json from the tree of r->commit. Absent: 0 and out empty.
 * Malformed or too big: a note in r ("not examined"), out empty, 0.
 * Negative only for out-of-memory or an unreadable repository.
 */
int sbom_scope_config_from_repo(struct sbom_scope_config *out, struct sbom_result *r,
				git_repository *repo);

/*
 * 1 if pattern matches path or one of its parent directories. Segments are
 * matched with fnmatch(3) (FNM_PATHNAME | FNM_PERIOD: '*' and '?' never cross
 * a '/', a leading '.' must be matched explicitly); a segment "**" matches zero
 * or more whole segments. Patterns are relative to the repository root; a
 * leading "/" or "./" is ignored and a trailing "/" means the same as none.
 */
int sbom_glob_match(const char *pattern, const char *path);

/*
 * Drop r's instances, notes and removed-component histories under an
 * exclude pattern (recording each pattern in r->excluded), then set the
 * scope of the remaining instances: test_paths patterns first, then the
 * sigpack's scope directory names among the parent directories of the path.
 */
int sbom_scope_apply(struct sbom_result *r, const struct sbom_sigpack *sigs,
		     const struct sbom_scope_config *cfg);

const char *sbom_scope_name(enum sbom_scope s); /* "product", "test", "dev" */

#endif
