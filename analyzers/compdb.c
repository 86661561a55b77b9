/* The compile database and argument filtering. */
#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "az.h"
#include "compdb.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

#define AZ_COMPDB_MAX_BYTES ((size_t)512 << 20)

void az_jobs_release(struct az_jobs *jobs)
{
	for (size_t i = 0; i < jobs->n; i++) {
		sdl_free(jobs->v[i].file);
		sdl_free(jobs->v[i].dir);
		az_strv_free(jobs->v[i].args, (size_t)jobs->v[i].nargs);
	}
	sdl_free(jobs->v);
	az_strv_free(jobs->dropped, jobs->ndropped);
	az_strv_free(jobs->unsafe, jobs->nunsafe);
	memset(jobs, 0, sizeof *jobs);
}

static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 :
			(*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0 || (n == 1 && *p < 0xC2))
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* A printable rendering of a path for messages (bytes >= 0x80 as \xNN). */
static const char *printable(const char *s, char *buf, size_t size)
{
	size_t o = 0;
	for (; *s && o + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80 || c < 0x20)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

int az_check_source(const char *path)
{
	char p[PATH_MAX * 4 + 1];
	if (!utf8_valid(path))
		return sdl_error_set(SDL_EINVAL, "%s: path is not valid UTF-8",
				     printable(path, p, sizeof p));
	FILE *f = fopen(path, "rb");
	if (!f)
		return sdl_error_set_errno(errno == ENOENT ? SDL_ENOTFOUND :
					   errno == ELOOP || errno == ENOTDIR || errno == ENAMETOOLONG
						   ? SDL_EINVAL : SDL_EIO, errno, "%s", path);
	if (!sdl_fs_is_file(path)) {
		fclose(f);
		return sdl_error_set(SDL_EINVAL, "%s: not a regular file", path);
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size > AZ_MAX_SOURCE_BYTES) {
		fclose(f);
		return sdl_error_set(SDL_ELIMIT, "%s: larger than %zu bytes", path, AZ_MAX_SOURCE_BYTES);
	}
	char buf[8192];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (memchr(buf, '\0', n))
		return sdl_error_set(SDL_EINVAL, "%s: binary file, not C source", path);
	return 0;
}

/* Flags gcc and cross compilers accept and clang rejects or must not see. */
static const char *const drop_prefix[] = {
	"-fno-tree-", "-ftree-", "-fconserve-stack", "-fno-allow-store-data-races",
	"-mindirect-branch", "-mfunction-return", "-mrecord-mcount", "-fno-ipa-", "-fipa-",
	"-fno-var-tracking", "-fvar-tracking", "-mno-fp-ret-in-387", "-mpreferred-stack-boundary",
	"-mskip-rax-setup", "-fsched-", "-fno-sched-", "-fstack-usage", "-fno-partial-inlining",
	"-fmin-function-alignment", "-fno-reorder-blocks", "-freorder-blocks", "-fanalyzer",
	"-fno-guess-branch-probability", "-Wformat-overflow", "-Wformat-truncation",
	"-specs=", "--specs=", "-fcallgraph-info", "-fdump-",
	"-ffat-lto-objects", "-fno-fat-lto-objects", "-fuse-linker-plugin", NULL
};

/* Flags irrelevant to analysis (or turning warnings into parse errors): dropped silently. */
static const char *const quiet_prefix[] = {
	"-Werror", "-pedantic-errors", "-save-temps", "-fdiagnostics-color", "-flto",
	"-fprofile-", "-fsanitize", "-Wa,", "-Wl,", "-Wp,-M", "-fcolor-diagnostics", NULL
};

/* Flags followed by a value that we drop together with it. */
static const char *const drop_with_value[] = { "-o", "-MF", "-MT", "-MQ", "-Xassembler", "-Xlinker", NULL };
static const char *const drop_exact[] = { "-c", "-S", "-E", "-MD", "-MMD", "-MP", "-M", "-MM", "-pipe", "-shared", "-static", NULL };

static int is_cross(const char *compiler)
{
	const char *b = strrchr(compiler, '/');
	b = b ? b + 1 : compiler;
	/* arm-none-eabi-gcc, xtensa-esp32-elf-gcc, aarch64-linux-gnu-gcc-12 */
	const char *g = strstr(b, "-gcc");
	if (!g)
		g = strstr(b, "-cc");
	if (!g)
		return 0;
	const char *host = "x86_64-linux-gnu";
	return strncmp(b, host, strlen(host)) != 0 && (size_t)(g - b) > 2;
}

static int note_drop(struct az_jobs *jobs, const char *flag)
{
	for (size_t i = 0; i < jobs->ndropped; i++)
		if (!strcmp(jobs->dropped[i], flag))
			return 0;
	return az_strv_push(&jobs->dropped, &jobs->ndropped, flag);
}

static int note_unsafe(struct az_jobs *jobs, const char *flag)
{
	for (size_t i = 0; i < jobs->nunsafe; i++)
		if (!strcmp(jobs->unsafe[i], flag))
			return 0;
	return az_strv_push(&jobs->unsafe, &jobs->nunsafe, flag);
}

static int add_arg(struct az_job *j, const char *a)
{
	size_t n = (size_t)j->nargs;
	if (n >= AZ_MAX_ARGS)
		return sdl_error_set(SDL_ELIMIT, "%s: more than %d compile arguments", j->file, AZ_MAX_ARGS);
	int ret = az_strv_push(&j->args, &n, a);
	j->nargs = (int)n;
	return ret;
}

static int starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static int in(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

/*
 * Options naming a path, made absolute against the command's directory:
 * libclang's -working-directory would chdir() the whole process.
 */
static const char *const path_opts[] = { "-I", "-iquote", "-isystem", "-idirafter", "-include",
					  "-imacros", "-isysroot", "--sysroot=", "-iwithprefix",
					  "-cxx-isystem", "-F", NULL };

static int add_path_arg(struct az_job *j, const char *a, const char *next, int *i)
{
	char buf[PATH_MAX * 2];
	for (int p = 0; path_opts[p]; p++) {
		size_t n = strlen(path_opts[p]);
		if (strncmp(a, path_opts[p], n))
			continue;
		const char *path = a[n] ? a + n : next;
		if (!path)
			break;
		if (path[0] == '/' || path[0] == '=')
			break;
		snprintf(buf, sizeof buf, "%s%s/%s", path_opts[p], j->dir, path);
		if (!a[n])
			(*i)++;
		return add_arg(j, buf);
	}
	return add_arg(j, a);
}

static int same_file(const struct az_job *j, const char *arg)
{
	char joined[PATH_MAX * 2], real[PATH_MAX];
	snprintf(joined, sizeof joined, "%s/%s", j->dir, arg);
	return arg[0] == '/' ? (realpath(arg, real) && !strcmp(real, j->file))
			     : (realpath(joined, real) && !strcmp(real, j->file));
}

/*
 * Compiler options that make libclang load code into this process: a compile
 * database is input, and analysing it must not run it (CWE-94, CWE-829).
 * Returns how many following arguments the option consumes, -1 when `a` is
 * not one. Response files (@file) are refused too: they would bring in
 * arguments we never filtered, from anywhere on the file system.
 */
static int code_loading(const char *a)
{
	static const char *const prefix[] = { "-fplugin", "-fpass-plugin", "--plugin=",
					      "-load=", NULL };
	static const char *const with_value[] = { "-load", "-plugin", "-add-plugin", "--plugin",
						  "-fplugin", "-fpass-plugin", NULL };
	if (a[0] == '@')
		return 0;
	if (in(with_value, a) || starts(a, "-plugin-arg-"))
		return 1;
	for (int p = 0; prefix[p]; p++)
		if (starts(a, prefix[p]))
			return 0;
	return -1;
}

/* How many arguments from argv[i] on load code (0: none); `what` names them. */
static int loads_code(char *const *argv, int argc, int i, char *what, size_t size)
{
	const char *a = argv[i];
	int n = code_loading(a);
	if (n >= 0) {
		n = n && i + 1 < argc ? 1 : 0;
		snprintf(what, size, "%s%s%s", a, n ? " " : "", n ? argv[i + 1] : "");
		return 1 + n;
	}
	if (strcmp(a, "-Xclang") || i + 1 >= argc)
		return 0;
	n = code_loading(argv[i + 1]);
	if (n < 0)
		return 0;
	/* -Xclang -load -Xclang LIB: the value comes with its own -Xclang */
	if (n && i + 3 < argc && !strcmp(argv[i + 2], "-Xclang")) {
		snprintf(what, size, "-Xclang %s -Xclang %s", argv[i + 1], argv[i + 3]);
		return 4;
	}
	snprintf(what, size, "-Xclang %s", argv[i + 1]);
	return 2;
}

/* Build a job's clang arguments from a compiler command line (argv[0] = compiler). */
static int filter_args(struct az_jobs *jobs, struct az_job *j, char *const *argv, int argc,
		       const char *given_file, int with_compiler)
{
	int ret = 0;
	int cross = with_compiler && argc > 0 && is_cross(argv[0]);
	if (argc > AZ_MAX_ARGS) /* the command line as written, compiler included */
		return sdl_error_set(SDL_ELIMIT, "%s: more than %d compile arguments", j->file, AZ_MAX_ARGS);
	for (int i = with_compiler ? 1 : 0; i < argc && !ret; i++) {
		const char *a = argv[i];
		int drop = 0;
		char what[PATH_MAX + 64];
		int unsafe = loads_code(argv, argc, i, what, sizeof what);
		if (unsafe) {
			ret = note_unsafe(jobs, what);
			i += unsafe - 1;
			continue;
		}
		if (in(drop_with_value, a)) {
			i++;
			continue;
		}
		if (in(drop_exact, a) || (given_file && !strcmp(a, given_file)) || !strcmp(a, j->file))
			continue;
		if (a[0] != '-' && same_file(j, a))
			continue; /* the source named relative to the command's directory */
		if (!strcmp(a, "--"))
			continue;
		for (int p = 0; quiet_prefix[p]; p++)
			if (starts(a, quiet_prefix[p]))
				drop = 1;
		if (drop)
			continue;
		for (int p = 0; drop_prefix[p] && !drop; p++)
			drop = starts(a, drop_prefix[p]);
		if (cross && starts(a, "-m"))
			drop = 1;
		if (drop) {
			ret = note_drop(jobs, a);
			continue;
		}
		ret = add_path_arg(j, a, i + 1 < argc ? argv[i + 1] : NULL, &i);
	}
	/* ours, not counted against AZ_MAX_ARGS (the command's own arguments) */
	static const char *const extra[] = { "-resource-dir", SDL_CLANG_RESOURCE_DIR, "-w",
					     "-ferror-limit=50", NULL };
	for (int k = 0; extra[k] && !ret; k++) {
		size_t n = (size_t)j->nargs;
		ret = az_strv_push(&j->args, &n, extra[k]);
		j->nargs = (int)n;
	}
	return ret;
}

static int is_c_like(const char *path)
{
	const char *dot = strrchr(path, '.');
	static const char *const exts[] = { ".c", ".cc", ".cpp", ".cxx", ".C", ".h", ".hpp", NULL };
	return dot && in(exts, dot);
}

static int push_job(struct az_jobs *out, struct az_job **j)
{
	if (out->n >= AZ_MAX_TUS)
		return sdl_error_set(SDL_ELIMIT, "more than %d translation units", AZ_MAX_TUS);
	struct az_job *v = sdl_reallocarray(out->v, out->n + 1, sizeof *v);
	if (!v)
		return SDL_ENOMEM;
	out->v = v;
	*j = &v[out->n++];
	memset(*j, 0, sizeof **j);
	return 0;
}

static int resolve(char **out, const char *dir, const char *file)
{
	char joined[PATH_MAX * 2], real[PATH_MAX];
	if (file[0] == '/')
		snprintf(joined, sizeof joined, "%s", file);
	else
		snprintf(joined, sizeof joined, "%s/%s", dir, file);
	*out = sdl_strdup(realpath(joined, real) ? real : joined);
	return *out ? 0 : SDL_ENOMEM;
}

/* Make a job of compile command `cmd` for the resolved file `abs` (taken over). */
static int add_command(struct az_jobs *out, CXCompileCommand cmd, const char *dir,
		       const char *file, char *abs)
{
	struct az_job *j;
	int ret = push_job(out, &j);
	if (ret) {
		sdl_free(abs);
		return ret;
	}
	j->file = abs;
	j->dir = sdl_strdup(dir);
	if (!j->dir)
		return SDL_ENOMEM;
	unsigned na = clang_CompileCommand_getNumArgs(cmd);
	char **argv = sdl_calloc(na + 1, sizeof *argv);
	if (!argv)
		return SDL_ENOMEM;
	for (unsigned a = 0; a < na && !ret; a++) {
		char buf[8192];
		argv[a] = sdl_strdup(az_str(clang_CompileCommand_getArg(cmd, a), buf, sizeof buf));
		if (!argv[a])
			ret = SDL_ENOMEM;
	}
	if (!ret)
		ret = filter_args(out, j, argv, (int)na, file, 1);
	az_strv_free(argv, na);
	return ret;
}

static int is_header(const char *path)
{
	const char *dot = strrchr(path, '.');
	static const char *const exts[] = { ".h", ".hh", ".hpp", ".hxx", ".inc", NULL };
	return dot && in(exts, dot);
}

/*
 * Whether `src` has an #include line naming a file called `base` ("x.h",
 * "dir/x.h", <x.h>). Textual, so a candidate only: the parse decides, and a
 * source that does not really include the header just reports nothing in it.
 */
static int names_include(const char *src, size_t len, const char *base)
{
	size_t bl = strlen(base);
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && src[e] != '\n')
			e++;
		size_t k = i;
		while (k < e && (src[k] == ' ' || src[k] == '\t'))
			k++;
		if (k < e && src[k] == '#') {
			for (size_t p = k + 1; p + bl < e; p++) {
				char before = src[p - 1], after = src[p + bl];
				if ((before == '/' || before == '"' || before == '<') &&
				    (after == '"' || after == '>') && !memcmp(src + p, base, bl) &&
				    memmem(src + k, p - k, "include", 7))
					return 1;
			}
		}
		i = e + 1;
	}
	return 0;
}

/*
 * A header given as FILE is not in a compile database: analyse it through the
 * first translation unit (in database order) that includes it.
 */
static int add_includer(struct az_jobs *out, CXCompileCommands cmds, const char *header,
			const char *base_dir)
{
	const char *base = strrchr(header, '/');
	base = base ? base + 1 : header;
	unsigned n = clang_CompileCommands_getSize(cmds);
	struct sdl_buf text = SDL_BUF_INIT;
	int ret = 0;
	for (unsigned i = 0; i < n && !ret; i++) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
		char dir[PATH_MAX], file[PATH_MAX];
		char *abs = NULL;
		az_str(clang_CompileCommand_getDirectory(cmd), dir, sizeof dir);
		az_str(clang_CompileCommand_getFilename(cmd), file, sizeof file);
		if (dir[0] != '/') {
			char joined[PATH_MAX * 2], real[PATH_MAX];
			snprintf(joined, sizeof joined, "%s/%s", base_dir, dir);
			if (!realpath(joined, real))
				continue;
			memcpy(dir, real, strlen(real) + 1);
		}
		ret = resolve(&abs, dir, file);
		if (ret)
			break;
		int have = !is_c_like(abs) || is_header(abs);
		for (size_t k = 0; !have && k < out->n; k++)
			have = !strcmp(out->v[k].file, abs);
		sdl_buf_clear(&text);
		int rd = have ? 0 : sdl_fs_read_file(&text, abs, AZ_MAX_SOURCE_BYTES);
		if (have || rd < 0 || !names_include(text.ptr, text.len, base)) {
			if (rd == SDL_ENOMEM)
				ret = SDL_ENOMEM;
			else if (rd < 0)
				sdl_error_clear(); /* an unreadable source includes nothing */
			sdl_free(abs);
			continue;
		}
		ret = add_command(out, cmd, dir, file, abs);
		if (!ret)
			out->nvia_header++;
		sdl_buf_release(&text);
		return ret ? ret : 1;
	}
	sdl_buf_release(&text);
	return ret;
}

int az_compdb_load(struct az_jobs *out, const char *build_dir, char *const *files, size_t nfiles)
{
	char path[PATH_MAX];
	cJSON *json = NULL;
	CXCompilationDatabase db = NULL;
	CXCompileCommands cmds = NULL;
	char **wanted = NULL;
	int *found = NULL;
	int ret;

	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/compile_commands.json", build_dir);
	/* our own reader first: its errors name the file, line and column */
	struct sdl_json_limits lim = { AZ_COMPDB_MAX_BYTES, 8 };
	ret = sdl_json_load_file(&json, path, &lim);
	if (ret < 0)
		goto done;
	if (!cJSON_IsArray(json)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: not a compile database (expected an array)", path);
		goto done;
	}
	/* the count is known here, before any per-entry work and before libclang
	 * loads the database (which takes minutes for 200,000 entries) */
	if ((size_t)cJSON_GetArraySize(json) > AZ_MAX_TUS) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: more than %d translation units", path, AZ_MAX_TUS);
		goto done;
	}
	const cJSON *e;
	int idx = 0;
	cJSON_ArrayForEach(e, json) {
		if (!sdl_json_str(e, "directory") || !sdl_json_str(e, "file") ||
		    (!sdl_json_str(e, "command") && !sdl_json_arr(e, "arguments"))) {
			ret = sdl_error_set(SDL_EINVAL, "%s: entry %d lacks \"directory\", \"file\" or "
					    "\"command\"/\"arguments\"", path, idx);
			goto done;
		}
		/* every member libclang reads must have the type it expects, or it
		 * prints its own multi-line complaint and gives up */
		static const char *const strings[] = { "command", "output", NULL };
		for (int k = 0; strings[k]; k++) {
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, strings[k]);
			if (m && !cJSON_IsString(m)) {
				ret = sdl_error_set(SDL_EINVAL, "%s: entry %d: \"%s\" must be a string",
						    path, idx, strings[k]);
				goto done;
			}
		}
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments"), *a;
		if (args && !cJSON_IsArray(args)) {
			ret = sdl_error_set(SDL_EINVAL, "%s: entry %d: \"arguments\" must be an array of strings",
					    path, idx);
			goto done;
		}
		cJSON_ArrayForEach(a, args)
			if (!cJSON_IsString(a)) {
				ret = sdl_error_set(SDL_EINVAL, "%s: entry %d: \"arguments\" must be an array "
						    "of strings", path, idx);
				goto done;
			}
		idx++;
	}
	CXCompilationDatabase_Error err;
	db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
	if (err != CXCompilationDatabase_NoError || !db) {
		ret = sdl_error_set(SDL_EINVAL, "%s: libclang cannot load this compile database", path);
		goto done;
	}
	if (nfiles) {
		wanted = sdl_calloc(nfiles, sizeof *wanted);
		found = sdl_calloc(nfiles, sizeof *found);
		if (!wanted || !found) {
			ret = SDL_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < nfiles && !ret; i++) {
			ret = az_check_source(files[i]);
			if (!ret)
				ret = resolve(&wanted[i], ".", files[i]);
		}
		if (ret)
			goto done;
	}
	char base[PATH_MAX];
	if (!realpath(build_dir, base)) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s", build_dir);
		goto done;
	}
	cmds = clang_CompilationDatabase_getAllCompileCommands(db);
	unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
	if (n > AZ_MAX_TUS) { /* refuse before the per-entry work */
		ret = sdl_error_set(SDL_ELIMIT, "%s: more than %d translation units", path, AZ_MAX_TUS);
		goto done;
	}
	for (unsigned i = 0; i < n && !ret; i++) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
		char dir[PATH_MAX], file[PATH_MAX];
		az_str(clang_CompileCommand_getDirectory(cmd), dir, sizeof dir);
		az_str(clang_CompileCommand_getFilename(cmd), file, sizeof file);
		if (dir[0] != '/') {
			/* JSON Compilation Database spec: a relative "directory" is
			 * relative to the directory of compile_commands.json itself */
			char joined[PATH_MAX * 2], real[PATH_MAX];
			snprintf(joined, sizeof joined, "%s/%s", base, dir);
			const char *d = realpath(joined, real) ? real : joined;
			size_t len = strlen(d);
			if (len >= sizeof dir) {
				ret = sdl_error_set(SDL_ELIMIT, "%s: a \"directory\" longer than %d bytes",
						    path, PATH_MAX - 1);
				break;
			}
			memcpy(dir, d, len + 1);
		}
		char *abs = NULL;
		ret = resolve(&abs, dir, file);
		if (ret)
			break;
		int keep = is_c_like(abs);
		if (keep && nfiles) {
			keep = 0;
			for (size_t w = 0; w < nfiles; w++)
				if (!strcmp(wanted[w], abs))
					keep = found[w] = 1;
		}
		for (size_t k = 0; keep && k < out->n; k++)
			if (!strcmp(out->v[k].file, abs))
				keep = 0; /* the same file built twice: analyse it once */
		if (!keep) {
			sdl_free(abs);
			continue;
		}
		ret = add_command(out, cmd, dir, file, abs);
	}
	if (ret)
		goto done;
	for (size_t w = 0; w < nfiles && !ret; w++)
		if (!found[w] && is_header(wanted[w])) {
			ret = add_includer(out, cmds, wanted[w], base);
			found[w] = ret == 1;
			ret = ret == 1 ? 0 : ret;
		}
	if (ret)
		goto done;
	for (size_t w = 0; w < nfiles; w++)
		if (!found[w]) {
			ret = sdl_error_set(SDL_ENOTFOUND, "%s: not in %s", files[w], path);
			goto done;
		}
	for (size_t k = 0; k < out->n && !ret; k++) {
		/* known before parsing: bad input, no report */
		struct stat st;
		if (stat(out->v[k].file, &st) != 0)
			ret = sdl_error_set(SDL_ENOTFOUND, "%s: listed in %s but does not exist",
					    out->v[k].file, path);
		else if ((size_t)st.st_size > AZ_MAX_SOURCE_BYTES)
			ret = sdl_error_set(SDL_ELIMIT, "%s: larger than %zu bytes", out->v[k].file,
					    AZ_MAX_SOURCE_BYTES);
	}
	if (!ret && !out->n)
		ret = sdl_error_set(SDL_EINVAL, "%s: lists no C or C++ translation units", path);
done:
	if (cmds)
		clang_CompileCommands_dispose(cmds);
	if (db)
		clang_CompilationDatabase_dispose(db);
	cJSON_Delete(json);
	if (wanted)
		az_strv_free(wanted, nfiles);
	sdl_free(found);
	if (ret < 0)
		az_jobs_release(out);
	return ret;
}

int az_jobs_from_files(struct az_jobs *out, char *const *files, size_t nfiles,
		       char *const *flags, size_t nflags)
{
	char cwd[PATH_MAX];
	int ret = 0;
	memset(out, 0, sizeof *out);
	if (!getcwd(cwd, sizeof cwd))
		return sdl_error_set_errno(SDL_EIO, errno, "cannot read the current directory");
	for (size_t i = 0; i < nfiles && !ret; i++) {
		struct az_job *j;
		ret = az_check_source(files[i]);
		if (!ret)
			ret = push_job(out, &j);
		if (ret)
			break;
		ret = resolve(&j->file, cwd, files[i]);
		if (!ret && !(j->dir = sdl_strdup(cwd)))
			ret = SDL_ENOMEM;
		if (!ret)
			ret = filter_args(out, j, flags, (int)nflags, NULL, 0);
	}
	if (ret < 0)
		az_jobs_release(out);
	return ret;
}

static int job_cmp(const void *a, const void *b)
{
	return strcmp(((const struct az_job *)a)->file, ((const struct az_job *)b)->file);
}

int az_jobs_shard(struct az_jobs *jobs, unsigned k, unsigned n)
{
	size_t keep = 0;
	qsort(jobs->v, jobs->n, sizeof *jobs->v, job_cmp);
	for (size_t i = 0; i < jobs->n; i++) {
		if (i % n == k - 1) {
			jobs->v[keep++] = jobs->v[i];
		} else {
			sdl_free(jobs->v[i].file);
			sdl_free(jobs->v[i].dir);
			az_strv_free(jobs->v[i].args, (size_t)jobs->v[i].nargs);
		}
	}
	jobs->n = keep;
	return 0;
}
