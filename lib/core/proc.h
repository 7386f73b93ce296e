/*
 * proc.h: process identity helpers.  A pid alone can be reused; a pid with
 * its start time cannot, so records keep both and pidfds are checked.
 */
#ifndef VJ_PROC_H
#define VJ_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* Start time (clock ticks since boot) of pid, or 0 if it does not exist. */
unsigned long long vj_proc_start(pid_t pid);
unsigned long long vj_proc_self_start(void);
/* Is (pid, start) a live (not zombie) process? */
bool	vj_proc_alive(pid_t pid, unsigned long long start);
/* A pidfd for (pid, start), or -1 with errno ESRCH if it is gone. */
int	vj_proc_pidfd(pid_t pid, unsigned long long start);
/* Inode of a process's pid namespace ("self" for the caller), 0 on error. */
unsigned long vj_proc_pidns(const char *pid);
/* Wait until a pidfd's process exits, up to ms (-1 forever); 0 if it did. */
int	vj_proc_wait_exit(int pidfd, int ms);
/* Count processes in pid namespace ino (host view), except pid skip;
 * with sig != 0, also send them sig. */
int	vj_proc_count_in_pidns(unsigned long ino, pid_t skip, int sig);
/* The same through the init's own procfs (its descriptor 3, borrowed
 * with pidfd_getfd): the jail's processes only.  -1 if not possible. */
int	vj_proc_count_via_init(int init_pidfd, int sig);
/* pidfd_open(2) and pidfd_send_signal(2). */
int	vj_pidfd_open(pid_t pid);
int	vj_pidfd_signal(int pidfd, int sig);

#endif
