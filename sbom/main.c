/* sdl-sbom: command line. Options, one call, render, exit code. */
#include <getopt.h>
#include <stdio.h>

#include "lib/cli.h"
#include "lib/error.h"
#include "lib/banned.h"

static const char *const tool = "sdl-sbom";

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s [OPTIONS]\n"
		     "  -o, --output FILE   write the result to FILE ('-' = stdout)\n"
		     "      --format NAME   output format\n"
		     "  -q, --quiet         no progress line\n"
		     "  -h, --help          show this help\n"
		     "      --version       show the version\n", tool);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = { SDL_CLI_COMMON_LONGOPTS, { 0, 0, 0, 0 } };
	struct sdl_cli_common common = { 0 };
	(void)common; /* used once the tool runs */
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, SDL_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case SDL_OPT_HELP:
			usage(stdout);
			return SDL_EXIT_OK;
		case SDL_OPT_VERSION:
			sdl_cli_print_version(stdout, tool);
			return SDL_EXIT_OK;
		case SDL_OPT_OUTPUT:
			common.output = optarg;
			break;
		case SDL_OPT_FORMAT:
			common.format = optarg;
			break;
		case SDL_OPT_QUIET:
			common.quiet = 1;
			break;
		default:
			return sdl_cli_usage(tool, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	return sdl_cli_usage(tool, "not implemented yet");
}
