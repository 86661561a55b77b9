/*
 * The result cache. An entry is named by a key over the tool and analyzer
 * revision, libclang's version, the rule pack, the options that change
 * results, the file and its flags; it records the content hash of every file
 * the parse read (the TU and all it includes) and the TU's raw findings. A
 * hit needs every recorded hash to match the file on disk now, so a second
 * run over an unchanged tree parses nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "cache.h"
#include "report.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/version.h"
#include "lib/banned.h"

#define AZ_CACHE_MAX_BYTES ((size_t)64 << 20)

/* ---- file hashes, computed once per run and shared by the threads ---- */

struct memo { char *path; char hash[SDL_HASH_HEX_MAX]; int ok; };

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo *memo;
static size_t nmemo, capmemo;

void az_cache_forget(void)
{
	pthread_mutex_lock(&memo_lock);
	for (size_t i = 0; i < nmemo; i++)
		sdl_free(memo[i].path);
	sdl_free(memo);
	memo = NULL;
	nmemo = capmemo = 0;
	pthread_mutex_unlock(&memo_lock);
}

/* Hash of the file at path now; 0 on success, negative if unreadable. */
static int file_hash(const char *path, char out[SDL_HASH_HEX_MAX])
{
	int ret;
	pthread_mutex_lock(&memo_lock);
	for (size_t i = 0; i < nmemo; i++)
		if (!strcmp(memo[i].path, path)) {
			ret = memo[i].ok ? 0 : SDL_ENOTFOUND;
			memcpy(out, memo[i].hash, SDL_HASH_HEX_MAX);
			pthread_mutex_unlock(&memo_lock);
			return ret;
		}
	pthread_mutex_unlock(&memo_lock);

	ret = sdl_hash_file(out, SDL_SHA256, path);
	if (ret < 0) {
		out[0] = '\0';
		sdl_error_clear();
	}

	pthread_mutex_lock(&memo_lock);
	if (nmemo == capmemo) {
		size_t n = capmemo ? capmemo * 2 : 256;
		struct memo *m = sdl_reallocarray(memo, n, sizeof *m);
		if (!m) {
			pthread_mutex_unlock(&memo_lock);
			return ret < 0 ? ret : 0;
		}
		memo = m;
		capmemo = n;
	}
	memo[nmemo].path = sdl_strdup(path);
	if (memo[nmemo].path) {
		memcpy(memo[nmemo].hash, out, SDL_HASH_HEX_MAX);
		memo[nmemo].ok = ret >= 0;
		nmemo++;
	}
	pthread_mutex_unlock(&memo_lock);
	return ret < 0 ? ret : 0;
}

/* The analyzer binary itself: a rebuilt checker never reuses old results. */
static char self_hash[SDL_HASH_HEX_MAX];

void az_cache_init(void)
{
	if (sdl_hash_file(self_hash, SDL_SHA256, "/proc/self/exe") < 0) {
		self_hash[0] = '\0';
		sdl_error_clear();
	}
}

int az_cache_key(char out[SDL_HASH_HEX_MAX], const struct az_opts *opts, const char *file,
		 char *const *args, int nargs)
{
	struct sdl_hash_ctx *h = NULL;
	int ret = sdl_hash_begin(&h, SDL_SHA256);
	char ver[256];
	if (ret < 0)
		return ret;
	az_str(clang_getClangVersion(), ver, sizeof ver);
	const char *parts[] = { AZ_TOOL_NAME, SDL_VERSION, AZ_ANALYZER_REVISION, self_hash, ver,
				opts->pack->hash, opts->audit ? "audit" : "default", opts->root,
				file };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && !ret; i++)
		ret = sdl_hash_update(h, parts[i], strlen(parts[i]) + 1);
	for (int i = 0; i < nargs && !ret; i++)
		ret = sdl_hash_update(h, args[i], strlen(args[i]) + 1);
	if (ret < 0) {
		sdl_hash_abort(h);
		return ret;
	}
	return sdl_hash_end(h, out);
}

static void entry_path(char *buf, size_t size, const char *dir, const char *key)
{
	snprintf(buf, size, "%s/%.2s/%s.json", dir, key, key + 2);
}

static int strv_from_json(char ***v, size_t *n, const cJSON *arr)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return SDL_EINVAL;
		int ret = az_strv_push(v, n, it->valuestring);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int az_cache_lookup(struct az_tu_result *out, const char *dir, const char *key)
{
	char path[4096];
	cJSON *json = NULL;
	int ret;
	entry_path(path, sizeof path, dir, key);
	if (!sdl_fs_is_file(path))
		return 1;
	struct sdl_json_limits lim = { AZ_CACHE_MAX_BYTES, 8 };
	ret = sdl_json_load_file(&json, path, &lim);
	if (ret < 0) {
		sdl_error_clear();
		return 1; /* a damaged entry is a miss */
	}
	const cJSON *deps = sdl_json_arr(json, "deps"), *d;
	ret = 0;
	cJSON_ArrayForEach(d, deps) {
		const cJSON *p = cJSON_GetArrayItem(d, 0), *h = cJSON_GetArrayItem(d, 1);
		char now[SDL_HASH_HEX_MAX];
		if (!cJSON_IsString(p) || !cJSON_IsString(h) ||
		    file_hash(p->valuestring, now) < 0 || strcmp(now, h->valuestring)) {
			ret = 1;
			break;
		}
	}
	if (ret || !deps)
		goto miss;
	ret = strv_from_json(&out->files, &out->nfiles, sdl_json_arr(json, "files"));
	if (!ret) {
		cJSON_ArrayForEach(d, deps) {
			ret = az_strv_push(&out->deps, &out->ndeps, cJSON_GetArrayItem(d, 0)->valuestring);
			if (ret)
				break;
		}
	}
	const cJSON *f;
	cJSON_ArrayForEach(f, sdl_json_arr(json, "findings")) {
		enum sdl_level lv = SDL_LEVEL_WARNING;
		const char *rule = sdl_json_str(f, "rule"), *msg = sdl_json_str(f, "message");
		if (ret || !rule || !msg) {
			ret = ret ? ret : 1;
			break;
		}
		sdl_level_parse(&lv, sdl_json_str(f, "level"));
		ret = sdl_findings_add(&out->findings, rule, lv, sdl_json_str(f, "path"),
				       (unsigned)sdl_json_num(f, "line", 0),
				       (unsigned)sdl_json_num(f, "column", 0), msg,
				       sdl_json_str(f, "function"));
	}
	if (ret)
		goto miss;
	cJSON_Delete(json);
	return 0;
miss:
	cJSON_Delete(json);
	az_strv_free(out->files, out->nfiles);
	az_strv_free(out->deps, out->ndeps);
	out->files = out->deps = NULL;
	out->nfiles = out->ndeps = 0;
	sdl_findings_release(&out->findings);
	sdl_findings_init(&out->findings);
	return ret < 0 ? ret : 1;
}

int az_cache_store(const char *dir, const char *key, const char *main_file,
		   const struct az_tu_result *r)
{
	cJSON *json = cJSON_CreateObject(), *deps = NULL, *files = NULL, *fs = NULL;
	struct sdl_buf out = SDL_BUF_INIT;
	char path[4096], sub[4096];
	int ret = json ? 0 : SDL_ENOMEM;

	if (!ret)
		ret = sdl_json_add(json, "deps", deps = cJSON_CreateArray());
	/* the TU itself first, then everything it includes */
	for (size_t i = 0; i <= r->ndeps && !ret; i++) {
		const char *p = i == 0 ? main_file : r->deps[i - 1];
		char h[SDL_HASH_HEX_MAX];
		if (i > 0 && !strcmp(p, main_file))
			continue;
		if (file_hash(p, h) < 0) {
			ret = 1; /* a file vanished: do not cache */
			break;
		}
		cJSON *pair = cJSON_CreateArray();
		ret = sdl_json_add(deps, NULL, pair);
		if (!ret)
			ret = sdl_json_add(pair, NULL, cJSON_CreateString(p));
		if (!ret)
			ret = sdl_json_add(pair, NULL, cJSON_CreateString(h));
	}
	if (!ret)
		ret = sdl_json_add(json, "files", files = cJSON_CreateArray());
	for (size_t i = 0; i < r->nfiles && !ret; i++)
		ret = sdl_json_add(files, NULL, cJSON_CreateString(r->files[i]));
	if (!ret)
		ret = sdl_json_add(json, "findings", fs = cJSON_CreateArray());
	for (size_t i = 0; i < r->findings.count && !ret; i++) {
		ret = az_finding_to_json(fs, &r->findings.items[i], 1);
	}
	if (!ret)
		ret = sdl_json_render(&out, json);
	if (!ret) {
		snprintf(sub, sizeof sub, "%s/%.2s", dir, key);
		entry_path(path, sizeof path, dir, key);
		ret = sdl_fs_mkdirs(sub);
		if (!ret)
			ret = sdl_fs_write_atomic(path, out.ptr, out.len);
	}
	cJSON_Delete(json);
	sdl_buf_release(&out);
	return ret < 0 ? ret : 0;
}
