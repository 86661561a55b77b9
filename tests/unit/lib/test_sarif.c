/* Unit tests: lib/sarif (writer validated by ajv, reader on real tool output, merge). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/finding.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/sarif.h"

static char tmpdir[] = "/tmp/sdl-sarif-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Run the validator without a shell (the paths come from the environment and
 * must not be parsed as shell syntax), its output going to log_path.
 * Returns its exit status, or -1 if it could not run.
 */
static int run_validator(const char *ajv, const char *schema, const char *data,
			 const char *log_path)
{
	char *const argv[] = { (char *)ajv, "validate", "--spec=draft7", "-c", "ajv-formats",
			       "--strict=false", "-s", (char *)schema, "-d", (char *)data, NULL };
	int status, fd;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(127);
		execv(ajv, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Validate a rendering against the official schema with the real validator. */
static void assert_schema_valid(const struct sdl_buf *doc, const char *tag)
{
	const char *ajv = getenv("SDL_AJV"), *schemas = getenv("SDL_SCHEMAS");
	char path[256], log[256], schema[1024];
	if (!ajv || !*ajv)
		fail_msg("SDL_AJV is empty: the schema validator is required (scripts/test installs it)");
	assert_non_null(schemas);
	snprintf(path, sizeof(path), "%s/%s.json", tmpdir, tag);
	snprintf(log, sizeof(log), "%s/%s.ajv.log", tmpdir, tag);
	snprintf(schema, sizeof(schema), "%s/sarif-schema-2.1.0.draft7.json", schemas);
	assert_int_equal(sdl_fs_write_atomic(path, doc->ptr, doc->len), 0);
	if (run_validator(ajv, schema, path, log) != 0) {
		struct sdl_buf out = SDL_BUF_INIT;
		if (sdl_fs_read_file(&out, log, 1 << 20) == 0)
			fprintf(stderr, "%s\n", out.ptr);
		sdl_buf_release(&out);
		fail_msg("%s: SARIF does not validate against the 2.1.0 schema", tag);
	}
}

static char *data_path(const char *rel)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	size_t n;
	char *p;
	assert_non_null(src);
	n = strlen(src) + strlen(rel) + 40;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/tests/unit/lib/data/sarif/%s", src, rel);
	return p;
}

/* A run with every feature the writer knows. */
static void build_full(struct sdl_sarif_log *log)
{
	static char *tags[] = { "security", "external/cwe/cwe-120", "iec62443-4-1/SI-2" };
	struct sdl_rule r1 = { "CWE-120", "BufferCopyWithoutSizeCheck", "Unbounded copy",
			       "strcpy into a fixed buffer without checking the size (CWE-120).",
			       "https://example.com/rules/CWE-120", SDL_LEVEL_ERROR, tags, 3, "9.8", "high" };
	struct sdl_rule r2 = { "SDL-NOTE", NULL, "A note", NULL, NULL, SDL_LEVEL_NOTE, NULL, 0, NULL, NULL };
	struct sdl_sarif_run *run;
	struct sdl_finding f;

	sdl_sarif_log_init(log);
	log->runs = calloc(1, sizeof(*log->runs));
	log->nruns = 1;
	run = &log->runs[0];
	sdl_sarif_run_init(run);
	run->tool_name = sdl_strdup("sdl-analyze");
	run->tool_version = sdl_strdup("0.3.1");
	run->info_uri = sdl_strdup("https://example.com/sdl");
	run->automation_id = sdl_strdup("sdl-analyze/ci/");
	run->srcroot_uri = sdl_strdup("file:///home/dev/project/");
	run->execution_successful = 1;
	assert_int_equal(sdl_sarif_run_add_rule(run, &r1), 0);
	assert_int_equal(sdl_sarif_run_add_rule(run, &r2), 0);
	assert_int_equal(sdl_sarif_run_add_artifact(run, "src/main.c"), 0);
	assert_int_equal(sdl_sarif_run_add_artifact(run, "src/clean file.c"), 0); /* no results */
	assert_int_equal(sdl_sarif_run_add_artifact(run, "src/main.c"), 0);       /* dup ignored */
	assert_int_equal(run->nartifacts, 2);
	assert_int_equal(sdl_sarif_run_add_notification(run, SDL_LEVEL_WARNING, "src/gen.c",
							"could not parse: missing include"), 0);
	assert_int_equal(sdl_findings_add(&run->results, "CWE-120", SDL_LEVEL_ERROR, "src/main.c", 12, 5,
					  "strcpy into 'buf' (16 bytes)", "parse_packet"), 0);
	run->results.items[0].end_line = 12;
	run->results.items[0].end_column = 27;
	run->results.items[0].baseline = SDL_BASELINE_NEW;
	memset(&f, 0, sizeof(f));
	f.rule_id = sdl_strdup("CWE-120");
	f.level = SDL_LEVEL_WARNING;
	f.path = sdl_strdup("src/main.c");
	f.line = 40;
	f.message = sdl_strdup("second copy");
	f.suppressed = 1;
	f.supp.kind = SDL_SUPP_IN_SOURCE;
	f.supp.status = SDL_SUPP_ACCEPTED;
	f.supp.justification = sdl_strdup("length checked on line 38");
	f.baseline = SDL_BASELINE_UNCHANGED;
	assert_int_equal(sdl_findings_take(&run->results, &f), 0);
	assert_int_equal(sdl_findings_add(&run->results, "SDL-NOTE", SDL_LEVEL_NOTE, "src/other.c", 3, 0,
					  "note \"quoted\" \xC3\xA9", NULL), 0);
	assert_int_equal(sdl_findings_add(&run->results, "UNKNOWN-RULE", SDL_LEVEL_NONE, NULL, 0, 0,
					  "no location", NULL), 0);
	run->results.items[3].suppressed = 1;
	run->results.items[3].supp.kind = SDL_SUPP_EXTERNAL;
	run->results.items[3].supp.status = SDL_SUPP_UNDER_REVIEW;
	assert_int_equal(sdl_findings_fingerprint(&run->results, NULL, NULL), 0);
}

static void assert_finding_equal(const struct sdl_finding *a, const struct sdl_finding *b)
{
#define S(x) do { if (a->x || b->x) { assert_non_null(a->x); assert_non_null(b->x); assert_string_equal(a->x, b->x); } } while (0)
	S(rule_id); S(path); S(message); S(function); S(fingerprint);
	assert_int_equal(a->level, b->level);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->column, b->column);
	assert_int_equal(a->end_line, b->end_line);
	assert_int_equal(a->end_column, b->end_column);
	assert_int_equal(a->suppressed, b->suppressed);
	assert_int_equal(a->baseline, b->baseline);
	if (a->suppressed) {
		assert_int_equal(a->supp.kind, b->supp.kind);
		assert_int_equal(a->supp.status, b->supp.status);
		S(supp.justification);
	}
#undef S
}

static void write_validate_read_roundtrip(void **state)
{
	struct sdl_sarif_log log, back;
	struct sdl_buf out = SDL_BUF_INIT, again = SDL_BUF_INIT;
	struct sdl_sarif_run *a, *b;
	(void)state;
	build_full(&log);
	assert_int_equal(sdl_sarif_render(&out, &log), 0);
	assert_schema_valid(&out, "full");
	/* what the writer promises, spelled out */
	assert_non_null(strstr(out.ptr, "\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\""));
	assert_non_null(strstr(out.ptr, "\"semanticVersion\": \"0.3.1\""));
	assert_non_null(strstr(out.ptr, "\"uriBaseId\": \"%SRCROOT%\""));
	assert_non_null(strstr(out.ptr, "\"uri\": \"src/clean%20file.c\""));
	assert_non_null(strstr(out.ptr, "\"sdlFingerprint/v1\": "));
	assert_non_null(strstr(out.ptr, "\"security-severity\": \"9.8\""));
	assert_non_null(strstr(out.ptr, "\"columnKind\": \"utf16CodeUnits\""));
	assert_non_null(strstr(out.ptr, "\"justification\": \"length checked on line 38\""));
	assert_non_null(strstr(out.ptr, "\"baselineState\": \"new\""));
	assert_non_null(strstr(out.ptr, "\"kind\": \"function\""));

	assert_int_equal(sdl_sarif_parse(&back, out.ptr, out.len, "full.sarif"), 0);
	assert_int_equal(back.nruns, 1);
	a = &log.runs[0];
	b = &back.runs[0];
	assert_string_equal(b->tool_name, "sdl-analyze");
	assert_string_equal(b->tool_version, "0.3.1");
	assert_string_equal(b->info_uri, a->info_uri);
	assert_string_equal(b->automation_id, a->automation_id);
	assert_string_equal(b->srcroot_uri, a->srcroot_uri);
	assert_int_equal(b->execution_successful, 1);
	assert_int_equal(b->nrules, 2);
	assert_string_equal(b->rules[0].id, "CWE-120");
	assert_string_equal(b->rules[0].name, "BufferCopyWithoutSizeCheck");
	assert_string_equal(b->rules[0].full_desc, a->rules[0].full_desc);
	assert_string_equal(b->rules[0].help_uri, a->rules[0].help_uri);
	assert_int_equal(b->rules[0].ntags, 3);
	assert_string_equal(b->rules[0].tags[2], "iec62443-4-1/SI-2");
	assert_string_equal(b->rules[0].security_severity, "9.8");
	assert_string_equal(b->rules[0].precision, "high");
	assert_int_equal(b->rules[1].level, SDL_LEVEL_NOTE);
	/* artifacts: the analysed files plus those results point at, sorted */
	assert_int_equal(b->nartifacts, 3);
	assert_string_equal(b->artifacts[0], "src/clean file.c");
	assert_string_equal(b->artifacts[1], "src/main.c");
	assert_string_equal(b->artifacts[2], "src/other.c");
	assert_int_equal(b->nnotifications, 1);
	assert_string_equal(b->notifications[0].path, "src/gen.c");
	assert_string_equal(b->notifications[0].message, "could not parse: missing include");
	assert_int_equal(b->notifications[0].level, SDL_LEVEL_WARNING);
	/* results come back in the deterministic order */
	sdl_findings_sort(&a->results);
	assert_int_equal(b->results.count, a->results.count);
	for (size_t i = 0; i < a->results.count; i++)
		assert_finding_equal(&a->results.items[i], &b->results.items[i]);
	/* writing what we read gives the same bytes */
	assert_int_equal(sdl_sarif_render(&again, &back), 0);
	assert_string_equal(again.ptr, out.ptr);
	sdl_sarif_log_release(&back);
	sdl_sarif_log_release(&log);
	sdl_buf_release(&out);
	sdl_buf_release(&again);
}

static void output_is_deterministic(void **state)
{
	struct sdl_sarif_log l1, l2;
	struct sdl_buf o1 = SDL_BUF_INIT, o2 = SDL_BUF_INIT;
	struct sdl_finding tmp;
	(void)state;
	build_full(&l1);
	build_full(&l2);
	/* insertion order of results and artifacts does not matter */
	tmp = l2.runs[0].results.items[0];
	l2.runs[0].results.items[0] = l2.runs[0].results.items[2];
	l2.runs[0].results.items[2] = tmp;
	{
		char *t = l2.runs[0].artifacts[0];
		l2.runs[0].artifacts[0] = l2.runs[0].artifacts[1];
		l2.runs[0].artifacts[1] = t;
	}
	assert_int_equal(sdl_sarif_render(&o1, &l1), 0);
	assert_int_equal(sdl_sarif_render(&o2, &l2), 0);
	assert_string_equal(o1.ptr, o2.ptr);
	sdl_sarif_log_release(&l1);
	sdl_sarif_log_release(&l2);
	sdl_buf_release(&o1);
	sdl_buf_release(&o2);
}

static void minimal_logs_validate(void **state)
{
	struct sdl_sarif_log log;
	struct sdl_buf out = SDL_BUF_INIT;
	struct sdl_sarif_run *run;
	(void)state;
	/* zero runs */
	sdl_sarif_log_init(&log);
	assert_int_equal(sdl_sarif_render(&out, &log), 0);
	assert_schema_valid(&out, "zero-runs");
	sdl_buf_clear(&out);
	/* one run, zero results, no rules, failed execution with a notification */
	log.runs = calloc(1, sizeof(*log.runs));
	log.nruns = 1;
	run = &log.runs[0];
	sdl_sarif_run_init(run);
	run->tool_name = sdl_strdup("sdl-analyze");
	run->tool_version = sdl_strdup("dev-build"); /* not semver: no semanticVersion */
	run->execution_successful = 0;
	assert_int_equal(sdl_sarif_run_add_artifact(run, "a.c"), 0);
	assert_int_equal(sdl_sarif_run_add_notification(run, SDL_LEVEL_ERROR, NULL, "compile database missing"), 0);
	assert_int_equal(sdl_sarif_render(&out, &log), 0);
	assert_schema_valid(&out, "zero-results");
	assert_null(strstr(out.ptr, "semanticVersion"));
	assert_non_null(strstr(out.ptr, "\"executionSuccessful\": false"));
	assert_non_null(strstr(out.ptr, "\"results\": []"));
	/* a lone suppressed result */
	sdl_buf_clear(&out);
	assert_int_equal(sdl_findings_add(&run->results, "R1", SDL_LEVEL_WARNING, "a.c", 1, 1, "m", NULL), 0);
	run->results.items[0].suppressed = 1;
	run->results.items[0].supp.kind = SDL_SUPP_EXTERNAL;
	run->results.items[0].supp.status = SDL_SUPP_REJECTED;
	assert_int_equal(sdl_sarif_render(&out, &log), 0);
	assert_schema_valid(&out, "suppressed");
	assert_non_null(strstr(out.ptr, "\"status\": \"rejected\""));
	assert_null(strstr(out.ptr, "ruleIndex")); /* R1 is not among the rules */
	sdl_sarif_log_release(&log);
	sdl_buf_release(&out);
}

static void github_limits_are_reported_not_dropped(void **state)
{
	char *tags[25];
	char names[25][8];
	struct sdl_rule r = { "MANY", NULL, "many tags", NULL, NULL, SDL_LEVEL_WARNING, tags, 25, NULL, NULL };
	struct sdl_sarif_log log;
	struct sdl_sarif_log back;
	struct sdl_buf out = SDL_BUF_INIT;
	(void)state;
	for (int i = 0; i < 25; i++) {
		snprintf(names[i], sizeof(names[i]), "t%d", i);
		tags[i] = names[i];
	}
	sdl_sarif_log_init(&log);
	log.runs = calloc(1, sizeof(*log.runs));
	log.nruns = 1;
	sdl_sarif_run_init(&log.runs[0]);
	log.runs[0].tool_name = sdl_strdup("t");
	assert_int_equal(sdl_sarif_run_add_rule(&log.runs[0], &r), 0);
	assert_int_equal(sdl_sarif_render(&out, &log), 0);
	assert_non_null(strstr(out.ptr, "rule MANY has 25 tags; GitHub code scanning accepts at most 20"));
	assert_int_equal(sdl_sarif_parse(&back, out.ptr, out.len, "x"), 0);
	assert_int_equal(back.runs[0].rules[0].ntags, 25); /* nothing dropped */
	sdl_sarif_log_release(&back);
	sdl_sarif_log_release(&log);
	sdl_buf_release(&out);
}

static void read_fixture(struct sdl_sarif_log *log, const char *name)
{
	char *p = data_path(name);
	int ret = sdl_sarif_read_file(log, p);
	if (ret != 0)
		fail_msg("%s: %s", name, sdl_error_last());
	free(p);
}

static void reads_clang_analyzer(void **state)
{
	struct sdl_sarif_log log;
	const struct sdl_findings *r;
	(void)state;
	read_fixture(&log, "clang14-analyzer.sarif");
	assert_int_equal(log.nruns, 1);
	assert_string_equal(log.runs[0].tool_name, "clang");
	assert_string_equal(log.runs[0].tool_version, "Debian clang version 14.0.6");
	assert_int_equal(log.runs[0].nrules, 2);
	assert_string_equal(log.runs[0].rules[1].help_uri,
			    "https://clang-analyzer.llvm.org/available_checks.html#core.NullDereference");
	r = &log.runs[0].results;
	assert_int_equal(r->count, 2);
	assert_string_equal(r->items[0].rule_id, "deadcode.DeadStores");
	assert_int_equal(r->items[0].level, SDL_LEVEL_WARNING); /* no level anywhere: warning */
	assert_string_equal(r->items[0].path, "/tmp/h1/y.c");    /* file:// URI as a local path */
	assert_int_equal(r->items[0].line, 5);
	assert_int_equal(r->items[0].column, 2);
	assert_string_equal(r->items[1].rule_id, "core.NullDereference");
	assert_string_equal(r->items[1].message, "Dereference of null pointer (loaded from variable 'p')");
	assert_int_equal(r->items[1].line, 7);
	assert_int_equal(r->items[1].column, 10);
	assert_int_equal(r->items[1].end_line, 7);
	assert_int_equal(r->items[1].end_column, 12);
	assert_int_equal(log.runs[0].nartifacts, 1);
	sdl_sarif_log_release(&log);
}

static void reads_gcc13(void **state)
{
	struct sdl_sarif_log log;
	const struct sdl_finding *f;
	(void)state;
	read_fixture(&log, "gcc13.sarif");
	assert_string_equal(log.runs[0].tool_name, "GNU C17");
	assert_string_equal(log.runs[0].tool_version, "13.2.0");
	assert_int_equal(log.runs[0].results.count, 2);
	f = &log.runs[0].results.items[0];
	assert_string_equal(f->rule_id, "-Wparentheses");
	assert_string_equal(f->path, "/home/dev/proj/src/x.c"); /* uriBaseId PWD resolved */
	assert_int_equal(f->line, 4);
	assert_int_equal(f->column, 8);
	assert_int_equal(f->end_column, 13);
	assert_string_equal(f->function, "f");
	assert_int_equal(f->suppressed, 0);
	assert_null(f->fingerprint);
	sdl_sarif_log_release(&log);
}

static void reads_cppcheck(void **state)
{
	struct sdl_sarif_log log;
	const struct sdl_sarif_run *run;
	(void)state;
	read_fixture(&log, "cppcheck.sarif");
	run = &log.runs[0];
	assert_string_equal(run->tool_name, "Cppcheck");
	assert_string_equal(run->tool_version, "2.14.2"); /* only semanticVersion given */
	assert_string_equal(run->rules[0].security_severity, "9.9"); /* number in cppcheck's output */
	assert_string_equal(run->rules[0].tags[0], "external/cwe/cwe-476");
	assert_int_equal(run->results.items[0].level, SDL_LEVEL_ERROR);
	assert_string_equal(run->results.items[0].path, "src/y.c");
	assert_int_equal(run->results.items[1].level, SDL_LEVEL_NOTE); /* from defaultConfiguration */
	sdl_sarif_log_release(&log);
}

static void reads_codeql(void **state)
{
	struct sdl_sarif_log log;
	const struct sdl_sarif_run *run;
	const struct sdl_finding *f;
	(void)state;
	read_fixture(&log, "codeql.sarif");
	run = &log.runs[0];
	assert_string_equal(run->tool_name, "CodeQL");
	assert_string_equal(run->tool_version, "2.15.3");
	assert_string_equal(run->automation_id, "codeql/cpp/");
	assert_int_equal(run->nrules, 2); /* from tool.extensions */
	assert_int_equal(run->nartifacts, 3);
	assert_string_equal(run->artifacts[1], "src/log util.c");
	assert_int_equal(run->nnotifications, 1);
	assert_string_equal(run->notifications[0].path, "src/gen.c");
	f = &run->results.items[0];
	assert_string_equal(f->rule_id, "cpp/overflow-buffer"); /* no ruleId: from rule.index */
	assert_int_equal(f->level, SDL_LEVEL_ERROR);            /* from the extension rule */
	assert_string_equal(f->path, "src/net/packet.c");
	assert_int_equal(f->line, 42);
	assert_null(f->fingerprint); /* only sdlFingerprint/v1 is ours */
	f = &run->results.items[1];
	assert_string_equal(f->rule_id, "cpp/uncontrolled-format-string");
	assert_int_equal(f->level, SDL_LEVEL_WARNING);
	assert_string_equal(f->message, "The value of this argument may come from [a command-line argument](1) "
					"and is being used as a formatting argument to [printf](2).");
	assert_string_equal(f->path, "src/log util.c"); /* via artifactLocation.index */
	assert_int_equal(f->suppressed, 1);
	assert_int_equal(f->supp.kind, SDL_SUPP_EXTERNAL);
	assert_int_equal(f->supp.status, SDL_SUPP_ACCEPTED);
	assert_string_equal(f->supp.justification, "input is validated by the caller");
	sdl_sarif_log_release(&log);
}

static void expect_reject(const char *doc, int code, const char *want)
{
	struct sdl_sarif_log log;
	int ret = sdl_sarif_parse(&log, doc, strlen(doc), "in.sarif");
	assert_int_equal(ret, code);
	assert_null(log.runs);
	assert_int_equal(log.nruns, 0);
	if (!strstr(sdl_error_last(), want))
		fail_msg("error '%s' does not contain '%s'", sdl_error_last(), want);
	assert_non_null(strstr(sdl_error_last(), "in.sarif"));
}

static void rejects_non_sarif(void **state)
{
	struct sdl_sarif_log log;
	char *p;
	(void)state;
	expect_reject("{}", SDL_EINVAL, "no \"runs\" array");
	expect_reject("[1]", SDL_EINVAL, "no \"runs\" array");
	expect_reject("{\"runs\": []}", SDL_EINVAL, "no \"version\"");
	expect_reject("{\"version\": \"2.0.0\", \"runs\": []}", SDL_EINVAL, "not \"2.1.0\"");
	expect_reject("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {}}}]}", SDL_EINVAL,
		      "run 0 has no tool.driver.name");
	expect_reject("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}},"
		      " \"results\": [{\"ruleId\": \"a\"}]}]}", SDL_EINVAL, "result 0 has no message");
	expect_reject("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\"}},"
		      " \"results\": [{\"level\": \"fatal\", \"message\": {\"text\": \"m\"}}]}]}", SDL_EINVAL,
		      "unknown level 'fatal'");
	expect_reject("{\"version\": \"2.1.0\",\n \"runs\": [\n  {\"tool\": }]}", SDL_EINVAL, "in.sarif:3:12: ");
	expect_reject("{\"version\": \"2.1.0\", \"runs\": [", SDL_EINVAL, "unexpected end");
	expect_reject("not json at all", SDL_EINVAL, "in.sarif:1:1: ");
	/* a non-SARIF file read from disk names the file */
	p = data_path("../json/valid.json");
	assert_int_equal(sdl_sarif_read_file(&log, p), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "valid.json: not SARIF 2.1.0"));
	free(p);
	p = data_path("missing.sarif");
	assert_int_equal(sdl_sarif_read_file(&log, p), SDL_ENOTFOUND);
	free(p);
}

static void too_deep_is_refused(void **state)
{
	struct sdl_buf doc = SDL_BUF_INIT;
	struct sdl_sarif_log log;
	(void)state;
	/* depth 64 is read; 65 is refused */
	for (int extra = 0; extra < 2; extra++) {
		sdl_buf_clear(&doc);
		assert_int_equal(sdl_buf_puts(&doc, "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": "
						    "{\"name\": \"x\"}}, \"properties\": "), 0);
		for (int i = 0; i < 61 + extra; i++)
			assert_int_equal(sdl_buf_putc(&doc, '['), 0);
		for (int i = 0; i < 61 + extra; i++)
			assert_int_equal(sdl_buf_putc(&doc, ']'), 0);
		assert_int_equal(sdl_buf_puts(&doc, "}]}"), 0);
		if (extra == 0) {
			assert_int_equal(sdl_sarif_parse(&log, doc.ptr, doc.len, "deep.sarif"), 0);
			sdl_sarif_log_release(&log);
		} else {
			assert_int_equal(sdl_sarif_parse(&log, doc.ptr, doc.len, "deep.sarif"), SDL_ELIMIT);
			assert_non_null(strstr(sdl_error_last(), "deep.sarif:1:"));
		}
	}
	sdl_buf_release(&doc);
}

static struct sdl_sarif_log shard(const char *ver, const char *file, unsigned line, const char *rule)
{
	struct sdl_rule r = { (char *)rule, NULL, "d", NULL, NULL, SDL_LEVEL_WARNING, NULL, 0, NULL, NULL };
	struct sdl_rule common = { "COMMON", NULL, "c", NULL, NULL, SDL_LEVEL_ERROR, NULL, 0, NULL, NULL };
	struct sdl_sarif_log log;
	struct sdl_sarif_run *run;
	sdl_sarif_log_init(&log);
	log.runs = calloc(1, sizeof(*log.runs));
	log.nruns = 1;
	run = &log.runs[0];
	sdl_sarif_run_init(run);
	run->tool_name = sdl_strdup("sdl-analyze");
	run->tool_version = sdl_strdup(ver);
	assert_int_equal(sdl_sarif_run_add_rule(run, &r), 0);
	assert_int_equal(sdl_sarif_run_add_rule(run, &common), 0);
	assert_int_equal(sdl_sarif_run_add_artifact(run, file), 0);
	assert_int_equal(sdl_sarif_run_add_artifact(run, "include/shared.h"), 0);
	assert_int_equal(sdl_sarif_run_add_notification(run, SDL_LEVEL_NOTE, file, "analysed"), 0);
	assert_int_equal(sdl_findings_add(&run->results, rule, SDL_LEVEL_WARNING, file, line, 1, "m", NULL), 0);
	/* the same finding in a shared header, seen by both shards */
	assert_int_equal(sdl_findings_add(&run->results, "COMMON", SDL_LEVEL_ERROR, "include/shared.h", 3, 1,
					  "h", NULL), 0);
	assert_int_equal(sdl_findings_fingerprint(&run->results, NULL, NULL), 0);
	return log;
}

static void merges_shards(void **state)
{
	struct sdl_sarif_log a = shard("1.0.0", "b.c", 9, "R-B"), b = shard("1.0.0", "a.c", 4, "R-A");
	struct sdl_sarif_log c = shard("2.0.0", "c.c", 1, "R-C"), back;
	struct sdl_buf out = SDL_BUF_INIT;
	const struct sdl_sarif_run *run;
	(void)state;
	assert_int_equal(sdl_sarif_merge(&a, &b), 0);
	assert_int_equal(b.nruns, 0); /* src is emptied */
	assert_int_equal(a.nruns, 1);
	run = &a.runs[0];
	assert_int_equal(run->nrules, 3); /* R-B, COMMON, R-A */
	assert_string_equal(run->rules[2].id, "R-A");
	assert_int_equal(run->nartifacts, 3);
	assert_int_equal(run->nnotifications, 2);
	assert_int_equal(run->results.count, 3); /* shared.h finding once */
	assert_string_equal(run->results.items[0].path, "a.c");
	assert_string_equal(run->results.items[1].path, "b.c");
	assert_string_equal(run->results.items[2].path, "include/shared.h");
	/* a different tool version stays its own run */
	assert_int_equal(sdl_sarif_merge(&a, &c), 0);
	assert_int_equal(a.nruns, 2);
	assert_int_equal(sdl_sarif_render(&out, &a), 0);
	assert_schema_valid(&out, "merged");
	/* ruleIndex was remapped: R-A is index 2 in the merged run */
	assert_int_equal(sdl_sarif_parse(&back, out.ptr, out.len, "merged"), 0);
	{
		cJSON *j = NULL, *res;
		const cJSON *r0;
		int seen = 0;
		assert_int_equal(sdl_json_parse(&j, out.ptr, out.len, "merged", NULL), 0);
		r0 = cJSON_GetArrayItem(sdl_json_arr(j, "runs"), 0);
		cJSON_ArrayForEach(res, sdl_json_arr(r0, "results")) {
			int idx = (int)sdl_json_num(res, "ruleIndex", -1);
			const cJSON *rule = cJSON_GetArrayItem(
				sdl_json_arr(sdl_json_obj(sdl_json_obj(r0, "tool"), "driver"), "rules"), idx);
			assert_string_equal(sdl_json_str(rule, "id"), sdl_json_str(res, "ruleId"));
			seen += strcmp(sdl_json_str(res, "ruleId"), "R-A") == 0 && idx == 2;
		}
		assert_int_equal(seen, 1);
		cJSON_Delete(j);
	}
	sdl_sarif_log_release(&back);
	sdl_sarif_log_release(&a);
	sdl_sarif_log_release(&b);
	sdl_sarif_log_release(&c);
	sdl_buf_release(&out);
}

static void write_file_and_read_file(void **state)
{
	struct sdl_sarif_log log, back;
	char path[256];
	(void)state;
	build_full(&log);
	snprintf(path, sizeof(path), "%s/out.sarif", tmpdir);
	assert_int_equal(sdl_sarif_write_file(path, &log), 0);
	assert_int_equal(sdl_sarif_read_file(&back, path), 0);
	assert_int_equal(back.runs[0].results.count, 4);
	sdl_sarif_log_release(&back);
	sdl_sarif_log_release(&log);
}

static void allocation_failure_everywhere(void **state)
{
	struct sdl_sarif_log log, back;
	struct sdl_buf out = SDL_BUF_INIT;
	unsigned long n;
	int ret;
	(void)state;
	build_full(&log);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		ret = sdl_sarif_render(&out, &log);
		sdl_alloc_fail_at(0);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
		assert_int_equal(out.len, 0);
		assert_true(n < 100000);
	}
	assert_true(n > 10);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		ret = sdl_sarif_parse(&back, out.ptr, out.len, "full.sarif");
		sdl_alloc_fail_at(0);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
		assert_null(back.runs);
		assert_non_null(strstr(sdl_error_last(), "full.sarif"));
		assert_true(n < 100000);
	}
	assert_int_equal(back.runs[0].results.count, 4);
	sdl_sarif_log_release(&back);
	/* each fixture too */
	{
		const char *fx[] = { "codeql.sarif", "gcc13.sarif", "cppcheck.sarif", "clang14-analyzer.sarif" };
		for (size_t i = 0; i < 4; i++) {
			struct sdl_buf doc = SDL_BUF_INIT;
			char *p = data_path(fx[i]);
			assert_int_equal(sdl_fs_read_file(&doc, p, 1 << 20), 0);
			for (n = 1;; n++) {
				sdl_alloc_fail_at(n);
				ret = sdl_sarif_parse(&back, doc.ptr, doc.len, fx[i]);
				sdl_alloc_fail_at(0);
				if (ret == 0)
					break;
				assert_int_equal(ret, SDL_ENOMEM);
			}
			sdl_sarif_log_release(&back);
			sdl_buf_release(&doc);
			free(p);
		}
	}
	/* merge: both logs stay releasable after a failure */
	for (n = 1;; n++) {
		struct sdl_sarif_log a = shard("1", "b.c", 9, "R-B"), b = shard("1", "a.c", 4, "R-A");
		sdl_alloc_fail_at(n);
		ret = sdl_sarif_merge(&a, &b);
		sdl_alloc_fail_at(0);
		sdl_sarif_log_release(&a);
		sdl_sarif_log_release(&b);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
		assert_true(n < 1000);
	}
	sdl_sarif_log_release(&log);
	sdl_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_validate_read_roundtrip),
		cmocka_unit_test(output_is_deterministic),
		cmocka_unit_test(minimal_logs_validate),
		cmocka_unit_test(github_limits_are_reported_not_dropped),
		cmocka_unit_test(reads_clang_analyzer),
		cmocka_unit_test(reads_gcc13),
		cmocka_unit_test(reads_cppcheck),
		cmocka_unit_test(reads_codeql),
		cmocka_unit_test(rejects_non_sarif),
		cmocka_unit_test(too_deep_is_refused),
		cmocka_unit_test(merges_shards),
		cmocka_unit_test(write_file_and_read_file),
		cmocka_unit_test(allocation_failure_everywhere),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
