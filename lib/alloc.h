/*
 * Allocation wrappers. All project code allocates through these so that a
 * test can make the Nth allocation fail (sdl_alloc_fail_at) and check that
 * every caller fails cleanly without leaking.
 *
 * On failure each returns NULL and sets the last error to SDL_ENOMEM.
 * Memory from any of them is released with sdl_free() (or free()).
 */
#ifndef SDL_ALLOC_H
#define SDL_ALLOC_H

#include <stddef.h>

void *sdl_malloc(size_t size);
void *sdl_calloc(size_t count, size_t size);
/* Like realloc(); on failure the old block is left untouched. */
void *sdl_realloc(void *ptr, size_t size);
/* realloc of count * size bytes with the multiplication overflow-checked. */
void *sdl_reallocarray(void *ptr, size_t count, size_t size);
char *sdl_strdup(const char *s);
/* Copies at most n bytes of s and terminates the copy. */
char *sdl_strndup(const char *s, size_t n);
void sdl_free(void *ptr);

/* Free *pptr and set it to NULL. */
#define SDL_FREE_AND_NULL(p) do { sdl_free(p); (p) = NULL; } while (0)

/*
 * Failure injection, for tests: the nth allocation from now (1-based) and
 * every later one fail, until sdl_alloc_fail_at(0) switches it off.
 * Counting is process-wide and thread-safe.
 */
void sdl_alloc_fail_at(unsigned long nth);
/* How many allocations went through the wrappers since the last fail_at(). */
unsigned long sdl_alloc_count(void);

/* cJSON hooks that route its allocations through the wrappers. */
void sdl_alloc_install_cjson_hooks(void);

/* Overflow-checked size arithmetic: 0 on success, SDL_ELIMIT on overflow. */
int sdl_size_add(size_t *out, size_t a, size_t b);
int sdl_size_mul(size_t *out, size_t a, size_t b);

#endif
