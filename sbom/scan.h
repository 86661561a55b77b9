/*
 * Scanning one commit's tree with every detector, memoised by object id:
 * the result for a (tree id, context) pair is computed once and shared, so a
 * history walk descends only into trees that changed since any earlier commit.
 */
#ifndef SDL_SBOM_SCAN_H
#define SDL_SBOM_SCAN_H

#include <git2.h>

#include "detect.h"
#include "sbom.h"

struct sbom_scanner;

/* Memo entries kept before the table refuses to grow (memory bound). */
#define SBOM_SCAN_MAX_MEMO ((size_t)1 << 24)

int sbom_scanner_new(struct sbom_scanner **out, git_repository *repo,
		     const struct sbom_sigpack *sigs);
void sbom_scanner_free(struct sbom_scanner *s);

/*
 * Components and notes in the tree of `commit`, appended to out->inst and
 * out->notes with full paths. Submodules are resolved against the commit's
 * .gitmodules (sbom_submodules_resolve). `final` adds the notes that only
 * matter for the scanned revision (submodule checkouts).
 */
int sbom_scan_commit(struct sbom_result *out, struct sbom_scanner *s, const git_commit *commit,
		     int final);

/*
 * The same for the history walk, commit after commit (by root tree id): when the tree
 * finds exactly what the previous call's tree found (the same shared results,
 * the same .gitmodules), sets *same and adds nothing to out, so the caller
 * can keep the previous commit's components. Never for a `final` commit.
 */
int sbom_scan_commit_next(struct sbom_result *out, struct sbom_scanner *s, const git_oid *tree_id,
			  int final, int *same);

/* Turn gitlink components into submodule components using the root .gitmodules. */
int sbom_submodules_resolve(struct sbom_result *r, struct sbom_ctx *ctx, const git_tree *root,
			    int final);

#endif
