/* sdl-gate: command line. Options, one call, render, exit code. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/cli.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/git.h"
#include "lib/json.h"
#include "lib/banned.h"

static const char *const tool = "sdl-gate";

static const char *const formats[] = { "md", "json", "html", "junit", "sarif", NULL };
enum { F_MD, F_JSON, F_HTML, F_JUNIT, F_SARIF };

enum {
	OPT_REPO = SDL_OPT_FIRST_TOOL,
	OPT_PROJECT,
	OPT_POLICY,
	OPT_CATALOG,
	OPT_SARIF,
	OPT_SBOM,
	OPT_JUNIT,
	OPT_COMPILE_DB,
	OPT_WAIVERS,
	OPT_ATTEST,
	OPT_RELEASE,
	OPT_PREVIOUS_RELEASE,
	OPT_ALLOWED_SIGNERS,
	OPT_TRACKER,
	OPT_SCOPING,
	OPT_NOW,
	OPT_REPORT_MD,
	OPT_REPORT_HTML,
	OPT_JUNIT_OUT,
	OPT_SARIF_OUT,
	OPT_JSON_OUT,
	OPT_PACKAGE,
	OPT_SIGN_KEY,
	OPT_KEY,
	OPT_PREVIOUS,
	OPT_EXIT_ZERO,
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s COMMAND [OPTIONS]\n"
		"Decide whether a release meets IEC 62443-4-1 (docs/gate.md).\n\n"
		"Commands:\n"
		"  evaluate            collect the evidence, decide; exit 0 release, 1 refused\n"
		"  package -o OUT      evaluate and write only the evidence package (DIR or FILE.tar.gz)\n"
		"  verify PACKAGE      check an evidence package; exit 0 intact, 1 tampered\n"
		"  catalog             list the requirements of the catalogue\n"
		"  explain ID          show a requirement, its checks in the policy, the check docs\n"
		"  checks              list the checks the policy can name\n\n"
		"Common options:\n"
		"      --repo DIR          repository (default: the one around the current directory)\n"
		"      --project FILE      project file (default: <repo>/.sdl-gate.json if present)\n"
		"      --policy FILE       policy (default: project file's, else rules/policy/ml3-default.json)\n"
		"      --catalog FILE      requirement catalogue (default: rules/catalog/iec62443-4-1.json)\n"
		"  -o, --output FILE       write the result to FILE ('-' = stdout, the default)\n"
		"      --format NAME       md, json, html, junit, sarif (default: from the -o file's\n"
		"                          extension .json/.html/.xml/.sarif, else md)\n"
		"  -q, --quiet             no progress line\n"
		"  -h, --help              show this help\n"
		"      --version           show the version\n\n"
		"Evidence (override the project file; paths relative to the current directory):\n"
		"      --sarif FILE  --sbom FILE  --junit FILE  --compile-db FILE\n"
		"      --waivers FILE  --attestations DIR\n"
		"      --allowed-signers FILE  SSH allowed signers (git's gpg.ssh.allowedSignersFile format)\n"
		"      --tracker FILE      issue-tracker export (sdl-gate, GitHub or GitLab issues JSON)\n"
		"      --scoping FILE      SM-5 scoping file\n"
		"      --release REV       release commit (default HEAD)\n"
		"      --previous-release REV  start of the release range (default: newest release tag)\n"
		"      --now DATE          evaluate as of DATE (ISO 8601; default SOURCE_DATE_EPOCH or now)\n\n"
		"More outputs of evaluate:\n"
		"      --json-out FILE  --report-md FILE  --report-html FILE  --junit-out FILE  --sarif-out FILE\n"
		"      --package OUT       write the evidence package (DIR, or FILE.tar.gz; atomic)\n"
		"      --sign-key PEM      sign the package manifest (Ed25519 private key)\n"
		"      --previous FILE     previous decision.json (or package dir) to compare with\n"
		"      --exit-zero         exit 0 even when the release is refused (report-only)\n\n"
		"verify options:\n"
		"      --key PEM           Ed25519 public key: the manifest signature must verify\n",
		tool);
}

struct args {
	struct sdl_cli_common common;
	struct gate_options opt;
	const char *outs[5]; /* extra outputs per format */
	const char *package, *sign_key, *key, *previous, *now;
	int exit_zero;
	int package_only; /* the package command: -o names the package */
};

static int write_out(const char *path, const struct sdl_buf *b)
{
	return sdl_fs_write_atomic(path, b->ptr, b->len);
}

/* Without --format, -o FILE.json/.html/.xml/.sarif picks the format; else Markdown. */
static int format_from_name(const char *path)
{
	static const struct { const char *ext; int fmt; } map[] = {
		{ ".json", F_JSON }, { ".html", F_HTML }, { ".htm", F_HTML },
		{ ".xml", F_JUNIT }, { ".sarif", F_SARIF }, { ".md", F_MD },
	};
	size_t n = path ? strlen(path) : 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
		size_t e = strlen(map[i].ext);
		if (n > e && strcmp(path + n - e, map[i].ext) == 0)
			return map[i].fmt;
	}
	return F_MD;
}

static int render(struct sdl_buf *b, int fmt, const struct gate_eval *ev, const cJSON *prev)
{
	switch (fmt) {
	case F_JSON: return gate_render_json(b, ev);
	case F_HTML: return gate_render_html(b, ev, prev);
	case F_JUNIT: return gate_render_junit(b, ev);
	case F_SARIF: return gate_render_sarif(b, ev);
	default: return gate_render_md(b, ev);
	}
}

static int load_previous(cJSON **out, const char *path)
{
	struct sdl_buf p = SDL_BUF_INIT;
	int ret;
	if (sdl_fs_is_dir(path))
		ret = sdl_buf_printf(&p, "%s/decision.json", path);
	else
		ret = sdl_buf_puts(&p, path);
	if (ret == 0)
		ret = sdl_json_load_file(out, p.ptr, NULL);
	sdl_buf_release(&p);
	return ret;
}

static int cmd_evaluate(struct args *a)
{
	struct gate_eval ev;
	struct sdl_buf bufs[6];
	cJSON *prev = NULL;
	int fmt = F_MD, ret, code;
	char digest[SDL_HASH_HEX_MAX] = "";

	if (sdl_cli_pick_format(&fmt, tool, a->common.format, formats) != 0)
		return SDL_EXIT_BADINPUT;
	if (!a->common.format)
		fmt = format_from_name(a->common.output);
	for (int i = 0; i < 6; i++)
		sdl_buf_init(&bufs[i], SDL_BUF_DEFAULT_MAX);
	gate_eval_init(&ev);
	a->opt.now = -1;
	if (a->now && gate_parse_time(&a->opt.now, a->now) < 0) {
		ret = sdl_error_wrap(SDL_EINVAL, "--now");
		goto fail;
	}
	if (a->previous && (ret = load_previous(&prev, a->previous)) < 0)
		goto fail;
	if ((ret = gate_evaluate(&ev, &a->opt)) < 0)
		goto fail;
	/* render everything before writing anything */
	if ((ret = render(&bufs[5], fmt, &ev, prev)) < 0)
		goto fail;
	for (int f = 0; f < 5; f++)
		if (a->outs[f] && (ret = render(&bufs[f], f, &ev, prev)) < 0)
			goto fail;
	if (a->package && (ret = gate_package_write(&ev, a->package, a->sign_key, prev, digest)) < 0)
		goto fail;
	for (int f = 0; f < 5; f++)
		if (a->outs[f] && (ret = write_out(a->outs[f], &bufs[f])) < 0)
			goto fail;
	if (!a->package_only &&
	    (ret = write_out(a->common.output ? a->common.output : "-", &bufs[5])) < 0)
		goto fail;
	if (a->package) {
		struct sdl_buf name = SDL_BUF_INIT; /* one stderr line whatever the name holds */
		if (gate_text_escape(&name, a->package) == 0)
			fprintf(stderr, "%s: evidence package %s, manifest sha256 %s\n", tool,
				name.ptr ? name.ptr : "", digest);
		sdl_buf_release(&name);
	}
	if (!a->common.quiet)
		fprintf(stderr, "%s: %s (%zu met, %zu attested, %zu waived, %zu n/a, %zu not met)\n",
			tool, ev.release ? "release allowed" : "release refused", ev.counts[GATE_MET],
			ev.counts[GATE_ATTESTED], ev.counts[GATE_WAIVED], ev.counts[GATE_NA],
			ev.counts[GATE_NOT_MET]);
	code = ev.release || a->exit_zero ? SDL_EXIT_OK : SDL_EXIT_FINDINGS;
	goto done;
fail:
	code = sdl_cli_fail(tool, ret);
done:
	cJSON_Delete(prev);
	for (int i = 0; i < 6; i++)
		sdl_buf_release(&bufs[i]);
	gate_eval_release(&ev);
	return code;
}

static int cmd_verify(struct args *a, const char *dir)
{
	struct sdl_buf report = SDL_BUF_INIT;
	char digest[SDL_HASH_HEX_MAX] = "";
	int ret = gate_package_verify(&report, dir, a->key, digest);
	if (ret < 0) {
		sdl_buf_release(&report);
		return sdl_cli_fail(tool, ret);
	}
	if (ret == 0 && (sdl_buf_puts(&report, "intact: ") < 0 || gate_text_escape(&report, dir) < 0 ||
			 sdl_buf_printf(&report, " (manifest sha256 %s%s)\n", digest,
					a->key ? ", signature verified" : "") < 0)) {
		sdl_buf_release(&report);
		return sdl_cli_fail(tool, SDL_ENOMEM);
	}
	if (ret == 1) {
		struct sdl_buf name = SDL_BUF_INIT;
		if (gate_text_escape(&name, dir) == 0)
			fprintf(stderr, "%s: %s: package does not match its manifest\n", tool,
				name.ptr ? name.ptr : "");
		sdl_buf_release(&name);
	}
	if (write_out(a->common.output ? a->common.output : "-", &report) < 0) {
		sdl_buf_release(&report);
		return sdl_cli_fail(tool, SDL_EIO);
	}
	sdl_buf_release(&report);
	return ret == 0 ? SDL_EXIT_OK : SDL_EXIT_FINDINGS;
}

static const char *default_catalog(struct sdl_buf *b, const char *given)
{
	const char *env = getenv("SDL_RULES_DIR");
	if (given)
		return given;
	sdl_buf_clear(b);
	if (sdl_buf_printf(b, "%s/catalog/iec62443-4-1.json", env && *env ? env : SDL_RULES_DIR) < 0)
		return NULL;
	return b->ptr;
}

static int cmd_catalog(struct args *a, const char *explain)
{
	struct gate_catalog cat;
	struct gate_policy pol;
	struct sdl_buf b = SDL_BUF_INIT, path = SDL_BUF_INIT, pp = SDL_BUF_INIT;
	const char *cp = default_catalog(&path, a->opt.catalog);
	const char *env = getenv("SDL_RULES_DIR");
	int ret, have_pol = 0;

	memset(&pol, 0, sizeof(pol));
	if (!cp)
		return sdl_cli_fail(tool, SDL_ENOMEM);
	if ((ret = gate_catalog_load(&cat, cp)) < 0) {
		sdl_buf_release(&path);
		return sdl_cli_fail(tool, ret);
	}
	if (explain) {
		const struct gate_req *r = gate_catalog_find(&cat, explain);
		if (!r) {
			ret = sdl_error_set(SDL_EINVAL, "%s: no requirement %s in catalogue %s", explain,
					    explain, cat.id);
			goto done;
		}
		if (a->opt.policy)
			ret = sdl_buf_puts(&pp, a->opt.policy);
		else
			ret = sdl_buf_printf(&pp, "%s/policy/ml3-default.json",
					     env && *env ? env : SDL_RULES_DIR);
		if (ret < 0 || (ret = gate_policy_load(&pol, pp.ptr, &cat)) < 0)
			goto done;
		have_pol = 1;
		ret = sdl_buf_printf(&b, "%s %s (practice %s, automation %c)\n  %s\n", r->id, r->title,
				     r->practice, r->automation, r->summary);
		for (size_t i = 0; ret == 0 && i < r->maps_to.n; i++)
			ret = sdl_buf_printf(&b, "  maps to %s\n", r->maps_to.v[i]);
		for (size_t i = 0; ret == 0 && i < pol.nreqs; i++) {
			const struct gate_req_policy *q = &pol.reqs[i];
			if (strcmp(q->id, r->id) != 0)
				continue;
			if (!q->applicable)
				ret = sdl_buf_printf(&b, "  policy: not applicable: %s\n", q->reason);
			for (size_t k = 0; ret == 0 && k < q->checks.n; k++)
				ret = sdl_buf_printf(&b, "  check %s (docs/gate/%s.md)\n", q->checks.v[k],
						     strncmp(q->checks.v[k], "doc.", 4) ? q->checks.v[k]
											: "doc");
			if (ret == 0 && q->attest.required)
				ret = sdl_buf_printf(&b, "  attestation: activity %s%s%s (docs/gate/records.valid.md)\n",
						     q->attest.activity ? q->attest.activity : "any",
						     q->attest.four_eyes ? ", four eyes" : "",
						     q->attest.independent ? ", independent of authors" : "");
		}
	} else {
		ret = sdl_buf_printf(&b, "%s %s: %zu requirements\n", cat.id, cat.version, cat.nreqs);
		for (size_t i = 0; ret == 0 && i < cat.nreqs; i++)
			ret = sdl_buf_printf(&b, "%-6s %c %s\n", cat.reqs[i].id, cat.reqs[i].automation,
					     cat.reqs[i].title);
	}
	if (ret == 0)
		ret = write_out(a->common.output ? a->common.output : "-", &b);
done:
	if (have_pol)
		gate_policy_release(&pol);
	gate_catalog_release(&cat);
	sdl_buf_release(&b);
	sdl_buf_release(&path);
	sdl_buf_release(&pp);
	return ret < 0 ? sdl_cli_fail(tool, ret) : SDL_EXIT_OK;
}

static int cmd_checks(struct args *a)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int ret = 0;
	for (size_t i = 0; ret == 0 && gate_known_checks[i].id; i++)
		ret = sdl_buf_printf(&b, "%-22s %s\n", gate_known_checks[i].id,
				     gate_known_checks[i].title);
	if (ret == 0)
		ret = sdl_buf_puts(&b, "doc.<name>             a document of the policy's \"documents\": present, sections, fresh\n");
	if (ret == 0)
		ret = write_out(a->common.output ? a->common.output : "-", &b);
	sdl_buf_release(&b);
	return ret < 0 ? sdl_cli_fail(tool, ret) : SDL_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SDL_CLI_COMMON_LONGOPTS,
		{ "repo", required_argument, NULL, OPT_REPO },
		{ "project", required_argument, NULL, OPT_PROJECT },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "sarif", required_argument, NULL, OPT_SARIF },
		{ "sbom", required_argument, NULL, OPT_SBOM },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "compile-db", required_argument, NULL, OPT_COMPILE_DB },
		{ "waivers", required_argument, NULL, OPT_WAIVERS },
		{ "attestations", required_argument, NULL, OPT_ATTEST },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "previous-release", required_argument, NULL, OPT_PREVIOUS_RELEASE },
		{ "allowed-signers", required_argument, NULL, OPT_ALLOWED_SIGNERS },
		{ "tracker", required_argument, NULL, OPT_TRACKER },
		{ "scoping", required_argument, NULL, OPT_SCOPING },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "report-md", required_argument, NULL, OPT_REPORT_MD },
		{ "report-html", required_argument, NULL, OPT_REPORT_HTML },
		{ "junit-out", required_argument, NULL, OPT_JUNIT_OUT },
		{ "sarif-out", required_argument, NULL, OPT_SARIF_OUT },
		{ "json-out", required_argument, NULL, OPT_JSON_OUT },
		{ "package", required_argument, NULL, OPT_PACKAGE },
		{ "sign-key", required_argument, NULL, OPT_SIGN_KEY },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "previous", required_argument, NULL, OPT_PREVIOUS },
		{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
		{ 0, 0, 0, 0 }
	};
	struct args a;
	const char *cmd;
	int c, fmt, code;

	memset(&a, 0, sizeof(a));
	opterr = 0;
	while ((c = getopt_long(argc, argv, SDL_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case SDL_OPT_HELP: usage(stdout); return SDL_EXIT_OK;
		case SDL_OPT_VERSION: sdl_cli_print_version(stdout, tool); return SDL_EXIT_OK;
		case SDL_OPT_OUTPUT: a.common.output = optarg; break;
		case SDL_OPT_FORMAT: a.common.format = optarg; break;
		case SDL_OPT_QUIET: a.common.quiet = 1; break;
		case OPT_REPO: a.opt.repo = optarg; break;
		case OPT_PROJECT: a.opt.project = optarg; break;
		case OPT_POLICY: a.opt.policy = optarg; break;
		case OPT_CATALOG: a.opt.catalog = optarg; break;
		case OPT_SARIF: a.opt.sarif = optarg; break;
		case OPT_SBOM: a.opt.sbom = optarg; break;
		case OPT_JUNIT: a.opt.junit = optarg; break;
		case OPT_COMPILE_DB: a.opt.compile_db = optarg; break;
		case OPT_WAIVERS: a.opt.waivers = optarg; break;
		case OPT_ATTEST: a.opt.attestations = optarg; break;
		case OPT_RELEASE: a.opt.release = optarg; break;
		case OPT_PREVIOUS_RELEASE: a.opt.previous = optarg; break;
		case OPT_ALLOWED_SIGNERS: a.opt.allowed_signers = optarg; break;
		case OPT_TRACKER: a.opt.tracker = optarg; break;
		case OPT_SCOPING: a.opt.scoping = optarg; break;
		case OPT_NOW: a.now = optarg; break;
		case OPT_REPORT_MD: a.outs[F_MD] = optarg; break;
		case OPT_JSON_OUT: a.outs[F_JSON] = optarg; break;
		case OPT_REPORT_HTML: a.outs[F_HTML] = optarg; break;
		case OPT_JUNIT_OUT: a.outs[F_JUNIT] = optarg; break;
		case OPT_SARIF_OUT: a.outs[F_SARIF] = optarg; break;
		case OPT_PACKAGE: a.package = optarg; break;
		case OPT_SIGN_KEY: a.sign_key = optarg; break;
		case OPT_KEY: a.key = optarg; break;
		case OPT_PREVIOUS: a.previous = optarg; break;
		case OPT_EXIT_ZERO: a.exit_zero = 1; break;
		default:
			return sdl_cli_usage(tool, "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (sdl_cli_pick_format(&fmt, tool, a.common.format, formats) != 0)
		return SDL_EXIT_BADINPUT;
	if (optind >= argc)
		return sdl_cli_usage(tool, "missing command (evaluate, verify, catalog, explain, checks)");
	cmd = argv[optind++];
	if (!strcmp(cmd, "evaluate")) {
		if (optind != argc)
			return sdl_cli_usage(tool, "evaluate takes no arguments ('%s')", argv[optind]);
		if (sdl_git_init() < 0)
			return sdl_cli_fail(tool, SDL_EINTERNAL);
		code = cmd_evaluate(&a);
		sdl_git_shutdown();
		return code;
	}
	if (!strcmp(cmd, "package")) {
		if (optind != argc || !a.common.output || !strcmp(a.common.output, "-"))
			return sdl_cli_usage(tool, "package needs -o DIR or -o FILE.tar.gz");
		a.package = a.common.output;
		a.package_only = 1;
		if (sdl_git_init() < 0)
			return sdl_cli_fail(tool, SDL_EINTERNAL);
		code = cmd_evaluate(&a);
		sdl_git_shutdown();
		return code;
	}
	if (!strcmp(cmd, "verify")) {
		if (optind + 1 != argc)
			return sdl_cli_usage(tool, "verify takes one PACKAGE directory");
		return cmd_verify(&a, argv[optind]);
	}
	if (!strcmp(cmd, "catalog")) {
		if (optind != argc)
			return sdl_cli_usage(tool, "catalog takes no arguments");
		return cmd_catalog(&a, NULL);
	}
	if (!strcmp(cmd, "explain")) {
		if (optind + 1 != argc)
			return sdl_cli_usage(tool, "explain takes one requirement ID");
		return cmd_catalog(&a, argv[optind]);
	}
	if (!strcmp(cmd, "checks"))
		return cmd_checks(&a);
	return sdl_cli_usage(tool, "unknown command '%s'", cmd);
}
