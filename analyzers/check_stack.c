/*
 * vla-nonconst: variable-length arrays and alloca with a size that is not a
 * constant: an unchecked size exhausts or jumps over the stack (CWE-770,
 * CWE-121; CERT C ARR32-C, MEM05-C).
 */
#include "az.h"
#include "lib/banned.h"

/* A size that names a const variable with a constant initializer (C makes it a VLA, harmlessly). */
static enum CXChildVisitResult size_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	int *benign = data;
	(void)parent;
	if (!clang_isExpression(clang_getCursorKind(c)))
		return CXChildVisit_Continue;
	CXCursor d = az_var_of(c);
	long long v;
	*benign = !az_null(d) && clang_isConstQualifiedType(clang_getCursorType(d)) &&
		  !az_null(clang_Cursor_getVarDeclInitializer(d)) &&
		  az_int_const(clang_Cursor_getVarDeclInitializer(d), &v);
	return CXChildVisit_Break;
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (ev != AZ_ENTER || !ctx->in_func)
		return;
	if (k == CXCursor_VarDecl &&
	    clang_getCursorType(c).kind == CXType_VariableArray) {
		char name[128];
		int benign = 0;
		clang_visitChildren(c, size_cb, &benign);
		if (benign)
			return;
		az_str(clang_getCursorSpelling(c), name, sizeof name);
		az_report(ctx, "vla-nonconst", SDL_LEVEL_NONE, c,
			  "variable-length array '%s': its size is not a constant; use a fixed bound "
			  "or heap allocation", name);
		return;
	}
	if (k != CXCursor_CallExpr || !ctx->callee[0] ||
	    !az_json_strlist_has(az_rule_param(az_rule(ctx, "vla-nonconst"), "functions"),
				 ctx->callee))
		return;
	long long v;
	if (az_nargs(c) > 0 && !az_int_const(az_arg(c, 0), &v))
		az_report(ctx, "vla-nonconst", SDL_LEVEL_NONE, c,
			  "'%s' with a size that is not a constant", ctx->callee);
}

const struct az_checker az_check_stack = { "stack", NULL, visit, NULL };
