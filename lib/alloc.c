#include "lib/alloc.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/banned.h"

static atomic_ulong alloc_count;
static atomic_ulong fail_at;

static int should_fail(void)
{
	unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
	unsigned long f = atomic_load(&fail_at);
	return f != 0 && n >= f;
}

static void *oom(size_t size)
{
	sdl_error_set(SDL_ENOMEM, "out of memory (allocating %zu bytes)", size);
	return NULL;
}

void *sdl_malloc(size_t size)
{
	void *p;
	if (should_fail())
		return oom(size);
	p = malloc(size ? size : 1);
	return p ? p : oom(size);
}

void *sdl_calloc(size_t count, size_t size)
{
	void *p;
	size_t total;
	if (sdl_size_mul(&total, count, size) < 0)
		return oom(SIZE_MAX);
	if (should_fail())
		return oom(total);
	p = calloc(count ? count : 1, size ? size : 1);
	return p ? p : oom(total);
}

void *sdl_realloc(void *ptr, size_t size)
{
	void *p;
	if (should_fail())
		return oom(size);
	p = realloc(ptr, size ? size : 1);
	return p ? p : oom(size);
}

void *sdl_reallocarray(void *ptr, size_t count, size_t size)
{
	size_t total;
	if (sdl_size_mul(&total, count, size) < 0)
		return oom(SIZE_MAX);
	return sdl_realloc(ptr, total);
}

char *sdl_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *copy = sdl_malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *sdl_strdup(const char *s)
{
	return sdl_strndup(s, SIZE_MAX);
}

void sdl_free(void *ptr)
{
	free(ptr);
}

void sdl_alloc_fail_at(unsigned long nth)
{
	atomic_store(&alloc_count, 0);
	atomic_store(&fail_at, nth);
}

unsigned long sdl_alloc_count(void)
{
	return atomic_load(&alloc_count);
}

#ifdef SDL_FAILINJECT
/*
 * Failure-injection builds only (SDL_FAILINJECT, on in the sanitizer build):
 * SDL_FAIL_ALLOC_AT=N makes the Nth allocation of the process and every later
 * one fail, so tests can run a whole tool under failing allocations.
 */
__attribute__((constructor)) static void fail_from_env(void)
{
	const char *v = getenv("SDL_FAIL_ALLOC_AT");
	char *end;
	unsigned long n;
	if (!v || !*v)
		return;
	n = strtoul(v, &end, 10);
	if (*end == '\0')
		sdl_alloc_fail_at(n);
}
#endif

void sdl_alloc_install_cjson_hooks(void)
{
	cJSON_Hooks hooks = { sdl_malloc, sdl_free };
	cJSON_InitHooks(&hooks);
}

int sdl_size_add(size_t *out, size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		return SDL_ELIMIT;
	*out = a + b;
	return 0;
}

int sdl_size_mul(size_t *out, size_t a, size_t b)
{
	if (b != 0 && a > SIZE_MAX / b)
		return SDL_ELIMIT;
	*out = a * b;
	return 0;
}
