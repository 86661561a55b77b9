/*
 * signal-unsafe-call: functions that are not async-signal-safe (POSIX.1-2017
 * 2.4.3; the rule pack lists the usual offenders: stdio, malloc, syslog, exit)
 * called inside a function installed as a signal handler with signal() or
 * sigaction in the same translation unit (CWE-479; CERT C SIG30-C).
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

struct call { char usr[256]; char func[256]; char callee[128]; CXSourceLocation loc; };

struct state {
	struct call *calls;
	size_t n, cap;
	char (*handlers)[256];
	size_t nh, caph;
};

static int tu_begin(struct az_ctx *ctx, void **state)
{
	(void)ctx;
	*state = sdl_calloc(1, sizeof(struct state));
	return *state ? 0 : SDL_ENOMEM;
}

static void add_handler(struct az_ctx *ctx, struct state *st, CXCursor expr)
{
	CXCursor e = az_strip_casts(expr);
	if (clang_getCursorKind(e) == CXCursor_UnaryOperator) /* &handler */
		e = az_strip_casts(az_child(e, 0));
	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return;
	CXCursor d = clang_getCursorReferenced(e);
	if (clang_getCursorKind(d) != CXCursor_FunctionDecl)
		return;
	if (st->nh == st->caph) {
		size_t n = st->caph ? st->caph * 2 : 8;
		char (*h)[256] = sdl_reallocarray(st->handlers, n, sizeof *h);
		if (!h) {
			ctx->err = SDL_ENOMEM;
			return;
		}
		st->handlers = h;
		st->caph = n;
	}
	az_str(clang_getCursorUSR(d), st->handlers[st->nh++], 256);
}

static void add_call(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	if (!ctx->func_usr)
		return;
	if (st->n == st->cap) {
		size_t n = st->cap ? st->cap * 2 : 16;
		struct call *nc = sdl_reallocarray(st->calls, n, sizeof *nc);
		if (!nc) {
			ctx->err = SDL_ENOMEM;
			return;
		}
		st->calls = nc;
		st->cap = n;
	}
	struct call *r = &st->calls[st->n++];
	snprintf(r->usr, sizeof r->usr, "%s", ctx->func_usr);
	snprintf(r->func, sizeof r->func, "%s", ctx->func_name);
	snprintf(r->callee, sizeof r->callee, "%s", ctx->callee);
	r->loc = clang_getCursorLocation(c);
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (ev != AZ_ENTER || !ctx->in_func)
		return;
	if (k == CXCursor_CallExpr && ctx->callee[0]) {
		if ((!strcmp(ctx->callee, "signal") || !strcmp(ctx->callee, "sigset") ||
		     !strcmp(ctx->callee, "bsd_signal")) && az_nargs(c) == 2)
			add_handler(ctx, st, az_arg(c, 1));
		else if (az_json_strlist_has(az_rule_param(az_rule(ctx, "signal-unsafe-call"), "unsafe"),
					     ctx->callee))
			add_call(ctx, st, c);
	} else if (k == CXCursor_BinaryOperator) {
		CXCursor lhs = az_strip(az_child(c, 0));
		char name[64], op[4];
		if (clang_getCursorKind(lhs) != CXCursor_MemberRefExpr)
			return;
		az_str(clang_getCursorSpelling(lhs), name, sizeof name);
		if ((!strcmp(name, "sa_handler") || !strcmp(name, "sa_sigaction") ||
		     !strcmp(name, "__sigaction_handler")) &&
		    !strcmp(az_binop(ctx->tu, c, op, sizeof op), "="))
			add_handler(ctx, st, az_child(c, 1));
	}
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	struct state *st = state;
	for (size_t i = 0; i < st->n; i++)
		for (size_t h = 0; h < st->nh; h++)
			if (!strcmp(st->calls[i].usr, st->handlers[h])) {
				az_report_loc(ctx, "signal-unsafe-call", SDL_LEVEL_NONE, st->calls[i].loc,
					      st->calls[i].func,
					      "'%s' is not async-signal-safe but is called in signal handler '%s'",
					      st->calls[i].callee, st->calls[i].func);
				break;
			}
	sdl_free(st->calls);
	sdl_free(st->handlers);
	sdl_free(st);
}

const struct az_checker az_check_signal = { "signal", tu_begin, visit, tu_end };
