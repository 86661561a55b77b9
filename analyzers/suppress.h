/* Inline suppressions (`sdl-allow(rule-id): reason`). */
#ifndef SDL_AZ_SUPPRESS_H
#define SDL_AZ_SUPPRESS_H

#include "az.h"
#include "sources.h"

/*
 * Mark the findings suppressed by comments in `files` (relative paths) and
 * append suppression-unjustified / suppression-unused findings.
 */
int az_suppress_apply(struct sdl_findings *list, struct az_sources *sources,
		      char *const *files, size_t nfiles, const struct az_pack *pack);

#endif
