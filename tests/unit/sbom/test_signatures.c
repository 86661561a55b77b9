/*
 * Unit tests for sbom/signatures.c: the shipped signature pack loads, each
 * library's version patterns read the version macro the way upstream writes
 * it, the licence matcher gives an SPDX id with a confidence (and stays
 * quiet on text that is not a licence), templates fill, bad packs fail with
 * a message naming the file, and allocation failure at every step is clean.
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
#include "lib/error.h"
#include "sbom/signatures.h"
#include "lib/banned.h"

static char rules_dir[PATH_MAX];
static struct sbom_sigpack pack;

static int setup(void **state)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	(void)state;
	if (!src)
		return -1;
	snprintf(rules_dir, sizeof(rules_dir), "%s/rules/components", src);
	return sbom_sigpack_load(&pack, rules_dir) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	sbom_sigpack_release(&pack);
	return 0;
}

/* Version of `name` read from `text` by any of its patterns for `file`. */
static char *version_of(const char *name, const char *file, const char *text)
{
	const struct sbom_signature *s = sbom_sigpack_find(&pack, name);
	assert_non_null(s);
	for (size_t i = 0; i < s->nversion; i++) {
		char *v = NULL;
		if (strcmp(s->version[i].file, file) || !s->version[i].re)
			continue;
		if (sbom_re_capture(&v, s->version[i].re, text, strlen(text)) == 1)
			return v;
	}
	return NULL;
}

static void expect_version(const char *name, const char *file, const char *text, const char *want)
{
	char *v = version_of(name, file, text);
	if (!want) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_string_equal(v, want);
	sdl_free(v);
}

static void test_pack_loaded(void **state)
{
	(void)state;
	assert_true(pack.nsigs >= 40);
	assert_true(pack.nlic >= 5);
	assert_int_equal(strlen(pack.hash), 64);
	/* names and aliases, case-insensitive */
	assert_non_null(sbom_sigpack_find(&pack, "ZLIB"));
	assert_non_null(sbom_sigpack_find(&pack, "zlib1g"));
	assert_null(sbom_sigpack_find(&pack, "no-such-library"));
}

static void test_version_single_macro(void **state)
{
	(void)state;
	expect_version("zlib", "zlib.h", "/* zlib.h */\n#define ZLIB_VERSION \"1.2.13\"\n#define ZLIB_VERNUM 0x12d0\n",
		       "1.2.13");
	expect_version("zlib", "zlib.h", "#define  ZLIB_VERSION\t\"1.3.1-motley\"\n", "1.3.1-motley");
	expect_version("mbedtls", "include/mbedtls/build_info.h",
		       "#define MBEDTLS_VERSION_NUMBER 0x03040000\n#define MBEDTLS_VERSION_STRING \"3.4.0\"\n", "3.4.0");
	expect_version("sqlite", "sqlite3.h", "#define SQLITE_VERSION        \"3.40.1\"\n", "3.40.1");
	expect_version("curl", "include/curl/curlver.h", "#define LIBCURL_VERSION \"7.88.1\"\n", "7.88.1");
	/* a comment naming the macro is not a definition */
	expect_version("zlib", "zlib.h", "/* ZLIB_VERSION is defined elsewhere */\n", NULL);
}

static void test_version_split_macros(void **state)
{
	(void)state;
	/* major/minor/patch macros joined with '.' */
	expect_version("cJSON", "cJSON.h",
		       "#define CJSON_VERSION_MAJOR 1\n#define CJSON_VERSION_MINOR 7\n#define CJSON_VERSION_PATCH 15\n",
		       "1.7.15");
	expect_version("hiredis", "hiredis.h",
		       "#define HIREDIS_MAJOR 1\n#define HIREDIS_MINOR 1\n#define HIREDIS_PATCH 0\n#define HIREDIS_SONAME 1.1.0\n",
		       "1.1.0");
	expect_version("lua", "src/lua.h",
		       "#define LUA_VERSION_MAJOR\t\"5\"\n#define LUA_VERSION_MINOR\t\"4\"\n"
		       "#define LUA_VERSION_RELEASE\t\"6\"\n",
		       "5.4.6");
	expect_version("lua", "src/lua.h", "#define LUA_RELEASE \"Lua 5.1.5\"\n", "5.1.5");
	expect_version("openssl", "VERSION.dat", "MAJOR=3\nMINOR=0\nPATCH=15\nPRE_RELEASE_TAG=\n", "3.0.15");
	expect_version("openssl", "include/openssl/opensslv.h",
		       "# define OPENSSL_VERSION_TEXT \"OpenSSL 1.1.1w  11 Sep 2023\"\n", "1.1.1w");
	expect_version("jemalloc", "VERSION", "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c\n", "5.3.0");
	expect_version("FatFs", "ff.c", "/  FatFs - Generic FAT Filesystem Module  R0.15 \n", "R0.15");
	/* an incomplete set of macros gives no version rather than a wrong one */
	expect_version("cJSON", "cJSON.h", "#define CJSON_VERSION_MAJOR 1\n", NULL);
}

/* The single-file rule of `name` for `file`, or NULL. */
static const struct sbom_single_rule *single_rule(const char *name, const char *file)
{
	const struct sbom_signature *s = sbom_sigpack_find(&pack, name);
	assert_non_null(s);
	for (size_t i = 0; i < s->nsingle; i++)
		if (!strcmp(s->single[i].name, file))
			return &s->single[i];
	return NULL;
}

static void test_single_files_with_upstream(void **state)
{
	static const char pqsort[] =
		"/* The following is the NetBSD libc qsort implementation modified in order to\n"
		" * support partial sorting of ranges for Redis.\n */\n"
		"/*\t$NetBSD: qsort.c,v 1.19 2009/01/30 23:38:44 lukem Exp $\t*/\n";
	static const char crcspeed[] = "/*\n * Copyright (C) 2013 Mark Adler\n"
				       " * Originally by: crc64.c Version 1.4  16 Dec 2013  Mark Adler\n"
				       " * Modifications by Matt Stancliff <matt@genges.com>:\n";
	const struct sbom_single_rule *r;
	char *v = NULL;
	(void)state;
	/* redis' pqsort.c is NetBSD's qsort.c: version = the upstream file revision */
	assert_non_null(r = single_rule("netbsd-qsort", "pqsort.c"));
	assert_int_equal(sbom_re_matches(r->grep, pqsort, strlen(pqsort)), 1);
	assert_int_equal(sbom_re_capture(&v, r->version, pqsort, strlen(pqsort)), 1);
	assert_string_equal(v, "1.19");
	sdl_free(v);
	/* a qsort of one's own is not NetBSD's */
	assert_int_equal(sbom_re_matches(r->grep, "void qsort(void *a) {}\n", 23), 0);
	assert_non_null(r = single_rule("crcspeed", "crcspeed.c"));
	assert_int_equal(sbom_re_matches(r->grep, crcspeed, strlen(crcspeed)), 1);
	/* redis' own crc64.c names Matt Stancliff too, but is no candidate file name */
	assert_null(single_rule("crcspeed", "crc64.c"));
	assert_int_equal(sbom_re_matches(r->grep, "/* Copyright (c) 2014, Matt Stancliff */", 40), 0);
	/* crc16.c (Georges Menie's snippet) has no upstream project: no rule */
	for (size_t i = 0; i < pack.nsigs; i++)
		for (size_t k = 0; k < pack.sigs[i].nsingle; k++)
			assert_string_not_equal(pack.sigs[i].single[k].name, "crc16.c");
}

static void test_re_capture_errors(void **state)
{
	const struct sbom_signature *s = sbom_sigpack_find(&pack, "zlib");
	char *v = NULL;
	const char *text = "#define ZLIB_VERSION \"1.2.13\"\n";
	unsigned long n;
	int rc;
	(void)state;
	assert_non_null(s);
	assert_true(s->nversion > 0);
	assert_int_equal(sbom_re_matches(s->version[0].re, text, strlen(text)), 1);
	assert_int_equal(sbom_re_matches(s->version[0].re, "nothing", 7), 0);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		rc = sbom_re_capture(&v, s->version[0].re, text, strlen(text));
		sdl_alloc_fail_at(0);
		if (rc == 1)
			break;
		assert_int_equal(rc, SDL_ENOMEM);
		assert_null(v);
		assert_true(n < 100);
	}
	assert_string_equal(v, "1.2.13");
	sdl_free(v);
}

static const char mit_text[] =
	"MIT License\n\nCopyright (c) 2009-2017 Dave Gamble and cJSON contributors\n\n"
	"Permission is hereby granted, free of charge, to any person obtaining a copy\n"
	"of this software and associated documentation files (the \"Software\"), to deal\n"
	"in the Software without restriction, including without limitation the rights\n"
	"to use, copy, modify, merge, publish, distribute, sublicense, and/or sell\n"
	"copies of the Software, and to permit persons to whom the Software is\n"
	"furnished to do so, subject to the following conditions:\n\n"
	"The above copyright notice and this permission notice shall be included in\n"
	"all copies or substantial portions of the Software.\n\n"
	"THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\n"
	"IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\n"
	"FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT.\n";

/* The same text re-flowed: other line breaks, indentation, doubled blanks, C comment stars. */
static const char mit_reflowed[] =
	"/*\n * Copyright (c) 2020 Someone\n *\n"
	" *   Permission  is hereby granted,   free of charge, to any\n *   person obtaining a copy of this software\n"
	" *   and associated documentation files (the \"Software\"), to deal in the Software without\n"
	" *   restriction.\n *\n *   The above\tcopyright notice and this permission notice\n"
	" *   shall be included in all copies or substantial portions of the Software.\n *\n"
	" *   THE SOFTWARE IS PROVIDED \"AS IS\",\n *   WITHOUT WARRANTY OF ANY KIND.\n */\n";

static const char bsd3_text[] =
	"Copyright (c) 2006-2015, Salvatore Sanfilippo\nAll rights reserved.\n\n"
	"Redistribution and use in source and binary forms, with or without modification,\n"
	"are permitted provided that the following conditions are met:\n\n"
	"  * Redistributions of source code must retain the above copyright notice,\n"
	"    this list of conditions and the following disclaimer.\n"
	"  * Redistributions in binary form must reproduce the above copyright notice,\n"
	"    this list of conditions and the following disclaimer in the documentation.\n"
	"  * Neither the name of Redis nor the names of its contributors may be used\n"
	"    to endorse or promote products derived from this software without specific\n"
	"    prior written permission.\n";

static const char readme_text[] =
	"# hiredis\n\nHiredis is a minimalistic C client library for the Redis database.\n\n"
	"It is minimalistic because it just adds minimal support for the protocol. This software is\n"
	"provided with examples; see the COPYING file for the licence. Permission to use the name\n"
	"is not granted. Redistribution of the examples is welcome.\n";

static void test_license_match(void **state)
{
	const char *id = NULL;
	double conf = 0;
	(void)state;
	sbom_license_match(&id, &conf, &pack, mit_text, strlen(mit_text));
	assert_non_null(id);
	assert_string_equal(id, "MIT");
	assert_true(conf > 0.99);

	sbom_license_match(&id, &conf, &pack, mit_reflowed, strlen(mit_reflowed));
	assert_non_null(id);
	assert_string_equal(id, "MIT");
	assert_true(conf > 0.99);

	sbom_license_match(&id, &conf, &pack, bsd3_text, strlen(bsd3_text));
	assert_non_null(id);
	assert_string_equal(id, "BSD-3-Clause"); /* not BSD-2-Clause: "neither the name" excludes it */
	assert_true(conf > 0.99);

	/* a README that talks about licences is not a licence */
	sbom_license_match(&id, &conf, &pack, readme_text, strlen(readme_text));
	assert_null(id);
	assert_true(conf < 0.5);

	sbom_license_match(&id, &conf, &pack, "", 0);
	assert_null(id);
	assert_true(conf == 0.0);
}

static void test_license_partial(void **state)
{
	/* only the first MIT phrase: below the 0.5 threshold */
	const char *one = "Permission is hereby granted, free of charge, to any person obtaining a copy";
	/* two of three phrases: matched, with the lower confidence */
	const char *two = "Permission is hereby granted, free of charge, to any person obtaining a copy. "
			  "The above copyright notice and this permission notice shall be included.";
	const char *id = NULL;
	double conf = 0;
	(void)state;
	sbom_license_match(&id, &conf, &pack, one, strlen(one));
	assert_null(id);
	sbom_license_match(&id, &conf, &pack, two, strlen(two));
	assert_non_null(id);
	assert_string_equal(id, "MIT");
	assert_true(conf > 0.6 && conf < 0.7);
}

static void test_template_fill(void **state)
{
	char *s = NULL;
	(void)state;
	assert_int_equal(sbom_template_fill(&s, "pkg:github/madler/zlib@v{version}", "1.3"), 0);
	assert_string_equal(s, "pkg:github/madler/zlib@v1.3");
	sdl_free(s);
	assert_int_equal(sbom_template_fill(&s, "pkg:github/madler/zlib@v{version}", NULL), 0);
	assert_string_equal(s, "pkg:github/madler/zlib");
	sdl_free(s);
	assert_int_equal(sbom_template_fill(&s, "cpe:2.3:a:zlib:zlib:{version}:*:*:*:*:*:*:*", NULL), 0);
	assert_string_equal(s, "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:*");
	sdl_free(s);
	assert_int_equal(sbom_template_fill(&s, NULL, "1"), 0);
	assert_null(s);
}

static char tmp[PATH_MAX];

static void write_file(const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_tmp(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/sdl-sbom-sig.XXXXXX");
	assert_non_null(mkdtemp(tmp));
}

static void rm_tmp(void)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
}

static void expect_bad_pack(const char *json, const char *needle)
{
	struct sbom_sigpack p;
	make_tmp();
	write_file("a.json", json);
	assert_int_equal(sbom_sigpack_load(&p, tmp), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "a.json"));
	if (needle && !strstr(sdl_error_last(), needle))
		fail_msg("error \"%s\" does not mention \"%s\"", sdl_error_last(), needle);
	rm_tmp();
}

static void test_bad_packs(void **state)
{
	(void)state;
	expect_bad_pack("{ not json", NULL);
	expect_bad_pack("{\"format\":\"sdl-components-1\",\"components\":[{\"name\":\"x\","
			"\"version\":[{\"file\":\"x.h\",\"pattern\":\"(unclosed\"}]}]}",
			"x");
	expect_bad_pack("{\"format\":\"sdl-components-1\",\"components\":[{\"detect\":[]}]}", NULL);
}

static void test_load_alloc_failure(void **state)
{
	struct sbom_sigpack p;
	unsigned long n;
	int rc;
	(void)state;
	make_tmp();
	write_file("a.json",
		   "{\"format\":\"sdl-components-1\",\"components\":[{\"name\":\"zlib\",\"supplier\":\"s\","
		   "\"license\":\"Zlib\",\"purl\":\"pkg:github/madler/zlib@v{version}\",\"aliases\":[\"zlib1g\"],"
		   "\"detect\":[{\"files\":[\"zlib.h\",\"deflate.c\"],\"grep\":{\"file\":\"zlib.h\",\"pattern\":\"ZLIB\"}}],"
		   "\"version\":[{\"file\":\"zlib.h\",\"pattern\":\"ZLIB_VERSION \\\"([^\\\"]+)\\\"\"}],"
		   "\"single_files\":[{\"name\":\"zlib.c\",\"grep\":\"deflate\",\"version\":\"v([0-9.]+)\"}]}]}");
	write_file("b.json", "{\"format\":\"sdl-licenses-1\",\"licenses\":[{\"id\":\"MIT\",\"all\":[\"a b\"],"
			     "\"none\":[\"c\"]}]}");
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		rc = sbom_sigpack_load(&p, tmp);
		sdl_alloc_fail_at(0);
		if (rc == 0)
			break;
		assert_int_equal(rc, SDL_ENOMEM);
		assert_true(n < 10000);
	}
	assert_int_equal(p.nsigs, 1);
	assert_int_equal(p.nlic, 1);
	sbom_sigpack_release(&p);
	rm_tmp();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_loaded),
		cmocka_unit_test(test_version_single_macro),
		cmocka_unit_test(test_version_split_macros),
		cmocka_unit_test(test_single_files_with_upstream),
		cmocka_unit_test(test_re_capture_errors),
		cmocka_unit_test(test_license_match),
		cmocka_unit_test(test_license_partial),
		cmocka_unit_test(test_template_fill),
		cmocka_unit_test(test_bad_packs),
		cmocka_unit_test(test_load_alloc_failure),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
