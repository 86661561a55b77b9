/*
 * alloc-unchecked: the result of malloc & friends dereferenced (or passed to
 * a function that dereferences it) before any NULL check (CWE-690, CWE-252;
 * CERT C ERR33-C, EXP34-C).
 * realloc-self-assign: p = realloc(p, n) loses the block when realloc fails
 * (CWE-401; CERT C MEM31-C).
 * alloc-size-overflow: an allocation size computed by multiplication with no
 * overflow check (CWE-190, CWE-131, CWE-680; CERT C INT30-C, MEM35-C);
 * taint-aware, a variable compared against a bound counts as checked.
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

struct tracked { CXCursor var; char fn[64]; };

struct state {
	struct tracked *t;
	size_t n, cap;
};

static int tu_begin(struct az_ctx *ctx, void **state)
{
	(void)ctx;
	*state = sdl_calloc(1, sizeof(struct state));
	return *state ? 0 : SDL_ENOMEM;
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	struct state *st = state;
	(void)ctx;
	sdl_free(st->t);
	sdl_free(st);
}

static int find(struct state *st, CXCursor var)
{
	for (size_t i = 0; i < st->n; i++)
		if (clang_equalCursors(st->t[i].var, var))
			return (int)i;
	return -1;
}

static void untrack(struct state *st, CXCursor var)
{
	int i = find(st, var);
	if (i >= 0)
		st->t[i] = st->t[--st->n];
}

static void track(struct az_ctx *ctx, struct state *st, CXCursor var, const char *fn)
{
	int i = find(st, var);
	if (i < 0) {
		if (st->n == st->cap) {
			size_t n = st->cap ? st->cap * 2 : 16;
			struct tracked *nt = sdl_reallocarray(st->t, n, sizeof *nt);
			if (!nt) {
				ctx->err = SDL_ENOMEM;
				return;
			}
			st->t = nt;
			st->cap = n;
		}
		i = (int)st->n++;
	}
	st->t[i].var = var;
	snprintf(st->t[i].fn, sizeof st->t[i].fn, "%s", fn);
}

/* Name of the allocator a (stripped) expression calls, or NULL. */
static const char *allocator(struct az_ctx *ctx, CXCursor e, char *buf, size_t size)
{
	e = az_strip_casts(e);
	if (clang_getCursorKind(e) != CXCursor_CallExpr)
		return NULL;
	az_callee(e, buf, size);
	const cJSON *fns = az_rule_param(az_rule(ctx, "alloc-unchecked"), "functions");
	return buf[0] && az_json_strlist_has(fns, buf) ? buf : NULL;
}

/*
 * The consumer of the expression at stack position `up`: the nearest parent
 * that is not a paren or cast, explicit casts included (cmocka's
 * assert_non_null(p) passes `(uintmax_t)(size_t)(p)` to _assert_true).
 */
static unsigned consumer(const struct az_ctx *ctx, unsigned up)
{
	unsigned p = az_real_parent(ctx, up);
	while (p && az_parent_kind(ctx, p) == CXCursor_CStyleCastExpr)
		p = az_real_parent(ctx, p);
	return p;
}

/* Is the expression at stack position `up` used as a condition or compared? */
static int is_checked_use(struct az_ctx *ctx, unsigned up)
{
	unsigned p = consumer(ctx, up);
	if (!p)
		return 0;
	CXCursor pc = az_parent(ctx, p);
	enum CXCursorKind pk = az_parent_kind(ctx, p);
	CXCursor me = az_parent(ctx, p - 1);
	char op[8];
	switch (pk) {
	case CXCursor_BinaryOperator:
		az_binop(ctx->tu, pc, op, sizeof op);
		return az_is_compare(op) || !strcmp(op, "&&") || !strcmp(op, "||");
	case CXCursor_UnaryOperator:
		az_unop(ctx->tu, pc, op, sizeof op);
		return !strcmp(op, "!");
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
	case CXCursor_ConditionalOperator:
		return clang_equalCursors(az_child(pc, 0), me);
	case CXCursor_ForStmt:
	case CXCursor_DoStmt:
		return 1;
	default:
		return 0;
	}
}

static void on_assign(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	char op[8], fn[64];
	az_binop(ctx->tu, c, op, sizeof op);
	if (strcmp(op, "="))
		return;
	CXCursor lhs = az_child(c, 0), rhs = az_child(c, 1);
	const char *a = allocator(ctx, rhs, fn, sizeof fn);

	if (a && !strcmp(a, "realloc")) {
		char l[256], r[256];
		CXCursor call = az_strip_casts(rhs);
		az_expr_text(ctx->tu, lhs, l, sizeof l);
		az_expr_text(ctx->tu, az_arg(call, 0), r, sizeof r);
		if (l[0] && !strcmp(l, r))
			az_report(ctx, "realloc-self-assign", SDL_LEVEL_NONE, c,
				  "'%s = realloc(%s, ...)' leaks the old block when realloc fails; "
				  "assign to a temporary first", l, r);
	}
	CXCursor var = az_var_of(lhs);
	if (az_null(var))
		return;
	if (a && !is_checked_use(ctx, 0))
		track(ctx, st, var, a);
	else
		untrack(st, var);
}

static int derefs_arg(struct az_ctx *ctx, const char *fn)
{
	const cJSON *d = az_rule_param(az_rule(ctx, "alloc-unchecked"), "dereferencing");
	return az_json_strlist_has(d, fn);
}

static void on_use(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	CXCursor var = clang_getCursorReferenced(c);
	int i = find(st, var);
	if (i < 0 || az_in_sizeof(ctx))
		return;
	unsigned p = consumer(ctx, 0);
	CXCursor pc = az_parent(ctx, p);
	enum CXCursorKind pk = az_parent_kind(ctx, p);
	CXCursor me = az_parent(ctx, p - 1);
	char op[8], name[128], what[160];
	int deref = 0;

	what[0] = '\0';
	if (is_checked_use(ctx, 0)) {
		untrack(st, var);
		return;
	}
	switch (pk) {
	case CXCursor_BinaryOperator:
		az_binop(ctx->tu, pc, op, sizeof op);
		if (!op[0]) { /* inside a macro: the operator cannot be told */
			untrack(st, var);
			return;
		}
		if (!strcmp(op, "=") && clang_equalCursors(az_child(pc, 0), me))
			return; /* the assignment being tracked */
		if (!strcmp(op, "="))
			untrack(st, var); /* aliased */
		return;
	case CXCursor_UnaryOperator:
		az_unop(ctx->tu, pc, op, sizeof op);
		deref = !strcmp(op, "*");
		break;
	case CXCursor_ArraySubscriptExpr:
		deref = clang_equalCursors(az_child(pc, 0), me);
		break;
	case CXCursor_MemberRefExpr:
		deref = 1;
		break;
	case CXCursor_CallExpr:
		az_callee(pc, name, sizeof name);
		if (derefs_arg(ctx, name)) {
			deref = 1;
			snprintf(what, sizeof what, " (passed to '%s')", name);
		} else {
			untrack(st, var); /* the callee may check it */
			return;
		}
		break;
	case CXCursor_ReturnStmt:
	case CXCursor_VarDecl:
	case CXCursor_InitListExpr:
		untrack(st, var);
		return;
	default:
		return;
	}
	if (!deref)
		return;
	char vn[128];
	az_str(clang_getCursorSpelling(var), vn, sizeof vn);
	az_report(ctx, "alloc-unchecked", SDL_LEVEL_NONE, c,
		  "'%s' from %s() is used before it is checked for NULL%s", vn, st->t[i].fn, what);
	untrack(st, var);
}

/* The first multiplication inside a size expression (not inside sizeof). */
static CXCursor find_mul(struct az_ctx *ctx, CXCursor e, int depth)
{
	e = az_strip_casts(e);
	if (depth > 4 || clang_getCursorKind(e) != CXCursor_BinaryOperator)
		return clang_getNullCursor();
	char op[8];
	az_binop(ctx->tu, e, op, sizeof op);
	if (!strcmp(op, "*"))
		return e;
	if (strcmp(op, "+") && strcmp(op, "-"))
		return clang_getNullCursor();
	for (unsigned i = 0; i < 2; i++) {
		CXCursor m = find_mul(ctx, az_child(e, i), depth + 1);
		if (!az_null(m))
			return m;
	}
	return clang_getNullCursor();
}

static void on_call(struct az_ctx *ctx, CXCursor c)
{
	const cJSON *fns = az_rule_param(az_rule(ctx, "alloc-size-overflow"), "functions");
	const cJSON *idx = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	if (!cJSON_IsNumber(idx))
		return;
	CXCursor mul = find_mul(ctx, az_arg(c, (unsigned)idx->valueint), 0);
	long long v;
	if (az_null(mul) || az_int_const(mul, &v))
		return;
	struct az_val val = az_eval(ctx, mul);
	char text[128];
	az_expr_text(ctx->tu, mul, text, sizeof text);
	az_sink(ctx, "alloc-size-overflow", mul, val, 1,
		"size '%s' passed to '%s' can overflow; check it or use %s", text, ctx->callee,
		!strcmp(ctx->callee, "malloc") ? "calloc" : "reallocarray");
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (ev != AZ_ENTER || !ctx->in_func)
		return;
	switch (k) {
	case CXCursor_FunctionDecl:
		st->n = 0;
		break;
	case CXCursor_BinaryOperator:
		on_assign(ctx, st, c);
		break;
	case CXCursor_VarDecl: {
		char fn[64];
		CXCursor init = clang_Cursor_getVarDeclInitializer(c);
		if (!az_null(init) && allocator(ctx, init, fn, sizeof fn))
			track(ctx, st, c, fn);
		break;
	}
	case CXCursor_DeclRefExpr:
		if (st->n)
			on_use(ctx, st, c);
		break;
	case CXCursor_CallExpr:
		if (ctx->callee[0])
			on_call(ctx, c);
		break;
	default:
		break;
	}
}

const struct az_checker az_check_alloc = { "alloc", tu_begin, visit, tu_end };
