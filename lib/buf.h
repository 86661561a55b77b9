/*
 * A bounded, growable string buffer.
 *
 * The contents are always NUL-terminated (ptr is never NULL after init: it
 * points at a static "" until the first write). Growth past `max` bytes of
 * content fails with SDL_ELIMIT and leaves the buffer as it was, so a reader
 * of hostile input cannot be made to allocate without bound.
 * Ownership leaves the buffer only through sdl_buf_detach().
 */
#ifndef SDL_BUF_H
#define SDL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct sdl_buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the static empty string */
	size_t max; /* largest len allowed */
};

/* Default bound for buffers without a more specific limit: 256 MiB. */
#define SDL_BUF_DEFAULT_MAX ((size_t)256 << 20)

#define SDL_BUF_INIT { (char *)sdl_buf__empty, 0, 0, SDL_BUF_DEFAULT_MAX }
extern const char sdl_buf__empty[1];

/* Set up an empty buffer holding at most `max` bytes; allocates nothing. */
void sdl_buf_init(struct sdl_buf *b, size_t max);
/* Free the contents; the buffer is empty and reusable afterwards. */
void sdl_buf_release(struct sdl_buf *b);
/* Empty the contents, keeping the allocation. */
void sdl_buf_clear(struct sdl_buf *b);
/* Make room for `extra` more bytes (plus the terminator). */
int sdl_buf_grow(struct sdl_buf *b, size_t extra);

int sdl_buf_put(struct sdl_buf *b, const void *data, size_t len);
int sdl_buf_puts(struct sdl_buf *b, const char *s);
int sdl_buf_putc(struct sdl_buf *b, char c);
int sdl_buf_printf(struct sdl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sdl_buf_vprintf(struct sdl_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Shorten to len bytes (len <= b->len). */
void sdl_buf_truncate(struct sdl_buf *b, size_t len);

/*
 * Hand the contents to the caller, who frees them with sdl_free(); the buffer
 * is left empty. Returns NULL (SDL_ENOMEM) only if an empty buffer cannot be
 * copied out.
 */
char *sdl_buf_detach(struct sdl_buf *b, size_t *len_out);

#endif
