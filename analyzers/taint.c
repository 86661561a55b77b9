/*
 * Where a value comes from, for the rules about untrusted data (command
 * injection, format strings, allocation sizes, indexes, copy lengths).
 *
 * Inside a function, in source order: a variable is tainted once it receives
 * data from outside the program (read, recv, fgets, fscanf, getenv, argv...),
 * directly or through copies and arithmetic; it is bounded once it has been
 * compared against something. A value that depends on a parameter defers the
 * decision to the end of the translation unit, where calls between its
 * functions are followed (to a fixed point) to learn which parameters can
 * receive tainted data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

struct az_sink {
	const char *id;
	CXSourceLocation loc;
	char *func_usr;
	char func[256];
	uint32_t params;
	int size_like;
	char msg[512];
};

/* Functions whose return value comes from outside. */
static const char *const ret_sources[] = {
	"getenv", "secure_getenv", "getpass", "readline", "gets", "fgets", "ttyname",
	"getlogin", "cuserid", NULL
};

/* Functions that fill argument n (and those after it when `rest`) from outside. */
static const struct { const char *name; int arg; int rest; } out_sources[] = {
	{ "read", 1, 0 }, { "pread", 1, 0 }, { "recv", 1, 0 }, { "recvfrom", 1, 0 },
	{ "recvmsg", 1, 0 }, { "fgets", 0, 0 }, { "fgetws", 0, 0 }, { "fread", 0, 0 },
	{ "gets", 0, 0 }, { "getline", 0, 0 }, { "getdelim", 0, 0 }, { "readlink", 1, 0 },
	{ "fscanf", 2, 1 }, { "scanf", 1, 1 }, { "vscanf", 1, 1 }, { "fscanf_s", 2, 1 },
	{ "mq_receive", 1, 0 }, { "msgrcv", 1, 0 }, { "SSL_read", 1, 0 },
	{ "mbedtls_ssl_read", 1, 0 }, { "wolfSSL_read", 1, 0 }, { "getc", -1, 0 },
	{ NULL, 0, 0 }
};

/* Functions whose result carries the taint of their first argument. */
static const char *const passthrough[] = {
	"strdup", "strndup", "atoi", "atol", "atoll", "atof", "strtol", "strtoul", "strtoll",
	"strtoull", "strtoimax", "strtoumax", "strlen", "strnlen", "ntohs", "ntohl", "htons",
	"htonl", "be16toh", "be32toh", "le16toh", "le32toh", "strchr", "strrchr", "strstr",
	"strpbrk", "memchr", "basename", "dirname", "realpath", "fgetc", "getc", "getchar", NULL
};

/* Copies: destination argument 0 receives the taint of the arguments from `from`. */
static const struct { const char *name; int from; } copies[] = {
	{ "strcpy", 1 }, { "strncpy", 1 }, { "strcat", 1 }, { "strncat", 1 }, { "stpcpy", 1 },
	{ "memcpy", 1 }, { "memmove", 1 }, { "strlcpy", 1 }, { "strlcat", 1 },
	{ "sprintf", 1 }, { "snprintf", 2 }, { "vsnprintf", 2 }, { "vsprintf", 1 },
	{ "sscanf", -1 }, { NULL, 0 }
};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

static struct az_val join(struct az_val a, struct az_val b)
{
	struct az_val r = { 0 };
	r.taint = a.taint | b.taint;
	r.unknown = a.unknown | b.unknown;
	r.params = a.params | b.params;
	r.bounded = (a.bounded || !(a.taint || a.params)) && (b.bounded || !(b.taint || b.params));
	return r;
}

static struct az_var *find_var(struct az_ctx *ctx, CXCursor decl)
{
	unsigned h = clang_hashCursor(decl);
	for (size_t i = ctx->nvars; i-- > 0;)
		if (clang_hashCursor(ctx->vars[i].decl) == h &&
		    clang_equalCursors(ctx->vars[i].decl, decl))
			return &ctx->vars[i];
	return NULL;
}

static struct az_var *set_var(struct az_ctx *ctx, CXCursor decl, struct az_val v)
{
	struct az_var *var = find_var(ctx, decl);
	if (var) {
		var->val = v;
		return var;
	}
	if (ctx->nvars >= AZ_MAX_VARS)
		return NULL;
	if (ctx->nvars == ctx->capvars) {
		size_t n = ctx->capvars ? ctx->capvars * 2 : 32;
		struct az_var *nv = sdl_reallocarray(ctx->vars, n, sizeof *nv);
		if (!nv) {
			ctx->err = SDL_ENOMEM;
			return NULL;
		}
		ctx->vars = nv;
		ctx->capvars = n;
	}
	var = &ctx->vars[ctx->nvars++];
	var->decl = decl;
	var->val = v;
	return var;
}

/* Index of a parameter of the current function, or -1. */
static int param_index(struct az_ctx *ctx, CXCursor decl)
{
	for (unsigned i = 0; i < ctx->func_nparams && i < 32; i++)
		if (clang_equalCursors(clang_Cursor_getArgument(ctx->func, i), decl))
			return (int)i;
	return -1;
}

static struct az_val var_val(struct az_ctx *ctx, CXCursor d)
{
	struct az_val v = { 0 };
	struct az_var *var = find_var(ctx, d);
	if (var)
		return var->val;
	if (clang_getCursorKind(d) == CXCursor_ParmDecl && ctx->in_func) {
		int i = param_index(ctx, d);
		char name[64];
		az_str(clang_getCursorSpelling(d), name, sizeof name);
		if (!strcmp(ctx->func_name, "main") && (i == 1 || i == 2)) {
			v.taint = 1; /* argv, envp */
		} else if (i >= 0) {
			v.params = 1u << i;
		} else {
			v.unknown = 1;
		}
		return v;
	}
	if (clang_isConstQualifiedType(clang_getCursorType(d)))
		return v; /* a constant */
	v.unknown = 1;
	return v;
}

struct join_state { struct az_ctx *ctx; struct az_val v; int n; };

/* Fields (by their text, "ret->len") compared against a bound in this function. */
static int member_bounded(struct az_ctx *ctx, CXCursor e)
{
	char t[AZ_MEMBER_KEY];
	az_expr_text(ctx->tu, e, t, sizeof t);
	for (size_t i = 0; i < ctx->nbounded_members; i++)
		if (!strcmp(ctx->bounded_members[i], t))
			return 1;
	return 0;
}

static void note_member_bounded(struct az_ctx *ctx, CXCursor e)
{
	if (ctx->nbounded_members >= AZ_MAX_MEMBERS)
		return;
	az_expr_text(ctx->tu, e, ctx->bounded_members[ctx->nbounded_members], AZ_MEMBER_KEY);
	if (ctx->bounded_members[ctx->nbounded_members][0])
		ctx->nbounded_members++;
}

static enum CXChildVisitResult join_children(CXCursor c, CXCursor parent, CXClientData data)
{
	struct join_state *s = data;
	(void)parent;
	if (!clang_isExpression(clang_getCursorKind(c)))
		return CXChildVisit_Continue;
	s->v = s->n++ ? join(s->v, az_eval(s->ctx, c)) : az_eval(s->ctx, c);
	return CXChildVisit_Continue;
}

static struct az_val eval_depth(struct az_ctx *ctx, CXCursor expr, int depth);

struct az_val az_eval(struct az_ctx *ctx, CXCursor expr)
{
	return eval_depth(ctx, expr, 0);
}

static struct az_val eval_depth(struct az_ctx *ctx, CXCursor expr, int depth)
{
	struct az_val v = { 0 };
	CXCursor e = az_strip_casts(expr);
	enum CXCursorKind k = clang_getCursorKind(e);
	char name[128];

	if (depth > 32 || az_null(e)) {
		v.unknown = 1;
		return v;
	}
	switch (k) {
	case CXCursor_IntegerLiteral:
	case CXCursor_FloatingLiteral:
	case CXCursor_CharacterLiteral:
	case CXCursor_StringLiteral:
	case CXCursor_UnaryExpr: /* sizeof, alignof */
		return v;
	case CXCursor_DeclRefExpr: {
		CXCursor d = clang_getCursorReferenced(e);
		enum CXCursorKind dk = clang_getCursorKind(d);
		if (dk == CXCursor_VarDecl || dk == CXCursor_ParmDecl)
			return var_val(ctx, d);
		return v; /* enum constants, functions */
	}
	case CXCursor_CallExpr: {
		az_callee(e, name, sizeof name);
		if (in_list(ret_sources, name)) {
			v.taint = 1;
			return v;
		}
		if (in_list(passthrough, name) && az_nargs(e) > 0)
			return eval_depth(ctx, az_arg(e, 0), depth + 1);
		v.unknown = 1;
		return v;
	}
	case CXCursor_ConditionalOperator: {
		struct az_val r = join(eval_depth(ctx, az_child(e, 1), depth + 1),
				       eval_depth(ctx, az_child(e, 2), depth + 1));
		CXCursor cond = az_strip(az_child(e, 0));
		char op[8];
		/* a < b ? a : b and friends: a clamp, the result is bounded */
		if (clang_getCursorKind(cond) == CXCursor_BinaryOperator &&
		    az_is_compare(az_binop(ctx->tu, cond, op, sizeof op)) && strcmp(op, "==") &&
		    strcmp(op, "!="))
			r.bounded = 1;
		return r;
	}
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
	case CXCursor_UnaryOperator:
	case CXCursor_ArraySubscriptExpr:
	case CXCursor_MemberRefExpr:
	case CXCursor_ParenExpr: {
		struct join_state s = { ctx, { 0 }, 0 };
		clang_visitChildren(e, join_children, &s);
		if (!s.n)
			s.v.unknown = 1;
		if (k == CXCursor_MemberRefExpr && ctx->nbounded_members && member_bounded(ctx, e))
			s.v.bounded = 1;
		return s.v;
	}
	default:
		v.unknown = 1;
		return v;
	}
}

/* The variable an lvalue-ish argument designates: x, &x, x[i], x->f, x.f. */
static CXCursor target_var(CXCursor expr)
{
	CXCursor e = az_strip_casts(expr);
	for (int i = 0; i < 8 && !az_null(e); i++) {
		enum CXCursorKind k = clang_getCursorKind(e);
		if (k == CXCursor_DeclRefExpr)
			return az_var_of(e);
		if (k == CXCursor_UnaryOperator || k == CXCursor_ArraySubscriptExpr ||
		    k == CXCursor_MemberRefExpr)
			e = az_strip_casts(az_child(e, 0));
		else
			break;
	}
	return clang_getNullCursor();
}

static void taint_target(struct az_ctx *ctx, CXCursor arg, struct az_val v)
{
	CXCursor d = target_var(arg);
	if (az_null(d))
		return;
	set_var(ctx, d, join(var_val(ctx, d), v));
}

static void record_call(struct az_ctx *ctx, CXCursor call)
{
	CXCursor callee = az_callee_decl(call);
	if (az_null(callee) || !ctx->func_usr)
		return;
	CXCursor def = clang_getCursorDefinition(callee);
	if (az_null(def))
		return; /* not visible in this TU */
	char usr[512];
	az_str(clang_getCursorUSR(def), usr, sizeof usr);
	int n = az_nargs(call);
	for (int i = 0; i < n && i < 32; i++) {
		struct az_val v = az_eval(ctx, az_arg(call, (unsigned)i));
		if (!v.taint && !v.params)
			continue;
		if (ctx->ncalls == ctx->capcalls) {
			size_t nc = ctx->capcalls ? ctx->capcalls * 2 : 32;
			struct az_call_rec *r = sdl_reallocarray(ctx->calls, nc, sizeof *r);
			if (!r) {
				ctx->err = SDL_ENOMEM;
				return;
			}
			ctx->calls = r;
			ctx->capcalls = nc;
		}
		struct az_call_rec *r = &ctx->calls[ctx->ncalls];
		r->callee_usr = sdl_strdup(usr);
		r->caller_usr = sdl_strdup(ctx->func_usr);
		if (!r->callee_usr || !r->caller_usr) {
			sdl_free(r->callee_usr);
			sdl_free(r->caller_usr);
			ctx->err = SDL_ENOMEM;
			return;
		}
		r->arg = (unsigned)i;
		r->val = v;
		ctx->ncalls++;
	}
}

static void on_call_leave(struct az_ctx *ctx, CXCursor call)
{
	char name[128];
	int n = az_nargs(call);
	az_callee(call, name, sizeof name);
	if (!name[0])
		return;
	for (int i = 0; out_sources[i].name; i++) {
		if (strcmp(out_sources[i].name, name) || out_sources[i].arg < 0)
			continue;
		struct az_val t = { 1, 0, 0, 0 };
		for (int a = out_sources[i].arg; a < n; a++) {
			taint_target(ctx, az_arg(call, (unsigned)a), t);
			if (!out_sources[i].rest)
				break;
		}
		return;
	}
	for (int i = 0; copies[i].name; i++) {
		if (strcmp(copies[i].name, name))
			continue;
		if (copies[i].from < 0) { /* sscanf: outputs carry the input's taint */
			struct az_val src = az_eval(ctx, az_arg(call, 0));
			for (int a = 2; a < n; a++)
				taint_target(ctx, az_arg(call, (unsigned)a), src);
			return;
		}
		struct az_val src = { 0 };
		for (int a = copies[i].from; a < n; a++)
			src = join(src, az_eval(ctx, az_arg(call, (unsigned)a)));
		src.bounded = 0;
		if (src.taint || src.params || src.unknown)
			taint_target(ctx, az_arg(call, 0), src);
		return;
	}
}

/*
 * A loop's body runs again: what it assigns reaches its own earlier
 * statements on the next iteration (`buf[n] = 0; ...; n = recv_len();`).
 * Before the walk enters a loop, a pre-pass over the loop joins into each
 * variable the untrusted data the loop assigns to it (assignments and the
 * out-parameters of read, recv, fscanf...), twice so that one step of
 * copying inside the loop is followed. Only taint grows here; checks inside
 * the body still bound the value when the walk reaches them.
 */
static void loop_taint(struct az_ctx *ctx, CXCursor var, struct az_val rv)
{
	if (az_null(var) || !(rv.taint || rv.params) || rv.bounded)
		return;
	struct az_val v = var_val(ctx, var);
	v.taint |= rv.taint;
	v.params |= rv.params;
	v.bounded = 0;
	set_var(ctx, var, v);
}

static enum CXChildVisitResult loop_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct az_ctx *ctx = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	char op[8], name[128];
	(void)parent;
	if (ctx->err)
		return CXChildVisit_Break;
	if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
		az_binop(ctx->tu, c, op, sizeof op);
		if (k == CXCursor_CompoundAssignOperator || !strcmp(op, "="))
			loop_taint(ctx, az_var_of(az_strip(az_child(c, 0))), az_eval(ctx, az_child(c, 1)));
	} else if (k == CXCursor_CallExpr && az_callee(c, name, sizeof name)[0]) {
		int n = az_nargs(c);
		for (int i = 0; out_sources[i].name; i++) {
			if (strcmp(out_sources[i].name, name) || out_sources[i].arg < 0)
				continue;
			struct az_val t = { 1, 0, 0, 0 };
			for (int a = out_sources[i].arg; a < n; a++) {
				/* only `x`, `&x` and `x[i]`: a field read into (`&s.buf[i]`)
				 * must not taint the other fields of s across iterations */
				CXCursor e = az_strip_casts(az_arg(c, (unsigned)a));
				enum CXCursorKind ek = clang_getCursorKind(e);
				if (ek == CXCursor_UnaryOperator || ek == CXCursor_ArraySubscriptExpr)
					e = az_strip_casts(az_child(e, 0));
				loop_taint(ctx, az_var_of(e), t);
				if (!out_sources[i].rest)
					break;
			}
			break;
		}
	}
	return CXChildVisit_Recurse;
}

static void loop_prepass(struct az_ctx *ctx, CXCursor loop)
{
	for (int pass = 0; pass < 2 && !ctx->err; pass++)
		clang_visitChildren(loop, loop_cb, ctx);
}

/*
 * A variable compared against something is treated as bounded from here on.
 * In a loop condition the counter takes the origin of its bound instead
 * (for (i = 0; i < n; i++) with n from input makes i untrusted), and a
 * counter compared with a trusted bound (a constant, a checked value) is
 * bounded inside the loop (`while (i < 16) { t[i] ...; i = next[i]; }`).
 */
static void mark_bounded(struct az_ctx *ctx, CXCursor op)
{
	char buf[8];
	az_binop(ctx->tu, op, buf, sizeof buf);
	if (strcmp(buf, "<") && strcmp(buf, ">") && strcmp(buf, "<=") && strcmp(buf, ">="))
		return;
	unsigned p = az_real_parent(ctx, 0);
	enum CXCursorKind pk = az_parent_kind(ctx, p);
	int loop = pk == CXCursor_ForStmt || pk == CXCursor_WhileStmt || pk == CXCursor_DoStmt;
	for (unsigned i = 0; i < 2; i++) {
		CXCursor d = az_var_of(az_child(op, i));
		CXCursor m = az_strip_casts(az_child(op, i));
		if (!loop && clang_getCursorKind(m) == CXCursor_MemberRefExpr)
			note_member_bounded(ctx, m);
		if (az_null(d))
			continue;
		struct az_val v = var_val(ctx, d);
		if (loop) {
			struct az_val other = az_eval(ctx, az_child(op, 1 - i));
			if ((other.taint || other.params) && !other.bounded) {
				v.taint |= other.taint;
				v.params |= other.params;
				v.bounded = 0;
				set_var(ctx, d, v);
			} else if ((v.taint || v.params) && !other.unknown) {
				v.bounded = 1;
				set_var(ctx, d, v);
			}
			continue;
		}
		v.bounded = 1;
		set_var(ctx, d, v);
	}
}

void az_taint_visit(struct az_ctx *ctx, CXCursor c, enum CXCursorKind k, enum az_event ev)
{
	if (!ctx->in_func)
		return;
	if (ev == AZ_ENTER) {
		if (k == CXCursor_BinaryOperator)
			mark_bounded(ctx, c);
		else if (k == CXCursor_ForStmt || k == CXCursor_WhileStmt || k == CXCursor_DoStmt)
			loop_prepass(ctx, c);
		return;
	}
	switch (k) {
	case CXCursor_VarDecl: {
		CXCursor init = clang_Cursor_getVarDeclInitializer(c);
		struct az_val v = { 0 };
		if (clang_Cursor_getStorageClass(c) == CX_SC_Static)
			v.unknown = 1;
		if (!az_null(init))
			v = az_eval(ctx, init);
		set_var(ctx, c, v);
		break;
	}
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator: {
		char op[8];
		az_binop(ctx->tu, c, op, sizeof op);
		if (strcmp(op, "=") && (k != CXCursor_CompoundAssignOperator))
			break;
		CXCursor lhs = az_strip(az_child(c, 0));
		struct az_val rv = az_eval(ctx, az_child(c, 1));
		CXCursor d = az_var_of(lhs);
		if (!az_null(d) && k == CXCursor_BinaryOperator)
			set_var(ctx, d, rv);
		else if (!az_null(d))
			set_var(ctx, d, join(var_val(ctx, d), rv));
		else if (rv.taint || rv.params)
			taint_target(ctx, lhs, rv); /* into an element or field of a variable */
		break;
	}
	case CXCursor_CallExpr:
		on_call_leave(ctx, c);
		break;
	default:
		break;
	}
	if (k == CXCursor_CallExpr)
		record_call(ctx, c);
}

void az_taint_func_begin(struct az_ctx *ctx)
{
	ctx->nvars = 0;
	ctx->nbounded_members = 0;
}

void az_taint_func_end(struct az_ctx *ctx)
{
	ctx->nvars = 0;
	ctx->nbounded_members = 0;
}

void az_sink(struct az_ctx *ctx, const char *id, CXCursor at, struct az_val v, int size_like,
	     const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int hot = v.taint && !(size_like && v.bounded);

	if (!az_enabled(ctx, id))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (hot) {
		az_report(ctx, id, SDL_LEVEL_NONE, at, "%s (the value can come from outside the program)",
			  msg);
		return;
	}
	if (v.params && !(size_like && v.bounded) && ctx->in_func && ctx->func_usr) {
		if (ctx->nsinks == ctx->capsinks) {
			size_t n = ctx->capsinks ? ctx->capsinks * 2 : 16;
			struct az_sink *ns = sdl_reallocarray(ctx->sinks, n, sizeof *ns);
			if (!ns) {
				ctx->err = SDL_ENOMEM;
				return;
			}
			ctx->sinks = ns;
			ctx->capsinks = n;
		}
		struct az_sink *s = &ctx->sinks[ctx->nsinks];
		memset(s, 0, sizeof *s);
		s->id = id;
		s->loc = clang_getCursorLocation(at);
		s->func_usr = sdl_strdup(ctx->func_usr);
		if (!s->func_usr) {
			ctx->err = SDL_ENOMEM;
			return;
		}
		snprintf(s->func, sizeof s->func, "%s", ctx->func_name);
		s->params = v.params;
		s->size_like = size_like;
		snprintf(s->msg, sizeof s->msg, "%s", msg);
		ctx->nsinks++;
		return;
	}
	if (ctx->opts->audit && (v.unknown || v.taint || v.params))
		az_report(ctx, id, SDL_LEVEL_NOTE, at, "%s (audit: not proven to come from outside)",
			  msg);
}

/* Tainted parameters, as (usr, mask) pairs. */
struct tparam { const char *usr; uint32_t mask; };

static uint32_t *tmask(struct tparam *t, size_t *n, size_t cap, const char *usr)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(t[i].usr, usr))
			return &t[i].mask;
	if (*n >= cap)
		return NULL;
	t[*n].usr = usr;
	t[*n].mask = 0;
	return &t[(*n)++].mask;
}

void az_taint_tu_end(struct az_ctx *ctx)
{
	size_t cap = ctx->ncalls * 2 + ctx->nsinks + 1, n = 0;
	struct tparam *t = sdl_calloc(cap, sizeof *t);
	if (!t) {
		ctx->err = SDL_ENOMEM;
		return;
	}
	for (int changed = 1, rounds = 0; changed && rounds < 64; rounds++) {
		changed = 0;
		for (size_t i = 0; i < ctx->ncalls; i++) {
			struct az_call_rec *r = &ctx->calls[i];
			uint32_t *caller = tmask(t, &n, cap, r->caller_usr);
			uint32_t *callee = tmask(t, &n, cap, r->callee_usr);
			if (!caller || !callee)
				continue;
			int hot = r->val.taint || (r->val.params & *caller);
			uint32_t bit = 1u << r->arg;
			if (hot && !(*callee & bit)) {
				*callee |= bit;
				changed = 1;
			}
		}
	}
	for (size_t i = 0; i < ctx->nsinks; i++) {
		struct az_sink *s = &ctx->sinks[i];
		uint32_t *m = tmask(t, &n, cap, s->func_usr);
		if (m && (*m & s->params))
			az_report_loc(ctx, s->id, SDL_LEVEL_NONE, s->loc, s->func,
				      "%s (the value can come from outside the program, through a caller)",
				      s->msg);
		else if (ctx->opts->audit)
			az_report_loc(ctx, s->id, SDL_LEVEL_NOTE, s->loc, s->func,
				      "%s (audit: depends on a parameter no caller in this file taints)",
				      s->msg);
	}
	sdl_free(t);
}

void az_taint_release(struct az_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ncalls; i++) {
		sdl_free(ctx->calls[i].callee_usr);
		sdl_free(ctx->calls[i].caller_usr);
	}
	for (size_t i = 0; i < ctx->nsinks; i++)
		sdl_free(ctx->sinks[i].func_usr);
	sdl_free(ctx->calls);
	sdl_free(ctx->sinks);
	sdl_free(ctx->vars);
	ctx->calls = NULL;
	ctx->sinks = NULL;
	ctx->vars = NULL;
	ctx->ncalls = ctx->nsinks = ctx->nvars = 0;
}
