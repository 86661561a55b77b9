/*
 * SARIF 2.1.0 (OASIS Standard, errata 01) writer, reader and merge.
 *
 * Columns: we write "columnKind": "utf16CodeUnits", the SARIF default that
 * GitHub code scanning assumes (SARIF 3.14.23). Our analyzers report 1-based
 * character columns; for ASCII and BMP text the two are the same.
 *
 * GitHub code scanning limits (ECOSYSTEM.md 3.3) are not enforced by
 * dropping data: past them the writer still writes everything and adds a
 * toolExecutionNotification saying which limit an upload would exceed.
 */
#include "lib/sarif.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

/* Reader limits: SARIF logs of big code bases are large but not deep. */
#define SDL_SARIF_MAX_BYTES ((size_t)256 << 20)
#define SDL_SARIF_MAX_DEPTH 64
/* GitHub code scanning upload limits (hard maximum). */
#define SDL_SARIF_GITHUB_MAX_RUNS 20
#define SDL_SARIF_GITHUB_MAX_RESULTS 25000
#define SDL_SARIF_GITHUB_MAX_RULES 25000
#define SDL_SARIF_GITHUB_MAX_TAGS 20

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"
#define FP_KEY "sdlFingerprint/v1"

/* ---------------------------------------------------------------- model */

static void rule_release(struct sdl_rule *r)
{
	sdl_free(r->id);
	sdl_free(r->name);
	sdl_free(r->short_desc);
	sdl_free(r->full_desc);
	sdl_free(r->help_uri);
	for (size_t i = 0; i < r->ntags; i++)
		sdl_free(r->tags[i]);
	sdl_free(r->tags);
	sdl_free(r->security_severity);
	sdl_free(r->precision);
	memset(r, 0, sizeof(*r));
}

void sdl_sarif_run_init(struct sdl_sarif_run *run)
{
	memset(run, 0, sizeof(*run));
	sdl_findings_init(&run->results);
	run->execution_successful = 1;
}

void sdl_sarif_run_release(struct sdl_sarif_run *run)
{
	sdl_free(run->tool_name);
	sdl_free(run->tool_version);
	sdl_free(run->info_uri);
	sdl_free(run->automation_id);
	sdl_free(run->srcroot_uri);
	for (size_t i = 0; i < run->nrules; i++)
		rule_release(&run->rules[i]);
	sdl_free(run->rules);
	sdl_findings_release(&run->results);
	for (size_t i = 0; i < run->nartifacts; i++)
		sdl_free(run->artifacts[i]);
	sdl_free(run->artifacts);
	for (size_t i = 0; i < run->nnotifications; i++) {
		sdl_free(run->notifications[i].message);
		sdl_free(run->notifications[i].path);
	}
	sdl_free(run->notifications);
	sdl_sarif_run_init(run);
}

void sdl_sarif_log_init(struct sdl_sarif_log *log)
{
	log->runs = NULL;
	log->nruns = 0;
}

void sdl_sarif_log_release(struct sdl_sarif_log *log)
{
	for (size_t i = 0; i < log->nruns; i++)
		sdl_sarif_run_release(&log->runs[i]);
	sdl_free(log->runs);
	sdl_sarif_log_init(log);
}

static int dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

/* Grow an array of `size`-byte items by one slot; *arr is kept on failure. */
static int grow1(void **arr, size_t count, size_t size)
{
	void *p = sdl_reallocarray(*arr, count + 1, size);
	if (!p)
		return SDL_ENOMEM;
	*arr = p;
	return 0;
}

static int rule_copy(struct sdl_rule *dst, const struct sdl_rule *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->level = src->level;
	if (dup_opt(&dst->id, src->id ? src->id : "") < 0 || dup_opt(&dst->name, src->name) < 0 ||
	    dup_opt(&dst->short_desc, src->short_desc) < 0 ||
	    dup_opt(&dst->full_desc, src->full_desc) < 0 ||
	    dup_opt(&dst->help_uri, src->help_uri) < 0 ||
	    dup_opt(&dst->security_severity, src->security_severity) < 0 ||
	    dup_opt(&dst->precision, src->precision) < 0)
		goto fail;
	if (src->ntags) {
		dst->tags = sdl_calloc(src->ntags, sizeof(char *));
		if (!dst->tags)
			goto fail;
		for (; dst->ntags < src->ntags; dst->ntags++)
			if (dup_opt(&dst->tags[dst->ntags], src->tags[dst->ntags]) < 0)
				goto fail;
	}
	return 0;
fail:
	rule_release(dst);
	return SDL_ENOMEM;
}

int sdl_sarif_run_add_rule(struct sdl_sarif_run *run, const struct sdl_rule *rule)
{
	if (grow1((void **)&run->rules, run->nrules, sizeof(*run->rules)) < 0)
		return SDL_ENOMEM;
	if (rule_copy(&run->rules[run->nrules], rule) < 0)
		return SDL_ENOMEM;
	run->nrules++;
	return 0;
}

int sdl_sarif_run_add_artifact(struct sdl_sarif_run *run, const char *path)
{
	char *copy;
	for (size_t i = 0; i < run->nartifacts; i++)
		if (strcmp(run->artifacts[i], path) == 0)
			return 0;
	if (grow1((void **)&run->artifacts, run->nartifacts, sizeof(char *)) < 0)
		return SDL_ENOMEM;
	if (!(copy = sdl_strdup(path)))
		return SDL_ENOMEM;
	run->artifacts[run->nartifacts++] = copy;
	return 0;
}

int sdl_sarif_run_add_notification(struct sdl_sarif_run *run, enum sdl_level level,
				   const char *path, const char *message)
{
	struct sdl_notification n = { level, NULL, NULL };
	if (grow1((void **)&run->notifications, run->nnotifications, sizeof(n)) < 0)
		return SDL_ENOMEM;
	if (dup_opt(&n.message, message ? message : "") < 0 || dup_opt(&n.path, path) < 0) {
		sdl_free(n.message);
		return SDL_ENOMEM;
	}
	run->notifications[run->nnotifications++] = n;
	return 0;
}

/* --------------------------------------------------------------- writer */

/*
 * A relative path as a URI reference (RFC 3986 section 4.2): unreserved
 * characters, sub-delims, ':', '@' and '/' stay, everything else (space,
 * '%', '#', '?', non-ASCII bytes) is percent-encoded.
 */
static int uri_encode(struct sdl_buf *out, const char *path)
{
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	int ret = 0;
	sdl_buf_clear(out);
	for (const unsigned char *p = (const unsigned char *)path; *p && ret == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			ret = sdl_buf_putc(out, (char)*p);
		else
			ret = sdl_buf_printf(out, "%%%02X", *p);
	}
	return ret;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode; a malformed escape or an encoded NUL is kept literally. */
static int uri_decode(struct sdl_buf *out, const char *uri)
{
	int ret = 0;
	for (const char *p = uri; *p && ret == 0; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 &&
		    (hi | lo) != 0) {
			ret = sdl_buf_putc(out, (char)(hi * 16 + lo));
			p += 2;
		} else {
			ret = sdl_buf_putc(out, *p);
		}
	}
	return ret;
}

static int semver_like(const char *v)
{
	int dots = 0;
	if (!v || !(*v >= '0' && *v <= '9'))
		return 0;
	for (; *v && *v != '-' && *v != '+'; v++) {
		if (*v == '.') {
			if (!(v[1] >= '0' && v[1] <= '9'))
				return 0;
			dots++;
		} else if (!(*v >= '0' && *v <= '9')) {
			return 0;
		}
	}
	return dots == 2;
}

static const char *const supp_kinds[] = { "inSource", "external" };
static const char *const supp_statuses[] = { "accepted", "underReview", "rejected" };
static const char *const baselines[] = { NULL, "new", "unchanged", "updated", "absent" };

static cJSON *text_obj(const char *text)
{
	cJSON *o = cJSON_CreateObject();
	if (o && sdl_json_add_str(o, "text", text ? text : "") < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_text(cJSON *obj, const char *key, const char *text)
{
	return text ? sdl_json_add(obj, key, text_obj(text)) : 0;
}

/* {"physicalLocation": {"artifactLocation": {...}, "region": {...}}} */
static cJSON *location(struct sdl_buf *tmp, const char *path, long index, unsigned line,
		       unsigned col, unsigned eline, unsigned ecol)
{
	cJSON *loc = cJSON_CreateObject(), *phys = cJSON_CreateObject();
	cJSON *art = cJSON_CreateObject(), *reg = NULL;
	int ret = (loc && phys && art) ? 0 : SDL_ENOMEM;

	if (ret == 0)
		ret = uri_encode(tmp, path);
	if (ret == 0)
		ret = sdl_json_add_str(art, "uri", tmp->ptr);
	if (ret == 0)
		ret = sdl_json_add_str(art, "uriBaseId", SRCROOT);
	if (ret == 0 && index >= 0)
		ret = sdl_json_add_num(art, "index", (double)index);
	if (ret == 0) {
		ret = sdl_json_add(phys, "artifactLocation", art);
		art = NULL;
	}
	if (ret == 0 && line > 0) {
		reg = cJSON_CreateObject();
		ret = reg ? sdl_json_add_num(reg, "startLine", line) : SDL_ENOMEM;
		if (ret == 0 && col > 0)
			ret = sdl_json_add_num(reg, "startColumn", col);
		if (ret == 0 && eline >= line)
			ret = sdl_json_add_num(reg, "endLine", eline);
		if (ret == 0 && ecol > 0 && (eline > line || (eline <= line && ecol >= col)))
			ret = sdl_json_add_num(reg, "endColumn", ecol);
		if (ret == 0)
			ret = sdl_json_add(phys, "region", reg);
		else
			cJSON_Delete(reg);
	}
	if (ret == 0) {
		ret = sdl_json_add(loc, "physicalLocation", phys);
		phys = NULL;
	}
	cJSON_Delete(art);
	cJSON_Delete(phys);
	if (ret < 0) {
		cJSON_Delete(loc);
		return NULL;
	}
	return loc;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long artifact_index(char **sorted, size_t n, const char *path)
{
	char **hit;
	if (!path)
		return -1;
	hit = bsearch(&path, sorted, n, sizeof(char *), cmp_str_ptr);
	return hit ? (long)(hit - sorted) : -1;
}

static int cmp_finding_ptr(const void *a, const void *b)
{
	return sdl_finding_cmp(*(const struct sdl_finding *const *)a,
			       *(const struct sdl_finding *const *)b);
}

static cJSON *rule_json(const struct sdl_rule *r)
{
	cJSON *o = cJSON_CreateObject(), *cfg = NULL, *props = NULL, *tags = NULL;
	int ret = o ? 0 : SDL_ENOMEM;

	if (ret == 0) ret = sdl_json_add_str(o, "id", r->id);
	if (ret == 0) ret = sdl_json_add_str(o, "name", r->name);
	if (ret == 0) ret = add_text(o, "shortDescription", r->short_desc ? r->short_desc : r->id);
	if (ret == 0) ret = add_text(o, "fullDescription", r->full_desc);
	if (ret == 0) ret = sdl_json_add_str(o, "helpUri", r->help_uri);
	if (ret == 0) ret = sdl_json_add(o, "defaultConfiguration", cfg = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add_str(cfg, "level", sdl_level_name(r->level));
	if (ret == 0 && (r->ntags || r->security_severity || r->precision)) {
		ret = sdl_json_add(o, "properties", props = cJSON_CreateObject());
		if (ret == 0 && r->ntags) {
			ret = sdl_json_add(props, "tags", tags = cJSON_CreateArray());
			for (size_t i = 0; ret == 0 && i < r->ntags; i++)
				ret = sdl_json_add_str(tags, NULL, r->tags[i]);
		}
		if (ret == 0) ret = sdl_json_add_str(props, "security-severity", r->security_severity);
		if (ret == 0) ret = sdl_json_add_str(props, "precision", r->precision);
	}
	if (ret < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static long rule_index(const struct sdl_sarif_run *run, const char *id)
{
	for (size_t i = 0; id && i < run->nrules; i++)
		if (run->rules[i].id && strcmp(run->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

static cJSON *result_json(const struct sdl_sarif_run *run, const struct sdl_finding *f,
			  char **arts, size_t narts, struct sdl_buf *tmp)
{
	cJSON *o = cJSON_CreateObject(), *locs, *loc, *x, *s;
	long ri = rule_index(run, f->rule_id);
	int ret = o ? 0 : SDL_ENOMEM;

	if (ret == 0) ret = sdl_json_add_str(o, "ruleId", f->rule_id ? f->rule_id : "");
	if (ret == 0 && ri >= 0) ret = sdl_json_add_num(o, "ruleIndex", (double)ri);
	if (ret == 0) ret = sdl_json_add_str(o, "level", sdl_level_name(f->level));
	if (ret == 0) ret = add_text(o, "message", f->message ? f->message : "");
	if (ret == 0 && f->path) {
		ret = sdl_json_add(o, "locations", locs = cJSON_CreateArray());
		if (ret == 0)
			ret = sdl_json_add(locs, NULL,
					   loc = location(tmp, f->path, artifact_index(arts, narts, f->path),
							  f->line, f->column, f->end_line, f->end_column));
		if (ret == 0 && f->function) {
			ret = sdl_json_add(loc, "logicalLocations", x = cJSON_CreateArray());
			if (ret == 0) ret = sdl_json_add(x, NULL, s = cJSON_CreateObject());
			if (ret == 0) ret = sdl_json_add_str(s, "name", f->function);
			if (ret == 0) ret = sdl_json_add_str(s, "kind", "function");
		}
	}
	if (ret == 0 && f->fingerprint) {
		ret = sdl_json_add(o, "partialFingerprints", x = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add_str(x, FP_KEY, f->fingerprint);
	}
	if (ret == 0 && f->suppressed) {
		ret = sdl_json_add(o, "suppressions", x = cJSON_CreateArray());
		if (ret == 0) ret = sdl_json_add(x, NULL, s = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add_str(s, "kind", supp_kinds[f->supp.kind == SDL_SUPP_EXTERNAL]);
		if (ret == 0) ret = sdl_json_add_str(s, "status",
						     supp_statuses[(unsigned)f->supp.status < 3 ? f->supp.status : 0]);
		if (ret == 0) ret = sdl_json_add_str(s, "justification", f->supp.justification);
	}
	if (ret == 0 && f->baseline != SDL_BASELINE_NONE && (unsigned)f->baseline < 5)
		ret = sdl_json_add_str(o, "baselineState", baselines[f->baseline]);
	if (ret == 0 && f->function) {
		ret = sdl_json_add(o, "properties", x = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add_str(x, "function", f->function);
	}
	if (ret < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int notification_json(cJSON *arr, struct sdl_buf *tmp, enum sdl_level level,
			     const char *path, const char *message)
{
	cJSON *o = NULL, *locs;
	int ret = sdl_json_add(arr, NULL, o = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add_str(o, "level", sdl_level_name(level));
	if (ret == 0) ret = add_text(o, "message", message ? message : "");
	if (ret == 0 && path) {
		ret = sdl_json_add(o, "locations", locs = cJSON_CreateArray());
		if (ret == 0) ret = sdl_json_add(locs, NULL, location(tmp, path, -1, 0, 0, 0, 0));
	}
	return ret;
}

/* Past a GitHub upload limit: say so in the log itself (never drop data). */
static int github_limit_notes(cJSON *arr, struct sdl_buf *tmp, const struct sdl_sarif_log *log,
			      const struct sdl_sarif_run *run, size_t runi)
{
	char msg[256];
	int ret = 0;
	if (runi == 0 && log->nruns > SDL_SARIF_GITHUB_MAX_RUNS) {
		snprintf(msg, sizeof(msg), "log has %zu runs; GitHub code scanning accepts at most %d per upload",
			 log->nruns, SDL_SARIF_GITHUB_MAX_RUNS);
		ret = notification_json(arr, tmp, SDL_LEVEL_WARNING, NULL, msg);
	}
	if (ret == 0 && run->results.count > SDL_SARIF_GITHUB_MAX_RESULTS) {
		snprintf(msg, sizeof(msg), "run has %zu results; GitHub code scanning accepts at most %d per run",
			 run->results.count, SDL_SARIF_GITHUB_MAX_RESULTS);
		ret = notification_json(arr, tmp, SDL_LEVEL_WARNING, NULL, msg);
	}
	if (ret == 0 && run->nrules > SDL_SARIF_GITHUB_MAX_RULES) {
		snprintf(msg, sizeof(msg), "run has %zu rules; GitHub code scanning accepts at most %d per run",
			 run->nrules, SDL_SARIF_GITHUB_MAX_RULES);
		ret = notification_json(arr, tmp, SDL_LEVEL_WARNING, NULL, msg);
	}
	for (size_t i = 0; ret == 0 && i < run->nrules; i++) {
		if (run->rules[i].ntags <= SDL_SARIF_GITHUB_MAX_TAGS)
			continue;
		snprintf(msg, sizeof(msg), "rule %.100s has %zu tags; GitHub code scanning accepts at most %d",
			 run->rules[i].id, run->rules[i].ntags, SDL_SARIF_GITHUB_MAX_TAGS);
		ret = notification_json(arr, tmp, SDL_LEVEL_WARNING, NULL, msg);
	}
	return ret;
}

static int run_json(cJSON *runs, const struct sdl_sarif_log *log, size_t runi, struct sdl_buf *tmp)
{
	const struct sdl_sarif_run *run = &log->runs[runi];
	cJSON *r = NULL, *tool, *driver, *arr, *inv, *x;
	char **arts = NULL;
	const struct sdl_finding **order = NULL;
	size_t narts = 0, total;
	int ret;

	/* Artifacts: every analysed file plus every file a result points at, sorted. */
	ret = sdl_size_add(&total, run->nartifacts, run->results.count);
	if (ret == 0 && !(arts = sdl_calloc(total ? total : 1, sizeof(char *))))
		ret = SDL_ENOMEM;
	if (ret == 0 && !(order = sdl_calloc(run->results.count ? run->results.count : 1, sizeof(*order))))
		ret = SDL_ENOMEM;
	if (ret < 0)
		goto done;
	for (size_t i = 0; i < run->nartifacts; i++)
		arts[narts++] = run->artifacts[i];
	for (size_t i = 0; i < run->results.count; i++) {
		order[i] = &run->results.items[i];
		if (run->results.items[i].path)
			arts[narts++] = run->results.items[i].path;
	}
	qsort(arts, narts, sizeof(char *), cmp_str_ptr);
	{
		size_t w = 0;
		for (size_t i = 0; i < narts; i++)
			if (w == 0 || strcmp(arts[w - 1], arts[i]) != 0)
				arts[w++] = arts[i];
		narts = w;
	}
	qsort(order, run->results.count, sizeof(*order), cmp_finding_ptr);

	ret = sdl_json_add(runs, NULL, r = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add(r, "tool", tool = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add(tool, "driver", driver = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add_str(driver, "name", run->tool_name ? run->tool_name : "unknown");
	if (ret == 0) ret = sdl_json_add_str(driver, "version", run->tool_version);
	if (ret == 0 && semver_like(run->tool_version))
		ret = sdl_json_add_str(driver, "semanticVersion", run->tool_version);
	if (ret == 0) ret = sdl_json_add_str(driver, "informationUri", run->info_uri);
	if (ret == 0) ret = sdl_json_add(driver, "rules", arr = cJSON_CreateArray());
	for (size_t i = 0; ret == 0 && i < run->nrules; i++)
		ret = sdl_json_add(arr, NULL, rule_json(&run->rules[i]));

	if (ret == 0) ret = sdl_json_add(r, "invocations", arr = cJSON_CreateArray());
	if (ret == 0) ret = sdl_json_add(arr, NULL, inv = cJSON_CreateObject());
	if (ret == 0) ret = sdl_json_add_bool(inv, "executionSuccessful", run->execution_successful);
	if (ret == 0) ret = sdl_json_add(inv, "toolExecutionNotifications", x = cJSON_CreateArray());
	for (size_t i = 0; ret == 0 && i < run->nnotifications; i++)
		ret = notification_json(x, tmp, run->notifications[i].level, run->notifications[i].path,
					run->notifications[i].message);
	if (ret == 0) ret = github_limit_notes(x, tmp, log, run, runi);

	if (ret == 0 && run->srcroot_uri) {
		cJSON *base = NULL;
		size_t n = strlen(run->srcroot_uri);
		ret = sdl_json_add(r, "originalUriBaseIds", x = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add(x, SRCROOT, base = cJSON_CreateObject());
		/* SARIF 3.14.14: a base URI ends with '/'. */
		sdl_buf_clear(tmp);
		if (ret == 0) ret = sdl_buf_puts(tmp, run->srcroot_uri);
		if (ret == 0 && (n == 0 || run->srcroot_uri[n - 1] != '/')) ret = sdl_buf_putc(tmp, '/');
		if (ret == 0) ret = sdl_json_add_str(base, "uri", tmp->ptr);
	}
	if (ret == 0 && run->automation_id) {
		ret = sdl_json_add(r, "automationDetails", x = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add_str(x, "id", run->automation_id);
	}
	if (ret == 0) ret = sdl_json_add(r, "artifacts", arr = cJSON_CreateArray());
	for (size_t i = 0; ret == 0 && i < narts; i++) {
		cJSON *a = NULL, *l = NULL;
		ret = sdl_json_add(arr, NULL, a = cJSON_CreateObject());
		if (ret == 0) ret = sdl_json_add(a, "location", l = cJSON_CreateObject());
		if (ret == 0) ret = uri_encode(tmp, arts[i]);
		if (ret == 0) ret = sdl_json_add_str(l, "uri", tmp->ptr);
		if (ret == 0) ret = sdl_json_add_str(l, "uriBaseId", SRCROOT);
	}
	if (ret == 0) ret = sdl_json_add_str(r, "columnKind", "utf16CodeUnits");
	if (ret == 0) ret = sdl_json_add(r, "results", arr = cJSON_CreateArray());
	for (size_t i = 0; ret == 0 && i < run->results.count; i++)
		ret = sdl_json_add(arr, NULL, result_json(run, order[i], arts, narts, tmp));
done:
	sdl_free(arts);
	sdl_free(order);
	return ret;
}

int sdl_sarif_render(struct sdl_buf *out, const struct sdl_sarif_log *log)
{
	struct sdl_buf tmp = SDL_BUF_INIT;
	cJSON *root, *runs = NULL;
	int ret;

	sdl_json_init();
	root = cJSON_CreateObject();
	ret = root ? 0 : SDL_ENOMEM;
	if (ret == 0) ret = sdl_json_add_str(root, "$schema", SARIF_SCHEMA);
	if (ret == 0) ret = sdl_json_add_str(root, "version", "2.1.0");
	if (ret == 0) ret = sdl_json_add(root, "runs", runs = cJSON_CreateArray());
	for (size_t i = 0; ret == 0 && i < log->nruns; i++)
		ret = run_json(runs, log, i, &tmp);
	if (ret == 0)
		ret = sdl_json_render(out, root);
	if (ret == SDL_ENOMEM)
		sdl_error_set(SDL_ENOMEM, "out of memory writing SARIF");
	cJSON_Delete(root);
	sdl_buf_release(&tmp);
	return ret;
}

int sdl_sarif_write_file(const char *path, const struct sdl_sarif_log *log)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int ret = sdl_sarif_render(&b, log);
	if (ret == 0)
		ret = sdl_fs_write_atomic(path, b.ptr, b.len);
	sdl_buf_release(&b);
	return ret;
}

/* --------------------------------------------------------------- reader */

struct reader {
	const char *name;
	const cJSON *run;
	const cJSON *comps[1 + 100]; /* driver, then tool.extensions (GitHub: <= 100) */
	size_t ncomps;
	size_t *rule_base; /* flat index of each component's first rule */
	struct sdl_buf tmp;
};

static int bad(const struct reader *rd, const char *what)
{
	return sdl_error_set(SDL_EINVAL, "%s: not SARIF 2.1.0: %s", rd->name, what);
}

/* An unsigned from a JSON number, 0 when absent, not integral or out of range. */
static unsigned num_u(const cJSON *o, const char *key)
{
	double v = sdl_json_num(o, key, 0);
	if (!(v >= 1 && v <= UINT_MAX) || v != (double)(unsigned)v)
		return 0;
	return (unsigned)v;
}

static long num_index(const cJSON *o, const char *key)
{
	double v = sdl_json_num(o, key, -1);
	if (!(v >= 0 && v <= (double)LONG_MAX / 2) || v != (double)(long)v)
		return -1;
	return (long)v;
}

static const char *msg_text(const cJSON *o, const char *key)
{
	const cJSON *m = sdl_json_obj(o, key);
	const char *t = sdl_json_str(m, "text");
	return t ? t : sdl_json_str(m, "markdown");
}

static int copy_rule(struct sdl_rule *r, const cJSON *j)
{
	const cJSON *props = sdl_json_obj(j, "properties"), *tags = sdl_json_arr(props, "tags"), *t;
	const cJSON *sev = props ? cJSON_GetObjectItemCaseSensitive(props, "security-severity") : NULL;
	const char *lv = sdl_json_str(sdl_json_obj(j, "defaultConfiguration"), "level");

	memset(r, 0, sizeof(*r));
	r->level = SDL_LEVEL_WARNING;
	if (lv && sdl_level_parse(&r->level, lv) < 0)
		r->level = SDL_LEVEL_WARNING;
	if (dup_opt(&r->id, sdl_json_str(j, "id") ? sdl_json_str(j, "id") : "") < 0 ||
	    dup_opt(&r->name, sdl_json_str(j, "name")) < 0 ||
	    dup_opt(&r->short_desc, msg_text(j, "shortDescription")) < 0 ||
	    dup_opt(&r->full_desc, msg_text(j, "fullDescription")) < 0 ||
	    dup_opt(&r->help_uri, sdl_json_str(j, "helpUri")) < 0 ||
	    dup_opt(&r->precision, sdl_json_str(props, "precision")) < 0)
		goto fail;
	if (cJSON_IsString(sev)) {
		if (dup_opt(&r->security_severity, sev->valuestring) < 0)
			goto fail;
	} else if (cJSON_IsNumber(sev)) {
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%.1f", sev->valuedouble);
		if (dup_opt(&r->security_severity, tmp) < 0)
			goto fail;
	}
	if (tags && cJSON_GetArraySize(tags) > 0) {
		r->tags = sdl_calloc((size_t)cJSON_GetArraySize(tags), sizeof(char *));
		if (!r->tags)
			goto fail;
		cJSON_ArrayForEach(t, tags)
			if (cJSON_IsString(t) && dup_opt(&r->tags[r->ntags++], t->valuestring) < 0)
				goto fail;
	}
	return 0;
fail:
	rule_release(r);
	return SDL_ENOMEM;
}

/* The rule object a result refers to (by ruleIndex / rule.index, in its tool component). */
static const cJSON *result_rule(const struct reader *rd, const cJSON *res, long *flat)
{
	const cJSON *ref = sdl_json_obj(res, "rule");
	long idx = num_index(res, "ruleIndex"), comp = 0;
	const char *id = sdl_json_str(res, "ruleId");
	const cJSON *tc = sdl_json_obj(ref, "toolComponent");

	*flat = -1;
	if (idx < 0)
		idx = num_index(ref, "index");
	if (!id)
		id = sdl_json_str(ref, "id");
	if (tc) {
		comp = num_index(tc, "index");
		if (comp < 0) {
			/* Referenced by name instead (SARIF 3.54.6). */
			const char *nm = sdl_json_str(tc, "name");
			comp = -1;
			for (size_t c = 0; nm && c < rd->ncomps; c++)
				if (sdl_json_str(rd->comps[c], "name") &&
				    strcmp(sdl_json_str(rd->comps[c], "name"), nm) == 0)
					comp = (long)c;
			if (comp < 0)
				comp = 0;
		} else {
			comp += 1; /* toolComponent.index counts tool.extensions */
		}
	}
	if ((size_t)comp >= rd->ncomps)
		return NULL;
	if (idx >= 0) {
		const cJSON *rules = sdl_json_arr(rd->comps[comp], "rules");
		const cJSON *r = rules && idx < cJSON_GetArraySize(rules) ? cJSON_GetArrayItem(rules, (int)idx) : NULL;
		if (r) {
			*flat = (long)rd->rule_base[comp] + idx;
			return r;
		}
	}
	/* No usable index: look the id up in every component. */
	for (size_t c = 0; id && c < rd->ncomps; c++) {
		const cJSON *r;
		long i = 0;
		cJSON_ArrayForEach(r, sdl_json_arr(rd->comps[c], "rules")) {
			if (sdl_json_str(r, "id") && strcmp(sdl_json_str(r, "id"), id) == 0) {
				*flat = (long)rd->rule_base[c] + i;
				return r;
			}
			i++;
		}
	}
	return NULL;
}

/* message.id against the rule's (then the driver's global) messageStrings, with {N} arguments. */
static int resolve_message(struct reader *rd, const cJSON *msg, const cJSON *rule, char **out)
{
	const char *id = sdl_json_str(msg, "id"), *fmt = NULL;
	const cJSON *args = sdl_json_arr(msg, "arguments");
	int ret = 0;

	*out = NULL;
	if (!id)
		return 0;
	fmt = sdl_json_str(sdl_json_obj(sdl_json_obj(rule, "messageStrings"), id), "text");
	if (!fmt)
		fmt = sdl_json_str(sdl_json_obj(sdl_json_obj(rd->comps[0], "globalMessageStrings"), id), "text");
	if (!fmt)
		return 0;
	sdl_buf_clear(&rd->tmp);
	for (const char *p = fmt; *p && ret == 0; p++) {
		if (*p == '{' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			long n = strtol(p + 1, &end, 10);
			if (*end == '}') {
				const cJSON *a = n < INT_MAX ? cJSON_GetArrayItem(args, (int)n) : NULL;
				ret = sdl_buf_puts(&rd->tmp, cJSON_IsString(a) ? a->valuestring : "");
				p = end;
				continue;
			}
		}
		if ((*p == '{' || *p == '}') && p[1] == *p)
			p++; /* "{{" and "}}" are literal braces (SARIF 3.11.5) */
		ret = sdl_buf_putc(&rd->tmp, *p);
	}
	if (ret == 0 && !(*out = sdl_strdup(rd->tmp.ptr)))
		ret = SDL_ENOMEM;
	return ret;
}

/*
 * A SARIF artifactLocation as our path: relative URIs (against %SRCROOT% or
 * no base) stay relative; another base id with a known URI is prefixed;
 * file:// URIs become local paths. All are percent-decoded.
 */
static int location_path(struct reader *rd, const cJSON *art, char **out)
{
	const char *uri = sdl_json_str(art, "uri"), *base = sdl_json_str(art, "uriBaseId");
	struct sdl_buf *b = &rd->tmp;
	int ret = 0;

	*out = NULL;
	if (!uri) {
		long idx = num_index(art, "index");
		const cJSON *a = idx >= 0 && idx < INT_MAX
					 ? cJSON_GetArrayItem(sdl_json_arr(rd->run, "artifacts"), (int)idx)
					 : NULL;
		const cJSON *l = sdl_json_obj(a, "location");
		uri = sdl_json_str(l, "uri");
		base = sdl_json_str(l, "uriBaseId");
		if (!uri)
			return 0;
	}
	sdl_buf_clear(b);
	if (base && strcmp(base, SRCROOT) != 0 && !strstr(uri, "://")) {
		const char *bu = sdl_json_str(sdl_json_obj(sdl_json_obj(rd->run, "originalUriBaseIds"), base), "uri");
		if (bu) {
			if (strncmp(bu, "file://", 7) == 0)
				bu += 7;
			ret = uri_decode(b, bu);
			if (ret == 0 && b->len && b->ptr[b->len - 1] != '/')
				ret = sdl_buf_putc(b, '/');
		}
	}
	if (strncmp(uri, "file://", 7) == 0)
		uri += 7; /* file:///abs -> /abs; file://host/x keeps "//host/x" off: rare */
	if (ret == 0)
		ret = uri_decode(b, uri);
	if (ret == 0 && !(*out = sdl_strdup(b->ptr)))
		ret = SDL_ENOMEM;
	return ret;
}

static int read_result(struct reader *rd, struct sdl_sarif_run *run, const cJSON *res, size_t i)
{
	struct sdl_finding f;
	const cJSON *rule, *loc, *phys, *reg, *supps, *s, *logical;
	const char *id, *lv, *text;
	long flat;
	int ret = 0;

	memset(&f, 0, sizeof(f));
	if (!cJSON_IsObject(res))
		return sdl_error_set(SDL_EINVAL, "%s: not SARIF 2.1.0: result %zu is not an object", rd->name, i);
	rule = result_rule(rd, res, &flat);
	id = sdl_json_str(res, "ruleId");
	if (!id)
		id = sdl_json_str(sdl_json_obj(res, "rule"), "id");
	if (!id)
		id = sdl_json_str(rule, "id");
	if (dup_opt(&f.rule_id, id ? id : "") < 0)
		goto oom;

	f.level = SDL_LEVEL_WARNING;
	lv = sdl_json_str(res, "level");
	if (!lv)
		lv = sdl_json_str(sdl_json_obj(rule, "defaultConfiguration"), "level");
	if (lv && sdl_level_parse(&f.level, lv) < 0) {
		sdl_finding_release(&f);
		return sdl_error_set(SDL_EINVAL, "%s: result %zu: unknown level '%s'", rd->name, i, lv);
	}

	if (!sdl_json_obj(res, "message")) {
		sdl_finding_release(&f);
		return sdl_error_set(SDL_EINVAL, "%s: not SARIF 2.1.0: result %zu has no message", rd->name, i);
	}
	text = msg_text(res, "message");
	if (text) {
		if (dup_opt(&f.message, text) < 0)
			goto oom;
	} else {
		if ((ret = resolve_message(rd, sdl_json_obj(res, "message"), rule, &f.message)) < 0)
			goto fail;
		if (!f.message && dup_opt(&f.message, sdl_json_str(sdl_json_obj(res, "message"), "id")
						       ? sdl_json_str(sdl_json_obj(res, "message"), "id") : "") < 0)
			goto oom;
	}

	loc = cJSON_GetArrayItem(sdl_json_arr(res, "locations"), 0);
	phys = sdl_json_obj(loc, "physicalLocation");
	if (phys) {
		if ((ret = location_path(rd, sdl_json_obj(phys, "artifactLocation"), &f.path)) < 0)
			goto fail;
		reg = sdl_json_obj(phys, "region");
		f.line = num_u(reg, "startLine");
		f.column = num_u(reg, "startColumn");
		f.end_line = num_u(reg, "endLine");
		f.end_column = num_u(reg, "endColumn");
		/* A text region starts with startLine (SARIF 2.1.0 3.30.2) and
		 * belongs to an artifact: without them the rest means nothing,
		 * and the writer would drop it (found by tests/fuzz/fuzz_sarif). */
		if (f.line == 0 || !f.path)
			f.line = f.column = f.end_line = f.end_column = 0;
	}
	logical = cJSON_GetArrayItem(sdl_json_arr(loc, "logicalLocations"), 0);
	text = sdl_json_str(logical, "name");
	if (!text)
		text = sdl_json_str(logical, "fullyQualifiedName");
	if (!text)
		text = sdl_json_str(sdl_json_obj(res, "properties"), "function");
	if (dup_opt(&f.function, text) < 0)
		goto oom;
	if (dup_opt(&f.fingerprint, sdl_json_str(sdl_json_obj(res, "partialFingerprints"), FP_KEY)) < 0)
		goto oom;

	supps = sdl_json_arr(res, "suppressions");
	if (supps && cJSON_GetArraySize(supps) > 0) {
		const cJSON *pick = NULL;
		/* Prefer an accepted suppression (status absent counts as accepted). */
		cJSON_ArrayForEach(s, supps) {
			const char *st = sdl_json_str(s, "status");
			if (!pick || ((!st || strcmp(st, "accepted") == 0) &&
				      sdl_json_str(pick, "status") && strcmp(sdl_json_str(pick, "status"), "accepted") != 0))
				pick = s;
		}
		f.suppressed = 1;
		f.supp.kind = (sdl_json_str(pick, "kind") && strcmp(sdl_json_str(pick, "kind"), "external") == 0)
				      ? SDL_SUPP_EXTERNAL : SDL_SUPP_IN_SOURCE;
		f.supp.status = SDL_SUPP_ACCEPTED;
		for (unsigned k = 0; k < 3; k++)
			if (sdl_json_str(pick, "status") && strcmp(sdl_json_str(pick, "status"), supp_statuses[k]) == 0)
				f.supp.status = (enum sdl_supp_status)k;
		if (dup_opt(&f.supp.justification, sdl_json_str(pick, "justification")) < 0)
			goto oom;
	}
	text = sdl_json_str(res, "baselineState");
	for (unsigned k = 1; text && k < 5; k++)
		if (strcmp(text, baselines[k]) == 0)
			f.baseline = (enum sdl_baseline)k;
	return sdl_findings_take(&run->results, &f);
oom:
	ret = SDL_ENOMEM;
fail:
	sdl_finding_release(&f);
	return ret;
}

static int read_run(struct reader *rd, struct sdl_sarif_run *run, const cJSON *jr, size_t ri)
{
	const cJSON *tool = sdl_json_obj(jr, "tool"), *driver = sdl_json_obj(tool, "driver"), *x;
	const char *name = sdl_json_str(driver, "name"), *ver;
	size_t nrules = 0, i;
	int ret = 0;
	char msg[96];

	if (!name) {
		snprintf(msg, sizeof(msg), "run %zu has no tool.driver.name", ri);
		return bad(rd, msg);
	}
	rd->run = jr;
	rd->ncomps = 0;
	rd->comps[rd->ncomps++] = driver;
	cJSON_ArrayForEach(x, sdl_json_arr(tool, "extensions")) {
		if (rd->ncomps == sizeof(rd->comps) / sizeof(rd->comps[0]))
			return sdl_error_set(SDL_ELIMIT, "%s: run %zu has more than %zu tool extensions",
					     rd->name, ri, sizeof(rd->comps) / sizeof(rd->comps[0]) - 1);
		rd->comps[rd->ncomps++] = x;
	}
	rd->rule_base = sdl_calloc(rd->ncomps, sizeof(size_t));
	if (!rd->rule_base)
		return SDL_ENOMEM;
	for (size_t c = 0; c < rd->ncomps; c++) {
		rd->rule_base[c] = nrules;
		nrules += (size_t)cJSON_GetArraySize(sdl_json_arr(rd->comps[c], "rules"));
	}

	ver = sdl_json_str(driver, "version");
	if (!ver)
		ver = sdl_json_str(driver, "semanticVersion");
	if (dup_opt(&run->tool_name, name) < 0 || dup_opt(&run->tool_version, ver) < 0 ||
	    dup_opt(&run->info_uri, sdl_json_str(driver, "informationUri")) < 0 ||
	    dup_opt(&run->automation_id, sdl_json_str(sdl_json_obj(jr, "automationDetails"), "id")) < 0 ||
	    dup_opt(&run->srcroot_uri, sdl_json_str(sdl_json_obj(sdl_json_obj(jr, "originalUriBaseIds"), SRCROOT), "uri")) < 0)
		goto oom;
	if (nrules && !(run->rules = sdl_calloc(nrules, sizeof(*run->rules))))
		goto oom;
	for (size_t c = 0; c < rd->ncomps; c++) {
		cJSON_ArrayForEach(x, sdl_json_arr(rd->comps[c], "rules")) {
			if ((ret = copy_rule(&run->rules[run->nrules], x)) < 0)
				goto done;
			run->nrules++;
		}
	}
	cJSON_ArrayForEach(x, sdl_json_arr(jr, "artifacts")) {
		char *p = NULL;
		if ((ret = location_path(rd, sdl_json_obj(x, "location"), &p)) < 0)
			goto done;
		if (p) {
			ret = sdl_sarif_run_add_artifact(run, p);
			sdl_free(p);
			if (ret < 0)
				goto done;
		}
	}
	x = cJSON_GetArrayItem(sdl_json_arr(jr, "invocations"), 0);
	run->execution_successful = sdl_json_bool(x, "executionSuccessful", 1);
	cJSON_ArrayForEach(x, sdl_json_arr(jr, "invocations")) {
		const cJSON *n;
		cJSON_ArrayForEach(n, sdl_json_arr(x, "toolExecutionNotifications")) {
			enum sdl_level lv = SDL_LEVEL_WARNING; /* SARIF 3.58.6 default */
			const char *l = sdl_json_str(n, "level");
			const cJSON *nl = cJSON_GetArrayItem(sdl_json_arr(n, "locations"), 0);
			char *p = NULL;
			if (l && sdl_level_parse(&lv, l) < 0)
				lv = SDL_LEVEL_WARNING;
			ret = location_path(rd, sdl_json_obj(sdl_json_obj(nl, "physicalLocation"), "artifactLocation"), &p);
			if (ret == 0)
				ret = sdl_sarif_run_add_notification(run, lv, p, msg_text(n, "message"));
			sdl_free(p);
			if (ret < 0)
				goto done;
		}
	}
	i = 0;
	cJSON_ArrayForEach(x, sdl_json_arr(jr, "results")) {
		if ((ret = read_result(rd, run, x, i++)) < 0)
			goto done;
	}
	goto done;
oom:
	ret = SDL_ENOMEM;
done:
	SDL_FREE_AND_NULL(rd->rule_base);
	return ret;
}

int sdl_sarif_parse(struct sdl_sarif_log *out, const char *data, size_t len, const char *name)
{
	const struct sdl_json_limits lim = { SDL_SARIF_MAX_BYTES, SDL_SARIF_MAX_DEPTH };
	struct reader rd;
	cJSON *root = NULL;
	const cJSON *runs, *jr;
	const char *ver;
	size_t n, i = 0;
	int ret;

	sdl_sarif_log_init(out);
	memset(&rd, 0, sizeof(rd));
	rd.name = name ? name : "<sarif>";
	sdl_buf_init(&rd.tmp, SDL_BUF_DEFAULT_MAX);
	if ((ret = sdl_json_parse(&root, data, len, rd.name, &lim)) < 0)
		goto done;
	ver = sdl_json_str(root, "version");
	runs = sdl_json_arr(root, "runs");
	if (!cJSON_IsObject(root) || !runs) {
		ret = bad(&rd, "no \"runs\" array");
		goto done;
	}
	if (!ver || strcmp(ver, "2.1.0") != 0) {
		ret = bad(&rd, ver ? "\"version\" is not \"2.1.0\"" : "no \"version\"");
		goto done;
	}
	n = (size_t)cJSON_GetArraySize(runs);
	if (n && !(out->runs = sdl_calloc(n, sizeof(*out->runs)))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	cJSON_ArrayForEach(jr, runs) {
		sdl_sarif_run_init(&out->runs[out->nruns++]);
		if ((ret = read_run(&rd, &out->runs[i], jr, i)) < 0)
			goto done;
		i++;
	}
done:
	if (ret == SDL_ENOMEM)
		sdl_error_set(SDL_ENOMEM, "%s: out of memory reading SARIF", rd.name);
	if (ret < 0)
		sdl_sarif_log_release(out);
	sdl_buf_release(&rd.tmp);
	cJSON_Delete(root);
	return ret;
}

int sdl_sarif_read_file(struct sdl_sarif_log *out, const char *path)
{
	struct sdl_buf b;
	int ret;

	sdl_sarif_log_init(out);
	sdl_buf_init(&b, SDL_SARIF_MAX_BYTES);
	ret = sdl_fs_read_file(&b, path, SDL_SARIF_MAX_BYTES);
	if (ret == 0)
		ret = sdl_sarif_parse(out, b.ptr, b.len, path);
	sdl_buf_release(&b);
	return ret;
}

/* ---------------------------------------------------------------- merge */

static int streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int fp_cmp(const void *pa, const void *pb, void *payload)
{
	const struct sdl_findings *list = payload;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(list->items[a].fingerprint, list->items[b].fingerprint);
	return c ? c : (a > b) - (a < b);
}

/* Sort, then drop results whose fingerprint (or, lacking one, exact hit) repeats. */
static int dedup_results(struct sdl_findings *list)
{
	size_t *byfp;
	unsigned char *drop;
	size_t n = 0, w = 0;

	sdl_findings_sort(list);
	sdl_findings_dedup(list);
	byfp = sdl_calloc(list->count ? list->count : 1, sizeof(*byfp));
	drop = sdl_calloc(list->count ? list->count : 1, 1);
	if (!byfp || !drop) {
		sdl_free(byfp);
		sdl_free(drop);
		return SDL_ENOMEM;
	}
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].fingerprint)
			byfp[n++] = i;
	qsort_r(byfp, n, sizeof(*byfp), fp_cmp, list);
	/* Keep the first in output order of each fingerprint. */
	for (size_t i = 1; i < n; i++)
		if (strcmp(list->items[byfp[i]].fingerprint, list->items[byfp[i - 1]].fingerprint) == 0)
			drop[byfp[i]] = 1;
	for (size_t r = 0; r < list->count; r++) {
		if (drop[r])
			sdl_finding_release(&list->items[r]);
		else
			list->items[w++] = list->items[r];
	}
	list->count = w;
	sdl_free(byfp);
	sdl_free(drop);
	return 0;
}

static int merge_run(struct sdl_sarif_run *d, struct sdl_sarif_run *s)
{
	int ret = 0;

	for (size_t i = 0; i < s->nrules; i++) {
		if (rule_index(d, s->rules[i].id) >= 0)
			continue;
		if ((ret = grow1((void **)&d->rules, d->nrules, sizeof(*d->rules))) < 0)
			return ret;
		d->rules[d->nrules++] = s->rules[i];
		memset(&s->rules[i], 0, sizeof(s->rules[i]));
		s->rules[i].id = NULL;
	}
	for (size_t i = 0; i < s->nartifacts; i++)
		if ((ret = sdl_sarif_run_add_artifact(d, s->artifacts[i])) < 0)
			return ret;
	for (size_t i = 0; i < s->nnotifications; i++) {
		if ((ret = grow1((void **)&d->notifications, d->nnotifications, sizeof(*d->notifications))) < 0)
			return ret;
		d->notifications[d->nnotifications++] = s->notifications[i];
		s->notifications[i].message = s->notifications[i].path = NULL;
	}
	for (size_t i = 0; i < s->results.count; i++) {
		if (s->results.items[i].rule_id == NULL && s->results.items[i].message == NULL &&
		    s->results.items[i].path == NULL)
			continue; /* already moved by an earlier, failed attempt */
		if ((ret = sdl_findings_take(&d->results, &s->results.items[i])) < 0)
			return ret;
	}
	if (!d->srcroot_uri) {
		d->srcroot_uri = s->srcroot_uri;
		s->srcroot_uri = NULL;
	}
	if (!d->automation_id) {
		d->automation_id = s->automation_id;
		s->automation_id = NULL;
	}
	if (!d->info_uri) {
		d->info_uri = s->info_uri;
		s->info_uri = NULL;
	}
	d->execution_successful = d->execution_successful && s->execution_successful;
	return dedup_results(&d->results);
}

int sdl_sarif_merge(struct sdl_sarif_log *dst, struct sdl_sarif_log *src)
{
	int ret = 0;

	for (size_t i = 0; i < src->nruns; i++) {
		struct sdl_sarif_run *s = &src->runs[i], *d = NULL;
		for (size_t j = 0; j < dst->nruns; j++)
			if (streq_null(dst->runs[j].tool_name, s->tool_name) &&
			    streq_null(dst->runs[j].tool_version, s->tool_version))
				d = &dst->runs[j];
		if (d) {
			ret = merge_run(d, s);
		} else {
			ret = grow1((void **)&dst->runs, dst->nruns, sizeof(*dst->runs));
			if (ret == 0) {
				dst->runs[dst->nruns] = *s;
				sdl_sarif_run_init(s);
				ret = dedup_results(&dst->runs[dst->nruns++].results);
			}
		}
		if (ret < 0)
			return ret == SDL_ENOMEM ? sdl_error_set(ret, "out of memory merging SARIF runs") : ret;
	}
	sdl_sarif_log_release(src);
	return 0;
}
