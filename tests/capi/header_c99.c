/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pct.h must compile alone as strict C99 (see CMakeLists.txt for the warning set). */
#include <pct/pct.h>

int pct_header_probe(void);

int pct_header_probe(void) {
    pct_config_options options = PCT_CONFIG_OPTIONS_INIT;
    pct_lxc_options lxc = PCT_LXC_OPTIONS_INIT;
    return (int)options.version + (int)lxc.version + PCT_VERSION_NUMBER;
}
