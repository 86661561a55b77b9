#include "lib/cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <git2.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/version.h"
#include "lib/banned.h"

void sdl_cli_print_version(FILE *out, const char *tool)
{
	int major, minor, rev;
	git_libgit2_version(&major, &minor, &rev);
	fprintf(out, "%s %s\n", tool, SDL_VERSION);
	fprintf(out, "  cJSON %s, libgit2 %d.%d.%d, %s\n", cJSON_Version(), major, minor,
		rev, OpenSSL_version(OPENSSL_VERSION));
}

int sdl_cli_usage(const char *tool, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", tool);
	return SDL_EXIT_BADINPUT;
}

int sdl_cli_fail(const char *tool, int err)
{
	const char *msg = sdl_error_last();
	fprintf(stderr, "%s: %s\n", tool, msg[0] ? msg : "unknown error");
	return sdl_exit_code_for(err);
}

int sdl_cli_pick_format(int *out, const char *tool, const char *format,
			const char *const names[])
{
	size_t i;
	if (!format) {
		*out = 0;
		return 0;
	}
	for (i = 0; names[i]; i++) {
		if (strcmp(format, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	return sdl_cli_usage(tool, "unknown format '%s'", format);
}

long long sdl_cli_source_date_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;
	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return -1;
	return v;
}
