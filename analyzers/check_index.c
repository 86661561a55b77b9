/*
 * array-index-oob: a constant index outside a fixed-size array, and (taint-
 * aware) an index that can come from outside the program with no bound check
 * (CWE-129, CWE-787, CWE-125; CERT C ARR30-C). &a[N] (one past the end) is
 * allowed; old-style flexible array members (size 0 or 1 fields) are skipped.
 */
#include <string.h>

#include "az.h"
#include "lib/banned.h"

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (ev != AZ_ENTER || k != CXCursor_ArraySubscriptExpr || !ctx->in_func)
		return;
	CXCursor base = az_strip(az_child(c, 0)), index = az_child(c, 1);
	enum CXCursorKind bk = clang_getCursorKind(base);
	if (bk != CXCursor_DeclRefExpr && bk != CXCursor_MemberRefExpr)
		return;
	CXType t = clang_getCanonicalType(clang_getCursorType(base));
	if (t.kind != CXType_ConstantArray)
		return;
	long long size = clang_getArraySize(t), idx;
	char name[128];
	az_str(clang_getCursorSpelling(base), name, sizeof name);
	if (bk == CXCursor_MemberRefExpr && size <= 1)
		return;
	if (az_int_const(index, &idx)) {
		if (idx >= 0 && idx < size)
			return;
		if (idx == size) {
			unsigned p = az_real_parent(ctx, 0);
			char op[4];
			if (az_parent_kind(ctx, p) == CXCursor_UnaryOperator &&
			    !strcmp(az_unop(ctx->tu, az_parent(ctx, p), op, sizeof op), "&"))
				return;
		}
		az_report(ctx, "array-index-oob", SDL_LEVEL_NONE, c,
			  "index %lld is outside '%s' (%lld elements)", idx, name, size);
		return;
	}
	/* an unsigned char index cannot leave a 256-element table */
	CXType it = clang_getCanonicalType(clang_getCursorType(az_strip_casts(index)));
	if ((it.kind == CXType_UChar || it.kind == CXType_Bool) && size >= 256)
		return;
	az_sink(ctx, "array-index-oob", index, az_eval(ctx, index), 1,
		"index into '%s' (%lld elements) is not checked against its size", name, size);
}

const struct az_checker az_check_index = { "index", NULL, visit, NULL };
