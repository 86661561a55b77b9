/* sdl-sbom: command line. Options, one call, render, exit code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/cli.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/git.h"
#include "lib/progress.h"
#include "run.h"
#include "scope.h"
#include "signatures.h"
#include "vulns.h"
#include "lib/banned.h"

static const char *const tool = "sdl-sbom";

enum {
	OPT_REPO = SDL_OPT_FIRST_TOOL,
	OPT_REV,
	OPT_NO_HISTORY,
	OPT_CACHE,
	OPT_NO_CACHE,
	OPT_SIGNATURES,
	OPT_VULNS,
	OPT_VEX,
	OPT_AUTHOR,
	OPT_FAIL_ON_VULNS,
	OPT_EXCLUDE,
	OPT_TEST_PATH,
	OPT_CONFIG,
	OPT_NO_CONFIG,
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: %s [OPTIONS]\n"
		     "Find the third-party components of a git repository and its history;\n"
		     "write them as CycloneDX 1.6 or SPDX 2.3 JSON.\n\n"
		     "      --repo DIR        repository to inspect (default: .)\n"
		     "      --rev REV         revision whose components are listed (default: HEAD)\n"
		     "      --no-history      scan only REV, not its first-parent history\n"
		     "      --cache DIR       history cache (default: <gitdir>/sdl-sbom-cache)\n"
		     "      --no-cache        neither read nor write the history cache\n"
		     "      --signatures DIR  component signatures (default: the installed rules/components)\n"
		     "      --vulns DIR       match against offline OSV records (*.json) under DIR\n"
		     "      --vex FILE        apply OpenVEX or CycloneDX VEX statements (repeatable)\n"
		     "      --fail-on-vulns   exit 1 when a vulnerability of a product component is\n"
		     "                        not resolved by VEX\n"
		     "      --exclude GLOB    drop components under GLOB (repository-relative, '*'\n"
		     "                        within a segment, '**' any segments; repeatable)\n"
		     "      --test-path GLOB  components under GLOB are test-only (repeatable)\n"
		     "      --config FILE     scope configuration instead of REV's .sdl-sbom.json\n"
		     "      --no-config       ignore REV's .sdl-sbom.json\n"
		     "      --author TEXT     the SBOM's author, \"Name <email>\" (default: sdl-sbom)\n"
		     "      --format NAME     cyclonedx (default) or spdx\n"
		     "  -o, --output FILE     write the result to FILE ('-' = stdout, the default)\n"
		     "  -q, --quiet           no progress line and no summary line\n"
		     "  -h, --help            show this help\n"
		     "      --version         show the version\n\n"
		     "Exit: 0 ok, 1 unresolved vulnerabilities with --fail-on-vulns, 2 bad usage or\n"
		     "unusable input, 3 internal error. Timestamps: SOURCE_DATE_EPOCH, else the\n"
		     "revision's commit date.\n", tool);
}

#define MAX_VEX 16

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SDL_CLI_COMMON_LONGOPTS,
		{ "repo", required_argument, NULL, OPT_REPO },
		{ "rev", required_argument, NULL, OPT_REV },
		{ "no-history", no_argument, NULL, OPT_NO_HISTORY },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "signatures", required_argument, NULL, OPT_SIGNATURES },
		{ "vulns", required_argument, NULL, OPT_VULNS },
		{ "vex", required_argument, NULL, OPT_VEX },
		{ "author", required_argument, NULL, OPT_AUTHOR },
		{ "fail-on-vulns", no_argument, NULL, OPT_FAIL_ON_VULNS },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "test-path", required_argument, NULL, OPT_TEST_PATH },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ 0, 0, 0, 0 }
	};
	static const char *const formats[] = { "cyclonedx", "spdx", NULL };
	struct sdl_cli_common common = { 0 };
	struct sbom_options opt = { "HEAD", 1, NULL, NULL };
	struct sbom_emit_options eopt = { 0, "sdl-sbom", NULL, NULL };
	struct sbom_sigpack sigs;
	struct sbom_result res;
	struct sdl_buf out = SDL_BUF_INIT;
	const char *repo_dir = ".", *sigdir = SDL_RULES_DIR "/components", *vulns = NULL;
	const char *vex[MAX_VEX];
	size_t nvex = 0;
	char author[512] = "";
	git_repository *repo = NULL;
	struct sbom_scope_config flags = { 0 }, cfg = { 0 };
	const char *config_file = NULL;
	int no_config = 0;
	int c, fmt = 0, rc, exit_code = SDL_EXIT_OK, fail_on_vulns = 0;
	long long sde;

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
		case OPT_REPO:
			repo_dir = optarg;
			break;
		case OPT_REV:
			opt.rev = optarg;
			break;
		case OPT_NO_HISTORY:
			opt.history = 0;
			break;
		case OPT_CACHE:
			opt.cache_dir = optarg;
			break;
		case OPT_NO_CACHE:
			opt.cache_dir = "";
			break;
		case OPT_SIGNATURES:
			sigdir = optarg;
			break;
		case OPT_VULNS:
			vulns = optarg;
			break;
		case OPT_VEX:
			if (nvex == MAX_VEX)
				return sdl_cli_usage(tool, "more than %d --vex files", MAX_VEX);
			vex[nvex++] = optarg;
			break;
		case OPT_AUTHOR:
			snprintf(author, sizeof(author), "%s", optarg);
			break;
		case OPT_FAIL_ON_VULNS:
			fail_on_vulns = 1;
			break;
		case OPT_EXCLUDE:
		case OPT_TEST_PATH:
			rc = c == OPT_EXCLUDE ? sbom_scope_add_pattern(&flags.exclude, &flags.nexclude, optarg)
					      : sbom_scope_add_pattern(&flags.test_paths, &flags.ntest_paths, optarg);
			if (rc < 0) {
				sbom_scope_config_release(&flags);
				if (rc == SDL_ENOMEM)
					return sdl_cli_fail(tool, rc);
				return sdl_cli_usage(tool, "%s: %s", c == OPT_EXCLUDE ? "--exclude" : "--test-path",
						     sdl_error_last());
			}
			break;
		case OPT_CONFIG:
			config_file = optarg;
			break;
		case OPT_NO_CONFIG:
			no_config = 1;
			break;
		default:
			sbom_scope_config_release(&flags);
			return sdl_cli_usage(tool, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc || (config_file && no_config) || sdl_cli_pick_format(&fmt, tool, common.format, formats) != 0) {
		sbom_scope_config_release(&flags);
		if (optind < argc)
			return sdl_cli_usage(tool, "unexpected argument '%s'", argv[optind]);
		if (config_file && no_config)
			return sdl_cli_usage(tool, "--config and --no-config exclude each other");
		return SDL_EXIT_BADINPUT;
	}
	if (*author) {
		char *lt = strchr(author, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		if (lt && gt) {
			*gt = '\0';
			eopt.author_email = lt + 1;
			while (lt > author && lt[-1] == ' ')
				lt--;
			*lt = '\0';
		}
		eopt.author_name = author;
	}
	if (!common.output)
		common.output = "-";
	sdl_progress_init(common.quiet);
	sdl_alloc_install_cjson_hooks();
	sbom_result_init(&res);
	memset(&sigs, 0, sizeof(sigs));
	if ((rc = sbom_sigpack_load(&sigs, sigdir)) < 0) {
		sbom_scope_config_release(&flags);
		return sdl_cli_fail(tool, rc);
	}
	if ((rc = sdl_git_init()) < 0) {
		sbom_scope_config_release(&flags);
		sbom_sigpack_release(&sigs);
		return sdl_cli_fail(tool, rc);
	}
	/*
	 * Speed and memory on long histories (bench/sbom): the scanner keeps the
	 * trees it needs itself (the latest version of each folder, for the diff
	 * against the next one, and the subtrees signatures look into), so
	 * libgit2's object cache holds no trees: by default it would keep every
	 * small tree of the history. Objects are not re-hashed on every read (git
	 * log does not either); a corrupt object still fails to inflate or parse
	 * and is reported.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (!sdl_fs_is_dir(repo_dir)) {
		rc = sdl_error_set(SDL_ENOTFOUND, "%s: no such directory", repo_dir);
		goto fail;
	}
	if ((rc = sdl_git_open(&repo, repo_dir)) < 0) {
		sdl_error_wrap(rc, "%s", repo_dir);
		if (rc == SDL_ENOTFOUND)
			rc = SDL_EINVAL;
		goto fail;
	}
	opt.repo_label = repo_dir;
	if ((rc = sbom_run(&res, repo, &sigs, &opt)) < 0) {
		/* a damaged repository is unusable input, whatever libgit2 called it */
		if (rc == SDL_EINTERNAL)
			rc = SDL_EINVAL;
		goto fail;
	}
	/*
	 * Scope configuration: the file named by --config (the user's: malformed
	 * is bad usage), else REV's .sdl-sbom.json (the repository's: malformed
	 * is noted, not fatal). Each list given by flags replaces the file's.
	 */
	if (config_file) {
		struct sdl_buf text = SDL_BUF_INIT;
		rc = sdl_fs_read_file(&text, config_file, SBOM_CONFIG_MAX_BYTES);
		if (rc == 0)
			rc = sbom_scope_config_parse(&cfg, text.ptr, text.len, config_file);
		sdl_buf_release(&text);
		if (rc < 0)
			goto fail;
		cfg.exclude_origin = cfg.test_origin = config_file;
	} else if (!no_config && (rc = sbom_scope_config_from_repo(&cfg, &res, repo)) < 0) {
		goto fail;
	}
	if (flags.nexclude) {
		for (size_t i = 0; i < cfg.nexclude; i++)
			sdl_free(cfg.exclude[i]);
		sdl_free(cfg.exclude);
		cfg.exclude = flags.exclude;
		cfg.nexclude = flags.nexclude;
		cfg.exclude_origin = "--exclude";
		flags.exclude = NULL;
		flags.nexclude = 0;
	}
	if (flags.ntest_paths) {
		for (size_t i = 0; i < cfg.ntest_paths; i++)
			sdl_free(cfg.test_paths[i]);
		sdl_free(cfg.test_paths);
		cfg.test_paths = flags.test_paths;
		cfg.ntest_paths = flags.ntest_paths;
		cfg.test_origin = "--test-path";
		flags.test_paths = NULL;
		flags.ntest_paths = 0;
	}
	if ((rc = sbom_scope_apply(&res, &sigs, &cfg)) < 0)
		goto fail;
	if (vulns && (rc = sbom_vulns_match(&res, vulns, repo)) < 0)
		goto fail;
	for (size_t i = 0; i < nvex; i++)
		if ((rc = sbom_vex_apply(&res, vex[i])) < 0)
			goto fail;
	sde = sdl_cli_source_date_epoch();
	eopt.timestamp = sde >= 0 ? (int64_t)sde : res.commit_time;
	eopt.sigpack_hash = sigs.hash;
	rc = fmt == 0 ? sbom_emit_cyclonedx(&out, &res, &eopt) : sbom_emit_spdx(&out, &res, &eopt);
	if (rc < 0 || (rc = sdl_fs_write_atomic(common.output, out.ptr, out.len)) < 0)
		goto fail;
	{
		size_t unknown = 0, open_vulns = 0, open_product = 0, vexed = 0, product = 0;
		for (size_t i = 0; i < res.ninst; i++) {
			unknown += res.inst[i].comp->kind == SBOM_UNKNOWN;
			product += res.inst[i].scope == SBOM_SCOPE_PRODUCT;
		}
		for (size_t i = 0; i < res.nvulns; i++) {
			const char *st = res.vulns[i].state;
			if (st && (!strcmp(st, "not_affected") || !strcmp(st, "resolved") ||
				   !strcmp(st, "false_positive"))) {
				vexed++;
			} else {
				open_vulns++;
				open_product += res.vulns[i].scope == SBOM_SCOPE_PRODUCT;
			}
		}
		if (!common.quiet) {
			for (size_t i = 0; i < res.nnotes; i++)
				fprintf(stderr, "%s: warning: %s: %s\n", tool, res.notes[i].path,
					res.notes[i].reason);
			fprintf(stderr,
				"%s: %zu component(s): %zu in product, %zu test/example-only (%zu of unknown "
				"identity) at %.12s; %zu commit(s) examined%s; %zu not examined; %zu exclude "
				"pattern(s); vulnerabilities: %zu open, %zu resolved by VEX (%zu open in "
				"test/example-only components)\n",
				tool, res.ninst, product, res.ninst - product, unknown, res.commit,
				res.commits_walked, res.commits_cached ? " (incremental, from cache)" : "",
				res.nnotes, res.nexcluded, open_vulns, vexed, open_vulns - open_product);
		}
		/* vulnerabilities of test/example-only components do not fail the run */
		if (fail_on_vulns && open_product)
			exit_code = SDL_EXIT_FINDINGS;
	}
	goto done;
fail:
	exit_code = sdl_cli_fail(tool, rc);
done:
	sdl_buf_release(&out);
	sbom_scope_config_release(&flags);
	sbom_scope_config_release(&cfg);
	sbom_result_release(&res);
	sbom_sigpack_release(&sigs);
	git_repository_free(repo);
	sdl_git_shutdown();
	return exit_code;
}
