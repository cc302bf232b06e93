/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Starts a real container through an *installed* libpct (tests/capi/install_start_test.sh
 * builds this against the install and hides the build tree's start helper): the library must
 * find <prefix>/<libexecdir>/pct/pct-lxc-start relative to itself.
 * usage: install_start ROOT TEMPLATE
 */
#include <pct/pct.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int failed(const char* what, int rc) {
    fprintf(stderr, "install_start: %s: rc %d: %s\n", what, rc, pct_error_last_message());
    return 1;
}

int main(int argc, char** argv) {
    const uint32_t vmid = 900000000u + (uint32_t)(getpid() % 90000) * 100u + 63u;
    pct_host* host = NULL;
    pct_config* options = NULL;
    pct_create_options create = PCT_CREATE_OPTIONS_INIT;
    pct_start_options start = PCT_START_OPTIONS_INIT;
    pct_stop_options stop = PCT_STOP_OPTIONS_INIT;
    pct_container* ct = NULL;
    int rc;
    int status = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: install_start ROOT TEMPLATE\n");
        return 2;
    }
    if ((rc = pct_host_open(&host, argv[1])) != PCT_OK)
        return failed("pct_host_open", rc);
    if ((rc = pct_config_new(&options)) != PCT_OK ||
        (rc = pct_config_set(options, NULL, "ostype", "debian")) != PCT_OK ||
        (rc = pct_config_set(options, NULL, "memory", "64")) != PCT_OK)
        return failed("options", rc);
    create.ostemplate = argv[2];
    create.config = options;
    rc = pct_container_create(&ct, host, vmid, &create);
    pct_config_free(options);
    if (rc != PCT_OK)
        return failed("pct_container_create", rc);

    start.timeout_ms = 60000;
    start.log_level = "info";
    if ((rc = pct_container_start_opts(NULL, ct, &start)) != PCT_OK)
        status = failed("pct_container_start_opts", rc);
    else if (pct_container_state(ct) != PCT_STATE_RUNNING)
        status = failed("state after start", pct_container_state(ct));
    else
        printf("install_start: CT %u running through the installed helper\n", (unsigned)vmid);
    stop.timeout_ms = 30000;
    if (status == 0 && (rc = pct_container_stop_opts(ct, &stop)) != PCT_OK)
        status = failed("pct_container_stop_opts", rc);
    if ((rc = pct_container_destroy(ct, 1)) != PCT_OK)
        status = failed("pct_container_destroy", rc);
    pct_container_free(ct);
    pct_host_free(host);
    return status;
}
