/*
 * tainted-copy-length: a copy or read length that can come from outside the
 * program and was not compared against a bound first, in memcpy, memmove,
 * strncpy, memset, read, recv... (CWE-805, CWE-120; CERT C ARR38-C).
 * Taint-aware: constant and checked lengths never report, nor lengths
 * computed from the destination's own size (sizeof(dst) - strlen(dst) - 1)
 * or equal to the size the destination was just allocated with.
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define MAX_ALLOCS 64

struct state {
	struct { char dst[128]; char size[128]; } a[MAX_ALLOCS];
	size_t n;
};

static int tu_begin(struct az_ctx *ctx, void **state)
{
	(void)ctx;
	*state = sdl_calloc(1, sizeof(struct state));
	return *state ? 0 : SDL_ENOMEM;
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	(void)ctx;
	sdl_free(state);
}

/* Remember `dst = malloc(size)`: the size text a destination was allocated with. */
static void note_alloc(struct az_ctx *ctx, struct state *st, const char *dst, CXCursor rhs)
{
	char fn[32];
	CXCursor call = az_strip_casts(rhs);
	if (!dst[0])
		return;
	int si = -1;
	if (clang_getCursorKind(call) == CXCursor_CallExpr) {
		az_callee(call, fn, sizeof fn);
		si = strstr(fn, "realloc") ? 1 : strstr(fn, "malloc") ? 0 : -1;
	}
	size_t slot = st->n;
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->a[i].dst, dst))
			slot = i;
	if (si < 0) {
		if (slot < st->n)
			st->a[slot] = st->a[--st->n];
		return;
	}
	if (slot == st->n) {
		if (st->n >= MAX_ALLOCS)
			return;
		st->n++;
	}
	snprintf(st->a[slot].dst, sizeof st->a[slot].dst, "%s", dst);
	az_expr_text(ctx->tu, az_arg(call, (unsigned)si), st->a[slot].size, sizeof st->a[slot].size);
}

/* The destination was allocated with `len` or `len + something` bytes. */
static int allocated_with(struct state *st, const char *dst, const char *len)
{
	size_t n = strlen(len);
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->a[i].dst, dst))
			return !strncmp(st->a[i].size, len, n) &&
			       (st->a[i].size[n] == '\0' || st->a[i].size[n] == '+');
	return 0;
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (ev != AZ_ENTER || !ctx->in_func)
		return;
	if (k == CXCursor_FunctionDecl) {
		st->n = 0;
		return;
	}
	if (k == CXCursor_VarDecl) {
		CXCursor init = clang_Cursor_getVarDeclInitializer(c);
		char name[128];
		if (!az_null(init))
			note_alloc(ctx, st, az_str(clang_getCursorSpelling(c), name, sizeof name), init);
		return;
	}
	if (k == CXCursor_BinaryOperator) {
		char op[4], dst[128];
		if (!strcmp(az_binop(ctx->tu, c, op, sizeof op), "="))
			note_alloc(ctx, st, az_expr_text(ctx->tu, az_child(c, 0), dst, sizeof dst),
				   az_child(c, 1));
		return;
	}
	if (k != CXCursor_CallExpr || !ctx->callee[0])
		return;
	const cJSON *fns = az_rule_param(az_rule(ctx, "tainted-copy-length"), "functions");
	const cJSON *idx = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	if (!cJSON_IsNumber(idx) || idx->valueint >= az_nargs(c))
		return;
	CXCursor len = az_arg(c, (unsigned)idx->valueint);
	long long v;
	if (az_int_const(len, &v))
		return;
	char text[256], dst[128], pat[160];
	az_expr_text(ctx->tu, len, text, sizeof text);
	/* the destination: argument 0, or 1 for read/recv/pread */
	unsigned di = (!strcmp(ctx->callee, "read") || !strcmp(ctx->callee, "recv") ||
		       !strcmp(ctx->callee, "pread")) ? 1 : 0;
	CXCursor d = az_arg(c, di);
	az_expr_text(ctx->tu, d, dst, sizeof dst);
	snprintf(pat, sizeof pat, "sizeof(%s)", dst);
	if (dst[0] && strstr(text, pat))
		return;
	snprintf(pat, sizeof pat, "sizeof%s", dst);
	if (dst[0] && strstr(text, pat))
		return;
	if (allocated_with(st, dst, text))
		return;
	az_sink(ctx, "tainted-copy-length", len, az_eval(ctx, len), 1,
		"length '%s' of '%s' is not checked against the destination's size", text,
		ctx->callee);
}

const struct az_checker az_check_length = { "length", tu_begin, visit, tu_end };
