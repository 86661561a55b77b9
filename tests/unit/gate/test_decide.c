/*
 * Unit tests: sdl-gate decision rules (met / not met / waived / attested /
 * not applicable), finding waivers, attestation identity rules, the
 * renderers (escaping, well-formed output) and the package round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "gate_test.h"
#include "lib/json.h"
#include "lib/sarif.h"

#define NOW 1772323200LL

static const struct gate_result *result(const struct gate_eval *ev, const char *id)
{
	for (size_t i = 0; i < ev->nresults; i++)
		if (!strcmp(ev->results[i].req->id, id))
			return &ev->results[i];
	fail_msg("no result for %s", id);
	return NULL;
}

/* Every check the default policy names, passing. */
static void all_checks_pass(struct gate_eval *ev)
{
	for (size_t i = 0; i < ev->policy.nreqs; i++)
		for (size_t k = 0; k < ev->policy.reqs[i].checks.n; k++)
			assert_int_equal(gate_check_set(gate_check_get(ev, ev->policy.reqs[i].checks.v[k]),
							GATE_CHECK_PASS, "ok"), 0);
}

static struct gate_record *add_record(struct gate_eval *ev, const char *req, const char *activity,
				      const char *performer, const char *approver)
{
	struct gate_record *r;
	ev->records = sdl_reallocarray(ev->records, ev->nrecords + 1, sizeof(*ev->records));
	r = &ev->records[ev->nrecords++];
	memset(r, 0, sizeof(*r));
	r->file = sdl_strdup("records/r.json");
	r->record_id = sdl_strdup("R");
	r->activity = sdl_strdup(activity);
	gate_strv_push(&r->requirements, req);
	r->performers = sdl_calloc(1, sizeof(*r->performers));
	r->nperformers = 1;
	r->performers[0].name = sdl_strdup("Per Former");
	r->performers[0].identity = sdl_strdup(performer);
	r->approver.name = sdl_strdup("Ap Prover");
	r->approver.identity = sdl_strdup(approver);
	r->performed_at = NOW - 86400;
	r->valid = 1;
	return r;
}

static void add_waiver(struct gate_eval *ev, const char *id, const char *req, const char *finding,
		       int valid)
{
	struct gate_waiver *w;
	ev->waivers = sdl_reallocarray(ev->waivers, ev->nwaivers + 1, sizeof(*ev->waivers));
	w = &ev->waivers[ev->nwaivers++];
	memset(w, 0, sizeof(*w));
	w->id = sdl_strdup(id);
	w->requirement = req ? sdl_strdup(req) : NULL;
	w->finding = finding ? sdl_strdup(finding) : NULL;
	w->owner = sdl_strdup("o");
	w->approver = sdl_strdup("a");
	w->reason = sdl_strdup("because");
	w->expires = NOW + 86400;
	w->valid = valid;
	if (!valid)
		w->invalid_why = sdl_strdup("expired on 2026-02-01");
}

static void full_setup(struct gate_eval *ev)
{
	gt_eval(ev, "/nonexistent-repo", NOW);
	all_checks_pass(ev);
	for (size_t i = 0; i < ev->policy.nreqs; i++) {
		const struct gate_req_policy *p = &ev->policy.reqs[i];
		if (p->attest.required)
			add_record(ev, p->id, p->attest.activity, "doer@x", "boss@x");
	}
}

static void everything_met(void **state)
{
	struct gate_eval ev;
	(void)state;
	full_setup(&ev);
	assert_int_equal(gate_decide(&ev), 0);
	assert_true(ev.release);
	assert_int_equal(ev.counts[GATE_NOT_MET], 0);
	assert_int_equal(result(&ev, "SI-1")->status, GATE_MET);
	assert_int_equal(result(&ev, "SVV-4")->status, GATE_ATTESTED); /* record only */
	assert_int_equal(result(&ev, "SR-2")->status, GATE_MET);       /* checks + record */
	assert_int_equal(ev.counts[GATE_MET] + ev.counts[GATE_ATTESTED], 47);
	gate_eval_release(&ev);
}

static void failing_check_and_waivers(void **state)
{
	struct gate_eval ev;
	struct gate_check *c;
	(void)state;
	full_setup(&ev);
	c = gate_check_get(&ev, "sarif.threshold");
	gate_check_violation(c, "fp-1", "a.sarif", 0, "finding one");
	gate_check_violation(c, "fp-2", "a.sarif", 0, "finding two");
	add_waiver(&ev, "W1", NULL, "fp-1", 1);
	add_waiver(&ev, "W2", NULL, "fp-2", 0); /* invalid: does not count */
	add_waiver(&ev, "W3", NULL, "fp-9", 1); /* matches nothing */
	assert_int_equal(gate_decide(&ev), 0);
	assert_false(ev.release);
	assert_int_equal(result(&ev, "SI-1")->status, GATE_NOT_MET);
	assert_int_equal(result(&ev, "SM-11")->status, GATE_NOT_MET);
	assert_string_equal(c->viol[0].waiver, "W1");
	assert_null(c->viol[1].waiver);
	assert_int_equal(ev.warnings.n, 1);
	assert_non_null(strstr(ev.warnings.v[0], "W3 matches nothing"));
	gate_eval_release(&ev);

	/* both findings waived: the check passes, the release goes */
	full_setup(&ev);
	c = gate_check_get(&ev, "sarif.threshold");
	gate_check_violation(c, "fp-1", "a.sarif", 0, "finding one");
	add_waiver(&ev, "W1", NULL, "fp-1", 1);
	assert_int_equal(gate_decide(&ev), 0);
	assert_true(ev.release);
	assert_int_equal(c->state, GATE_CHECK_PASS);
	gate_eval_release(&ev);

	/* missing evidence is not met, and a requirement waiver turns it into waived */
	full_setup(&ev);
	gate_check_set(gate_check_get(&ev, "fuzz.duration"), GATE_CHECK_MISSING, "no fuzzing summary");
	add_waiver(&ev, "W4", "SVV-3", NULL, 1);
	assert_int_equal(gate_decide(&ev), 0);
	assert_true(ev.release);
	assert_int_equal(result(&ev, "SVV-3")->status, GATE_WAIVED);
	gate_eval_release(&ev);

	full_setup(&ev);
	gate_check_set(gate_check_get(&ev, "fuzz.duration"), GATE_CHECK_MISSING, "no fuzzing summary");
	add_waiver(&ev, "W5", "SVV-3", NULL, 0);
	assert_int_equal(gate_decide(&ev), 0);
	assert_false(ev.release);
	assert_int_equal(result(&ev, "SVV-3")->status, GATE_NOT_MET);
	gate_eval_release(&ev);
}

static void attestation_rules(void **state)
{
	struct gate_eval ev;
	(void)state;
	/* four eyes: approver among the performers */
	full_setup(&ev);
	for (size_t i = 0; i < ev.nrecords; i++)
		if (!strcmp(ev.records[i].activity, "pentest")) {
			sdl_free(ev.records[i].approver.identity);
			ev.records[i].approver.identity = sdl_strdup("DOER@x");
		}
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SVV-4")->status, GATE_NOT_MET);
	gate_eval_release(&ev);

	/* independence: the tester authored code in the range (identities compare without case) */
	full_setup(&ev);
	gate_strv_push(&ev.authors, "DOER@X");
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SVV-4")->status, GATE_NOT_MET);
	assert_int_equal(result(&ev, "SVV-5")->status, GATE_NOT_MET);
	assert_int_equal(result(&ev, "SD-3")->status, GATE_ATTESTED); /* no independence asked */
	gate_eval_release(&ev);

	/* too old for the requirement's window; an invalid record does not count */
	full_setup(&ev);
	for (size_t i = 0; i < ev.nrecords; i++) {
		if (!strcmp(ev.records[i].activity, "release-approval"))
			ev.records[i].performed_at = NOW - 40 * 86400LL;
		if (!strcmp(ev.records[i].activity, "design-review")) {
			ev.records[i].valid = 0;
			ev.records[i].invalid_why = sdl_strdup("expired on 2026-01-01");
		}
	}
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SM-12")->status, GATE_NOT_MET);
	assert_int_equal(result(&ev, "SD-3")->status, GATE_NOT_MET);
	gate_eval_release(&ev);

	/* a record of another activity does not satisfy the requirement */
	gt_eval(&ev, "/nonexistent-repo", NOW);
	all_checks_pass(&ev);
	add_record(&ev, "SVV-4", "review", "doer@x", "boss@x");
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SVV-4")->status, GATE_NOT_MET);
	gate_eval_release(&ev);
}

static void policy_shapes(void **state)
{
	struct gate_eval ev;
	(void)state;
	full_setup(&ev);
	ev.policy.reqs[9].applicable = 0; /* SM-10 */
	ev.policy.reqs[9].reason = sdl_strdup("no suppliers");
	gate_strv_release(&ev.policy.reqs[10].checks); /* SM-11 without any evidence */
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SM-10")->status, GATE_NA);
	assert_string_equal(result(&ev, "SM-10")->reasons[0].text, "no suppliers");
	assert_int_equal(result(&ev, "SM-11")->status, GATE_NOT_MET);
	assert_non_null(strstr(result(&ev, "SM-11")->reasons[0].text, "names no evidence"));
	gate_eval_release(&ev);

	/* a check no collector produced is not met, never silently passed */
	gt_eval(&ev, "/nonexistent-repo", NOW);
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(result(&ev, "SI-1")->status, GATE_NOT_MET);
	assert_non_null(strstr(result(&ev, "SI-1")->reasons[0].text, "not evaluated"));
	gate_eval_release(&ev);
}

static void cross_mapping(void **state)
{
	struct gate_eval ev;
	(void)state;
	full_setup(&ev);
	ev.extra = sdl_calloc(1, sizeof(*ev.extra));
	assert_int_equal(gate_catalog_load(&ev.extra[0], gt_src("rules/catalog/cra-annex-i.json")), 0);
	ev.nextra = 1;
	gate_check_set(gate_check_get(&ev, "doc.security_policy"), GATE_CHECK_MISSING, "no SECURITY.md");
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(ev.nxmaps, ev.extra[0].nreqs);
	for (size_t i = 0; i < ev.nxmaps; i++) {
		const char *id = ev.xmaps[i].item->id;
		/* II.6 (contact) and II.5 map to DM-1, which now fails; I.2m maps to SG-4 only */
		if (!strcmp(id, "II.6") || !strcmp(id, "II.5"))
			assert_int_equal(ev.xmaps[i].status, GATE_NOT_MET);
		if (!strcmp(id, "I.2m"))
			assert_int_equal(ev.xmaps[i].status, GATE_MET);
	}
	gate_eval_release(&ev);
}

static void fuzz_summaries(void **state)
{
	struct gate_eval ev;
	char *d = gt_tmpdir();
	(void)state;
	gt_eval(&ev, d, NOW);
	gt_write(d, "f.json", "{\"schema\":\"sdl-gate-fuzz/1\",\"harnesses\":["
		 "{\"name\":\"a\",\"seconds\":700,\"crashes\":[{\"id\":\"c1\",\"triaged\":true,\"tracker\":\"T-1\"}]},"
		 "{\"name\":\"b\",\"seconds\":10,\"crashes\":[{\"id\":\"c2\",\"triaged\":true}]}]}");
	gate_strv_push(&ev.project.fuzz, "f.json");
	assert_int_equal(gate_collect_fuzz(&ev), 0);
	assert_int_equal(gt_check(&ev, "fuzz.duration")->nviol, 1);
	assert_string_equal(gt_check(&ev, "fuzz.duration")->viol[0].key, "b");
	assert_int_equal(gt_check(&ev, "fuzz.crashes")->nviol, 1); /* triaged without tracker */
	assert_string_equal(gt_check(&ev, "fuzz.crashes")->viol[0].key, "c2");
	gate_eval_release(&ev);
	gt_eval(&ev, d, NOW);
	gt_write(d, "g.json", "{\"harnesses\":[]}");
	gate_strv_push(&ev.project.fuzz, "g.json");
	assert_int_equal(gate_collect_fuzz(&ev), SDL_EINVAL);
	gate_eval_release(&ev);
	gt_eval(&ev, d, NOW);
	assert_int_equal(gate_collect_fuzz(&ev), 0);
	assert_int_equal(gt_check(&ev, "fuzz.duration")->state, GATE_CHECK_MISSING);
	gate_eval_release(&ev);
	gt_rm_rf(d);
}

static void renderers_escape(void **state)
{
	struct gate_eval ev;
	struct sdl_buf b = SDL_BUF_INIT;
	struct sdl_sarif_log log;
	cJSON *j = NULL;
	(void)state;
	full_setup(&ev);
	gate_check_violation(gate_check_get(&ev, "tests.passed"), "k", "j.xml", 3,
			     "test <script>alert(1)</script> & \"quotes\" | pipes\x01");
	assert_int_equal(gate_decide(&ev), 0);

	assert_int_equal(gate_render_html(&b, &ev, NULL), 0);
	assert_null(strstr(b.ptr, "<script"));
	assert_non_null(strstr(b.ptr, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
	assert_non_null(strstr(b.ptr, "default-src 'none'"));
	assert_non_null(strstr(b.ptr, "<svg"));
	sdl_buf_clear(&b);

	assert_int_equal(gate_render_junit(&b, &ev), 0);
	assert_null(strstr(b.ptr, "<script"));
	assert_null(strchr(b.ptr, '\x01'));
	assert_non_null(strstr(b.ptr, "tests=\"47\""));
	sdl_buf_clear(&b);

	assert_int_equal(gate_render_md(&b, &ev), 0);
	assert_non_null(strstr(b.ptr, "RELEASE REFUSED"));
	assert_non_null(strstr(b.ptr, "\\| pipes"));
	sdl_buf_clear(&b);

	assert_int_equal(gate_render_json(&b, &ev), 0);
	assert_int_equal(sdl_json_parse(&j, b.ptr, b.len, "d.json", NULL), 0);
	assert_string_equal(sdl_json_str(j, "decision"), "no_release");
	assert_int_equal(cJSON_GetArraySize(sdl_json_arr(j, "requirements")), 47);
	assert_string_equal(sdl_json_str(j, "evaluated_at"), "2026-03-01T00:00:00Z");
	cJSON_Delete(j);
	sdl_buf_clear(&b);

	assert_int_equal(gate_render_sarif(&b, &ev), 0);
	sdl_sarif_log_init(&log);
	assert_int_equal(sdl_sarif_parse(&log, b.ptr, b.len, "g.sarif"), 0);
	assert_int_equal(log.nruns, 1);
	assert_int_equal(log.runs[0].nrules, 47);
	assert_true(log.runs[0].results.count >= 1);
	for (size_t i = 0; i < log.runs[0].results.count; i++)
		assert_non_null(gate_catalog_find(&ev.catalog, log.runs[0].results.items[i].rule_id));
	sdl_sarif_log_release(&log);
	sdl_buf_release(&b);
	gate_eval_release(&ev);
}

static void render_alloc_failures(void **state)
{
	struct gate_eval ev;
	(void)state;
	full_setup(&ev);
	gate_check_violation(gate_check_get(&ev, "tests.passed"), "k", "j.xml", 3, "failed");
	assert_int_equal(gate_decide(&ev), 0);
	for (int which = 0; which < 5; which++) {
		for (unsigned long n = 1;; n++) {
			struct sdl_buf b = SDL_BUF_INIT;
			int ret;
			sdl_alloc_fail_at(n);
			switch (which) {
			case 0: ret = gate_render_json(&b, &ev); break;
			case 1: ret = gate_render_md(&b, &ev); break;
			case 2: ret = gate_render_html(&b, &ev, NULL); break;
			case 3: ret = gate_render_junit(&b, &ev); break;
			default: ret = gate_render_sarif(&b, &ev); break;
			}
			sdl_alloc_fail_at(0);
			sdl_buf_release(&b);
			if (ret == 0)
				break;
			assert_int_equal(ret, SDL_ENOMEM);
		}
	}
	gate_eval_release(&ev);
}

static void package_round_trip(void **state)
{
	struct gate_eval ev;
	struct sdl_buf report = SDL_BUF_INIT;
	char *d = gt_tmpdir(), pkg[512], digest[SDL_HASH_HEX_MAX], digest2[SDL_HASH_HEX_MAX];
	(void)state;
	gt_write(d, "repo/evidence/a.txt", "evidence\n");
	full_setup(&ev);
	sdl_free(ev.repo);
	snprintf(pkg, sizeof(pkg), "%s/repo", d);
	ev.repo = sdl_strdup(pkg);
	assert_int_equal(gate_input_add(&ev, "evidence/a.txt", NULL), 0);
	assert_int_equal(gate_decide(&ev), 0);
	snprintf(pkg, sizeof(pkg), "%s/out/pkg", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), 0);
	assert_int_equal(gate_package_verify(&report, pkg, NULL, digest2), 0);
	assert_string_equal(digest, digest2);
	gt_write(d, "out/pkg/inputs/evidence/a.txt", "evidencE\n");
	assert_int_equal(gate_package_verify(&report, pkg, NULL, digest2), 1);
	assert_non_null(strstr(report.ptr, "changed: inputs/evidence/a.txt"));
	/* an input that changed after the decision read it is refused */
	gt_write(d, "repo/evidence/a.txt", "changed\n");
	snprintf(pkg, sizeof(pkg), "%s/out/pkg2", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), SDL_EIO);
	assert_false(sdl_fs_is_dir(pkg));
	sdl_buf_release(&report);
	gate_eval_release(&ev);
	gt_rm_rf(d);
}

/* A package path with a trailing slash names the same package (no nesting, no leftovers). */
static void package_target_spellings(void **state)
{
	struct gate_eval ev;
	struct sdl_buf report = SDL_BUF_INIT;
	char *d = gt_tmpdir(), pkg[512], p[600], digest[SDL_HASH_HEX_MAX],
	     digest2[SDL_HASH_HEX_MAX];
	const char *spellings[] = { "/out/pkg/", "/out/pkg", "/out/pkg//", "/out/pkg/." };
	(void)state;
	gt_write(d, "repo/evidence/a.txt", "evidence\n");
	full_setup(&ev);
	sdl_free(ev.repo);
	snprintf(pkg, sizeof(pkg), "%s/repo", d);
	ev.repo = sdl_strdup(pkg);
	assert_int_equal(gate_input_add(&ev, "evidence/a.txt", NULL), 0);
	assert_int_equal(gate_decide(&ev), 0);
	/* first written with the slash, then re-written over itself in every spelling */
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		snprintf(pkg, sizeof(pkg), "%s%s", d, spellings[i]);
		assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), 0);
		snprintf(p, sizeof(p), "%s/out/pkg/manifest.json", d);
		assert_true(sdl_fs_is_file(p));
		snprintf(p, sizeof(p), "%s/out/pkg/pkg", d);
		assert_false(sdl_fs_is_dir(p));
		snprintf(p, sizeof(p), "%s/out/pkg", d);
		assert_int_equal(gate_package_verify(&report, p, NULL, digest2), 0);
		assert_string_equal(digest, digest2);
	}
	snprintf(p, sizeof(p), "ls -A '%s/out' | grep -qvx pkg", d);
	assert_int_not_equal(system(p), 0); /* no .tmp-/.old- leftovers */
	/* "." and ".." are never a package */
	assert_int_equal(gate_package_write(&ev, ".", NULL, NULL, digest), SDL_EUSAGE);
	assert_int_equal(gate_package_write(&ev, "a/..", NULL, NULL, digest), SDL_EUSAGE);
	assert_int_equal(gate_package_write(&ev, "/", NULL, NULL, digest), SDL_EUSAGE);

	/* a failure leaves nothing new: not the target, not its new parents */
	gt_write(d, "repo/evidence/a.txt", "changed\n");
	snprintf(pkg, sizeof(pkg), "%s/new/deeper/pkg/", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), SDL_EIO);
	snprintf(p, sizeof(p), "%s/new", d);
	assert_false(sdl_fs_is_dir(p));
	/* an empty directory given as the target is still there after a failure */
	snprintf(p, sizeof(p), "%s/empty", d);
	assert_int_equal(mkdir(p, 0750), 0);
	snprintf(pkg, sizeof(pkg), "%s/empty/", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), SDL_EIO);
	assert_true(sdl_fs_is_dir(p));
	snprintf(p, sizeof(p), "%s/empty/manifest.json", d);
	assert_false(sdl_fs_is_file(p));
	/* and the earlier package is untouched */
	snprintf(pkg, sizeof(pkg), "%s/out/pkg/", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), SDL_EIO);
	snprintf(p, sizeof(p), "%s/out/pkg", d);
	assert_int_equal(gate_package_verify(&report, p, NULL, digest2), 0);
	sdl_buf_release(&report);
	gate_eval_release(&ev);
	gt_rm_rf(d);
}

/* Names printed by verify cannot forge or hide report lines (fuzz finding 13). */
static void verify_escapes_names(void **state)
{
	struct gate_eval ev;
	struct sdl_buf report = SDL_BUF_INIT;
	char *d = gt_tmpdir(), pkg[512], digest[SDL_HASH_HEX_MAX];
	size_t lines = 0;
	(void)state;
	gt_write(d, "repo/evidence/a.txt", "evidence\n");
	full_setup(&ev);
	sdl_free(ev.repo);
	snprintf(pkg, sizeof(pkg), "%s/repo", d);
	ev.repo = sdl_strdup(pkg);
	assert_int_equal(gate_input_add(&ev, "evidence/a.txt", NULL), 0);
	assert_int_equal(gate_decide(&ev), 0);
	snprintf(pkg, sizeof(pkg), "%s/pkg", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), 0);
	/* a file added to the package whose name carries a newline and an erase-line escape */
	gt_write(d, "pkg/x\nchanged: decision.json\x1b[2K\\\xc2\x9b", "added\n");
	assert_int_equal(gate_package_verify(&report, pkg, NULL, digest), 1);
	for (size_t i = 0; i < report.len; i++)
		lines += report.ptr[i] == '\n';
	assert_int_equal(lines, 1);
	assert_null(strchr(report.ptr, '\x1b'));
	assert_null(strstr(report.ptr, "\xc2\x9b"));
	assert_string_equal(report.ptr, "added: x\\nchanged: decision.json\\x1b[2K\\\\\\u009b "
					"(not in the manifest)\n");

	/* a manifest path with a control character is unusable input, not a report line */
	{
		char man[512];
		sdl_buf_clear(&report);
		snprintf(man, sizeof(man),
			 "{\"schema\": \"sdl-gate-manifest/1\", \"files\": [{\"path\": "
			 "\"x\\nchanged: decision.json\", \"size\": 1, \"sha256\": \"00\"}]}");
		gt_write(d, "pkg/manifest.json", man);
		assert_int_equal(gate_package_verify(&report, pkg, NULL, digest), SDL_EINVAL);
		assert_null(strchr(sdl_error_last(), '\n'));
		assert_int_equal(report.len, 0);
	}
	/* and the writer never puts one there */
	sdl_free(ev.inputs[0].name);
	ev.inputs[0].name = sdl_strdup("evidence/a\x1b.txt");
	snprintf(pkg, sizeof(pkg), "%s/pkg2", d);
	assert_int_equal(gate_package_write(&ev, pkg, NULL, NULL, digest), SDL_EINVAL);
	assert_false(sdl_fs_is_dir(pkg));
	sdl_buf_release(&report);
	gate_eval_release(&ev);
	gt_rm_rf(d);
}

/* Text from the catalogue, policy and evidence carries no terminal escapes into Markdown. */
static void markdown_no_escapes(void **state)
{
	struct gate_eval ev;
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;
	full_setup(&ev);
	gate_check_violation(gate_check_get(&ev, "tests.passed"), "k", "j.xml", 3,
			     "hidden\x1b[8m text\x7f and \xc2\x9b" "2K");
	sdl_free(ev.policy.name);
	ev.policy.name = sdl_strdup("pol\x1b]0;title\x07");
	assert_int_equal(gate_decide(&ev), 0);
	assert_int_equal(gate_render_md(&b, &ev), 0);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.ptr[i];
		assert_true(c >= 0x20 || c == '\n');
		assert_true(c != 0x7f);
		assert_false(c == 0xc2 && (unsigned char)b.ptr[i + 1] >= 0x80 &&
			     (unsigned char)b.ptr[i + 1] <= 0x9f);
	}
	assert_non_null(strstr(b.ptr, "hidden?[8m text? and ?2K"));
	assert_non_null(strstr(b.ptr, "policy \"pol?]0;title?\""));
	sdl_buf_release(&b);
	gate_eval_release(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(everything_met),
		cmocka_unit_test(failing_check_and_waivers),
		cmocka_unit_test(attestation_rules),
		cmocka_unit_test(policy_shapes),
		cmocka_unit_test(cross_mapping),
		cmocka_unit_test(fuzz_summaries),
		cmocka_unit_test(renderers_escape),
		cmocka_unit_test(render_alloc_failures),
		cmocka_unit_test(package_round_trip),
		cmocka_unit_test(package_target_spellings),
		cmocka_unit_test(verify_escapes_names),
		cmocka_unit_test(markdown_no_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
