// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-prestart HOST_ROOT CTID START_HELPER NAME LXCPATH: mounts a container's volumes in a
// private mount namespace, then becomes pct-lxc-start (libpct/runtime/prestart.hpp says why).
#include "prestart.hpp"

int main(int argc, char** argv) { return pct::runtime::detail::prestart_main(argc, argv); }
