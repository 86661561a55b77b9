#include "lib/progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "lib/banned.h"

static int enabled;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void sdl_progress_init(int quiet)
{
	enabled = !quiet && isatty(STDERR_FILENO);
}

int sdl_progress_enabled(void)
{
	return enabled;
}

void sdl_progress_update(const char *fmt, ...)
{
	va_list ap;
	if (!enabled)
		return;
	pthread_mutex_lock(&lock);
	fputc('\r', stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}

void sdl_progress_done(void)
{
	if (!enabled)
		return;
	pthread_mutex_lock(&lock);
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}
