/*
 * sdl-gate collector: test results (JUnit XML, including ctest --output-junit).
 *   tests.present       every configured JUnit file is present and well formed
 *   tests.passed        no test case failed or errored (skipped ones only if
 *                       settings.allow_skipped_tests)
 *   tests.requirements  every id matching settings.test_requirement_pattern in
 *                       the security requirements file is named by a passing
 *                       test case (name, classname or a property value)
 *   tests.threats       the same for settings.test_threat_pattern and the
 *                       threat model file
 *
 * XML is read with expat. Any DOCTYPE is refused (and so every entity
 * declaration: no internal or external entity expansion, CWE-611 / CWE-776),
 * parameter entity parsing is off, and depth, size and test case counts are
 * bounded.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <expat.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/banned.h"

struct jx {
	XML_Parser p;
	const char *file;
	int depth;
	int refused;            /* DOCTYPE or entity seen */
	int err;                /* our own error code to report */
	int in_case;
	int case_failed, case_skipped;
	struct sdl_buf text;    /* name + classname + property values of the current case */
	struct sdl_buf name;
	unsigned case_line;
	size_t ncases, nfailed, nskipped;
	/* results: per passing case its tag text, gathered for id matching */
	struct gate_strv passing;
	struct gate_check *passed;
	const char *rel;
	int allow_skipped;
};

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

static void stop(struct jx *x, int err)
{
	if (!x->err)
		x->err = err;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	struct jx *x = ud;
	if (++x->depth > GATE_MAX_XML_DEPTH) {
		sdl_error_set(SDL_ELIMIT, "%s:%lu: XML nested deeper than %d", x->file,
			      (unsigned long)XML_GetCurrentLineNumber(x->p), GATE_MAX_XML_DEPTH);
		stop(x, SDL_ELIMIT);
		return;
	}
	/* JUnit XML (as written by Ant, Maven Surefire, CTest, pytest, cmocka):
	 * the document element is <testsuites> or a single <testsuite>. */
	if (x->depth == 1 && strcmp(el, "testsuites") != 0 && strcmp(el, "testsuite") != 0) {
		sdl_error_set(SDL_EINVAL, "%s: not a JUnit report (root element <%.64s>)", x->file,
			      el);
		stop(x, SDL_EINVAL);
		return;
	}
	if (strcmp(el, "testcase") == 0) {
		const char *n = attr(atts, "name"), *cls = attr(atts, "classname");
		const char *status = attr(atts, "status");
		if (x->ncases >= GATE_MAX_TESTCASES) {
			sdl_error_set(SDL_ELIMIT, "%s: more than %d test cases", x->file,
				      GATE_MAX_TESTCASES);
			stop(x, SDL_ELIMIT);
			return;
		}
		x->in_case = 1;
		x->case_failed = x->case_skipped = 0;
		x->case_line = (unsigned)XML_GetCurrentLineNumber(x->p);
		sdl_buf_clear(&x->text);
		sdl_buf_clear(&x->name);
		int ret = 0;
		if (cls && (ret = sdl_buf_puts(&x->name, cls)) == 0)
			ret = sdl_buf_putc(&x->name, '.');
		if (ret == 0 && n)
			ret = sdl_buf_puts(&x->name, n);
		if (ret == 0)
			ret = sdl_buf_printf(&x->text, "%s %s", n ? n : "", cls ? cls : "");
		if (ret < 0) {
			if (ret == SDL_ELIMIT)
				sdl_error_set(ret, "%s:%lu: test case name too long", x->file,
					      (unsigned long)XML_GetCurrentLineNumber(x->p));
			stop(x, ret);
			return;
		}
		if (status && (!strcmp(status, "notrun") || !strcmp(status, "disabled")))
			x->case_skipped = 1;
		if (status && !strcmp(status, "fail"))
			x->case_failed = 1;
	} else if (x->in_case) {
		if (!strcmp(el, "failure") || !strcmp(el, "error"))
			x->case_failed = 1;
		else if (!strcmp(el, "skipped"))
			x->case_skipped = 1;
		else if (!strcmp(el, "property")) {
			const char *n = attr(atts, "name"), *v = attr(atts, "value");
			int ret = sdl_buf_printf(&x->text, " %s=%s", n ? n : "", v ? v : "");
			if (ret < 0) {
				if (ret == SDL_ELIMIT)
					sdl_error_set(ret, "%s:%lu: test case properties too long",
						      x->file, (unsigned long)XML_GetCurrentLineNumber(x->p));
				stop(x, ret);
			}
		}
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *el)
{
	struct jx *x = ud;
	x->depth--;
	if (strcmp(el, "testcase") != 0 || !x->in_case)
		return;
	x->in_case = 0;
	x->ncases++;
	if (x->case_failed) {
		x->nfailed++;
		if (gate_check_violation(x->passed, x->name.ptr, x->rel, x->case_line,
					 "test %s failed", x->name.ptr) < 0)
			stop(x, SDL_ENOMEM);
		return;
	}
	if (x->case_skipped) {
		x->nskipped++;
		if (!x->allow_skipped &&
		    gate_check_violation(x->passed, x->name.ptr, x->rel, x->case_line,
					 "test %s was skipped", x->name.ptr) < 0)
			stop(x, SDL_ENOMEM);
		return; /* a skipped test covers nothing */
	}
	if (gate_strv_push(&x->passing, x->text.ptr) < 0)
		stop(x, SDL_ENOMEM);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct jx *x = ud;
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	x->refused = 1;
	sdl_error_set(SDL_EINVAL,
		      "%s:%lu: DOCTYPE refused (entity declarations and external DTDs are not accepted in test results)",
		      x->file, (unsigned long)XML_GetCurrentLineNumber(x->p));
	stop(x, SDL_EINVAL);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
			      int len, const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	struct jx *x = ud;
	(void)name, (void)is_param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid,
		(void)notation;
	x->refused = 1;
	sdl_error_set(SDL_EINVAL, "%s:%lu: entity declaration refused", x->file,
		      (unsigned long)XML_GetCurrentLineNumber(x->p));
	stop(x, SDL_EINVAL);
}

/* Parse one JUnit file; failing and passing cases go into x. */
static int parse_junit(struct jx *x, const char *abs, const char *rel)
{
	struct sdl_buf data = SDL_BUF_INIT;
	int ret;
	x->p = NULL;
	if ((ret = sdl_fs_read_file(&data, abs, GATE_MAX_XML_BYTES)) < 0)
		goto done;
	x->p = XML_ParserCreate("UTF-8");
	if (!x->p) {
		ret = sdl_error_set(SDL_ENOMEM, "%s: cannot create an XML parser", rel);
		goto done;
	}
	x->file = rel;
	x->rel = rel;
	x->depth = 0;
	x->err = 0;
	x->in_case = 0;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	if (data.len > (size_t)0x7fffffff) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: too large", rel);
		goto done;
	}
	if (XML_Parse(x->p, data.ptr, (int)data.len, XML_TRUE) == XML_STATUS_ERROR) {
		if (x->err) {
			ret = x->err;
			if (ret == SDL_ENOMEM)
				sdl_error_set(SDL_ENOMEM, "%s: out of memory", rel);
		} else if (XML_GetErrorCode(x->p) == XML_ERROR_NO_MEMORY) {
			ret = sdl_error_set(SDL_ENOMEM, "%s: out of memory", rel);
		} else {
			ret = sdl_error_set(SDL_EINVAL, "%s:%lu:%lu: %s", rel,
					    (unsigned long)XML_GetCurrentLineNumber(x->p),
					    (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1,
					    XML_ErrorString(XML_GetErrorCode(x->p)));
		}
		goto done;
	}
	ret = 0;
done:
	if (x->p)
		XML_ParserFree(x->p);
	x->p = NULL;
	sdl_buf_release(&data);
	return ret;
}

/* Every match of re in subject, added to out. */
static int all_matches(struct gate_strv *out, pcre2_code *re, const char *subject)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	size_t off = 0, len = strlen(subject);
	int ret = 0;
	if (!md)
		return sdl_error_set(SDL_ENOMEM, "out of memory");
	while (off <= len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, off, 0, md, NULL);
		PCRE2_SIZE *ov;
		char *m;
		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] == ov[0]) {
			off = ov[1] + 1;
			continue;
		}
		m = sdl_strndup(subject + ov[0], ov[1] - ov[0]);
		if (!m) {
			ret = SDL_ENOMEM;
			break;
		}
		ret = gate_strv_push_unique(out, m);
		sdl_free(m);
		if (ret < 0)
			break;
		off = ov[1];
	}
	pcre2_match_data_free(md);
	return ret;
}

static int compile(pcre2_code **out, const char *pattern, const char *setting)
{
	int err;
	PCRE2_SIZE off;
	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off,
			     NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return sdl_error_set(SDL_EINVAL, "policy setting %s: bad pattern at offset %zu: %s",
				     setting, (size_t)off, (const char *)msg);
	}
	return 0;
}

/* The ids listed in file rel (requirements or threat model) and which passing test names them. */
static int coverage(struct gate_eval *ev, struct gate_check *chk, const char *rel,
		    const char *what, const char *pattern, const char *setting,
		    const struct gate_strv *passing)
{
	struct sdl_buf abs = SDL_BUF_INIT, text = SDL_BUF_INIT;
	struct gate_strv ids = { 0 }, covered = { 0 };
	pcre2_code *re = NULL;
	const char *name;
	int ret;

	if ((ret = compile(&re, pattern, setting)) < 0)
		goto done;
	ret = rel ? gate_evidence_locate(&abs, ev, rel, what) : 0;
	if (ret <= 0) {
		if (ret == 0)
			ret = gate_check_set(chk, GATE_CHECK_MISSING, "no %s at %s", what,
					     rel ? rel : "(none configured)");
		goto done;
	}
	if ((ret = sdl_fs_read_file(&text, abs.ptr, GATE_MAX_DOC_BYTES)) < 0)
		goto done;
	if (memchr(text.ptr, 0, text.len)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: binary file where text was expected", rel);
		goto done;
	}
	if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(chk, name)) < 0)
		goto done;
	if ((ret = all_matches(&ids, re, text.ptr)) < 0)
		goto done;
	for (size_t i = 0; i < passing->n; i++)
		if ((ret = all_matches(&covered, re, passing->v[i])) < 0)
			goto done;
	gate_strv_sort(&ids);
	if (!ids.n) {
		ret = gate_check_violation(chk, rel, rel, 0, "%s lists no id matching /%s/", rel,
					   pattern);
		goto done;
	}
	for (size_t i = 0; i < ids.n; i++) {
		if (gate_strv_has(&covered, ids.v[i]))
			continue;
		if ((ret = gate_check_violation(chk, ids.v[i], rel, 0,
						"%s (listed in %s) is covered by no passing test",
						ids.v[i], rel)) < 0)
			goto done;
	}
	ret = gate_check_set(chk, GATE_CHECK_PASS, "%zu of %zu id(s) in %s covered by passing tests",
			     ids.n - chk->nviol, ids.n, rel);
done:
	pcre2_code_free(re);
	gate_strv_release(&ids);
	gate_strv_release(&covered);
	sdl_buf_release(&abs);
	sdl_buf_release(&text);
	return ret;
}

int gate_collect_junit(struct gate_eval *ev)
{
	struct gate_check *pres = gate_check_get(ev, "tests.present");
	struct gate_check *passed = gate_check_get(ev, "tests.passed");
	struct gate_check *reqs = gate_check_get(ev, "tests.requirements");
	struct gate_check *thr = gate_check_get(ev, "tests.threats");
	struct sdl_buf abs = SDL_BUF_INIT;
	struct jx x;
	size_t nfiles = 0;
	int ret = 0;

	if (!pres || !passed || !reqs || !thr)
		return SDL_ENOMEM;
	memset(&x, 0, sizeof(x));
	sdl_buf_init(&x.text, 64 << 10);
	sdl_buf_init(&x.name, 4 << 10);
	x.passed = passed;
	x.allow_skipped = ev->policy.settings.allow_skipped_tests;
	for (size_t i = 0; i < ev->project.junit.n; i++) {
		const char *rel = ev->project.junit.v[i], *name;
		ret = gate_evidence_locate(&abs, ev, rel, "JUnit file");
		if (ret < 0)
			goto done;
		if (ret == 0)
			continue;
		if ((ret = parse_junit(&x, abs.ptr, rel)) < 0)
			goto done;
		nfiles++;
		if ((ret = gate_input_add(ev, rel, &name)) < 0 ||
		    (ret = gate_check_file(pres, name)) < 0 ||
		    (ret = gate_check_file(passed, name)) < 0 ||
		    (ret = gate_check_file(reqs, name)) < 0 || (ret = gate_check_file(thr, name)) < 0)
			goto done;
	}
	if (!nfiles) {
		const char *what = ev->project.junit.n ? ev->project.junit.v[0] : "(none configured)";
		struct gate_check *all[4] = { pres, passed, reqs, thr };
		for (int i = 0; i < 4; i++)
			if ((ret = gate_check_set(all[i], GATE_CHECK_MISSING, "no JUnit file at %s",
						  what)) < 0)
				goto done;
		ret = 0;
		goto done;
	}
	if (x.ncases == 0)
		ret = gate_check_set(pres, GATE_CHECK_FAIL, "%zu JUnit file(s) with no test case", nfiles);
	else
		ret = gate_check_set(pres, GATE_CHECK_PASS, "%zu JUnit file(s), %zu test case(s)",
				     nfiles, x.ncases);
	if (ret < 0 ||
	    (ret = gate_check_set(passed, x.ncases ? GATE_CHECK_PASS : GATE_CHECK_FAIL,
				  "%zu test case(s): %zu failed, %zu skipped", x.ncases, x.nfailed,
				  x.nskipped)) < 0)
		goto done;
	if ((ret = coverage(ev, reqs, ev->project.requirements, "security requirements file",
			    ev->policy.settings.test_req_pattern, "test_requirement_pattern",
			    &x.passing)) < 0 ||
	    (ret = coverage(ev, thr, ev->project.threat_model, "threat model",
			    ev->policy.settings.test_threat_pattern, "test_threat_pattern",
			    &x.passing)) < 0)
		goto done;
done:
	gate_strv_release(&x.passing);
	sdl_buf_release(&x.text);
	sdl_buf_release(&x.name);
	sdl_buf_release(&abs);
	return ret;
}
