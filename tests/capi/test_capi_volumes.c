/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The C ABI of the volume operations (pct_volume_*): results, Proxmox's refusals with their
 * codes and messages, NULL handling and the move options' versions, on a temporary host with a
 * dir storage holding subvol volumes (no root needed). Strict C99; only <pct/pct.h>.
 * usage: test_capi_volumes (as root also `pct df` of the stopped container, mounted in a
 * mount namespace of this test's own, so nothing stays mounted whatever happens)
 */
#define _GNU_SOURCE /* unshare(2) */
#include <pct/pct.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
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

int main(void) {
    pct_host* host = NULL;
    pct_string_list* lines = NULL;
    pct_string_list* warnings = NULL;
    pct_move_volume_options options;
    char* text = NULL;
    char cmd[128];
    uint64_t new_size = 7;
    int found = 0;
    size_t i;

    strcpy(g_root, "/tmp/pct-capi-vol.XXXXXX");
    if (!mkdtemp(g_root)) {
        perror("mkdtemp");
        return 2;
    }
    make_dirs("etc/pve/lxc");
    make_dirs("var/lib/vz/images/910101/subvol-910101-disk-0.subvol");
    make_dirs("var/lib/vz/images/910101/subvol-910101-disk-1.subvol");
    write_file("etc/pve/storage.cfg", "dir: local\n\tpath /var/lib/vz\n\tcontent rootdir,images\n");
    write_file("etc/pve/lxc/910101.conf",
               "hostname: c\nrootfs: local:910101/subvol-910101-disk-0.subvol,size=0T\n");
    CHECK(pct_host_open(&host, g_root) == PCT_OK);

    /* rescan: the orphan subvol becomes unused0 (dry run first: nothing written). */
    CHECK(pct_volume_rescan(&lines, host, 910101, 1) == PCT_OK);
    CHECK(pct_string_list_count(lines) == 3);
    CHECK(strcmp(pct_string_list_at(lines, 0),
                 "NOTE: running in dry-run mode, won't write changes out!") == 0);
    pct_string_list_free(lines);
    lines = NULL;
    CHECK(pct_volume_rescan(&lines, host, 0, 0) == PCT_OK);
    for (i = 0; i < pct_string_list_count(lines); ++i)
        found |= strcmp(pct_string_list_at(lines, i),
                        "CT 910101: add unreferenced volume "
                        "'local:910101/subvol-910101-disk-1.subvol' as 'unused0' to config.") == 0;
    CHECK(found);
    pct_string_list_free(lines);
    lines = NULL;
    CHECK_ERR(pct_volume_rescan(NULL, host, 0, 0), PCT_EINVAL, "out must not be NULL");

    /* resize: a subvol cannot grow; bad arguments. */
    CHECK_ERR(pct_volume_resize(&new_size, &warnings, host, 910101, "rootfs", "+1G", NULL),
              PCT_EUNSUPPORTED, "can't resize this image format");
    CHECK(new_size == 0);
    CHECK(warnings == NULL);
    CHECK(pct_volume_resize(NULL, NULL, host, 910101, "rootfs", "1GB", NULL) == PCT_EINVAL);
    CHECK(pct_volume_resize(NULL, NULL, host, 910101, "mp3", "+1G", NULL) == PCT_ENOTFOUND);
    CHECK(pct_volume_resize(NULL, NULL, host, 910101, "rootfs", "+1G",
                            "0000000000000000000000000000000000000000") == PCT_EDIGEST);
    CHECK(pct_volume_resize(NULL, NULL, host, 5, "rootfs", "+1G", NULL) == PCT_EINVAL);
    CHECK_ERR(pct_volume_resize(NULL, NULL, NULL, 910101, "rootfs", "+1G", NULL), PCT_EINVAL,
              "host must not be NULL");

    /* fsck: subvols and missing keys are refused. */
    CHECK_ERR(pct_volume_fsck(&text, host, 910101, NULL, 0), PCT_EUNSUPPORTED,
              "unable to run fsck for 'local:910101/subvol-910101-disk-0.subvol' (format == "
              "subvol)");
    CHECK(text == NULL);
    CHECK_ERR(pct_volume_fsck(&text, host, 910101, "mp4", 0), PCT_ENOTFOUND,
              "cannot run command on non-existing mount point mp4");

    /* move-volume: options versions and the storage/target-vmid rule. */
    CHECK(pct_move_volume_options_init(&options, 99) == PCT_EINVAL);
    CHECK(pct_move_volume_options_init(&options, PCT_MOVE_VOLUME_OPTIONS_VERSION) == PCT_OK);
    CHECK(options.storage == NULL && options.target_vmid == 0 && options.delete_source == 0);
    CHECK_ERR(pct_volume_move(&text, NULL, host, 910101, "rootfs", &options), PCT_EINVAL,
              "both 'storage' and 'target-vmid' missing, either needs to be set");
    CHECK(pct_volume_move(NULL, NULL, host, 910101, "rootfs", NULL) == PCT_EINVAL);
    options.target_vmid = 910102;
    CHECK_ERR(pct_volume_move(NULL, NULL, host, 910101, "mp0", &options), PCT_ENOTFOUND,
              "could not find CT 910102");
    CHECK_ERR(pct_volume_move(NULL, NULL, host, 910101, "rootfs", &options), PCT_EINVAL,
              "Cannot move to/from 'rootfs'");
    options.storage = "local";
    CHECK_ERR(pct_volume_move(NULL, NULL, host, 910101, "rootfs", &options), PCT_EINVAL,
              "either set 'storage' or 'target-vmid', but not both");
    options.target_vmid = 0;
    CHECK_ERR(pct_volume_move(NULL, NULL, host, 910101, "unused0", &options), PCT_EINVAL,
              "cannot move volume 'unused0', only configured volumes can be moved to another "
              "storage");
    options.version = 99;
    CHECK(pct_volume_move(NULL, NULL, host, 910101, "rootfs", &options) == PCT_EINVAL);

    /* df of the stopped container: its volumes mounted for the call (root only). */
    if (geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0) {
        pct_df_rows* rows = NULL;
        const char* key = NULL;
        const char* volume = NULL;
        const char* path = NULL;
        uint64_t total = 0;
        uint64_t used = 0;
        uint64_t avail = 0;
        CHECK(pct_volume_df_rows(&rows, host, 910101) == PCT_OK);
        CHECK(pct_df_rows_count(rows) == 1);
        CHECK(pct_df_rows_at(rows, 0, &key, &volume, &total, &used, &avail, &path) == PCT_OK);
        CHECK(key && strcmp(key, "rootfs") == 0);
        CHECK(volume && strcmp(volume, "local:910101/subvol-910101-disk-0.subvol") == 0);
        CHECK(path && strcmp(path, "/") == 0);
        CHECK(total > 0 && used <= total && avail <= total);
        CHECK_ERR(pct_df_rows_at(rows, 1, NULL, NULL, NULL, NULL, NULL, NULL), PCT_EINVAL,
                  "df row index out of range");
        pct_df_rows_free(rows);
        CHECK(pct_volume_df(&text, host, 910101) == PCT_OK);
        CHECK(text && strncmp(text, "MP     Volume", 13) == 0);
        pct_string_free(text);
        text = NULL;
    } else {
        printf("SKIP df of a stopped container: needs root and a mount namespace\n");
    }
    CHECK(pct_df_rows_count(NULL) == 0);
    pct_df_rows_free(NULL);

    /* df and fstrim: argument checks. */
    CHECK(pct_volume_df(NULL, host, 910101) == PCT_EINVAL);
    CHECK(pct_volume_df(&text, host, 910199) == PCT_ENOTFOUND);
    CHECK(pct_volume_fstrim(NULL, host, 910101, 0) == PCT_EINVAL);

    pct_host_free(host);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", g_root);
    printf("%d checks, %d failures\n", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
