/*
 * donor.h: thread-local storage lent to inits that set themselves up
 * while their creator goes on (donor.c).
 */
#ifndef VJ_DONOR_H
#define VJ_DONOR_H

/* At most this many inits set themselves up at once per process. */
#define VJ_DONORS_MAX	4

struct vj_donors;

/* Borrow a parked thread's TLS for an init; NULL if none can be had
 * (the init then runs on the creator's, and the creator waits). */
void	*vj_donor_lend(struct vj_donors **);
/* Give it back once the init has reported or is gone. */
void	 vj_donor_return(struct vj_donors **, void *tls);
/* End this process's donors; none may still be lent. */
void	 vj_donors_free(struct vj_donors **);

#endif
