/*
 * The option convention shared by all tools: --help, --version, -o FILE
 * ("-" = stdout), --format NAME, --quiet. Each main() keeps its own
 * getopt_long table and includes SDL_CLI_COMMON_LONGOPTS in it.
 */
#ifndef SDL_CLI_H
#define SDL_CLI_H

#include <getopt.h>
#include <stdio.h>

/* Long-only option values, above any short option character. */
enum sdl_cli_opt {
	SDL_OPT_HELP = 'h',
	SDL_OPT_OUTPUT = 'o',
	SDL_OPT_QUIET = 'q',
	SDL_OPT_VERSION = 0x100,
	SDL_OPT_FORMAT,
	SDL_OPT_FIRST_TOOL, /* tools number their own long options from here */
};

#define SDL_CLI_COMMON_SHORTOPTS "ho:q"
#define SDL_CLI_COMMON_LONGOPTS                                   \
	{ "help", no_argument, NULL, SDL_OPT_HELP },              \
	{ "version", no_argument, NULL, SDL_OPT_VERSION },        \
	{ "output", required_argument, NULL, SDL_OPT_OUTPUT },    \
	{ "format", required_argument, NULL, SDL_OPT_FORMAT },    \
	{ "quiet", no_argument, NULL, SDL_OPT_QUIET }

struct sdl_cli_common {
	const char *output; /* NULL until -o; "-" = stdout */
	const char *format; /* NULL until --format */
	int quiet;
};

/* Print "<tool> <version>" and the versions of the libraries it links. */
void sdl_cli_print_version(FILE *out, const char *tool);

/*
 * Report bad usage: prints "<tool>: <message>" and "Try '<tool> --help'." on
 * stderr and returns SDL_EXIT_BADINPUT, for `return sdl_cli_usage(...)`.
 */
int sdl_cli_usage(const char *tool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Report a failure from the last error: prints "<tool>: <sdl_error_last()>"
 * on stderr and returns the exit code for err.
 */
int sdl_cli_fail(const char *tool, int err);

/*
 * Check --format against the accepted names (NULL-terminated); sets *out to
 * the index of the match, or prints a usage error and returns SDL_EXIT_BADINPUT.
 * A NULL format selects index 0.
 */
int sdl_cli_pick_format(int *out, const char *tool, const char *format,
			const char *const names[]);

/* SOURCE_DATE_EPOCH if set and valid, else -1 (the caller decides whether to use the clock). */
long long sdl_cli_source_date_epoch(void);

#endif
