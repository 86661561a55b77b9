/*
 * Unit tests: sdl-gate collectors on fixture files, each side: evidence that
 * passes, evidence that fails the check, evidence that is unusable.
 * (Git-based checks are covered end to end by tests/e2e/gate_cases.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "gate_test.h"
#include "lib/banned.h"

#define NOW 1772323200LL /* 2026-03-01 */

static void setup(struct gate_eval *ev, char **dir)
{
	*dir = gt_tmpdir();
	gt_eval(ev, *dir, NOW);
}

static void done(struct gate_eval *ev, char *dir)
{
	gate_eval_release(ev);
	gt_rm_rf(dir);
}

static void expect_err(int ret, int code, const char *needle)
{
	assert_int_equal(ret, code);
	if (!strstr(sdl_error_last(), needle))
		fail_msg("error '%s' does not mention '%s'", sdl_error_last(), needle);
}

/* ---------------- JUnit ---------------- */

static const char *junit_ok =
	"<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\">\n"
	"<testcase name=\"t_SEC-REQ-1\" classname=\"c\" status=\"run\"/>\n"
	"<testcase name=\"t2\" classname=\"c\"><properties><property name=\"req\" value=\"SEC-REQ-2 MIT-7\"/></properties></testcase>\n"
	"<testcase name=\"skipped_SEC-REQ-3\" classname=\"c\"><skipped/></testcase>\n"
	"</testsuite></testsuites>\n";

static int run_junit(struct gate_eval *ev, const char *dir, const char *xml, const char *reqs,
		     const char *tm)
{
	gt_write(dir, "j.xml", xml);
	gt_write(dir, "req.md", reqs);
	gt_write(dir, "tm.md", tm);
	gate_strv_push(&ev->project.junit, "j.xml");
	ev->project.requirements = sdl_strdup("req.md");
	ev->project.threat_model = sdl_strdup("tm.md");
	return gate_collect_junit(ev);
}

static void junit_passes(void **state)
{
	struct gate_eval ev;
	char *d;
	(void)state;
	setup(&ev, &d);
	assert_int_equal(run_junit(&ev, d, junit_ok, "SEC-REQ-1 and SEC-REQ-2\n", "MIT-7\n"), 0);
	assert_int_equal(gt_check(&ev, "tests.present")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "tests.passed")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "tests.requirements")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "tests.threats")->state, GATE_CHECK_PASS);
	assert_non_null(strstr(gt_check(&ev, "tests.passed")->summary, "3 test case(s): 0 failed, 1 skipped"));
	assert_int_equal(ev.ninputs, 3);
	done(&ev, d);
}

static void junit_fails(void **state)
{
	struct gate_eval ev;
	char *d;
	const struct gate_check *c;
	(void)state;
	setup(&ev, &d);
	assert_int_equal(run_junit(&ev, d,
				   "<testsuite><testcase name=\"a\" classname=\"k\"><failure message=\"x\"/></testcase>\n"
				   "<testcase name=\"b\" classname=\"k\"><error/></testcase>\n"
				   "<testcase name=\"c\" status=\"fail\"/></testsuite>",
				   "SEC-REQ-1\n", "no ids here\n"),
			 0);
	c = gt_check(&ev, "tests.passed");
	assert_int_equal(c->state, GATE_CHECK_FAIL);
	assert_int_equal(c->nviol, 3);
	assert_string_equal(c->viol[0].key, "k.a");
	assert_int_equal(c->viol[0].line, 1);
	/* a failing test covers nothing; an id-less threat model is a violation */
	assert_int_equal(gt_check(&ev, "tests.requirements")->state, GATE_CHECK_FAIL);
	assert_string_equal(gt_check(&ev, "tests.requirements")->viol[0].key, "SEC-REQ-1");
	assert_int_equal(gt_check(&ev, "tests.threats")->state, GATE_CHECK_FAIL);
	done(&ev, d);

	/* skipped tests fail when the policy does not allow them */
	setup(&ev, &d);
	ev.policy.settings.allow_skipped_tests = 0;
	assert_int_equal(run_junit(&ev, d, junit_ok, "SEC-REQ-1\n", "MIT-7\n"), 0);
	assert_int_equal(gt_check(&ev, "tests.passed")->state, GATE_CHECK_FAIL);
	done(&ev, d);

	/* empty report */
	setup(&ev, &d);
	assert_int_equal(run_junit(&ev, d, "<testsuites/>", "SEC-REQ-1\n", "MIT-1\n"), 0);
	assert_int_equal(gt_check(&ev, "tests.present")->state, GATE_CHECK_FAIL);
	done(&ev, d);
}

static void junit_hostile(void **state)
{
	struct gate_eval ev;
	char *d;
	char deep[400] = "";
	(void)state;
	setup(&ev, &d);
	expect_err(run_junit(&ev, d,
			     "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<t>&x;</t>",
			     "", ""),
		   SDL_EINVAL, "j.xml:2: DOCTYPE refused");
	done(&ev, d);
	setup(&ev, &d);
	expect_err(run_junit(&ev, d, "<!DOCTYPE t SYSTEM \"http://example.com/t.dtd\"><t/>", "", ""),
		   SDL_EINVAL, "DOCTYPE refused");
	done(&ev, d);
	setup(&ev, &d);
	expect_err(run_junit(&ev, d, "<testsuite>\n<testcase name=\"a\">\n</testsuite>", "", ""),
		   SDL_EINVAL, "j.xml:3:");
	done(&ev, d);
	setup(&ev, &d);
	memcpy(deep, "<testsuites>", 13);
	for (int i = 0; i < 70; i++)
		memcpy(deep + 12 + 3 * i, "<a>", 4); /* 71 nested elements, NUL-terminated */
	expect_err(run_junit(&ev, d, deep, "", ""), SDL_ELIMIT, "deeper than 64");
	done(&ev, d);
	/* well-formed XML that is not JUnit: refused, not read as a report without tests */
	setup(&ev, &d);
	expect_err(run_junit(&ev, d, "<html><body><testcase name=\"a\"/></body></html>", "", ""),
		   SDL_EINVAL, "j.xml: not a JUnit report (root element <html>)");
	done(&ev, d);
	setup(&ev, &d);
	expect_err(run_junit(&ev, d, "<?xml version=\"1.0\"?>\n<testcase name=\"a\"/>", "", ""),
		   SDL_EINVAL, "(root element <testcase>)");
	done(&ev, d);
	setup(&ev, &d);
	sdl_free(ev.policy.settings.test_req_pattern);
	ev.policy.settings.test_req_pattern = sdl_strdup("SEC-(");
	expect_err(run_junit(&ev, d, junit_ok, "x", "y"), SDL_EINVAL, "test_requirement_pattern");
	done(&ev, d);
	/* a named file that does not exist is bad input; a default location is "missing" */
	setup(&ev, &d);
	gate_strv_push(&ev.project.junit, "nosuch.xml");
	expect_err(gate_collect_junit(&ev), SDL_ENOTFOUND, "nosuch.xml");
	done(&ev, d);
	setup(&ev, &d);
	gate_strv_push(&ev.project.junit, "nosuch.xml");
	gate_strv_push(&ev.project.defaulted, "nosuch.xml");
	assert_int_equal(gate_collect_junit(&ev), 0);
	assert_int_equal(gt_check(&ev, "tests.passed")->state, GATE_CHECK_MISSING);
	done(&ev, d);
}

static void junit_alloc_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1;; n++) {
		struct gate_eval ev;
		char *d;
		int ret;
		setup(&ev, &d);
		gt_write(d, "j.xml", junit_ok);
		gt_write(d, "req.md", "SEC-REQ-1\n");
		gt_write(d, "tm.md", "MIT-7\n");
		gate_strv_push(&ev.project.junit, "j.xml");
		ev.project.requirements = sdl_strdup("req.md");
		ev.project.threat_model = sdl_strdup("tm.md");
		sdl_alloc_fail_at(n);
		ret = gate_collect_junit(&ev);
		sdl_alloc_fail_at(0);
		done(&ev, d);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
	}
}

/* ---------------- SARIF ---------------- */

#define SARIF_FMT \
	"{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\",\"rules\":[{\"id\":\"R1\"}]}},\n" \
	"\"artifacts\":[{\"location\":{\"uri\":\"src/a.c\",\"uriBaseId\":\"%%SRCROOT%%\"}}],\n" \
	"\"results\":[%s]}]}"

static int run_sarif(struct gate_eval *ev, const char *dir, const char *results, const char *cdb)
{
	char doc[4096];
	snprintf(doc, sizeof(doc), SARIF_FMT, results);
	gt_write(dir, "a.sarif", doc);
	gate_strv_push(&ev->project.sarif, "a.sarif");
	if (cdb) {
		gt_write(dir, "cdb.json", cdb);
		ev->project.compile_db = sdl_strdup("cdb.json");
	}
	return gate_collect_sarif(ev);
}

#define RES(level, supp)                                                                   \
	"{\"ruleId\":\"R1\",\"level\":\"" level "\",\"message\":{\"text\":\"m\"},"        \
	"\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"src/a.c\"},"  \
	"\"region\":{\"startLine\":3}}}]" supp "}"

static void sarif_checks(void **state)
{
	struct gate_eval ev;
	char *d;
	char cdb[512];
	(void)state;
	/* pass: a note below the threshold, a justified suppression, full coverage */
	setup(&ev, &d);
	snprintf(cdb, sizeof(cdb), "[{\"directory\":\"%s\",\"file\":\"src/a.c\"},"
		 "{\"directory\":\"/usr\",\"file\":\"/usr/include/x.c\"}]", d);
	assert_int_equal(run_sarif(&ev, d,
				   RES("note", "") "," RES("error", ",\"suppressions\":[{\"kind\":\"inSource\",\"status\":\"accepted\",\"justification\":\"ok\"}]"),
				   cdb), 0);
	assert_int_equal(gt_check(&ev, "sarif.present")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "sarif.threshold")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "sarif.suppressions")->state, GATE_CHECK_PASS);
	assert_int_equal(gt_check(&ev, "sarif.coverage")->state, GATE_CHECK_PASS);
	done(&ev, d);

	/* fail: warning at threshold, unjustified suppression, an under-review
	 * suppression does not hide, a translation unit not analysed */
	setup(&ev, &d);
	assert_int_equal(run_sarif(&ev, d,
				   RES("warning", "") "," RES("error", ",\"suppressions\":[{\"kind\":\"inSource\",\"status\":\"accepted\",\"justification\":\"  \"}]")
				   "," RES("error", ",\"suppressions\":[{\"kind\":\"external\",\"status\":\"underReview\",\"justification\":\"j\"}]"),
				   "[{\"directory\":\".\",\"file\":\"src/a.c\"},{\"directory\":\".\",\"file\":\"src/b.c\"}]"),
			 0);
	assert_int_equal(gt_check(&ev, "sarif.threshold")->state, GATE_CHECK_FAIL);
	assert_int_equal(gt_check(&ev, "sarif.threshold")->nviol, 2);
	assert_string_equal(gt_check(&ev, "sarif.threshold")->viol[0].key, "R1:src/a.c:3");
	assert_int_equal(gt_check(&ev, "sarif.suppressions")->state, GATE_CHECK_FAIL);
	assert_int_equal(gt_check(&ev, "sarif.coverage")->state, GATE_CHECK_FAIL);
	assert_string_equal(gt_check(&ev, "sarif.coverage")->viol[0].key, "src/b.c");
	done(&ev, d);

	/* artifacts relative to a %SRCROOT% that is a subdirectory of the repository */
	setup(&ev, &d);
	{
		char doc[2048];
		snprintf(doc, sizeof(doc),
			 "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
			 "\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":\"file://%s/src/\"}},"
			 "\"artifacts\":[{\"location\":{\"uri\":\"a.c\",\"uriBaseId\":\"%%SRCROOT%%\"}}],"
			 "\"results\":[]}]}", d);
		gt_write(d, "sub.sarif", doc);
		gt_write(d, "cdb.json", "[{\"directory\":\".\",\"file\":\"src/a.c\"}]");
		gate_strv_push(&ev.project.sarif, "sub.sarif");
		ev.project.compile_db = sdl_strdup("cdb.json");
		assert_int_equal(gate_collect_sarif(&ev), 0);
		assert_int_equal(gt_check(&ev, "sarif.coverage")->state, GATE_CHECK_PASS);
	}
	done(&ev, d);

	/* no compile database: coverage is missing evidence, not a pass */
	setup(&ev, &d);
	assert_int_equal(run_sarif(&ev, d, RES("note", ""), NULL), 0);
	assert_int_equal(gt_check(&ev, "sarif.coverage")->state, GATE_CHECK_MISSING);
	done(&ev, d);

	/* threshold "error": a warning passes */
	setup(&ev, &d);
	ev.policy.settings.sarif_level = 3;
	assert_int_equal(run_sarif(&ev, d, RES("warning", ""), NULL), 0);
	assert_int_equal(gt_check(&ev, "sarif.threshold")->state, GATE_CHECK_PASS);
	done(&ev, d);

	/* unusable */
	setup(&ev, &d);
	gt_write(d, "bad.sarif", "{\"version\":\"2.1.0\"}");
	gate_strv_push(&ev.project.sarif, "bad.sarif");
	expect_err(gate_collect_sarif(&ev), SDL_EINVAL, "bad.sarif");
	done(&ev, d);
	setup(&ev, &d);
	gt_write(d, "cdb.json", "{}");
	ev.project.compile_db = sdl_strdup("cdb.json");
	expect_err(run_sarif(&ev, d, RES("note", ""), NULL), SDL_EINVAL, "JSON array");
	done(&ev, d);
}

/* ---------------- SBOM ---------------- */

static const char *comp_ok =
	"{\"type\":\"library\",\"bom-ref\":\"z\",\"name\":\"zlib\",\"version\":\"1.3\",\"supplier\":{\"name\":\"S\"},"
	"\"licenses\":[{\"license\":{\"id\":\"Zlib\"}}],\"purl\":\"pkg:generic/zlib@1.3\","
	"\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"00\"}]}";

static int run_sbom(struct gate_eval *ev, const char *dir, const char *comps, const char *vulns,
		    const char *ts)
{
	char doc[8192];
	snprintf(doc, sizeof(doc),
		 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"properties\":"
		 "[{\"name\":\"sdl-sbom:vulnerability-data:timestamp\",\"value\":\"%s\"}]},"
		 "\"components\":[%s],\"vulnerabilities\":[%s]}",
		 ts, comps, vulns);
	gt_write(dir, "s.json", doc);
	ev->project.sbom = sdl_strdup("s.json");
	return gate_collect_sbom(ev);
}

static void sbom_checks(void **state)
{
	struct gate_eval ev;
	char *d;
	(void)state;
	setup(&ev, &d);
	assert_int_equal(run_sbom(&ev, d, comp_ok,
				  "{\"id\":\"CVE-1\",\"ratings\":[{\"score\":9.8}],\"analysis\":{\"state\":\"not_affected\",\"justification\":\"code_not_reachable\"}},"
				  "{\"id\":\"CVE-2\",\"ratings\":[{\"severity\":\"medium\"}]}",
				  "2026-02-28T00:00:00Z"),
			 0);
	for (const char *const *id = (const char *const[]){ "sbom.present", "sbom.identity",
							     "sbom.unknown-reviewed", "sbom.vulnerabilities",
							     "sbom.vuln-data-age", NULL };
	     *id; id++)
		if (gt_check(&ev, *id)->state != GATE_CHECK_PASS)
			fail_msg("%s does not pass: %s", *id, gt_check(&ev, *id)->summary);
	done(&ev, d);

	setup(&ev, &d);
	assert_int_equal(run_sbom(&ev, d,
				  "{\"name\":\"mystery\",\"components\":[{\"name\":\"inner\",\"version\":\"1\",\"purl\":\"pkg:x/inner@1\"}]}",
				  "{\"id\":\"CVE-3\",\"ratings\":[{\"vector\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],\"analysis\":{\"state\":\"in_triage\"}},"
				  "{\"id\":\"CVE-4\"},"
				  "{\"id\":\"CVE-5\",\"ratings\":[{\"score\":8}],\"analysis\":{\"state\":\"not_affected\"}}",
				  "2026-01-01T00:00:00Z"),
			 0);
	assert_int_equal(gt_check(&ev, "sbom.identity")->nviol, 2); /* nested components count */
	assert_non_null(strstr(gt_check(&ev, "sbom.identity")->viol[0].message,
			       "version licence supplier purl-or-cpe hash"));
	assert_int_equal(gt_check(&ev, "sbom.unknown-reviewed")->nviol, 1);
	assert_int_equal(gt_check(&ev, "sbom.vulnerabilities")->nviol, 3);
	assert_string_equal(gt_check(&ev, "sbom.vulnerabilities")->viol[0].key, "CVE-3");
	assert_non_null(strstr(gt_check(&ev, "sbom.vulnerabilities")->viol[0].message, "9.8"));
	assert_non_null(strstr(gt_check(&ev, "sbom.vulnerabilities")->viol[1].message, "no usable rating"));
	assert_int_equal(gt_check(&ev, "sbom.vuln-data-age")->state, GATE_CHECK_FAIL);
	done(&ev, d);

	setup(&ev, &d);
	gt_write(d, "s.json", "{\"bomFormat\":\"SPDX\"}");
	ev.project.sbom = sdl_strdup("s.json");
	expect_err(gate_collect_sbom(&ev), SDL_EINVAL, "CycloneDX");
	done(&ev, d);

	/* top-level and nested members of the wrong type: not a CycloneDX SBOM */
	static const struct {
		const char *doc, *msg;
	} wrong[] = {
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":\"zlib\"}",
		  "s.json: not a CycloneDX SBOM: \"components\" is a string, not an array" },
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":{}}",
		  "\"components\" is an object, not an array" },
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":[]}",
		  "\"metadata\" is an array, not an object" },
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"properties\":1}}",
		  "\"properties\" is a number, not an array" },
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"vulnerabilities\":null}",
		  "\"vulnerabilities\" is null, not an array" },
		{ "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":"
		  "[{\"name\":\"a\",\"components\":true}]}",
		  "\"components\" is a boolean, not an array" },
	};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		setup(&ev, &d);
		gt_write(d, "s.json", wrong[i].doc);
		ev.project.sbom = sdl_strdup("s.json");
		expect_err(gate_collect_sbom(&ev), SDL_EINVAL, wrong[i].msg);
		done(&ev, d);
	}
	/* absent members are fine (an SBOM without vulnerabilities or metadata) */
	setup(&ev, &d);
	gt_write(d, "s.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[]}");
	ev.project.sbom = sdl_strdup("s.json");
	assert_int_equal(gate_collect_sbom(&ev), 0);
	assert_int_equal(gt_check(&ev, "sbom.present")->state, GATE_CHECK_PASS);
	done(&ev, d);
}

static void cvss(void **state)
{
	(void)state;
	/* reference scores (FIRST CVSS v3.1 calculator) */
	assert_true(gate_cvss3_base("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8);
	assert_true(gate_cvss3_base("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H") == 10.0);
	assert_true(gate_cvss3_base("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == 6.1);
	assert_true(gate_cvss3_base("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H") == 7.8);
	assert_true(gate_cvss3_base("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N") == 0.0);
	assert_true(gate_cvss3_base("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N") == 5.9);
	assert_true(gate_cvss3_base("AV:N/AC:L/Au:N/C:P/I:P/A:P") < 0); /* CVSS v2 */
	assert_true(gate_cvss3_base("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") < 0);
	assert_true(gate_cvss3_base("CVSS:3.1/AV:N") < 0);
	assert_true(gate_cvss3_base(NULL) < 0);
}

/* ---------------- documents ---------------- */

static void docs_without_git(void **state)
{
	struct gate_eval ev;
	char *d;
	(void)state;
	setup(&ev, &d);
	gt_write(d, "SECURITY.md", "# Security\n\n## Reporting a vulnerability\n\nMail security@example.com\n\n## Supported versions\n");
	gt_write(d, "docs/security/hardening-guide.md",
		 "Installation\n============\n\n# Configuration\n\nMaintenance\n- is not a heading\n"
		 "Reporting incidents\n--\n");
	assert_int_equal(gate_collect_docs(&ev), 0);
	assert_int_equal(gt_check(&ev, "doc.security_policy")->state, GATE_CHECK_PASS);
	/* two sections missing; an underlined heading counts */
	assert_int_equal(gt_check(&ev, "doc.hardening_guide")->state, GATE_CHECK_FAIL);
	assert_int_equal(gt_check(&ev, "doc.hardening_guide")->nviol, 2);
	/* freshness needs history: outside git a document with a window fails */
	assert_int_equal(gt_check(&ev, "doc.threat_model")->state, GATE_CHECK_MISSING);
	done(&ev, d);

	setup(&ev, &d);
	gt_write(d, "SECURITY.md", "# Security\n## Report\n## Supported\nWrite to us.\n");
	gt_write(d, "docs/security/threat-model.md",
		 "# TM\n## Data flows\n## Trust boundaries\n## Threats\n## Mitigations\nLast reviewed: 2026-02-01\n");
	assert_int_equal(gate_collect_docs(&ev), 0);
	assert_int_equal(gt_check(&ev, "doc.security_policy")->state, GATE_CHECK_FAIL);
	assert_non_null(strstr(gt_check(&ev, "doc.security_policy")->viol[0].message, "no reporting contact"));
	assert_int_equal(gt_check(&ev, "doc.threat_model")->state, GATE_CHECK_FAIL);
	assert_non_null(strstr(gt_check(&ev, "doc.threat_model")->viol[0].message, "not committed"));
	done(&ev, d);
}

/* ---------------- records and waivers ---------------- */

#define RECORD_FMT \
	"{\"record_id\":\"%s\",\"requirements\":[\"SVV-4\"],\"activity\":\"pentest\"," \
	"\"performed_by\":[{\"name\":\"P\",\"identity\":\"p@x\"}],\"performed_at\":\"2026-01-10\"," \
	"\"inputs\":[%s],\"outcome\":\"%s\",\"approved_by\":{\"name\":\"A\",\"identity\":\"a@x\"}," \
	"\"approved_at\":\"2026-01-11\",\"valid_until\":\"%s\"}"

static void write_record(const char *d, const char *id, const char *inputs, const char *outcome,
			 const char *until)
{
	char doc[2048], rel[128];
	snprintf(doc, sizeof(doc), RECORD_FMT, id, inputs, outcome, until);
	snprintf(rel, sizeof(rel), "rec/%s.json", id);
	gt_write(d, rel, doc);
}

static void records(void **state)
{
	struct gate_eval ev;
	char *d;
	(void)state;
	setup(&ev, &d);
	gt_write(d, "report.pdf", "abc");
	write_record(d, "R1",
		     "{\"path\":\"report.pdf\",\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}",
		     "pass", "2027-01-01");
	write_record(d, "R2", "", "pass", "2026-02-01");
	write_record(d, "R3", "", "conditional", "2027-01-01");
	write_record(d, "R4", "{\"path\":\"report.pdf\",\"sha256\":\"00\"}", "pass", "2027-01-01");
	write_record(d, "R5", "{\"path\":\"../etc/passwd\",\"sha256\":\"00\"}", "pass", "2027-01-01");
	gt_write(d, "rec/R6.json", "{\"record_id\":\"R6\",\"requirements\":[\"SVV-4\"]}");
	gt_write(d, "rec/notes.txt", "ignored");
	ev.project.attestations = sdl_strdup("rec");
	assert_int_equal(gate_collect_records(&ev), 0);
	assert_int_equal(ev.nrecords, 6);
	assert_true(ev.records[0].valid);
	assert_false(ev.records[1].valid);
	assert_non_null(strstr(ev.records[1].invalid_why, "expired on 2026-02-01"));
	assert_non_null(strstr(ev.records[2].invalid_why, "outcome 'conditional'"));
	assert_non_null(strstr(ev.records[3].invalid_why, "no longer matches"));
	assert_non_null(strstr(ev.records[4].invalid_why, "outside the repository"));
	assert_non_null(strstr(ev.records[5].invalid_why, "incomplete"));
	assert_int_equal(gt_check(&ev, "records.valid")->nviol, 5);
	done(&ev, d);

	setup(&ev, &d);
	gt_write(d, "rec/bad.json", "[1,");
	ev.project.attestations = sdl_strdup("rec");
	expect_err(gate_collect_records(&ev), SDL_EINVAL, "bad.json:1:");
	done(&ev, d);
}

static void waivers(void **state)
{
	struct gate_eval ev;
	char *d;
	(void)state;
	setup(&ev, &d);
	gt_write(d, "w.json",
		 "{\"schema\":\"sdl-gate-waivers/1\",\"waivers\":["
		 "{\"id\":\"ok\",\"finding\":\"k\",\"owner\":\"o\",\"approver\":\"a\",\"reason\":\"r\",\"expires\":\"2026-04-01\"},"
		 "{\"id\":\"self\",\"finding\":\"k\",\"owner\":\"o@x\",\"approver\":\"O@X\",\"reason\":\"r\",\"expires\":\"2026-04-01\"},"
		 "{\"id\":\"old\",\"finding\":\"k\",\"owner\":\"o\",\"approver\":\"a\",\"reason\":\"r\",\"expires\":\"2026-02-01\"},"
		 "{\"id\":\"far\",\"requirement\":\"SI-1\",\"owner\":\"o\",\"approver\":\"a\",\"reason\":\"r\",\"expires\":\"2027-02-01\"},"
		 "{\"id\":\"both\",\"requirement\":\"SI-1\",\"finding\":\"k\",\"owner\":\"o\",\"approver\":\"a\",\"reason\":\"r\",\"expires\":\"2026-04-01\"},"
		 "{\"id\":\"noreason\",\"finding\":\"k\",\"owner\":\"o\",\"approver\":\"a\",\"expires\":\"2026-04-01\"}]}");
	ev.project.waivers = sdl_strdup("w.json");
	assert_int_equal(gate_collect_waivers(&ev), 0);
	assert_int_equal(ev.nwaivers, 6);
	assert_true(ev.waivers[0].valid);
	assert_non_null(strstr(ev.waivers[1].invalid_why, "own owner"));
	assert_non_null(strstr(ev.waivers[2].invalid_why, "expired"));
	assert_non_null(strstr(ev.waivers[3].invalid_why, "horizon"));
	assert_non_null(strstr(ev.waivers[4].invalid_why, "both"));
	assert_non_null(strstr(ev.waivers[5].invalid_why, "incomplete"));
	assert_int_equal(gt_check(&ev, "waivers.valid")->nviol, 5);
	done(&ev, d);

	/* no waiver file at all is fine: nothing is waived */
	setup(&ev, &d);
	ev.project.waivers = sdl_strdup("none.json");
	assert_int_equal(gate_collect_waivers(&ev), 0);
	assert_int_equal(gt_check(&ev, "waivers.valid")->state, GATE_CHECK_PASS);
	done(&ev, d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(junit_passes),
		cmocka_unit_test(junit_fails),
		cmocka_unit_test(junit_hostile),
		cmocka_unit_test(junit_alloc_failures),
		cmocka_unit_test(sarif_checks),
		cmocka_unit_test(sbom_checks),
		cmocka_unit_test(cvss),
		cmocka_unit_test(docs_without_git),
		cmocka_unit_test(records),
		cmocka_unit_test(waivers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
