/*
 * fuzz_conf.c: libFuzzer target over the jail.conf(5) parser.
 * Each input is loaded (includes refused), then every jail is printed,
 * checked against the registry and ordered for a start and a stop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf.h"

/* Free what vj_conf_order returned. */
#define free_order(o)	free(o)

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Order every jail, both ways. */
static void
order_all(struct vj_conf *conf)
{
	static const char *const all[] = { "*" };
	struct vj_cfjail **order;
	struct vj_error err;
	size_t n;

	if (vj_conf_order(conf, NULL, 0, 0, &order, &n, &err) == 0)
		free_order(order);
	if (vj_conf_order(conf, all, 1, VJ_ORDER_STOP, &order, &n, &err) == 0)
		free_order(order);
	if (conf->njails > 0 && vj_conf_order(conf,
	    (const char *const *)&conf->jails[conf->njails - 1].name, 1, 0,
	    &order, &n, &err) == 0)
		free_order(order);
}

/* One input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct vj_conf conf;
	struct vj_error err;
	size_t i;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (vj_conf_load_mem("fuzz.conf", (const char *)data, size,
	    VJ_CONF_NOCHECK | VJ_CONF_NOINCLUDE, &conf, &err) < 0)
		return 0;
	for (i = 0; i < conf.njails; i++) {
		vj_conf_print(null, &conf.jails[i], "|");
		(void)vj_conf_check_jail(&conf.jails[i], &err);
	}
	order_all(&conf);
	vj_conf_free(&conf);
	return 0;
}
