/*
 * format-nonliteral: a format string that is not a literal, in the printf,
 * syslog and err/warn families (rule pack) and in the project's own functions
 * declared __attribute__((format(printf, N, M))) (CWE-134; CERT C FIO30-C).
 * Taint-aware: reported when the format can come from outside the program.
 *
 * scanf-unbounded: %s or %[ without a field width in the scanf family writes
 * past the destination (CWE-120; CERT C STR31-C). %ms allocates and is fine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define ATTR_CACHE 256

struct state {
	struct { unsigned hash; int fmt; } cache[ATTR_CACHE];
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

struct attr_scan { CXTranslationUnit tu; int fmt; };

static enum CXChildVisitResult attr_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct attr_scan *s = data;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_UnexposedAttr)
		return CXChildVisit_Continue;
	CXToken *t = NULL;
	unsigned n = 0;
	clang_tokenize(s->tu, clang_getCursorExtent(c), &t, &n);
	/* format ( printf , N , M ) */
	if (n >= 6) {
		char w[6][32];
		for (unsigned i = 0; i < 6; i++)
			az_str(clang_getTokenSpelling(s->tu, t[i]), w[i], sizeof w[i]);
		if ((!strcmp(w[0], "format") || !strcmp(w[0], "__format__")) &&
		    strstr(w[2], "printf"))
			s->fmt = (int)strtol(w[4], NULL, 10) - 1;
	}
	if (t)
		clang_disposeTokens(s->tu, t, n);
	return s->fmt >= 0 ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* Index of the format argument of a callee declared with a printf format attribute. */
static int attr_format_index(struct az_ctx *ctx, struct state *st, CXCursor call)
{
	CXCursor d = az_callee_decl(call);
	if (az_null(d))
		return -1;
	unsigned h = clang_hashCursor(clang_getCanonicalCursor(d));
	for (size_t i = 0; i < st->n; i++)
		if (st->cache[i].hash == h)
			return st->cache[i].fmt;
	struct attr_scan s = { ctx->tu, -1 };
	/* the attribute may sit on any redeclaration; the canonical one carries it in headers */
	clang_visitChildren(d, attr_cb, &s);
	if (s.fmt < 0)
		clang_visitChildren(clang_getCanonicalCursor(d), attr_cb, &s);
	if (st->n < ATTR_CACHE) {
		st->cache[st->n].hash = h;
		st->cache[st->n].fmt = s.fmt;
		st->n++;
	}
	return s.fmt;
}

/*
 * A wrapper declared with a format attribute forwards its own format
 * parameter: its call sites are checked instead.
 */
static int is_own_format_param(struct az_ctx *ctx, struct state *st, CXCursor arg)
{
	CXCursor d = az_var_of(arg);
	if (az_null(d) || clang_getCursorKind(d) != CXCursor_ParmDecl || !ctx->in_func)
		return 0;
	unsigned h = clang_hashCursor(clang_getCanonicalCursor(ctx->func));
	int fi = -1, found = 0;
	for (size_t i = 0; i < st->n && !found; i++)
		if (st->cache[i].hash == h) {
			fi = st->cache[i].fmt;
			found = 1;
		}
	if (!found) {
		struct attr_scan s = { ctx->tu, -1 };
		clang_visitChildren(ctx->func, attr_cb, &s);
		if (s.fmt < 0)
			clang_visitChildren(clang_getCanonicalCursor(ctx->func), attr_cb, &s);
		fi = s.fmt;
		if (st->n < ATTR_CACHE) {
			st->cache[st->n].hash = h;
			st->cache[st->n].fmt = fi;
			st->n++;
		}
	}
	return fi >= 0 && clang_equalCursors(clang_Cursor_getArgument(ctx->func, (unsigned)fi), d);
}

static int table_index(const struct az_rule *r, const char *name)
{
	const cJSON *fns = az_rule_param(r, "functions");
	const cJSON *i = fns ? cJSON_GetObjectItemCaseSensitive(fns, name) : NULL;
	return cJSON_IsNumber(i) ? i->valueint : -1;
}

/* The literal a format argument designates (directly or through a const variable). */
static int format_literal(CXCursor arg, char *buf, size_t size)
{
	CXCursor e = az_strip_casts(arg);
	if (clang_getCursorKind(e) == CXCursor_DeclRefExpr) {
		if (!az_is_literal_string(e))
			return 0;
		e = clang_Cursor_getVarDeclInitializer(clang_getCursorReferenced(e));
	}
	return az_literal_value(e, buf, size);
}

/* First %s / %[ conversion without a width, or NULL. */
static const char *unbounded_conversion(const char *f)
{
	for (const char *p = f; (p = strchr(p, '%')); ) {
		const char *start = p++;
		if (*p == '%') {
			p++;
			continue;
		}
		if (*p == '*') /* assignment suppressed: writes nothing */
			continue;
		int width = 0, alloc = 0;
		while (*p >= '0' && *p <= '9') {
			width = 1;
			p++;
		}
		if (*p == '$') { /* positional: %1$s */
			p++;
			width = 0;
			while (*p >= '0' && *p <= '9') {
				width = 1;
				p++;
			}
		}
		while (*p && strchr("hljztLqm", *p)) {
			if (*p == 'm')
				alloc = 1;
			p++;
		}
		if ((*p == 's' || *p == '[' || *p == 'S') && !width && !alloc)
			return start;
	}
	return NULL;
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (k != CXCursor_CallExpr || ev != AZ_ENTER || !ctx->callee[0])
		return;

	int fi = table_index(az_rule(ctx, "format-nonliteral"), ctx->callee);
	if (fi < 0 && az_enabled(ctx, "format-nonliteral"))
		fi = attr_format_index(ctx, st, c);
	if (fi >= 0 && fi < az_nargs(c)) {
		CXCursor arg = az_arg(c, (unsigned)fi);
		if (!az_is_literal_string(arg) && !is_own_format_param(ctx, st, arg))
			az_sink(ctx, "format-nonliteral", arg, az_eval(ctx, arg), 0,
				"format string of '%s' is not a string literal", ctx->callee);
	}

	int si = table_index(az_rule(ctx, "scanf-unbounded"), ctx->callee);
	if (si >= 0 && si < az_nargs(c)) {
		char f[1024];
		const char *bad;
		if (format_literal(az_arg(c, (unsigned)si), f, sizeof f) &&
		    (bad = unbounded_conversion(f)))
			az_report(ctx, "scanf-unbounded", SDL_LEVEL_NONE, c,
				  "'%s' conversion '%.2s' has no field width and can overflow its buffer",
				  ctx->callee, bad);
	}
}

const struct az_checker az_check_format = { "format", tu_begin, visit, tu_end };
