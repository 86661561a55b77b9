/*
 * SHA-256 and SHA-512 through OpenSSL's libcrypto (EVP), never by hand.
 * Digests are returned as lowercase hex strings.
 */
#ifndef SDL_HASH_H
#define SDL_HASH_H

#include <stddef.h>

enum sdl_hash_alg { SDL_SHA256, SDL_SHA512 };

/* Room for the longest hex digest and its terminator. */
#define SDL_HASH_HEX_MAX 129

/* Name as used in CycloneDX/SPDX ("SHA-256", "SHA-512"). */
const char *sdl_hash_alg_name(enum sdl_hash_alg alg);

/* Hex digest of a buffer into out (SDL_HASH_HEX_MAX bytes). */
int sdl_hash_buf(char out[SDL_HASH_HEX_MAX], enum sdl_hash_alg alg,
		 const void *data, size_t len);

/*
 * Hex digest of the file at path, streamed. Fails with SDL_ENOTFOUND if it
 * does not exist, SDL_EINVAL if it is not a regular file, SDL_EIO on a read
 * error (including the file vanishing or shrinking while read).
 */
int sdl_hash_file(char out[SDL_HASH_HEX_MAX], enum sdl_hash_alg alg, const char *path);

/* Incremental hashing, for digests over several pieces (cache keys). */
struct sdl_hash_ctx;
int sdl_hash_begin(struct sdl_hash_ctx **out, enum sdl_hash_alg alg);
int sdl_hash_update(struct sdl_hash_ctx *ctx, const void *data, size_t len);
/* Writes the hex digest and frees ctx (also on failure). */
int sdl_hash_end(struct sdl_hash_ctx *ctx, char out[SDL_HASH_HEX_MAX]);
/* Frees ctx without a digest (on an error path). NULL is fine. */
void sdl_hash_abort(struct sdl_hash_ctx *ctx);

#endif
