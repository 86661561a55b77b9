/*
 * sdl-gate: the evidence package (docs/gate.md, "Evidence package").
 *
 * A directory holding every input the decision used (inputs/<repo path>),
 * the decision and its reports, and manifest.json with the size and SHA-256
 * of every other file, the tool and library versions, the release commit and
 * the policy digest. Optionally manifest.sig: an Ed25519 signature over the
 * manifest's bytes (OpenSSL EVP, RFC 8032 PureEdDSA), hex encoded.
 *
 * Writing is all or nothing: the package is built in a fresh sibling
 * directory and renamed into place; an existing package at the target is
 * replaced only after the new one is complete. Verification recomputes every
 * digest and reports each changed, missing or added file by name.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <git2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef SDL_GATE_HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif
#include <fcntl.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/version.h"
#include "lib/banned.h"

#define MANIFEST "manifest.json"
#define SIGNATURE "manifest.sig"
#define PACKAGE_MAX_FILES 100000
#define PACKAGE_MAX_MANIFEST ((size_t)16 << 20)
#define PACKAGE_MAX_KEY ((size_t)64 << 10)

/* ---------- helpers ---------- */

/*
 * Empty the directory open as fd (which this takes over) and everything below
 * it. Never follows a symbolic link: entries are classified with
 * fstatat(AT_SYMLINK_NOFOLLOW) and subdirectories opened O_NOFOLLOW.
 * Allocation-free on our side (no sdl_malloc): it runs on the failure paths,
 * including out-of-memory, where every later sdl_malloc fails too.
 */
static void empty_dir_fd(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub;
			if (depth >= SDL_WALK_MAX_DEPTH)
				continue;
			sub = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			empty_dir_fd(sub, depth + 1);
			unlinkat(dirfd(d), n, AT_REMOVEDIR);
		} else {
			unlinkat(dirfd(d), n, 0);
		}
	}
	closedir(d);
}

/* rm -r of a directory we created (never follows symlinks, never allocates). */
static void remove_tree(const char *dir)
{
	int saved_errno = errno;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		empty_dir_fd(fd, 0);
	rmdir(dir);
	errno = saved_errno;
}

static int hex_encode(struct sdl_buf *out, const unsigned char *b, size_t n)
{
	int ret = 0;
	for (size_t i = 0; ret == 0 && i < n; i++)
		ret = sdl_buf_printf(out, "%02x", b[i]);
	return ret;
}

static int crypto_err(const char *what, const char *file)
{
	return sdl_error_set(SDL_EINVAL, "%s: %s", file, what);
}

static int load_key(EVP_PKEY **out, const char *path, int private_key)
{
	struct sdl_buf pem = SDL_BUF_INIT;
	BIO *bio = NULL;
	int ret;
	*out = NULL;
	if ((ret = sdl_fs_read_file(&pem, path, PACKAGE_MAX_KEY)) < 0)
		goto done;
	bio = BIO_new_mem_buf(pem.ptr, (int)pem.len);
	if (!bio) {
		ret = sdl_error_set(SDL_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	*out = private_key ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
			   : PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	if (!*out) {
		ret = crypto_err(private_key ? "not a PEM private key" : "not a PEM public key", path);
		goto done;
	}
	if (EVP_PKEY_get_id(*out) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(*out);
		*out = NULL;
		ret = crypto_err("not an Ed25519 key", path);
		goto done;
	}
	ret = 0;
done:
	BIO_free(bio);
	OPENSSL_cleanse(pem.ptr, pem.len);
	sdl_buf_release(&pem);
	return ret;
}

static int sign(struct sdl_buf *hex, const char *keyfile, const char *msg, size_t len)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char sig[64];
	size_t siglen = sizeof(sig);
	int ret;
	if ((ret = load_key(&key, keyfile, 1)) < 0)
		return ret;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)msg, len) != 1)
		ret = crypto_err("signing the manifest failed", keyfile);
	else
		ret = hex_encode(hex, sig, siglen);
	if (ret == 0)
		ret = sdl_buf_putc(hex, '\n');
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ret;
}

/* 1 if valid, 0 if not, negative on unusable key. */
static int verify_sig(const char *keyfile, const char *hex, const char *msg, size_t len)
{
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char sig[64];
	size_t n = 0;
	int ret;
	if ((ret = load_key(&key, keyfile, 0)) < 0)
		return ret;
	for (const char *p = hex; n < sizeof(sig) && p[0] && p[1] && p[0] != '\n'; p += 2) {
		unsigned v;
		if (sscanf(p, "%2x", &v) != 1)
			break;
		sig[n++] = (unsigned char)v;
	}
	ctx = EVP_MD_CTX_new();
	ret = 0;
	if (n == sizeof(sig) && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, n, (const unsigned char *)msg, len) == 1)
		ret = 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ret;
}

static int write_in(const char *root, const char *rel, const void *data, size_t len)
{
	struct sdl_buf p = SDL_BUF_INIT;
	char *slash;
	int ret = sdl_path_join(&p, root, rel);
	if (ret == 0 && (slash = strrchr(p.ptr, '/')) != NULL) {
		*slash = 0;
		ret = sdl_fs_mkdirs(p.ptr);
		*slash = '/';
	}
	if (ret == 0)
		ret = sdl_fs_write_atomic(p.ptr, data, len);
	sdl_buf_release(&p);
	return ret;
}

struct pfile {
	char *path;
	char sha256[SDL_HASH_HEX_MAX];
	size_t size;
};

static int add_file(struct pfile **files, size_t *n, const char *path, const void *data,
		    size_t len)
{
	struct pfile *v = sdl_reallocarray(*files, *n + 1, sizeof(**files));
	int ret;
	if (!v)
		return SDL_ENOMEM;
	*files = v;
	memset(&v[*n], 0, sizeof(v[*n]));
	if ((ret = sdl_hash_buf(v[*n].sha256, SDL_SHA256, data, len)) < 0)
		return ret;
	v[*n].path = sdl_strdup(path);
	if (!v[*n].path)
		return SDL_ENOMEM;
	v[*n].size = len;
	(*n)++;
	return 0;
}

static int cmp_pfile(const void *a, const void *b)
{
	return strcmp(((const struct pfile *)a)->path, ((const struct pfile *)b)->path);
}

static int versions(cJSON *obj)
{
	int major, minor, rev, ret;
	char buf[128];
	git_libgit2_version(&major, &minor, &rev);
	snprintf(buf, sizeof(buf), "%d.%d.%d", major, minor, rev);
	if ((ret = sdl_json_add_str(obj, "sdl-gate", SDL_VERSION)) < 0 ||
	    (ret = sdl_json_add_str(obj, "libgit2", buf)) < 0 ||
	    (ret = sdl_json_add_str(obj, "cJSON", cJSON_Version())) < 0 ||
	    (ret = sdl_json_add_str(obj, "expat", XML_ExpatVersion())) < 0 ||
	    (ret = sdl_json_add_str(obj, "openssl", OpenSSL_version(OPENSSL_VERSION))) < 0)
		return ret;
	if (pcre2_config(PCRE2_CONFIG_VERSION, buf) > 0)
		ret = sdl_json_add_str(obj, "pcre2", buf);
	return ret;
}

/* ---------- writing ---------- */

/*
 * The package target as given, made canonical at its end: "evidence/",
 * "evidence//" and "evidence/." all name "evidence" (a trailing slash made
 * the package land inside the target, then fail to rename over it). A target
 * whose last component is "." or ".." names an existing directory that is
 * not ours to replace.
 */
static int target_name(char **out, const char *given)
{
	size_t n = strlen(given);
	char *t;
	*out = NULL;
	for (;;) {
		while (n > 1 && given[n - 1] == '/')
			n--;
		if (n >= 2 && given[n - 1] == '.' && given[n - 2] == '/')
			n -= 2;
		else
			break;
	}
	if (n == 0 || (n == 1 && given[0] == '/') || (n == 1 && given[0] == '.') ||
	    (n == 2 && !strncmp(given, "..", 2)) || (n >= 3 && !strncmp(given + n - 3, "/..", 3)))
		return sdl_error_set(SDL_EUSAGE,
				     "%s: name a new directory or an earlier package, not this one",
				     given);
	if (!(t = sdl_malloc(n + 1)))
		return SDL_ENOMEM;
	memcpy(t, given, n);
	t[n] = 0;
	*out = t;
	return 0;
}

/* Remove the (empty) directories make_parents() created for path. */
static void undo_parents(const char *path, const char *top)
{
	char stack[4096], *p;
	size_t keep, len;
	if (!top)
		return;
	/* a failure path, possibly out of memory: use the stack when the path fits */
	len = strlen(path);
	if (len < sizeof(stack)) {
		memcpy(stack, path, len + 1);
		p = stack;
	} else if (!(p = sdl_strdup(path))) {
		return;
	}
	keep = strlen(top);
	for (char *slash = strrchr(p, '/'); slash && (size_t)(slash - p) >= keep;
	     slash = strrchr(p, '/')) {
		*slash = 0;
		if (rmdir(p) != 0 && errno != ENOENT)
			break;
	}
	if (p != stack)
		sdl_free(p);
}

/*
 * mkdir -p the directory that will hold path; *top receives the outermost
 * directory this created (NULL if none), for undo_parents() on failure.
 */
static int make_parents(const char *path, char **top)
{
	char *parent, *slash;
	int ret = 0;
	*top = NULL;
	if (!(parent = sdl_strdup(path)))
		return SDL_ENOMEM;
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = 0;
		for (char *c = parent + 1;; c++) {
			if (*c == '/' || *c == 0) {
				char save = *c;
				*c = 0;
				if (access(parent, F_OK) != 0) {
					if (!(*top = sdl_strdup(parent)))
						ret = SDL_ENOMEM;
					*c = save;
					break;
				}
				*c = save;
				if (!save)
					break;
			}
		}
		if (ret == 0 && *top && (ret = sdl_fs_mkdirs(parent)) < 0)
			undo_parents(path, *top); /* mkdirs may have made a few levels */
	}
	if (ret < 0) {
		sdl_free(*top);
		*top = NULL;
	}
	sdl_free(parent);
	return ret;
}

static int write_dir_package(const struct gate_eval *ev, const char *dir, const char *sign_key,
			     const cJSON *previous, char digest_out[SDL_HASH_HEX_MAX])
{
	struct sdl_buf tmpl = SDL_BUF_INIT, b = SDL_BUF_INIT, mf = SDL_BUF_INIT, sig = SDL_BUF_INIT,
		       old = SDL_BUF_INIT, ipath = SDL_BUF_INIT;
	struct pfile *files = NULL;
	size_t nfiles = 0;
	char *tmp = NULL, *top = NULL;
	cJSON *man = NULL, *o, *arr;
	char when[32];
	int ret, have_old = 0, was_empty = 0;
	mode_t empty_mode = 0;
	struct stat st;

	/* a control character never reaches the manifest: verify refuses such paths */
	for (size_t i = 0; i < ev->ninputs; i++)
		if (gate_text_needs_escape(ev->inputs[i].name)) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: an evidence file name with a control character "
					    "cannot be packaged",
					    ev->inputs[i].name);
			goto done;
		}

	/* the target must be absent, empty, or an earlier package: never clobber other data */
	if (sdl_fs_is_dir(dir)) {
		struct sdl_buf m = SDL_BUF_INIT;
		int is_pkg = sdl_buf_printf(&m, "%s/" MANIFEST, dir) == 0 && sdl_fs_is_file(m.ptr);
		sdl_buf_release(&m);
		if (!is_pkg) {
			empty_mode = stat(dir, &st) == 0 ? (st.st_mode & 07777) : 0755;
			if (rmdir(dir) != 0) {
				ret = sdl_error_set(SDL_EINVAL,
						    "%s: exists and is not an evidence package; refusing to replace it",
						    dir);
				goto done;
			}
			was_empty = 1; /* put back if this fails */
		}
		have_old = is_pkg;
	} else if (access(dir, F_OK) == 0) {
		ret = sdl_error_set(SDL_EINVAL, "%s: exists and is not a directory", dir);
		goto done;
	}
	if ((ret = make_parents(dir, &top)) < 0)
		goto done;
	if ((ret = sdl_buf_printf(&tmpl, "%s.tmp-XXXXXX", dir)) < 0)
		goto done;
	if (!mkdtemp(tmpl.ptr)) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot create a temporary directory",
					  tmpl.ptr);
		goto done;
	}
	tmp = tmpl.ptr;

	/* every input, re-read and checked against the digest the decision used */
	for (size_t i = 0; i < ev->ninputs; i++) {
		const struct gate_input *in = &ev->inputs[i];
		char now[SDL_HASH_HEX_MAX];
		sdl_buf_clear(&b);
		sdl_buf_clear(&ipath);
		if ((ret = sdl_fs_read_file(&b, in->path, GATE_MAX_EVIDENCE_BYTES)) < 0 ||
		    (ret = sdl_hash_buf(now, SDL_SHA256, b.ptr, b.len)) < 0)
			goto done;
		if (strcmp(now, in->sha256) != 0) {
			ret = sdl_error_set(SDL_EIO, "%s: changed while the gate was running", in->name);
			goto done;
		}
		if ((ret = sdl_buf_printf(&ipath, "inputs/%s", in->name)) < 0 ||
		    (ret = write_in(tmp, ipath.ptr, b.ptr, b.len)) < 0 ||
		    (ret = add_file(&files, &nfiles, ipath.ptr, b.ptr, b.len)) < 0)
			goto done;
	}
#define OUTPUT(name, render)                                                              \
	do {                                                                              \
		sdl_buf_clear(&b);                                                        \
		if ((ret = (render)) < 0 || (ret = write_in(tmp, name, b.ptr, b.len)) < 0 || \
		    (ret = add_file(&files, &nfiles, name, b.ptr, b.len)) < 0)            \
			goto done;                                                        \
	} while (0)
	OUTPUT("decision.json", gate_render_json(&b, ev));
	OUTPUT("report.md", gate_render_md(&b, ev));
	OUTPUT("report.html", gate_render_html(&b, ev, previous));
	OUTPUT("junit.xml", gate_render_junit(&b, ev));
	OUTPUT("gate.sarif", gate_render_sarif(&b, ev));
	if (ev->git_range)
		OUTPUT("git-range.json", sdl_json_render(&b, ev->git_range));
#undef OUTPUT
	qsort(files, nfiles, sizeof(*files), cmp_pfile);

	sdl_json_init();
	if (!(man = cJSON_CreateObject())) {
		ret = SDL_ENOMEM;
		goto done;
	}
	gate_format_time(when, sizeof(when), ev->now);
	if ((ret = sdl_json_add_str(man, "schema", "sdl-gate-manifest/1")) < 0 ||
	    (ret = sdl_json_add_str(man, "created", when)) < 0 ||
	    (ret = sdl_json_add_str(man, "decision", ev->release ? "release" : "no_release")) < 0 ||
	    (ret = sdl_json_add_str(man, "release_commit",
				    ev->release_commit[0] ? ev->release_commit : NULL)) < 0 ||
	    (ret = sdl_json_add(man, "tools", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = versions(o)) < 0 ||
	    (ret = sdl_json_add(man, "policy", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "file", gate_input_name(ev, ev->policy.path))) < 0 ||
	    (ret = sdl_json_add_str(o, "sha256", ev->policy.digest)) < 0 ||
	    (ret = sdl_json_add(man, "catalog", (o = cJSON_CreateObject()))) < 0 || !o ||
	    (ret = sdl_json_add_str(o, "id", ev->catalog.id)) < 0 ||
	    (ret = sdl_json_add_str(o, "version", ev->catalog.version)) < 0 ||
	    (ret = sdl_json_add_str(o, "sha256", ev->catalog.digest)) < 0 ||
	    (ret = sdl_json_add(man, "files", (arr = cJSON_CreateArray()))) < 0 || !arr)
		goto done;
	for (size_t i = 0; i < nfiles; i++) {
		cJSON *f = cJSON_CreateObject();
		if ((ret = sdl_json_add(arr, NULL, f)) < 0 || !f ||
		    (ret = sdl_json_add_str(f, "path", files[i].path)) < 0 ||
		    (ret = sdl_json_add_num(f, "size", (double)files[i].size)) < 0 ||
		    (ret = sdl_json_add_str(f, "sha256", files[i].sha256)) < 0)
			goto done;
	}
	if ((ret = sdl_json_render(&mf, man)) < 0 ||
	    (ret = write_in(tmp, MANIFEST, mf.ptr, mf.len)) < 0 ||
	    (ret = sdl_hash_buf(digest_out, SDL_SHA256, mf.ptr, mf.len)) < 0)
		goto done;
	if (sign_key && ((ret = sign(&sig, sign_key, mf.ptr, mf.len)) < 0 ||
			 (ret = write_in(tmp, SIGNATURE, sig.ptr, sig.len)) < 0))
		goto done;

	/* swap into place */
	if (have_old) {
		if ((ret = sdl_buf_printf(&old, "%s.old-XXXXXX", dir)) < 0)
			goto done;
		/* sdl-allow(toctou): rename(2) moves the name, never follows a symbolic link; a dir swapped after the check is moved aside intact, not written through */
		if (!mkdtemp(old.ptr) || rename(dir, old.ptr) != 0) {
			ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot move the old package aside",
						  dir);
			rmdir(old.ptr);
			goto done;
		}
	}
	if (rename(tmp, dir) != 0) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot rename the new package into place",
					  dir);
		if (have_old)
			rename(old.ptr, dir);
		goto done;
	}
	tmp = NULL;
	if (have_old)
		remove_tree(old.ptr);
	ret = 0;
done:
	if (tmp)
		remove_tree(tmp);
	if (ret < 0) { /* leave nothing new behind */
		if (was_empty)
			mkdir(dir, empty_mode);
		undo_parents(dir, top);
	}
	sdl_free(top);
	for (size_t i = 0; i < nfiles; i++)
		sdl_free(files[i].path);
	sdl_free(files);
	cJSON_Delete(man);
	sdl_buf_release(&tmpl);
	sdl_buf_release(&b);
	sdl_buf_release(&mf);
	sdl_buf_release(&sig);
	sdl_buf_release(&old);
	sdl_buf_release(&ipath);
	return ret;
}

/* ---------- verifying ---------- */

struct vctx {
	struct gate_strv listed;
	struct sdl_buf *report;
	int problems;
};

/*
 * One report line "<what><path><tail>\n", the path escaped: a file name
 * from the package directory may hold a newline or terminal escapes, which
 * must not forge or hide report lines (CWE-117, CWE-150; fuzz finding 13).
 */
static int report_line(struct sdl_buf *report, const char *what, const char *path,
		       const char *tail)
{
	int ret = sdl_buf_puts(report, what);
	if (ret == 0)
		ret = gate_text_escape(report, path);
	if (ret == 0)
		ret = sdl_buf_puts(report, tail);
	return ret;
}

static int on_entry(const struct sdl_walk_entry *e, void *payload)
{
	struct vctx *v = payload;
	if (e->type == SDL_WALK_DIR)
		return 0;
	if (e->type == SDL_WALK_SYMLINK) {
		v->problems++;
		return report_line(v->report, "symlink: ", e->path, " (not allowed in a package)\n");
	}
	if (!strcmp(e->path, MANIFEST) || !strcmp(e->path, SIGNATURE))
		return 0;
	if (!gate_strv_has(&v->listed, e->path)) {
		v->problems++;
		return report_line(v->report, "added: ", e->path, " (not in the manifest)\n");
	}
	return 0;
}

static int verify_dir(struct sdl_buf *report, const char *dir, const char *pubkey,
		      char digest_out[SDL_HASH_HEX_MAX])
{
	struct sdl_buf raw = SDL_BUF_INIT, p = SDL_BUF_INIT, norm = SDL_BUF_INIT, sig = SDL_BUF_INIT;
	struct vctx v = { { 0 }, report, 0 };
	cJSON *man = NULL;
	const cJSON *files, *f;
	const char *schema;
	int ret;

	if (!sdl_fs_is_dir(dir)) {
		ret = sdl_error_set(SDL_ENOTFOUND, "%s: no such package directory", dir);
		goto done;
	}
	if ((ret = sdl_buf_printf(&p, "%s/" MANIFEST, dir)) < 0)
		goto done;
	if ((ret = gate_json_load(&man, &raw, p.ptr, PACKAGE_MAX_MANIFEST)) < 0)
		goto done;
	if ((ret = sdl_hash_buf(digest_out, SDL_SHA256, raw.ptr, raw.len)) < 0)
		goto done;
	schema = sdl_json_str(man, "schema");
	files = sdl_json_arr(man, "files");
	if (!schema || strcmp(schema, "sdl-gate-manifest/1") != 0 || !files) {
		ret = sdl_error_set(SDL_EINVAL, "%s: not an sdl-gate manifest", p.ptr);
		goto done;
	}
	if (cJSON_GetArraySize(files) > PACKAGE_MAX_FILES) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: more than %d files", p.ptr, PACKAGE_MAX_FILES);
		goto done;
	}
	cJSON_ArrayForEach(f, files) {
		const char *path = sdl_json_str(f, "path"), *want = sdl_json_str(f, "sha256");
		double size = sdl_json_num(f, "size", -1);
		char got[SDL_HASH_HEX_MAX];
		struct stat st;
		if (!path || !want || size < 0) {
			ret = sdl_error_set(SDL_EINVAL, "%s: a file entry lacks path, size or sha256",
					    p.ptr);
			goto done;
		}
		/* a control character is never part of a path we write (gate_package_write) */
		if (path[0] == '/' || gate_text_needs_escape(path)) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: unsafe or non-canonical path '%s' in the manifest", p.ptr,
					    path);
			goto done;
		}
		if ((ret = sdl_path_normalize(&norm, path)) == SDL_ENOMEM)
			goto done;
		if (ret < 0 || strcmp(norm.ptr, path) || !strcmp(path, MANIFEST) ||
		    !strcmp(path, SIGNATURE)) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: unsafe or non-canonical path '%s' in the manifest", p.ptr,
					    path);
			goto done;
		}
		if (gate_strv_has(&v.listed, path)) {
			ret = sdl_error_set(SDL_EINVAL, "%s: '%s' listed twice", p.ptr, path);
			goto done;
		}
		if ((ret = gate_strv_push(&v.listed, path)) < 0)
			goto done;
		sdl_buf_clear(&norm);
		if ((ret = sdl_path_join(&norm, dir, path)) < 0)
			goto done;
		if (lstat(norm.ptr, &st) != 0) {
			v.problems++;
			ret = report_line(report, "missing: ", path, "\n");
		} else if (!S_ISREG(st.st_mode)) {
			v.problems++;
			ret = report_line(report, "not a regular file: ", path, "\n");
		} else if (sdl_hash_file(got, SDL_SHA256, norm.ptr) < 0) {
			sdl_error_clear();
			v.problems++;
			ret = report_line(report, "unreadable: ", path, "\n");
		} else if ((double)st.st_size != size || strcmp(got, want) != 0) {
			v.problems++;
			ret = report_line(report, "changed: ", path, " (sha256 ");
			if (ret == 0)
				ret = sdl_buf_puts(report, got);
			if (ret == 0)
				ret = report_line(report, ", manifest says ", want, ")\n");
		}
		if (ret < 0)
			goto done;
	}
	if ((ret = sdl_fs_walk(dir, 0, on_entry, &v)) < 0)
		goto done;
	sdl_buf_clear(&p);
	if ((ret = sdl_buf_printf(&p, "%s/" SIGNATURE, dir)) < 0)
		goto done;
	if (pubkey) {
		int ok;
		if (!sdl_fs_is_file(p.ptr)) {
			v.problems++;
			ret = sdl_buf_puts(report, "unsigned: " SIGNATURE " is missing\n");
			goto counted;
		}
		if ((ret = sdl_fs_read_file(&sig, p.ptr, 1024)) < 0)
			goto done;
		ok = verify_sig(pubkey, sig.ptr, raw.ptr, raw.len);
		if (ok < 0) {
			ret = ok;
			goto done;
		}
		if (!ok) {
			v.problems++;
			ret = sdl_buf_puts(report,
					   "bad signature: " SIGNATURE " does not verify " MANIFEST
					   " with the given key\n");
		}
	}
counted:
	if (ret < 0)
		goto done;
	ret = v.problems ? 1 : 0;
done:
	gate_strv_release(&v.listed);
	cJSON_Delete(man);
	sdl_buf_release(&raw);
	sdl_buf_release(&p);
	sdl_buf_release(&norm);
	sdl_buf_release(&sig);
	return ret;
}

/* ---------- the archive form (FILE.tar.gz, through libarchive) ---------- */

#define PACKAGE_MAX_ARCHIVE_BYTES ((size_t)2 << 30)

static int is_archive_name(const char *path)
{
	size_t n = strlen(path);
	return (n > 7 && !strcmp(path + n - 7, ".tar.gz")) || (n > 4 && !strcmp(path + n - 4, ".tgz"));
}

#ifdef SDL_GATE_HAVE_LIBARCHIVE
struct tar_ctx {
	struct archive *a;
	const char *root;
	long long mtime;
	struct sdl_buf path, data;
};

static int archive_fail(struct archive *a, const char *file)
{
	const char *m = archive_error_string(a);
	return sdl_error_set(SDL_EIO, "%s: %s", file, m ? m : "archive error");
}

/* One entry, with fixed owner, mode and time so the archive is reproducible. */
static int tar_entry(const struct sdl_walk_entry *e, void *payload)
{
	struct tar_ctx *t = payload;
	struct archive_entry *ae;
	int ret = 0;
	if (e->type == SDL_WALK_SYMLINK)
		return sdl_error_set(SDL_EINTERNAL, "%s: symbolic link in a package being written",
				     e->path);
	ae = archive_entry_new();
	if (!ae)
		return sdl_error_set(SDL_ENOMEM, "out of memory");
	archive_entry_set_pathname(ae, e->path);
	archive_entry_set_mtime(ae, (time_t)t->mtime, 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	if (e->type == SDL_WALK_DIR) {
		archive_entry_set_filetype(ae, AE_IFDIR);
		archive_entry_set_perm(ae, 0755);
		archive_entry_set_size(ae, 0);
	} else {
		sdl_buf_clear(&t->path);
		sdl_buf_clear(&t->data);
		if ((ret = sdl_buf_printf(&t->path, "%s/%s", t->root, e->path)) < 0 ||
		    (ret = sdl_fs_read_file(&t->data, t->path.ptr, GATE_MAX_EVIDENCE_BYTES)) < 0)
			goto done;
		archive_entry_set_filetype(ae, AE_IFREG);
		archive_entry_set_perm(ae, 0644);
		archive_entry_set_size(ae, (la_int64_t)t->data.len);
	}
	if (archive_write_header(t->a, ae) != ARCHIVE_OK) {
		ret = archive_fail(t->a, e->path);
		goto done;
	}
	if (e->type != SDL_WALK_DIR && t->data.len &&
	    archive_write_data(t->a, t->data.ptr, t->data.len) != (la_ssize_t)t->data.len)
		ret = archive_fail(t->a, e->path);
done:
	archive_entry_free(ae);
	return ret;
}

static int write_tar(const char *root, const char *out, long long mtime)
{
	struct tar_ctx t = { NULL, root, mtime, SDL_BUF_INIT, SDL_BUF_INIT };
	int ret, fd;
	t.a = archive_write_new();
	if (!t.a)
		return sdl_error_set(SDL_ENOMEM, "out of memory");
	if (archive_write_set_format_pax_restricted(t.a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(t.a) != ARCHIVE_OK ||
	    /* no time or name in the gzip header: same inputs, same bytes */
	    archive_write_set_filter_option(t.a, "gzip", "timestamp", NULL) < ARCHIVE_OK ||
	    archive_write_open_filename(t.a, out) != ARCHIVE_OK) {
		ret = archive_fail(t.a, out);
		goto done;
	}
	ret = sdl_fs_walk(root, SDL_WALK_INCLUDE_DIRS, tar_entry, &t);
	if (archive_write_close(t.a) != ARCHIVE_OK && ret == 0)
		ret = archive_fail(t.a, out);
	if (ret == 0) {
		fd = open(out, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot sync", out);
		if (fd >= 0)
			close(fd);
	}
done:
	archive_write_free(t.a);
	sdl_buf_release(&t.path);
	sdl_buf_release(&t.data);
	return ret;
}

static int write_archive_package(const struct gate_eval *ev, const char *file, const char *sign_key,
				 const cJSON *previous, char digest_out[SDL_HASH_HEX_MAX])
{
	struct sdl_buf tmpl = SDL_BUF_INIT, pkg = SDL_BUF_INIT, tar = SDL_BUF_INIT;
	char *top = NULL;
	int ret, made = 0;

	if (access(file, F_OK) == 0 && !sdl_fs_is_file(file)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: exists and is not a file", file);
		goto done;
	}
	if ((ret = make_parents(file, &top)) < 0)
		goto done;
	if ((ret = sdl_buf_printf(&tmpl, "%s.tmp-XXXXXX", file)) < 0)
		goto done;
	if (!mkdtemp(tmpl.ptr)) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot create a temporary directory",
					  tmpl.ptr);
		goto done;
	}
	made = 1;
	if ((ret = sdl_buf_printf(&pkg, "%s/pkg", tmpl.ptr)) < 0 ||
	    (ret = sdl_buf_printf(&tar, "%s/package.tar.gz", tmpl.ptr)) < 0 ||
	    (ret = write_dir_package(ev, pkg.ptr, sign_key, previous, digest_out)) < 0 ||
	    (ret = write_tar(pkg.ptr, tar.ptr, ev->now)) < 0)
		goto done;
	if (rename(tar.ptr, file) != 0) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot rename into place", file);
		goto done;
	}
	ret = 0;
done:
	if (made)
		remove_tree(tmpl.ptr);
	if (ret < 0)
		undo_parents(file, top);
	sdl_free(top);
	sdl_buf_release(&tmpl);
	sdl_buf_release(&pkg);
	sdl_buf_release(&tar);
	return ret;
}

/* Unpack into dir, refusing anything but plain files and directories with safe names. */
static int extract(const char *file, const char *dir)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	struct sdl_buf norm = SDL_BUF_INIT, path = SDL_BUF_INIT;
	size_t total = 0, count = 0;
	int ret = 0, rc;

	if (!a)
		return sdl_error_set(SDL_ENOMEM, "out of memory");
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, file, 65536) != ARCHIVE_OK) {
		ret = sdl_error_set(SDL_EINVAL, "%s: %s", file, archive_error_string(a));
		goto done;
	}
	while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ae);
		mode_t type = archive_entry_filetype(ae);
		la_int64_t size = archive_entry_size(ae);
		char *slash;
		int fd;
		if (++count > PACKAGE_MAX_FILES) {
			ret = sdl_error_set(SDL_ELIMIT, "%s: more than %d entries", file, PACKAGE_MAX_FILES);
			goto done;
		}
		if (!name || name[0] == '/' || sdl_path_normalize(&norm, name) < 0 ||
		    (strcmp(norm.ptr, name) != 0 &&
		     !(type == AE_IFDIR && strlen(name) == norm.len + 1 &&
		       !strncmp(name, norm.ptr, norm.len)))) {
			ret = sdl_error_set(SDL_EINVAL, "%s: unsafe entry name '%s'", file,
					    name ? name : "");
			goto done;
		}
		if (archive_entry_hardlink(ae) || (type != AE_IFREG && type != AE_IFDIR)) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: entry '%s' is not a plain file or directory (links are refused)",
					    file, name);
			goto done;
		}
		sdl_buf_clear(&path);
		if ((ret = sdl_path_join(&path, dir, norm.ptr)) < 0)
			goto done;
		if (type == AE_IFDIR) {
			if ((ret = sdl_fs_mkdirs(path.ptr)) < 0)
				goto done;
			continue;
		}
		if (size < 0 || (size_t)size > GATE_MAX_EVIDENCE_BYTES ||
		    (total += (size_t)size) > PACKAGE_MAX_ARCHIVE_BYTES) {
			ret = sdl_error_set(SDL_ELIMIT, "%s: entry '%s' too large", file, name);
			goto done;
		}
		if ((slash = strrchr(path.ptr, '/')) != NULL) {
			*slash = 0;
			ret = sdl_fs_mkdirs(path.ptr);
			*slash = '/';
			if (ret < 0)
				goto done;
		}
		fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			ret = sdl_error_set(SDL_EINVAL, "%s: entry '%s' appears twice or cannot be written",
					    file, name);
			goto done;
		}
		rc = archive_read_data_into_fd(a, fd);
		close(fd);
		if (rc != ARCHIVE_OK) {
			ret = sdl_error_set(SDL_EINVAL, "%s: %s", file, archive_error_string(a));
			goto done;
		}
	}
	if (rc != ARCHIVE_EOF)
		ret = sdl_error_set(SDL_EINVAL, "%s: %s", file, archive_error_string(a));
done:
	archive_read_free(a);
	sdl_buf_release(&norm);
	sdl_buf_release(&path);
	return ret;
}

static int verify_archive(struct sdl_buf *report, const char *file, const char *pubkey,
			  char digest_out[SDL_HASH_HEX_MAX])
{
	const char *tmpdir = getenv("TMPDIR");
	struct sdl_buf t = SDL_BUF_INIT;
	int ret;
	if ((ret = sdl_buf_printf(&t, "%s/sdl-gate-verify.XXXXXX",
				  tmpdir && *tmpdir ? tmpdir : "/tmp")) < 0)
		goto done;
	if (!mkdtemp(t.ptr)) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: cannot create", t.ptr);
		goto done;
	}
	ret = extract(file, t.ptr);
	if (ret == 0) {
		ret = verify_dir(report, t.ptr, pubkey, digest_out);
		if (ret < 0) /* name the archive, not the scratch directory */
			sdl_error_set(sdl_error_last_code(), "%s: %s", file, sdl_error_last());
	}
	remove_tree(t.ptr);
done:
	sdl_buf_release(&t);
	return ret;
}
#endif

int gate_package_write(const struct gate_eval *ev, const char *given, const char *sign_key,
		       const cJSON *previous, char digest_out[SDL_HASH_HEX_MAX])
{
	char *dir;
	int ret = target_name(&dir, given);
	if (ret < 0)
		return ret;
	if (is_archive_name(dir)) {
#ifdef SDL_GATE_HAVE_LIBARCHIVE
		ret = write_archive_package(ev, dir, sign_key, previous, digest_out);
#else
		ret = sdl_error_set(SDL_EUSAGE, "%s: this sdl-gate was built without libarchive; write a package directory instead", dir);
#endif
	} else {
		ret = write_dir_package(ev, dir, sign_key, previous, digest_out);
	}
	sdl_free(dir);
	return ret;
}

int gate_package_verify(struct sdl_buf *report, const char *dir, const char *pubkey,
			char digest_out[SDL_HASH_HEX_MAX])
{
	if (sdl_fs_is_file(dir)) {
#ifdef SDL_GATE_HAVE_LIBARCHIVE
		return verify_archive(report, dir, pubkey, digest_out);
#else
		return sdl_error_set(SDL_EUSAGE, "%s: this sdl-gate was built without libarchive", dir);
#endif
	}
	return verify_dir(report, dir, pubkey, digest_out);
}
