/*
 * collect_tracker.c and collect_scoping.c: tracker exports in the three
 * shapes, both sides of every check, malformed input, allocation failures;
 * the SM-5 scoping file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gate_test.h"
#include "lib/banned.h"

#define NOW 1772323200LL /* 2026-03-01 */

static void setup(struct gate_eval *ev, char **dir, const char *issues)
{
	*dir = gt_tmpdir();
	gt_eval(ev, *dir, NOW);
	if (issues) {
		gt_write(*dir, "issues.json", issues);
		ev->project.tracker = sdl_strdup("issues.json");
	}
}

static void done(struct gate_eval *ev, char *dir)
{
	gate_eval_release(ev);
	gt_rm_rf(dir);
}

static const struct gate_check *run(struct gate_eval *ev, const char *id)
{
	int ret = gate_collect_tracker(ev);
	if (ret < 0)
		fprintf(stderr, "%s\n", sdl_error_last());
	assert_int_equal(ret, 0);
	return gt_check(ev, id);
}

static int has_viol(const struct gate_check *c, const char *needle)
{
	for (size_t i = 0; i < c->nviol; i++)
		if (strstr(c->viol[i].message, needle))
			return 1;
	return 0;
}

static void native_passes(void **state)
{
	struct gate_eval ev;
	char *dir;
	const struct gate_check *c;
	(void)state;
	setup(&ev, &dir,
	      "{\"schema\":\"sdl-gate-tracker/1\",\"issues\":["
	      "{\"id\":\"SEC-1\",\"title\":\"t\",\"state\":\"closed\",\"labels\":[\"Security\",\"severity:high\"],"
	      "\"created\":\"2026-01-01\",\"closed\":\"2026-01-11\"},"
	      "{\"id\":\"SEC-2\",\"title\":\"u\",\"state\":\"closed\",\"security\":true,\"severity\":\"low\","
	      "\"created\":\"2026-01-01\",\"closed\":\"2026-01-03\"},"
	      "{\"id\":7,\"title\":\"bug\",\"state\":\"open\",\"labels\":[\"bug\"]}]}");
	c = run(&ev, "tracker.security-issues");
	assert_int_equal(c->state, GATE_CHECK_PASS);
	assert_non_null(strstr(c->summary, "2 security issue(s)"));
	assert_int_equal(gt_check(&ev, "tracker.triaged")->state, GATE_CHECK_PASS);
	c = gt_check(&ev, "tracker.metrics");
	assert_int_equal(c->state, GATE_CHECK_PASS);
	assert_non_null(strstr(c->summary, "median 6, max 10 day(s)"));
	/* no issue-review record at all */
	c = gt_check(&ev, "tracker.review");
	assert_int_equal(c->state, GATE_CHECK_FAIL);
	assert_true(has_viol(c, "no valid \"issue-review\" record"));
	done(&ev, dir);
}

static void open_issues(void **state)
{
	struct gate_eval ev;
	char *dir;
	const struct gate_check *c;
	(void)state;
	setup(&ev, &dir,
	      "{\"schema\":\"sdl-gate-tracker/1\",\"issues\":["
	      "{\"id\":\"A\",\"title\":\"none\",\"state\":\"open\",\"labels\":[\"security\"],\"created\":\"2025-10-01\"},"
	      "{\"id\":\"B\",\"title\":\"odd\",\"state\":\"open\",\"labels\":[\"security/net\",\"disposition:wontfix\",\"severity/low\"]},"
	      "{\"id\":\"C\",\"title\":\"fm\",\"state\":\"open\",\"body\":\"\\n---\\nsecurity: yes\\nseverity: High\\ndisposition: Fix Planned\\n---\\ntext\"},"
	      "{\"id\":\"D\",\"title\":\"no fm end\",\"state\":\"open\",\"labels\":[\"security\"],\"body\":\"---\\nseverity: low\"},"
	      "{\"id\":\"E\",\"title\":\"not fm\",\"state\":\"open\",\"labels\":[\"security\"],\"body\":\"severity: low\"}]}");
	c = run(&ev, "tracker.security-issues");
	assert_int_equal(c->state, GATE_CHECK_FAIL);
	assert_int_equal(c->nviol, 5);
	assert_true(has_viol(c, "open security issue A \"none\" has no DM-4 disposition"));
	assert_null(c->viol[0].key); /* cannot be waived */
	assert_true(has_viol(c, "disposition 'wontfix'"));
	assert_true(has_viol(c, "open security issue C \"fm\" (fix-planned) is released only under a valid waiver naming \"issue:C\""));
	assert_string_equal(c->viol[2].key, "issue:C");
	/* severity: A and E have none; D's unterminated front matter still counts */
	c = gt_check(&ev, "tracker.triaged");
	assert_int_equal(c->nviol, 2);
	assert_true(has_viol(c, "A \"none\" has no severity"));
	assert_true(has_viol(c, "E \"not fm\" has no severity"));
	/* A has been open 151 days, over the default policy's 90 */
	c = gt_check(&ev, "tracker.metrics");
	assert_int_equal(c->state, GATE_CHECK_FAIL);
	assert_true(has_viol(c, "A \"none\" has been open 151 days, over the policy's 90"));
	assert_string_equal(c->viol[0].key, "ttf:A");
	done(&ev, dir);
}

static void github_and_gitlab(void **state)
{
	struct gate_eval ev;
	char *dir;
	const struct gate_check *c;
	(void)state;
	setup(&ev, &dir,
	      "[{\"number\":3,\"title\":\"x\",\"state\":\"open\",\"labels\":[{\"name\":\"security\"},{\"name\":\"severity:low\"},{\"name\":\"disposition:accepted\"}]},"
	      "{\"number\":4,\"title\":\"pr\",\"state\":\"open\",\"labels\":[{\"name\":\"security\"}],\"pull_request\":{}},"
	      "{\"number\":5,\"title\":\"y\",\"state\":\"closed\",\"labels\":[{\"color\":\"red\"}],\"body\":null}]");
	c = run(&ev, "tracker.security-issues");
	assert_int_equal(c->nviol, 1);
	assert_string_equal(c->viol[0].key, "issue:3");
	assert_non_null(strstr(c->summary, "1 security issue(s)"));
	done(&ev, dir);

	setup(&ev, &dir,
	      "[{\"iid\":9,\"title\":\"z\",\"state\":\"opened\",\"labels\":[\"security\",\"severity::high\",\"disposition::deferred\"]},"
	      "{\"iid\":10,\"title\":\"w\",\"state\":\"closed\",\"labels\":[\"security\"],\"description\":\"---\\nseverity: low\\n---\"}]");
	c = run(&ev, "tracker.security-issues");
	assert_int_equal(c->nviol, 1);
	assert_string_equal(c->viol[0].key, "issue:9");
	assert_true(has_viol(c, "(deferred)"));
	assert_int_equal(gt_check(&ev, "tracker.triaged")->state, GATE_CHECK_PASS);
	done(&ev, dir);
}

static void custom_label_and_missing(void **state)
{
	struct gate_eval ev;
	char *dir;
	(void)state;
	setup(&ev, &dir, "[{\"id\":\"Q\",\"state\":\"open\",\"labels\":[\"security\",\"vuln\"]}]");
	sdl_free(ev.policy.settings.security_label);
	ev.policy.settings.security_label = sdl_strdup("vuln");
	assert_int_equal(run(&ev, "tracker.security-issues")->nviol, 1);
	done(&ev, dir);

	setup(&ev, &dir, NULL); /* nothing configured */
	assert_int_equal(run(&ev, "tracker.security-issues")->state, GATE_CHECK_MISSING);
	assert_int_equal(gt_check(&ev, "tracker.metrics")->state, GATE_CHECK_MISSING);
	done(&ev, dir);

	setup(&ev, &dir, NULL); /* a default location that does not exist */
	ev.project.tracker = sdl_strdup("build/out/issues.json");
	assert_int_equal(gate_strv_push(&ev.project.defaulted, "build/out/issues.json"), 0);
	assert_int_equal(run(&ev, "tracker.triaged")->state, GATE_CHECK_MISSING);
	done(&ev, dir);

	setup(&ev, &dir, NULL); /* named by the user and absent: bad input */
	ev.project.tracker = sdl_strdup("nope.json");
	assert_int_equal(gate_collect_tracker(&ev), SDL_ENOTFOUND);
	done(&ev, dir);
}

static void malformed(void **state)
{
	static const char *const cases[][2] = {
		{ "{\"issues\":[]}", "not a tracker export" },
		{ "{\"schema\":\"sdl-gate-tracker/1\",\"issues\":{}}", "not a tracker export" },
		{ "[1]", "issue 1 is not an object" },
		{ "[{\"state\":\"open\"}]", "issue 1 has no id" },
		{ "[{\"id\":\"\",\"state\":\"open\"}]", "issue 1 has no id" },
		{ "[{\"number\":2}]", "issue #2 has no \"state\"" },
		{ "[{\"number\":2,", "issues.json" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gate_eval ev;
		char *dir;
		int ret;
		setup(&ev, &dir, cases[i][0]);
		ret = gate_collect_tracker(&ev);
		if (ret != SDL_EINVAL || !strstr(sdl_error_last(), cases[i][1]))
			fprintf(stderr, "case %zu: %d %s\n", i, ret, sdl_error_last());
		assert_int_equal(ret, SDL_EINVAL);
		assert_non_null(strstr(sdl_error_last(), cases[i][1]));
		done(&ev, dir);
	}
}

static void tracker_alloc_failures(void **state)
{
	(void)state;
	for (int n = 1;; n++) {
		struct gate_eval ev;
		char *dir;
		int ret;
		setup(&ev, &dir,
		      "[{\"number\":3,\"title\":\"x\",\"state\":\"open\",\"created_at\":\"2025-01-01\",\"labels\":[\"security\",\"disposition:accepted\"]},"
		      "{\"number\":4,\"title\":\"y\",\"state\":\"closed\",\"created_at\":\"2026-01-01\",\"closed_at\":\"2026-02-01\",\"labels\":[\"security\"]}]");
		sdl_alloc_fail_at((unsigned long)n);
		ret = gate_collect_tracker(&ev);
		sdl_alloc_fail_at(0);
		done(&ev, dir);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
	}
}

/* ---------------- scoping ---------------- */

static char *scoping_text(const struct gate_catalog *cat, const char *skip, const char *extra)
{
	struct sdl_buf b = SDL_BUF_INIT;
	sdl_buf_init(&b, 1 << 20);
	assert_int_equal(sdl_buf_puts(&b, "{\"schema\":\"sdl-gate-scoping/1\",\"requirements\":{\n"), 0);
	for (size_t i = 0; i < cat->nreqs; i++) {
		if (skip && !strcmp(skip, cat->reqs[i].id))
			continue;
		assert_int_equal(sdl_buf_printf(&b, "\"%s\":{\"applicable\":true},\n", cat->reqs[i].id), 0);
	}
	assert_int_equal(sdl_buf_printf(&b, "%s\"zz\":{\"applicable\":true}}}", extra ? extra : ""), 0);
	return sdl_buf_detach(&b, NULL);
}

static const struct gate_check *scope(struct gate_eval *ev, const char *dir, const char *text)
{
	gt_write(dir, "scoping.json", text);
	ev->project.scoping = sdl_strdup("scoping.json");
	assert_int_equal(gate_collect_scoping(ev), 0);
	return gt_check(ev, "scoping.complete");
}

static void scoping(void **state)
{
	struct gate_eval ev;
	char *dir, *t;
	const struct gate_check *c;
	(void)state;

	setup(&ev, &dir, NULL);
	t = scoping_text(&ev.catalog, NULL, "\"SM-10\":{\"applicable\":false,\"reason\":\"none\"},");
	c = scope(&ev, dir, t);
	sdl_free(t);
	/* "zz" is not a requirement id */
	assert_int_equal(c->state, GATE_CHECK_FAIL);
	assert_int_equal(c->nviol, 1);
	assert_true(has_viol(c, "names requirement 'zz'"));
	done(&ev, dir);

	setup(&ev, &dir, NULL);
	t = scoping_text(&ev.catalog, "SG-7", "\"SM-10\":{\"applicable\":false},\"SM-3\":{\"applicable\":\"yes\"},");
	c = scope(&ev, dir, t);
	sdl_free(t);
	assert_true(has_viol(c, "does not decide SG-7"));
	assert_true(has_viol(c, "SM-10 is not applicable without a reason"));
	assert_true(has_viol(c, "SM-3 needs \"applicable\": true or false"));
	done(&ev, dir);

	/* the policy drops what the scoping keeps */
	setup(&ev, &dir, NULL);
	ev.policy.reqs[9].applicable = 0; /* SM-10 */
	assert_string_equal(ev.policy.reqs[9].id, "SM-10");
	t = scoping_text(&ev.catalog, NULL, NULL);
	c = scope(&ev, dir, t);
	sdl_free(t);
	assert_true(has_viol(c, "the policy marks SM-10 not applicable, but scoping.json scopes it in"));
	done(&ev, dir);

	/* a complete file passes */
	setup(&ev, &dir, NULL);
	{
		struct sdl_buf b = SDL_BUF_INIT;
		sdl_buf_init(&b, 1 << 20);
		assert_int_equal(sdl_buf_puts(&b, "{\"schema\":\"sdl-gate-scoping/1\",\"requirements\":{"), 0);
		for (size_t i = 0; i < ev.catalog.nreqs; i++)
			assert_int_equal(sdl_buf_printf(&b, "%s\"%s\":{\"applicable\":%s}", i ? "," : "",
							ev.catalog.reqs[i].id,
							i == 9 ? "false,\"reason\":\"no suppliers\"" : "true"),
					 0);
		assert_int_equal(sdl_buf_puts(&b, "}}"), 0);
		c = scope(&ev, dir, b.ptr);
		sdl_buf_release(&b);
	}
	assert_int_equal(c->state, GATE_CHECK_PASS);
	assert_non_null(strstr(c->summary, "46 applicable, 1 not applicable with a reason, of 47"));
	done(&ev, dir);

	/* bad input and missing evidence */
	setup(&ev, &dir, NULL);
	gt_write(dir, "scoping.json", "{\"schema\":\"x\"}");
	ev.project.scoping = sdl_strdup("scoping.json");
	assert_int_equal(gate_collect_scoping(&ev), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "not a scoping file"));
	done(&ev, dir);
	setup(&ev, &dir, NULL);
	assert_int_equal(gate_collect_scoping(&ev), 0);
	assert_int_equal(gt_check(&ev, "scoping.complete")->state, GATE_CHECK_MISSING);
	done(&ev, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_passes),
		cmocka_unit_test(open_issues),
		cmocka_unit_test(github_and_gitlab),
		cmocka_unit_test(custom_label_and_missing),
		cmocka_unit_test(malformed),
		cmocka_unit_test(tracker_alloc_failures),
		cmocka_unit_test(scoping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
