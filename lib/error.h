/*
 * The error model every module follows.
 *
 * Functions return int: 0 on success, a negative sdl_err code on failure.
 * The failing function leaves a one-line, human-readable message (naming the
 * file and the problem) in a thread-local slot that sdl_error_last() returns.
 * Only main() prints it and picks the exit code (sdl_exit_code_for()).
 */
#ifndef SDL_ERROR_H
#define SDL_ERROR_H

#include <stddef.h>

enum sdl_err {
	SDL_OK = 0,
	SDL_EINTERNAL = -1, /* a broken invariant or an unexpected library failure */
	SDL_EINVAL = -2,    /* bad input: malformed, wrong type, escapes the tree */
	SDL_ENOTFOUND = -3, /* a named file, object or key does not exist */
	SDL_ENOMEM = -4,    /* an allocation failed */
	SDL_EIO = -5,       /* reading or writing failed (disk full, EIO) */
	SDL_ELIMIT = -6,    /* input exceeds a named size, depth or count limit */
	SDL_EUSAGE = -7,    /* bad command-line usage */
};

/* Exit codes shared by every tool (ARCHITECTURE.md). */
enum sdl_exit {
	SDL_EXIT_OK = 0,       /* success, release allowed */
	SDL_EXIT_FINDINGS = 1, /* findings above threshold, release refused */
	SDL_EXIT_BADINPUT = 2, /* bad usage or bad input */
	SDL_EXIT_INTERNAL = 3, /* internal error */
};

/*
 * Record a failure: formats the message (printf-style) into the thread-local
 * slot, truncating past SDL_ERROR_MAX bytes, and returns `code` so callers can
 * write `return sdl_error_set(SDL_EINVAL, "%s: bad header", path);`.
 */
int sdl_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like sdl_error_set(), appending ": " and strerror(errnum). */
int sdl_error_set_errno(int code, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prefix the current message with "prefix: ", e.g. the file a lower layer did
 * not know about. Returns `code` unchanged.
 */
int sdl_error_wrap(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The last message of this thread; "" if none. Never NULL; owned by the library. */
const char *sdl_error_last(void);

/* The code passed with the last message of this thread (SDL_OK if none). */
int sdl_error_last_code(void);

void sdl_error_clear(void);

/* Map a negative sdl_err code to the exit code main() should return. */
int sdl_exit_code_for(int err);

#define SDL_ERROR_MAX 1024

#endif
