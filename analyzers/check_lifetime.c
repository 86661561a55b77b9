/*
 * use-after-free / double-free on straight-line paths inside a function
 * (CWE-416, CWE-415; CERT C MEM30-C): after free(p), a use of p (or a second
 * free) before p is reassigned, within the block of the free. A block that
 * ends, a return, break, continue, goto or case label ends the path, so a
 * free in an error branch never meets the code after that branch.
 *
 * memset-dead-store: memset/bzero of a local buffer that is never read
 * again, or of memory that is freed right after: the optimizer may remove the
 * store, leaving secrets in memory (CWE-14; CERT C MSC06-C).
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define MAX_FREED 64
#define MAX_CLEARS 64

struct freed {
	CXCursor var;      /* or null when key names a field path */
	char key[128];     /* "s->buf" for fields */
	unsigned scope;    /* stack height of the block the free is in */
	char fn[128];
};

struct clear {
	CXCursor var;
	CXCursor call;
	int is_array;
	char fn[128];
};

struct state {
	struct freed f[MAX_FREED];
	size_t nf;
	struct clear cl[MAX_CLEARS];
	size_t ncl;
	unsigned clear_depth; /* stack height while inside the clearing call */
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

static int is_scope(enum CXCursorKind k)
{
	return k == CXCursor_CompoundStmt || k == CXCursor_IfStmt || k == CXCursor_ForStmt ||
	       k == CXCursor_WhileStmt || k == CXCursor_DoStmt || k == CXCursor_SwitchStmt;
}

static unsigned innermost_scope(struct az_ctx *ctx)
{
	for (unsigned h = ctx->depth; h > 0; h--)
		if (is_scope(ctx->kinds[h - 1]))
			return h;
	return 0;
}

static void drop_from(struct state *st, unsigned scope)
{
	size_t j = 0;
	for (size_t i = 0; i < st->nf; i++)
		if (st->f[i].scope < scope)
			st->f[j++] = st->f[i];
	st->nf = j;
}

static int is_free_fn(struct az_ctx *ctx, const char *name)
{
	return az_json_strlist_has(az_rule_param(az_rule(ctx, "use-after-free"), "free_functions"),
				   name);
}

static void on_free(struct az_ctx *ctx, struct state *st, CXCursor call)
{
	CXCursor arg = az_strip_casts(az_arg(call, 0));
	enum CXCursorKind k = clang_getCursorKind(arg);
	if (st->nf >= MAX_FREED || (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr))
		return;
	struct freed *f = &st->f[st->nf];
	memset(f, 0, sizeof *f);
	f->var = k == CXCursor_DeclRefExpr ? az_var_of(arg) : clang_getNullCursor();
	if (k == CXCursor_DeclRefExpr && az_null(f->var))
		return;
	if (k == CXCursor_MemberRefExpr)
		az_expr_text(ctx->tu, arg, f->key, sizeof f->key);
	f->scope = innermost_scope(ctx);
	snprintf(f->fn, sizeof f->fn, "%s", ctx->callee);
	st->nf++;
}

/* How the expression at the top of the stack is used. */
enum use { USE_READ, USE_WRITE, USE_FREE, USE_IGNORE };

static enum use classify(struct az_ctx *ctx, char *callee, size_t size)
{
	unsigned p = az_real_parent(ctx, 0);
	CXCursor pc = az_parent(ctx, p), me = az_parent(ctx, p - 1);
	char op[8];
	if (az_in_sizeof(ctx))
		return USE_IGNORE;
	switch (az_parent_kind(ctx, p)) {
	case CXCursor_BinaryOperator:
		az_binop(ctx->tu, pc, op, sizeof op);
		if (!op[0]) /* inside a macro: the operator cannot be told, assume the safe case */
			return clang_equalCursors(az_child(pc, 0), me) ? USE_WRITE : USE_IGNORE;
		if (!strcmp(op, "=") && clang_equalCursors(az_child(pc, 0), me))
			return USE_WRITE;
		if (az_is_compare(op) || !strcmp(op, "&&") || !strcmp(op, "||"))
			return USE_IGNORE;
		return USE_READ;
	case CXCursor_UnaryOperator:
		az_unop(ctx->tu, pc, op, sizeof op);
		if (!strcmp(op, "&"))
			return USE_WRITE; /* may be reassigned through the pointer */
		if (!strcmp(op, "!"))
			return USE_IGNORE;
		return USE_READ;
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
		return USE_IGNORE;
	case CXCursor_CallExpr:
		az_callee(pc, callee, size);
		return is_free_fn(ctx, callee) ? USE_FREE : USE_READ;
	default:
		return USE_READ;
	}
}

static void on_ref(struct az_ctx *ctx, struct state *st, CXCursor c, CXCursor var, const char *key)
{
	int has_var = !az_null(var);
	for (size_t i = 0; i < st->nf; i++) {
		struct freed *f = &st->f[i];
		if (has_var ? !az_streq_cursor(f->var, var) : (f->key[0] == '\0' || strcmp(f->key, key)))
			continue;
		char callee[64] = "", name[128];
		enum use u = classify(ctx, callee, sizeof callee);
		if (u == USE_IGNORE)
			return;
		if (has_var)
			az_str(clang_getCursorSpelling(var), name, sizeof name);
		else
			snprintf(name, sizeof name, "%s", key);
		if (u == USE_FREE)
			az_report(ctx, "double-free", SDL_LEVEL_NONE, c,
				  "'%s' is passed to %s() again after %s()", name, callee, f->fn);
		else if (u == USE_READ)
			az_report(ctx, "use-after-free", SDL_LEVEL_NONE, c,
				  "'%s' is used after %s()", name, f->fn);
		st->f[i] = st->f[--st->nf];
		return;
	}
}

/*
 * Across loop iterations: a pointer freed in a loop body and not reassigned
 * by the end of the body (nor by the loop's condition or increment) is
 * freed when the body starts again. Its first mention in the body, in
 * source order, decides: an assignment or &p ends it, a free is a double
 * free, any other use (a test of the pointer value aside) a use after free.
 */
struct next_iter {
	struct az_ctx *ctx;
	CXCursor var;
	enum use u;       /* USE_IGNORE while nothing decided */
	CXCursor at;
	char callee[64];
};

static int names_var(CXCursor e, CXCursor var)
{
	return az_streq_cursor(az_var_of(e), var);
}

static enum CXChildVisitResult next_cb(CXCursor c, CXCursor parent, CXClientData data);

/* next_cb on `c` itself, then on its children when it asks to recurse. */
static void walk(CXCursor c, struct next_iter *n)
{
	if (next_cb(c, clang_getNullCursor(), n) == CXChildVisit_Recurse && n->u == USE_IGNORE)
		clang_visitChildren(c, next_cb, n);
}

struct mention { int hit; CXCursor var; };

static enum CXChildVisitResult mentions_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct mention *m = data;
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr && az_streq_cursor(az_var_of(c), m->var))
		m->hit = 1;
	return m->hit ? CXChildVisit_Break : CXChildVisit_Recurse;
}

static int mentions(CXCursor e, CXCursor var)
{
	struct mention m = { 0, var };
	if (clang_getCursorKind(e) == CXCursor_DeclRefExpr)
		return az_streq_cursor(az_var_of(e), var);
	clang_visitChildren(e, mentions_cb, &m);
	return m.hit;
}

static enum CXChildVisitResult next_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct next_iter *n = data;
	struct az_ctx *ctx = n->ctx;
	char op[8];
	(void)parent;
	if (n->u != USE_IGNORE)
		return CXChildVisit_Break;
	switch (clang_getCursorKind(c)) {
	case CXCursor_BinaryOperator:
		az_binop(ctx->tu, c, op, sizeof op);
		if (!strcmp(op, "=") && names_var(az_child(c, 0), n->var)) {
			if (mentions(az_child(c, 1), n->var)) { /* p = p->next */
				n->u = USE_READ;
				n->at = c;
			} else {
				n->u = USE_WRITE;
			}
			return CXChildVisit_Break;
		}
		if ((az_is_compare(op) || !op[0]) &&
		    (names_var(az_child(c, 0), n->var) || names_var(az_child(c, 1), n->var)))
			return CXChildVisit_Continue; /* the pointer's value, not its memory */
		break;
	case CXCursor_UnaryOperator:
		az_unop(ctx->tu, c, op, sizeof op);
		if (names_var(az_child(c, 0), n->var)) {
			if (!strcmp(op, "&")) {
				n->u = USE_WRITE;
				return CXChildVisit_Break;
			}
			if (!strcmp(op, "!"))
				return CXChildVisit_Continue;
		}
		break;
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
		if (names_var(az_child(c, 0), n->var)) { /* if (p): skip the test, walk the rest */
			for (unsigned i = 1; i < az_nchildren(c) && n->u == USE_IGNORE; i++)
				walk(az_child(c, i), n);
			return n->u == USE_IGNORE ? CXChildVisit_Continue : CXChildVisit_Break;
		}
		break;
	case CXCursor_CallExpr: {
		char name[64];
		az_callee(c, name, sizeof name);
		if (az_nargs(c) > 0 && names_var(az_arg(c, 0), n->var) && is_free_fn(ctx, name)) {
			n->u = USE_FREE;
			n->at = c;
			snprintf(n->callee, sizeof n->callee, "%s", name);
			return CXChildVisit_Break;
		}
		break;
	}
	case CXCursor_DeclRefExpr:
		if (az_streq_cursor(az_var_of(c), n->var)) {
			n->u = USE_READ;
			n->at = c;
			return CXChildVisit_Break;
		}
		break;
	default:
		break;
	}
	return CXChildVisit_Recurse;
}

/* The current cursor (being left) is the body of a loop: report what its
 * frees do to the next iteration. */
static void loop_body_end(struct az_ctx *ctx, struct state *st, CXCursor body)
{
	CXCursor loop = az_parent(ctx, 1);
	enum CXCursorKind lk = az_parent_kind(ctx, 1);
	unsigned nch = az_nchildren(loop);
	if (lk != CXCursor_ForStmt && lk != CXCursor_WhileStmt && lk != CXCursor_DoStmt)
		return;
	if (!nch || !clang_equalCursors(az_child(loop, lk == CXCursor_DoStmt ? 0 : nch - 1), body))
		return;
	for (size_t i = 0; i < st->nf; i++) {
		struct freed *f = &st->f[i];
		if (az_null(f->var) || f->scope < ctx->depth)
			continue;
		/* declared inside the body: a new variable each iteration */
		unsigned vo, bs, be;
		CXSourceRange r = clang_getCursorExtent(body);
		clang_getSpellingLocation(clang_getCursorLocation(f->var), NULL, NULL, NULL, &vo);
		clang_getSpellingLocation(clang_getRangeStart(r), NULL, NULL, NULL, &bs);
		clang_getSpellingLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &be);
		if (vo >= bs && vo <= be)
			continue;
		/* the condition or increment reassigns it (for (p = h; p; p = next)) */
		int reassigned = 0;
		for (unsigned k = 0; k < nch && !reassigned; k++) {
			CXCursor part = az_child(loop, k);
			if (clang_equalCursors(part, body))
				continue;
			struct next_iter t = { ctx, f->var, USE_IGNORE, clang_getNullCursor(), "" };
			walk(part, &t);
			reassigned = t.u == USE_WRITE;
		}
		if (reassigned)
			continue;
		struct next_iter n = { ctx, f->var, USE_IGNORE, clang_getNullCursor(), "" };
		clang_visitChildren(body, next_cb, &n);
		char name[128];
		az_str(clang_getCursorSpelling(f->var), name, sizeof name);
		if (n.u == USE_FREE)
			az_report(ctx, "double-free", SDL_LEVEL_NONE, n.at,
				  "'%s' is passed to %s() again in the next iteration, after %s() at the end "
				  "of the loop body", name, n.callee, f->fn);
		else if (n.u == USE_READ)
			az_report(ctx, "use-after-free", SDL_LEVEL_NONE, n.at,
				  "'%s' is used in the next iteration after %s() at the end of the loop body",
				  name, f->fn);
	}
}

/* ---- memset-dead-store ---- */

static int is_local(CXCursor var)
{
	return clang_getCursorKind(var) == CXCursor_VarDecl &&
	       clang_Cursor_getStorageClass(var) != CX_SC_Static &&
	       clang_Cursor_getStorageClass(var) != CX_SC_Extern &&
	       clang_getCursorSemanticParent(var).kind == CXCursor_FunctionDecl;
}

/* The loop around the current point, if the variable is declared outside it. */
static int in_loop_outside_decl(struct az_ctx *ctx, CXCursor var)
{
	unsigned vo;
	clang_getSpellingLocation(clang_getCursorLocation(var), NULL, NULL, NULL, &vo);
	for (unsigned h = ctx->depth; h > 0; h--) {
		enum CXCursorKind k = ctx->kinds[h - 1];
		if (k != CXCursor_ForStmt && k != CXCursor_WhileStmt && k != CXCursor_DoStmt)
			continue;
		unsigned s, e;
		CXSourceRange r = clang_getCursorExtent(ctx->stack[h - 1]);
		clang_getSpellingLocation(clang_getRangeStart(r), NULL, NULL, NULL, &s);
		clang_getSpellingLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &e);
		if (vo < s || vo > e)
			return 1;
	}
	return 0;
}

static void on_clear(struct az_ctx *ctx, struct state *st, CXCursor call)
{
	CXCursor var = az_var_of(az_arg(call, 0));
	if (az_null(var) || st->ncl >= MAX_CLEARS)
		return;
	CXType t = clang_getCanonicalType(clang_getCursorType(var));
	int arr = t.kind == CXType_ConstantArray;
	if (arr && (!is_local(var) || in_loop_outside_decl(ctx, var)))
		return;
	if (!arr && t.kind != CXType_Pointer)
		return;
	for (size_t i = 0; i < st->ncl; i++)
		if (clang_equalCursors(st->cl[i].var, var)) {
			st->cl[i] = st->cl[--st->ncl];
			break;
		}
	struct clear *cl = &st->cl[st->ncl++];
	cl->var = var;
	cl->call = call;
	cl->is_array = arr;
	snprintf(cl->fn, sizeof cl->fn, "%s", ctx->callee);
}

static void clear_ref(struct az_ctx *ctx, struct state *st, CXCursor var)
{
	for (size_t i = 0; i < st->ncl; i++) {
		struct clear *cl = &st->cl[i];
		if (!clang_equalCursors(cl->var, var))
			continue;
		unsigned p = az_real_parent(ctx, 0);
		char callee[64] = "", name[128];
		if (az_parent_kind(ctx, p) == CXCursor_CallExpr)
			az_callee(az_parent(ctx, p), callee, sizeof callee);
		if (!cl->is_array && is_free_fn(ctx, callee)) {
			az_str(clang_getCursorSpelling(var), name, sizeof name);
			az_report(ctx, "memset-dead-store", SDL_LEVEL_NONE, cl->call,
				  "%s() of '%s' right before %s() may be removed by the optimizer; "
				  "use explicit_bzero or memset_explicit", cl->fn, name, callee);
		}
		st->cl[i] = st->cl[--st->ncl];
		return;
	}
}

static void function_end(struct az_ctx *ctx, struct state *st)
{
	for (size_t i = 0; i < st->ncl; i++) {
		struct clear *cl = &st->cl[i];
		char name[128];
		if (!cl->is_array)
			continue;
		az_str(clang_getCursorSpelling(cl->var), name, sizeof name);
		az_report(ctx, "memset-dead-store", SDL_LEVEL_NONE, cl->call,
			  "%s() of '%s', which is not read afterwards, may be removed by the optimizer; "
			  "use explicit_bzero or memset_explicit", cl->fn, name);
	}
	st->ncl = 0;
	st->nf = 0;
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (!ctx->in_func)
		return;
	if (ev == AZ_LEAVE) {
		if (st->nf && ctx->depth > 1)
			loop_body_end(ctx, st, c);
		if (is_scope(k))
			drop_from(st, ctx->depth);
		if (k == CXCursor_ReturnStmt || k == CXCursor_BreakStmt ||
		    k == CXCursor_ContinueStmt || k == CXCursor_GotoStmt) {
			/* the path ends here (after the returned expression was evaluated) */
			unsigned sc = innermost_scope(ctx);
			drop_from(st, sc ? sc : 1);
		}
		if (k == CXCursor_CallExpr && ctx->callee[0] &&
		    az_json_strlist_has(az_rule_param(az_rule(ctx, "memset-dead-store"), "functions"),
					ctx->callee) && az_enabled(ctx, "memset-dead-store")) {
			on_clear(ctx, st, c);
		} else if (k == CXCursor_CallExpr && ctx->callee[0] && is_free_fn(ctx, ctx->callee)) {
			on_free(ctx, st, c);
		} else if (k == CXCursor_FunctionDecl) {
			function_end(ctx, st);
		}
		return;
	}
	switch (k) {
	case CXCursor_FunctionDecl:
		st->nf = 0;
		st->ncl = 0;
		break;
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt: {
		/* a new path starts at a case label: frees before it in the switch body no longer apply */
		unsigned s = innermost_scope(ctx);
		drop_from(st, s ? s : 1);
		break;
	}
	case CXCursor_DeclRefExpr: {
		CXCursor var = az_var_of(c);
		if (az_null(var))
			break;
		if (st->nf)
			on_ref(ctx, st, c, var, NULL);
		if (st->ncl)
			clear_ref(ctx, st, var);
		break;
	}
	case CXCursor_MemberRefExpr:
		if (st->nf) {
			char key[128];
			az_expr_text(ctx->tu, c, key, sizeof key);
			on_ref(ctx, st, c, clang_getNullCursor(), key);
		}
		break;
	default:
		break;
	}
}

const struct az_checker az_check_lifetime = { "lifetime", tu_begin, visit, tu_end };
