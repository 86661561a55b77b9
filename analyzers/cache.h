/* The per-translation-unit result cache (see cache.c). Thread-safe. */
#ifndef SDL_AZ_CACHE_H
#define SDL_AZ_CACHE_H

#include "az.h"
#include "lib/hash.h"

int az_cache_key(char out[SDL_HASH_HEX_MAX], const struct az_opts *opts, const char *file,
		 char *const *args, int nargs);
/* 0 and *out filled on a hit, 1 on a miss, negative on an internal error. */
int az_cache_lookup(struct az_tu_result *out, const char *dir, const char *key);
/* Store a TU's result (skipped silently when a dependency cannot be hashed). */
int az_cache_store(const char *dir, const char *key, const char *main_file,
		   const struct az_tu_result *r);
/* Hash the running executable into every key (call once, before threads start). */
void az_cache_init(void);
/* Drop the per-run memo of file hashes. */
void az_cache_forget(void);

#endif
