/*
 * One translation unit: parse it once, walk its AST once, and hand every
 * cursor of the project's own code to every checker family in the registry.
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

/* ---- results ------------------------------------------------------------ */

void az_tu_result_init(struct az_tu_result *r)
{
	memset(r, 0, sizeof *r);
	sdl_findings_init(&r->findings);
}

int az_strv_push(char ***v, size_t *n, const char *s)
{
	char **nv = sdl_reallocarray(*v, *n + 1, sizeof **v);
	if (!nv)
		return SDL_ENOMEM;
	*v = nv;
	if (!(nv[*n] = sdl_strdup(s)))
		return SDL_ENOMEM;
	(*n)++;
	return 0;
}

void az_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sdl_free(v[i]);
	sdl_free(v);
}

void az_tu_result_release(struct az_tu_result *r)
{
	sdl_findings_release(&r->findings);
	az_strv_free(r->files, r->nfiles);
	az_strv_free(r->deps, r->ndeps);
	az_strv_free(r->errors, r->nerrors);
	az_strv_free(r->dropped, r->ndropped);
	memset(r, 0, sizeof *r);
}

/* ---- which files are ours ---------------------------------------------- */

struct az_filemap {
	struct { CXFile file; char *rel; int ours; } *slots;
	size_t cap, count;
};

static void filemap_free(struct az_filemap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		sdl_free(m->slots[i].rel);
	sdl_free(m->slots);
	sdl_free(m);
}

static size_t ptr_hash(const void *p)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ull;
	return (size_t)(x ^ (x >> 29));
}

static int filemap_grow(struct az_filemap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct az_filemap n = { sdl_calloc(ncap, sizeof *m->slots), ncap, m->count };
	if (!n.slots)
		return SDL_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].file)
			continue;
		size_t h = ptr_hash(m->slots[i].file) & (ncap - 1);
		while (n.slots[h].file)
			h = (h + 1) & (ncap - 1);
		n.slots[h] = m->slots[i];
	}
	sdl_free(m->slots);
	*m = n;
	return 0;
}

/* Absolute, resolved path of a file; "" if unknown. */
static const char *file_path(CXFile f, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	az_str(clang_File_tryGetRealPathName(f), buf, size);
	if (buf[0])
		return buf;
	az_str(clang_getFileName(f), tmp, sizeof tmp);
	if (!realpath(tmp, buf))
		snprintf(buf, size, "%s", tmp);
	return buf;
}

/* The file's path relative to the root, or NULL if it lies outside. */
static const char *relative_to_root(const char *root, const char *abs)
{
	size_t n = strlen(root);
	if (strncmp(abs, root, n) || abs[n] != '/')
		return NULL;
	return abs + n + 1;
}

static int classify(struct az_ctx *ctx, CXFile f, const char **rel)
{
	struct az_filemap *m = ctx->files;
	*rel = NULL;
	if (!f)
		return 0;
	if (m->cap && m->count * 2 < m->cap) {
		size_t h = ptr_hash(f) & (m->cap - 1);
		while (m->slots[h].file) {
			if (m->slots[h].file == f) {
				*rel = m->slots[h].rel;
				return m->slots[h].ours;
			}
			h = (h + 1) & (m->cap - 1);
		}
	}
	if ((m->count + 1) * 2 >= m->cap && filemap_grow(m) < 0) {
		ctx->err = SDL_ENOMEM;
		return 0;
	}
	char abs[PATH_MAX];
	const char *r = relative_to_root(ctx->opts->root, file_path(f, abs, sizeof abs));
	size_t h = ptr_hash(f) & (m->cap - 1);
	while (m->slots[h].file)
		h = (h + 1) & (m->cap - 1);
	m->slots[h].file = f;
	m->slots[h].ours = r != NULL;
	m->slots[h].rel = r ? sdl_strdup(r) : NULL;
	if (r && !m->slots[h].rel) {
		ctx->err = SDL_ENOMEM;
		m->slots[h].ours = 0;
	}
	m->count++;
	*rel = m->slots[h].rel;
	return m->slots[h].ours;
}

int az_is_ours(struct az_ctx *ctx, CXSourceLocation loc)
{
	CXFile f;
	const char *rel;
	if (clang_Location_isInSystemHeader(loc))
		return 0;
	clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
	return classify(ctx, f, &rel);
}

/* ---- reporting ------------------------------------------------------------ */

const struct az_rule *az_rule(const struct az_ctx *ctx, const char *id)
{
	return az_pack_find(ctx->opts->pack, id);
}

int az_enabled(const struct az_ctx *ctx, const char *id)
{
	const struct az_rule *r = az_rule(ctx, id);
	return r && r->enabled;
}

static void vreport(struct az_ctx *ctx, const char *id, enum sdl_level level,
		    CXSourceLocation loc, const char *func, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static void vreport(struct az_ctx *ctx, const char *id, enum sdl_level level,
		    CXSourceLocation loc, const char *func, const char *fmt, va_list ap)
{
	const struct az_rule *r = az_rule(ctx, id);
	CXFile f;
	unsigned line, col;
	const char *rel;
	char msg[1024];

	if (!r || !r->enabled || clang_Location_isInSystemHeader(loc))
		return;
	clang_getExpansionLocation(loc, &f, &line, &col, NULL);
	if (!classify(ctx, f, &rel))
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (level == SDL_LEVEL_NONE)
		level = r->level;
	if (sdl_findings_add(&ctx->out->findings, id, level, rel, line, col, msg,
			     func && *func ? func : NULL) < 0)
		ctx->err = SDL_ENOMEM;
}

void az_report(struct az_ctx *ctx, const char *id, enum sdl_level level, CXCursor cursor,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, id, level, clang_getCursorLocation(cursor),
		ctx->in_func ? ctx->func_name : NULL, fmt, ap);
	va_end(ap);
}

void az_report_loc(struct az_ctx *ctx, const char *id, enum sdl_level level,
		   CXSourceLocation loc, const char *func, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, id, level, loc, func, fmt, ap);
	va_end(ap);
}

/* ---- the traversal ------------------------------------------------------- */

static void dispatch(struct az_ctx *ctx, CXCursor c, enum CXCursorKind k, enum az_event ev)
{
	if (k == CXCursor_CallExpr)
		az_callee(c, ctx->callee, sizeof ctx->callee);
	else
		ctx->callee[0] = '\0';
	if (ev == AZ_LEAVE)
		az_taint_visit(ctx, c, k, ev);
	for (size_t i = 0; i < az_nchecks; i++)
		if (az_checkers[i]->visit)
			az_checkers[i]->visit(ctx, ctx->state[i], c, k, ev);
	if (ev == AZ_ENTER)
		az_taint_visit(ctx, c, k, ev);
}

static enum CXChildVisitResult walk(CXCursor c, CXCursor parent, CXClientData data);

static void enter_function(struct az_ctx *ctx, CXCursor c)
{
	ctx->func = c;
	ctx->in_func = 1;
	az_str(clang_getCursorSpelling(c), ctx->func_name, sizeof ctx->func_name);
	char usr[512];
	az_str(clang_getCursorUSR(c), usr, sizeof usr);
	sdl_free(ctx->func_usr);
	ctx->func_usr = sdl_strdup(usr);
	if (!ctx->func_usr)
		ctx->err = SDL_ENOMEM;
	int n = clang_Cursor_getNumArguments(c);
	ctx->func_nparams = n > 0 ? (unsigned)n : 0;
	az_taint_func_begin(ctx);
}

static void leave_function(struct az_ctx *ctx)
{
	az_taint_func_end(ctx);
	ctx->in_func = 0;
	ctx->func = clang_getNullCursor();
	ctx->func_name[0] = '\0';
}

static enum CXChildVisitResult walk(CXCursor c, CXCursor parent, CXClientData data)
{
	struct az_ctx *ctx = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	int is_func = 0;
	(void)parent;

	if (ctx->err || ctx->depth >= AZ_MAX_DEPTH)
		return CXChildVisit_Continue;
	if (ctx->depth == 0 && !az_is_ours(ctx, clang_getCursorLocation(c)))
		return CXChildVisit_Continue; /* system headers, third-party code */
	if (k == CXCursor_FunctionDecl && clang_isCursorDefinition(c) && !ctx->in_func) {
		is_func = 1;
		enter_function(ctx, c);
	}
	ctx->stack[ctx->depth] = c;
	ctx->kinds[ctx->depth] = k;
	ctx->depth++;
	dispatch(ctx, c, k, AZ_ENTER);
	clang_visitChildren(c, walk, ctx);
	dispatch(ctx, c, k, AZ_LEAVE);
	ctx->depth--;
	if (is_func)
		leave_function(ctx);
	return CXChildVisit_Continue;
}

/* ---- parsing --------------------------------------------------------------- */

struct incl { struct az_ctx *ctx; struct az_tu_result *out; };

static void inclusion_cb(CXFile f, CXSourceLocation *stack, unsigned len, CXClientData data)
{
	struct incl *in = data;
	char abs[PATH_MAX];
	const char *rel;
	(void)stack;
	(void)len;
	file_path(f, abs, sizeof abs);
	if (az_strv_push(&in->out->deps, &in->out->ndeps, abs) < 0) {
		in->ctx->err = SDL_ENOMEM;
		return;
	}
	if (classify(in->ctx, f, &rel) && rel &&
	    az_strv_push(&in->out->files, &in->out->nfiles, rel) < 0)
		in->ctx->err = SDL_ENOMEM;
}

/* "unknown argument: '-fconserve-stack'" -> "-fconserve-stack" */
static int unknown_argument(const char *msg, char *flag, size_t size)
{
	static const char *const prefixes[] = { "unknown argument: '",
						"unsupported option '", NULL };
	for (int i = 0; prefixes[i]; i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(msg, prefixes[i], n)) {
			const char *end = strchr(msg + n, '\'');
			if (!end || (size_t)(end - msg - n) >= size)
				return 0;
			memcpy(flag, msg + n, (size_t)(end - msg - n));
			flag[end - msg - n] = '\0';
			return 1;
		}
	}
	return 0;
}

static int collect_diagnostics(struct az_tu_result *out, CXTranslationUnit tu, int *bad_flags)
{
	unsigned n = clang_getNumDiagnostics(tu);
	*bad_flags = 0;
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		char msg[1024], flag[256], line[1400];
		int ret = 0;
		if (sev >= CXDiagnostic_Error) {
			az_str(clang_getDiagnosticSpelling(d), msg, sizeof msg);
			CXFile f;
			unsigned l, c;
			clang_getExpansionLocation(clang_getDiagnosticLocation(d), &f, &l, &c, NULL);
			if (!f && unknown_argument(msg, flag, sizeof flag)) {
				ret = az_strv_push(&out->dropped, &out->ndropped, flag);
				(*bad_flags)++;
			} else if (f) {
				char p[PATH_MAX];
				snprintf(line, sizeof line, "%s:%u:%u: %s", file_path(f, p, sizeof p),
					 l, c, msg);
				ret = az_strv_push(&out->errors, &out->nerrors, line);
			} else {
				ret = az_strv_push(&out->errors, &out->nerrors, msg);
			}
		}
		clang_disposeDiagnostic(d);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse(CXTranslationUnit *tu, CXIndex index, const struct az_opts *opts,
		 const char *file, const char *const *args, int nargs)
{
	struct CXUnsavedFile *uf = NULL;
	int ret = 0;
	if (opts->nunsaved) {
		uf = sdl_calloc(opts->nunsaved, sizeof *uf);
		if (!uf)
			return SDL_ENOMEM;
		for (size_t i = 0; i < opts->nunsaved; i++) {
			uf[i].Filename = opts->unsaved[i].path;
			uf[i].Contents = opts->unsaved[i].data;
			uf[i].Length = (unsigned long)opts->unsaved[i].len;
		}
	}
	enum CXErrorCode e = clang_parseTranslationUnit2(
		index, file, args, nargs, uf, (unsigned)opts->nunsaved,
		CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles,
		tu);
	if (e != CXError_Success || !*tu)
		ret = sdl_error_set(SDL_EINVAL, "%s: libclang could not parse it (error %d)", file,
				    (int)e);
	sdl_free(uf);
	return ret;
}

/*
 * Flags clang rejected in any translation unit of this run: later units drop
 * them before parsing, so each is parsed once.
 */
static pthread_mutex_t rejected_lock = PTHREAD_MUTEX_INITIALIZER;
static char **rejected;
static size_t nrejected;

static int is_rejected(const char *a)
{
	int r = 0;
	pthread_mutex_lock(&rejected_lock);
	for (size_t i = 0; i < nrejected && !r; i++)
		r = !strcmp(rejected[i], a);
	pthread_mutex_unlock(&rejected_lock);
	return r;
}

static void remember_rejected(const struct az_tu_result *out)
{
	pthread_mutex_lock(&rejected_lock);
	for (size_t i = 0; i < out->ndropped; i++) {
		int known = 0;
		for (size_t k = 0; k < nrejected && !known; k++)
			known = !strcmp(rejected[k], out->dropped[i]);
		if (!known)
			(void)az_strv_push(&rejected, &nrejected, out->dropped[i]);
	}
	pthread_mutex_unlock(&rejected_lock);
}

void az_driver_forget(void)
{
	pthread_mutex_lock(&rejected_lock);
	az_strv_free(rejected, nrejected);
	rejected = NULL;
	nrejected = 0;
	pthread_mutex_unlock(&rejected_lock);
}

int az_analyze_tu(struct az_tu_result *out, CXIndex index, const struct az_opts *opts,
		  const char *file, const char *const *args, int nargs)
{
	CXTranslationUnit tu = NULL;
	struct az_ctx *ctx = NULL;
	const char **fargs = NULL, **pre = NULL;
	int ret, bad = 0, nf = nargs;

	az_ast_reset();
	pre = sdl_calloc((size_t)nargs + 1, sizeof *pre);
	if (!pre)
		return SDL_ENOMEM;
	int npre = 0;
	for (int i = 0; i < nargs; i++) {
		if (is_rejected(args[i])) {
			if (az_strv_push(&out->dropped, &out->ndropped, args[i]) < 0) {
				sdl_free(pre);
				return SDL_ENOMEM;
			}
		} else {
			pre[npre++] = args[i];
		}
	}
	args = pre;
	nargs = npre;
	ret = parse(&tu, index, opts, file, args, nargs);
	if (ret < 0)
		goto done;
	ret = collect_diagnostics(out, tu, &bad);
	if (ret < 0)
		goto done;
	if (bad) {
		/* drop the flags clang rejected and parse again, once */
		fargs = sdl_calloc((size_t)nargs + 1, sizeof *fargs);
		if (!fargs) {
			ret = SDL_ENOMEM;
			goto done;
		}
		nf = 0;
		for (int i = 0; i < nargs; i++) {
			int drop = 0;
			for (size_t j = 0; j < out->ndropped; j++)
				if (!strcmp(args[i], out->dropped[j]))
					drop = 1;
			if (!drop)
				fargs[nf++] = args[i];
		}
		clang_disposeTranslationUnit(tu);
		tu = NULL;
		az_strv_free(out->errors, out->nerrors);
		out->errors = NULL;
		out->nerrors = 0;
		remember_rejected(out);
		ret = parse(&tu, index, opts, file, fargs, nf);
		if (ret < 0)
			goto done;
		ret = collect_diagnostics(out, tu, &bad);
		if (ret < 0)
			goto done;
	}
	out->parsed = 1;

	ctx = sdl_calloc(1, sizeof *ctx);
	if (!ctx || !(ctx->files = sdl_calloc(1, sizeof *ctx->files))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	ctx->opts = opts;
	ctx->tu = tu;
	ctx->main_file = file;
	ctx->out = out;
	ctx->func = clang_getNullCursor();

	struct incl in = { ctx, out };
	clang_getInclusions(tu, inclusion_cb, &in);

	size_t started = 0;
	for (; started < az_nchecks && !ret; started++)
		if (az_checkers[started]->tu_begin)
			ret = az_checkers[started]->tu_begin(ctx, &ctx->state[started]);
	if (!ret)
		clang_visitChildren(clang_getTranslationUnitCursor(tu), walk, ctx);
	if (!ret)
		az_taint_tu_end(ctx);
	for (size_t i = 0; i < started; i++)
		if (az_checkers[i]->tu_end)
			az_checkers[i]->tu_end(ctx, ctx->state[i]);
	if (!ret && ctx->err)
		ret = sdl_error_set(ctx->err, "%s: out of memory while analysing", file);
done:
	if (ctx) {
		az_taint_release(ctx);
		filemap_free(ctx->files);
		sdl_free(ctx->func_usr);
		sdl_free(ctx);
	}
	sdl_free(fargs);
	sdl_free(pre);
	if (tu)
		clang_disposeTranslationUnit(tu);
	return ret;
}
