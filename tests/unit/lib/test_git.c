/*
 * Unit tests for lib/git.c. Fixture repositories are built with the git
 * command line in a mkdtemp() directory (HOME and the global config point
 * into it, so the user's configuration cannot change the result) and
 * removed afterwards.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/banned.h"

static char tmp_root[PATH_MAX];
static char c1_id[64]; /* first commit on master */
static char c2_id[64]; /* second commit on master (HEAD) */

/* Run a shell command (formatted); returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc;
}

/* Run a command and keep the first line of its output. */
static int capture(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int capture(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, (int)size, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(p) == 0 && out[0] ? 0 : -1;
}

/* tmp_root + "/" + rel */
static const char *at(const char *rel)
{
	static char paths[8][PATH_MAX + 64];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, PATH_MAX + 64, "%s/%s", tmp_root, rel);
	return p;
}

static int build_fixtures(void)
{
	char blob[64];

	setenv("HOME", at("home"), 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Fixture", 1);
	setenv("GIT_AUTHOR_EMAIL", "fixture@example.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "Fixture", 1);
	setenv("GIT_COMMITTER_EMAIL", "fixture@example.invalid", 1);
	setenv("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_CONFIG_GLOBAL");
	unsetenv("GIT_COMMON_DIR");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_CEILING_DIRECTORIES");

	if (sh("mkdir -p '%s' '%s' && cd '%s' && git config --global user.name Fixture && "
	       "git config --global user.email fixture@example.invalid && "
	       "git config --global commit.gpgsign false && git config --global tag.gpgsign false "
	       "&& "
	       "git config --global init.defaultBranch master && "
	       "git config --global core.autocrlf false && git config --global gc.auto 0",
	       at("home"), at("outside/deeper"), at("home")))
		return -1;

	/* The main repository: two commits on master, a branch, tags, a gitlink. */
	if (sh("set -e; git init -q '%s'; cd '%s'; printf 'v1\\n' > a.txt; printf 'old\\n' > "
	       "del.txt; "
	       "git add a.txt del.txt; git commit -q -m c1; git tag v1-light; "
	       "git tag -a v1-ann -m 'annotated'; git tag -a treetag -m 'tree' 'HEAD^{tree}'; "
	       "git branch feature; "
	       "printf 'v2\\n' > a.txt; mkdir -p dir/sub/deeper/still; printf 'deep\\n' > "
	       "dir/sub/deep.c; "
	       "head -c 1000 /dev/zero | tr -c x x > big.bin; : > empty.txt; "
	       "git add a.txt dir big.bin empty.txt; "
	       "git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),sub; "
	       "git commit -q -m c2; "
	       /* index: partially staged a.txt, new file, del.txt removed from the index */
	       "printf 'staged\\n' > a.txt; git add a.txt; printf 'worktree\\n' > a.txt; "
	       "printf 'new\\n' > new.txt; git add new.txt; git rm -q --cached del.txt; "
	       /* a linked worktree on the feature branch with its own staged change */
	       "git worktree add -q '%s' feature; cd '%s'; printf 'wt-staged\\n' > a.txt; git add "
	       "a.txt; "
	       "printf 'wt-worktree\\n' > a.txt",
	       at("repo"), at("repo"), at("wt"), at("wt")))
		return -1;
	if (capture(c1_id, sizeof(c1_id), "git -C '%s' rev-parse master~1", at("repo")) ||
	    capture(c2_id, sizeof(c2_id), "git -C '%s' rev-parse master", at("repo")))
		return -1;

	/* A fresh repository without commits, one file staged. */
	if (sh("set -e; git init -q '%s'; cd '%s'; printf 'first\\n' > f.txt; git add f.txt",
	       at("unborn"), at("unborn")))
		return -1;

	/* A .git with a garbage HEAD, and an empty .git directory. */
	if (sh("set -e; git init -q '%s'; printf 'garbage garbage\\n' > '%s/.git/HEAD'; "
	       "mkdir -p '%s/.git' '%s/sub'",
	       at("corrupt"), at("corrupt"), at("emptydotgit"), at("emptydotgit")))
		return -1;

	/* A repository whose blob object file was deleted. */
	if (sh("set -e; git init -q '%s'; cd '%s'; printf 'lost\\n' > f.txt; git add f.txt; "
	       "git commit -q -m c",
	       at("damaged"), at("damaged")))
		return -1;
	if (capture(blob, sizeof(blob), "git -C '%s' rev-parse HEAD:f.txt", at("damaged")) ||
	    sh("rm -f '%s/.git/objects/%.2s/%s'", at("damaged"), blob, blob + 2))
		return -1;

	/* A merge stopped on a conflict in c.txt. */
	if (sh("set -e; git init -q '%s'; cd '%s'; printf 'base\\n' > c.txt; printf 'ok\\n' > "
	       "ok.txt; "
	       "git add .; git commit -q -m base; git checkout -q -b other; printf 'theirs\\n' > "
	       "c.txt; "
	       "git commit -q -am theirs; git checkout -q master; printf 'ours\\n' > c.txt; "
	       "git commit -q -am ours; git merge -q other >/dev/null 2>&1 && exit 1; "
	       "git ls-files -u | grep -q c.txt",
	       at("conflict"), at("conflict")))
		return -1;
	return 0;
}

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");
	(void)state;
	snprintf(tmp_root, sizeof(tmp_root), "%s/sdl-test-git.XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(tmp_root))
		return -1;
	if (build_fixtures() < 0)
		return -1;
	return sdl_git_init() == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	sdl_git_shutdown();
	if (tmp_root[0] && strstr(tmp_root, "sdl-test-git."))
		sh("rm -rf '%s'", tmp_root);
	return 0;
}

/* path + "/" (static storage). */
static const char *strcat_path_slash(const char *path)
{
	static char buf[PATH_MAX + 2];
	snprintf(buf, sizeof(buf), "%s/", path);
	return buf;
}

static git_repository *open_ok(const char *path)
{
	git_repository *repo = NULL;
	int rc = sdl_git_open(&repo, path);
	if (rc != 0)
		fprintf(stderr, "open %s: %s\n", path, sdl_error_last());
	assert_int_equal(rc, 0);
	assert_non_null(repo);
	return repo;
}

/* Read rev:path and compare with the expected content. */
static void expect_blob(git_repository *repo, const char *rev, const char *path, const char *want)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc = sdl_git_read_blob(&b, repo, rev, path, 1 << 20);
	if (rc != 0)
		fprintf(stderr, "read %s:%s: %s\n", rev, path, sdl_error_last());
	assert_int_equal(rc, 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.ptr, want, b.len);
	assert_int_equal(b.ptr[b.len], '\0');
	sdl_buf_release(&b);
}

/* Expect rev:path to fail with code and a message containing needle. */
static void expect_fail(git_repository *repo, const char *rev, const char *path, size_t max,
			int code, const char *needle)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;

	sdl_error_clear();
	rc = sdl_git_read_blob(&b, repo, rev, path, max);
	if (rc != code || !strstr(sdl_error_last(), needle))
		fprintf(stderr, "read %s:%s: rc %d, message '%s'\n", rev, path ? path : "(null)",
			rc, sdl_error_last());
	assert_int_equal(rc, code);
	assert_int_equal(sdl_error_last_code(), code);
	assert_non_null(strstr(sdl_error_last(), needle));
	assert_int_equal(b.len, 0); /* nothing appended on failure */
	sdl_buf_release(&b);
}

/* ---- opening ---- */

static void test_open_root(void **state)
{
	git_repository *repo;
	char want[PATH_MAX + 2];
	(void)state;
	repo = open_ok(at("repo"));
	snprintf(want, sizeof(want), "%s/", at("repo"));
	assert_string_equal(sdl_git_workdir(repo), want);
	git_repository_free(repo);
}

static void test_open_subdirectory(void **state)
{
	git_repository *repo;
	char want[PATH_MAX + 2];
	(void)state;
	repo = open_ok(at("repo/dir/sub/deeper/still"));
	snprintf(want, sizeof(want), "%s/", at("repo"));
	assert_string_equal(sdl_git_workdir(repo), want);
	expect_blob(repo, "HEAD", "dir/sub/deep.c", "deep\n");
	git_repository_free(repo);
}

static void test_open_worktree(void **state)
{
	git_repository *repo;
	char want[PATH_MAX + 2];
	(void)state;
	repo = open_ok(at("wt"));
	snprintf(want, sizeof(want), "%s/", at("wt"));
	assert_string_equal(sdl_git_workdir(repo), want);
	assert_true(git_repository_is_worktree(repo));
	/* The worktree's own HEAD (feature = c1) and its own index. */
	expect_blob(repo, "HEAD", "a.txt", "v1\n");
	expect_blob(repo, SDL_GIT_INDEX, "a.txt", "wt-staged\n");
	/* Shared refs: master is visible from the worktree. */
	expect_blob(repo, "master", "dir/sub/deep.c", "deep\n");
	git_repository_free(repo);
}

static void test_open_outside(void **state)
{
	git_repository *repo = (git_repository *)state; /* any non-NULL value */
	(void)state;
	sdl_error_clear();
	assert_int_equal(sdl_git_open(&repo, at("outside/deeper")), SDL_ENOTFOUND);
	assert_null(repo);
	assert_non_null(strstr(sdl_error_last(), at("outside/deeper")));
	assert_non_null(strstr(sdl_error_last(), "not in a git repository"));
	/* A path that does not exist at all. */
	assert_int_equal(sdl_git_open(&repo, at("no/such/dir")), SDL_ENOTFOUND);
	assert_null(repo);
}

static void test_open_corrupt(void **state)
{
	git_repository *repo = NULL;
	(void)state;
	sdl_error_clear();
	assert_int_equal(sdl_git_open(&repo, at("corrupt")), SDL_EINVAL);
	assert_null(repo);
	assert_non_null(strstr(sdl_error_last(), "corrupt"));
	assert_non_null(strstr(sdl_error_last(), at("corrupt")));
	/* An empty .git directory: libgit2 skips it; we report it. */
	sdl_error_clear();
	assert_int_equal(sdl_git_open(&repo, at("emptydotgit/sub")), SDL_EINVAL);
	assert_null(repo);
	assert_non_null(strstr(sdl_error_last(), at("emptydotgit/.git")));
	/* A worktree's .git file naming a gitdir that is gone. */
	assert_int_equal(sh("mkdir -p '%s' && echo 'gitdir: %s' > '%s/.git'", at("orphanwt"),
			    at("no/such/gitdir"), at("orphanwt")),
			 0);
	sdl_error_clear();
	assert_int_equal(sdl_git_open(&repo, at("orphanwt")), SDL_EINVAL);
	assert_null(repo);
	assert_non_null(strstr(sdl_error_last(), at("orphanwt")));
}

static void test_open_ceiling(void **state)
{
	git_repository *repo = NULL;
	(void)state;
	/* With the repository root as a ceiling, a subdirectory finds nothing. */
	setenv("GIT_CEILING_DIRECTORIES", at("repo"), 1);
	assert_int_equal(sdl_git_open(&repo, at("repo/dir/sub")), SDL_ENOTFOUND);
	assert_null(repo);
	/* ... but the root itself still opens. */
	repo = open_ok(at("repo"));
	git_repository_free(repo);
	unsetenv("GIT_CEILING_DIRECTORIES");
	repo = open_ok(at("repo/dir/sub"));
	git_repository_free(repo);
}

static void test_open_home_ceiling(void **state)
{
	git_repository *repo = NULL;
	(void)state;
	/* A repository above $HOME's parent is never found from inside $HOME. */
	assert_int_equal(sh("set -e; git init -q '%s'; mkdir -p '%s'", at("hc"), at("hc/u/home/x")),
			 0);
	setenv("HOME", at("hc/u/home"), 1);
	assert_int_equal(sdl_git_open(&repo, at("hc/u/home/x")), SDL_ENOTFOUND);
	assert_null(repo);
	setenv("HOME", at("home"), 1);
	repo = open_ok(at("hc/u/home/x"));
	assert_string_equal(git_repository_workdir(repo), strcat_path_slash(at("hc")));
	git_repository_free(repo);
	/* Without HOME there is no such ceiling. */
	unsetenv("HOME");
	repo = open_ok(at("hc/u/home/x"));
	git_repository_free(repo);
	setenv("HOME", at("home"), 1);
}

static void test_open_bare(void **state)
{
	git_repository *repo;
	(void)state;
	assert_int_equal(sh("git clone -q --bare '%s' '%s'", at("repo"), at("bare.git")), 0);
	repo = open_ok(at("bare.git"));
	assert_null(sdl_git_workdir(repo));
	expect_blob(repo, "HEAD", "a.txt", "v2\n");
	expect_blob(repo, "v1-ann", "a.txt", "v1\n");
	expect_fail(repo, SDL_GIT_INDEX, "a.txt", 100, SDL_EINVAL, "bare");
	git_repository_free(repo);
}

static void test_open_bad_args(void **state)
{
	git_repository *repo = NULL;
	(void)state;
	assert_int_equal(sdl_git_open(&repo, NULL), SDL_EINVAL);
	assert_int_equal(sdl_git_open(&repo, ""), SDL_EINVAL);
	assert_int_equal(sdl_git_open(NULL, at("repo")), SDL_EINVAL);
	assert_null(sdl_git_workdir(NULL));
}

static void test_open_alloc_failure(void **state)
{
	unsigned long n;
	int rc = SDL_ENOMEM, failures = 0;
	(void)state;
	for (n = 1; n < 100 && rc == SDL_ENOMEM; n++) {
		git_repository *repo = NULL;
		sdl_alloc_fail_at(n);
		rc = sdl_git_open(&repo, at("repo/dir"));
		sdl_alloc_fail_at(0);
		if (rc == SDL_ENOMEM) {
			failures++;
			assert_null(repo);
			assert_int_equal(sdl_error_last_code(), SDL_ENOMEM);
		} else {
			assert_int_equal(rc, 0);
			git_repository_free(repo);
		}
	}
	assert_int_equal(rc, 0);
	assert_true(failures >= 1); /* HOME is set: the ceiling list is allocated */
}

/* ---- reading commits ---- */

static void test_read_head_and_revs(void **state)
{
	git_repository *repo;
	char shortid[16];
	(void)state;
	repo = open_ok(at("repo"));
	expect_blob(repo, "HEAD", "a.txt", "v2\n");
	expect_blob(repo, "master", "a.txt", "v2\n");
	expect_blob(repo, "refs/heads/master", "a.txt", "v2\n");
	expect_blob(repo, c2_id, "a.txt", "v2\n");
	expect_blob(repo, c1_id, "a.txt", "v1\n");
	snprintf(shortid, sizeof(shortid), "%.10s", c1_id);
	expect_blob(repo, shortid, "a.txt", "v1\n");
	expect_blob(repo, "HEAD~1", "a.txt", "v1\n");
	expect_blob(repo, "v1-light", "a.txt", "v1\n");
	expect_blob(repo, "v1-ann", "a.txt", "v1\n");
	expect_blob(repo, "feature", "del.txt", "old\n");
	expect_blob(repo, "HEAD", "del.txt", "old\n");
	expect_blob(repo, "HEAD", "dir/sub/deep.c", "deep\n");
	expect_blob(repo, "HEAD", "empty.txt", "");
	git_repository_free(repo);
}

static void test_read_appends(void **state)
{
	git_repository *repo;
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;
	repo = open_ok(at("repo"));
	assert_int_equal(sdl_buf_puts(&b, "pre:"), 0);
	assert_int_equal(sdl_git_read_blob(&b, repo, "HEAD", "a.txt", 100), 0);
	assert_string_equal(b.ptr, "pre:v2\n");
	/* A failure leaves what was there. */
	assert_int_equal(sdl_git_read_blob(&b, repo, "HEAD", "missing", 100), SDL_ENOTFOUND);
	assert_string_equal(b.ptr, "pre:v2\n");
	sdl_buf_release(&b);
	/* The buffer's own bound applies too. */
	sdl_buf_init(&b, 3);
	assert_int_equal(sdl_git_read_blob(&b, repo, "HEAD", "a.txt", 100), 0);
	assert_int_equal(sdl_git_read_blob(&b, repo, "HEAD", "a.txt", 100), SDL_ELIMIT);
	assert_non_null(strstr(sdl_error_last(), "a.txt"));
	assert_int_equal(b.len, 3);
	sdl_buf_release(&b);
	git_repository_free(repo);
}

static void test_read_bad_revs(void **state)
{
	git_repository *repo;
	(void)state;
	repo = open_ok(at("repo"));
	expect_fail(repo, "no-such-branch", "a.txt", 100, SDL_ENOTFOUND, "no-such-branch");
	expect_fail(repo, "0123456789abcdef0123456789abcdef01234567", "a.txt", 100, SDL_ENOTFOUND,
		    "0123456789abcdef");
	expect_fail(repo, "HEAD^{tree}", "a.txt", 100, SDL_EINVAL, "tree");
	expect_fail(repo, "HEAD:a.txt", "a.txt", 100, SDL_EINVAL, "blob");
	expect_fail(repo, "treetag", "a.txt", 100, SDL_EINVAL, "treetag");
	expect_fail(repo, "HEAD@@{", "a.txt", 100, SDL_EINVAL, "HEAD@@{");
	expect_fail(repo, "", "a.txt", 100, SDL_EINVAL, "");
	expect_fail(repo, NULL, "a.txt", 100, SDL_EINVAL, "");
	git_repository_free(repo);
}

static void test_resolve_commit(void **state)
{
	git_repository *repo;
	git_commit *commit = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	(void)state;
	repo = open_ok(at("repo"));
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "v1-ann"), 0);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	assert_string_equal(hex, c1_id);
	git_commit_free(commit);
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "HEAD"), 0);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	assert_string_equal(hex, c2_id);
	git_commit_free(commit);
	commit = (git_commit *)repo;
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "nope"), SDL_ENOTFOUND);
	assert_null(commit);
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "HEAD^{tree}"), SDL_EINVAL);
	assert_null(commit);
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "treetag"), SDL_EINVAL);
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, NULL), SDL_EINVAL);
	assert_int_equal(sdl_git_resolve_commit(NULL, repo, "HEAD"), SDL_EINVAL);
	git_repository_free(repo);
}

static void test_read_bad_paths(void **state)
{
	static const char *const bad[] = {
		"",
		"/a.txt",
		"/etc/passwd",
		"../a.txt",
		"dir/../a.txt",
		"dir/..",
		"./a.txt",
		"dir/./sub/deep.c",
		"dir//sub/deep.c",
		"dir/sub/",
		"..",
		".",
		"//",
	};
	git_repository *repo;
	size_t i;
	(void)state;
	repo = open_ok(at("repo/dir"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_fail(repo, "HEAD", bad[i], 100, SDL_EINVAL, "");
		expect_fail(repo, SDL_GIT_INDEX, bad[i], 100, SDL_EINVAL, "");
	}
	expect_fail(repo, "HEAD", NULL, 100, SDL_EINVAL, "path");
	expect_fail(repo, "HEAD", "/etc/passwd", 100, SDL_EINVAL, "absolute");
	expect_fail(repo, "HEAD", "dir/../a.txt", 100, SDL_EINVAL, "dir/../a.txt");
	/* Paths are relative to the root, not to the directory we opened from. */
	expect_fail(repo, "HEAD", "sub/deep.c", 100, SDL_ENOTFOUND, "sub/deep.c");
	expect_fail(repo, "HEAD", "missing.txt", 100, SDL_ENOTFOUND, "missing.txt");
	expect_fail(repo, "HEAD", "a.txt/x", 100, SDL_ENOTFOUND, "a.txt/x");
	git_repository_free(repo);
}

static void test_read_tree_and_gitlink(void **state)
{
	git_repository *repo;
	(void)state;
	repo = open_ok(at("repo"));
	expect_fail(repo, "HEAD", "dir", 100, SDL_EINVAL, "directory");
	expect_fail(repo, "HEAD", "dir/sub", 100, SDL_EINVAL, "dir/sub");
	expect_fail(repo, "HEAD", "sub", 100, SDL_EINVAL, "submodule");
	expect_fail(repo, SDL_GIT_INDEX, "dir", 100, SDL_EINVAL, "directory");
	expect_fail(repo, SDL_GIT_INDEX, "dir/sub", 100, SDL_EINVAL, "directory");
	expect_fail(repo, SDL_GIT_INDEX, "sub", 100, SDL_EINVAL, "submodule");
	git_repository_free(repo);
}

static void test_read_size_limit(void **state)
{
	git_repository *repo;
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;
	repo = open_ok(at("repo"));
	assert_int_equal(sdl_git_read_blob(&b, repo, "HEAD", "big.bin", 1000), 0);
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.ptr[0], 'x');
	assert_int_equal(b.ptr[999], 'x');
	sdl_buf_release(&b);
	expect_fail(repo, "HEAD", "big.bin", 999, SDL_ELIMIT, "big.bin");
	expect_fail(repo, "HEAD", "big.bin", 999, SDL_ELIMIT, "999");
	/* Refused from the object header, before libgit2 inflates the blob. */
	expect_fail(repo, "HEAD", "big.bin", 999, SDL_ELIMIT, "1000 bytes");
	expect_fail(repo, SDL_GIT_INDEX, "big.bin", 999, SDL_ELIMIT, "big.bin");
	expect_fail(repo, "HEAD", "a.txt", 0, SDL_ELIMIT, "a.txt");
	expect_blob(repo, "HEAD", "empty.txt", "");
	{
		struct sdl_buf e = SDL_BUF_INIT;
		assert_int_equal(sdl_git_read_blob(&e, repo, "HEAD", "empty.txt", 0), 0);
		assert_int_equal(e.len, 0);
		sdl_buf_release(&e);
	}
	git_repository_free(repo);
}

/* ---- reading the index ---- */

static void test_read_index(void **state)
{
	git_repository *repo;
	(void)state;
	repo = open_ok(at("repo"));
	/* Staged bytes, not HEAD's ("v2") and not the work tree's ("worktree"). */
	expect_blob(repo, SDL_GIT_INDEX, "a.txt", "staged\n");
	expect_blob(repo, "HEAD", "a.txt", "v2\n");
	expect_blob(repo, SDL_GIT_INDEX, "new.txt", "new\n");
	expect_fail(repo, "HEAD", "new.txt", 100, SDL_ENOTFOUND, "new.txt");
	expect_fail(repo, SDL_GIT_INDEX, "del.txt", 100, SDL_ENOTFOUND, "del.txt");
	expect_fail(repo, SDL_GIT_INDEX, "nothing.txt", 100, SDL_ENOTFOUND, "not in the index");
	expect_blob(repo, SDL_GIT_INDEX, "dir/sub/deep.c", "deep\n");
	git_repository_free(repo);
}

static void test_read_index_reloads(void **state)
{
	git_repository *repo;
	(void)state;
	assert_int_equal(
		sh("set -e; git init -q '%s'; cd '%s'; printf 'one\\n' > r.txt; git add r.txt",
		   at("reload"), at("reload")),
		0);
	repo = open_ok(at("reload"));
	expect_blob(repo, SDL_GIT_INDEX, "r.txt", "one\n");
	/* git add in another process after we loaded the index. */
	assert_int_equal(
		sh("cd '%s' && printf 'two, longer\\n' > r.txt && git add r.txt", at("reload")), 0);
	expect_blob(repo, SDL_GIT_INDEX, "r.txt", "two, longer\n");
	git_repository_free(repo);
}

static void test_read_conflict(void **state)
{
	git_repository *repo;
	(void)state;
	repo = open_ok(at("conflict"));
	expect_fail(repo, SDL_GIT_INDEX, "c.txt", 100, SDL_EINVAL, "unresolved conflict");
	expect_fail(repo, SDL_GIT_INDEX, "c.txt", 100, SDL_EINVAL, "c.txt");
	expect_blob(repo, SDL_GIT_INDEX, "ok.txt", "ok\n");
	expect_blob(repo, "HEAD", "c.txt", "ours\n");
	expect_blob(repo, "MERGE_HEAD", "c.txt", "theirs\n");
	git_repository_free(repo);
}

static void test_unborn_head(void **state)
{
	git_repository *repo;
	git_commit *commit = NULL;
	(void)state;
	repo = open_ok(at("unborn"));
	expect_fail(repo, "HEAD", "f.txt", 100, SDL_ENOTFOUND, "no commits yet");
	assert_int_equal(sdl_git_resolve_commit(&commit, repo, "HEAD"), SDL_ENOTFOUND);
	assert_null(commit);
	expect_fail(repo, "master", "f.txt", 100, SDL_ENOTFOUND, "master");
	expect_blob(repo, SDL_GIT_INDEX, "f.txt", "first\n");
	git_repository_free(repo);
}

static void test_missing_blob(void **state)
{
	git_repository *repo;
	(void)state;
	repo = open_ok(at("damaged"));
	expect_fail(repo, "HEAD", "f.txt", 100, SDL_EINVAL, "missing from the object database");
	expect_fail(repo, SDL_GIT_INDEX, "f.txt", 100, SDL_EINVAL, "f.txt");
	git_repository_free(repo);
}

static void test_read_alloc_failure(void **state)
{
	static const char *const revs[] = {"HEAD", SDL_GIT_INDEX, "master"};
	git_repository *repo;
	size_t r;
	(void)state;
	repo = open_ok(at("repo"));
	for (r = 0; r < sizeof(revs) / sizeof(revs[0]); r++) {
		unsigned long n;
		int rc = SDL_ENOMEM, failures = 0;
		for (n = 1; n < 100 && rc == SDL_ENOMEM; n++) {
			struct sdl_buf b = SDL_BUF_INIT;
			sdl_alloc_fail_at(n);
			rc = sdl_git_read_blob(&b, repo, revs[r], "dir/sub/deep.c", 1000);
			sdl_alloc_fail_at(0);
			if (rc == SDL_ENOMEM) {
				failures++;
				assert_int_equal(b.len, 0);
				assert_non_null(strstr(sdl_error_last(), "deep.c"));
			} else {
				assert_int_equal(rc, 0);
				assert_string_equal(b.ptr, "deep\n");
			}
			sdl_buf_release(&b);
		}
		assert_int_equal(rc, 0);
		assert_true(failures >= 1);
	}
	/* The not-found path of the index allocates a prefix to tell a directory. */
	{
		unsigned long n;
		int rc = SDL_ENOMEM, failures = 0;
		for (n = 1; n < 100 && rc == SDL_ENOMEM; n++) {
			struct sdl_buf b = SDL_BUF_INIT;
			sdl_alloc_fail_at(n);
			rc = sdl_git_read_blob(&b, repo, SDL_GIT_INDEX, "no/such/file", 1000);
			sdl_alloc_fail_at(0);
			assert_int_equal(b.len, 0);
			failures += rc == SDL_ENOMEM;
			sdl_buf_release(&b);
		}
		assert_int_equal(rc, SDL_ENOTFOUND);
		assert_true(failures >= 1);
	}
	git_repository_free(repo);
}

/* ---- error mapping ---- */

static void test_error_mapping(void **state)
{
	static const struct {
		int git_rc;
		int klass;
		int want;
	} cases[] = {
		{GIT_ENOTFOUND, GIT_ERROR_REFERENCE, SDL_ENOTFOUND},
		{GIT_EUNBORNBRANCH, GIT_ERROR_REFERENCE, SDL_ENOTFOUND},
		{GIT_EINVALIDSPEC, GIT_ERROR_INVALID, SDL_EINVAL},
		{GIT_EAMBIGUOUS, GIT_ERROR_ODB, SDL_EINVAL},
		{GIT_EPEEL, GIT_ERROR_OBJECT, SDL_EINVAL},
		{GIT_EBAREREPO, GIT_ERROR_REPOSITORY, SDL_EINVAL},
		{GIT_EOWNER, GIT_ERROR_CONFIG, SDL_EINVAL},
		{GIT_EUNMERGED, GIT_ERROR_INDEX, SDL_EINVAL},
		{GIT_EBUFS, GIT_ERROR_NONE, SDL_EINTERNAL},
		{GIT_EUSER, GIT_ERROR_CALLBACK, SDL_EINTERNAL},
		{GIT_ERROR, GIT_ERROR_NOMEMORY, SDL_ENOMEM},
		{GIT_ERROR, GIT_ERROR_OS, SDL_EIO},
		{GIT_ERROR, GIT_ERROR_INTERNAL, SDL_EINTERNAL},
		{GIT_ERROR, GIT_ERROR_THREAD, SDL_EINTERNAL},
		{GIT_ERROR, GIT_ERROR_ODB, SDL_EINVAL},
		{GIT_ERROR, GIT_ERROR_ZLIB, SDL_EINVAL},
		{GIT_ERROR, GIT_ERROR_REFERENCE, SDL_EINVAL},
		{GIT_ERROR, GIT_ERROR_INDEX, SDL_EINVAL},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		git_error_set_str(cases[i].klass == GIT_ERROR_NONE ? GIT_ERROR_INVALID
								   : cases[i].klass,
				  "the detail");
		assert_int_equal(sdl_git_error(cases[i].git_rc, "what"), cases[i].want);
		assert_int_equal(sdl_error_last_code(), cases[i].want);
		assert_string_equal(sdl_error_last(), "what: the detail");
	}
	/* No libgit2 message: the code is named instead. */
	git_error_clear();
	assert_int_equal(sdl_git_error(GIT_ENOTFOUND, "thing"), SDL_ENOTFOUND);
	assert_string_equal(sdl_error_last(), "thing: libgit2 error -3");
	git_error_clear();
	assert_int_equal(sdl_git_error(GIT_ERROR, NULL), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "git"));
}

static void test_init_refcount(void **state)
{
	git_repository *repo;
	(void)state;
	/* A second init/shutdown pair leaves libgit2 usable. */
	assert_int_equal(sdl_git_init(), 0);
	sdl_git_shutdown();
	repo = open_ok(at("repo"));
	expect_blob(repo, "HEAD", "a.txt", "v2\n");
	git_repository_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_root),
		cmocka_unit_test(test_open_subdirectory),
		cmocka_unit_test(test_open_worktree),
		cmocka_unit_test(test_open_outside),
		cmocka_unit_test(test_open_corrupt),
		cmocka_unit_test(test_open_ceiling),
		cmocka_unit_test(test_open_home_ceiling),
		cmocka_unit_test(test_open_bare),
		cmocka_unit_test(test_open_bad_args),
		cmocka_unit_test(test_open_alloc_failure),
		cmocka_unit_test(test_read_head_and_revs),
		cmocka_unit_test(test_read_appends),
		cmocka_unit_test(test_read_bad_revs),
		cmocka_unit_test(test_resolve_commit),
		cmocka_unit_test(test_read_bad_paths),
		cmocka_unit_test(test_read_tree_and_gitlink),
		cmocka_unit_test(test_read_size_limit),
		cmocka_unit_test(test_read_index),
		cmocka_unit_test(test_read_index_reloads),
		cmocka_unit_test(test_read_conflict),
		cmocka_unit_test(test_unborn_head),
		cmocka_unit_test(test_missing_blob),
		cmocka_unit_test(test_read_alloc_failure),
		cmocka_unit_test(test_error_mapping),
		cmocka_unit_test(test_init_refcount),
	};
	return cmocka_run_group_tests_name("lib/git", tests, group_setup, group_teardown);
}
