/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * libpct from C: load a container config, move its first network interface to another bridge,
 * and write the file back losslessly (comments and line order stay). Errors are printed with
 * every detail the library gives.
 *
 *   make && ./edit_net /etc/pve/lxc/101.conf [BRIDGE]
 */
#include <pct/pct.h>

#include <stdio.h>

/* Prints the calling thread's last error: "error: CODE: FILE:LINE: KEY.SUBKEY: MESSAGE". */
static int report(int rc) {
    fprintf(stderr, "error: %s: ", pct_error_name(rc));
    if (*pct_error_last_file())
        fprintf(stderr, "%s:%d: ", pct_error_last_file(), pct_error_last_line());
    if (*pct_error_last_key())
        fprintf(stderr, "%s%s%s: ", pct_error_last_key(), *pct_error_last_subkey() ? "." : "",
                pct_error_last_subkey());
    fprintf(stderr, "%s\n", pct_error_last_message());
    return 1;
}

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "101.conf";
    const char* bridge = argc > 2 ? argv[2] : "vmbr1";
    pct_config* config = NULL;
    pct_diag_list* warnings = NULL;
    pct_net* net = NULL;
    char* line = NULL;
    size_t i;
    int rc;

    printf("libpct %s\n", pct_version());
    if ((rc = pct_config_load(&config, path, NULL)) != PCT_OK)
        return report(rc);

    /* Lenient reading never fails on content: problems come back as warnings. */
    if ((rc = pct_config_warnings(&warnings, config)) != PCT_OK)
        goto fail;
    for (i = 0; i < pct_diag_list_count(warnings); ++i) {
        const pct_diag* w = pct_diag_list_at(warnings, i);
        printf("warning: line %d: %s\n", pct_diag_line(w), pct_diag_message(w));
    }

    if ((rc = pct_config_get_net(&net, config, PCT_SECTION_MAIN, 0)) != PCT_OK)
        goto fail;
    if ((rc = pct_net_set(net, "bridge", bridge)) != PCT_OK)
        goto fail;
    if ((rc = pct_config_set_net(config, PCT_SECTION_MAIN, 0, net)) != PCT_OK)
        goto fail;
    if ((rc = pct_net_print(&line, net)) != PCT_OK)
        goto fail;
    printf("net0: %s\n", line);

    if ((rc = pct_config_save(config, path, PCT_WRITE_LOSSLESS)) != PCT_OK)
        goto fail;
    printf("saved %s (was digest %s)\n", path, pct_config_digest(config));

fail:
    if (rc != PCT_OK)
        report(rc);
    pct_string_free(line);
    pct_net_free(net);
    pct_diag_list_free(warnings);
    pct_config_free(config);
    return rc == PCT_OK ? 0 : 1;
}
