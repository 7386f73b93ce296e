/* netns.c: a new network namespace, as a descriptor (vj_netns_new). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* The child of vj_netns_new: open the namespace it was born in. */
static int
open_own_netns(void *arg)
{
	int *fd = arg;

	*fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	*(fd + 1) = *fd < 0 ? errno : 0;
	return 0;
}

/* A new network namespace; the child shares our memory and descriptors,
 * and we are suspended until it exits, as with vfork. */
int
vj_netns_new(unsigned long extra)
{
	char stack[16384] __attribute__((aligned(16)));
	int out[2] = { -1, EIO };
	pid_t pid;

	pid = clone(open_own_netns, stack + sizeof(stack), CLONE_VM |
	    CLONE_FILES | CLONE_VFORK | CLONE_NEWNET | (int)extra | SIGCHLD,
	    out);
	if (pid < 0)
		return -1;
	waitpid(pid, NULL, __WALL);
	errno = out[1];
	return out[0];
}
