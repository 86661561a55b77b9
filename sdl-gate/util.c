/* sdl-gate: small helpers (string lists, ISO 8601 dates, error locations). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

void gate_strv_release(struct gate_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		sdl_free(s->v[i]);
	sdl_free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

int gate_strv_push(struct gate_strv *s, const char *str)
{
	char *dup;
	if (s->n >= GATE_MAX_LIST)
		return sdl_error_set(SDL_ELIMIT, "more than %d entries in a list", GATE_MAX_LIST);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = sdl_reallocarray(s->v, cap, sizeof(*v));
		if (!v)
			return SDL_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	dup = sdl_strdup(str);
	if (!dup)
		return SDL_ENOMEM;
	s->v[s->n++] = dup;
	return 0;
}

int gate_strv_has(const struct gate_strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

int gate_strv_push_unique(struct gate_strv *s, const char *str)
{
	return gate_strv_has(s, str) ? 0 : gate_strv_push(s, str);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void gate_strv_sort(struct gate_strv *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

int gate_strv_sorted_has(const struct gate_strv *s, const char *str)
{
	return s->n && bsearch(&str, s->v, s->n, sizeof(*s->v), cmp_str) != NULL;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int gate_parse_time(long long *out, const char *s)
{
	const char *p = s;
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
	time_t t;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (!s)
		return sdl_error_set(SDL_EINVAL, "missing date");
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d))
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			goto bad;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &se))
				goto bad;
			if (*p == '.') {
				p++;
				if (!isdigit((unsigned char)*p))
					goto bad;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			goto bad;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1, oh, om;
			p++;
			if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 ||
			    om > 59)
				goto bad;
			off = sign * (oh * 3600 + om * 60);
		} else {
			goto bad;
		}
	}
	if (*p)
		goto bad;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (t == (time_t)-1)
		goto bad;
	*out = (long long)t - off;
	return 0;
bad:
	return sdl_error_set(SDL_EINVAL, "'%.40s' is not an ISO 8601 date (YYYY-MM-DD[THH:MM:SSZ])",
			     s);
}

void gate_format_time(char *buf, size_t size, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "?");
}

void gate_locate(char *out, size_t size, const char *file, const char *data, size_t len,
		 const char *needle)
{
	size_t nl = strlen(needle);
	unsigned long line = 1, col = 1;
	if (data && nl && nl <= len) {
		for (size_t i = 0; i + nl <= len; i++) {
			if (memcmp(data + i, needle, nl) == 0) {
				snprintf(out, size, "%s:%lu:%lu", file, line, col);
				return;
			}
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
	}
	snprintf(out, size, "%s", file);
}

const char *gate_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return hay;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

int gate_json_load(cJSON **out, struct sdl_buf *raw, const char *path, size_t max)
{
	struct sdl_json_limits lim = sdl_json_default_limits;
	int rc;
	*out = NULL;
	rc = sdl_fs_read_file(raw, path, max);
	if (rc < 0)
		return rc;
	lim.max_bytes = max;
	return sdl_json_parse(out, raw->ptr, raw->len, path, &lim);
}

/*
 * CWE-117 (log neutralisation) and CWE-150 (escape sequences): a C0 control
 * byte, DEL or a UTF-8 encoded C1 control (U+0080..U+009F, e.g. CSI) would
 * end a report line or drive the terminal. They become \n, \r, \t, \xNN or
 * \u00NN; the backslash itself is doubled so the form stays unambiguous.
 */
int gate_text_escape(struct sdl_buf *out, const char *s)
{
	int ret = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && ret == 0; p++) {
		if (*p == '\\')
			ret = sdl_buf_puts(out, "\\\\");
		else if (*p == '\n')
			ret = sdl_buf_puts(out, "\\n");
		else if (*p == '\r')
			ret = sdl_buf_puts(out, "\\r");
		else if (*p == '\t')
			ret = sdl_buf_puts(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			ret = sdl_buf_printf(out, "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			ret = sdl_buf_printf(out, "\\u%04x", (unsigned)*++p);
		else
			ret = sdl_buf_putc(out, (char)*p);
	}
	return ret;
}

int gate_text_needs_escape(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 1;
	return 0;
}
