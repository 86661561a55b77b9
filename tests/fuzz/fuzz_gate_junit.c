/*
 * Fuzz target: sdl-gate/collect_junit.c, the JUnit XML reader (expat), via
 * gate_collect_junit() on <repo>/junit.xml, with a requirements file so
 * test-name id matching runs too. Properties: a failure carries one line;
 * on success every tests.* check has a state and a summary; one failing
 * allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char gate_junit_reqs[] = "SEC-REQ-1 login lockout\nSEC-REQ-2 signed updates\n"
				      "MIT-7 input length bound\n";

static int gate_junit_once(unsigned long fail, unsigned long *nalloc)
{
	struct gate_eval ev;
	int ret;

	gate_fuzz_eval_init(&ev);
	/* the policy's patterns pick the ids (default SEC-REQ-n, MIT-n) */
	if (gate_strv_push(&ev.project.junit, "junit.xml") < 0 ||
	    !(ev.project.requirements = strdup("requirements.md")))
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_collect_junit(&ev));
	fuzz_check_error(ret);
	if (ret == 0) {
		const char *ids[] = { "tests.present", "tests.passed", "tests.requirements",
				      "tests.threats" };
		for (size_t i = 0; i < 4; i++) {
			const struct gate_check *c = gate_check_find(&ev, ids[i]);
			FUZZ_CHECK(c && c->summary);
		}
	}
	gate_fuzz_eval_release(&ev);
	return ret;
}

SDL_FUZZ_TARGET(gate_junit)
{
	unsigned long nalloc = 0;

	gate_fuzz_write("requirements.md", gate_junit_reqs, sizeof(gate_junit_reqs) - 1);
	gate_fuzz_write("junit.xml", data, size);
	(void)gate_fuzz_catalog();
	gate_junit_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_junit_once(k, NULL));
	return 0;
}
