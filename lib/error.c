#include "lib/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "lib/banned.h"

static _Thread_local char last_message[SDL_ERROR_MAX];
static _Thread_local int last_code;

/*
 * A message is one line: control characters that input smuggled in (a file
 * name with a newline or an escape sequence) become '?', so hostile input
 * cannot forge extra diagnostics in a CI log or drive the terminal
 * (CWE-117, CWE-150).
 */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			*s = '?';
}

/* last_message = a + ": " + b, truncated to fit. */
static void set_joined(const char *a, const char *b)
{
	size_t len = 0;
	const char *parts[3] = { a, ": ", b };
	size_t i;
	for (i = 0; i < 3; i++) {
		size_t n = strlen(parts[i]);
		if (n > sizeof(last_message) - 1 - len)
			n = sizeof(last_message) - 1 - len;
		memcpy(last_message + len, parts[i], n);
		len += n;
	}
	last_message[len] = '\0';
	one_line(last_message);
}

__attribute__((format(printf, 3, 0)))
static void format_into(char *dst, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, size, fmt, ap);
	if (n < 0)
		snprintf(dst, size, "(unprintable error message)");
	one_line(dst);
}

int sdl_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_into(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int sdl_error_set_errno(int code, int errnum, const char *fmt, ...)
{
	char head[SDL_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	format_into(head, sizeof(head), fmt, ap);
	va_end(ap);
	set_joined(head, strerror(errnum));
	last_code = code;
	return code;
}

int sdl_error_wrap(int code, const char *fmt, ...)
{
	char head[SDL_ERROR_MAX];
	char tail[SDL_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	format_into(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(tail, last_message, sizeof(tail));
	if (tail[0])
		set_joined(head, tail);
	else
		memcpy(last_message, head, sizeof(last_message));
	last_code = code;
	return code;
}

const char *sdl_error_last(void)
{
	return last_message;
}

int sdl_error_last_code(void)
{
	return last_code;
}

void sdl_error_clear(void)
{
	last_message[0] = '\0';
	last_code = SDL_OK;
}

int sdl_exit_code_for(int err)
{
	switch (err) {
	case SDL_OK:
		return SDL_EXIT_OK;
	case SDL_EINVAL:
	case SDL_ENOTFOUND:
	case SDL_ELIMIT:
	case SDL_EUSAGE:
		return SDL_EXIT_BADINPUT;
	default:
		return SDL_EXIT_INTERNAL;
	}
}
