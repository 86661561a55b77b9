/* One result, three renderings: text like a compiler, SARIF, a JSON summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az.h"
#include "report.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/sarif.h"
#include "lib/version.h"
#include "lib/banned.h"

int az_counts(const struct sdl_finding *f, const struct az_report_cfg *cfg)
{
	if (f->suppressed)
		return 0;
	if (cfg->baseline && f->baseline == SDL_BASELINE_UNCHANGED)
		return 0;
	return 1;
}

/* Length of the well-formed UTF-8 sequence at s (1..4), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (s[0] >= 0xf5)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/*
 * Neutralise a field before it reaches a terminal or a log (CWE-117, CWE-150,
 * threat T-6a): C0 controls and DEL become \n, \r, \t or \xHH, C1 controls
 * (U+0080..U+009F) \u00HH, bytes that are not UTF-8 \xHH. Everything else,
 * backslashes included, is copied as is: only control sequences are a threat.
 */
int az_text_escape(struct sdl_buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "?");
	int ret = 0;
	while (*s && !ret) {
		size_t n = *s < 0x80 ? 1 : utf8_len(s);
		if (*s == '\n')
			ret = sdl_buf_puts(out, "\\n"), s++;
		else if (*s == '\r')
			ret = sdl_buf_puts(out, "\\r"), s++;
		else if (*s == '\t')
			ret = sdl_buf_puts(out, "\\t"), s++;
		else if (*s < 0x20 || *s == 0x7f || n == 0)
			ret = sdl_buf_printf(out, "\\x%02x", *s), s++;
		else if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
			ret = sdl_buf_printf(out, "\\u%04x", s[1]), s += 2;
		else
			ret = sdl_buf_put(out, (const char *)s, n), s += n;
	}
	return ret;
}

int az_render_text(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg)
{
	int ret = 0;
	for (size_t i = 0; i < run->findings.count && !ret; i++) {
		const struct sdl_finding *f = &run->findings.items[i];
		if (!az_counts(f, cfg))
			continue;
		const char *lv = sdl_level_name(f->level);
		const char *col = f->level == SDL_LEVEL_ERROR ? "\033[1;31m" :
				  f->level == SDL_LEVEL_WARNING ? "\033[1;35m" : "\033[1;36m";
		/* every field from input is escaped: a file name or message cannot
		 * start a forged line or send terminal escapes (T-6a) */
		ret = sdl_buf_puts(out, cfg->colour ? "\033[1m" : "");
		if (!ret)
			ret = az_text_escape(out, f->path);
		if (!ret && cfg->colour)
			ret = sdl_buf_printf(out, ":%u:%u:\033[0m %s%s:\033[0m \033[1m", f->line,
					     f->column, col, lv);
		else if (!ret)
			ret = sdl_buf_printf(out, ":%u:%u: %s: ", f->line, f->column, lv);
		if (!ret)
			ret = az_text_escape(out, f->message);
		if (!ret)
			ret = sdl_buf_puts(out, cfg->colour ? "\033[0m [" : " [");
		if (!ret)
			ret = az_text_escape(out, f->rule_id);
		if (!ret)
			ret = sdl_buf_puts(out, "]\n");
	}
	return ret;
}

int az_finding_to_json(cJSON *array, const struct sdl_finding *f, int with_function)
{
	cJSON *o = cJSON_CreateObject();
	int ret = sdl_json_add(array, NULL, o);
	if (!ret)
		ret = sdl_json_add_str(o, "rule", f->rule_id);
	if (!ret)
		ret = sdl_json_add_str(o, "level", sdl_level_name(f->level));
	if (!ret)
		ret = sdl_json_add_str(o, "path", f->path);
	if (!ret)
		ret = sdl_json_add_num(o, "line", f->line);
	if (!ret)
		ret = sdl_json_add_num(o, "column", f->column);
	if (!ret)
		ret = sdl_json_add_str(o, "message", f->message);
	if (!ret && with_function)
		ret = sdl_json_add_str(o, "function", f->function);
	return ret;
}

int az_render_json(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg)
{
	cJSON *root = cJSON_CreateObject(), *by_rule = NULL, *by_level = NULL, *results = NULL,
	      *errs = NULL;
	size_t counted = 0, suppressed = 0;
	int ret = root ? 0 : SDL_ENOMEM;

	if (!ret)
		ret = sdl_json_add_str(root, "tool", AZ_TOOL_NAME);
	if (!ret)
		ret = sdl_json_add_str(root, "version", SDL_VERSION);
	if (!ret)
		ret = sdl_json_add_num(root, "translation_units", (double)run->ntus);
	if (!ret)
		ret = sdl_json_add_num(root, "parsed", (double)run->nparsed);
	if (!ret)
		ret = sdl_json_add_num(root, "from_cache", (double)run->ncached);
	if (!ret)
		ret = sdl_json_add_num(root, "files_analysed", (double)run->nartifacts);
	if (!ret)
		ret = sdl_json_add(root, "by_rule", by_rule = cJSON_CreateObject());
	if (!ret)
		ret = sdl_json_add(root, "by_level", by_level = cJSON_CreateObject());
	/* count per rule in pack order so the output is stable */
	for (size_t r = 0; r < cfg->pack->nrules && !ret; r++) {
		size_t n = 0;
		for (size_t i = 0; i < run->findings.count; i++)
			if (az_counts(&run->findings.items[i], cfg) &&
			    !strcmp(run->findings.items[i].rule_id, cfg->pack->rules[r].id))
				n++;
		if (n)
			ret = sdl_json_add_num(by_rule, cfg->pack->rules[r].id, (double)n);
	}
	for (int lv = SDL_LEVEL_ERROR; lv >= SDL_LEVEL_NOTE && !ret; lv--) {
		size_t n = 0;
		for (size_t i = 0; i < run->findings.count; i++)
			if (az_counts(&run->findings.items[i], cfg) &&
			    (int)run->findings.items[i].level == lv)
				n++;
		ret = sdl_json_add_num(by_level, sdl_level_name((enum sdl_level)lv), (double)n);
	}
	if (!ret)
		ret = sdl_json_add(root, "results", results = cJSON_CreateArray());
	for (size_t i = 0; i < run->findings.count && !ret; i++) {
		const struct sdl_finding *f = &run->findings.items[i];
		if (!az_counts(f, cfg)) {
			suppressed += f->suppressed;
			continue;
		}
		counted++;
		ret = az_finding_to_json(results, f, 0);
	}
	if (!ret)
		ret = sdl_json_add_num(root, "findings", (double)counted);
	if (!ret)
		ret = sdl_json_add_num(root, "suppressed", (double)suppressed);
	if (!ret)
		ret = sdl_json_add(root, "parse_errors", errs = cJSON_CreateArray());
	for (size_t i = 0; i < run->nerrors && !ret; i++)
		ret = sdl_json_add(errs, NULL, cJSON_CreateString(run->errors[i]));
	if (!ret)
		ret = sdl_json_render(out, root);
	cJSON_Delete(root);
	return ret;
}

int az_build_sarif(struct sdl_sarif_log *log, struct az_run_out *run,
		   const struct az_report_cfg *cfg, size_t *dropped)
{
	struct sdl_sarif_run *r;
	char uri[4200];
	int ret;

	sdl_sarif_log_init(log);
	log->runs = sdl_calloc(1, sizeof *log->runs);
	if (!log->runs)
		return SDL_ENOMEM;
	log->nruns = 1;
	r = &log->runs[0];
	sdl_sarif_run_init(r);
	r->tool_name = sdl_strdup(AZ_TOOL_NAME);
	r->tool_version = sdl_strdup(SDL_VERSION);
	r->automation_id = sdl_strdup(cfg->audit ? "sdl-analyze/audit" : "sdl-analyze/default");
	snprintf(uri, sizeof uri, "file://%s/", cfg->root);
	r->srcroot_uri = sdl_strdup(uri);
	r->execution_successful = run->nerrors == 0;
	if (!r->tool_name || !r->tool_version || !r->automation_id || !r->srcroot_uri)
		return SDL_ENOMEM;
	ret = az_pack_add_sarif_rules_help(r, cfg->pack, cfg->help_uri_base);
	for (size_t i = 0; i < run->nartifacts && !ret; i++)
		ret = sdl_sarif_run_add_artifact(r, run->artifacts[i]);
	for (size_t i = 0; i < run->nerrors && !ret; i++)
		ret = sdl_sarif_run_add_notification(r, SDL_LEVEL_ERROR, NULL, run->errors[i]);
	if (!ret && run->ndropped) {
		struct sdl_buf m = SDL_BUF_INIT;
		ret = sdl_buf_puts(&m, "compiler flags clang does not understand were dropped:");
		for (size_t i = 0; i < run->ndropped && !ret; i++)
			ret = sdl_buf_printf(&m, " %s", run->dropped[i]);
		if (!ret)
			ret = sdl_sarif_run_add_notification(r, SDL_LEVEL_NOTE, NULL, m.ptr);
		sdl_buf_release(&m);
	}
	size_t max = cfg->max_results ? cfg->max_results : AZ_SARIF_MAX_RESULTS;
	*dropped = 0;
	if (!ret && run->findings.count > max) {
		size_t total = run->findings.count;
		char m[320];
		*dropped = az_truncate_results(&run->findings, cfg->pack, max);
		snprintf(m, sizeof m,
			 "%zu results exceed the %zu a SARIF run may hold for GitHub code scanning: "
			 "the %zu most severe are kept, %zu left out (shard the run or use --baseline)",
			 total, max, max, *dropped);
		ret = sdl_sarif_run_add_notification(r, SDL_LEVEL_WARNING, NULL, m);
	}
	for (size_t i = 0; i < run->findings.count && !ret; i++)
		ret = sdl_findings_take(&r->results, &run->findings.items[i]);
	if (!ret)
		run->findings.count = 0;
	return ret;
}

/* ---- severity ------------------------------------------------------------ */

static double rule_severity(const struct az_pack *pack, const char *id)
{
	const struct az_rule *r = pack ? az_pack_find(pack, id) : NULL;
	return r && r->security_severity ? strtod(r->security_severity, NULL) : -1.0;
}

struct ranked {
	struct sdl_finding *f;
	double sev;
};

static int rank_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	if (a->f->suppressed != b->f->suppressed)
		return a->f->suppressed ? 1 : -1;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->f->level != b->f->level)
		return a->f->level > b->f->level ? -1 : 1;
	int an = a->f->baseline == SDL_BASELINE_UNCHANGED, bn = b->f->baseline == SDL_BASELINE_UNCHANGED;
	if (an != bn)
		return an ? 1 : -1;
	return sdl_finding_cmp(a->f, b->f);
}

static int order_cmp(const void *pa, const void *pb)
{
	return sdl_finding_cmp(pa, pb);
}

size_t az_truncate_results(struct sdl_findings *list, const struct az_pack *pack, size_t max)
{
	if (list->count <= max)
		return 0;
	struct ranked *rk = sdl_calloc(list->count, sizeof *rk);
	struct sdl_finding *kept = sdl_calloc(max ? max : 1, sizeof *kept);
	size_t n = list->count, dropped = n - max;
	if (!rk || !kept) { /* out of memory: keep the first `max` in output order */
		sdl_free(rk);
		sdl_free(kept);
		qsort(list->items, n, sizeof *list->items, order_cmp);
		for (size_t i = max; i < n; i++)
			sdl_finding_release(&list->items[i]);
		list->count = max;
		return dropped;
	}
	for (size_t i = 0; i < n; i++) {
		rk[i].f = &list->items[i];
		rk[i].sev = rule_severity(pack, list->items[i].rule_id);
	}
	qsort(rk, n, sizeof *rk, rank_cmp);
	for (size_t i = 0; i < max; i++) {
		kept[i] = *rk[i].f;
		memset(rk[i].f, 0, sizeof *rk[i].f); /* moved */
	}
	for (size_t i = 0; i < n; i++)
		sdl_finding_release(&list->items[i]);
	memcpy(list->items, kept, max * sizeof *kept);
	list->count = max;
	qsort(list->items, max, sizeof *list->items, order_cmp);
	sdl_free(rk);
	sdl_free(kept);
	return dropped;
}

/* ---- GitLab SAST --------------------------------------------------------- */

const char *az_gitlab_severity(const struct sdl_finding *f, const struct az_rule *rule)
{
	double s = rule && rule->security_severity ? strtod(rule->security_severity, NULL) : -1.0;
	/* an audit note of a rule whose default is higher is not the rule's full severity */
	if (rule && f->level == SDL_LEVEL_NOTE && rule->level > SDL_LEVEL_NOTE && s >= 4.0)
		return "Low";
	/* GitHub's bands for security-severity: > 9.0 critical, >= 7.0 high, >= 4.0 medium */
	if (s > 9.0)
		return "Critical";
	if (s >= 7.0)
		return "High";
	if (s >= 4.0)
		return "Medium";
	if (s > 0.0)
		return "Low";
	if (s == 0.0)
		return "Info";
	switch (f->level) {
	case SDL_LEVEL_ERROR: return "High";
	case SDL_LEVEL_WARNING: return "Medium";
	case SDL_LEVEL_NOTE: return "Low";
	default: return "Info";
	}
}

static int add_identifier(cJSON *ids, const char *type, const char *name, const char *value,
			  const char *url)
{
	cJSON *o = cJSON_CreateObject();
	int ret = sdl_json_add(ids, NULL, o);
	if (!ret)
		ret = sdl_json_add_str(o, "type", type);
	if (!ret)
		ret = sdl_json_add_str(o, "name", name);
	if (!ret)
		ret = sdl_json_add_str(o, "value", value);
	if (!ret)
		ret = sdl_json_add_str(o, "url", url);
	return ret;
}

static int add_component(cJSON *scan, const char *key)
{
	cJSON *o = cJSON_CreateObject(), *vendor = NULL;
	int ret = sdl_json_add(scan, key, o);
	if (!ret)
		ret = sdl_json_add_str(o, "id", AZ_TOOL_NAME);
	if (!ret)
		ret = sdl_json_add_str(o, "name", AZ_TOOL_NAME);
	if (!ret)
		ret = sdl_json_add_str(o, "version", SDL_VERSION);
	if (!ret)
		ret = sdl_json_add(o, "vendor", vendor = cJSON_CreateObject());
	if (!ret)
		ret = sdl_json_add_str(vendor, "name", "SDL toolchain");
	return ret;
}

/* A stable id: the fingerprint's first 128 bits as a UUID-shaped string. */
static void vuln_id(char out[37], const struct sdl_finding *f, size_t index)
{
	char hex[33];
	if (f->fingerprint && strlen(f->fingerprint) >= 32)
		memcpy(hex, f->fingerprint, 32);
	else
		snprintf(hex, sizeof hex, "%032zx", index);
	hex[32] = '\0';
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

int az_render_gitlab(struct sdl_buf *out, const struct az_run_out *run,
		     const struct az_report_cfg *cfg)
{
	cJSON *root = cJSON_CreateObject(), *scan = NULL, *vulns = NULL;
	int ret = root ? 0 : SDL_ENOMEM;

	/* GitLab security-report-schemas, SAST report format 15.x */
	if (!ret)
		ret = sdl_json_add_str(root, "version", AZ_GITLAB_SCHEMA_VERSION);
	if (!ret)
		ret = sdl_json_add(root, "scan", scan = cJSON_CreateObject());
	if (!ret)
		ret = add_component(scan, "analyzer");
	if (!ret)
		ret = add_component(scan, "scanner");
	if (!ret)
		ret = sdl_json_add_str(scan, "type", "sast");
	if (!ret)
		ret = sdl_json_add_str(scan, "start_time", cfg->start_time);
	if (!ret)
		ret = sdl_json_add_str(scan, "end_time", cfg->end_time);
	if (!ret)
		ret = sdl_json_add_str(scan, "status", "success");
	if (!ret)
		ret = sdl_json_add(root, "vulnerabilities", vulns = cJSON_CreateArray());
	for (size_t i = 0; i < run->findings.count && !ret; i++) {
		const struct sdl_finding *f = &run->findings.items[i];
		const struct az_rule *rule = az_pack_find(cfg->pack, f->rule_id);
		cJSON *v, *ids = NULL, *loc = NULL;
		char id[37], url[1024];
		const cJSON *it;
		if (f->suppressed) /* GitLab's own SARIF import drops accepted suppressions too */
			continue;
		vuln_id(id, f, i);
		ret = sdl_json_add(vulns, NULL, v = cJSON_CreateObject());
		if (!ret)
			ret = sdl_json_add_str(v, "id", id);
		if (!ret)
			ret = sdl_json_add_str(v, "name", rule && rule->summary ? rule->summary : f->rule_id);
		if (!ret)
			ret = sdl_json_add_str(v, "description", f->message ? f->message : f->rule_id);
		if (!ret)
			ret = sdl_json_add_str(v, "severity", az_gitlab_severity(f, rule));
		if (!ret)
			ret = sdl_json_add(v, "identifiers", ids = cJSON_CreateArray());
		if (!ret) {
			if (cfg->help_uri_base)
				snprintf(url, sizeof url, "%s/%s.md", cfg->help_uri_base, f->rule_id);
			ret = add_identifier(ids, "sdl_rule", f->rule_id, f->rule_id,
					     cfg->help_uri_base ? url : NULL);
		}
		if (rule)
			cJSON_ArrayForEach(it, rule->cwe) {
				if (ret || !cJSON_IsString(it) || strncmp(it->valuestring, "CWE-", 4))
					continue;
				snprintf(url, sizeof url, "https://cwe.mitre.org/data/definitions/%s.html",
					 it->valuestring + 4);
				ret = add_identifier(ids, "cwe", it->valuestring, it->valuestring + 4, url);
			}
		if (!ret)
			ret = sdl_json_add(v, "location", loc = cJSON_CreateObject());
		if (!ret)
			ret = sdl_json_add_str(loc, "file", f->path ? f->path : "unknown");
		if (!ret)
			ret = sdl_json_add_num(loc, "start_line", f->line ? f->line : 1);
		if (!ret)
			ret = sdl_json_add_num(loc, "end_line",
					       f->end_line >= f->line ? f->end_line : f->line ? f->line : 1);
		if (!ret && f->function)
			ret = sdl_json_add_str(loc, "method", f->function);
	}
	if (!ret)
		ret = sdl_json_render(out, root);
	cJSON_Delete(root);
	return ret;
}
