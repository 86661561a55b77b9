#include "lib/buf.h"

#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

const char sdl_buf__empty[1] = "";

void sdl_buf_init(struct sdl_buf *b, size_t max)
{
	b->ptr = (char *)sdl_buf__empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void sdl_buf_release(struct sdl_buf *b)
{
	if (b->cap)
		sdl_free(b->ptr);
	sdl_buf_init(b, b->max);
}

void sdl_buf_clear(struct sdl_buf *b)
{
	if (b->cap) {
		b->len = 0;
		b->ptr[0] = '\0';
	}
}

int sdl_buf_grow(struct sdl_buf *b, size_t extra)
{
	size_t want, newcap;
	char *p;

	if (sdl_size_add(&want, b->len, extra) < 0 || want > b->max)
		return sdl_error_set(SDL_ELIMIT,
				     "buffer limit of %zu bytes exceeded", b->max);
	if (want < b->cap)
		return 0;
	newcap = b->cap ? b->cap : 64;
	while (newcap <= want)
		newcap = newcap > ((size_t)-1) / 2 ? want + 1 : newcap * 2;
	if (newcap > b->max + 1)
		newcap = b->max + 1;
	p = b->cap ? sdl_realloc(b->ptr, newcap) : sdl_malloc(newcap);
	if (!p)
		return SDL_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = newcap;
	return 0;
}

int sdl_buf_put(struct sdl_buf *b, const void *data, size_t len)
{
	int err = sdl_buf_grow(b, len);
	if (err < 0)
		return err;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int sdl_buf_puts(struct sdl_buf *b, const char *s)
{
	return sdl_buf_put(b, s, strlen(s));
}

int sdl_buf_putc(struct sdl_buf *b, char c)
{
	return sdl_buf_put(b, &c, 1);
}

int sdl_buf_vprintf(struct sdl_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n, err;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return sdl_error_set(SDL_EINTERNAL, "unformattable output");
	err = sdl_buf_grow(b, (size_t)n);
	if (err < 0)
		return err;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int sdl_buf_printf(struct sdl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int err;
	va_start(ap, fmt);
	err = sdl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

void sdl_buf_truncate(struct sdl_buf *b, size_t len)
{
	if (b->cap && len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *sdl_buf_detach(struct sdl_buf *b, size_t *len_out)
{
	char *out;
	if (len_out)
		*len_out = b->len;
	if (!b->cap)
		out = sdl_strdup("");
	else
		out = b->ptr;
	sdl_buf_init(b, b->max);
	return out;
}
