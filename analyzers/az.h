/*
 * sdl-analyze internals: the rule pack, the run options, the per-translation-
 * unit context every checker receives, and the checker interface.
 *
 * One translation unit is parsed once; the driver walks its AST once and
 * hands every cursor (on entering and on leaving it) to every registered
 * checker family (registry.c). Checkers report through az_report(), which
 * maps the location to the project's own files and drops everything else.
 */
#ifndef SDL_AZ_H
#define SDL_AZ_H

#include <clang-c/Index.h>
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/finding.h"
#include "lib/sarif.h"

#define AZ_TOOL_NAME "sdl-analyze"
/* Bumped whenever checker behaviour changes: part of every cache key. */
#define AZ_ANALYZER_REVISION "2"

/* Limits (docs/limits.md). */
#define AZ_MAX_DEPTH 512          /* deepest AST nesting followed */
#define AZ_MAX_SOURCE_BYTES ((size_t)16 << 20) /* largest source file read */
#define AZ_MAX_ARGS 4096          /* compile arguments per translation unit */
#define AZ_MAX_TUS 200000         /* translation units per run */
#define AZ_MAX_RULES 256          /* rules in a pack */
#define AZ_MAX_VARS 4096          /* tracked variables per function */
#define AZ_MAX_BLOCK_STMTS 262144 /* statements of one block searched for a copy's bounds */
#define AZ_BOUND_WINDOW 256     /* statements before a copy searched for its bounds */
#define AZ_MAX_MEMBERS 32         /* bounded fields remembered per function */
#define AZ_MEMBER_KEY 96

/* ---- rule pack (pack.c) ------------------------------------------------ */

struct az_rule {
	const char *id;          /* points into pack->root */
	const char *name;
	const char *summary;
	const char *description;
	const char *security_severity;
	const char *precision;
	enum sdl_level level;
	int enabled;
	const cJSON *cwe;        /* array of "CWE-n" */
	const cJSON *cert;       /* array of CERT C ids */
	const cJSON *params;     /* object, may be NULL */
};

struct az_pack {
	cJSON *root;             /* owns every string above */
	struct az_rule *rules;
	size_t nrules;
	char hash[129];          /* SHA-256 of the effective pack (cache key) */
};

/* Load `path` (or the default pack when NULL) and merge `override` (may be NULL). */
int az_pack_load(struct az_pack *out, const char *path, const char *override);
void az_pack_release(struct az_pack *pack);
const struct az_rule *az_pack_find(const struct az_pack *pack, const char *id);
/* Fill a SARIF rule from a pack rule (strings copied by sdl_sarif_run_add_rule). */
int az_pack_add_sarif_rules(struct sdl_sarif_run *run, const struct az_pack *pack);
/* The same with helpUri = help_base "/<rule-id>.md" when help_base is not NULL. */
int az_pack_add_sarif_rules_help(struct sdl_sarif_run *run, const struct az_pack *pack,
				 const char *help_base);

/* Parameter helpers: array of strings / object of string->string. */
const cJSON *az_rule_param(const struct az_rule *rule, const char *key);
int az_json_strlist_has(const cJSON *list, const char *s);

/* ---- run options ------------------------------------------------------- */

struct az_unsaved {
	char *path;  /* absolute */
	char *data;
	size_t len;
};

struct az_opts {
	const char *root;        /* project root, absolute, no trailing '/' */
	int audit;               /* also report unproven untrusted-data cases (as notes) */
	int keep_going;
	const struct az_pack *pack;
	/* --staged: contents that replace the work tree for libclang */
	struct az_unsaved *unsaved;
	size_t nunsaved;
};

/* ---- per-TU results ---------------------------------------------------- */

struct az_tu_result {
	struct sdl_findings findings;  /* raw (unsuppressed) */
	char **files;                  /* analysed project files, relative */
	size_t nfiles;
	char **deps;                   /* every file read by the parse, absolute */
	size_t ndeps;
	char **errors;                 /* parse errors ("path:line:col: message") */
	size_t nerrors;
	char **dropped;                /* compiler flags clang rejected and we dropped */
	size_t ndropped;
	int parsed;                    /* 1 when libclang parsed it (not from cache) */
};

void az_tu_result_init(struct az_tu_result *r);
void az_tu_result_release(struct az_tu_result *r);
int az_strv_push(char ***v, size_t *n, const char *s);
void az_strv_free(char **v, size_t n);

/* ---- analysis context -------------------------------------------------- */

struct az_ctx;

enum az_event { AZ_ENTER, AZ_LEAVE };

struct az_checker {
	const char *family;
	/* Called once per TU; may allocate *state (freed in tu_end). May be NULL. */
	int (*tu_begin)(struct az_ctx *ctx, void **state);
	/* Every cursor of the project's own code, on entering and leaving it. */
	void (*visit)(struct az_ctx *ctx, void *state, CXCursor cursor,
		      enum CXCursorKind kind, enum az_event ev);
	/* After the traversal (deferred, TU-wide decisions); frees state. */
	void (*tu_end)(struct az_ctx *ctx, void *state);
};

extern const struct az_checker *const az_checkers[];
extern const size_t az_nchecks;

/* Deferred untrusted-data sinks decided at the end of the TU (taint.c). */
struct az_sink;

struct az_val {
	unsigned taint : 1;   /* can come from outside the program */
	unsigned unknown : 1; /* not a constant, origin not known */
	unsigned bounded : 1; /* compared against a bound before this point */
	uint32_t params;      /* depends on these parameters of the current function */
};

struct az_var {
	CXCursor decl;
	struct az_val val;
};

struct az_call_rec {          /* a call to a function of this TU, for taint across calls */
	char *callee_usr;
	char *caller_usr;
	unsigned arg;
	struct az_val val;
};

struct az_ctx {
	const struct az_opts *opts;
	CXTranslationUnit tu;
	const char *main_file;       /* absolute */
	struct az_tu_result *out;
	int err;                     /* first internal error (ENOMEM), sticky */

	/* traversal */
	CXCursor stack[AZ_MAX_DEPTH];
	enum CXCursorKind kinds[AZ_MAX_DEPTH];
	unsigned depth;              /* stack[depth-1] is the current cursor */
	CXCursor func;               /* current function definition (null cursor outside) */
	int in_func;
	char func_name[256];
	char *func_usr;
	unsigned func_nparams;
	char callee[128];            /* callee name of the current cursor when it is a call */

	/* taint (taint.c) */
	struct az_var *vars;
	size_t nvars, capvars;
	struct az_call_rec *calls;
	size_t ncalls, capcalls;
	struct az_sink *sinks;
	size_t nsinks, capsinks;
	char bounded_members[AZ_MAX_MEMBERS][AZ_MEMBER_KEY];
	size_t nbounded_members;

	/* file classification cache (driver.c) */
	struct az_filemap *files;
	void *state[64];
};

/*
 * Report rule `id` at the expansion location of `cursor` with a printf-style
 * message. Dropped when the rule is disabled or the location is not in the
 * project's own files. `level` SDL_LEVEL_NONE means the rule's default.
 */
void az_report(struct az_ctx *ctx, const char *id, enum sdl_level level, CXCursor cursor,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void az_report_loc(struct az_ctx *ctx, const char *id, enum sdl_level level,
		   CXSourceLocation loc, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
const struct az_rule *az_rule(const struct az_ctx *ctx, const char *id);
int az_enabled(const struct az_ctx *ctx, const char *id);
/* 1 if the location is in the project's own files (not a system header). */
int az_is_ours(struct az_ctx *ctx, CXSourceLocation loc);

/* ---- AST helpers (ast.c) ----------------------------------------------- */

/* Skip implicit casts, parentheses and (if cast) explicit casts. */
CXCursor az_strip(CXCursor c);
CXCursor az_strip_casts(CXCursor c);
/* First child / n-th child of a cursor (null cursor if absent). */
CXCursor az_child(CXCursor c, unsigned n);
unsigned az_nchildren(CXCursor c);
/* Callee name of a call expression into buf ("" if indirect). */
const char *az_callee(CXCursor call, char *buf, size_t size);
/* The callee's declaration, or a null cursor. */
CXCursor az_callee_decl(CXCursor call);
int az_nargs(CXCursor call);
CXCursor az_arg(CXCursor call, unsigned i);
/* Binary / compound assignment operator spelling ("=", "*", "+=", "<"...), "" if unknown. */
const char *az_binop(CXTranslationUnit tu, CXCursor op, char *buf, size_t size);
/* Unary operator spelling ("!", "*", "&", "-", "++"...), "" if unknown. */
const char *az_unop(CXTranslationUnit tu, CXCursor op, char *buf, size_t size);
/* 1 for `sizeof`, 2 for `alignof` (UnaryExpr). */
int az_is_sizeof(CXTranslationUnit tu, CXCursor c);
/* The variable a (stripped) expression names: VarDecl/ParmDecl cursor, or null. */
CXCursor az_var_of(CXCursor expr);
/* 1 if the cursor is a null cursor. */
int az_null(CXCursor c);
/* Integer constant value of an expression, if it folds. */
int az_int_const(CXCursor expr, long long *out);
/* 1 if the expression is a string literal, after stripping (and both arms of ?:). */
int az_is_literal_string(CXCursor expr);
/* The literal's value (evaluated), copied into buf; 0 if not a literal. */
int az_literal_value(CXCursor expr, char *buf, size_t size);
/* Source text of an expression's tokens, concatenated with no spaces. */
const char *az_expr_text(CXTranslationUnit tu, CXCursor expr, char *buf, size_t size);
/* The i-th parent (0 = the current cursor itself) from the traversal stack. */
CXCursor az_parent(const struct az_ctx *ctx, unsigned up);
enum CXCursorKind az_parent_kind(const struct az_ctx *ctx, unsigned up);
/* Index of the nearest parent that is not an implicit cast / paren, 0 if none. */
unsigned az_real_parent(const struct az_ctx *ctx, unsigned from);
/* 1 if the current cursor lies inside sizeof/alignof. */
int az_in_sizeof(const struct az_ctx *ctx);
/* 1 for the comparison operators ==, !=, <, >, <=, >=. */
int az_is_compare(const char *op);
int az_streq_cursor(CXCursor a, CXCursor b);
/* Clear this thread's per-TU caches (call before each translation unit). */
void az_ast_reset(void);
/* Copy a CXString into buf and dispose it. */
const char *az_str(CXString s, char *buf, size_t size);

/* ---- taint (taint.c) --------------------------------------------------- */

/* Classify an expression in the current function. */
struct az_val az_eval(struct az_ctx *ctx, CXCursor expr);
/*
 * An untrusted-data sink: report `id` at `at` when `v` is tainted (and, for
 * size_like sinks, not bounded); defer when it depends on parameters; report
 * as a note under --audit when its origin is unknown.
 */
void az_sink(struct az_ctx *ctx, const char *id, CXCursor at, struct az_val v,
	     int size_like, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Driver hooks. */
void az_taint_visit(struct az_ctx *ctx, CXCursor c, enum CXCursorKind k, enum az_event ev);
void az_taint_func_begin(struct az_ctx *ctx);
void az_taint_func_end(struct az_ctx *ctx);
void az_taint_tu_end(struct az_ctx *ctx);
void az_taint_release(struct az_ctx *ctx);

/* ---- driver (driver.c) ------------------------------------------------- */

/* Analyse one TU (args already filtered) into *out. */
int az_analyze_tu(struct az_tu_result *out, CXIndex index, const struct az_opts *opts,
		  const char *file, const char *const *args, int nargs);
/* Forget the flags clang rejected during this run (call before exiting). */
void az_driver_forget(void);

#endif
