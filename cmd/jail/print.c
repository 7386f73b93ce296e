/*
 * print.c: -J output: the parameters a jail was started with, as
 * name=value words quoted the way jail(8) quotes them (conf/print.c).
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "jail.h"

/* Print one jail's parameters, separated by sep ("jid=N" first). */
void
print_jail(FILE *f, const struct cjail *j, const char *sep)
{
	struct vj_params out = { 0 };

	if (j->jid > 0)
		fprintf(f, "jid=%d%s", j->jid, sep);
	for (size_t i = 0; i < j->params.n; i++)
		if (strcmp(j->params.v[i].name, "jid") != 0)
			vj_params_copy_one(&out, &j->params.v[i]);
	vj_conf_print_params(f, &out, sep);
	vj_params_free(&out);
}
