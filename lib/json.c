#include "lib/json.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/banned.h"

const struct sdl_json_limits sdl_json_default_limits = { SDL_JSON_MAX_BYTES, SDL_JSON_MAX_DEPTH };

/* Rendering recursion guard: trees we build are shallow, parsed ones <= max_depth. */
#define JSON_RENDER_MAX_DEPTH 1000

static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;

static void install_hooks(void)
{
	sdl_alloc_install_cjson_hooks();
}

void sdl_json_init(void)
{
	pthread_once(&hooks_once, install_hooks);
}

/* 1-based line and column (in bytes) of offset `off` in data. */
static void position(const char *data, size_t off, unsigned long *line, unsigned long *col)
{
	unsigned long l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 if invalid.
 */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned char b = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		n = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		n = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

/*
 * One pass before cJSON sees the data: NUL bytes (raw or as \u0000, which
 * cJSON would silently cut strings at), malformed UTF-8, and nesting deeper
 * than max_depth (counted outside strings) are refused with their position.
 */
static int prescan(const char *data, size_t len, const char *name, int max_depth,
		   int *unclosed)
{
	const unsigned char *p = (const unsigned char *)data;
	int depth = 0, in_str = 0;
	unsigned long line, col;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;
		if (c == 0) {
			position(data, i, &line, &col);
			return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: NUL byte inside the document",
					     name, line, col);
		}
		n = utf8_len(p + i, len - i);
		if (n == 0) {
			position(data, i, &line, &col);
			return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: invalid UTF-8 (byte 0x%02x)",
					     name, line, col, c);
		}
		if (in_str) {
			if (c == '\\' && i + 1 < len) {
				if (p[i + 1] == 'u' && len - i >= 6 && memcmp(p + i + 2, "0000", 4) == 0) {
					position(data, i, &line, &col);
					return sdl_error_set(SDL_EINVAL,
							     "%s:%lu:%lu: \\u0000 (NUL) inside a string",
							     name, line, col);
				}
				i += 2;
				continue;
			}
			if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				position(data, i, &line, &col);
				return sdl_error_set(SDL_ELIMIT,
						     "%s:%lu:%lu: nesting deeper than %d levels",
						     name, line, col, max_depth);
			}
		} else if (c == ']' || c == '}') {
			depth--;
		}
		i += n;
	}
	*unclosed = in_str || depth > 0;
	return 0;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int sdl_json_parse(cJSON **out, const char *data, size_t len, const char *name,
		   const struct sdl_json_limits *limits)
{
	const char *end = NULL;
	cJSON *root;
	unsigned long line, col;
	size_t off;
	int ret, unclosed = 0;

	*out = NULL;
	sdl_json_init();
	if (!limits)
		limits = &sdl_json_default_limits;
	if (!name)
		name = "<json>";
	if (len > limits->max_bytes)
		return sdl_error_set(SDL_ELIMIT, "%s: document of %zu bytes exceeds the limit of %zu bytes",
				     name, len, limits->max_bytes);
	ret = prescan(data, len, name, limits->max_depth, &unclosed);
	if (ret < 0)
		return ret;

	off = 0;
	while (off < len && is_ws(data[off]))
		off++;
	if (off == len) {
		position(data, off, &line, &col);
		return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: empty document", name, line, col);
	}

	sdl_error_clear();
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		if (sdl_error_last_code() == SDL_ENOMEM)
			return sdl_error_set(SDL_ENOMEM, "%s: out of memory while parsing", name);
		if (unclosed) {
			position(data, len, &line, &col);
			return sdl_error_set(SDL_EINVAL,
					     "%s:%lu:%lu: unexpected end of document (truncated?)",
					     name, line, col);
		}
		off = end && end >= data && end < data + len ? (size_t)(end - data) : len - 1;
		position(data, off, &line, &col);
		if ((unsigned char)data[off] >= 0x20 && (unsigned char)data[off] < 0x7F)
			return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: syntax error at '%c'", name,
					     line, col, data[off]);
		return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: syntax error", name, line, col);
	}
	off = end ? (size_t)(end - data) : len;
	while (off < len && is_ws(data[off]))
		off++;
	if (off < len) {
		cJSON_Delete(root);
		position(data, off, &line, &col);
		return sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: unexpected data after the JSON value",
				     name, line, col);
	}
	*out = root;
	return 0;
}

int sdl_json_load_file(cJSON **out, const char *path, const struct sdl_json_limits *limits)
{
	struct sdl_buf b;
	int ret;

	*out = NULL;
	if (!limits)
		limits = &sdl_json_default_limits;
	sdl_buf_init(&b, limits->max_bytes);
	ret = sdl_fs_read_file(&b, path, limits->max_bytes);
	if (ret == 0)
		ret = sdl_json_parse(out, b.ptr, b.len, path, limits);
	sdl_buf_release(&b);
	return ret;
}

/* JSON string escaping (RFC 8259 section 7); UTF-8 passes through as is. */
static int render_string(struct sdl_buf *out, const char *s)
{
	int ret = sdl_buf_putc(out, '"');
	for (; ret == 0 && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"': ret = sdl_buf_puts(out, "\\\""); break;
		case '\\': ret = sdl_buf_puts(out, "\\\\"); break;
		case '\n': ret = sdl_buf_puts(out, "\\n"); break;
		case '\r': ret = sdl_buf_puts(out, "\\r"); break;
		case '\t': ret = sdl_buf_puts(out, "\\t"); break;
		case '\b': ret = sdl_buf_puts(out, "\\b"); break;
		case '\f': ret = sdl_buf_puts(out, "\\f"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				ret = sdl_buf_printf(out, "\\u%04x", c);
			else
				ret = sdl_buf_putc(out, (char)c);
		}
	}
	return ret ? ret : sdl_buf_putc(out, '"');
}

/*
 * Integers (|v| < 2^53) print without a fraction or exponent; others with the
 * shortest of %.15g / %.17g that reads back exactly. NaN/Inf are not JSON:
 * they print as null.
 */
static int render_number(struct sdl_buf *out, double v)
{
	char tmp[64];
	if (!isfinite(v))
		return sdl_buf_puts(out, "null");
	/* (no libm: the range check comes first, so the cast is defined) */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(long long)v)
		return sdl_buf_printf(out, "%lld", (long long)v);
	snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	return sdl_buf_puts(out, tmp);
}

static int indent(struct sdl_buf *out, int depth)
{
	int ret = 0;
	for (int i = 0; ret == 0 && i < depth; i++)
		ret = sdl_buf_puts(out, "  ");
	return ret;
}

static int render_value(struct sdl_buf *out, const cJSON *j, int depth)
{
	int ret = 0;
	const cJSON *c;
	int obj;

	if (depth > JSON_RENDER_MAX_DEPTH)
		return sdl_error_set(SDL_ELIMIT, "JSON tree deeper than %d levels", JSON_RENDER_MAX_DEPTH);
	switch (j->type & 0xFF) {
	case cJSON_NULL: return sdl_buf_puts(out, "null");
	case cJSON_False: return sdl_buf_puts(out, "false");
	case cJSON_True: return sdl_buf_puts(out, "true");
	case cJSON_Number: return render_number(out, j->valuedouble);
	case cJSON_String: return render_string(out, j->valuestring ? j->valuestring : "");
	case cJSON_Raw:
		return j->valuestring ? sdl_buf_puts(out, j->valuestring)
				      : sdl_error_set(SDL_EINTERNAL, "JSON raw item without text");
	case cJSON_Array:
	case cJSON_Object:
		break;
	default:
		return sdl_error_set(SDL_EINTERNAL, "JSON item of unknown type %d", j->type);
	}
	obj = (j->type & 0xFF) == cJSON_Object;
	if (!j->child)
		return sdl_buf_puts(out, obj ? "{}" : "[]");
	ret = sdl_buf_puts(out, obj ? "{\n" : "[\n");
	for (c = j->child; ret == 0 && c; c = c->next) {
		ret = indent(out, depth + 1);
		if (ret == 0 && obj) {
			ret = render_string(out, c->string ? c->string : "");
			if (ret == 0)
				ret = sdl_buf_puts(out, ": ");
		}
		if (ret == 0)
			ret = render_value(out, c, depth + 1);
		if (ret == 0)
			ret = sdl_buf_puts(out, c->next ? ",\n" : "\n");
	}
	if (ret == 0)
		ret = indent(out, depth);
	if (ret == 0)
		ret = sdl_buf_putc(out, obj ? '}' : ']');
	return ret;
}

int sdl_json_render(struct sdl_buf *out, const cJSON *json)
{
	size_t start = out->len;
	int ret;

	if (!json)
		return sdl_error_set(SDL_EINTERNAL, "rendering a NULL JSON tree");
	ret = render_value(out, json, 0);
	if (ret == 0)
		ret = sdl_buf_putc(out, '\n');
	if (ret < 0)
		sdl_buf_truncate(out, start);
	return ret;
}

int sdl_json_write_file(const char *path, const cJSON *json)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int ret = sdl_json_render(&b, json);
	if (ret == 0)
		ret = sdl_fs_write_atomic(path, b.ptr, b.len);
	sdl_buf_release(&b);
	return ret;
}

const char *sdl_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *sdl_json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *sdl_json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsArray(v) ? v : NULL;
}

double sdl_json_num(const cJSON *obj, const char *key, double fallback)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

int sdl_json_bool(const cJSON *obj, const char *key, int fallback)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : fallback;
}

int sdl_json_add(cJSON *parent, const char *key, cJSON *child)
{
	cJSON_bool ok;

	sdl_json_init();
	if (!child)
		return sdl_error_set(SDL_ENOMEM, "out of memory building JSON");
	if (!parent) {
		cJSON_Delete(child);
		return sdl_error_set(SDL_EINTERNAL, "adding to a NULL JSON parent");
	}
	ok = key ? cJSON_AddItemToObject(parent, key, child) : cJSON_AddItemToArray(parent, child);
	if (!ok) {
		cJSON_Delete(child);
		return sdl_error_set(SDL_ENOMEM, "out of memory building JSON");
	}
	return 0;
}

int sdl_json_add_str(cJSON *obj, const char *key, const char *value)
{
	sdl_json_init();
	if (!value)
		return 0;
	return sdl_json_add(obj, key, cJSON_CreateString(value));
}

int sdl_json_add_num(cJSON *obj, const char *key, double value)
{
	sdl_json_init();
	return sdl_json_add(obj, key, cJSON_CreateNumber(value));
}

int sdl_json_add_bool(cJSON *obj, const char *key, int value)
{
	sdl_json_init();
	return sdl_json_add(obj, key, cJSON_CreateBool(value != 0));
}
