/*
 * Unit tests for the build-manifest parsers (sbom/manifest_*.c, yaml_mini.c):
 * each parser on a good manifest (exact names, versions, ecosystems, source
 * URLs), on malformed input (SDL_EINVAL or SDL_ELIMIT with a message naming
 * the file and, where there is one, the line), and under allocation failure
 * at every step (clean error, nothing half-added, no leak under ASan).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "sbom/detect.h"
#include "sbom/yaml_mini.h"
#include "lib/banned.h"

static struct sbom_sigpack pack;

static int setup(void **state)
{
	char dir[PATH_MAX];
	const char *src = getenv("SDL_SOURCE_DIR");
	(void)state;
	if (!src)
		return -1;
	snprintf(dir, sizeof(dir), "%s/rules/components", src);
	return sbom_sigpack_load(&pack, dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sbom_sigpack_release(&pack);
	return 0;
}

typedef int (*parser_fn)(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			 const char *data, size_t len);

/* expected component: name, version (NULL = none), ecosystem, url substring (NULL = no check) */
struct want {
	const char *name, *version, *ecosystem, *url;
};

static void expect_parse(parser_fn fn, const char *file, const char *text, const struct want *w, size_t nw)
{
	struct sbom_found f = { 0 };
	int rc = fn(&f, &pack, file, text, strlen(text));
	if (rc != 0)
		fail_msg("%s: parse failed: %s", file, sdl_error_last());
	if (f.n != nw) {
		for (size_t i = 0; i < f.n; i++)
			print_error("got %s %s\n", f.items[i].comp->name,
				    f.items[i].comp->version ? f.items[i].comp->version : "-");
		fail_msg("%s: %zu components, expected %zu", file, f.n, nw);
	}
	for (size_t i = 0; i < nw; i++) {
		const struct sbom_component *c = f.items[i].comp;
		assert_string_equal(f.items[i].relpath, file);
		assert_int_equal(c->kind, SBOM_MANIFEST);
		assert_string_equal(c->name, w[i].name);
		if (w[i].version) {
			if (!c->version)
				fail_msg("%s: %s has no version, expected %s", file, c->name, w[i].version);
			assert_string_equal(c->version, w[i].version);
		} else {
			assert_null(c->version);
		}
		assert_non_null(c->ecosystem);
		assert_string_equal(c->ecosystem, w[i].ecosystem);
		if (w[i].url) {
			assert_non_null(c->source_url);
			if (!strstr(c->source_url, w[i].url))
				fail_msg("%s: url %s lacks %s", c->name, c->source_url, w[i].url);
		}
	}
	sbom_found_release(&f);
}

static void expect_bad(parser_fn fn, const char *file, const char *text, int want_rc, const char *needle)
{
	struct sbom_found f = { 0 };
	int rc = fn(&f, &pack, file, text, strlen(text));
	if (rc != want_rc)
		fail_msg("%s: rc %d, expected %d (%s)", file, rc, want_rc, rc ? sdl_error_last() : "");
	assert_non_null(strstr(sdl_error_last(), file));
	if (needle && !strstr(sdl_error_last(), needle))
		fail_msg("error \"%s\" lacks \"%s\"", sdl_error_last(), needle);
	sbom_found_release(&f);
}

/* Fail every allocation in turn: each attempt fails with SDL_ENOMEM, then one succeeds with n items. */
static void expect_alloc_clean(parser_fn fn, const char *file, const char *text, size_t n_items)
{
	unsigned long n;
	for (n = 1;; n++) {
		struct sbom_found f = { 0 };
		int rc;
		sdl_alloc_fail_at(n);
		rc = fn(&f, &pack, file, text, strlen(text));
		sdl_alloc_fail_at(0);
		if (rc == 0) {
			assert_int_equal(f.n, n_items);
			sbom_found_release(&f);
			break;
		}
		if (rc != SDL_ENOMEM)
			fail_msg("%s: allocation %lu failed gave %d: %s", file, n, rc, sdl_error_last());
		sbom_found_release(&f);
		assert_true(n < 100000);
	}
}

static const char vcpkg_good[] =
	"{ \"name\": \"product\", \"version\": \"1.0\",\n"
	"  \"dependencies\": [ \"zlib\", { \"name\": \"mbedtls\", \"version>=\": \"3.4.0\" },\n"
	"                    { \"name\": \"fmt\", \"features\": [\"x\"] } ],\n"
	"  \"overrides\": [ { \"name\": \"zlib\", \"version\": \"1.2.13\" } ] }\n";

static void test_vcpkg(void **state)
{
	static const struct want w[] = {
		{ "zlib", "1.2.13", "vcpkg", NULL },
		{ "mbedtls", "3.4.0", "vcpkg", NULL },
		{ "fmt", NULL, "vcpkg", NULL },
	};
	(void)state;
	expect_parse(sbom_manifest_vcpkg, "vcpkg.json", vcpkg_good, w, 3);
	expect_bad(sbom_manifest_vcpkg, "vcpkg.json", "{ \"dependencies\": [ ", SDL_EINVAL, NULL);
	expect_bad(sbom_manifest_vcpkg, "vcpkg.json", "[1,2]", SDL_EINVAL, "not an object");
	expect_bad(sbom_manifest_vcpkg, "vcpkg.json", "{\"dependencies\": 3}", SDL_EINVAL, "not an array");
	expect_bad(sbom_manifest_vcpkg, "vcpkg.json", "{\"dependencies\": [{\"version>=\":\"1\"}]}", SDL_EINVAL,
		   "no name");
	expect_alloc_clean(sbom_manifest_vcpkg, "vcpkg.json", vcpkg_good, 3);
}

static const char conan_good[] = "# product deps\n[requires]\nzlib/1.2.13\nopenssl/3.0.8@conan/stable\n"
				 "\n[generators]\nCMakeDeps\n";

static void test_conan(void **state)
{
	static const struct want w[] = {
		{ "zlib", "1.2.13", "conan", NULL },
		{ "openssl", "3.0.8", "conan", NULL },
	};
	(void)state;
	expect_parse(sbom_manifest_conan, "conanfile.txt", conan_good, w, 2);
	expect_bad(sbom_manifest_conan, "conanfile.txt", "[requires\nzlib/1.2.13\n", SDL_EINVAL, ":1:");
	expect_alloc_clean(sbom_manifest_conan, "conanfile.txt", conan_good, 2);
}

static const char conanpy_good[] = "from conan import ConanFile\n\nclass P(ConanFile):\n"
				   "    requires = \"zlib/1.3\", \"libpng/1.6.40\"\n"
				   "    def requirements(self):\n        self.requires(\"mbedtls/3.5.0\")\n";

static void test_conan_py(void **state)
{
	(void)state;
	struct sbom_found f = { 0 };
	int found = 0;
	assert_int_equal(sbom_manifest_conan(&f, &pack, "conanfile.py", conanpy_good, strlen(conanpy_good)), 0);
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.items[i].comp->name, "mbedtls") && f.items[i].comp->version &&
		    !strcmp(f.items[i].comp->version, "3.5.0"))
			found = 1;
	assert_true(found);
	assert_true(f.n >= 2);
	sbom_found_release(&f);
}

static const char cmake_good[] =
	"include(FetchContent)\n"
	"FetchContent_Declare(\n  googletest\n  GIT_REPOSITORY https://github.com/google/googletest.git\n"
	"  GIT_TAG v1.14.0\n)\n"
	"# FetchContent_Declare(commented GIT_REPOSITORY x GIT_TAG y)\n"
	"message(\"FetchContent_Declare(not a call)\")\n"
	"ExternalProject_Add(zlib_ep URL https://zlib.net/zlib-1.3.1.tar.gz\n"
	"  URL_HASH SHA256=9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23)\n"
	"CPMAddPackage(\"gh:fmtlib/fmt#10.1.1\")\n"
	"CPMAddPackage(NAME cjson GITHUB_REPOSITORY DaveGamble/cJSON VERSION 1.7.17)\n";

static void test_cmake(void **state)
{
	static const struct want w[] = {
		{ "googletest", "v1.14.0", "cmake-fetchcontent", "github.com/google/googletest" },
		{ "zlib", "1.3.1", "cmake-externalproject", "zlib.net" },
		{ "fmt", "10.1.1", "cmake-cpm", "github.com/fmtlib/fmt" },
		{ "cJSON", "1.7.17", "cmake-cpm", "github.com/DaveGamble/cJSON" },
	};
	struct sbom_found f = { 0 };
	(void)state;
	expect_parse(sbom_manifest_cmake, "CMakeLists.txt", cmake_good, w, 4);
	/* the declared download hash is kept */
	assert_int_equal(sbom_manifest_cmake(&f, &pack, "CMakeLists.txt", cmake_good, strlen(cmake_good)), 0);
	assert_non_null(f.items[1].comp->hash_alg);
	assert_string_equal(f.items[1].comp->hash_alg, "SHA-256");
	assert_string_equal(f.items[1].comp->hash_value,
			    "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23");
	sbom_found_release(&f);
	expect_bad(sbom_manifest_cmake, "CMakeLists.txt", "FetchContent_Declare(x GIT_TAG \"v1\n", SDL_EINVAL,
		   "unterminated");
	expect_bad(sbom_manifest_cmake, "CMakeLists.txt", "project(a)\nFetchContent_Declare(x GIT_TAG v1\n",
		   SDL_EINVAL, ":2:");
	expect_alloc_clean(sbom_manifest_cmake, "CMakeLists.txt", cmake_good, 4);
}

static const char wrap_file[] = "[wrap-file]\ndirectory = zlib-1.3\n"
				"source_url = https://zlib.net/fossils/zlib-1.3.tar.gz\n"
				"source_filename = zlib-1.3.tar.gz\n"
				"source_hash = ff0ba4c292013dbc27530b3a81e1f9a813cd39de01ca5e0f8bf355702efa593e\n";
static const char wrap_git[] = "; comment\n[wrap-git]\nurl = https://github.com/DaveGamble/cJSON.git\n"
			       "revision = v1.7.15\ndepth = 1\n";

static void test_meson(void **state)
{
	static const struct want wf[] = { { "zlib", "1.3", "meson-wrap", "zlib.net" } };
	static const struct want wg[] = { { "cJSON", "v1.7.15", "meson-wrap", "github.com/DaveGamble/cJSON" } };
	(void)state;
	expect_parse(sbom_manifest_meson_wrap, "subprojects/zlib.wrap", wrap_file, wf, 1);
	expect_parse(sbom_manifest_meson_wrap, "subprojects/cjson.wrap", wrap_git, wg, 1);
	expect_bad(sbom_manifest_meson_wrap, "subprojects/x.wrap", "[wrap-file\n", SDL_EINVAL, ":1:");
	expect_bad(sbom_manifest_meson_wrap, "subprojects/x.wrap", "[wrap-file]\njunk\n", SDL_EINVAL, ":2:");
	expect_bad(sbom_manifest_meson_wrap, "subprojects/x.wrap", "[provide]\na = b\n", SDL_EINVAL, "no [wrap");
	expect_alloc_clean(sbom_manifest_meson_wrap, "subprojects/zlib.wrap", wrap_file, 1);
}

static const char west_good[] =
	"manifest:\n  defaults:\n    remote: upstream\n  remotes:\n    - name: upstream\n"
	"      url-base: https://github.com/zephyrproject-rtos\n"
	"  projects:\n    - name: zephyr\n      revision: v3.5.0\n      import: true\n"
	"    - name: mbedtls\n      revision: \"a5e6b8c\"  # pinned\n      path: modules/crypto/mbedtls\n";
static const char idf_good[] = "dependencies:\n  idf: \">=5.0\"\n  espressif/cjson: \"^1.7.15\"\n"
			       "  littlefs:\n    version: \"1.10.0\"\n";

static void test_yaml_manifests(void **state)
{
	static const struct want ww[] = {
		{ "zephyr", "v3.5.0", "west", "github.com/zephyrproject-rtos/zephyr" },
		{ "mbedtls", "a5e6b8c", "west", "github.com/zephyrproject-rtos/mbedtls" },
	};
	struct sbom_found f = { 0 };
	int cjson = 0, littlefs = 0;
	(void)state;
	expect_parse(sbom_manifest_yaml, "west.yml", west_good, ww, 2);
	assert_int_equal(sbom_manifest_yaml(&f, &pack, "main/idf_component.yml", idf_good, strlen(idf_good)), 0);
	for (size_t i = 0; i < f.n; i++) {
		const struct sbom_component *c = f.items[i].comp;
		assert_string_equal(c->ecosystem, "idf-component");
		if (!strcmp(c->name, "cJSON") || !strcmp(c->name, "cjson"))
			cjson = 1;
		if (!strcmp(c->name, "littlefs") && c->version && !strcmp(c->version, "1.10.0"))
			littlefs = 1;
	}
	assert_true(cjson && littlefs);
	sbom_found_release(&f);
	expect_bad(sbom_manifest_yaml, "west.yml", "manifest:\n  projects:\n    - revision: v1\n", SDL_EINVAL,
		   "no name");
	expect_bad(sbom_manifest_yaml, "west.yml", "manifest:\n  projects: &a\n", SDL_EINVAL, ":2:");
	expect_bad(sbom_manifest_yaml, "west.yml", "- a\n- b\n", SDL_EINVAL, "not a mapping");
	expect_bad(sbom_manifest_yaml, "west.yml", "manifest:\n\tprojects:\n", SDL_EINVAL, "tab");
	expect_bad(sbom_manifest_yaml, "west.yml", "a: 1\n---\nb: 2\n", SDL_EINVAL, "multiple");
	expect_alloc_clean(sbom_manifest_yaml, "west.yml", west_good, 2);
}

static void test_yaml_depth_limit(void **state)
{
	char text[4096];
	size_t o = 0;
	cJSON *j = NULL;
	(void)state;
	for (int d = 0; d < SBOM_YAML_MAX_DEPTH + 2; d++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%*sk%d:\n", d, "", d);
	assert_int_equal(sbom_yaml_parse(&j, text, o, "deep.yml"), SDL_ELIMIT);
	assert_null(j);
	assert_non_null(strstr(sdl_error_last(), "deep.yml"));
	assert_int_equal(sbom_yaml_parse(&j, "a\0b", 3, "nul.yml"), SDL_EINVAL);
}

static const char pio_good[] = "[platformio]\ndefault_envs = esp32\n\n[env:esp32]\nplatform = espressif32\n"
			       "lib_deps =\n    bblanchon/ArduinoJson @ ^6.21.3\n"
			       "    knolleary/PubSubClient@2.8\n"
			       "    https://github.com/me-no-dev/AsyncTCP.git#v1.1.1\n"
			       "    file://../local\n";

static void test_platformio(void **state)
{
	static const struct want w[] = {
		{ "ArduinoJson", "^6.21.3", "platformio", NULL },
		{ "PubSubClient", "2.8", "platformio", NULL },
		{ "AsyncTCP", "v1.1.1", "platformio", "github.com/me-no-dev/AsyncTCP" },
	};
	(void)state;
	expect_parse(sbom_manifest_platformio, "platformio.ini", pio_good, w, 3);
	expect_bad(sbom_manifest_platformio, "platformio.ini", "[env:x\n", SDL_EINVAL, ":1:");
	expect_bad(sbom_manifest_platformio, "platformio.ini", "[env:x]\njunk\n", SDL_EINVAL, ":2:");
	expect_alloc_clean(sbom_manifest_platformio, "platformio.ini", pio_good, 3);
}

/* expect a note on file whose reason holds needle */
static void expect_note(const struct sbom_found *f, const char *file, const char *needle)
{
	for (size_t i = 0; i < f->nnotes; i++)
		if (!strcmp(f->notes[i].path, file) && strstr(f->notes[i].reason, needle))
			return;
	fail_msg("%s: no note with \"%s\" (%zu notes)", file, needle, f->nnotes);
}

/*
 * Finding 6 (docs/fuzzing.md): lib_deps entries without a package name are
 * noted with their line, never made into nameless components; a URL with a
 * trailing '/' still names its repository.
 */
static void test_platformio_nameless(void **state)
{
	static const char text[] = "[env]\nlib_deps =\n    @1.0\n    owner/ @ 1.0\n"
				   "    https://example.com/\n    https://github.com/o/r.git/#v2\n"
				   "    good@1.1\n    bad\0nul\n";
	struct sbom_found f = { 0 };
	(void)state;
	assert_int_equal(sbom_manifest_platformio(&f, &pack, "platformio.ini", text, sizeof(text) - 1), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.items[0].comp->name, "r");
	assert_string_equal(f.items[0].comp->version, "v2");
	assert_string_equal(f.items[1].comp->name, "good");
	assert_int_equal(f.nnotes, 4);
	expect_note(&f, "platformio.ini", "line 3 has no package name");
	expect_note(&f, "platformio.ini", "line 4 has no package name");
	expect_note(&f, "platformio.ini", "line 5 has no package name");
	expect_note(&f, "platformio.ini", "line 8 has no package name");
	sbom_found_release(&f);
	expect_alloc_clean(sbom_manifest_platformio, "platformio.ini", "[env]\nlib_deps = @1.0, x@2\n", 1);
}

/* Finding 15: a Mynewt "repository.:" key or an empty repo: is noted, not a nameless component. */
static void test_mynewt_nameless(void **state)
{
	static const char text[] = "repository.:\n  type: github\n  user: u\n  vers: 1.0\n"
				   "repository.apache-mynewt-core:\n  type: github\n  user: apache\n"
				   "  repo: \"\"\n  vers: 1.9.0\n"
				   "repository.x:\n  type: github\n  user:\n  repo: y\n";
	struct sbom_found f = { 0 };
	(void)state;
	assert_int_equal(sbom_manifest_yaml(&f, &pack, "project.yml", text, sizeof(text) - 1), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.items[0].comp->name, "apache-mynewt-core");
	assert_string_equal(f.items[0].comp->version, "1.9.0");
	assert_null(f.items[0].comp->source_url); /* no URL from an empty repo */
	assert_string_equal(f.items[1].comp->name, "y");
	assert_null(f.items[1].comp->source_url); /* nor from an empty user */
	assert_int_equal(f.nnotes, 1);
	expect_note(&f, "project.yml", "repository without a name");
	sbom_found_release(&f);
	/* the guard under every manifest parser */
	assert_int_equal(sbom_manifest_add(&f, &pack, "m.txt", "west", "", NULL, NULL), 0);
	assert_int_equal(f.n, 0);
	expect_note(&f, "m.txt", "without a name");
	sbom_found_release(&f);
}

/* Finding 8: the yaml_mini.h contract: an empty value is null, a written scalar a string. */
static void test_yaml_empty_value(void **state)
{
	static const char text[] = "a:\nb: \"\"\nc: null\nd: 1.10\ne:\n  -\n  - ~\nf: |\ng: x\n";
	cJSON *j = NULL;
	const cJSON *e;
	(void)state;
	assert_int_equal(sbom_yaml_parse(&j, text, sizeof(text) - 1, "t.yml"), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "a")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "b")->valuestring, "");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "c")->valuestring, "null");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "d")->valuestring, "1.10");
	e = cJSON_GetObjectItemCaseSensitive(j, "e");
	assert_int_equal(cJSON_GetArraySize(e), 2);
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(e, 0)));
	assert_string_equal(cJSON_GetArrayItem(e, 1)->valuestring, "~");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "f")->valuestring, "");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(j, "g")->valuestring, "x");
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vcpkg),	   cmocka_unit_test(test_conan),
		cmocka_unit_test(test_conan_py),   cmocka_unit_test(test_cmake),
		cmocka_unit_test(test_meson),	   cmocka_unit_test(test_yaml_manifests),
		cmocka_unit_test(test_yaml_depth_limit), cmocka_unit_test(test_platformio),
		cmocka_unit_test(test_platformio_nameless), cmocka_unit_test(test_mynewt_nameless),
		cmocka_unit_test(test_yaml_empty_value),
	};
	sdl_alloc_install_cjson_hooks();
	return cmocka_run_group_tests(tests, setup, teardown);
}
