/*
 * JSON loading on cJSON with size and nesting limits, and errors that name
 * the file, line and column ("policy.json:12:7: expected ',' or '}'").
 * Also a canonical writer: stable key order as built, two-space indent,
 * trailing newline, so output is deterministic.
 */
#ifndef SDL_JSON_H
#define SDL_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "lib/buf.h"

struct sdl_json_limits {
	size_t max_bytes; /* largest document accepted */
	int max_depth;    /* deepest nesting of arrays/objects accepted */
};

/* Defaults: 64 MiB and depth 64. */
#define SDL_JSON_MAX_BYTES ((size_t)64 << 20)
#define SDL_JSON_MAX_DEPTH 64
extern const struct sdl_json_limits sdl_json_default_limits;

/*
 * Route cJSON's allocations through lib/alloc.h (once per process, thread
 * safe). Every sdl_json_* entry point calls it; call it yourself before the
 * first cJSON_Create*() if that may precede any sdl_json_* call.
 */
void sdl_json_init(void);

/*
 * Parse `len` bytes named `name` (used in messages). On success *out owns a
 * tree the caller frees with cJSON_Delete(). On failure *out is NULL and the
 * error (SDL_EINVAL malformed / not UTF-8 / NUL inside, SDL_ELIMIT too big or
 * too deep) reads "name:line:col: problem". limits may be NULL (defaults).
 */
int sdl_json_parse(cJSON **out, const char *data, size_t len, const char *name,
		   const struct sdl_json_limits *limits);

/* Read the file at path (no more than limits->max_bytes) and parse it. */
int sdl_json_load_file(cJSON **out, const char *path,
		       const struct sdl_json_limits *limits);

/* Append the canonical rendering of json (plus '\n') to out. */
int sdl_json_render(struct sdl_buf *out, const cJSON *json);

/* Render json and write it atomically to path ("-" = stdout). */
int sdl_json_write_file(const char *path, const cJSON *json);

/*
 * Typed getters for reading documents from other tools. Each returns NULL /
 * the fallback when the key is absent or has another type; they never fail.
 */
const char *sdl_json_str(const cJSON *obj, const char *key);
const cJSON *sdl_json_obj(const cJSON *obj, const char *key);
const cJSON *sdl_json_arr(const cJSON *obj, const char *key);
double sdl_json_num(const cJSON *obj, const char *key, double fallback);
int sdl_json_bool(const cJSON *obj, const char *key, int fallback);

/*
 * Builders that fail cleanly: each adds to obj and returns 0, or SDL_ENOMEM.
 * sdl_json_add_str() skips a NULL value (returns 0 and adds nothing).
 */
int sdl_json_add_str(cJSON *obj, const char *key, const char *value);
int sdl_json_add_num(cJSON *obj, const char *key, double value);
int sdl_json_add_bool(cJSON *obj, const char *key, int value);
/* Attach child (taking ownership even on failure) under key, or to an array if key is NULL. */
int sdl_json_add(cJSON *parent, const char *key, cJSON *child);

#endif
