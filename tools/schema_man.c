// SPDX-License-Identifier: GPL-2.0
/*
 * schema-man PAGE.scd SCHEMA.json: the man page source with a JSON FIELDS
 * section, before SEE ALSO (or at the end), that lists every field of the
 * command's --json output with its schema's description. The schema is what
 * the tests hold real output to (additionalProperties: false), so the page
 * names every field the output can have, from one source.
 *
 * Run at build time; exits 1, naming the field, when a field has no
 * description: a field nobody explained is not shipped.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_DEPTH	12
#define MAX_FIELDS	1024

static char schema_dir[1024];
static json_t *defs_doc;		/* defs.schema.json, loaded when referred to */
static char *seen[MAX_FIELDS];		/* paths listed, each once */
static int nr_seen;
static int undescribed;

static json_t *load(const char *path)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);

	if (!doc) {
		fprintf(stderr, "schema-man: %s:%d: %s\n", path, err.line, err.text);
		exit(1);
	}
	return doc;
}

/* "#/$defs/x" in own, or "defs.schema.json#/$defs/x"; *doc becomes the target's document. */
static json_t *resolve(const char *ref, json_t **doc)
{
	const char *frag = strchr(ref, '#');
	char path[1200], part[256];
	json_t *o;

	if (!frag)
		return NULL;
	if (frag != ref) {
		if (!defs_doc) {
			snprintf(path, sizeof(path), "%s/%.*s", schema_dir, (int)(frag - ref), ref);
			defs_doc = load(path);
		}
		*doc = defs_doc;
	}
	o = *doc;
	for (const char *p = frag + 1; o && *p; ) {
		size_t n;

		p += *p == '/';
		n = strcspn(p, "/");
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		o = json_object_get(o, part);
		p += n;
	}
	return o;
}

static const char *description(json_t *prop, json_t *doc)
{
	const char *d = json_string_value(json_object_get(prop, "description"));
	const char *ref = json_string_value(json_object_get(prop, "$ref"));
	json_t *target;

	if (d || !ref)
		return d;
	target = resolve(ref, &doc);
	return target ? description(target, doc) : NULL;
}

/* scdoc's inline marks and escapes, taken literally. */
static void put_escaped(const char *s, FILE *out)
{
	for (; *s; s++) {
		if (*s == '*' || *s == '_' || *s == '\\')
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

static bool first_time(const char *path)
{
	for (int i = 0; i < nr_seen; i++)
		if (!strcmp(seen[i], path))
			return false;
	if (nr_seen < MAX_FIELDS)
		seen[nr_seen++] = strdup(path);
	return true;
}

static void walk(json_t *o, const char *prefix, json_t *doc, int depth, FILE *out);

static void field(const char *name, json_t *prop, const char *prefix, json_t *doc, int depth,
		  FILE *out)
{
	char path[512];
	const char *d = description(prop, doc);

	snprintf(path, sizeof(path), "%s%s", prefix, name);
	if (first_time(path)) {
		if (!d) {
			fprintf(stderr, "schema-man: field %s has no description\n", path);
			undescribed++;
		} else {
			fputc('*', out);
			put_escaped(path, out);
			fputs("*\n\t", out);
			/* "- " and ". " at a line's start would begin a list */
			if (*d == '-' || *d == '.')
				fputc('\\', out);
			put_escaped(d, out);
			fputs("\n\n", out);
		}
	}
	snprintf(path, sizeof(path), "%s%s.", prefix, name);
	walk(prop, path, doc, depth + 1, out);
}

/* The fields of schema o, at prefix: its properties, items, maps and alternatives. */
static void walk(json_t *o, const char *prefix, json_t *doc, int depth, FILE *out)
{
	static const char *const alternatives[] = { "allOf", "anyOf", "oneOf" };
	const char *ref = json_string_value(json_object_get(o, "$ref"));
	char path[512];
	const char *key;
	json_t *v, *items, *map;
	size_t i;

	if (!json_is_object(o) || depth > MAX_DEPTH)
		return;
	if (ref) {
		json_t *target_doc = doc, *target = resolve(ref, &target_doc);

		if (target)
			walk(target, prefix, target_doc, depth + 1, out);
	}
	json_object_foreach(json_object_get(o, "properties"), key, v)
		field(key, v, prefix, doc, depth, out);
	items = json_object_get(o, "items");
	if (json_is_object(items)) {
		snprintf(path, sizeof(path), "%.*s[].", (int)strlen(prefix) - 1, prefix);
		walk(items, *prefix ? path : "", doc, depth + 1, out);
	}
	/* a map: its entries are fields too, "<key>" standing for any key */
	map = json_object_get(o, "additionalProperties");
	if (json_is_object(map))
		field("<key>", map, prefix, doc, depth, out);
	for (size_t a = 0; a < sizeof(alternatives) / sizeof(alternatives[0]); a++)
		json_array_foreach(json_object_get(o, alternatives[a]), i, v)
			walk(v, prefix, doc, depth + 1, out);
	walk(json_object_get(o, "then"), prefix, doc, depth + 1, out);
	walk(json_object_get(o, "else"), prefix, doc, depth + 1, out);
}

/* The page, with the section spliced in before SEE ALSO. */
static int splice(const char *page, const char *fields, const char *schema_name)
{
	FILE *f = fopen(page, "r");
	char *text = NULL, *see;
	size_t len = 0;

	if (!f) {
		perror(page);
		return 1;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		fclose(f);
		return 1;
	}
	fclose(f);
	see = strstr(text, "\n# SEE ALSO\n");
	fwrite(text, 1, see ? (size_t)(see + 1 - text) : strlen(text), stdout);
	printf("%s# JSON FIELDS\n\nEvery field of the *--json* output, as its schema (%s in the"
	       " source, which the tests hold real output to) describes it. _a.b_ is field _b_ of"
	       " object _a_, _a[]_ an element of array _a_, _a.<key>_ any key of map _a_.\n\n%s",
	       see ? "" : "\n", schema_name, fields);
	if (see)
		fputs(see + 1, stdout);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	char *fields = NULL;
	size_t len = 0;
	const char *slash;
	json_t *schema;
	FILE *out;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: schema-man PAGE.scd SCHEMA.json\n");
		return 2;
	}
	slash = strrchr(argv[2], '/');
	snprintf(schema_dir, sizeof(schema_dir), "%.*s", slash ? (int)(slash - argv[2]) : 1,
		 slash ? argv[2] : ".");
	schema = load(argv[2]);
	out = open_memstream(&fields, &len);
	if (!out)
		return 1;
	walk(schema, "", schema, 0, out);
	fclose(out);
	if (undescribed) {
		fprintf(stderr, "schema-man: %s: %d fields without a description\n", argv[2],
			undescribed);
		return 1;
	}
	err = splice(argv[1], fields, slash ? slash + 1 : argv[2]);
	free(fields);
	json_decref(schema);
	return err;
}
