/* AST helpers on libclang's C API (libclang 14 exposes no operator kinds). */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/banned.h"

const char *az_str(CXString s, char *buf, size_t size)
{
	const char *c = clang_getCString(s);
	snprintf(buf, size, "%s", c ? c : "");
	clang_disposeString(s);
	return buf;
}

int az_null(CXCursor c)
{
	return clang_Cursor_isNull(c) || clang_isInvalid(clang_getCursorKind(c));
}

struct nth { unsigned want, seen; CXCursor found; };

static enum CXChildVisitResult nth_cb(CXCursor c, CXCursor parent, CXClientData data)
{
	struct nth *n = data;
	(void)parent;
	if (n->seen++ == n->want) {
		n->found = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

CXCursor az_child(CXCursor c, unsigned n)
{
	struct nth s = { n, 0, clang_getNullCursor() };
	clang_visitChildren(c, nth_cb, &s);
	return s.found;
}

unsigned az_nchildren(CXCursor c)
{
	struct nth s = { (unsigned)-1, 0, clang_getNullCursor() };
	clang_visitChildren(c, nth_cb, &s);
	return s.seen;
}

static int is_transparent(enum CXCursorKind k)
{
	return k == CXCursor_UnexposedExpr || k == CXCursor_ParenExpr;
}

CXCursor az_strip(CXCursor c)
{
	for (int i = 0; i < 64 && !az_null(c); i++) {
		enum CXCursorKind k = clang_getCursorKind(c);
		if (!is_transparent(k))
			break;
		if (k == CXCursor_UnexposedExpr && az_nchildren(c) != 1)
			break;
		c = az_child(c, 0);
	}
	return c;
}

CXCursor az_strip_casts(CXCursor c)
{
	for (int i = 0; i < 64 && !az_null(c); i++) {
		c = az_strip(c);
		if (clang_getCursorKind(c) != CXCursor_CStyleCastExpr)
			break;
		/* the last child is the operand (a TypeRef may come first) */
		unsigned n = az_nchildren(c);
		if (!n)
			break;
		c = az_child(c, n - 1);
	}
	return c;
}

CXCursor az_callee_decl(CXCursor call)
{
	CXCursor d = clang_getCursorReferenced(call);
	if (az_null(d) || clang_getCursorKind(d) != CXCursor_FunctionDecl)
		return clang_getNullCursor();
	return d;
}

/* The callee as written (a builtin or fortified name left as it is). */
static const char *raw_callee(CXCursor call, char *buf, size_t size)
{
	buf[0] = '\0';
	if (clang_getCursorKind(call) != CXCursor_CallExpr)
		return buf;
	CXCursor d = az_callee_decl(call);
	if (!az_null(d))
		return az_str(clang_getCursorSpelling(d), buf, size);
	/* undeclared or through an expression: name the callee when it is a plain name */
	CXCursor callee = az_strip(az_child(call, 0));
	if (clang_getCursorKind(callee) == CXCursor_DeclRefExpr) {
		CXCursor r = clang_getCursorReferenced(callee);
		if (!az_null(r) && clang_getCursorKind(r) != CXCursor_FunctionDecl)
			return buf; /* a function pointer variable */
		return az_str(clang_getCursorSpelling(callee), buf, size);
	}
	return buf;
}

/*
 * Fortified variants (-O2 -D_FORTIFY_SOURCE, glibc <bits/stdio2.h>,
 * <bits/string_fortified.h>, <bits/unistd.h>...): the _chk function takes
 * the arguments of the plain one with `count` flag/object-size arguments
 * inserted at `at` (-1: appended). Prototypes from glibc's debug/ and
 * the GCC manual, "Object Size Checking".
 */
static const struct {
	const char *name;
	int at, count;
} fortified[] = {
	{"snprintf", 2, 2},  /* (s, maxlen, flag, slen, fmt, ...) */
	{"vsnprintf", 2, 2}, /* (s, maxlen, flag, slen, fmt, ap) */
	{"sprintf", 1, 2},   /* (s, flag, slen, fmt, ...) */
	{"vsprintf", 1, 2},
	{"swprintf", 2, 2},  /* (s, n, flag, slen, fmt, ...) */
	{"vswprintf", 2, 2},
	{"printf", 0, 1},    /* (flag, fmt, ...) */
	{"vprintf", 0, 1},
	{"wprintf", 0, 1},
	{"vwprintf", 0, 1},
	{"fprintf", 1, 1},   /* (fp, flag, fmt, ...) */
	{"vfprintf", 1, 1},
	{"fwprintf", 1, 1},
	{"vfwprintf", 1, 1},
	{"dprintf", 1, 1},   /* (fd, flag, fmt, ...) */
	{"vdprintf", 1, 1},
	{"syslog", 1, 1},    /* (pri, flag, fmt, ...) */
	{"vsyslog", 1, 1},
	{"asprintf", 1, 1},  /* (ptr, flag, fmt, ...) */
	{"vasprintf", 1, 1},
	{"obstack_printf", 1, 1},
	{"obstack_vprintf", 1, 1},
	{"fgets", 1, 1},     /* (s, size, n, fp) */
	{"fgets_unlocked", 1, 1},
	{"fgetws", 1, 1},
	{"fread", 1, 1},     /* (ptr, ptrlen, size, n, fp) */
	{"fread_unlocked", 1, 1},
	{"recv", 3, 1},      /* (fd, buf, n, buflen, flags) */
	{"recvfrom", 3, 1},  /* (fd, buf, n, buflen, flags, addr, addrlen) */
	{"poll", 2, 1},      /* (fds, nfds, fdslen, timeout) */
	{"ppoll", 2, 1},
};

/* Name of a _chk / builtin callee with its prefix/suffix removed, in place; the fortified entry or -1. */
static int normalise(char *name, int *chk)
{
	size_t n = strlen(name);
	*chk = 0;
	if (!strncmp(name, "__builtin___", 12)) {
		memmove(name, name + 12, n - 12 + 1);
		n -= 12;
		if (n > 4 && !strcmp(name + n - 4, "_chk")) {
			name[n - 4] = '\0';
			*chk = 1;
		}
	} else if (!strncmp(name, "__builtin_", 10)) {
		memmove(name, name + 10, n - 10 + 1);
	} else if (n > 6 && !strncmp(name, "__", 2) && !strcmp(name + n - 4, "_chk")) {
		memmove(name, name + 2, n - 6);
		name[n - 6] = '\0';
		*chk = 1;
	}
	if (!*chk)
		return -1;
	for (size_t i = 0; i < sizeof fortified / sizeof fortified[0]; i++)
		if (!strcmp(fortified[i].name, name))
			return (int)i;
	return -2; /* a _chk variant with its extra argument(s) appended */
}

const char *az_callee(CXCursor call, char *buf, size_t size)
{
	int chk;
	raw_callee(call, buf, size);
	normalise(buf, &chk);
	return buf;
}

/* Where the plain function's argument `i` sits in this call; *extra: arguments inserted. */
static unsigned physical(CXCursor call, unsigned i, int *extra)
{
	char name[128];
	int chk;
	*extra = 0;
	raw_callee(call, name, sizeof name);
	if (name[0] != '_')
		return i;
	int f = normalise(name, &chk);
	if (f == -2) { /* appended: __memcpy_chk(d, s, n, dlen), __strcpy_chk(d, s, dlen)... */
		*extra = 1;
		return i;
	}
	if (f < 0)
		return i;
	*extra = fortified[f].count;
	return (int)i < fortified[f].at ? i : i + (unsigned)fortified[f].count;
}

int az_nargs(CXCursor call)
{
	int extra, n = clang_Cursor_getNumArguments(call);
	physical(call, 0, &extra);
	return n > extra ? n - extra : (n < 0 ? n : 0);
}

CXCursor az_arg(CXCursor call, unsigned i)
{
	int extra;
	if ((int)i >= az_nargs(call))
		return clang_getNullCursor();
	return clang_Cursor_getArgument(call, physical(call, i, &extra));
}

/* First punctuation token in [from, to] of the spelling buffer, if close together. */
static const char *token_between(CXTranslationUnit tu, CXSourceLocation from,
				 CXSourceLocation to, int last, char *buf, size_t size)
{
	CXFile f1, f2;
	unsigned o1, o2;
	buf[0] = '\0';
	clang_getSpellingLocation(from, &f1, NULL, NULL, &o1);
	clang_getSpellingLocation(to, &f2, NULL, NULL, &o2);
	if (!f1 || !clang_File_isEqual(f1, f2) || o2 < o1 || o2 - o1 > 256)
		return buf;
	CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, f1, o1),
					 clang_getLocationForOffset(tu, f1, o2));
	CXToken *toks = NULL;
	unsigned n = 0;
	clang_tokenize(tu, r, &toks, &n);
	for (unsigned i = 0; i < n; i++) {
		unsigned j = last ? n - 1 - i : i;
		if (clang_getTokenKind(toks[j]) == CXToken_Punctuation) {
			az_str(clang_getTokenSpelling(tu, toks[j]), buf, size);
			break;
		}
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	return buf;
}

/*
 * Operators are found by tokenizing, and several checkers ask for the same
 * cursor: a small per-thread cache keeps it to one tokenization each.
 */
#define OP_CACHE 512
static _Thread_local struct { CXTranslationUnit tu; CXCursor c; char op[8]; int used; } op_cache[OP_CACHE];

static const char *cached_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size, int unary)
{
	unsigned h = (clang_hashCursor(c) * 2u + (unsigned)unary) % OP_CACHE;
	if (op_cache[h].used && op_cache[h].tu == tu && clang_equalCursors(op_cache[h].c, c)) {
		snprintf(buf, size, "%s", op_cache[h].op);
		return buf;
	}
	buf[0] = '\0';
	if (!unary) {
		CXCursor lhs = az_child(c, 0), rhs = az_child(c, 1);
		if (!az_null(lhs) && !az_null(rhs))
			token_between(tu, clang_getRangeEnd(clang_getCursorExtent(lhs)),
				      clang_getRangeStart(clang_getCursorExtent(rhs)), 0, buf, size);
	} else {
		CXCursor sub = az_child(c, 0);
		if (!az_null(sub)) {
			CXSourceRange whole = clang_getCursorExtent(c), inner = clang_getCursorExtent(sub);
			unsigned a, b;
			clang_getSpellingLocation(clang_getRangeStart(whole), NULL, NULL, NULL, &a);
			clang_getSpellingLocation(clang_getRangeStart(inner), NULL, NULL, NULL, &b);
			if (a < b) /* prefix */
				token_between(tu, clang_getRangeStart(whole), clang_getRangeStart(inner), 0,
					      buf, size);
			else
				token_between(tu, clang_getRangeEnd(inner), clang_getRangeEnd(whole), 1,
					      buf, size);
		}
	}
	op_cache[h].tu = tu;
	op_cache[h].c = c;
	op_cache[h].used = 1;
	snprintf(op_cache[h].op, sizeof op_cache[h].op, "%s", buf);
	return buf;
}

const char *az_binop(CXTranslationUnit tu, CXCursor op, char *buf, size_t size)
{
	return cached_op(tu, op, buf, size, 0);
}

const char *az_unop(CXTranslationUnit tu, CXCursor op, char *buf, size_t size)
{
	return cached_op(tu, op, buf, size, 1);
}

int az_is_sizeof(CXTranslationUnit tu, CXCursor c)
{
	if (clang_getCursorKind(c) != CXCursor_UnaryExpr)
		return 0;
	CXToken *t = clang_getToken(tu, clang_getCursorLocation(c));
	if (!t)
		return 0;
	char buf[32];
	az_str(clang_getTokenSpelling(tu, *t), buf, sizeof buf);
	clang_disposeTokens(tu, t, 1);
	if (!strcmp(buf, "sizeof"))
		return 1;
	if (strstr(buf, "alignof") || strstr(buf, "Alignof"))
		return 2;
	return 0;
}

CXCursor az_var_of(CXCursor expr)
{
	CXCursor e = az_strip_casts(expr);
	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return clang_getNullCursor();
	CXCursor d = clang_getCursorReferenced(e);
	enum CXCursorKind k = clang_getCursorKind(d);
	if (k == CXCursor_VarDecl || k == CXCursor_ParmDecl)
		return d;
	return clang_getNullCursor();
}

int az_int_const(CXCursor expr, long long *out)
{
	CXCursor e = az_strip(expr);
	enum CXCursorKind k = clang_getCursorKind(e);
	if (!clang_isExpression(k))
		return 0;
	/* evaluating a DeclRefExpr of a non-const variable would read its initializer */
	if (k == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(e);
		if (clang_getCursorKind(d) != CXCursor_EnumConstantDecl)
			return 0;
		*out = clang_getEnumConstantDeclValue(d);
		return 1;
	}
	if (k == CXCursor_CallExpr)
		return 0;
	CXEvalResult r = clang_Cursor_Evaluate(e);
	if (!r)
		return 0;
	int ok = 0;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		*out = clang_EvalResult_getAsLongLong(r);
		ok = 1;
	}
	clang_EvalResult_dispose(r);
	return ok;
}

int az_is_literal_string(CXCursor expr)
{
	CXCursor e = az_strip_casts(expr);
	enum CXCursorKind k = clang_getCursorKind(e);
	if (k == CXCursor_StringLiteral)
		return 1;
	if (k == CXCursor_ConditionalOperator)
		return az_is_literal_string(az_child(e, 1)) && az_is_literal_string(az_child(e, 2));
	if (k == CXCursor_DeclRefExpr) {
		/* a const array or const pointer initialised from a literal */
		CXCursor d = clang_getCursorReferenced(e);
		if (clang_getCursorKind(d) != CXCursor_VarDecl)
			return 0;
		CXType t = clang_getCursorType(d);
		int is_const = 0;
		if (t.kind == CXType_ConstantArray)
			is_const = clang_isConstQualifiedType(clang_getArrayElementType(t));
		else if (t.kind == CXType_Pointer)
			is_const = clang_isConstQualifiedType(t) &&
				   clang_isConstQualifiedType(clang_getPointeeType(t));
		if (!is_const)
			return 0;
		CXCursor init = clang_Cursor_getVarDeclInitializer(d);
		return !az_null(init) && clang_getCursorKind(az_strip_casts(init)) == CXCursor_StringLiteral;
	}
	return 0;
}

/* The value of a literal from its spelling ("..." with C escapes, as libclang prints it). */
static int unescape_spelling(const char *sp, char *buf, size_t size)
{
	const char *q = strchr(sp, '"');
	size_t o = 0;
	if (!q)
		return 0;
	for (const char *p = q + 1; *p && o + 1 < size; p++) {
		if (*p == '"') { /* adjacent pieces: "a" "b" */
			const char *n = strchr(p + 1, '"');
			if (!n)
				break;
			p = n;
			continue;
		}
		if (*p != '\\') {
			buf[o++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf[o++] = '\n'; break;
		case 't': buf[o++] = '\t'; break;
		case 'r': buf[o++] = '\r'; break;
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			int v = 0;
			for (int i = 0; i < 3 && *p >= '0' && *p <= '7'; i++, p++)
				v = v * 8 + (*p - '0');
			p--;
			buf[o++] = (char)v;
			break;
		}
		case 'x': {
			int v = 0;
			p++;
			while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')) {
				v = v * 16 + (*p <= '9' ? *p - '0' : (*p | 32) - 'a' + 10);
				p++;
			}
			p--;
			buf[o++] = (char)v;
			break;
		}
		case '\0':
			p--;
			break;
		default: buf[o++] = *p; break;
		}
	}
	buf[o] = '\0';
	return 1;
}

int az_literal_value(CXCursor expr, char *buf, size_t size)
{
	CXCursor e = az_strip_casts(expr);
	char sp[4096];
	buf[0] = '\0';
	if (clang_getCursorKind(e) != CXCursor_StringLiteral)
		return 0;
	az_str(clang_getCursorSpelling(e), sp, sizeof sp);
	return unescape_spelling(sp, buf, size);
}

const char *az_expr_text(CXTranslationUnit tu, CXCursor expr, char *buf, size_t size)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	size_t len = 0;
	buf[0] = '\0';
	clang_tokenize(tu, clang_getCursorExtent(az_strip_casts(expr)), &toks, &n);
	for (unsigned i = 0; i < n && len + 1 < size; i++) {
		char t[256];
		az_str(clang_getTokenSpelling(tu, toks[i]), t, sizeof t);
		size_t tl = strlen(t);
		if (len + tl + 1 >= size)
			break;
		memcpy(buf + len, t, tl + 1);
		len += tl;
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	return buf;
}

CXCursor az_parent(const struct az_ctx *ctx, unsigned up)
{
	if (up >= ctx->depth)
		return clang_getNullCursor();
	return ctx->stack[ctx->depth - 1 - up];
}

enum CXCursorKind az_parent_kind(const struct az_ctx *ctx, unsigned up)
{
	if (up >= ctx->depth)
		return CXCursor_InvalidFile;
	return ctx->kinds[ctx->depth - 1 - up];
}

unsigned az_real_parent(const struct az_ctx *ctx, unsigned from)
{
	for (unsigned up = from + 1; up < ctx->depth; up++)
		if (!is_transparent(ctx->kinds[ctx->depth - 1 - up]))
			return up;
	return 0;
}

int az_in_sizeof(const struct az_ctx *ctx)
{
	for (unsigned up = 1; up < ctx->depth; up++) {
		enum CXCursorKind k = ctx->kinds[ctx->depth - 1 - up];
		if (k == CXCursor_UnaryExpr)
			return 1;
		if (clang_isStatement(k) || clang_isDeclaration(k))
			return 0;
	}
	return 0;
}

int az_is_compare(const char *op)
{
	return !strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "<") || !strcmp(op, ">") ||
	       !strcmp(op, "<=") || !strcmp(op, ">=");
}

int az_streq_cursor(CXCursor a, CXCursor b)
{
	return !az_null(a) && !az_null(b) && clang_equalCursors(a, b);
}

void az_ast_reset(void)
{
	memset(op_cache, 0, sizeof op_cache);
}
