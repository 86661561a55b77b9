/* git-aware modes: --staged, --diff-base, --baseline. */
#ifndef SDL_AZ_VCS_H
#define SDL_AZ_VCS_H

#include <git2.h>

#include "az.h"
#include "sources.h"

/*
 * --staged: the index content of every file whose work-tree copy differs from
 * it, as unsaved files for libclang (absolute paths under the work tree).
 * *changed_sources receives the staged C/C++ files that differ from HEAD
 * (relative), and *header_changed whether any of them is a header.
 * Reads only: writes neither the index nor the work tree.
 */
int az_vcs_staged(struct az_unsaved **out, size_t *nout, char ***changed, size_t *nchanged,
		  int *header_changed, git_repository *repo);
void az_unsaved_free(struct az_unsaved *v, size_t n);

/* --diff-base REV: drop findings on lines not added or changed since REV. */
int az_vcs_diff_filter(struct sdl_findings *list, git_repository *repo, const char *rev,
		       struct az_sources *sources, const char *root);

/*
 * --baseline OLD.sarif: fingerprint the findings and mark each new or
 * unchanged against the fingerprints in OLD.
 */
int az_baseline_apply(struct sdl_findings *list, const char *sarif_path,
		      struct az_sources *sources);

#endif
