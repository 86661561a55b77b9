/*
 * command-injection: system, popen and the exec*p family run a command the
 * shell or PATH resolves; a command built from data that can come from
 * outside the program runs what an attacker chooses (CWE-78; CERT C ENV33-C).
 * Taint-aware: literal commands never report; unproven origins only with --audit.
 */
#include "az.h"
#include "lib/banned.h"

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (k != CXCursor_CallExpr || ev != AZ_ENTER || !ctx->callee[0])
		return;
	const cJSON *fns = az_rule_param(az_rule(ctx, "command-injection"), "functions");
	const cJSON *idx = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	if (!cJSON_IsNumber(idx))
		return;
	CXCursor arg = az_arg(c, (unsigned)idx->valueint);
	if (az_null(arg) || az_is_literal_string(arg))
		return;
	long long v;
	if (az_int_const(arg, &v)) /* system(NULL) asks whether a shell exists */
		return;
	az_sink(ctx, "command-injection", arg, az_eval(ctx, arg), 0,
		"command passed to '%s' is not a constant string", ctx->callee);
}

const struct az_checker az_check_command = { "command", NULL, visit, NULL };
