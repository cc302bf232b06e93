/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * The C ABI's storage block: storages and volumes of a host root in a temporary directory
 * (dir storages only; btrfs is covered by the C++ suite). Strict C99; only <pct/pct.h>.
 * usage: test_capi_storage
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <pct/pct.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int g_checks;
static int g_failures;

static void fail_at(int line, const char* what) {
    ++g_failures;
    fprintf(stderr, "test_capi_storage.c:%d: FAILED: %s\n    last error %d: '%s'\n", line, what,
            pct_error_last_code(), pct_error_last_message());
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        ++g_checks;                                                                                \
        if (!(cond))                                                                               \
            fail_at(__LINE__, #cond);                                                              \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char* a_ = (actual);                                                                 \
        ++g_checks;                                                                                \
        if (!a_ || strcmp(a_, (expected)) != 0) {                                                  \
            fprintf(stderr, "    got '%s'\n    expected '%s'\n", a_ ? a_ : "(null)", (expected));  \
            fail_at(__LINE__, #actual);                                                            \
        }                                                                                          \
    } while (0)

static void write_file(const char* path, const char* text) {
    FILE* f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void) {
    char root[] = "/tmp/pct-capi-storage-XXXXXX";
    char path[512];
    pct_host* host = NULL;
    pct_string_list* list = NULL;
    char* volid = NULL;
    char* raw = NULL;
    char* p = NULL;
    uint64_t size = 1;
    int32_t has = -1;
    struct stat st;

    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/etc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/pve", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/etc/pve/storage.cfg", root);
    write_file(path, "dir: tmpl\n\tpath /srv/tmpl\n\tcontent vztmpl\n\n"
                     "zfspool: tank\n\tpool tank/data\n\tcontent rootdir\n");

    CHECK(pct_host_open(&host, root) == PCT_OK);

    /* storages: file order, the built-in local last */
    CHECK(pct_storage_list(&list, host) == PCT_OK);
    CHECK(pct_string_list_count(list) == 3);
    CHECK_STR(pct_string_list_at(list, 0), "tmpl");
    CHECK_STR(pct_string_list_at(list, 2), "local");
    pct_string_list_free(list);
    list = NULL;

    /* a subvol owned by the caller, then a raw ext4 image */
    CHECK(pct_storage_alloc_ct_disk(&volid, host, "local", 100, 0, (uint32_t)getuid(),
                                    (uint32_t)getgid()) == PCT_OK);
    CHECK_STR(volid, "local:100/subvol-100-disk-0.subvol");
    CHECK(pct_storage_volume_path(&p, host, volid, NULL) == PCT_OK);
    snprintf(path, sizeof path, "%s/var/lib/vz/images/100/subvol-100-disk-0.subvol", root);
    CHECK_STR(p, path);
    CHECK(p && stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    pct_string_free(p);
    p = NULL;
    CHECK(pct_storage_volume_size(&size, host, volid) == PCT_OK);
    CHECK(size == 0);

    CHECK(pct_storage_alloc_ct_disk(&raw, host, "local", 100, 8192, 100000, 100000) == PCT_OK);
    CHECK_STR(raw, "local:100/vm-100-disk-1.raw");
    CHECK(pct_storage_volume_size(&size, host, raw) == PCT_OK);
    CHECK(size == 8u << 20);

    CHECK(pct_storage_volumes(&list, host, "local", 100) == PCT_OK);
    CHECK(pct_string_list_count(list) == 2);
    CHECK_STR(pct_string_list_at(list, 0), "local:100/subvol-100-disk-0.subvol");
    CHECK_STR(pct_string_list_at(list, 1), "local:100/vm-100-disk-1.raw");
    pct_string_list_free(list);
    list = NULL;

    CHECK(pct_storage_has_feature(&has, host, "template", raw, NULL) == PCT_OK);
    CHECK(has == 1);
    CHECK(pct_storage_has_feature(&has, host, "snapshot", raw, NULL) == PCT_OK);
    CHECK(has == 0);
    CHECK(pct_storage_has_feature(&has, host, "fly", raw, NULL) == PCT_EINVAL);

    CHECK(pct_storage_free(host, raw) == PCT_OK);
    CHECK(pct_storage_free(host, volid) == PCT_OK);
    snprintf(path, sizeof path, "%s/var/lib/vz/images/100", root);
    CHECK(stat(path, &st) != 0);
    pct_string_free(volid);
    pct_string_free(raw);
    volid = NULL;

    /* refusals with Proxmox's texts */
    CHECK(pct_storage_alloc_ct_disk(&volid, host, "tmpl", 100, 0, 0, 0) == PCT_EUNSUPPORTED);
    CHECK(volid == NULL);
    CHECK_STR(pct_error_last_message(),
              "content type 'rootdir' is not available or configured on storage 'tmpl'");
    CHECK(pct_storage_alloc_ct_disk(&volid, host, "tank", 100, 0, 0, 0) == PCT_EUNSUPPORTED);
    CHECK_STR(pct_error_last_message(), "storage type 'zfspool' is not supported by this build");
    CHECK(pct_storage_volumes(&list, host, "nope", 0) == PCT_ENOTFOUND);
    CHECK_STR(pct_error_last_message(), "storage 'nope' does not exist");
    CHECK(pct_storage_volume_path(&p, host, "local:100/vm-100-disk-0", NULL) == PCT_EINVAL);
    CHECK_STR(pct_error_last_message(), "unable to parse volume filename 'vm-100-disk-0'");
    CHECK(pct_storage_volume_path(&p, host, "local:100/vm-100-disk-7.raw", NULL) == PCT_ENOTFOUND);
    CHECK(pct_storage_free(NULL, "local:100/vm-100-disk-0.raw") == PCT_EINVAL);
    CHECK(pct_storage_list(NULL, host) == PCT_EINVAL);

    pct_host_free(host);
    snprintf(path, sizeof path, "rm -rf '%s'", root);
    if (system(path) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    printf("test_capi_storage: %d checks, %d failures\n", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
