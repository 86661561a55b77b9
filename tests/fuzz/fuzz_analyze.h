/*
 * Scaffolding of the sdl-analyze targets (fuzz_analyze_*.c): the default
 * rule pack, loaded once.
 */
#ifndef SDL_FUZZ_ANALYZE_H
#define SDL_FUZZ_ANALYZE_H

#include <stdio.h>
#include <stdlib.h>

#include "az.h"
#include "fuzz.h"

static inline const struct az_pack *analyze_fuzz_pack(void)
{
	static struct az_pack pack;
	static int loaded;
	if (!loaded) {
		if (az_pack_load(&pack, NULL, NULL) < 0) {
			fprintf(stderr, "fuzz: cannot load the default rule pack: %s\n",
				sdl_error_last());
			abort();
		}
		loaded = 1;
	}
	return &pack;
}

#endif
