/* Unit tests: sdl-gate catalogue, policy and project file loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "gate_test.h"

static void expect_error(int ret, int code, const char *needle)
{
	assert_int_equal(ret, code);
	if (!strstr(sdl_error_last(), needle))
		fail_msg("error '%s' does not mention '%s'", sdl_error_last(), needle);
	assert_null(strchr(sdl_error_last(), '\n'));
}

static void shipped_catalogues_load(void **state)
{
	struct gate_catalog c, cra;
	size_t per[8] = { 0 };
	const char *pr[8] = { "SM", "SR", "SD", "SI", "SVV", "DM", "SUM", "SG" };
	const size_t want[8] = { 13, 5, 4, 2, 5, 6, 5, 7 };
	(void)state;
	assert_int_equal(gate_catalog_load(&c, gt_src("rules/catalog/iec62443-4-1.json")), 0);
	assert_int_equal(c.nreqs, 47);
	assert_int_equal(c.npractices, 8);
	for (size_t i = 0; i < c.nreqs; i++)
		for (int p = 0; p < 8; p++)
			per[p] += !strcmp(c.reqs[i].practice, pr[p]);
	for (int p = 0; p < 8; p++)
		assert_int_equal(per[p], want[p]);
	assert_non_null(gate_catalog_find(&c, "SVV-5"));
	assert_int_equal(gate_catalog_find(&c, "SVV-4")->automation, 'H');
	assert_null(gate_catalog_find(&c, "SVV-6"));
	assert_int_equal(strlen(c.digest), 64);
	assert_int_equal(gate_catalog_load(&cra, gt_src("rules/catalog/cra-annex-i.json")), 0);
	for (size_t i = 0; i < cra.nreqs; i++) {
		assert_true(cra.reqs[i].maps_to.n > 0);
		for (size_t k = 0; k < cra.reqs[i].maps_to.n; k++) {
			const char *m = cra.reqs[i].maps_to.v[k];
			assert_int_equal(strncmp(m, "iec62443-4-1:", 13), 0);
			if (!gate_catalog_find(&c, m + 13))
				fail_msg("CRA item %s maps to unknown %s", cra.reqs[i].id, m);
		}
	}
	gate_catalog_release(&cra);
	gate_catalog_release(&c);
}

static const char *cat_head =
	"{\"schema\":\"sdl-gate-catalog/1\",\"id\":\"t\",\"title\":\"T\",\"version\":\"1\",\n"
	"\"practices\":[{\"id\":\"P\",\"title\":\"Practice\"}],\n\"requirements\":[\n";

static int load_cat(const char *reqs)
{
	char *d = gt_tmpdir(), path[512], doc[4096];
	struct gate_catalog c;
	int ret;
	snprintf(doc, sizeof(doc), "%s%s]}", cat_head, reqs);
	gt_write(d, "c.json", doc);
	snprintf(path, sizeof(path), "%s/c.json", d);
	ret = gate_catalog_load(&c, path);
	if (ret == 0)
		gate_catalog_release(&c);
	gt_rm_rf(d);
	return ret;
}

static void bad_catalogues(void **state)
{
	(void)state;
	assert_int_equal(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"}"), 0);
	expect_error(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"},\n"
			      "{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"}"),
		     SDL_EINVAL, "duplicate requirement id P-1");
	expect_error(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"Q\",\"automation\":\"A\"}"),
		     SDL_EINVAL, "unknown practice");
	expect_error(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"X\"}"),
		     SDL_EINVAL, "automation");
	expect_error(load_cat("{\"id\":\"P-1\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"}"),
		     SDL_EINVAL, "missing string \"title\"");
	expect_error(load_cat("{\"id\":\"<b>\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"}"),
		     SDL_EINVAL, "may hold only");
	expect_error(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\",\"maps_to\":[\"nocolon\"]}"),
		     SDL_EINVAL, "maps_to");
	/* position of a semantic error: the line of the offending id */
	expect_error(load_cat("{\"id\":\"P-1\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"P\",\"automation\":\"A\"},\n"
			      "{\"id\":\"P-2\",\"title\":\"a\",\"summary\":\"b\",\"practice\":\"Z\",\"automation\":\"A\"}"),
		     SDL_EINVAL, "c.json:5:7: P-2: unknown practice");
	expect_error(load_cat("{\"id\":"), SDL_EINVAL, "c.json:");
}

static void default_policy_covers_every_requirement(void **state)
{
	struct gate_catalog c;
	struct gate_policy p;
	(void)state;
	assert_int_equal(gate_catalog_load(&c, gt_src("rules/catalog/iec62443-4-1.json")), 0);
	assert_int_equal(gate_policy_load(&p, gt_src("rules/policy/ml3-default.json"), &c), 0);
	assert_int_equal(p.nreqs, 47);
	for (size_t i = 0; i < p.nreqs; i++) {
		assert_string_equal(p.reqs[i].id, c.reqs[i].id);
		if (!p.reqs[i].checks.n && !p.reqs[i].attest.required)
			fail_msg("default policy names no evidence for %s", p.reqs[i].id);
		/* H requirements need a human record */
		if (c.reqs[i].automation == 'H')
			assert_true(p.reqs[i].attest.required);
	}
	assert_int_equal(p.settings.sarif_level, 2 /* warning */);
	assert_true(p.settings.vuln_severity == 7.0);
	assert_non_null(gate_policy_doc(&p, "threat_model"));
	assert_int_equal(gate_policy_doc(&p, "threat_model")->max_age_days, 365);
	assert_true(gate_policy_doc(&p, "security_policy")->contact);
	gate_policy_release(&p);
	gate_catalog_release(&c);
}

static int load_pol(const char *body, struct gate_catalog *c)
{
	char *d = gt_tmpdir(), path[512], doc[8192];
	struct gate_policy p;
	int ret;
	snprintf(doc, sizeof(doc),
		 "{\"schema\":\"sdl-gate-policy/1\",\"catalog\":\"iec62443-4-1\",\n"
		 "\"documents\":{\"tm\":{\"sections\":[\"A\"],\"max_age_days\":30}},\n%s}", body);
	gt_write(d, "p.json", doc);
	snprintf(path, sizeof(path), "%s/p.json", d);
	ret = gate_policy_load(&p, path, c);
	if (ret == 0) {
		/* unnamed requirements are applicable without evidence */
		assert_int_equal(p.reqs[46].applicable, 1);
		gate_policy_release(&p);
	}
	gt_rm_rf(d);
	return ret;
}

static void bad_policies(void **state)
{
	struct gate_catalog c;
	(void)state;
	assert_int_equal(gate_catalog_load(&c, gt_src("rules/catalog/iec62443-4-1.json")), 0);
	assert_int_equal(load_pol("\"requirements\":{\"SI-1\":{\"checks\":[\"git.reviewed\",\"doc.tm\"]}}", &c), 0);
	assert_int_equal(load_pol("\"requirements\":{\"SM-10\":{\"applicable\":false,\"reason\":\"none\"}}", &c), 0);
	expect_error(load_pol("\"requirements\":{\n\"SM-99\":{}}", &c), SDL_EINVAL,
		     "p.json:4:1: unknown requirement id \"SM-99\"");
	expect_error(load_pol("\"requirements\":{\"SI-1\":{\"checks\":[\"git.bogus\"]}}", &c),
		     SDL_EINVAL, "unknown check \"git.bogus\"");
	expect_error(load_pol("\"requirements\":{\"SI-1\":{\"checks\":[\"doc.nope\"]}}", &c),
		     SDL_EINVAL, "names no entry of \"documents\"");
	expect_error(load_pol("\"requirements\":{\"SI-1\":{\"applicable\":false}}", &c), SDL_EINVAL,
		     "without a \"reason\"");
	expect_error(load_pol("\"settings\":{\"sarif_level\":\"loud\"},\"requirements\":{}", &c),
		     SDL_EINVAL, "sarif_level");
	expect_error(load_pol("\"settings\":{\"waiver_max_days\":-1},\"requirements\":{}", &c),
		     SDL_EINVAL, "waiver_max_days");
	expect_error(load_pol("\"settings\":{\"vuln_severity\":10.5},\"requirements\":{}", &c),
		     SDL_EINVAL, "vuln_severity");
	expect_error(load_pol("\"requirements\":[]", &c), SDL_EINVAL, "keyed by id");
	expect_error(load_pol("\"requirements\":{\"SI-1\":{\"attestation\":true}}", &c), SDL_EINVAL,
		     "attestation");
	expect_error(load_pol("\"requirements\":{,}", &c), SDL_EINVAL, "p.json:3:");
	gate_catalog_release(&c);
}

static void policy_alloc_failures(void **state)
{
	struct gate_catalog c;
	struct gate_policy p;
	unsigned long n;
	int ret;
	(void)state;
	assert_int_equal(gate_catalog_load(&c, gt_src("rules/catalog/iec62443-4-1.json")), 0);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		ret = gate_policy_load(&p, gt_src("rules/policy/ml3-default.json"), &c);
		sdl_alloc_fail_at(0);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
	}
	gate_policy_release(&p);
	for (n = 1;; n++) {
		struct gate_catalog c2;
		sdl_alloc_fail_at(n);
		ret = gate_catalog_load(&c2, gt_src("rules/catalog/cra-annex-i.json"));
		sdl_alloc_fail_at(0);
		if (ret == 0) {
			gate_catalog_release(&c2);
			break;
		}
		assert_int_equal(ret, SDL_ENOMEM);
	}
	gate_catalog_release(&c);
}

static void project_file(void **state)
{
	char *d = gt_tmpdir(), path[512];
	struct gate_project p;
	(void)state;
	gt_write(d, "ok.json",
		 "{\"schema\":\"sdl-gate-project/1\",\"policy\":\"pol/p.json\",\n"
		 "\"evidence\":{\"sarif\":[\"a.sarif\",\"./b/../b.sarif\"],\"sbom\":\"s.json\"},\n"
		 "\"documents\":{\"threat_model\":\"docs/tm.md\"},\"release\":{\"commit\":\"v2\",\"tag_pattern\":\"rel-*\"}}");
	snprintf(path, sizeof(path), "%s/ok.json", d);
	gate_project_init(&p);
	assert_int_equal(gate_project_load(&p, path), 0);
	assert_int_equal(gate_project_defaults(&p), 0);
	assert_string_equal(p.policy, "pol/p.json");
	assert_int_equal(p.sarif.n, 2);
	assert_string_equal(p.sarif.v[1], "b.sarif");
	assert_string_equal(p.sbom, "s.json");
	assert_string_equal(p.release, "v2");
	assert_string_equal(p.tag_pattern, "rel-*");
	assert_string_equal(gate_project_doc(&p, "threat_model"), "docs/tm.md");
	assert_null(gate_project_doc(&p, "nothing"));
	/* defaults fill the rest and are remembered as defaults */
	assert_string_equal(p.junit.v[0], "build/junit.xml");
	assert_true(gate_strv_has(&p.defaulted, "build/junit.xml"));
	assert_false(gate_strv_has(&p.defaulted, "s.json"));
	gate_project_release(&p);

	gt_write(d, "escape.json", "{\"schema\":\"sdl-gate-project/1\",\n\"evidence\":{\"sbom\":\"../x\"}}");
	snprintf(path, sizeof(path), "%s/escape.json", d);
	gate_project_init(&p);
	expect_error(gate_project_load(&p, path), SDL_EINVAL, "escape.json:2:13: \"sbom\"");
	gate_project_release(&p);
	gt_write(d, "abs.json", "{\"schema\":\"sdl-gate-project/1\",\"evidence\":{\"junit\":[\"/etc/x\"]}}");
	snprintf(path, sizeof(path), "%s/abs.json", d);
	gate_project_init(&p);
	expect_error(gate_project_load(&p, path), SDL_EINVAL, "stay inside");
	gate_project_release(&p);
	gt_write(d, "schema.json", "{\"evidence\":{}}");
	snprintf(path, sizeof(path), "%s/schema.json", d);
	gate_project_init(&p);
	expect_error(gate_project_load(&p, path), SDL_EINVAL, "not a project file");
	gate_project_release(&p);
	gt_rm_rf(d);
}

static void dates(void **state)
{
	long long t;
	char buf[32];
	(void)state;
	assert_int_equal(gate_parse_time(&t, "2026-03-01"), 0);
	assert_int_equal(t, 1772323200LL);
	assert_int_equal(gate_parse_time(&t, "2026-03-01T01:02:03Z"), 0);
	assert_int_equal(t, 1772323200LL + 3723);
	assert_int_equal(gate_parse_time(&t, "2026-03-01T01:02:03.123+01:00"), 0);
	assert_int_equal(t, 1772323200LL + 3723 - 3600);
	assert_int_equal(gate_parse_time(&t, "2026-03-01T00:00-00:30"), 0);
	assert_int_equal(t, 1772323200LL + 1800);
	gate_format_time(buf, sizeof(buf), 1772323200LL);
	assert_string_equal(buf, "2026-03-01T00:00:00Z");
	const char *bad[] = { "", "2026", "2026-13-01", "2026-02-30", "2026-03-01T", "2026-03-01T25:00Z",
			      "2026-03-01T10:00", "2026-03-01 junk", "26-03-01", "2026-03-01T10:00:00+0100" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (gate_parse_time(&t, bad[i]) != SDL_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(gate_parse_time(&t, NULL), SDL_EINVAL);
}

static void locate(void **state)
{
	char out[128];
	const char *doc = "{\n  \"a\": 1,\n  \"SM-1\": {}\n}";
	(void)state;
	gate_locate(out, sizeof(out), "f.json", doc, strlen(doc), "\"SM-1\"");
	assert_string_equal(out, "f.json:3:3");
	gate_locate(out, sizeof(out), "f.json", doc, strlen(doc), "\"none\"");
	assert_string_equal(out, "f.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_catalogues_load),
		cmocka_unit_test(bad_catalogues),
		cmocka_unit_test(default_policy_covers_every_requirement),
		cmocka_unit_test(bad_policies),
		cmocka_unit_test(policy_alloc_failures),
		cmocka_unit_test(project_file),
		cmocka_unit_test(dates),
		cmocka_unit_test(locate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
