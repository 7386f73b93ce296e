/*
 * bench.h: shared pieces of the benchmark programs (bench/baseline,
 * bench/vjlib): rtnetlink over libmnl, namespace holders, the "netns
 * really freed" barrier, and measurement helpers.  Nothing here is part of
 * libvjail; the baseline must stay independent of the code it judges.
 */
#ifndef VJB_BENCH_H
#define VJB_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define VJB_PORTS_PER_BRIDGE	1000
#define VJB_NSFLAGS	(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | \
			 CLONE_NEWNS | CLONE_NEWPID)

/* A netlink socket with its own sequence numbers and a batch buffer. */
struct vjb_nl {
	int		 fd;
	uint32_t	 seq;
	uint32_t	 portid;
	char		*buf;		/* batch under construction */
	size_t		 len, cap;
	unsigned	 nmsg;		/* messages in the batch */
	char		 err[256];	/* extended ack text of the last error */
};

/* bnl.c: rtnetlink. */
int	vjb_nl_open(struct vjb_nl *nl);
void	vjb_nl_close(struct vjb_nl *nl);
int	vjb_nl_flush(struct vjb_nl *nl);
void	vjb_nl_veth(struct vjb_nl *nl, const char *name, int master,
	    bool up, const char *peer, pid_t peer_pid);
void	vjb_nl_bridge(struct vjb_nl *nl, const char *name);
void	vjb_nl_addrgen_none(struct vjb_nl *nl, int ifindex, const char *name);
void	vjb_nl_up(struct vjb_nl *nl, int ifindex, const char *name);
void	vjb_nl_addr4(struct vjb_nl *nl, int ifindex, uint32_t addr, int plen);
void	vjb_nl_del(struct vjb_nl *nl, int ifindex, const char *name);
int	vjb_nl_ifindex(struct vjb_nl *nl, const char *name);

/* A link monitor: counts RTM_DELLINK of a set of host ifindexes. */
struct vjb_mon {
	int		 fd;
	uint8_t		*want;		/* want[ifindex] != 0: still there */
	size_t		 nwant;		/* size of want[] */
	long		 left;		/* tracked links not yet gone */
};

int	vjb_mon_open(struct vjb_mon *m);
void	vjb_mon_close(struct vjb_mon *m);
int	vjb_mon_track(struct vjb_mon *m, int ifindex);
int	vjb_mon_wait(struct vjb_mon *m, struct vjb_nl *nl, double timeout_ms);
int	vjb_links_with_prefix(struct vjb_nl *nl, const char *prefix,
	    struct vjb_mon *m);

/* holder.c: namespace holders and the freed barrier. */
pid_t	vjb_holder_new(int nsflags, bool vm, int *pidfdp);
int	vjb_holder_reap(pid_t pid);
int	vjb_barrier(struct vjb_nl *nl, int nsentinels, double timeout_ms);
int	vjb_enter(pid_t pid, char *const argv[]);

/* measure.c: clocks, /proc/meminfo, PSS, exec timing, JSON. */
struct vjb_kmem {
	long	slab, percpu, kstack, ptables;	/* kB */
};

extern volatile sig_atomic_t vjb_stop;	/* a stop signal arrived */

void	vjb_catch_signals(void);
double	vjb_now_ms(void);
int	vjb_kmem_read(struct vjb_kmem *k);
long	vjb_kmem_total(const struct vjb_kmem *k);
long	vjb_pss_kb(pid_t pid);
long	vjb_pss_foreign(long *nprocs, const char *since, bool save,
	    const char *comm);
int	vjb_time_cmd(int reps, int warmup, char *const argv[], bool json);
double	vjb_median(double *v, size_t n);
void	vjb_json_str(const char *s);

#endif
