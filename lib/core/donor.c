/*
 * donor.c: parked threads that lend their thread-local storage to inits.
 *
 * An init shares its creator's memory (init.c) and uses libc during its
 * own setup: errno, malloc's per-thread cache and stdio's lock owner all
 * live in thread-local storage.  On the creator's storage, the creator
 * must sit blocked while the init sets up.  A creator of many jails
 * instead clones each init with CLONE_SETTLS pointing at a donor: a
 * thread of ours that waits in one raw read and never touches its own
 * storage, so the init has it to itself until it reports.  The creator
 * meanwhile builds the next jail, and the init's mounts and filter are
 * made on the other CPU.  With a donor alive, libc also takes its locks
 * (it skips them in a process it believes single-threaded).
 *
 * Donors belong to the process that made them: a forked child of a
 * creator starts a set of its own.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "donor.h"

#define DONOR_STACK	(256 * 1024)	/* static TLS lives in it too */

struct vj_donors {
	pid_t		owner;		/* the process the threads are in */
	int		wake[2];	/* closing wake[1] ends every donor */
	int		n;
	pthread_t	thread[VJ_DONORS_MAX];
	bool		lent[VJ_DONORS_MAX];
};

/* A donor: wait for its byte (or EOF) in one raw read, touching no
 * TLS.  A byte, not only EOF: a forked child may hold the pipe open. */
static void *
donor_main(void *arg)
{
	long fd = (long)arg, ret;
	char c;

	do {
#if defined(__x86_64__)
		__asm__ volatile ("syscall" : "=a"(ret) : "a"((long)SYS_read),
		    "D"(fd), "S"(&c), "d"(1L) : "rcx", "r11", "memory");
#else
		ret = read((int)fd, &c, 1);	/* never lent there */
#endif
	} while (ret == -4 /* EINTR */);
	return NULL;
}

/* Start one more donor, all signals blocked in it. */
static int
add_donor(struct vj_donors *d)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (pthread_attr_init(&attr) != 0)
		return -1;
	pthread_attr_setstacksize(&attr, DONOR_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->thread[d->n], &attr, donor_main,
	    (void *)(long)d->wake[0]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		return -1;
	d->lent[d->n++] = false;
	return 0;
}

/* The donors of this process, made on first use; NULL if none can be. */
static struct vj_donors *
donors(struct vj_donors **slot)
{
	struct vj_donors *d = *slot;

	if (d != NULL && d->owner == getpid())
		return d;
	/* A forked child: the threads stayed behind in the parent, and
	 * the copies of their pipe are ours to close. */
	if (d != NULL) {
		close(d->wake[0]);
		close(d->wake[1]);
		free(d);
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	if (pipe2(d->wake, O_CLOEXEC) < 0) {
		free(d);
		return NULL;
	}
	d->owner = getpid();
	*slot = d;
	return d;
}

/* Borrow a donor's TLS (its thread pointer); NULL if none is free. */
void *
vj_donor_lend(struct vj_donors **slot)
{
#if defined(__x86_64__) && !defined(VJ_INIT_NO_VM)
	struct vj_donors *d = donors(slot);
	int i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < d->n; i++)
		if (!d->lent[i])
			break;
	if (i == d->n && (d->n == VJ_DONORS_MAX || add_donor(d) < 0))
		return NULL;
	d->lent[i] = true;
	/* glibc's pthread_t is the thread pointer that CLONE_SETTLS sets. */
	return (void *)d->thread[i];
#else
	(void)slot;
	return NULL;	/* the init has memory of its own there */
#endif
}

/* The init reported (or died): its donor's TLS is free again. */
void
vj_donor_return(struct vj_donors **slot, void *tls)
{
	struct vj_donors *d = *slot;
	int i;

	if (d == NULL || tls == NULL || d->owner != getpid())
		return;
	for (i = 0; i < d->n; i++)
		if ((void *)d->thread[i] == tls)
			d->lent[i] = false;
}

/* Wait (briefly) until this process is one thread again in the kernel
 * too: a joined thread still holds the shared fs_struct a moment, and
 * setns into a mount namespace wants it unshared. */
static void
wait_single_thread(void)
{
	struct timespec nap = { 0, 200 * 1000 };
	struct stat st;
	int tries;

	for (tries = 0; tries < 500; tries++) {
		if (stat("/proc/self/task", &st) < 0 || st.st_nlink <= 3)
			return;
		nanosleep(&nap, NULL);
	}
}

/* End every donor of this process; none may be lent. */
void
vj_donors_free(struct vj_donors **slot)
{
	struct vj_donors *d = *slot;
	int i;

	*slot = NULL;
	if (d == NULL)
		return;
	if (d->owner == getpid()) {
		for (i = 0; i < d->n; i++)	/* one byte each */
			(void)!write(d->wake[1], "x", 1);
		for (i = 0; i < d->n; i++)
			pthread_join(d->thread[i], NULL);
		if (d->n > 0)
			wait_single_thread();
	}
	close(d->wake[1]);
	close(d->wake[0]);
	free(d);
}
