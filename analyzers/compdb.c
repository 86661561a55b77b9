/* The compile database and argument filtering. */
#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		return sdl_error_set_errno(errno == ENOENT ? SDL_ENOTFOUND : SDL_EIO, errno, "%s", path);
	if (!sdl_fs_is_file(path)) {
		fclose(f);
		return sdl_error_set(SDL_EINVAL, "%s: not a regular file", path);
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
	"-fplugin", "-specs=", "--specs=", "-fcallgraph-info", "-fdump-",
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

/* Build a job's clang arguments from a compiler command line (argv[0] = compiler). */
static int filter_args(struct az_jobs *jobs, struct az_job *j, char *const *argv, int argc,
		       const char *given_file, int with_compiler)
{
	int ret = 0;
	int cross = with_compiler && argc > 0 && is_cross(argv[0]);
	for (int i = with_compiler ? 1 : 0; i < argc && !ret; i++) {
		const char *a = argv[i];
		int drop = 0;
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
	if (!ret)
		ret = add_arg(j, "-resource-dir");
	if (!ret)
		ret = add_arg(j, SDL_CLANG_RESOURCE_DIR);
	if (!ret)
		ret = add_arg(j, "-w");
	if (!ret)
		ret = add_arg(j, "-ferror-limit=50");
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
	const cJSON *e;
	int idx = 0;
	cJSON_ArrayForEach(e, json) {
		if (!sdl_json_str(e, "directory") || !sdl_json_str(e, "file") ||
		    (!sdl_json_str(e, "command") && !sdl_json_arr(e, "arguments"))) {
			ret = sdl_error_set(SDL_EINVAL, "%s: entry %d lacks \"directory\", \"file\" or "
					    "\"command\"/\"arguments\"", path, idx);
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
	cmds = clang_CompilationDatabase_getAllCompileCommands(db);
	unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
	for (unsigned i = 0; i < n && !ret; i++) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, i);
		char dir[PATH_MAX], file[PATH_MAX];
		az_str(clang_CompileCommand_getDirectory(cmd), dir, sizeof dir);
		az_str(clang_CompileCommand_getFilename(cmd), file, sizeof file);
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
		struct az_job *j;
		ret = push_job(out, &j);
		if (ret) {
			sdl_free(abs);
			break;
		}
		j->file = abs;
		j->dir = sdl_strdup(dir);
		if (!j->dir) {
			ret = SDL_ENOMEM;
			break;
		}
		unsigned na = clang_CompileCommand_getNumArgs(cmd);
		char **argv = sdl_calloc(na + 1, sizeof *argv);
		if (!argv) {
			ret = SDL_ENOMEM;
			break;
		}
		for (unsigned a = 0; a < na && !ret; a++) {
			char buf[8192];
			argv[a] = sdl_strdup(az_str(clang_CompileCommand_getArg(cmd, a), buf, sizeof buf));
			if (!argv[a])
				ret = SDL_ENOMEM;
		}
		if (!ret)
			ret = filter_args(out, j, argv, (int)na, file, 1);
		az_strv_free(argv, na);
	}
	if (ret)
		goto done;
	for (size_t w = 0; w < nfiles; w++)
		if (!found[w]) {
			ret = sdl_error_set(SDL_ENOTFOUND, "%s: not in %s", files[w], path);
			goto done;
		}
	if (!out->n)
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
