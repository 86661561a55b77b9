/*
 * Fuzz target: lib/fs.c, sdl_path_normalize() and sdl_path_join(), the
 * lexical guards against path traversal (CWE-22) every reader of repository
 * paths relies on.
 *
 * Input: "root\nrel" (or just "rel", joined onto a fixed root). Properties:
 *  - a normalised path is relative, has no empty, "." or ".." component and
 *    normalising it again changes nothing;
 *  - join succeeds exactly when normalize does (for a relative path), and
 *    yields root + "/" + normalize(rel): it never leaves root.
 */
#include "fuzz.h"

#include "lib/buf.h"
#include "lib/fs.h"

#include "lib/banned.h"

/* 1 if p (NUL-terminated) has no "", "." or ".." component and no leading '/'. */
static int path_is_clean(const char *p)
{
	const char *c = p;
	if (*p == '\0')
		return 1;
	for (;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (!end)
			return 1;
		c = end + 1;
	}
}

static void path_check_join(const char *root, const char *rel, int norm_ret,
			    const struct sdl_buf *norm)
{
	struct sdl_buf joined = SDL_BUF_INIT;
	size_t rlen = strlen(root);
	int ret;

	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	ret = sdl_path_join(&joined, root, rel);
	fuzz_check_error(ret);
	FUZZ_CHECK((ret == 0) == (norm_ret == 0));
	if (ret == 0) {
		/* root, then (unless rel is empty after normalising) one '/' and norm. */
		FUZZ_CHECK(joined.len >= rlen && memcmp(joined.ptr, root, rlen) == 0);
		if (norm->len == 0) {
			FUZZ_CHECK(joined.len == rlen);
		} else {
			size_t sep = (rlen == 1 && root[0] == '/') || rlen == 0 ? 0 : 1;
			FUZZ_CHECK(joined.len == rlen + sep + norm->len);
			FUZZ_CHECK(sep == 0 || joined.ptr[rlen] == '/');
			FUZZ_CHECK(memcmp(joined.ptr + rlen + sep, norm->ptr, norm->len) == 0);
		}
	} else {
		FUZZ_CHECK(joined.len == 0);
	}
	sdl_buf_release(&joined);
}

SDL_FUZZ_TARGET(path)
{
	char *input = fuzz_cstr(data, size);
	char *nl = strchr(input, '\n');
	const char *root = "/srv/repo", *rel = input;
	struct sdl_buf norm = SDL_BUF_INIT, again = SDL_BUF_INIT;
	int ret;

	if (nl) {
		*nl = '\0';
		root = input;
		rel = nl + 1;
	}

	ret = sdl_path_normalize(&norm, rel);
	fuzz_check_error(ret);
	if (ret == 0) {
		FUZZ_CHECK(strlen(norm.ptr) == norm.len);
		FUZZ_CHECK(path_is_clean(norm.ptr));
		FUZZ_CHECK(sdl_path_normalize(&again, norm.ptr) == 0);
		FUZZ_CHECK(again.len == norm.len && memcmp(again.ptr, norm.ptr, norm.len) == 0);
	} else {
		FUZZ_CHECK(norm.len == 0);
	}
	if (rel[0] != '/')
		path_check_join(root, rel, ret, &norm);
	else
		FUZZ_CHECK(ret == SDL_EINVAL);

	sdl_buf_release(&norm);
	sdl_buf_release(&again);
	free(input);
	return 0;
}
