// SPDX-License-Identifier: GPL-2.0
/*
 * A flame graph as flamegraph.pl draws one, from the folded chains: the
 * root "all" at the bottom, each frame as wide as its events, children
 * left to right by name. Self-contained SVG with no script: a frame's
 * <title> is its tooltip, CSS its hover outline, so it renders wherever
 * SVG does and runs nothing when opened.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "call_chains.h"
#include "flamegraph_svg.h"
#include "report_outputs.h"

/* flamegraph.pl's geometry (pixels) */
#define FG_WIDTH	1200
#define FG_FRAME_H	16
#define FG_FONT_SIZE	12
#define FG_FONT_WIDTH	0.59	/* of the font size: an average character */
#define FG_XPAD		10
#define FG_TOP		(FG_FONT_SIZE * 3)	/* the title */
#define FG_BOTTOM	(FG_FONT_SIZE * 2 + 10)	/* the legend */
#define FG_MIN_WIDTH	0.1	/* narrower frames, and all above them, are left out */

struct fg_node {
	const char *name;		/* a frame of a chain's text, without "_[k]" */
	int kernel;			/* it had "_[k]": a kernel function */
	uint64_t count;
	struct fg_node *child;
	size_t nr_child, cap_child;
};

struct fg_plot {
	FILE *out;
	double per_event;		/* pixels */
	uint64_t total;
	int height;
};

static struct fg_node *child_named(struct fg_node *n, const char *name, int kernel)
{
	struct fg_node *c;

	/*
	 * Chains come sorted, so the chains through one child are adjacent:
	 * the child to extend, if any, is the last one (no search).
	 */
	if (n->nr_child && n->child[n->nr_child - 1].kernel == kernel &&
	    !strcmp(n->child[n->nr_child - 1].name, name))
		return &n->child[n->nr_child - 1];
	if (n->nr_child == n->cap_child) {
		size_t cap = n->cap_child ? 2 * n->cap_child : 4;

		c = realloc(n->child, cap * sizeof(*c));
		if (!c)
			return NULL;
		n->child = c;
		n->cap_child = cap;
	}
	c = &n->child[n->nr_child++];
	*c = (struct fg_node){ .name = name, .kernel = kernel };
	return c;
}

/* Cut off "_[k]" in place: whether it was there. */
static int strip_kernel_suffix(char *frame)
{
	size_t len = strlen(frame), klen = strlen(CHAIN_KERNEL_SUFFIX);

	if (len <= klen || strcmp(frame + len - klen, CHAIN_KERNEL_SUFFIX))
		return 0;
	frame[len - klen] = '\0';
	return 1;
}

/* Add a chain, its text cut into frames in place. */
static int add_chain(struct fg_node *root, struct call_chain *chain)
{
	struct fg_node *n = root;
	char *frame = chain->text, *sep;

	root->count += chain->count;
	for (; frame; frame = sep ? sep + 1 : NULL) {
		sep = strchr(frame, CHAIN_SEPARATOR);
		if (sep)
			*sep = '\0';
		n = child_named(n, frame, strip_kernel_suffix(frame));
		if (!n)
			return -ENOMEM;
		n->count += chain->count;
	}
	return 0;
}

static int node_cmp(const void *a, const void *b)
{
	const struct fg_node *x = a, *y = b;
	int by_name = strcmp(x->name, y->name);

	return by_name ? by_name : x->kernel - y->kernel;
}

static void sort_children(struct fg_node *n)
{
	if (!n->nr_child)
		return;		/* a leaf: no array to sort */
	qsort(n->child, n->nr_child, sizeof(*n->child), node_cmp);
	for (size_t i = 0; i < n->nr_child; i++)
		sort_children(&n->child[i]);
}

static void free_children(struct fg_node *n)
{
	for (size_t i = 0; i < n->nr_child; i++)
		free_children(&n->child[i]);
	free(n->child);
}

/* The depth of the deepest frame wide enough to draw. */
static int drawn_depth(const struct fg_node *n, double per_event)
{
	int deepest = 0;

	for (size_t i = 0; i < n->nr_child; i++) {
		if (n->child[i].count * per_event < FG_MIN_WIDTH)
			continue;
		int d = 1 + drawn_depth(&n->child[i], per_event);

		if (d > deepest)
			deepest = d;
	}
	return deepest;
}

static void draw_frame(struct fg_plot *p, const struct fg_node *n, int depth, uint64_t start)
{
	double x = FG_XPAD + start * p->per_event, w = n->count * p->per_event;
	double y = p->height - FG_BOTTOM - (depth + 1) * FG_FRAME_H + 1;
	size_t chars = (size_t)(w / (FG_FONT_SIZE * FG_FONT_WIDTH));
	char fill[32], count[32];

	if (w < FG_MIN_WIDTH)
		return;
	svg_frame_fill(n->name, strlen(n->name), n->kernel, fill, sizeof(fill));
	fputs("<g>\n<title>", p->out);
	svg_text(p->out, n->name, SIZE_MAX);
	fprintf(p->out, "%s (%s events, %.2f%%)</title>", n->kernel ? " [kernel]" : "",
		svg_count(n->count, count, sizeof(count)), 100.0 * n->count / p->total);
	fprintf(p->out, "<rect x=\"%.3f\" y=\"%.1f\" width=\"%.3f\" height=\"%d\" fill=\"%s\" "
		"rx=\"2\" ry=\"2\"/>\n", x, y, w, FG_FRAME_H - 1, fill);
	/* a label too narrow for three characters is none */
	if (chars >= 3) {
		fprintf(p->out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + FG_FRAME_H / 2 + 3.5);
		svg_text(p->out, n->name, chars);
		fputs("</text>\n", p->out);
	}
	fputs("</g>\n", p->out);
	for (size_t i = 0; i < n->nr_child; i++) {
		draw_frame(p, &n->child[i], depth + 1, start);
		start += n->child[i].count;
	}
}

static void svg_head(FILE *out, int height, const char *title)
{
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
		"\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n", FG_WIDTH, height, FG_WIDTH, height);
	fputs("<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
	      "<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"#eeeeb0\" "
	      "offset=\"95%\"/></linearGradient></defs>\n"
	      "<style type=\"text/css\">text { font-family: Verdana, sans-serif; font-size: 12px; "
	      "fill: rgb(0,0,0); } .title { font-size: 17px; text-anchor: middle; } "
	      "#frames g:hover rect { stroke: black; stroke-width: 0.5; }</style>\n", out);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#background)\"/>\n",
		FG_WIDTH, height);
	fprintf(out, "<text class=\"title\" x=\"%d\" y=\"24\">", FG_WIDTH / 2);
	svg_text(out, title ? title : "Flame graph", SIZE_MAX);
	fputs("</text>\n", out);
}

static void svg_legend(FILE *out, int height, uint64_t total)
{
	char count[32];

	fprintf(out, "<text x=\"%d\" y=\"%d\">%s events. Kernel frames blue-green; [cut]: the user "
		"chain ended early (no frame pointers). Hover a frame for its count.</text>\n",
		FG_XPAD, height - FG_BOTTOM / 2 + 4, svg_count(total, count, sizeof(count)));
}

int report_flamegraph_svg(const struct recording *r, const char *title, FILE *out)
{
	struct fg_node root = { .name = "all" };
	struct fg_plot p = { .out = out };
	struct call_chains c;
	int err = call_chains_fold(r, &c);

	if (err)
		return err;
	for (size_t i = 0; i < c.nr && !err; i++)
		err = add_chain(&root, &c.chain[i]);
	if (err)
		goto out;
	sort_children(&root);
	p.total = root.count;
	p.per_event = p.total ? (double)(FG_WIDTH - 2 * FG_XPAD) / p.total : 0;
	p.height = (drawn_depth(&root, p.per_event) + 1) * FG_FRAME_H + FG_TOP + FG_BOTTOM;
	svg_head(out, p.height, title);
	fputs("<g id=\"frames\">\n", out);
	if (p.total)
		draw_frame(&p, &root, 0, 0);
	fputs("</g>\n", out);
	svg_legend(out, p.height, p.total);
	fputs("</svg>\n", out);
	err = report_write_status(out);
out:
	free_children(&root);
	call_chains_free(&c);
	return err;
}
