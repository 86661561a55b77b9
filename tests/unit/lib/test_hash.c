/*
 * lib/hash: known-answer tests from FIPS 180-2 appendices B/C (SHA-256,
 * SHA-512: "abc", the 448-bit two-block message, one million 'a') plus the
 * empty message; incremental equals one-shot; files; failure paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs_testhooks.h"
#include "lib/hash.h"
#include "lib/banned.h"

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

struct kat {
	enum sdl_hash_alg alg;
	const char *msg; /* NULL: one million 'a' */
	const char *hex;
};

static const struct kat kats[] = {
	{ SDL_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ SDL_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ SDL_SHA256, MSG448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ SDL_SHA256, NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	{ SDL_SHA512, "abc",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ SDL_SHA512, "",
	  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
	{ SDL_SHA512, MSG448,
	  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
	  "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
	{ SDL_SHA512, NULL,
	  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
	  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
};

#define MILLION 1000000

static char *million_a(void)
{
	char *p = malloc(MILLION);
	assert_non_null(p);
	memset(p, 'a', MILLION);
	return p;
}

static const char *kat_msg(const struct kat *k, char *million, size_t *len)
{
	if (!k->msg) {
		*len = MILLION;
		return million;
	}
	*len = strlen(k->msg);
	return k->msg;
}

/* ---- scratch directory ------------------------------------------------ */

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
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sdl-test-hash-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	sdl_fs_test_after_fstat = NULL;
	sdl_alloc_fail_at(0);
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int count_fds(void)
{
	int n = 0;
	char p[64];
	int fd;
	for (fd = 0; fd < 1024; fd++) {
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		if (access(p, F_OK) == 0)
			n++;
	}
	return n;
}

/* ---- tests ------------------------------------------------------------ */

static void test_alg_names(void **state)
{
	(void)state;
	assert_string_equal(sdl_hash_alg_name(SDL_SHA256), "SHA-256");
	assert_string_equal(sdl_hash_alg_name(SDL_SHA512), "SHA-512");
	assert_string_equal(sdl_hash_alg_name((enum sdl_hash_alg)42), "unknown");
}

static void test_known_answers_buf(void **state)
{
	char *m = million_a();
	char hex[SDL_HASH_HEX_MAX];
	size_t i, len;
	(void)state;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const char *msg = kat_msg(&kats[i], m, &len);
		assert_int_equal(sdl_hash_buf(hex, kats[i].alg, msg, len), 0);
		assert_string_equal(hex, kats[i].hex);
	}
	/* Stays quiet on correct input, and differs on a one-bit change. */
	assert_int_equal(sdl_hash_buf(hex, SDL_SHA256, "abd", 3), 0);
	assert_string_not_equal(hex, kats[0].hex);
	free(m);
}

/* Incremental in uneven pieces (1, 2, 3, ... bytes) equals one-shot. */
static void test_incremental_equals_oneshot(void **state)
{
	char *m = million_a();
	char hex[SDL_HASH_HEX_MAX];
	struct sdl_hash_ctx *ctx;
	size_t i, len, off, step;
	(void)state;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const char *msg = kat_msg(&kats[i], m, &len);
		assert_int_equal(sdl_hash_begin(&ctx, kats[i].alg), 0);
		for (off = 0, step = 1; off < len; off += step, step = step * 3 + 1) {
			size_t n = len - off < step ? len - off : step;
			assert_int_equal(sdl_hash_update(ctx, msg + off, n), 0);
		}
		assert_int_equal(sdl_hash_update(ctx, "", 0), 0);
		assert_int_equal(sdl_hash_end(ctx, hex), 0);
		assert_string_equal(hex, kats[i].hex);
	}
	free(m);
}

static void test_abort(void **state)
{
	struct sdl_hash_ctx *ctx;
	(void)state;
	sdl_hash_abort(NULL);
	assert_int_equal(sdl_hash_begin(&ctx, SDL_SHA512), 0);
	assert_int_equal(sdl_hash_update(ctx, "x", 1), 0);
	sdl_hash_abort(ctx); /* ASan: no leak */
}

static void test_bad_alg(void **state)
{
	struct sdl_hash_ctx *ctx = (struct sdl_hash_ctx *)&ctx;
	char hex[SDL_HASH_HEX_MAX] = "junk";
	(void)state;
	assert_int_equal(sdl_hash_begin(&ctx, (enum sdl_hash_alg)7), SDL_EINVAL);
	assert_null(ctx);
	assert_int_equal(sdl_hash_buf(hex, (enum sdl_hash_alg)7, "a", 1), SDL_EINVAL);
	assert_string_equal(hex, "");
	assert_non_null(strstr(sdl_error_last(), "unknown hash algorithm"));
}

static void test_alloc_failure(void **state)
{
	char hex[SDL_HASH_HEX_MAX];
	struct sdl_hash_ctx *ctx;
	unsigned long n;
	int err;
	(void)state;

	/* Our context is the only allocation through the wrappers. */
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_hash_begin(&ctx, SDL_SHA256);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_null(ctx);
		assert_int_equal(sdl_error_last_code(), SDL_ENOMEM);
	}
	assert_int_equal(n, 2);
	sdl_hash_abort(ctx);

	for (n = 1;; n++) {
		hex[0] = 'x';
		sdl_alloc_fail_at(n);
		err = sdl_hash_buf(hex, SDL_SHA256, "abc", 3);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_string_equal(hex, "");
	}
	assert_string_equal(hex, kats[0].hex);
}

static void test_alloc_failure_file(void **state)
{
	char p[128], hex[SDL_HASH_HEX_MAX];
	unsigned long n;
	int fds = count_fds(), err;
	(void)state;

	path_in(p, sizeof(p), "f");
	write_file(p, "abc", 3);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		err = sdl_hash_file(hex, SDL_SHA256, p);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_int_equal(count_fds(), fds);
	}
	assert_string_equal(hex, kats[0].hex);
}

static void test_file_known_answers(void **state)
{
	char *m = million_a();
	char p[128], hex[SDL_HASH_HEX_MAX];
	size_t i, len;
	int fds = count_fds();
	(void)state;

	path_in(p, sizeof(p), "kat");
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const char *msg = kat_msg(&kats[i], m, &len);
		write_file(p, msg, len);
		assert_int_equal(sdl_hash_file(hex, kats[i].alg, p), 0);
		assert_string_equal(hex, kats[i].hex);
	}
	assert_int_equal(count_fds(), fds);
	free(m);
}

/* Larger than one read chunk and not a multiple of it. */
static void test_file_multi_chunk(void **state)
{
	size_t len = 3 * 65536 + 17, i;
	unsigned char *data = malloc(len);
	char p[128], a[SDL_HASH_HEX_MAX], b[SDL_HASH_HEX_MAX];
	(void)state;

	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	path_in(p, sizeof(p), "big");
	write_file(p, data, len);
	assert_int_equal(sdl_hash_buf(a, SDL_SHA512, data, len), 0);
	assert_int_equal(sdl_hash_file(b, SDL_SHA512, p), 0);
	assert_string_equal(a, b);
	free(data);
}

static void test_file_errors(void **state)
{
	char p[128], hex[SDL_HASH_HEX_MAX];
	int fds = count_fds();
	(void)state;

	path_in(p, sizeof(p), "missing");
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_ENOTFOUND);
	assert_non_null(strstr(sdl_error_last(), p));
	assert_string_equal(hex, "");

	/* A path through a file is "not found" too. */
	path_in(p, sizeof(p), "plain");
	write_file(p, "x", 1);
	path_in(p, sizeof(p), "plain/below");
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_ENOTFOUND);

	/* A directory. */
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, tmpdir), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), tmpdir));

	/* A device. */
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, "/dev/null"), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "not a regular file"));

	/* A FIFO with no writer: refused at once, not a hang. */
	path_in(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), p));

	/* A symlink loop. */
	path_in(p, sizeof(p), "loop");
	assert_int_equal(symlink("loop", p), 0);
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EINVAL);

	assert_int_equal(count_fds(), fds);
}

static off_t shrink_to;

static void shrink_hook(const char *path, int fd)
{
	(void)fd;
	assert_int_equal(truncate(path, shrink_to), 0);
}

static void vanish_hook(const char *path, int fd)
{
	/* Unlinking does not change what the open fd reads; truncating first does. */
	(void)fd;
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(unlink(path), 0);
}

static void grow_hook(const char *path, int fd)
{
	FILE *f = fopen(path, "ab");
	(void)fd;
	assert_non_null(f);
	fputs("more", f);
	fclose(f);
}

/* A file truncated between fstat() and read(), deterministically via the hook. */
static void test_file_changes_while_read(void **state)
{
	char p[128], hex[SDL_HASH_HEX_MAX];
	static char data[200000];
	int fds = count_fds();
	(void)state;

	memset(data, 'z', sizeof(data));
	path_in(p, sizeof(p), "shrinks");

	write_file(p, data, sizeof(data));
	shrink_to = 70000;
	sdl_fs_test_after_fstat = shrink_hook;
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EIO);
	assert_non_null(strstr(sdl_error_last(), p));
	assert_non_null(strstr(sdl_error_last(), "changed while it was read"));
	assert_string_equal(hex, "");

	write_file(p, data, sizeof(data));
	sdl_fs_test_after_fstat = vanish_hook;
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EIO);
	assert_non_null(strstr(sdl_error_last(), p));

	write_file(p, data, 10);
	sdl_fs_test_after_fstat = grow_hook;
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EIO);

	/* The other side: the hook doing nothing leaves a good digest. */
	write_file(p, data, 10);
	shrink_to = 10;
	sdl_fs_test_after_fstat = shrink_hook;
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), 0);
	sdl_fs_test_after_fstat = NULL;

	assert_int_equal(count_fds(), fds);
}

/* A real-world short file: sysfs reports st_size 4096 for a few bytes. */
static void test_sysfs_size_mismatch(void **state)
{
	const char *p = "/sys/kernel/mm/transparent_hugepage/enabled";
	char hex[SDL_HASH_HEX_MAX];
	struct stat st;
	(void)state;

	if (stat(p, &st) < 0 || st.st_size != 4096)
		skip();
	assert_int_equal(sdl_hash_file(hex, SDL_SHA256, p), SDL_EIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alg_names),
		cmocka_unit_test(test_known_answers_buf),
		cmocka_unit_test(test_incremental_equals_oneshot),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_bad_alg),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test_setup_teardown(test_alloc_failure_file, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_known_answers, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_multi_chunk, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_errors, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_changes_while_read, setup_dir,
						teardown_dir),
		cmocka_unit_test(test_sysfs_size_mismatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
