/*
 * SHA-256 / SHA-512 through OpenSSL's EVP interface (FIPS 180-4 algorithms;
 * we never implement them by hand).
 */
#include "lib/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/fs_testhooks.h"
#include "lib/banned.h"

/* Read size for sdl_hash_file(): large enough to amortise syscalls. */
#define SDL_HASH_CHUNK ((size_t)64 << 10)

struct sdl_hash_ctx {
	EVP_MD_CTX *md;
	enum sdl_hash_alg alg;
};

const char *sdl_hash_alg_name(enum sdl_hash_alg alg)
{
	switch (alg) {
	case SDL_SHA256:
		return "SHA-256";
	case SDL_SHA512:
		return "SHA-512";
	}
	return "unknown";
}

static const EVP_MD *md_for(enum sdl_hash_alg alg)
{
	switch (alg) {
	case SDL_SHA256:
		return EVP_sha256();
	case SDL_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

void sdl_hash_abort(struct sdl_hash_ctx *ctx)
{
	if (!ctx)
		return;
	EVP_MD_CTX_free(ctx->md);
	sdl_free(ctx);
}

int sdl_hash_begin(struct sdl_hash_ctx **out, enum sdl_hash_alg alg)
{
	const EVP_MD *md = md_for(alg);
	struct sdl_hash_ctx *ctx;

	*out = NULL;
	if (!md)
		return sdl_error_set(SDL_EINVAL, "unknown hash algorithm %d", (int)alg);
	ctx = sdl_malloc(sizeof(*ctx));
	if (!ctx)
		return SDL_ENOMEM;
	ctx->alg = alg;
	ctx->md = EVP_MD_CTX_new();
	if (!ctx->md) {
		sdl_free(ctx);
		return sdl_error_set(SDL_ENOMEM, "out of memory (hash context)");
	}
	if (EVP_DigestInit_ex(ctx->md, md, NULL) != 1) {
		sdl_hash_abort(ctx);
		return sdl_error_set(SDL_EINTERNAL, "%s: digest initialisation failed",
				     sdl_hash_alg_name(alg));
	}
	*out = ctx;
	return 0;
}

int sdl_hash_update(struct sdl_hash_ctx *ctx, const void *data, size_t len)
{
	if (!len)
		return 0;
	if (EVP_DigestUpdate(ctx->md, data, len) != 1)
		return sdl_error_set(SDL_EINTERNAL, "%s: digest update failed",
				     sdl_hash_alg_name(ctx->alg));
	return 0;
}

int sdl_hash_end(struct sdl_hash_ctx *ctx, char out[SDL_HASH_HEX_MAX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	int ret = 0;

	out[0] = '\0';
	if (EVP_DigestFinal_ex(ctx->md, digest, &n) != 1 || n * 2 >= SDL_HASH_HEX_MAX) {
		ret = sdl_error_set(SDL_EINTERNAL, "%s: digest finalisation failed",
				    sdl_hash_alg_name(ctx->alg));
		goto done;
	}
	for (i = 0; i < n; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[2 * n] = '\0';
done:
	sdl_hash_abort(ctx);
	return ret;
}

int sdl_hash_buf(char out[SDL_HASH_HEX_MAX], enum sdl_hash_alg alg,
		 const void *data, size_t len)
{
	struct sdl_hash_ctx *ctx;
	int err;

	out[0] = '\0';
	err = sdl_hash_begin(&ctx, alg);
	if (err < 0)
		return err;
	err = sdl_hash_update(ctx, data, len);
	if (err < 0) {
		sdl_hash_abort(ctx);
		return err;
	}
	return sdl_hash_end(ctx, out);
}

int sdl_hash_file(char out[SDL_HASH_HEX_MAX], enum sdl_hash_alg alg, const char *path)
{
	unsigned char chunk[SDL_HASH_CHUNK];
	struct sdl_hash_ctx *ctx = NULL;
	struct stat st;
	uint64_t total = 0;
	int fd = -1, ret;
	ssize_t n;

	out[0] = '\0';
	ret = sdl_fs_open_regular(&fd, &st, path);
	if (ret < 0)
		return ret;
	if (sdl_fs_test_after_fstat)
		sdl_fs_test_after_fstat(path, fd);
	ret = sdl_hash_begin(&ctx, alg);
	if (ret < 0)
		goto done;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = sdl_error_set_errno(SDL_EIO, errno, "%s: read failed", path);
			goto done;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		ret = sdl_hash_update(ctx, chunk, (size_t)n);
		if (ret < 0) {
			sdl_error_wrap(ret, "%s", path);
			goto done;
		}
	}
	/*
	 * A digest of a file that changed under us names no version of it:
	 * refuse rather than record a hash of half-old, half-new bytes.
	 */
	if (total != (uint64_t)st.st_size) {
		ret = sdl_error_set(SDL_EIO,
				    "%s: file changed while it was read (size %lld, read %llu bytes)",
				    path, (long long)st.st_size, (unsigned long long)total);
		goto done;
	}
	ret = sdl_hash_end(ctx, out);
	ctx = NULL;
	if (ret < 0)
		sdl_error_wrap(ret, "%s", path);
done:
	sdl_hash_abort(ctx);
	if (fd >= 0)
		close(fd);
	return ret;
}
