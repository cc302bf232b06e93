/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pct-lxc-start NAME LXCPATH: starts one container through liblxc and exits.
 *
 * libpct runs liblxc's start() in this short-lived process rather than in the caller's:
 * - start() moves its calling process into the container's monitor cgroup (host notes §11.1);
 * - start() forks the container's monitor from its caller. A fork of a multi-threaded library
 *   user is only safe for async-signal-safe code, and the monitor runs all of liblxc: it
 *   deadlocked on an allocator lock another thread held at the fork (seen with ASan's
 *   allocator under 20 parallel starts). A freshly exec'd process has no such locks and no
 *   inherited descriptors.
 * Exit status: 0 started, 1 liblxc's start failed (its reason is in the container's log),
 * 2 bad usage, 3 the container could not be opened. Messages go to stderr. */
#include <lxc/lxccontainer.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: pct-lxc-start NAME LXCPATH (libpct's start helper)\n");
        return 2;
    }
    struct lxc_container* c = lxc_container_new(argv[1], argv[2]);
    if (!c || !c->is_defined(c)) {
        fprintf(stderr, "liblxc cannot open container '%s' in '%s'\n", argv[1], argv[2]);
        return 3;
    }
    c->want_daemonize(c, true);
    c->want_close_all_fds(c, true);
    /* Not put: the process ends here, and the daemonized monitor has its own copy. */
    return c->start(c, 0, NULL) ? 0 : 1;
}
