/*
 * epair.c: epair(8), the `ifconfig epair create` Linux lacks: make a
 * veth pair named epairNa/epairNb (or given names) and print its names,
 * or destroy one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

/* Print usage and exit. */
static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: epair create [name]\n"
	    "       epair destroy name\n");
	exit(status);
}

/* Create epairNa/epairNb with the first free N, or name{a,b}. */
static int
create(struct vj_nl *nl, const char *base)
{
	struct vj_nl_veth v = { .peer_netns_fd = -1 };
	struct vj_error err;
	char a[16], b[16];
	int n;

	for (n = 0; n < 100000; n++) {
		if (base != NULL && n > 0)
			break;
		snprintf(a, sizeof(a), "%s%da", base ? "" : "epair", n);
		if (base != NULL)
			snprintf(a, sizeof(a), "%sa", base);
		snprintf(b, sizeof(b), "%.*sb", (int)strlen(a) - 1, a);
		v.name = a;
		v.peer = b;
		if (vj_nl_veth_add(nl, &v, &err) == 0) {
			printf("%s %s\n", a, b);
			return 0;
		}
		if (err.ve_errno != EEXIST)
			break;
	}
	fprintf(stderr, "epair: %s\n", err.ve_msg);
	return 1;
}

/* epair(8) entry point. */
int
main(int argc, char **argv)
{
	struct vj_error err;
	struct vj_nl *nl;
	int rc;

	if (argc == 3 && strcmp(argv[1], "create") == 0 &&
	    strlen(argv[2]) > 14) {
		fprintf(stderr, "epair: %s: longer than 14 characters\n",
		    argv[2]);
		return 1;
	}
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)
		usage(argc < 2);
	if ((nl = vj_nl_open(&err)) == NULL) {
		fprintf(stderr, "epair: %s\n", err.ve_msg);
		return 1;
	}
	if (strcmp(argv[1], "create") == 0 && argc <= 3)
		rc = create(nl, argc == 3 ? argv[2] : NULL);
	else if (strcmp(argv[1], "destroy") == 0 && argc == 3) {
		rc = vj_nl_ifindex(nl, argv[2], &err) < 0 ||
		    vj_nl_link_del(nl, argv[2], &err) < 0;
		if (rc)
			fprintf(stderr, "epair: %s\n", err.ve_msg);
	} else
		usage(1);
	vj_nl_close(nl);
	return rc;
}
