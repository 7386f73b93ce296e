/*
 * print.c: parameters as name=value words, for -J (and -e): values are
 * quoted the way jail(8) quotes them so the output can be read back.
 */
#include <stdio.h>
#include <string.h>

#include "jail.h"

/* Print a value with jail(8)'s quoting rules. */
static void
quoted_print(FILE *f, const char *s)
{
	int q = 0;

	if (*s == '\0') {
		fputs("\"\"", f);
		return;
	}
	if (strchr(s, '\''))
		q = '"';
	else if (strchr(s, '"'))
		q = '\'';
	else if (strpbrk(s, " \t"))
		q = '"';
	if (q)
		fputc(q, f);
	for (; *s; s++) {
		if (*s == '\\' || (q && *s == q))
			fputc('\\', f);
		fputc(*s, f);
	}
	if (q)
		fputc(q, f);
}

/* Print one jail's parameters, separated by sep. */
void
print_jail(FILE *f, const struct cjail *j, const char *sep)
{
	const struct vj_param *p;
	size_t i, k;
	bool first = true;

	if (j->jid > 0) {
		fprintf(f, "jid=%d", j->jid);
		first = false;
	}
	for (i = 0; i < j->params.n; i++) {
		p = &j->params.v[i];
		if (strcmp(p->name, "jid") == 0 && j->jid > 0)
			continue;
		fprintf(f, "%s%s", first ? "" : sep, p->name);
		first = false;
		if (p->nvals == 0)
			continue;
		fputc('=', f);
		for (k = 0; k < p->nvals; k++) {
			if (k > 0)
				fputc(',', f);
			quoted_print(f, p->vals[k]);
		}
	}
	fputc('\n', f);
}
