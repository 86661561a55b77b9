/*
 * CMake declarations of downloaded dependencies, read as text (the script is
 * never run): FetchContent_Declare, ExternalProject_Add (repository + tag or
 * URL + hash) and CPM (CPMAddPackage / CPMFindPackage / CPMDeclarePackage, in
 * both the keyword form and the "gh:owner/repo@version" shorthand).
 * Arguments follow the CMake language (cmake-language(7)): quoted and
 * unquoted arguments, bracket arguments, # line and #[[ ]] bracket comments.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

#define CMAKE_MAX_ARGS 256

struct args {
	char *v[CMAKE_MAX_ARGS];
	size_t n;
};

static void args_release(struct args *a)
{
	for (size_t i = 0; i < a->n; i++)
		sdl_free(a->v[i]);
	a->n = 0;
}

/* Skip a bracket "[==[ ... ]==]" starting at p ('['); returns the end or NULL. */
static const char *skip_bracket(const char *p, const char *end, const char **body, size_t *blen)
{
	size_t eq = 0;
	const char *q = p + 1;
	while (q < end && *q == '=')
		eq++, q++;
	if (q >= end || *q != '[')
		return NULL;
	q++;
	*body = q;
	for (; q < end; q++) {
		if (*q == ']' && (size_t)(end - q) > eq + 1) {
			size_t k = 0;
			while (k < eq && q[1 + k] == '=')
				k++;
			if (k == eq && q[1 + eq] == ']') {
				*blen = (size_t)(q - *body);
				return q + eq + 2;
			}
		}
	}
	return NULL;
}

static unsigned long line_of(const char *data, const char *p)
{
	unsigned long l = 1;
	for (const char *q = data; q < p; q++)
		if (*q == '\n')
			l++;
	return l;
}

/* Parse "( args )" at p; sets *next past ')'. */
static int parse_args(struct args *a, const char *data, const char *p, const char *end,
		      const char **next, const char *name)
{
	int depth = 0;
	const char *open = p;
	a->n = 0;
	p++; /* '(' */
	while (p < end) {
		const char *s, *body;
		size_t blen;
		char *arg = NULL;
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {
			const char *e;
			if (p + 1 < end && p[1] == '[' && (e = skip_bracket(p + 1, end, &body, &blen))) {
				p = e;
				continue;
			}
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (*p == '(') {
			depth++;
			p++;
			continue;
		}
		if (*p == ')') {
			if (depth-- == 0) {
				*next = p + 1;
				return 0;
			}
			p++;
			continue;
		}
		if (*p == '"') {
			struct sdl_buf b = SDL_BUF_INIT;
			for (s = p + 1; s < end && *s != '"'; s++) {
				if (*s == '\\' && s + 1 < end)
					s++;
				if (sdl_buf_putc(&b, *s) < 0) {
					sdl_buf_release(&b);
					return SDL_ENOMEM;
				}
			}
			if (s >= end) {
				sdl_buf_release(&b);
				return sdl_error_set(SDL_EINVAL, "%s:%lu: unterminated quoted argument",
						     name, line_of(data, p));
			}
			p = s + 1;
			if (!(arg = sdl_buf_detach(&b, NULL)))
				return SDL_ENOMEM;
		} else if (*p == '[' && (s = skip_bracket(p, end, &body, &blen))) {
			if (!(arg = sdl_strndup(body, blen)))
				return SDL_ENOMEM;
			p = s;
		} else {
			for (s = p; s < end && !isspace((unsigned char)*s) && !strchr("()\"#", *s); s++)
				if (*s == '\\' && s + 1 < end)
					s++;
			if (!(arg = sdl_strndup(p, (size_t)(s - p))))
				return SDL_ENOMEM;
			p = s;
		}
		if (a->n == CMAKE_MAX_ARGS) {
			sdl_free(arg);
			return sdl_error_set(SDL_ELIMIT, "%s:%lu: more than %d arguments", name,
					     line_of(data, open), CMAKE_MAX_ARGS);
		}
		a->v[a->n++] = arg;
	}
	return sdl_error_set(SDL_EINVAL, "%s:%lu: unterminated argument list (missing ')')", name,
			     line_of(data, open));
}

static const char *kw(const struct args *a, const char *key)
{
	for (size_t i = 0; i + 1 < a->n; i++)
		if (!strcmp(a->v[i], key))
			return a->v[i + 1];
	return NULL;
}

/* A version from a download URL: ".../zlib-1.2.13.tar.gz", ".../v1.2.3.zip". */
static char *version_from_url(const char *url)
{
	const char *base = strrchr(url, '/'), *p;
	base = base ? base + 1 : url;
	for (p = base; *p; p++) {
		if (isdigit((unsigned char)*p) &&
		    (p == base || p[-1] == '-' || p[-1] == '_' || p[-1] == 'v' || p[-1] == 'V')) {
			const char *s = p;
			while (*p && (isdigit((unsigned char)*p) || *p == '.'))
				p++;
			/* stop before an archive suffix ".tar.gz" */
			while (p > s && p[-1] == '.')
				p--;
			if (memchr(s, '.', (size_t)(p - s)))
				return sdl_strndup(s, (size_t)(p - s));
			if (!*p)
				break;
		}
	}
	return NULL;
}

/*
 * The library a download or repository URL names: "zlib-1.3.1.tar.gz" ->
 * "zlib", ".../google/googletest.git" -> "googletest". 1 when found.
 */
static int name_from_url(char *out, size_t size, const char *url)
{
	const char *base = strrchr(url, '/'), *p;
	size_t l;
	base = base ? base + 1 : url;
	for (p = base; *p && *p != '?' && *p != '#'; p++)
		if ((*p == '-' || *p == '_' || *p == '.') && isdigit((unsigned char)p[1]))
			break;
	l = (size_t)(p - base);
	if (l > 4 && !strncmp(base + l - 4, ".git", 4))
		l -= 4;
	if (!l || l >= size || !isalpha((unsigned char)*base))
		return 0;
	memcpy(out, base, l);
	out[l] = '\0';
	return 1;
}

static int add_one(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *file,
		   const char *eco, const char *pkg, const char *version, const char *url,
		   const char *hash)
{
	char *guessed = NULL, stem[128];
	int rc;
	size_t before = f->n;
	if (!pkg || !*pkg || strchr(pkg, '$'))
		return 0; /* a name computed by the script: nothing to report reliably */
	/*
	 * The first argument is a target name the project chose ("zlib_ep");
	 * when it names no known library but the URL does, the URL's name is
	 * the component's identity.
	 */
	if (url && !strchr(url, '$') && !sbom_sigpack_find(sigs, pkg) &&
	    name_from_url(stem, sizeof(stem), url) && sbom_sigpack_find(sigs, stem))
		pkg = stem;
	if (version && strchr(version, '$'))
		version = NULL;
	if (!version && url && !strchr(url, '$'))
		version = guessed = version_from_url(url);
	rc = sbom_manifest_add(f, sigs, file, eco, pkg, version, url && !strchr(url, '$') ? url : NULL);
	if (rc >= 0 && hash && f->n > before) {
		struct sbom_component *c = f->items[f->n - 1].comp;
		const char *eq = strchr(hash, '=');
		if (eq) {
			char alg[16];
			size_t l = (size_t)(eq - hash);
			if (l < sizeof(alg)) {
				memcpy(alg, hash, l);
				alg[l] = '\0';
				/* SHA256 -> SHA-256 as CycloneDX names it */
				if (!strncasecmp(alg, "SHA", 3) && isdigit((unsigned char)alg[3])) {
					char name[16];
					snprintf(name, sizeof(name), "SHA-%.8s", alg + 3);
					if ((rc = sbom_set(&c->hash_alg, name)) >= 0)
						rc = sbom_set(&c->hash_value, eq + 1);
				}
			}
		}
	}
	sdl_free(guessed);
	return rc;
}

static int handle(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *file,
		  const char *cmd, const struct args *a)
{
	const char *repo, *tag, *url, *name, *ver;
	char buf[512];
	if (!strcasecmp(cmd, "FetchContent_Declare") || !strcasecmp(cmd, "ExternalProject_Add")) {
		const char *eco = !strcasecmp(cmd, "FetchContent_Declare") ? "cmake-fetchcontent"
									  : "cmake-externalproject";
		if (a->n == 0)
			return 0;
		repo = kw(a, "GIT_REPOSITORY");
		tag = kw(a, "GIT_TAG");
		url = kw(a, "URL");
		if (!repo && !url)
			return 0; /* SOURCE_DIR only: local code */
		return add_one(f, sigs, file, eco, a->v[0], repo ? tag : NULL, repo ? repo : url,
			       repo ? NULL : kw(a, "URL_HASH"));
	}
	/* CPM */
	if (a->n == 1) {
		/* "gh:owner/repo@1.2.3", "gl:owner/repo#tag", "https://...@1.2" */
		const char *s = a->v[0], *at, *slash;
		char host[16] = "";
		size_t l;
		if (!strncmp(s, "gh:", 3))
			snprintf(host, sizeof(host), "github.com");
		else if (!strncmp(s, "gl:", 3))
			snprintf(host, sizeof(host), "gitlab.com");
		else if (!strncmp(s, "bb:", 3))
			snprintf(host, sizeof(host), "bitbucket.org");
		if (!*host)
			return 0;
		s += 3;
		at = strpbrk(s, "@#");
		l = at ? (size_t)(at - s) : strlen(s);
		snprintf(buf, sizeof(buf), "https://%s/%.*s", host, (int)l, s);
		slash = memchr(s, '/', l);
		name = slash ? slash + 1 : s;
		{
			char pkg[256];
			size_t nl = (size_t)((s + l) - name);
			if (nl >= sizeof(pkg))
				return 0;
			memcpy(pkg, name, nl);
			pkg[nl] = '\0';
			return add_one(f, sigs, file, "cmake-cpm", pkg, at ? at + 1 : NULL, buf, NULL);
		}
	}
	name = kw(a, "NAME");
	ver = kw(a, "VERSION");
	tag = kw(a, "GIT_TAG");
	url = kw(a, "URL");
	repo = kw(a, "GIT_REPOSITORY");
	if (kw(a, "GITHUB_REPOSITORY")) {
		snprintf(buf, sizeof(buf), "https://github.com/%s", kw(a, "GITHUB_REPOSITORY"));
		repo = buf;
	} else if (kw(a, "GITLAB_REPOSITORY")) {
		snprintf(buf, sizeof(buf), "https://gitlab.com/%s", kw(a, "GITLAB_REPOSITORY"));
		repo = buf;
	}
	if (!name && repo) {
		const char *slash = strrchr(repo, '/');
		name = slash ? slash + 1 : repo;
	}
	return add_one(f, sigs, file, "cmake-cpm", name, ver ? ver : tag, repo ? repo : url,
		       repo ? NULL : kw(a, "URL_HASH"));
}

int sbom_manifest_cmake(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len)
{
	static const char *const cmds[] = { "FetchContent_Declare", "ExternalProject_Add",
					    "CPMAddPackage", "CPMFindPackage", "CPMDeclarePackage",
					    NULL };
	const char *p = data, *end = data + len;
	struct args a = { { 0 }, 0 };
	size_t count = 0;
	int rc = 0;

	while (p < end) {
		const char *s, *body, *next;
		size_t blen, i;
		if (*p == '#') {
			const char *e;
			if (p + 1 < end && p[1] == '[' && (e = skip_bracket(p + 1, end, &body, &blen))) {
				p = e;
				continue;
			}
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (*p == '"') { /* a quoted argument of some other command */
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_') {
			p++;
			continue;
		}
		for (s = p; s < end && (isalnum((unsigned char)*s) || *s == '_'); s++)
			;
		for (i = 0; cmds[i]; i++)
			if ((size_t)(s - p) == strlen(cmds[i]) && !strncasecmp(p, cmds[i], (size_t)(s - p)))
				break;
		next = s;
		while (next < end && (*next == ' ' || *next == '\t'))
			next++;
		if (!cmds[i] || next >= end || *next != '(') {
			p = s;
			continue;
		}
		if ((rc = parse_args(&a, data, next, end, &p, name)) < 0)
			break;
		if (++count > SBOM_MAX_MANIFEST_ENTRIES) {
			rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d declarations", name,
					   SBOM_MAX_MANIFEST_ENTRIES);
			break;
		}
		rc = handle(f, sigs, name, cmds[i], &a);
		args_release(&a);
		if (rc < 0)
			break;
	}
	args_release(&a);
	return rc < 0 ? rc : 0;
}
