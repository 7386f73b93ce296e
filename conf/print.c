/*
 * print.c: jail -e output, with jail(8)'s quoting of values.
 */
#include <string.h>

#include "conf.h"

/* Print one value, quoted the way jail(8) quotes it. */
void
vj_conf_print_value(FILE *out, const char *value)
{
	const char *p;
	int q = 0;

	if (value[0] == '\0' || strchr(value, '\'') != NULL)
		q = '"';
	else if (strchr(value, '"') != NULL)
		q = '\'';
	else if (strpbrk(value, " \t") != NULL)
		q = '"';
	if (q)
		putc(q, out);
	for (p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == q)
			putc('\\', out);
		putc(*p, out);
	}
	if (q)
		putc(q, out);
}

/* Print name=value pairs joined by sep (jid left out), then a newline. */
void
vj_conf_print_params(FILE *out, const struct vj_params *ps, const char *sep)
{
	const struct vj_param *p;
	size_t i, k;
	int first = 1;

	for (i = 0; i < ps->n; i++) {
		p = &ps->v[i];
		if (strcmp(p->name, "jid") == 0)
			continue;
		if (!first)
			fputs(sep, out);
		first = 0;
		fputs(p->name, out);
		for (k = 0; k < p->nvals; k++) {
			putc(k == 0 ? '=' : ',', out);
			vj_conf_print_value(out, p->vals[k]);
		}
	}
	putc('\n', out);
}

/* Print a configured jail as jail -e does. */
void
vj_conf_print(FILE *out, const struct vj_cfjail *j, const char *sep)
{
	vj_conf_print_params(out, &j->params, sep);
}
