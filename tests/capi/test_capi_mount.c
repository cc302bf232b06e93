/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The C ABI of `pct mount` / `pct unmount`: pct_container_mount() and pct_container_unmount()
 * on a throw-away host layout (a bind-mounted rootfs and a read-only bind mount point), their
 * `mounted` lock, Proxmox's refusals, and a failed mount that leaves nothing mounted. Runs in
 * its own mount namespace (a slave of the host's), so nothing it mounts is ever seen on the
 * host, even when it fails half-way. Root only (prints one SKIP line otherwise).
 * usage: test_capi_mount
 */
#define _GNU_SOURCE /* unshare, mkdtemp */
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
            fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__, __LINE__,      \
                    #cond, pct_error_last_message());                                              \
        }                                                                                          \
    } while (0)
#define CHECK_RC(call, rc) CHECK((call) == (rc))
#define CHECK_STR(actual, expected) CHECK((actual) != NULL && strcmp((actual), (expected)) == 0)

static char g_root[64];

static void write_file(const char* rel, const char* text) {
    char path[512];
    FILE* f;
    snprintf(path, sizeof path, "%s/%s", g_root, rel);
    f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    CHECK(f != NULL);
}

static int is_file(const char* path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int config_has(const char* needle) {
    char path[512], buf[4096];
    size_t n;
    FILE* f;
    snprintf(path, sizeof path, "%s/etc/pve/lxc/4343.conf", g_root);
    f = fopen(path, "r");
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

int main(void) {
    pct_host* host = NULL;
    pct_container* ct = NULL;
    pct_string_list* warnings = NULL;
    char* path = NULL;
    char expected[512], cmd[1024];

    if (geteuid() != 0) {
        printf("SKIP test_capi_mount: not running as root (mounts need root)\n");
        return 0;
    }
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) {
        fprintf(stderr, "cannot make a private mount namespace\n");
        return 1;
    }
    strcpy(g_root, "/tmp/pct-capi-mount.XXXXXX");
    if (!mkdtemp(g_root))
        return 1;
    snprintf(cmd, sizeof cmd, "mkdir -p %s/etc/pve/lxc %s/srv/ct-root/etc %s/srv/data", g_root,
             g_root, g_root);
    CHECK(system(cmd) == 0);
    write_file("srv/data/hello", "hi\n");
    write_file("etc/pve/lxc/4343.conf", "arch: amd64\nostype: debian\nrootfs: /srv/ct-root\n"
                                        "mp0: /srv/data,mp=/mnt/data,ro=1\n");

    CHECK_RC(pct_host_open(&host, g_root), PCT_OK);
    CHECK_RC(pct_container_open(&ct, host, 4343), PCT_OK);
    CHECK_RC(pct_container_mount(&path, &warnings, NULL), PCT_EINVAL);
    CHECK_RC(pct_container_unmount(NULL), PCT_EINVAL);

    CHECK_RC(pct_container_mount(&path, &warnings, ct), PCT_OK);
    snprintf(expected, sizeof expected, "%s/var/lib/lxc/4343/rootfs", g_root);
    CHECK_STR(path, expected);
    CHECK(pct_string_list_count(warnings) == 0);
    CHECK(config_has("lock: mounted\n"));
    snprintf(cmd, sizeof cmd, "%s/mnt/data/hello", expected);
    CHECK(is_file(cmd));
    /* the second mount is refused by the lock */
    CHECK_RC(pct_container_mount(NULL, NULL, ct), PCT_ESTATE);
    CHECK_STR(pct_error_last_message(), "CT is locked (mounted)");
    CHECK_RC(pct_container_unmount(ct), PCT_OK);
    CHECK(!is_file(cmd));
    CHECK(!config_has("lock:"));
    CHECK_RC(pct_container_unmount(ct), PCT_ESTATE);
    CHECK_STR(pct_error_last_message(), "no lock found trying to remove 'mounted' lock");

    /* a missing bind source: nothing stays mounted, the `mounted` lock does (as Proxmox) */
    write_file("etc/pve/lxc/4343.conf", "arch: amd64\nostype: debian\nrootfs: /srv/ct-root\n"
                                        "mp0: /srv/data,mp=/mnt/data\n"
                                        "mp1: /srv/missing,mp=/mnt/missing\n");
    CHECK_RC(pct_container_mount(NULL, NULL, ct), PCT_ENOTFOUND);
    snprintf(expected, sizeof expected, "directory '%s/srv/missing' does not exist", g_root);
    CHECK_STR(pct_error_last_message(), expected);
    CHECK_STR(pct_error_last_key(), "mp1");
    CHECK(!is_file(cmd));
    CHECK(config_has("lock: mounted\n"));
    CHECK_RC(pct_container_unmount(ct), PCT_OK);

    write_file("etc/pve/lxc/4343.conf", "arch: amd64\nostype: debian\nrootfs: /srv/ct-root\n"
                                        "lock: backup\n");
    CHECK_RC(pct_container_unmount(ct), PCT_ESTATE);
    CHECK_STR(pct_error_last_message(), "found lock 'backup' trying to remove 'mounted' lock");

    pct_string_free(path);
    pct_string_list_free(warnings);
    pct_container_free(ct);
    pct_host_free(host);
    snprintf(cmd, sizeof cmd, "umount -R %s/var/lib/lxc/4343/rootfs 2>/dev/null; rm -rf %s", g_root,
             g_root);
    (void)!system(cmd);
    printf("test_capi_mount: %d checks, %d failed\n", g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}
