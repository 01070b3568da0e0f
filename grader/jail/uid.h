/* The uid jail's pieces, inside the jail module: where bubblewrap cannot
 * build namespaces (a container's seccomp profile refuses them) but hwgrade
 * runs as root, each jail runs under a uid of its own and a group that every
 * file it must not read denies (docs/isolation.md, "The uid jail"). */
#ifndef HW_JAIL_UID_H
#define HW_JAIL_UID_H

#include <sys/types.h>

/* A uid no process holds now, from hwgrade's own range (its slice chosen by
 * this process's pid, so that two hwgrade processes do not meet); 0 when
 * none is free. */
uid_t hw_jail_uid_pick(void);
/* The one group of every uid jail: the group the hidden files deny. */
gid_t hw_jail_uid_gid(void);
/* Tasks (threads) whose real uid is uid, zombies left out when live_only;
 * -1 when /proc cannot be read. */
long hw_jail_uid_tasks(uid_t uid, int live_only);
/* Kills every process of uid (from that uid: kill(-1), until /proc shows
 * none alive), then removes the System V IPC objects it made or owns and
 * every file it owns in the places any uid may write (/tmp, /var/tmp,
 * /dev/shm, /dev/mqueue, /run/lock). */
void hw_jail_uid_sweep(uid_t uid);

#endif
