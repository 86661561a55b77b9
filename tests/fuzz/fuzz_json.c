/*
 * Fuzz target: lib/json.c, sdl_json_parse() and the canonical renderer.
 *
 * Properties beyond "no crash, no leak":
 *  - a failure carries a one-line message;
 *  - whatever parses renders, the rendering parses again and renders to the
 *    same bytes (the canonical writer is a fixpoint: deterministic output);
 *  - with one allocation failing (chosen from the input), the parse fails
 *    with SDL_ENOMEM, returns no tree and leaks nothing.
 */
#include "fuzz.h"

#include "lib/buf.h"
#include "lib/json.h"

#include "lib/banned.h"

static void json_roundtrip(const cJSON *tree)
{
	struct sdl_buf first = SDL_BUF_INIT, second = SDL_BUF_INIT;
	cJSON *again = NULL;
	int ret;

	FUZZ_CHECK(sdl_json_render(&first, tree) == 0);
	ret = sdl_json_parse(&again, first.ptr, first.len, "rendered.json", NULL);
	FUZZ_CHECK(ret == 0 && again != NULL);
	FUZZ_CHECK(sdl_json_render(&second, again) == 0);
	fuzz_check_same(first.ptr, first.len, second.ptr, second.len, "render(read(render(x)))");

	/* The typed getters never fail, whatever the member types. */
	for (const cJSON *c = tree->child; c && c->string; c = c->next) {
		(void)sdl_json_str(tree, c->string);
		(void)sdl_json_obj(tree, c->string);
		(void)sdl_json_arr(tree, c->string);
		(void)sdl_json_num(tree, c->string, 0);
		(void)sdl_json_bool(tree, c->string, 0);
	}
	cJSON_Delete(again);
	sdl_buf_release(&first);
	sdl_buf_release(&second);
}

SDL_FUZZ_TARGET(json)
{
	const char *text = (const char *)data;
	struct sdl_json_limits small = { 4096, 8 };
	cJSON *tree = NULL;
	unsigned long nalloc;
	int ret;

	sdl_alloc_fail_at(0);
	ret = sdl_json_parse(&tree, text, size, "fuzz.json", NULL);
	nalloc = sdl_alloc_count();
	fuzz_check_error(ret);
	FUZZ_CHECK((ret == 0) == (tree != NULL));
	if (tree) {
		json_roundtrip(tree);
		cJSON_Delete(tree);
		tree = NULL;
	}

	/* Tight limits: refused cleanly past them, never a partial tree. */
	ret = sdl_json_parse(&tree, text, size, "fuzz.json", &small);
	fuzz_check_error(ret);
	FUZZ_CHECK(ret != 0 || size <= small.max_bytes);
	cJSON_Delete(tree);
	tree = NULL;

	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size) {
		sdl_alloc_fail_at(k);
		ret = sdl_json_parse(&tree, text, size, "fuzz.json", NULL);
		sdl_alloc_fail_at(0);
		FUZZ_CHECK(ret == SDL_ENOMEM && tree == NULL);
		fuzz_check_error(ret);
	}
	return 0;
}
