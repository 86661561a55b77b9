/*
 * sizeof-pointer: sizeof of a pointer given as the size of the buffer that
 * pointer designates, in memcpy, memset, strncpy, snprintf... (CWE-467;
 * CERT C ARR01-C).
 * sizeof-array-param: sizeof of a parameter declared as an array, which is a
 * pointer (CWE-467; CERT C ARR01-C).
 */
#include <string.h>

#include "az.h"
#include "lib/banned.h"

static int is_array_type(CXType t)
{
	return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
	       t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray;
}

/* The operand of a sizeof expression (null for sizeof(type)). */
static CXCursor sizeof_operand(CXCursor s)
{
	CXCursor e = az_child(s, 0);
	if (az_null(e) || !clang_isExpression(clang_getCursorKind(e)))
		return clang_getNullCursor();
	return az_strip(e);
}

static int is_array_param(CXCursor operand)
{
	if (clang_getCursorKind(operand) != CXCursor_DeclRefExpr)
		return 0;
	CXCursor d = clang_getCursorReferenced(operand);
	return clang_getCursorKind(d) == CXCursor_ParmDecl && is_array_type(clang_getCursorType(d));
}

static void check_call(struct az_ctx *ctx, CXCursor c)
{
	const cJSON *fns = az_rule_param(az_rule(ctx, "sizeof-pointer"), "functions");
	const cJSON *spec = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	/* "memcpy": [size_arg, buffer_arg...] */
	if (!cJSON_IsArray(spec) || cJSON_GetArraySize(spec) < 2)
		return;
	int si = cJSON_GetArrayItem(spec, 0)->valueint;
	CXCursor size = az_strip(az_arg(c, (unsigned)si));
	if (az_null(size) || !az_is_sizeof(ctx->tu, size))
		return;
	CXCursor op = sizeof_operand(size);
	if (az_null(op) || is_array_param(op))
		return;
	if (clang_getCanonicalType(clang_getCursorType(op)).kind != CXType_Pointer)
		return;
	CXCursor var = az_var_of(op);
	char ot[256];
	az_expr_text(ctx->tu, op, ot, sizeof ot);
	for (int i = 1; i < cJSON_GetArraySize(spec); i++) {
		CXCursor buf = az_arg(c, (unsigned)cJSON_GetArrayItem(spec, i)->valueint);
		char bt[256];
		if (az_null(buf))
			continue;
		CXCursor bv = az_var_of(buf);
		if ((!az_null(var) && az_streq_cursor(var, bv)) ||
		    !strcmp(az_expr_text(ctx->tu, buf, bt, sizeof bt), ot)) {
			az_report(ctx, "sizeof-pointer", SDL_LEVEL_NONE, size,
				  "'sizeof(%s)' is the size of a pointer, not of the buffer '%s' "
				  "points to, in '%s'", ot, ot, ctx->callee);
			return;
		}
	}
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (ev != AZ_ENTER)
		return;
	if (k == CXCursor_CallExpr && ctx->callee[0]) {
		check_call(ctx, c);
	} else if (k == CXCursor_UnaryExpr && az_is_sizeof(ctx->tu, c) == 1) {
		CXCursor op = sizeof_operand(c);
		if (!az_null(op) && is_array_param(op)) {
			char name[128];
			az_str(clang_getCursorSpelling(op), name, sizeof name);
			az_report(ctx, "sizeof-array-param", SDL_LEVEL_NONE, c,
				  "'sizeof(%s)' of an array parameter is the size of a pointer", name);
		}
	}
}

const struct az_checker az_check_sizeof = { "sizeof", NULL, visit, NULL };
