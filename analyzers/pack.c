/*
 * The rule pack: rules/analyze/default.json (ids, levels, CWE and CERT C
 * mappings, parameters), optionally overridden rule by rule by --rules FILE.
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/banned.h"

#define AZ_PACK_MAX_BYTES ((size_t)4 << 20)

static const struct sdl_json_limits pack_limits = { AZ_PACK_MAX_BYTES, 16 };

static int valid_id(const char *id)
{
	if (!*id || strlen(id) > 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static int strlist_ok(const cJSON *a)
{
	const cJSON *it;
	if (!a)
		return 1;
	if (!cJSON_IsArray(a))
		return 0;
	cJSON_ArrayForEach(it, a)
		if (!cJSON_IsString(it))
			return 0;
	return 1;
}

/* Check one rule object; `full` requires every field (the base pack). */
static int check_rule(const cJSON *r, const char *path, int idx, int full)
{
	const char *id = sdl_json_str(r, "id");
	const cJSON *lv = cJSON_GetObjectItemCaseSensitive(r, "level");
	enum sdl_level level;
	if (!cJSON_IsObject(r) || !id || !valid_id(id))
		return sdl_error_set(SDL_EINVAL, "%s: rules[%d]: missing or invalid \"id\"", path, idx);
	if (full && !sdl_json_str(r, "summary"))
		return sdl_error_set(SDL_EINVAL, "%s: rule %s: missing \"summary\"", path, id);
	if ((full && !lv) || (lv && (!cJSON_IsString(lv) ||
				     sdl_level_parse(&level, lv->valuestring) < 0)))
		return sdl_error_set(SDL_EINVAL, "%s: rule %s: \"level\" must be none, note, warning or error",
				     path, id);
	if (!strlist_ok(cJSON_GetObjectItemCaseSensitive(r, "cwe")) ||
	    !strlist_ok(cJSON_GetObjectItemCaseSensitive(r, "cert")))
		return sdl_error_set(SDL_EINVAL, "%s: rule %s: \"cwe\" and \"cert\" must be arrays of strings",
				     path, id);
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(r, "enabled");
	if (en && !cJSON_IsBool(en))
		return sdl_error_set(SDL_EINVAL, "%s: rule %s: \"enabled\" must be true or false", path, id);
	const cJSON *pa = cJSON_GetObjectItemCaseSensitive(r, "params");
	if (pa && !cJSON_IsObject(pa))
		return sdl_error_set(SDL_EINVAL, "%s: rule %s: \"params\" must be an object", path, id);
	return 0;
}

static int check_pack(const cJSON *root, const char *path, int full)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
	const cJSON *r;
	int i = 0;
	if (!cJSON_IsObject(root) || !cJSON_IsArray(rules))
		return sdl_error_set(SDL_EINVAL, "%s: not a rule pack (no \"rules\" array)", path);
	if (cJSON_GetArraySize(rules) > AZ_MAX_RULES)
		return sdl_error_set(SDL_ELIMIT, "%s: more than %d rules", path, AZ_MAX_RULES);
	cJSON_ArrayForEach(r, rules) {
		int ret = check_rule(r, path, i++, full);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static cJSON *find_rule_json(cJSON *rules, const char *id)
{
	cJSON *r;
	cJSON_ArrayForEach(r, rules) {
		const char *rid = sdl_json_str(r, "id");
		if (rid && !strcmp(rid, id))
			return r;
	}
	return NULL;
}

/*
 * Set member `key` of `obj` to `item` (replacing one of that name). Both
 * cJSON calls copy the key and fail when that allocation fails: the item is
 * then freed here and 0 returned, so an out-of-memory is not lost (fuzz
 * finding 16: it surfaced later as "unknown rule").
 */
static int put_member(cJSON *obj, const char *key, cJSON *item)
{
	cJSON_bool ok = cJSON_GetObjectItemCaseSensitive(obj, key)
				? cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item)
				: cJSON_AddItemToObject(obj, key, item);
	if (ok && !item->string) {
		/* cJSON 1.7.15 replaces even when copying the key failed, leaving
		 * a member without a name that hides the members after it */
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
		return 0;
	}
	if (!ok)
		cJSON_Delete(item);
	return ok ? 1 : 0;
}

/* Replace, key by key, the base rule's members with the override's (params merged by key). */
static int merge_rule(cJSON *base, const cJSON *over)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, over) {
		if (!strcmp(it->string, "params")) {
			cJSON *bp = cJSON_GetObjectItemCaseSensitive(base, "params");
			if (!bp) {
				bp = cJSON_CreateObject();
				if (!bp || !cJSON_AddItemToObject(base, "params", bp)) {
					cJSON_Delete(bp);
					return sdl_error_set(SDL_ENOMEM, "out of memory");
				}
			}
			const cJSON *p;
			cJSON_ArrayForEach(p, it) {
				cJSON *dup = cJSON_Duplicate(p, 1);
				if (!dup)
					return sdl_error_set(SDL_ENOMEM, "out of memory");
				if (!put_member(bp, p->string, dup))
					return sdl_error_set(SDL_ENOMEM, "out of memory");
			}
			continue;
		}
		if (!strcmp(it->string, "id"))
			continue;
		cJSON *dup = cJSON_Duplicate(it, 1);
		if (!dup)
			return sdl_error_set(SDL_ENOMEM, "out of memory");
		if (!put_member(base, it->string, dup))
			return sdl_error_set(SDL_ENOMEM, "out of memory");
	}
	return 0;
}

int az_pack_load(struct az_pack *out, const char *path, const char *override)
{
	cJSON *over = NULL;
	struct sdl_buf canon = SDL_BUF_INIT;
	char defpath[4096];
	int ret;

	memset(out, 0, sizeof *out);
	if (!path) {
		snprintf(defpath, sizeof defpath, "%s/analyze/default.json", SDL_RULES_DIR);
		path = defpath;
	}
	ret = sdl_json_load_file(&out->root, path, &pack_limits);
	if (ret < 0)
		goto done;
	ret = check_pack(out->root, path, 1);
	if (ret < 0)
		goto done;
	if (override) {
		ret = sdl_json_load_file(&over, override, &pack_limits);
		if (ret < 0)
			goto done;
		ret = check_pack(over, override, 0);
		if (ret < 0)
			goto done;
		cJSON *base_rules = cJSON_GetObjectItemCaseSensitive(out->root, "rules");
		const cJSON *r;
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(over, "rules")) {
			const char *id = sdl_json_str(r, "id");
			cJSON *b = find_rule_json(base_rules, id);
			if (!b) {
				ret = sdl_error_set(SDL_EINVAL, "%s: unknown rule \"%s\"", override, id);
				goto done;
			}
			ret = merge_rule(b, r);
			if (ret < 0)
				goto done;
		}
	}

	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(out->root, "rules");
	size_t n = (size_t)cJSON_GetArraySize(rules);
	out->rules = sdl_calloc(n ? n : 1, sizeof *out->rules);
	if (!out->rules) {
		ret = SDL_ENOMEM;
		goto done;
	}
	const cJSON *r;
	cJSON_ArrayForEach(r, rules) {
		struct az_rule *ar = &out->rules[out->nrules++];
		ar->id = sdl_json_str(r, "id");
		ar->name = sdl_json_str(r, "name");
		ar->summary = sdl_json_str(r, "summary");
		ar->description = sdl_json_str(r, "description");
		ar->security_severity = sdl_json_str(r, "security_severity");
		ar->precision = sdl_json_str(r, "precision");
		sdl_level_parse(&ar->level, sdl_json_str(r, "level"));
		ar->enabled = sdl_json_bool(r, "enabled", 1) && ar->level != SDL_LEVEL_NONE;
		ar->cwe = cJSON_GetObjectItemCaseSensitive(r, "cwe");
		ar->cert = cJSON_GetObjectItemCaseSensitive(r, "cert");
		ar->params = cJSON_GetObjectItemCaseSensitive(r, "params");
		for (size_t i = 0; i + 1 < out->nrules; i++)
			if (!strcmp(out->rules[i].id, ar->id)) {
				ret = sdl_error_set(SDL_EINVAL, "%s: rule \"%s\" defined twice", path, ar->id);
				goto done;
			}
	}
	ret = sdl_json_render(&canon, out->root);
	if (ret < 0)
		goto done;
	ret = sdl_hash_buf(out->hash, SDL_SHA256, canon.ptr, canon.len);
done:
	cJSON_Delete(over);
	sdl_buf_release(&canon);
	if (ret < 0)
		az_pack_release(out);
	return ret;
}

void az_pack_release(struct az_pack *pack)
{
	cJSON_Delete(pack->root);
	sdl_free(pack->rules);
	memset(pack, 0, sizeof *pack);
}

const struct az_rule *az_pack_find(const struct az_pack *pack, const char *id)
{
	for (size_t i = 0; i < pack->nrules; i++)
		if (!strcmp(pack->rules[i].id, id))
			return &pack->rules[i];
	return NULL;
}

const cJSON *az_rule_param(const struct az_rule *rule, const char *key)
{
	if (!rule || !rule->params)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(rule->params, key);
}

int az_json_strlist_has(const cJSON *list, const char *s)
{
	const cJSON *it;
	if (!list)
		return 0;
	if (cJSON_IsObject(list))
		return cJSON_GetObjectItemCaseSensitive(list, s) != NULL;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
			return 1;
	return 0;
}

int az_pack_add_sarif_rules(struct sdl_sarif_run *run, const struct az_pack *pack)
{
	return az_pack_add_sarif_rules_help(run, pack, NULL);
}

int az_pack_add_sarif_rules_help(struct sdl_sarif_run *run, const struct az_pack *pack,
				 const char *help_base)
{
	for (size_t i = 0; i < pack->nrules; i++) {
		const struct az_rule *ar = &pack->rules[i];
		char *tags[32];
		size_t ntags = 0;
		int ret = 0;
		const cJSON *it;

		if (!ar->enabled)
			continue;
		tags[ntags++] = sdl_strdup("security");
		cJSON_ArrayForEach(it, ar->cwe) {
			const char *c = it->valuestring;
			char t[64];
			if (ntags >= 30 || strncmp(c, "CWE-", 4))
				continue;
			snprintf(t, sizeof t, "external/cwe/cwe-%s", c + 4);
			tags[ntags++] = sdl_strdup(t);
		}
		cJSON_ArrayForEach(it, ar->cert) {
			char t[64];
			if (ntags >= 30)
				break;
			snprintf(t, sizeof t, "external/cert-c/%s", it->valuestring);
			tags[ntags++] = sdl_strdup(t);
		}
		for (size_t t = 0; t < ntags; t++)
			if (!tags[t])
				ret = SDL_ENOMEM;
		struct sdl_buf help = SDL_BUF_INIT;
		if (!ret && help_base)
			ret = sdl_buf_printf(&help, "%s/%s.md", help_base, ar->id);
		struct sdl_rule r = {
			.id = (char *)ar->id,
			.name = (char *)ar->name,
			.short_desc = (char *)ar->summary,
			.full_desc = (char *)ar->description,
			.help_uri = help_base ? help.ptr : NULL,
			.level = ar->level,
			.tags = tags,
			.ntags = ntags,
			.security_severity = (char *)ar->security_severity,
			.precision = (char *)ar->precision,
		};
		if (!ret)
			ret = sdl_sarif_run_add_rule(run, &r);
		for (size_t t = 0; t < ntags; t++)
			sdl_free(tags[t]);
		sdl_buf_release(&help);
		if (ret < 0)
			return ret;
	}
	return 0;
}
