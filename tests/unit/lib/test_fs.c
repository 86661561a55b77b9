/*
 * lib/fs: bounded reads, atomic writes, lexical paths, resolve-within and the
 * walk, each with its failure paths, allocation failure at every N, and a
 * check that no file descriptor leaks. Scratch files live in mkdtemp().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/fs_testhooks.h"
#include "lib/banned.h"

/* ---- helpers ---------------------------------------------------------- */

static char tmpdir[64];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sdl-test-fs-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	sdl_fs_test_after_fstat = NULL;
	sdl_alloc_fail_at(0);
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path under the scratch directory, in a static ring of buffers. */
static const char *P(const char *name)
{
	static char ring[8][256];
	static int i;
	char *p = ring[i++ % 8];
	snprintf(p, 256, "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

static void assert_content(const char *path, const char *want)
{
	struct sdl_buf b = SDL_BUF_INIT;
	assert_int_equal(sdl_fs_read_file(&b, path, 1 << 20), 0);
	assert_string_equal(b.ptr, want);
	sdl_buf_release(&b);
}

static int count_fds(void)
{
	int n = 0, fd;
	char p[64];
	for (fd = 0; fd < 1024; fd++) {
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		if (access(p, F_OK) == 0)
			n++;
	}
	return n;
}

/* Number of entries in dir whose name contains ".tmp." (leftover temporaries). */
static int count_temps(const char *dir)
{
	char cmd[512];
	FILE *f;
	int n = -1;
	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -c '\\.tmp\\.'", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &n), 1);
	pclose(f);
	return n;
}

static void assert_error_mentions(const char *s)
{
	if (!strstr(sdl_error_last(), s))
		fail_msg("error \"%s\" does not mention \"%s\"", sdl_error_last(), s);
}

/* ---- sdl_fs_read_file ------------------------------------------------- */

static void test_read_ok(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int fds = count_fds();
	(void)state;

	write_file(P("f"), "0123456789");
	assert_int_equal(sdl_buf_puts(&b, "prefix:"), 0);
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 100), 0);
	assert_string_equal(b.ptr, "prefix:0123456789"); /* appended */
	assert_int_equal(b.len, 17);

	write_file(P("empty"), "");
	sdl_buf_clear(&b);
	assert_int_equal(sdl_fs_read_file(&b, P("empty"), 0), 0);
	assert_int_equal(b.len, 0);
	sdl_buf_release(&b);
	assert_int_equal(count_fds(), fds);
}

static void test_read_limit(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;

	write_file(P("f"), "0123456789");
	/* Just below: refused, naming path and limit; buffer untouched. */
	assert_int_equal(sdl_buf_puts(&b, "keep"), 0);
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 9), SDL_ELIMIT);
	assert_error_mentions(P("f"));
	assert_error_mentions("limit of 9 bytes");
	assert_string_equal(b.ptr, "keep");
	/* At and above: fine. */
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 10), 0);
	assert_string_equal(b.ptr, "keep0123456789");
	sdl_buf_clear(&b);
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 11), 0);
	assert_string_equal(b.ptr, "0123456789");
	sdl_buf_release(&b);

	/* The buffer's own bound applies too. */
	sdl_buf_init(&b, 5);
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 100), SDL_ELIMIT);
	assert_error_mentions(P("f"));
	assert_int_equal(b.len, 0);
	sdl_buf_release(&b);
}

static void grow_hook(const char *path, int fd)
{
	FILE *f = fopen(path, "ab");
	(void)fd;
	assert_non_null(f);
	fputs("0123456789", f);
	fclose(f);
}

/* A file that grows past max after fstat(): the read loop still stops at max. */
static void test_read_grows_past_limit(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;

	write_file(P("f"), "abc");
	sdl_fs_test_after_fstat = grow_hook;
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 8), SDL_ELIMIT);
	assert_error_mentions("limit of 8 bytes");
	assert_int_equal(b.len, 0);
	/* Growing within the limit is read to EOF. */
	write_file(P("f"), "abc");
	assert_int_equal(sdl_fs_read_file(&b, P("f"), 13), 0);
	assert_string_equal(b.ptr, "abc0123456789");
	sdl_fs_test_after_fstat = NULL;
	sdl_buf_release(&b);
}

static void test_read_errors(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int fds = count_fds();
	(void)state;

	assert_int_equal(sdl_fs_read_file(&b, P("missing"), 100), SDL_ENOTFOUND);
	assert_error_mentions(P("missing"));
	assert_int_equal(sdl_fs_read_file(&b, tmpdir, 100), SDL_EINVAL);
	assert_error_mentions(tmpdir);
	assert_int_equal(sdl_fs_read_file(&b, "/dev/zero", 100), SDL_EINVAL);
	assert_error_mentions("not a regular file");
	assert_int_equal(mkfifo(P("fifo"), 0600), 0);
	assert_int_equal(sdl_fs_read_file(&b, P("fifo"), 100), SDL_EINVAL); /* no hang */
	assert_int_equal(symlink("loop", P("loop")), 0);
	assert_int_equal(sdl_fs_read_file(&b, P("loop"), 100), SDL_EINVAL);
	write_file(P("file"), "x");
	assert_int_equal(sdl_fs_read_file(&b, P("file/x"), 100), SDL_ENOTFOUND);
	assert_int_equal(b.len, 0);
	sdl_buf_release(&b);
	assert_int_equal(count_fds(), fds);
}

static void test_read_alloc_failure(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	static char big[300000];
	unsigned long n;
	int err, fds = count_fds();
	FILE *f;
	(void)state;

	memset(big, 'q', sizeof(big));
	f = fopen(P("big"), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(big, 1, sizeof(big), f), sizeof(big));
	fclose(f);
	sdl_fs_test_after_fstat = grow_hook; /* forces growth past the first allocation */
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_fs_read_file(&b, P("big"), 1 << 20);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_error_mentions(P("big"));
		assert_int_equal(b.len, 0);
		assert_int_equal(count_fds(), fds);
	}
	sdl_fs_test_after_fstat = NULL;
	assert_true(n >= 2);
	assert_true(b.len > sizeof(big));
	sdl_buf_release(&b);
}

/* ---- sdl_fs_write_atomic ---------------------------------------------- */

static void test_write_new_and_replace(void **state)
{
	struct stat st;
	mode_t old;
	int fds = count_fds();
	(void)state;

	old = umask(022);
	assert_int_equal(sdl_fs_write_atomic(P("out"), "hello", 5), 0);
	assert_content(P("out"), "hello");
	assert_int_equal(stat(P("out"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	umask(077); /* umask respected */
	assert_int_equal(sdl_fs_write_atomic(P("out"), "bye", 3), 0);
	assert_content(P("out"), "bye");
	assert_int_equal(stat(P("out"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	umask(old);

	assert_int_equal(sdl_fs_write_atomic(P("out"), "", 0), 0);
	assert_content(P("out"), "");

	/* A relative path (directory "."), from the scratch directory. */
	{
		char cwd[4096];
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(tmpdir), 0);
		assert_int_equal(sdl_fs_write_atomic("rel", "r", 1), 0);
		assert_int_equal(chdir(cwd), 0);
		assert_content(P("rel"), "r");
	}
	assert_int_equal(count_temps(tmpdir), 0);
	assert_int_equal(count_fds(), fds);
}

static void test_write_failures_keep_old(void **state)
{
	int fds = count_fds();
	(void)state;

	write_file(P("old"), "old");
	/* Directory does not exist. */
	assert_int_equal(sdl_fs_write_atomic(P("nodir/x"), "new", 3), SDL_ENOTFOUND);
	assert_error_mentions(P("nodir/x"));
	/* Parent is a file. */
	assert_int_equal(sdl_fs_write_atomic(P("old/x"), "new", 3), SDL_ENOTFOUND);
	assert_error_mentions(P("old/x"));
	assert_content(P("old"), "old");
	/* Not file names. */
	assert_int_equal(sdl_fs_write_atomic(P(""), "new", 3), SDL_EINVAL);
	assert_int_equal(sdl_fs_write_atomic(P("."), "new", 3), SDL_EINVAL);
	assert_int_equal(sdl_fs_write_atomic("", "new", 3), SDL_EINVAL);
	/* A directory in the way. */
	assert_int_equal(mkdir(P("adir"), 0755), 0);
	assert_int_equal(sdl_fs_write_atomic(P("adir"), "new", 3), SDL_EINVAL);
	assert_true(sdl_fs_is_dir(P("adir")));
	/* A FIFO (stands for any device node) is not replaced. */
	assert_int_equal(mkfifo(P("fifo"), 0600), 0);
	assert_int_equal(sdl_fs_write_atomic(P("fifo"), "new", 3), SDL_EINVAL);
	assert_error_mentions("not a regular file");
	{
		struct stat st;
		assert_int_equal(lstat(P("fifo"), &st), 0);
		assert_true(S_ISFIFO(st.st_mode));
	}
	assert_int_equal(count_temps(tmpdir), 0);
	assert_int_equal(count_fds(), fds);
}

static void test_write_alloc_failure(void **state)
{
	unsigned long n;
	int err, fds = count_fds();
	(void)state;

	write_file(P("old"), "old");
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_fs_write_atomic(P("old"), "new", 3);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_content(P("old"), "old");
		assert_int_equal(count_temps(tmpdir), 0);
		assert_int_equal(count_fds(), fds);
	}
	assert_true(n >= 2);
	assert_content(P("old"), "new");
}

/*
 * A write that fails half-way (RLIMIT_FSIZE makes write() fail with EFBIG
 * after a short write, as a full disk does with ENOSPC): SDL_EIO naming the
 * path, old file intact, no temporary left.
 */
static void test_write_fails_midway(void **state)
{
	static char data[100000];
	struct rlimit old, lim;
	void (*prev)(int);
	int err;
	(void)state;

	memset(data, 'n', sizeof(data));
	write_file(P("old"), "old");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	prev = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 4096;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	err = sdl_fs_write_atomic(P("old"), data, sizeof(data));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(err, SDL_EIO);
	assert_error_mentions(P("old"));
	assert_error_mentions("write failed");
	assert_content(P("old"), "old");
	assert_int_equal(count_temps(tmpdir), 0);
}

/* A symlink target is replaced by the new file; the link's target is not written. */
static void test_write_over_symlink(void **state)
{
	struct stat st;
	(void)state;

	assert_int_equal(symlink("/dev/full", P("link")), 0);
	assert_int_equal(sdl_fs_write_atomic(P("link"), "data", 4), 0);
	assert_int_equal(lstat(P("link"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_content(P("link"), "data");
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	write_file(P("target"), "target");
	assert_int_equal(symlink("target", P("link2")), 0);
	assert_int_equal(sdl_fs_write_atomic(P("link2"), "new", 3), 0);
	assert_content(P("target"), "target");
	assert_content(P("link2"), "new");
}

/* "-" writes to stdout; a failing stdout (/dev/full) is SDL_EIO. */
static void test_write_stdout(void **state)
{
	int saved, fd, err;
	(void)state;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	fd = open(P("captured"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
	err = sdl_fs_write_atomic("-", "to stdout\n", 10);
	fflush(stdout);

	fd = open("/dev/full", O_WRONLY);
	assert_true(fd >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	close(fd);
	{
		int err2 = sdl_fs_write_atomic("-", "lost", 4);
		clearerr(stdout);
		assert_true(dup2(saved, STDOUT_FILENO) >= 0);
		close(saved);
		assert_int_equal(err2, SDL_EIO);
		assert_error_mentions("stdout");
	}
	assert_int_equal(err, 0);
	assert_content(P("captured"), "to stdout\n");
}

/* ---- is_file, is_dir, mkdirs ------------------------------------------ */

static void test_is_file_dir(void **state)
{
	(void)state;
	write_file(P("f"), "x");
	assert_int_equal(symlink("f", P("lf")), 0);
	assert_int_equal(symlink(tmpdir, P("ld")), 0);
	assert_int_equal(sdl_fs_is_file(P("f")), 1);
	assert_int_equal(sdl_fs_is_file(P("lf")), 1); /* follows links */
	assert_int_equal(sdl_fs_is_file(tmpdir), 0);
	assert_int_equal(sdl_fs_is_file(P("missing")), 0);
	assert_int_equal(sdl_fs_is_file("/dev/null"), 0);
	assert_int_equal(sdl_fs_is_dir(tmpdir), 1);
	assert_int_equal(sdl_fs_is_dir(P("ld")), 1);
	assert_int_equal(sdl_fs_is_dir(P("f")), 0);
	assert_int_equal(sdl_fs_is_dir(P("missing")), 0);
}

static void test_mkdirs(void **state)
{
	unsigned long n;
	int err;
	(void)state;

	assert_int_equal(sdl_fs_mkdirs(P("a/b//c/")), 0);
	assert_true(sdl_fs_is_dir(P("a/b/c")));
	assert_int_equal(sdl_fs_mkdirs(P("a/b/c")), 0); /* existing is fine */
	assert_int_equal(sdl_fs_mkdirs(tmpdir), 0);
	write_file(P("a/file"), "x");
	assert_int_equal(sdl_fs_mkdirs(P("a/file/d")), SDL_EINVAL);
	assert_error_mentions("not a directory");
	assert_int_equal(sdl_fs_mkdirs(P("a/file")), SDL_EINVAL);
	assert_int_equal(sdl_fs_mkdirs(""), SDL_EINVAL);

	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_fs_mkdirs(P("m/n"));
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
	}
	assert_true(sdl_fs_is_dir(P("m/n")));
}

/* ---- lexical paths ---------------------------------------------------- */

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "a/./b/../c", "a/c" }, { "./a//b/", "a/b" }, { "a", "a" },
		{ "", "" }, { ".", "" }, { "./", "" }, { "a/..", "" },
		{ "a/b/../../c", "c" }, { "..a/b..", "..a/b.." }, { "a/.../b", "a/.../b" },
	};
	static const char *bad[] = { "..", "../x", "a/../../x", "/etc/passwd", "/", "./../a",
				     "a/b/../../.." };
	struct sdl_buf b = SDL_BUF_INIT;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(sdl_buf_puts(&b, "junk"), 0); /* replaced, not appended */
		assert_int_equal(sdl_path_normalize(&b, ok[i].in), 0);
		assert_string_equal(b.ptr, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sdl_path_normalize(&b, bad[i]), SDL_EINVAL);
		assert_error_mentions(bad[i]);
		assert_int_equal(b.len, 0);
	}
	/* An embedded NUL ends the C string: nothing past it is seen. */
	assert_int_equal(sdl_path_normalize(&b, "a\0/../../x"), 0);
	assert_string_equal(b.ptr, "a");
	sdl_buf_release(&b);
}

static void test_join(void **state)
{
	static const struct {
		const char *root, *rel, *out;
	} ok[] = {
		{ "/r", "a/b", "/r/a/b" },     { "/r/", "a", "/r/a" },
		{ "/r//", "./a//b/", "/r/a/b" }, { "/r", "", "/r" },
		{ "/r", "a/..", "/r" },        { "/", "etc", "/etc" },
		{ "r", "x/../y", "r/y" },      { ".", "a", "./a" },
		{ "", "a/b", "a/b" },          { "/r", "a/b/../../c", "/r/c" },
	};
	static const char *bad[] = { "../x", "a/../../x", "/etc/passwd", "..", "a/../..",
				     "./../r/x" };
	struct sdl_buf b = SDL_BUF_INIT;
	unsigned long n;
	size_t i;
	int err;
	(void)state;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(sdl_path_join(&b, ok[i].root, ok[i].rel), 0);
		assert_string_equal(b.ptr, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sdl_path_join(&b, "/r", bad[i]), SDL_EINVAL);
		assert_int_equal(b.len, 0);
	}
	/* ".." may not climb out of the root through the root's own components. */
	assert_int_equal(sdl_path_join(&b, "/r/s", ".."), SDL_EINVAL);

	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_path_join(&b, "/root/dir", "a/b/../c");
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
	}
	assert_string_equal(b.ptr, "/root/dir/a/c");
	sdl_buf_release(&b);

	sdl_buf_init(&b, 8); /* bounded buffer: limit, not overflow */
	assert_int_equal(sdl_path_join(&b, "/root", "abcdef"), SDL_ELIMIT);
	sdl_buf_release(&b);
}

static void test_resolve_within(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	char real[4096];
	(void)state;

	assert_non_null(realpath(tmpdir, real));
	assert_int_equal(sdl_fs_mkdirs(P("root/sub")), 0);
	assert_int_equal(sdl_fs_mkdirs(P("root2")), 0);
	write_file(P("root/sub/f"), "x");
	write_file(P("root2/f"), "x");
	assert_int_equal(symlink("../root2/f", P("root/out")), 0);
	assert_int_equal(symlink("sub/f", P("root/in")), 0);
	assert_int_equal(symlink("/etc/passwd", P("root/passwd")), 0);

	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root/in")), 0);
	assert_true(strncmp(b.ptr, real, strlen(real)) == 0);
	assert_non_null(strstr(b.ptr, "/root/sub/f"));
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root")), 0);
	assert_int_equal(sdl_path_resolve_within(&b, P("root/"), P("root/sub/../sub")), 0);

	/* "/x/root2" is not inside "/x/root". */
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root2/f")), SDL_EINVAL);
	assert_error_mentions("outside");
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root/out")), SDL_EINVAL);
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root/passwd")), SDL_EINVAL);
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), "/etc/passwd"), SDL_EINVAL);
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root/../root2")), SDL_EINVAL);
	assert_int_equal(b.len, 0);
	assert_int_equal(sdl_path_resolve_within(&b, P("root"), P("root/missing")),
			 SDL_ENOTFOUND);
	assert_error_mentions("missing");
	assert_int_equal(sdl_path_resolve_within(&b, P("nope"), P("root")), SDL_ENOTFOUND);
	/* "/" contains everything. */
	assert_int_equal(sdl_path_resolve_within(&b, "/", P("root/in")), 0);
	sdl_buf_release(&b);
}

/* ---- walk ------------------------------------------------------------- */

struct seen {
	char log[4096];
	const char *prune;  /* path to prune */
	const char *fail;   /* path whose callback fails */
	const char *remove; /* path to remove when the first entry is seen */
	void (*on_first)(void);
	int calls;
};

static int record(const struct sdl_walk_entry *e, void *payload)
{
	struct seen *s = payload;
	size_t n = strlen(s->log);
	const char *t = e->type == SDL_WALK_FILE ? "f" : e->type == SDL_WALK_DIR ? "d" : "l";
	const char *base = strrchr(e->path, '/');

	assert_string_equal(e->name, base ? base + 1 : e->path);
	if (s->calls++ == 0 && s->on_first)
		s->on_first();
	if (e->type == SDL_WALK_FILE)
		snprintf(s->log + n, sizeof(s->log) - n, "%s %s %d %zu\n", t, e->path, e->depth,
			 e->size);
	else
		snprintf(s->log + n, sizeof(s->log) - n, "%s %s %d\n", t, e->path, e->depth);
	if (s->fail && strcmp(e->path, s->fail) == 0)
		return sdl_error_set(SDL_EINVAL, "callback refused %s", e->path);
	if (s->prune && strcmp(e->path, s->prune) == 0)
		return SDL_WALK_PRUNE;
	return 0;
}

static void make_tree(void)
{
	assert_int_equal(sdl_fs_mkdirs(P("t/b/c")), 0);
	assert_int_equal(sdl_fs_mkdirs(P("t/B")), 0);
	assert_int_equal(sdl_fs_mkdirs(P("outside")), 0);
	write_file(P("outside/secret"), "secret");
	write_file(P("t/a"), "aa");
	write_file(P("t/b/c/deep"), "deep!");
	write_file(P("t/b/z"), "z");
	write_file(P("t/.hidden"), "h");
	write_file(P("t/B/x"), "");
	assert_int_equal(symlink("../outside", P("t/out")), 0);
	assert_int_equal(symlink("../outside/secret", P("t/b/secret")), 0);
	assert_int_equal(symlink(".", P("t/b/self")), 0);
	assert_int_equal(symlink("..", P("t/b/c/up")), 0);
	assert_int_equal(symlink("c", P("t/b/cl")), 0);
	assert_int_equal(symlink("a", P("t/la")), 0);
	assert_int_equal(symlink("m2", P("t/m1")), 0); /* m1 -> m2 -> m1 */
	assert_int_equal(symlink("m1", P("t/m2")), 0);
	assert_int_equal(symlink("nowhere", P("t/dangling")), 0);
	assert_int_equal(mkfifo(P("t/fifo"), 0600), 0);
}

static void test_walk_default(void **state)
{
	struct seen s;
	int fds = count_fds();
	(void)state;

	make_tree();
	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("t"), 0, record, &s), 0);
	/* Byte-wise order ('.' < 'B' < 'a'), links reported not followed, FIFO skipped. */
	assert_string_equal(s.log,
			    "f .hidden 0 1\n"
			    "f B/x 1 0\n"
			    "f a 0 2\n"
			    "f b/c/deep 2 5\n"
			    "l b/c/up 2\n"
			    "l b/cl 1\n"
			    "l b/secret 1\n"
			    "l b/self 1\n"
			    "f b/z 1 1\n"
			    "l dangling 0\n"
			    "l la 0\n"
			    "l m1 0\n"
			    "l m2 0\n"
			    "l out 0\n");

	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("t"), SDL_WALK_INCLUDE_DIRS | SDL_WALK_SKIP_HIDDEN,
				     record, &s), 0);
	assert_string_equal(s.log,
			    "d B 0\n"
			    "f B/x 1 0\n"
			    "f a 0 2\n"
			    "d b 0\n"
			    "d b/c 1\n"
			    "f b/c/deep 2 5\n"
			    "l b/c/up 2\n"
			    "l b/cl 1\n"
			    "l b/secret 1\n"
			    "l b/self 1\n"
			    "f b/z 1 1\n"
			    "l dangling 0\n"
			    "l la 0\n"
			    "l m1 0\n"
			    "l m2 0\n"
			    "l out 0\n");
	assert_int_equal(count_fds(), fds);
}

/* FOLLOW: links inside the tree are followed; out-of-tree links and loops are not. */
static void test_walk_follow(void **state)
{
	struct seen s;
	int fds = count_fds();
	(void)state;

	make_tree();
	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("t"), SDL_WALK_FOLLOW_SYMLINKS | SDL_WALK_SKIP_HIDDEN,
				     record, &s), 0);
	assert_string_equal(s.log,
			    "f B/x 1 0\n"
			    "f a 0 2\n"
			    "f b/c/deep 2 5\n"
			    "l b/c/up 2\n"         /* .. of c is b: on the path, a loop */
			    "f b/cl/deep 2 5\n"    /* cl -> c: inside, followed */
			    "l b/cl/up 2\n"
			    "l b/secret 1\n"       /* out of the tree */
			    "l b/self 1\n"         /* -> . : a loop */
			    "f b/z 1 1\n"
			    "l dangling 0\n"
			    "f la 0 2\n"           /* -> a: a file inside */
			    "l m1 0\n"             /* m1 <-> m2: ELOOP */
			    "l m2 0\n"
			    "l out 0\n");          /* out of the tree */
	assert_int_equal(count_fds(), fds);

	/* The root given through a symlink still works (realpath of the root). */
	assert_int_equal(symlink("t", P("tlink")), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("tlink"), SDL_WALK_FOLLOW_SYMLINKS, record, &s), 0);
	assert_non_null(strstr(s.log, "f b/cl/deep 2 5\n"));
	assert_non_null(strstr(s.log, "l out 0\n"));
}

static void test_walk_prune_and_fail(void **state)
{
	struct seen s;
	int fds = count_fds();
	(void)state;

	make_tree();
	memset(&s, 0, sizeof(s));
	s.prune = "b";
	assert_int_equal(sdl_fs_walk(P("t"), SDL_WALK_INCLUDE_DIRS | SDL_WALK_SKIP_HIDDEN,
				     record, &s), 0);
	assert_null(strstr(s.log, "b/"));
	assert_non_null(strstr(s.log, "l out 0\n"));

	/* A negative return stops the walk (fds inside deep directories released). */
	memset(&s, 0, sizeof(s));
	s.fail = "b/c/deep";
	assert_int_equal(sdl_fs_walk(P("t"), 0, record, &s), SDL_EINVAL);
	assert_error_mentions("callback refused b/c/deep");
	assert_null(strstr(s.log, "b/z"));
	assert_int_equal(count_fds(), fds);
}

static void test_walk_root_errors(void **state)
{
	struct seen s;
	int fds = count_fds();
	(void)state;

	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("missing"), 0, record, &s), SDL_ENOTFOUND);
	assert_error_mentions(P("missing"));
	write_file(P("file"), "x");
	assert_int_equal(sdl_fs_walk(P("file"), 0, record, &s), SDL_EINVAL);
	assert_error_mentions(P("file"));
	assert_int_equal(s.calls, 0);
	/* An empty directory: no calls, success. */
	assert_int_equal(sdl_fs_mkdirs(P("empty")), 0);
	assert_int_equal(sdl_fs_walk(P("empty"), 0, record, &s), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(count_fds(), fds);
}

static void test_walk_depth_limit(void **state)
{
	char rel[4096] = "deep";
	size_t len = 4;
	struct seen s;
	int i, fds = count_fds();
	(void)state;

	/* deep/d/d/.../d with a file at entry depth SDL_WALK_MAX_DEPTH - 1: fine. */
	for (i = 0; i < SDL_WALK_MAX_DEPTH - 1; i++)
		len += (size_t)snprintf(rel + len, sizeof(rel) - len, "/d");
	assert_int_equal(sdl_fs_mkdirs(P(rel)), 0);
	snprintf(rel + len, sizeof(rel) - len, "/f");
	write_file(P(rel), "x");
	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("deep"), 0, record, &s), 0);
	assert_int_equal(s.calls, 1);

	/* One level more: SDL_ELIMIT naming the directory. */
	rel[len] = '\0';
	snprintf(rel + len, sizeof(rel) - len, "/d");
	assert_int_equal(sdl_fs_mkdirs(P(rel)), 0);
	snprintf(rel + len + 2, sizeof(rel) - len - 2, "/f");
	write_file(P(rel), "x");
	memset(&s, 0, sizeof(s));
	assert_int_equal(sdl_fs_walk(P("deep"), 0, record, &s), SDL_ELIMIT);
	assert_error_mentions("deeper than 64");
	assert_error_mentions("/d/d/d");
	assert_int_equal(count_fds(), fds);
}

static char vanish_path[512];
static char swap_dir[512], swap_away[512], swap_target[512];

static void vanish_first(void)
{
	assert_int_equal(unlink(vanish_path), 0);
}

static void swap_first(void)
{
	assert_int_equal(rename(swap_dir, swap_away), 0);
	assert_int_equal(symlink(swap_target, swap_dir), 0);
}

static void test_walk_vanish_and_swap(void **state)
{
	struct seen s;
	int fds = count_fds();
	(void)state;

	/* b vanishes after the names were read: skipped, no error. */
	assert_int_equal(sdl_fs_mkdirs(P("v")), 0);
	write_file(P("v/a"), "a");
	write_file(P("v/b"), "b");
	write_file(P("v/c"), "c");
	snprintf(vanish_path, sizeof(vanish_path), "%s", P("v/b"));
	memset(&s, 0, sizeof(s));
	s.on_first = vanish_first;
	assert_int_equal(sdl_fs_walk(P("v"), 0, record, &s), 0);
	assert_string_equal(s.log, "f a 0 1\nf c 0 1\n");

	/* Directory d swapped for a link to outside before it is visited: not entered. */
	assert_int_equal(sdl_fs_mkdirs(P("w/d")), 0);
	assert_int_equal(sdl_fs_mkdirs(P("outside2")), 0);
	write_file(P("outside2/secret"), "s");
	write_file(P("w/a"), "a");
	write_file(P("w/d/inner"), "i");
	snprintf(swap_dir, sizeof(swap_dir), "%s", P("w/d"));
	snprintf(swap_away, sizeof(swap_away), "%s", P("w-d-away"));
	snprintf(swap_target, sizeof(swap_target), "%s", P("outside2"));
	memset(&s, 0, sizeof(s));
	s.on_first = swap_first;
	assert_int_equal(sdl_fs_walk(P("w"), SDL_WALK_FOLLOW_SYMLINKS, record, &s), 0);
	assert_string_equal(s.log, "f a 0 1\nl d 0\n");
	assert_int_equal(count_fds(), fds);
}

static void test_walk_alloc_failure(void **state)
{
	struct seen s;
	unsigned long n;
	int err, fds = count_fds();
	(void)state;

	make_tree();
	for (n = 1;; n++) {
		memset(&s, 0, sizeof(s));
		sdl_alloc_fail_at(n);
		err = sdl_fs_walk(P("t"), SDL_WALK_FOLLOW_SYMLINKS, record, &s);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_int_equal(count_fds(), fds);
	}
	assert_true(n > 10);
	assert_non_null(strstr(s.log, "f b/cl/deep 2 5\n"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
	const struct CMUnitTest tests[] = {
		T(test_read_ok),
		T(test_read_limit),
		T(test_read_grows_past_limit),
		T(test_read_errors),
		T(test_read_alloc_failure),
		T(test_write_new_and_replace),
		T(test_write_failures_keep_old),
		T(test_write_alloc_failure),
		T(test_write_fails_midway),
		T(test_write_over_symlink),
		T(test_write_stdout),
		T(test_is_file_dir),
		T(test_mkdirs),
		T(test_normalize),
		T(test_join),
		T(test_resolve_within),
		T(test_walk_default),
		T(test_walk_follow),
		T(test_walk_prune_and_fail),
		T(test_walk_root_errors),
		T(test_walk_depth_limit),
		T(test_walk_vanish_and_swap),
		T(test_walk_alloc_failure),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
