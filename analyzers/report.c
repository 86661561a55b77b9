/* One result, three renderings: text like a compiler, SARIF, a JSON summary. */
#include <stdio.h>
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
		if (cfg->colour)
			ret = sdl_buf_printf(out, "\033[1m%s:%u:%u:\033[0m %s%s:\033[0m \033[1m%s\033[0m [%s]\n",
					     f->path ? f->path : "?", f->line, f->column, col, lv,
					     f->message, f->rule_id);
		else
			ret = sdl_buf_printf(out, "%s:%u:%u: %s: %s [%s]\n", f->path ? f->path : "?",
					     f->line, f->column, lv, f->message, f->rule_id);
	}
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
		cJSON *o = cJSON_CreateObject();
		ret = sdl_json_add(results, NULL, o);
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
		   const struct az_report_cfg *cfg)
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
	ret = az_pack_add_sarif_rules(r, cfg->pack);
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
	for (size_t i = 0; i < run->findings.count && !ret; i++)
		ret = sdl_findings_take(&r->results, &run->findings.items[i]);
	if (!ret)
		run->findings.count = 0;
	return ret;
}
