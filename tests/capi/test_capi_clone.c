/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The C ABI of templates and clones (pct_container_template, pct_clone_options_init,
 * pct_container_clone): Proxmox's refusals with their codes and messages, NULL handling and the
 * options' versions on a temporary host with a dir storage (no root needed); as root also a
 * full clone of a subvol (copied with rsync in a mount namespace of its own).
 * Strict C99; only <pct/pct.h>.
 */
#define _GNU_SOURCE /* mkdtemp(3) */
#include <pct/pct.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int g_checks;
static int g_failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        ++g_checks;                                                                                \
        if (!(cond)) {                                                                             \
            ++g_failures;                                                                          \
            fprintf(stderr, "%s:%d: FAILED: %s\n    last error %d: '%s'\n", __FILE__, __LINE__,    \
                    #cond, pct_error_last_code(), pct_error_last_message());                       \
        }                                                                                          \
    } while (0)

/* The call returns `rc` with `message` as the last error's message. */
#define CHECK_ERR(call, rc, message)                                                               \
    do {                                                                                           \
        int got_ = (call);                                                                         \
        CHECK(got_ == (rc));                                                                       \
        CHECK(strcmp(pct_error_last_message(), (message)) == 0);                                   \
    } while (0)

static char g_root[64];

static void write_file(const char* rel, const char* text) {
    char path[256];
    FILE* f;
    snprintf(path, sizeof path, "%s/%s", g_root, rel);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static void make_dirs(const char* rel) {
    char cmd[320];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s'", g_root, rel);
    if (system(cmd) != 0)
        exit(2);
}

static int exists(const char* rel) {
    char path[256];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", g_root, rel);
    return stat(path, &st) == 0;
}

int main(void) {
    pct_host* host = NULL;
    pct_string_list* lines = NULL;
    pct_clone_options options;
    pct_config* conf = NULL;
    const char* value = NULL;
    char cmd[128];

    strcpy(g_root, "/tmp/pct-capi-clone.XXXXXX");
    if (!mkdtemp(g_root)) {
        perror("mkdtemp");
        return 2;
    }
    make_dirs("etc/pve/lxc");
    make_dirs("var/lib/vz/images/910201/subvol-910201-disk-0.subvol/etc");
    make_dirs("srv/shared");
    write_file("var/lib/vz/images/910201/subvol-910201-disk-0.subvol/etc/hello", "hello\n");
    write_file("etc/pve/storage.cfg", "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n");
    write_file("etc/pve/lxc/910201.conf",
               "hostname: c\nnet0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01\n"
               "ostype: unmanaged\nrootfs: local:910201/subvol-910201-disk-0.subvol,size=0T\n");
    CHECK(pct_host_open(&host, g_root) == PCT_OK);

    /* Options: versions and defaults. */
    CHECK(pct_clone_options_init(&options, 99) == PCT_EINVAL);
    CHECK(pct_clone_options_init(NULL, PCT_CLONE_OPTIONS_VERSION) == PCT_EINVAL);
    CHECK(pct_clone_options_init(&options, PCT_CLONE_OPTIONS_VERSION) == PCT_OK);
    CHECK(options.full == -1 && options.storage == NULL && options.bwlimit_kib == 0);
    options.full = 2;
    CHECK(pct_container_clone(NULL, host, 910201, 910202, &options) == PCT_EINVAL);

    /* Refusals, nothing made. */
    options.full = 0;
    CHECK_ERR(pct_container_clone(&lines, host, 910201, 910202, &options), PCT_EUNSUPPORTED,
              "Linked clone feature for 'local:910201/subvol-910201-disk-0.subvol' is not "
              "available");
    CHECK(lines == NULL);
    options.storage = "local";
    CHECK_ERR(pct_container_clone(NULL, host, 910201, 910202, &options), PCT_EINVAL,
              "parameter 'storage' not allowed for linked clones");
    options.full = -1;
    options.storage = NULL;
    options.snapname = "nope";
    CHECK_ERR(pct_container_clone(NULL, host, 910201, 910202, &options), PCT_ENOTFOUND,
              "snapshot 'nope' does not exist");
    options.snapname = NULL;
    CHECK_ERR(pct_container_clone(NULL, host, 910201, 910201, NULL), PCT_EEXIST,
              "CT 910201 already exists");
    CHECK(pct_container_clone(NULL, NULL, 910201, 910202, NULL) == PCT_EINVAL);
    CHECK(pct_container_clone(NULL, host, 5, 910202, NULL) == PCT_EINVAL);
    CHECK(!exists("etc/pve/lxc/910202.conf"));

    /* template: a bind mount point has no template feature; a missing CT. */
    write_file("etc/pve/lxc/910203.conf",
               "rootfs: local:910201/subvol-910201-disk-0.subvol,size=0T\n"
               "mp0: /srv/shared,mp=/shared\n");
    CHECK_ERR(pct_container_template(host, 910203), PCT_EUNSUPPORTED,
              "Template feature is not available for '/srv/shared'");
    CHECK_ERR(pct_container_clone(NULL, host, 910203, 910202, NULL), PCT_EUNSUPPORTED,
              "unable to clone mountpoint 'mp0' (type bind)");
    CHECK(pct_container_template(host, 910299) == PCT_ENOTFOUND);
    CHECK(pct_container_template(NULL, 910201) == PCT_EINVAL);

    /* A full clone (root: rsync between mounts in a private mount namespace). */
    if (geteuid() == 0) {
        options.hostname = "copy";
        CHECK(pct_container_clone(&lines, host, 910201, 910202, &options) == PCT_OK);
        CHECK(pct_string_list_count(lines) >= 1);
        CHECK(lines && strcmp(pct_string_list_at(lines, 0),
                              "create full clone of mountpoint rootfs "
                              "(local:910201/subvol-910201-disk-0.subvol)") == 0);
        pct_string_list_free(lines);
        lines = NULL;
        CHECK(exists("var/lib/vz/images/910202/subvol-910202-disk-0.subvol/etc/hello"));
        snprintf(cmd, sizeof cmd, "%s/etc/pve/lxc/910202.conf", g_root);
        CHECK(pct_config_load(&conf, cmd, NULL) == PCT_OK);
        CHECK(pct_config_get(&value, NULL, conf, NULL, "hostname") == PCT_OK);
        CHECK(value && strcmp(value, "copy") == 0);
        CHECK(pct_config_get(&value, NULL, conf, NULL, "net0") == PCT_OK);
        CHECK(value && strstr(value, "bridge=vmbr0") && !strstr(value, "BC:24:11:00:00:01"));
        CHECK(pct_config_get(&value, NULL, conf, NULL, "lock") == PCT_ENOTFOUND);
        pct_config_free(conf);
    } else {
        printf("SKIP full clone: needs root for the copy's mounts\n");
    }

    pct_host_free(host);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", g_root);
    printf("%d checks, %d failures\n", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
