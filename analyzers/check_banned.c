/*
 * banned-function: dangerous and obsolete library functions (CWE-676, CWE-242;
 * CERT C STR31-C, MSC24-C), each with its replacement from the rule pack.
 * atoi-family: conversions that cannot report errors (CERT C ERR34-C).
 * Matched by name, so calls still count where headers hide the declaration
 * (glibc does not declare gets for C11) or a macro aliases the function.
 * Calls that provably stay in bounds (strcpy of a shorter literal into a
 * char array, sprintf of integer conversions into a large enough array)
 * are not reported: peers flag them and their warnings stop being read.
 */
#include <string.h>

#include "az.h"
#include "lib/banned.h"

/* Size of the array a (stripped) destination names, 0 if not a fixed-size array. */
static long long dest_size(CXCursor dst)
{
	CXCursor e = az_strip_casts(dst);
	enum CXCursorKind k = clang_getCursorKind(e);
	if (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr)
		return 0;
	CXType t = clang_getCanonicalType(clang_getCursorType(e));
	if (t.kind != CXType_ConstantArray)
		return 0;
	CXType el = clang_getCanonicalType(clang_getArrayElementType(t));
	if (el.kind != CXType_Char_S && el.kind != CXType_Char_U && el.kind != CXType_SChar &&
	    el.kind != CXType_UChar)
		return 0;
	return clang_getArraySize(t);
}

/* Longest output of one integer conversion (LP64; int is 32 bits). */
static long long conv_len(char conv, int hh, int h, int l)
{
	static const struct { char c; int w[4]; } t[] = { /* hh, h, int, long/long long/size_t */
		{ 'd', { 4, 6, 11, 20 } }, { 'i', { 4, 6, 11, 20 } }, { 'u', { 3, 5, 10, 20 } },
		{ 'x', { 2, 4, 8, 16 } }, { 'X', { 2, 4, 8, 16 } }, { 'o', { 3, 6, 11, 22 } },
	};
	if (conv == 'c')
		return 1;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].c == conv)
			return t[i].w[l ? 3 : hh ? 0 : h ? 1 : 2];
	return -1;
}

/* Longest output of a printf format with only integer/char conversions, or -1. */
static long long max_format_len(const char *f)
{
	long long n = 0;
	for (const char *p = f; *p; p++) {
		if (*p != '%') {
			n++;
			continue;
		}
		p++;
		if (*p == '%') {
			n++;
			continue;
		}
		int flags = 0, h = 0, l = 0;
		while (*p && strchr("-+ #0", *p)) {
			flags = 2; /* a sign or a 0x prefix */
			p++;
		}
		long long width = 0;
		for (; *p >= '0' && *p <= '9' && width < 100000; p++)
			width = width * 10 + (*p - '0');
		if (*p == '.' || *p == '*')
			return -1; /* precision or * width: not worth proving */
		for (; *p && strchr("hlLqjzt", *p); p++) {
			if (*p == 'h')
				h++;
			else
				l = 1;
		}
		long long w = *p ? conv_len(*p, h >= 2, h == 1, l) : -1;
		if (w < 0)
			return -1; /* %s, %f, %n...: unbounded or not worth proving */
		n += (w + flags > width ? w + flags : width);
	}
	return n;
}

/*
 * Room guaranteed by an enclosing `if (p + K < end)` / `if (end - p > K)`
 * (and the <= / >= forms) for destination text `dst`: the bytes known to be
 * available, or -1.
 */
static long long guarded_room(struct az_ctx *ctx, const char *dst)
{
	for (unsigned up = 1; up < ctx->depth; up++) {
		if (az_parent_kind(ctx, up) != CXCursor_IfStmt)
			continue;
		CXCursor cond = az_strip(az_child(az_parent(ctx, up), 0));
		char op[4], inner[4], t[128];
		long long k;
		if (clang_getCursorKind(cond) != CXCursor_BinaryOperator)
			continue;
		az_binop(ctx->tu, cond, op, sizeof op);
		int lt = !strcmp(op, "<") || !strcmp(op, "<="), gt = !strcmp(op, ">") || !strcmp(op, ">=");
		int strict = !strcmp(op, "<") || !strcmp(op, ">");
		if (!lt && !gt)
			continue;
		/* lt: p + K < end ; gt: end - p > K */
		CXCursor side = az_strip(az_child(cond, lt ? 0 : 0));
		if (clang_getCursorKind(side) != CXCursor_BinaryOperator)
			continue;
		az_binop(ctx->tu, side, inner, sizeof inner);
		if (lt && !strcmp(inner, "+") && az_int_const(az_child(side, 1), &k) &&
		    !strcmp(az_expr_text(ctx->tu, az_child(side, 0), t, sizeof t), dst))
			return strict ? k + 1 : k;
		if (gt && !strcmp(inner, "-") && az_int_const(az_child(cond, 1), &k) &&
		    !strcmp(az_expr_text(ctx->tu, az_child(side, 1), t, sizeof t), dst))
			return strict ? k + 1 : k;
	}
	return -1;
}

/*
 * A call the rule need not report because it provably stays in bounds:
 * strcpy of a literal into a larger char array; sprintf into a char array
 * with a literal format of bounded conversions only.
 */
static int provably_bounded(struct az_ctx *ctx, CXCursor c)
{
	char lit[1024], dst[128];
	long long size;
	if (az_nargs(c) < 2)
		return 0;
	if ((size = dest_size(az_arg(c, 0))) <= 0) {
		az_expr_text(ctx->tu, az_arg(c, 0), dst, sizeof dst);
		size = dst[0] ? guarded_room(ctx, dst) : -1;
	}
	if (size <= 0)
		return 0;
	if (!strcmp(ctx->callee, "strcpy") || !strcmp(ctx->callee, "stpcpy"))
		return az_literal_value(az_arg(c, 1), lit, sizeof lit) && (long long)strlen(lit) < size;
	if (!strcmp(ctx->callee, "sprintf")) {
		long long n;
		return az_literal_value(az_arg(c, 1), lit, sizeof lit) && (n = max_format_len(lit)) >= 0 &&
		       n < size;
	}
	return 0;
}

static void check_list(struct az_ctx *ctx, CXCursor c, const char *rule, const char *what)
{
	const cJSON *fns = az_rule_param(az_rule(ctx, rule), "functions");
	const cJSON *repl = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	if (!repl || !cJSON_IsString(repl))
		return;
	az_report(ctx, rule, SDL_LEVEL_NONE, c, "call to %s function '%s'; use %s instead", what,
		  ctx->callee, repl->valuestring);
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (k != CXCursor_CallExpr || ev != AZ_ENTER || !ctx->callee[0])
		return;
	if (!provably_bounded(ctx, c))
		check_list(ctx, c, "banned-function", "banned");
	check_list(ctx, c, "atoi-family", "unchecked conversion");
}

const struct az_checker az_check_banned = { "banned", NULL, visit, NULL };
