/*
 * Fuzz target: sdl-gate/package.c, gate_package_verify() (`sdl-gate
 * verify`), the evidence package reader: the input is the manifest.json of
 * a package directory that also holds two evidence files. Properties: the
 * answer is 0 (intact), 1 (tampered, with a report) or a failure with one
 * line; every report line is one of the documented problems (a path from the
 * manifest cannot forge report lines: CWE-117); one failing allocation fails
 * cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static const char *const verify_prefixes[] = { "added: ", "changed: ", "missing: ",
					       "not a regular file: ", "symlink: ",
					       "unreadable: ", "unsigned: ", "bad signature: " };

/*
 * 1 if the manifest (the input) lists this path (n bytes at p), as verify
 * prints it: escaped by gate_text_escape() (a backslash is doubled).
 */
static int verify_listed(const cJSON *man, const char *p, size_t n)
{
	const cJSON *f;
	int found = 0;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(man, "files")) {
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(f, "path");
		struct sdl_buf esc = SDL_BUF_INIT;
		if (cJSON_IsString(path) && gate_text_escape(&esc, path->valuestring) == 0 &&
		    esc.len == n && memcmp(esc.ptr, p, n) == 0)
			found = 1;
		sdl_buf_release(&esc);
		if (found)
			return 1;
	}
	return 0;
}

/*
 * A report line is one of the documented problems, and a problem about a
 * listed file names a path the manifest lists: a path with a newline in it
 * must not split into a second, forged line.
 */
static int verify_line_ok(const cJSON *man, const char *line)
{
	const char *end = strchr(line, '\n');
	for (size_t i = 0; i < sizeof(verify_prefixes) / sizeof(verify_prefixes[0]); i++) {
		size_t pl = strlen(verify_prefixes[i]);
		const char *path = line + pl, *pe = end;
		if (strncmp(line, verify_prefixes[i], pl) != 0)
			continue;
		if (i == 1) /* "changed: P (sha256 ..." */
			for (pe = end; pe > path && strncmp(pe, " (sha256 ", 9) != 0; pe--)
				;
		if (i >= 1 && i <= 5 && i != 4)
			return verify_listed(man, path, (size_t)(pe - path));
		return 1;
	}
	return 0;
}

static const uint8_t *verify_input;
static size_t verify_input_len;

static int verify_once(unsigned long fail, unsigned long *nalloc)
{
	struct sdl_buf report = SDL_BUF_INIT, dir = SDL_BUF_INIT;
	char digest[129];
	int ret;

	if (sdl_buf_printf(&dir, "%s/pkg", gate_fuzz_dir()) < 0)
		abort();
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_package_verify(&report, dir.ptr, NULL, digest));
	if (ret < 0)
		fuzz_check_error(ret);
	FUZZ_CHECK(ret <= 1);
	if (ret == 0)
		FUZZ_CHECK(report.len == 0);
	if (ret == 1) {
		FUZZ_CHECK(report.len > 0 && report.ptr[report.len - 1] == '\n');
		cJSON *man = cJSON_ParseWithLength((const char *)verify_input, verify_input_len);
		for (const char *l = report.ptr; *l; l = strchr(l, '\n') + 1)
			FUZZ_CHECK(verify_line_ok(man, l));
		cJSON_Delete(man);
	}
	sdl_buf_release(&report);
	sdl_buf_release(&dir);
	return ret;
}

SDL_FUZZ_TARGET(gate_verify)
{
	static const char decision[] = "{\"release\": true}\n", input[] = "hello\n";
	unsigned long nalloc = 0;

	gate_fuzz_write("pkg/decision.json", decision, sizeof(decision) - 1);
	gate_fuzz_write("pkg/inputs.txt", input, sizeof(input) - 1);
	gate_fuzz_write("pkg/manifest.json", data, size);
	verify_input = data;
	verify_input_len = size;
	verify_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(verify_once(k, NULL));
	return 0;
}
