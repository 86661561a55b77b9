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
#include "lib/alloc.h"
#include "lib/error.h"
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

/* ---- proving a copy bounded ---------------------------------------------
 *
 * A copy needs `req` bytes plus the terminating NUL: a constant part and the
 * lengths of some source expressions (`strlen(src)` terms, by source text).
 * The destination offers `cap`: a constant part and, for a buffer allocated
 * as malloc(strlen(a) + strlen(b) + K), those strlen terms. Each required
 * source must be matched by a capacity term or have a numeric bound from a
 * dominating condition (`if (strlen(s) >= sizeof d) return;`,
 * `if (strlen(s) + 4 < N) {...}`, `len = strlen(s); if (end - p > len)`).
 */
#define NSYM 8
#define SYMLEN 128

struct budget {
	long long k;
	int n;
	char sym[NSYM][SYMLEN];
};

static int budget_add_sym(struct budget *b, const char *s)
{
	if (b->n >= NSYM || strlen(s) >= SYMLEN || !s[0])
		return -1;
	memcpy(b->sym[b->n++], s, strlen(s) + 1);
	return 0;
}

/* The VarDecl a DeclRefExpr names, or a null cursor. */
static CXCursor var_decl(CXCursor e)
{
	e = az_strip_casts(e);
	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return clang_getNullCursor();
	CXCursor d = clang_getCursorReferenced(e);
	return clang_getCursorKind(d) == CXCursor_VarDecl ? d : clang_getNullCursor();
}

/* The initializer of a VarDecl (its last expression child), or a null cursor. */
static CXCursor var_init(CXCursor d)
{
	unsigned n = az_nchildren(d);
	CXCursor init = n ? az_child(d, n - 1) : clang_getNullCursor();
	return !az_null(init) && clang_isExpression(clang_getCursorKind(init)) ? init
									 : clang_getNullCursor();
}

static int is_call_to(CXCursor e, const char *name)
{
	char b[64];
	e = az_strip_casts(e);
	return clang_getCursorKind(e) == CXCursor_CallExpr &&
	       !strcmp(az_callee(e, b, sizeof b), name);
}

/* Longest string an initializer list of literals holds (field `field` of each
 * element when >= 0), -1 if an element is not a literal (NULL counts as 0). */
static long long table_max(CXCursor list, int field)
{
	long long m = -1;
	char lit[1024];
	unsigned n = az_nchildren(list);
	if (clang_getCursorKind(list) != CXCursor_InitListExpr || n == 0 || n > 4096)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		CXCursor el = az_child(list, i);
		long long z;
		if (field >= 0) {
			if (clang_getCursorKind(el) != CXCursor_InitListExpr ||
			    az_nchildren(el) <= (unsigned)field)
				return -1;
			el = az_child(el, (unsigned)field);
		}
		if (az_literal_value(el, lit, sizeof lit)) {
			if ((long long)strlen(lit) > m)
				m = (long long)strlen(lit);
		} else if (!(az_int_const(az_strip_casts(el), &z) && z == 0) &&
			   clang_getCursorKind(az_strip_casts(el)) != CXCursor_GNUNullExpr) {
			return -1;
		}
	}
	return m;
}

struct field_ix { CXCursor want; int i, found; };

static enum CXVisitorResult field_cb(CXCursor c, CXClientData data)
{
	struct field_ix *f = data;
	if (clang_equalCursors(c, f->want)) {
		f->found = 1;
		return CXVisit_Break;
	}
	f->i++;
	return CXVisit_Continue;
}

/* Assignments to a local in the function: their number (an `op=`, `++`, `--`
 * or `&var` counts as many) and the right-hand side of the last plain one. */
struct assigned { struct az_ctx *ctx; CXCursor var; int n; CXCursor rhs; };

static enum CXChildVisitResult assigned_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct assigned *a = data;
	char op[4];
	(void)parent;
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
		az_binop(a->ctx->tu, c, op, sizeof op);
		if (op[0] && op[strlen(op) - 1] == '=' && strcmp(op, "==") && strcmp(op, "!=") &&
		    strcmp(op, "<=") && strcmp(op, ">=") &&
		    clang_equalCursors(az_var_of(az_child(c, 0)), a->var)) {
			a->n += strcmp(op, "=") ? 100 : 1;
			a->rhs = az_child(c, 1);
		}
	} else if (k == CXCursor_UnaryOperator) {
		az_unop(a->ctx->tu, c, op, sizeof op);
		if ((!strcmp(op, "&") || !strcmp(op, "++") || !strcmp(op, "--")) &&
		    clang_equalCursors(az_var_of(az_child(c, 0)), a->var))
			a->n += 100;
	}
	return a->n >= 100 ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* Strings some library functions return are bounded by their contract. */
static long long returned_max(CXCursor e)
{
	static const struct { const char *fn; long long max; } t[] = {
		{ "inet_ntoa", 15 },  /* dotted quad, POSIX inet_ntoa */
		{ "ctime", 25 },      /* "Www Mmm dd hh:mm:ss yyyy\n", C11 7.27.3.1 */
	};
	char b[64];
	az_callee(az_strip_casts(e), b, sizeof b);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(b, t[i].fn))
			return t[i].max;
	return -1;
}

/* Longest string a source expression can hold, -1 if not known: a literal,
 * a char array, an element (or a field of an element) of a table
 * initialised with literals (`month_names[m]`, `tests[i].input`),
 * a local pointer to a literal never reassigned, inet_ntoa(). */
static long long src_max_depth(struct az_ctx *ctx, CXCursor e, int depth)
{
	char lit[1024];
	long long n;
	e = az_strip_casts(e);
	enum CXCursorKind k = clang_getCursorKind(e);
	if (az_literal_value(e, lit, sizeof lit))
		return (long long)strlen(lit);
	if (k == CXCursor_ConditionalOperator) {
		long long a = src_max_depth(ctx, az_child(e, 1), depth + 1),
			  b = src_max_depth(ctx, az_child(e, 2), depth + 1);
		return a < 0 || b < 0 ? -1 : a > b ? a : b;
	}
	if ((n = dest_size(e)) > 0)
		return n - 1;
	CXType t = clang_getCanonicalType(clang_getCursorType(e));
	if (t.kind == CXType_ConstantArray && clang_getArraySize(t) > 0) {
		CXType el = clang_getCanonicalType(clang_getArrayElementType(t));
		if (el.kind == CXType_Char_S || el.kind == CXType_Char_U || el.kind == CXType_SChar ||
		    el.kind == CXType_UChar)
			return clang_getArraySize(t) - 1;
	}
	if (k == CXCursor_CallExpr)
		return returned_max(e);
	if (k == CXCursor_DeclRefExpr && depth < 4) {
		/*
		 * A pointer with one value in this function: initialised with a
		 * literal and never assigned, or assigned exactly once (no
		 * initializer) — `ip = inet_ntoa(a); ... strcpy(buf, ip);`.
		 */
		CXCursor d = var_decl(e), init;
		if (az_null(d))
			return -1;
		init = var_init(d);
		CXType pt = clang_getCursorType(d);
		if (!az_null(init) && clang_isConstQualifiedType(pt))
			return src_max_depth(ctx, init, depth + 1);
		struct assigned a = { ctx, d, 0, clang_getNullCursor() };
		if (!ctx->in_func || az_null(ctx->func) ||
		    !clang_equalCursors(clang_getCursorSemanticParent(d), ctx->func))
			return -1; /* a mutable global: assigned anywhere */
		clang_visitChildren(ctx->func, assigned_cb, &a);
		if (!az_null(init) && a.n == 0)
			return src_max_depth(ctx, init, depth + 1);
		if (az_null(init) && a.n == 1)
			return src_max_depth(ctx, a.rhs, depth + 1);
		return -1;
	}
	int field = -1;
	if (k == CXCursor_MemberRefExpr) {
		CXCursor fd = clang_getCursorReferenced(e);
		struct field_ix fx = { fd, 0, 0 };
		CXType rec = clang_getCanonicalType(clang_getCursorType(clang_getCursorSemanticParent(fd)));
		clang_Type_visitFields(rec, field_cb, &fx);
		if (!fx.found)
			return -1;
		field = fx.i;
		e = az_strip_casts(az_child(e, 0));
		k = clang_getCursorKind(e);
	}
	if (k != CXCursor_ArraySubscriptExpr)
		return -1;
	CXCursor d = var_decl(az_child(e, 0));
	return az_null(d) ? -1 : table_max(var_init(d), field);
}

static long long src_max(struct az_ctx *ctx, CXCursor e)
{
	return src_max_depth(ctx, e, 0);
}

/* `strlen(S) + K` (or a variable initialised so): S's text and K. */
static int len_expr(struct az_ctx *ctx, CXCursor e, char *src, size_t n, long long *k)
{
	char op[4];
	long long c;
	e = az_strip_casts(e);
	if (clang_getCursorKind(e) == CXCursor_BinaryOperator &&
	    !strcmp(az_binop(ctx->tu, e, op, sizeof op), "+")) {
		for (unsigned i = 0; i < 2; i++)
			if (az_int_const(az_child(e, i), &c) && len_expr(ctx, az_child(e, !i), src, n, k)) {
				*k += c;
				return 1;
			}
		return 0;
	}
	if (is_call_to(e, "strlen") || is_call_to(e, "strnlen")) {
		az_expr_text(ctx->tu, az_arg(az_strip_casts(e), 0), src, n);
		*k = 0;
		return src[0] != '\0';
	}
	CXCursor d = var_decl(e);
	if (!az_null(d) && is_call_to(var_init(d), "strlen")) {
		az_expr_text(ctx->tu, az_arg(az_strip_casts(var_init(d)), 0), src, n);
		*k = 0;
		return src[0] != '\0';
	}
	return 0;
}

/* The bound on strlen(src) that condition `c` being `truth` implies, -1 if none. */
static long long cond_bound(struct az_ctx *ctx, CXCursor c, int truth, const char *src, int depth)
{
	char op[4], s[SYMLEN];
	long long b, k;
	c = az_strip(c);
	if (depth > 8)
		return -1;
	if (clang_getCursorKind(c) == CXCursor_UnaryOperator &&
	    !strcmp(az_unop(ctx->tu, c, op, sizeof op), "!"))
		return cond_bound(ctx, az_child(c, 0), !truth, src, depth + 1);
	if (clang_getCursorKind(c) != CXCursor_BinaryOperator)
		return -1;
	az_binop(ctx->tu, c, op, sizeof op);
	if ((!strcmp(op, "&&") && truth) || (!strcmp(op, "||") && !truth)) {
		long long x = cond_bound(ctx, az_child(c, 0), truth, src, depth + 1);
		long long y = cond_bound(ctx, az_child(c, 1), truth, src, depth + 1);
		return x < 0 ? y : y < 0 ? x : x < y ? x : y;
	}
	int lt = !strcmp(op, "<"), le = !strcmp(op, "<="), gt = !strcmp(op, ">"), ge = !strcmp(op, ">=");
	if (!lt && !le && !gt && !ge)
		return -1;
	int lhs_len = len_expr(ctx, az_child(c, 0), s, sizeof s, &k) && az_int_const(az_child(c, 1), &b);
	if (!lhs_len && !(len_expr(ctx, az_child(c, 1), s, sizeof s, &k) && az_int_const(az_child(c, 0), &b)))
		return -1;
	if (strcmp(s, src))
		return -1;
	if (!lhs_len) { /* B op LEN: flip to LEN op' B */
		int t = lt; lt = gt; gt = t;
		t = le; le = ge; ge = t;
	}
	if (!truth) { /* !(LEN < B) is LEN >= B ... */
		int t = lt; lt = ge; ge = t;
		t = le; le = gt; gt = t;
	}
	if (lt)
		return b - 1 - k >= 0 ? b - 1 - k : -1;
	if (le)
		return b - k >= 0 ? b - k : -1;
	return -1;
}

static int exits(CXCursor s)
{
	s = az_strip(s);
	switch (clang_getCursorKind(s)) {
	case CXCursor_ReturnStmt: case CXCursor_GotoStmt: case CXCursor_BreakStmt:
	case CXCursor_ContinueStmt:
		return 1;
	case CXCursor_CompoundStmt: {
		unsigned n = az_nchildren(s);
		return n && exits(az_child(s, n - 1));
	}
	case CXCursor_CallExpr: {
		char b[64];
		az_callee(s, b, sizeof b);
		return !strcmp(b, "exit") || !strcmp(b, "abort") || !strcmp(b, "_exit") ||
		       !strcmp(b, "err") || !strcmp(b, "errx");
	}
	default:
		return 0;
	}
}

/*
 * The statements of one compound statement, cached per TU (checker state):
 * calls come in source order, so finding each call's position is amortised
 * O(1) and a long function of copies costs linear time. Only the AZ_BOUND_WINDOW
 * statements before a call are searched for its bounds.
 */
struct stmts {
	const CXCursor *v; /* the statements before the call, nearest last */
	unsigned n;
};

struct bstate {
	CXCursor comp;
	CXCursor *v;
	size_t n, cap, last;
	int err;
};

static _Thread_local struct bstate *cur_state;

static enum CXChildVisitResult stmts_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct bstate *b = data;
	(void)parent;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		CXCursor *v = cap <= AZ_MAX_BLOCK_STMTS ? sdl_reallocarray(b->v, cap, sizeof *v) : NULL;
		if (!v) {
			b->err = 1;
			return CXChildVisit_Break;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = c;
	return CXChildVisit_Continue;
}

static struct stmts earlier(CXCursor comp, CXCursor stmt)
{
	struct stmts out = { NULL, 0 };
	struct bstate *b = cur_state;
	if (!b)
		return out;
	if (az_null(b->comp) || !clang_equalCursors(b->comp, comp)) {
		b->comp = comp;
		b->n = b->last = 0;
		b->err = 0;
		clang_visitChildren(comp, stmts_cb, b);
		if (b->err) {
			b->comp = clang_getNullCursor();
			return out;
		}
	}
	size_t i = b->last < b->n ? b->last : 0, seen = 0;
	for (; seen < b->n; seen++, i = i + 1 < b->n ? i + 1 : 0)
		if (clang_equalCursors(b->v[i], stmt))
			break;
	if (seen == b->n)
		return out;
	b->last = i;
	size_t from = i > AZ_BOUND_WINDOW ? i - AZ_BOUND_WINDOW : 0;
	out.v = b->v + from;
	out.n = (unsigned)(i - from);
	return out;
}

/*
 * Does statement `st` change the string (or pointer) `text` names: an
 * assignment to it, its address taken, or a call that writes through its
 * first argument (strcpy, strcat, memcpy, sprintf, read, fgets...)?
 */
struct writes { struct az_ctx *ctx; const char *text; int calls; int hit; };

static int writes_arg0(const char *fn)
{
	static const char *const w[] = {
		"strcpy", "strcat", "strncpy", "strncat", "stpcpy", "memcpy", "memmove", "memset",
		"sprintf", "snprintf", "vsprintf", "vsnprintf", "strlcpy", "strlcat", "fgets", "gets",
		"read", "recv", "fread", "bzero", NULL
	};
	for (size_t i = 0; w[i]; i++)
		if (!strcmp(w[i], fn))
			return 1;
	return 0;
}

static enum CXChildVisitResult writes_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct writes *w = data;
	char op[4], t[SYMLEN], fn[64];
	(void)parent;
	switch (clang_getCursorKind(c)) {
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
		az_binop(w->ctx->tu, c, op, sizeof op);
		if ((clang_getCursorKind(c) == CXCursor_CompoundAssignOperator || !strcmp(op, "=")) &&
		    !strcmp(az_expr_text(w->ctx->tu, az_child(c, 0), t, sizeof t), w->text))
			w->hit = 1;
		break;
	case CXCursor_UnaryOperator:
		az_unop(w->ctx->tu, c, op, sizeof op);
		if ((!strcmp(op, "&") || !strcmp(op, "++") || !strcmp(op, "--")) &&
		    !strcmp(az_expr_text(w->ctx->tu, az_child(c, 0), t, sizeof t), w->text))
			w->hit = 1;
		break;
	case CXCursor_CallExpr:
		if (w->calls && az_nargs(c) > 0 && writes_arg0(az_callee(c, fn, sizeof fn)) &&
		    !strcmp(az_expr_text(w->ctx->tu, az_arg(c, 0), t, sizeof t), w->text))
			w->hit = 1;
		break;
	default:
		break;
	}
	return w->hit ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* calls: also a call writing through it (the string changes, not the pointer) */
static int writes_text(struct az_ctx *ctx, CXCursor st, const char *text, int calls)
{
	struct writes w = { ctx, text, calls, 0 };
	writes_cb(st, clang_getNullCursor(), &w);
	if (!w.hit)
		clang_visitChildren(st, writes_cb, &w);
	return w.hit;
}

/*
 * Numeric bound on strlen(src) from the conditions dominating the current
 * call; the statements between a check and the call must not change src.
 */
static long long dominating_bound(struct az_ctx *ctx, const char *src)
{
	long long best = -1, b;
	for (unsigned up = 1; up < ctx->depth; up++) {
		CXCursor p = az_parent(ctx, up), child = az_parent(ctx, up - 1);
		enum CXCursorKind pk = az_parent_kind(ctx, up);
		b = -1;
		if (pk == CXCursor_IfStmt) {
			if (clang_equalCursors(child, az_child(p, 1)))
				b = cond_bound(ctx, az_child(p, 0), 1, src, 0);
			else if (az_nchildren(p) > 2 && clang_equalCursors(child, az_child(p, 2)))
				b = cond_bound(ctx, az_child(p, 0), 0, src, 0);
		} else if (pk == CXCursor_CompoundStmt) {
			struct stmts s = earlier(p, child);
			for (unsigned i = s.n; i-- > 0 && b < 0;) {
				CXCursor st = s.v[i];
				if (clang_getCursorKind(st) == CXCursor_IfStmt && az_nchildren(st) >= 2 &&
				    exits(az_child(st, 1)))
					b = cond_bound(ctx, az_child(st, 0), 0, src, 0);
				if (b < 0 && writes_text(ctx, st, src, 1))
					return best; /* checks further up bound an older value */
			}
		} else if (pk == CXCursor_FunctionDecl) {
			break;
		}
		if (b >= 0 && (best < 0 || b < best))
			best = b;
	}
	return best;
}

/*
 * Room an enclosing `if (p + K < end)` / `if (end - p > K)` (and the <= / >=
 * forms) guarantees for destination text `dst`; `end - p > len` with
 * len = strlen(s) adds s as a capacity term.
 */
static int guarded_room(struct az_ctx *ctx, const char *dst, struct budget *cap)
{
	for (unsigned up = 1; up < ctx->depth; up++) {
		if (az_parent_kind(ctx, up) != CXCursor_IfStmt ||
		    !clang_equalCursors(az_parent(ctx, up - 1), az_child(az_parent(ctx, up), 1)))
			continue;
		CXCursor cond = az_strip(az_child(az_parent(ctx, up), 0));
		char op[4], inner[4], t[SYMLEN], s[SYMLEN];
		long long k;
		if (clang_getCursorKind(cond) != CXCursor_BinaryOperator)
			continue;
		az_binop(ctx->tu, cond, op, sizeof op);
		int lt = !strcmp(op, "<") || !strcmp(op, "<="), gt = !strcmp(op, ">") || !strcmp(op, ">=");
		int strict = !strcmp(op, "<") || !strcmp(op, ">");
		if (!lt && !gt)
			continue;
		/* lt: p + K < end ; gt: end - p > K */
		CXCursor side = az_strip_casts(az_child(cond, 0));
		if (clang_getCursorKind(side) != CXCursor_BinaryOperator)
			continue;
		az_binop(ctx->tu, side, inner, sizeof inner);
		if (lt && !strcmp(inner, "+") && az_int_const(az_child(side, 1), &k) &&
		    !strcmp(az_expr_text(ctx->tu, az_child(side, 0), t, sizeof t), dst)) {
			cap->k = strict ? k + 1 : k;
			return 1;
		}
		if (!gt || strcmp(inner, "-") ||
		    strcmp(az_expr_text(ctx->tu, az_child(side, 1), t, sizeof t), dst))
			continue;
		if (az_int_const(az_child(cond, 1), &k)) {
			cap->k = strict ? k + 1 : k;
			return 1;
		}
		if (len_expr(ctx, az_child(cond, 1), s, sizeof s, &k) && budget_add_sym(cap, s) == 0) {
			cap->k = strict ? k + 1 : k;
			return 1;
		}
	}
	return 0;
}

/* Capacity of a buffer allocated as malloc(strlen(a) + strlen(b) + K) (times
 * sizeof(char)) by the nearest earlier statement that assigns `dst`. */
static int alloc_capacity(struct az_ctx *ctx, const char *dst, struct budget *cap)
{
	char t[SYMLEN], op[4];
	for (unsigned up = 1; up < ctx->depth; up++) {
		if (az_parent_kind(ctx, up) == CXCursor_FunctionDecl)
			break;
		if (az_parent_kind(ctx, up) != CXCursor_CompoundStmt)
			continue;
		struct stmts s = earlier(az_parent(ctx, up), az_parent(ctx, up - 1));
		for (unsigned i = s.n; i-- > 0;) {
			CXCursor st = az_strip(s.v[i]), rhs = clang_getNullCursor();
			if (clang_getCursorKind(st) == CXCursor_DeclStmt) {
				CXCursor d = az_child(st, 0);
				if (!strcmp(az_str(clang_getCursorSpelling(d), t, sizeof t), dst))
					rhs = var_init(d);
			} else if (clang_getCursorKind(st) == CXCursor_BinaryOperator &&
				   !strcmp(az_binop(ctx->tu, st, op, sizeof op), "=") &&
				   !strcmp(az_expr_text(ctx->tu, az_child(st, 0), t, sizeof t), dst)) {
				rhs = az_child(st, 1);
			}
			if (az_null(rhs)) {
				if (writes_text(ctx, st, dst, 0))
					return 0; /* reassigned or moved on in between */
				continue;
			}
			/* the nearest assignment decides */
			if (!is_call_to(rhs, "malloc") && !is_call_to(rhs, "sdl_malloc"))
				return 0;
			CXCursor size = az_strip_casts(az_arg(az_strip_casts(rhs), 0));
			long long one;
			if (clang_getCursorKind(size) == CXCursor_BinaryOperator &&
			    !strcmp(az_binop(ctx->tu, size, op, sizeof op), "*") &&
			    az_int_const(az_child(size, 1), &one) && one == 1)
				size = az_strip_casts(az_child(size, 0));
			/* flatten a + b + c */
			CXCursor terms[NSYM * 2];
			unsigned nt = 0, at = 0;
			terms[nt++] = size;
			while (at < nt) {
				CXCursor e = az_strip_casts(terms[at]);
				if (clang_getCursorKind(e) == CXCursor_BinaryOperator &&
				    !strcmp(az_binop(ctx->tu, e, op, sizeof op), "+") && nt + 1 < NSYM * 2) {
					terms[at] = az_child(e, 0);
					terms[nt++] = az_child(e, 1);
					continue;
				}
				long long k;
				char src[SYMLEN];
				if (az_int_const(e, &k))
					cap->k += k;
				else if (len_expr(ctx, e, src, sizeof src, &k)) {
					if (budget_add_sym(cap, src) < 0)
						return 0;
					cap->k += k;
				} else
					return 0;
				at++;
			}
			return 1;
		}
	}
	return 0;
}

/* Destination capacity: a char array, a guarded pointer, or a fresh allocation. */
static int capacity(struct az_ctx *ctx, CXCursor dst, struct budget *cap)
{
	char t[SYMLEN];
	memset(cap, 0, sizeof *cap);
	if ((cap->k = dest_size(dst)) > 0)
		return 1;
	cap->k = 0;
	az_expr_text(ctx->tu, dst, t, sizeof t);
	return t[0] && (guarded_room(ctx, t, cap) || alloc_capacity(ctx, t, cap));
}

/* Add the length of string expression `e` to `req`. */
static int require_str(struct az_ctx *ctx, CXCursor e, struct budget *req)
{
	char s[SYMLEN];
	long long m = src_max(ctx, e);
	if (m >= 0) {
		req->k += m;
		return 0;
	}
	az_expr_text(ctx->tu, e, s, sizeof s);
	return budget_add_sym(req, s);
}

/* Bytes a sprintf format writes (without the NUL), -1 if not provable. */
static int require_format(struct az_ctx *ctx, CXCursor call, unsigned fmt_arg, struct budget *req)
{
	char f[1024];
	unsigned arg = fmt_arg + 1;
	if (!az_literal_value(az_arg(call, fmt_arg), f, sizeof f))
		return -1;
	for (const char *p = f; *p; p++) {
		if (*p != '%') {
			req->k++;
			continue;
		}
		p++;
		if (*p == '%') {
			req->k++;
			continue;
		}
		int flags = 0, h = 0, l = 0;
		while (*p && strchr("-+ #0", *p)) {
			flags = 2; /* a sign or a 0x prefix */
			p++;
		}
		long long width = 0, w;
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
		if (*p == 's' && !l) {
			if ((int)arg >= az_nargs(call) || width)
				return -1;
			if (require_str(ctx, az_arg(call, arg++), req) < 0)
				return -1;
			continue;
		}
		w = *p ? conv_len(*p, h >= 2, h == 1, l) : -1;
		if (w < 0)
			return -1; /* %f, %n, %p...: unbounded or not worth proving */
		arg++;
		req->k += (w + flags > width ? w + flags : width);
	}
	return 0;
}

/* What a strcpy / strcat / sprintf call needs; the previous statement's copy
 * into the same destination counts for strcat. */
static int requirement(struct az_ctx *ctx, CXCursor call, const char *fn, struct budget *req,
		       int depth);

static int prev_content(struct az_ctx *ctx, CXCursor call, struct budget *req, int depth)
{
	char d0[SYMLEN], d1[SYMLEN], fn[64];
	unsigned up = az_real_parent(ctx, 0);
	if (depth > 16 || !up || az_parent_kind(ctx, up) != CXCursor_CompoundStmt ||
	    !clang_equalCursors(az_strip(az_parent(ctx, up - 1)), call))
		return -1;
	struct stmts s = earlier(az_parent(ctx, up), az_parent(ctx, up - 1));
	for (unsigned i = s.n; i-- > 0;) {
		CXCursor st = az_strip(s.v[i]);
		if (clang_getCursorKind(st) != CXCursor_CallExpr)
			return -1;
		az_callee(st, fn, sizeof fn);
		az_expr_text(ctx->tu, az_arg(call, 0), d0, sizeof d0);
		if (az_nargs(st) < 2 || strcmp(az_expr_text(ctx->tu, az_arg(st, 0), d1, sizeof d1), d0))
			return -1;
		if (strcmp(fn, "strcpy") && strcmp(fn, "strcat") && strcmp(fn, "sprintf"))
			return -1;
		if (strcmp(fn, "strcat"))
			return requirement(ctx, st, fn, req, depth + 1);
		if (require_str(ctx, az_arg(st, 1), req) < 0)
			return -1;
		/* keep walking back to the strcpy that started the chain */
	}
	return -1;
}

static int requirement(struct az_ctx *ctx, CXCursor call, const char *fn, struct budget *req,
		       int depth)
{
	if (!strcmp(fn, "strcpy") || !strcmp(fn, "stpcpy"))
		return require_str(ctx, az_arg(call, 1), req);
	if (!strcmp(fn, "strcat"))
		return require_str(ctx, az_arg(call, 1), req) < 0 ? -1 :
		       depth ? 0 : prev_content(ctx, call, req, depth);
	if (!strcmp(fn, "sprintf"))
		return require_format(ctx, call, 1, req);
	return -1;
}

/* 1 if `req` bytes plus the NUL fit in `cap`. */
static int fits(struct az_ctx *ctx, struct budget *req, struct budget *cap)
{
	for (int i = 0; i < req->n; i++) {
		int j;
		for (j = 0; j < cap->n; j++)
			if (!strcmp(req->sym[i], cap->sym[j]))
				break;
		if (j < cap->n) { /* matched by a strlen term of the allocation */
			cap->sym[j][0] = '\0';
			continue;
		}
		long long b = dominating_bound(ctx, req->sym[i]);
		if (b < 0)
			return 0;
		req->k += b;
	}
	return req->k + 1 <= cap->k;
}

/*
 * A call the rule reports only under --audit because it provably stays in
 * bounds: strcpy / strcat / sprintf whose output fits the destination's
 * capacity (see above).
 */
static int provably_bounded(struct az_ctx *ctx, CXCursor c)
{
	struct budget req, cap;
	if (az_nargs(c) < 2 || !capacity(ctx, az_arg(c, 0), &cap))
		return 0;
	memset(&req, 0, sizeof req);
	if (requirement(ctx, c, ctx->callee, &req, 0) < 0)
		return 0;
	return fits(ctx, &req, &cap);
}

static void check_list(struct az_ctx *ctx, CXCursor c, const char *rule, const char *what,
		       enum sdl_level level, const char *note)
{
	const cJSON *fns = az_rule_param(az_rule(ctx, rule), "functions");
	const cJSON *repl = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	if (!repl || !cJSON_IsString(repl))
		return;
	az_report(ctx, rule, level, c, "call to %s function '%s'; use %s instead%s", what,
		  ctx->callee, repl->valuestring, note);
}

static int tu_begin(struct az_ctx *ctx, void **state)
{
	(void)ctx;
	struct bstate *b = sdl_calloc(1, sizeof *b);
	if (!b)
		return SDL_ENOMEM;
	b->comp = clang_getNullCursor();
	*state = b;
	return 0;
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	struct bstate *b = state;
	(void)ctx;
	if (b)
		sdl_free(b->v);
	sdl_free(b);
	cur_state = NULL;
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	if (k != CXCursor_CallExpr || ev != AZ_ENTER || !ctx->callee[0])
		return;
	cur_state = state;
	if (!provably_bounded(ctx, c))
		check_list(ctx, c, "banned-function", "banned", SDL_LEVEL_NONE, "");
	else if (ctx->opts->audit)
		check_list(ctx, c, "banned-function", "banned", SDL_LEVEL_NOTE,
			   " (audit: proven in bounds)");
	check_list(ctx, c, "atoi-family", "unchecked conversion", SDL_LEVEL_NONE, "");
}

const struct az_checker az_check_banned = { "banned", tu_begin, visit, tu_end };
