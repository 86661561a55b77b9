/* sdl-analyze: command line. Options, one call, render, exit code. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "az.h"
#include "cache.h"
#include "compdb.h"
#include "report.h"
#include "run.h"
#include "sources.h"
#include "suppress.h"
#include "vcs.h"
#include "lib/alloc.h"
#include "lib/cli.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/git.h"
#include "lib/json.h"
#include "lib/progress.h"
#include "lib/sarif.h"
#include "lib/banned.h"

static const char *const tool = "sdl-analyze";

enum {
	OPT_RULES = SDL_OPT_FIRST_TOOL, OPT_LIST_RULES, OPT_CACHE, OPT_NO_CACHE, OPT_SHARD,
	OPT_FAIL_ON, OPT_AUDIT, OPT_KEEP_GOING, OPT_BASELINE, OPT_DIFF_BASE, OPT_STAGED,
	OPT_ROOT, OPT_HELP_URI_BASE, OPT_MAX_RESULTS,
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s -p BUILD_DIR [OPTIONS] [FILE...]\n"
		"       %s [OPTIONS] FILE... -- COMPILER_FLAGS\n"
		"       %s merge -o OUT IN.sarif...\n"
		"Secure-coding checks (CERT C, CWE) on libclang.\n"
		"  -p, --build-dir DIR    read DIR/compile_commands.json\n"
		"  -j, --jobs N           worker threads (default: number of cores)\n"
		"      --rules FILE       override rules of the pack (levels, parameters)\n"
		"      --list-rules       print the rules and exit\n"
		"      --audit            also report untrusted-data cases not proven (as notes)\n"
		"      --fail-on LEVEL    exit 1 on findings at or above LEVEL (note, warning, error,\n"
		"                         none; default warning)\n"
		"      --keep-going       exit 0/1 even if a translation unit fails to parse\n"
		"      --cache DIR        result cache (default BUILD_DIR/.sdl-analyze-cache)\n"
		"      --no-cache         do not read or write the cache\n"
		"      --shard K/N        analyse only the K-th of N parts of the database\n"
		"      --baseline FILE    report only results not in FILE (SARIF)\n"
		"      --diff-base REV    report only findings on lines changed since REV\n"
		"      --staged           analyse the content in the git index (pre-commit)\n"
		"      --root DIR         project root (default: the git work tree, else .)\n"
		"  -o, --output FILE      write the result to FILE ('-' = stdout)\n"
		"      --format NAME      text, sarif, json or gitlab-sast (default text)\n"
		"      --help-uri-base URL  SARIF helpUri = URL/<rule-id>.md (default: none)\n"
		"      --max-results N    SARIF results kept per run, most severe first\n"
		"                         (1 to 25000, default 25000)\n"
		"  -q, --quiet            no progress line, no notes\n"
		"  -h, --help             show this help\n"
		"      --version          show the version\n",
		tool, tool, tool);
}

static int list_rules(const struct az_pack *pack)
{
	for (size_t i = 0; i < pack->nrules; i++) {
		const struct az_rule *r = &pack->rules[i];
		const cJSON *it;
		printf("%-26s %-7s %-3s ", r->id, sdl_level_name(r->level), r->enabled ? "on" : "off");
		int first = 1;
		cJSON_ArrayForEach(it, r->cwe) {
			printf("%s%s", first ? "" : ",", it->valuestring);
			first = 0;
		}
		printf("%s", first ? "-" : "");
		printf(" ");
		first = 1;
		cJSON_ArrayForEach(it, r->cert) {
			printf("%s%s", first ? "" : ",", it->valuestring);
			first = 0;
		}
		printf("%s  %s\n", first ? "-" : "", r->summary);
	}
	return SDL_EXIT_OK;
}

static int merge_main(int argc, char **argv)
{
	static const struct option longopts[] = { SDL_CLI_COMMON_LONGOPTS, { 0, 0, 0, 0 } };
	const char *output = NULL;
	struct sdl_sarif_log dst;
	int c, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, SDL_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == SDL_OPT_OUTPUT)
			output = optarg;
		else if (c == SDL_OPT_HELP) {
			printf("Usage: %s merge -o OUT IN.sarif...\n", tool);
			return SDL_EXIT_OK;
		} else if (c != SDL_OPT_QUIET)
			return sdl_cli_usage(tool, "merge: unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (!output || optind >= argc)
		return sdl_cli_usage(tool, "merge needs -o OUT and at least one input");
	sdl_sarif_log_init(&dst);
	for (int i = optind; i < argc && !ret; i++) {
		struct sdl_sarif_log src;
		sdl_sarif_log_init(&src);
		ret = sdl_sarif_read_file(&src, argv[i]);
		if (!ret)
			ret = sdl_sarif_merge(&dst, &src);
		sdl_sarif_log_release(&src);
	}
	for (size_t r = 0; r < dst.nruns && !ret; r++) {
		/* a header seen by two shards reports its findings twice */
		sdl_findings_sort(&dst.runs[r].results);
		sdl_findings_dedup(&dst.runs[r].results);
	}
	if (!ret)
		ret = sdl_sarif_write_file(output, &dst);
	sdl_sarif_log_release(&dst);
	return ret ? sdl_cli_fail(tool, ret) : SDL_EXIT_OK;
}

/* Print pre, s with its control characters escaped (T-6a), post. */
static void eprint_escaped(const char *pre, const char *s, const char *post)
{
	struct sdl_buf b = SDL_BUF_INIT;
	if (az_text_escape(&b, s) < 0)
		sdl_buf_release(&b);
	fprintf(stderr, "%s%s%s", pre, b.ptr ? b.ptr : "?", post);
	sdl_buf_release(&b);
}

/*
 * A header given as FILE is analysed through a translation unit that
 * includes it: report only the files that were asked for, not that unit.
 */
static void keep_requested(struct sdl_findings *list, char *const *files, size_t nfiles,
			   const char *root)
{
	size_t rl = strlen(root), keep = 0;
	char real[PATH_MAX];
	for (size_t i = 0; i < list->count; i++) {
		struct sdl_finding *f = &list->items[i];
		int hit = 0;
		for (size_t k = 0; k < nfiles && !hit && f->path; k++)
			hit = realpath(files[k], real) && !strncmp(real, root, rl) &&
			      real[rl] == '/' && !strcmp(real + rl + 1, f->path);
		if (hit)
			list->items[keep++] = *f;
		else
			sdl_finding_release(f);
	}
	list->count = keep;
}

static void print_errors(const struct az_run_out *run, int keep_going)
{
	for (size_t i = 0; i < run->nerrors && i < 20; i++)
		eprint_escaped(keep_going ? "sdl-analyze: warning: " : "sdl-analyze: error: ",
			       run->errors[i], "\n");
	if (run->nerrors > 20)
		fprintf(stderr, "%s: ... and %zu more parse errors\n", tool, run->nerrors - 20);
}

static int parse_shard(unsigned *k, unsigned *n, const char *s)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b;
	if (end == s || *end != '/')
		return -1;
	const char *p = end + 1;
	b = strtoul(p, &end, 10);
	if (end == p || *end || a < 1 || b < 1 || a > b || b > 100000)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/*
 * --root, else the git work tree around the compile database's directory
 * (so `-p /path/to/build` works from anywhere), else the one around the
 * current directory, else the current directory.
 */
static int find_root(char *out, size_t size, const char *given, const char *build_dir)
{
	char real[PATH_MAX];
	if (given) {
		if (!realpath(given, real))
			return sdl_error_set(SDL_ENOTFOUND, "%s: no such directory", given);
		snprintf(out, size, "%s", real);
		return 0;
	}
	const char *from[] = { build_dir, "." };
	for (size_t i = 0; i < 2; i++) {
		git_repository *repo = NULL;
		if (!from[i])
			continue;
		int ok = sdl_git_open(&repo, from[i]) == 0 && sdl_git_workdir(repo) &&
			 realpath(sdl_git_workdir(repo), real);
		git_repository_free(repo);
		sdl_error_clear();
		if (ok) {
			snprintf(out, size, "%s", real);
			return 0;
		}
	}
	if (!realpath(".", real))
		return sdl_error_set(SDL_EIO, "cannot resolve the current directory");
	snprintf(out, size, "%s", real);
	return 0;
}

/* Keep only jobs whose file is in `changed` (relative to the work tree). */
static void keep_changed(struct az_jobs *jobs, char **changed, size_t n, const char *workdir)
{
	size_t keep = 0;
	for (size_t i = 0; i < jobs->n; i++) {
		int hit = 0;
		for (size_t c = 0; c < n && !hit; c++) {
			char abs[PATH_MAX * 2];
			snprintf(abs, sizeof abs, "%s%s", workdir, changed[c]);
			hit = !strcmp(abs, jobs->v[i].file);
		}
		if (hit) {
			jobs->v[keep++] = jobs->v[i];
		} else {
			sdl_free(jobs->v[i].file);
			sdl_free(jobs->v[i].dir);
			az_strv_free(jobs->v[i].args, (size_t)jobs->v[i].nargs);
		}
	}
	jobs->n = keep;
}

/*
 * The gitlab-sast scan times: SOURCE_DATE_EPOCH (reproducible builds) for
 * both when set, else the start of the run and now, UTC.
 */
static int scan_times(char start[32], char end[32], time_t started)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t a = started, b = time(NULL);
	struct tm tm;
	if (sde && *sde) {
		char *e;
		long long v = strtoll(sde, &e, 10);
		if (*e || v < 0 || v > 253402300799LL) /* up to 9999-12-31T23:59:59 */
			return sdl_error_set(SDL_EINVAL, "SOURCE_DATE_EPOCH: not a number of seconds: '%s'", sde);
		a = b = (time_t)v;
	}
	if (!gmtime_r(&a, &tm) || !strftime(start, 32, "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !gmtime_r(&b, &tm) || !strftime(end, 32, "%Y-%m-%dT%H:%M:%S", &tm))
		return sdl_error_set(SDL_EINVAL, "cannot format the scan time");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SDL_CLI_COMMON_LONGOPTS,
		{ "build-dir", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "audit", no_argument, NULL, OPT_AUDIT },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "diff-base", required_argument, NULL, OPT_DIFF_BASE },
		{ "staged", no_argument, NULL, OPT_STAGED },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help-uri-base", required_argument, NULL, OPT_HELP_URI_BASE },
		{ "max-results", required_argument, NULL, OPT_MAX_RESULTS },
		{ 0, 0, 0, 0 }
	};
	static const char *const formats[] = { "text", "sarif", "json", "gitlab-sast", NULL };
	struct sdl_cli_common common = { 0 };
	const char *build_dir = NULL, *rules = NULL, *cache_dir = NULL, *baseline = NULL,
		   *diff_base = NULL, *root_opt = NULL, *help_base = NULL;
	size_t max_results = 0;
	time_t started = time(NULL);
	int list = 0, no_cache = 0, audit = 0, keep_going = 0, staged = 0, format = 0;
	unsigned shard_k = 0, shard_n = 0, threads = 0;
	enum sdl_level fail_on = SDL_LEVEL_WARNING;
	int c, ret = 0, exit_code = SDL_EXIT_OK;
	int nopt = argc;

	if (argc > 1 && !strcmp(argv[1], "merge"))
		return merge_main(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			nopt = i;
			break;
		}
	opterr = 0;
	while ((c = getopt_long(nopt, argv, SDL_CLI_COMMON_SHORTOPTS "p:j:", longopts, NULL)) != -1) {
		switch (c) {
		case SDL_OPT_HELP:
			usage(stdout);
			return SDL_EXIT_OK;
		case SDL_OPT_VERSION:
			sdl_cli_print_version(stdout, tool);
			return SDL_EXIT_OK;
		case SDL_OPT_OUTPUT: common.output = optarg; break;
		case SDL_OPT_FORMAT: common.format = optarg; break;
		case SDL_OPT_QUIET: common.quiet = 1; break;
		case 'p': build_dir = optarg; break;
		case 'j': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 1024)
				return sdl_cli_usage(tool, "-j needs a number from 1 to 1024, not '%s'", optarg);
			threads = (unsigned)n;
			break;
		}
		case OPT_RULES: rules = optarg; break;
		case OPT_LIST_RULES: list = 1; break;
		case OPT_CACHE: cache_dir = optarg; break;
		case OPT_NO_CACHE: no_cache = 1; break;
		case OPT_SHARD:
			if (parse_shard(&shard_k, &shard_n, optarg) < 0)
				return sdl_cli_usage(tool, "--shard needs K/N with 1 <= K <= N, not '%s'", optarg);
			break;
		case OPT_FAIL_ON:
			if (sdl_level_parse(&fail_on, optarg) < 0)
				return sdl_cli_usage(tool, "--fail-on needs note, warning, error or none, not '%s'",
						     optarg);
			break;
		case OPT_AUDIT: audit = 1; break;
		case OPT_KEEP_GOING: keep_going = 1; break;
		case OPT_BASELINE: baseline = optarg; break;
		case OPT_DIFF_BASE: diff_base = optarg; break;
		case OPT_STAGED: staged = 1; break;
		case OPT_ROOT: root_opt = optarg; break;
		case OPT_HELP_URI_BASE:
			if (strncmp(optarg, "https://", 8) && strncmp(optarg, "http://", 7))
				return sdl_cli_usage(tool, "--help-uri-base needs an http(s) URL, not '%s'", optarg);
			help_base = optarg;
			break;
		case OPT_MAX_RESULTS: {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > AZ_SARIF_MAX_RESULTS)
				return sdl_cli_usage(tool, "--max-results needs 1 to %d, not '%s'",
						     AZ_SARIF_MAX_RESULTS, optarg);
			max_results = n;
			break;
		}
		default:
			return sdl_cli_usage(tool, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (sdl_cli_pick_format(&format, tool, common.format, formats) != 0)
		return SDL_EXIT_BADINPUT;

	struct az_pack pack;
	struct az_jobs jobs = { 0 };
	struct az_run_out run = { 0 };
	struct az_sources sources;
	struct az_unsaved *unsaved = NULL;
	size_t nunsaved = 0;
	char **changed = NULL;
	size_t nchanged = 0;
	git_repository *repo = NULL;
	struct sdl_buf out = SDL_BUF_INIT;
	char root[PATH_MAX], cache_buf[PATH_MAX];
	int git_up = 0;

	sdl_alloc_install_cjson_hooks();
	az_sources_init(&sources, "", NULL, 0);
	ret = az_pack_load(&pack, NULL, rules);
	if (ret < 0)
		return sdl_cli_fail(tool, ret);
	if (list) {
		exit_code = list_rules(&pack);
		goto done;
	}
	char **files = argv + optind;
	size_t nfiles = (size_t)(nopt - optind);
	if (!build_dir && !nfiles) {
		exit_code = sdl_cli_usage(tool, "give -p BUILD_DIR or FILE... -- FLAGS");
		goto done;
	}
	sdl_progress_init(common.quiet);
	if (sdl_git_init() == 0)
		git_up = 1;
	ret = find_root(root, sizeof root, root_opt, build_dir);
	if (ret < 0)
		goto fail;

	if (staged || diff_base) {
		ret = sdl_git_open(&repo, root);
		if (ret < 0)
			goto fail;
	}
	int header_changed = 0;
	if (staged) {
		ret = az_vcs_staged(&unsaved, &nunsaved, &changed, &nchanged, &header_changed, repo);
		if (ret < 0)
			goto fail;
	}
	if (build_dir)
		ret = az_compdb_load(&jobs, build_dir, files, nfiles);
	else
		ret = az_jobs_from_files(&jobs, files, nfiles, argv + nopt + (nopt < argc),
					 (size_t)(argc - nopt - (nopt < argc)));
	if (ret < 0)
		goto fail;
	if (staged && build_dir && !nfiles && !header_changed)
		keep_changed(&jobs, changed, nchanged, sdl_git_workdir(repo));
	if (shard_n)
		az_jobs_shard(&jobs, shard_k, shard_n);
	if (build_dir && !cache_dir) {
		snprintf(cache_buf, sizeof cache_buf, "%s/.sdl-analyze-cache", build_dir);
		cache_dir = cache_buf;
	}
	if (no_cache || staged)
		cache_dir = NULL; /* --staged writes nothing and reads contents not on disk */
	if (cache_dir)
		az_cache_init();

	struct az_run_cfg cfg = {
		.opts = { .root = root, .audit = audit, .keep_going = keep_going, .pack = &pack,
			  .unsaved = unsaved, .nunsaved = nunsaved },
		.threads = threads ? threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN),
		.cache_dir = cache_dir,
	};
	ret = az_run(&run, &cfg, &jobs);
	if (ret < 0)
		goto fail;

	az_sources_release(&sources);
	az_sources_init(&sources, root, unsaved, nunsaved);
	ret = az_suppress_apply(&run.findings, &sources, run.artifacts, run.nartifacts, &pack);
	if (!ret && jobs.nvia_header)
		keep_requested(&run.findings, files, nfiles, root);
	if (!ret && diff_base)
		ret = az_vcs_diff_filter(&run.findings, repo, diff_base, &sources, root);
	if (!ret)
		sdl_findings_sort(&run.findings);
	if (!ret && baseline)
		ret = az_baseline_apply(&run.findings, baseline, &sources);
	else if (!ret)
		ret = sdl_findings_fingerprint(&run.findings, az_sources_line, &sources);
	if (!ret && sources.err)
		ret = sources.err;
	if (ret < 0)
		goto fail;

	char t_start[32] = "", t_end[32] = "";
	ret = format == 3 ? scan_times(t_start, t_end, started) : 0;
	if (ret < 0)
		goto fail;
	struct az_report_cfg rc = { &pack, root, 0, baseline != NULL, audit, fail_on,
				    help_base, max_results, t_start, t_end };
	size_t dropped = 0;
	size_t failing = 0;
	for (size_t i = 0; i < run.findings.count; i++)
		if (az_counts(&run.findings.items[i], &rc) && fail_on != SDL_LEVEL_NONE &&
		    run.findings.items[i].level >= fail_on)
			failing++;
	const char *output = common.output ? common.output : "-";
	if (format == 1) {
		struct sdl_sarif_log log;
		ret = az_build_sarif(&log, &run, &rc, &dropped);
		if (!ret)
			ret = sdl_sarif_write_file(output, &log);
		sdl_sarif_log_release(&log);
	} else {
		rc.colour = format == 0 && !strcmp(output, "-") && isatty(STDOUT_FILENO) &&
			    !getenv("NO_COLOR");
		ret = format == 0 ? az_render_text(&out, &run, &rc) :
		      format == 2 ? az_render_json(&out, &run, &rc) : az_render_gitlab(&out, &run, &rc);
		if (!ret && (out.len || strcmp(output, "-")))
			ret = sdl_fs_write_atomic(output, out.ptr, out.len);
	}
	if (ret < 0)
		goto fail;

	if (dropped)
		fprintf(stderr, "%s: warning: %zu results exceed the %zu a SARIF run may hold for "
			"GitHub code scanning; the most severe are kept, %zu left out\n", tool,
			dropped + (max_results ? max_results : AZ_SARIF_MAX_RESULTS),
			max_results ? max_results : (size_t)AZ_SARIF_MAX_RESULTS, dropped);
	if (jobs.nunsafe) {
		fprintf(stderr, "%s: warning: dropped compiler flags that would load code into the "
			"analyser:", tool);
		for (size_t i = 0; i < jobs.nunsafe; i++)
			eprint_escaped(" '", jobs.unsafe[i], "'");
		fputc('\n', stderr);
	}
	if (!common.quiet && run.ndropped) {
		fprintf(stderr, "%s: note: dropped compiler flags clang does not understand:", tool);
		for (size_t i = 0; i < run.ndropped; i++)
			eprint_escaped(" ", run.dropped[i], "");
		fputc('\n', stderr);
	}
	print_errors(&run, keep_going);
	if (run.nerrors && !keep_going)
		exit_code = SDL_EXIT_BADINPUT;
	else if (failing)
		exit_code = SDL_EXIT_FINDINGS;
	goto done;
fail:
	exit_code = sdl_cli_fail(tool, ret);
done:
	sdl_buf_release(&out);
	az_run_out_release(&run);
	az_sources_release(&sources);
	az_jobs_release(&jobs);
	az_unsaved_free(unsaved, nunsaved);
	az_strv_free(changed, nchanged);
	git_repository_free(repo);
	az_pack_release(&pack);
	az_cache_forget();
	az_driver_forget();
	if (git_up)
		sdl_git_shutdown();
	return exit_code;
}
