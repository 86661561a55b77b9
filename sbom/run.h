/*
 * One sdl-sbom run: resolve the revision, walk its first-parent history once
 * (oldest first), scan each commit's changed trees, turn differences between
 * consecutive commits into history events, and fill the result with the
 * components at the revision, their digests and what could not be examined.
 */
#ifndef SDL_SBOM_RUN_H
#define SDL_SBOM_RUN_H

#include <git2.h>

#include "sbom.h"
#include "signatures.h"

struct sbom_options {
	const char *rev;       /* default "HEAD" */
	int history;           /* walk the history (default on) */
	const char *cache_dir; /* NULL: <gitdir>/sdl-sbom-cache; "" = no cache */
	const char *repo_label; /* names the repository in messages; NULL: its path */
};

/* Bound on the commits walked in one run. */
#define SBOM_MAX_COMMITS ((size_t)10 << 20)

int sbom_run(struct sbom_result *out, git_repository *repo, const struct sbom_sigpack *sigs,
	     const struct sbom_options *opt);

/*
 * The per-component digest (docs/sbom.md "Component digest"): SHA-512 over
 * the component's files sorted by path. Fills c->digest; 1 if the content is
 * not available (noted in r), 0 on success.
 */
int sbom_digest_component(struct sbom_result *r, git_repository *repo, const char *path,
			  struct sbom_component *c);

/* The history-state cache (cache.c). Both return 1 when there is nothing to use. */
int sbom_cache_load(struct sbom_result *out, const char *dir, const char *key, const char *commit);
int sbom_cache_store(const struct sbom_result *r, const char *dir, const char *key);

#endif
