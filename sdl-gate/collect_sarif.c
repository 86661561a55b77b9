/*
 * sdl-gate collector: static analysis results (SARIF 2.1.0 from sdl-analyze
 * or any other tool, read with lib/sarif.h).
 *   sarif.present       every configured SARIF file is present and valid
 *   sarif.threshold     no unsuppressed result at or above settings.sarif_level
 *                       (a suppression counts only with status "accepted")
 *   sarif.suppressions  every accepted suppression carries a justification
 *   sarif.coverage      every translation unit of the compile database is
 *                       among the runs' analysed artifacts
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/finding.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/sarif.h"
#include "lib/banned.h"

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int finding_key(struct sdl_buf *key, const struct sdl_finding *f)
{
	sdl_buf_clear(key);
	if (f->fingerprint && *f->fingerprint)
		return sdl_buf_puts(key, f->fingerprint);
	return sdl_buf_printf(key, "%s:%s:%u", f->rule_id ? f->rule_id : "?",
			      f->path ? f->path : "?", f->line);
}

/* Strip "file://" and the repository prefix so paths compare as repo-relative. */
static const char *repo_relative(const char *p, const char *repo)
{
	size_t n = strlen(repo);
	if (strncmp(p, "file://", 7) == 0)
		p += 7;
	while (n && repo[n - 1] == '/')
		n--;
	if (p[0] == '/' && strncmp(p, repo, n) == 0 && p[n] == '/')
		return p + n + 1;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

static int coverage(struct gate_eval *ev, struct gate_check *cov, const struct gate_strv *analysed)
{
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT, full = SDL_BUF_INIT,
		       norm = SDL_BUF_INIT;
	cJSON *db = NULL;
	const cJSON *e;
	const char *rel = ev->project.compile_db, *name;
	size_t ntu = 0, nmiss = 0;
	int ret;

	if (!rel)
		return gate_check_set(cov, GATE_CHECK_MISSING,
				      "no compile database configured (evidence.compile_commands)");
	ret = gate_evidence_locate(&abs, ev, rel, "compile database");
	if (ret <= 0) {
		if (ret == 0)
			ret = gate_check_set(cov, GATE_CHECK_MISSING, "no compile database at %s", rel);
		goto done;
	}
	if ((ret = gate_json_load(&db, &raw, abs.ptr, GATE_MAX_EVIDENCE_BYTES)) < 0)
		goto done;
	if (!cJSON_IsArray(db)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: a compile database is a JSON array", rel);
		goto done;
	}
	if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(cov, name)) < 0)
		goto done;
	cJSON_ArrayForEach(e, db) {
		const char *file = sdl_json_str(e, "file"), *dir = sdl_json_str(e, "directory");
		const char *r;
		if (!file) {
			ret = sdl_error_set(SDL_EINVAL, "%s: an entry has no \"file\"", rel);
			goto done;
		}
		sdl_buf_clear(&full);
		if (file[0] == '/' || !dir)
			ret = sdl_buf_puts(&full, file);
		else
			ret = sdl_buf_printf(&full, "%s/%s", dir, file);
		if (ret < 0)
			goto done;
		r = repo_relative(full.ptr, ev->repo);
		if (r[0] == '/')
			continue; /* outside the repository: not ours to analyse */
		if (sdl_path_normalize(&norm, r) < 0)
			continue;
		ntu++;
		if (!gate_strv_has(analysed, norm.ptr)) {
			nmiss++;
			if ((ret = gate_check_violation(cov, norm.ptr, rel, 0,
							"translation unit %s was not analysed",
							norm.ptr)) < 0)
				goto done;
		}
	}
	ret = gate_check_set(cov, GATE_CHECK_PASS, "%zu of %zu translation unit(s) analysed",
			     ntu - nmiss, ntu);
done:
	cJSON_Delete(db);
	sdl_buf_release(&abs);
	sdl_buf_release(&raw);
	sdl_buf_release(&full);
	sdl_buf_release(&norm);
	return ret;
}

int gate_collect_sarif(struct gate_eval *ev)
{
	struct gate_check *pres = gate_check_get(ev, "sarif.present");
	struct gate_check *thr = gate_check_get(ev, "sarif.threshold");
	struct gate_check *sup = gate_check_get(ev, "sarif.suppressions");
	struct gate_check *cov = gate_check_get(ev, "sarif.coverage");
	struct sdl_buf abs = SDL_BUF_INIT, key = SDL_BUF_INIT, norm = SDL_BUF_INIT;
	struct gate_strv analysed = { 0 };
	size_t nfiles = 0, nresults = 0, nabove = 0, nsupp = 0;
	int ret = 0;

	if (!pres || !thr || !sup || !cov)
		return SDL_ENOMEM;
	for (size_t i = 0; i < ev->project.sarif.n; i++) {
		const char *rel = ev->project.sarif.v[i], *name;
		struct sdl_sarif_log log;
		sdl_sarif_log_init(&log);
		ret = gate_evidence_locate(&abs, ev, rel, "SARIF file");
		if (ret < 0)
			goto done;
		if (ret == 0)
			continue;
		if ((ret = sdl_sarif_read_file(&log, abs.ptr)) < 0) {
			sdl_sarif_log_release(&log);
			goto done;
		}
		nfiles++;
		if ((ret = gate_input_add(ev, rel, &name)) < 0 ||
		    (ret = gate_check_file(pres, name)) < 0 || (ret = gate_check_file(thr, name)) < 0 ||
		    (ret = gate_check_file(sup, name)) < 0 || (ret = gate_check_file(cov, name)) < 0) {
			sdl_sarif_log_release(&log);
			goto done;
		}
		for (size_t r = 0; ret == 0 && r < log.nruns; r++) {
			const struct sdl_sarif_run *run = &log.runs[r];
			for (size_t a = 0; ret == 0 && a < run->nartifacts; a++) {
				const char *p = run->artifacts[a];
				/* relative to the run's %SRCROOT%, which need not be the repository */
				sdl_buf_clear(&key);
				if (p[0] != '/' && strncmp(p, "file:", 5) != 0 && run->srcroot_uri &&
				    strncmp(run->srcroot_uri, "file://", 7) == 0) {
					const char *root = run->srcroot_uri + 7;
					size_t n = strlen(root);
					ret = sdl_buf_printf(&key, "%s%s%s", root,
							     n && root[n - 1] == '/' ? "" : "/", p);
					if (ret < 0)
						break;
					p = key.ptr;
				}
				p = repo_relative(p, ev->repo);
				if (p[0] != '/' && sdl_path_normalize(&norm, p) == 0)
					ret = gate_strv_push_unique(&analysed, norm.ptr);
			}
			for (size_t k = 0; ret == 0 && k < run->results.count; k++) {
				const struct sdl_finding *f = &run->results.items[k];
				int accepted = f->suppressed && f->supp.status == SDL_SUPP_ACCEPTED;
				nresults++;
				if ((ret = finding_key(&key, f)) < 0)
					break;
				if (accepted) {
					nsupp++;
					if (blank(f->supp.justification))
						ret = gate_check_violation(
							sup, key.ptr, rel, 0,
							"%s:%u: [%s] suppressed without a justification (%s)",
							f->path ? f->path : "?", f->line,
							f->rule_id ? f->rule_id : "?", run->tool_name);
					continue;
				}
				if ((int)f->level >= ev->policy.settings.sarif_level &&
				    f->level != SDL_LEVEL_NONE) {
					nabove++;
					ret = gate_check_violation(thr, key.ptr, rel, 0,
								   "%s:%u:%u: %s: %s [%s] (%s)",
								   f->path ? f->path : "?", f->line,
								   f->column, sdl_level_name(f->level),
								   f->message ? f->message : "",
								   f->rule_id ? f->rule_id : "?",
								   run->tool_name);
				}
			}
		}
		sdl_sarif_log_release(&log);
		if (ret < 0)
			goto done;
	}
	if (!nfiles) {
		const char *what = ev->project.sarif.n ? ev->project.sarif.v[0] : "(none configured)";
		if ((ret = gate_check_set(pres, GATE_CHECK_MISSING, "no SARIF file at %s", what)) < 0 ||
		    (ret = gate_check_set(thr, GATE_CHECK_MISSING, "no SARIF file at %s", what)) < 0 ||
		    (ret = gate_check_set(sup, GATE_CHECK_MISSING, "no SARIF file at %s", what)) < 0 ||
		    (ret = gate_check_set(cov, GATE_CHECK_MISSING, "no SARIF file at %s", what)) < 0)
			goto done;
		ret = 0;
		goto done;
	}
	if ((ret = gate_check_set(pres, GATE_CHECK_PASS, "%zu SARIF file(s), %zu result(s)", nfiles,
				  nresults)) < 0 ||
	    (ret = gate_check_set(thr, GATE_CHECK_PASS,
				  "%zu unsuppressed result(s) at or above level %s", nabove,
				  sdl_level_name((enum sdl_level)ev->policy.settings.sarif_level))) < 0 ||
	    (ret = gate_check_set(sup, GATE_CHECK_PASS, "%zu suppressed result(s), %zu unjustified",
				  nsupp, sup->nviol)) < 0)
		goto done;
	ret = coverage(ev, cov, &analysed);
done:
	gate_strv_release(&analysed);
	sdl_buf_release(&abs);
	sdl_buf_release(&key);
	sdl_buf_release(&norm);
	return ret;
}
