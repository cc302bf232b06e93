/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The C ABI under concurrency.
 *
 * `test_capi_concurrency writers DIR`: 16 processes each add 1 to a counter (`swap`) 100
 * times, the way a real client does: pct_config_load, pct_config_set, pct_config_save, and on
 * PCT_EDIGEST (another process saved first) load again and redo. The counter must end at
 * 1600: a lost update shows as a smaller number. A reader process meanwhile loads the file in
 * a loop and must never see a warning (a torn or partial file) or the counter going back.
 *
 * `test_capi_concurrency threads`: const functions on one handle from 8 threads at once (the
 * header's THREADS promise), built with -fsanitize=thread as `capi_threads_tsan`; and a second
 * `_get` of a sub-key must not move the string the first one returned. */
#define _POSIX_C_SOURCE 200809L
#include <pct/pct.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WRITERS 16
#define EDITS 100
#define THREADS 8

static int fail(const char* what) {
    fprintf(stderr, "FAIL %s: %s (%s)\n", what, pct_error_last_message(),
            pct_error_name(pct_error_last_code()));
    return 1;
}

static long counter_of(const pct_config* config) {
    const char* value = NULL;
    if (pct_config_get(&value, NULL, config, NULL, "swap") != PCT_OK)
        return -1;
    return strtol(value, NULL, 10);
}

/* One increment, retried until it is the one that lands. */
static int increment(const char* path, long* retries) {
    for (;;) {
        pct_config* config = NULL;
        char value[32];
        int rc;
        if (pct_config_load(&config, path, NULL) != PCT_OK)
            return fail("load");
        snprintf(value, sizeof value, "%ld", counter_of(config) + 1);
        if (pct_config_set(config, NULL, "swap", value) != PCT_OK) {
            pct_config_free(config);
            return fail("set");
        }
        rc = pct_config_save(config, path, PCT_WRITE_LOSSLESS);
        pct_config_free(config);
        if (rc == PCT_OK)
            return 0;
        if (rc != PCT_EDIGEST)
            return fail("save");
        ++*retries;
    }
}

static int reader(const char* path, const char* stop) {
    long last = 0;
    long reads = 0;
    while (access(stop, F_OK) != 0) {
        pct_config* config = NULL;
        pct_diag_list* warnings = NULL;
        long now;
        if (pct_config_load(&config, path, NULL) != PCT_OK)
            return fail("reader load");
        if (pct_config_warnings(&warnings, config) != PCT_OK ||
            pct_diag_list_count(warnings) != 0) {
            fprintf(stderr, "FAIL reader: the file had warnings (torn write?)\n");
            return 1;
        }
        now = counter_of(config);
        pct_diag_list_free(warnings);
        pct_config_free(config);
        if (now < last) {
            fprintf(stderr, "FAIL reader: counter went back from %ld to %ld\n", last, now);
            return 1;
        }
        last = now;
        ++reads;
    }
    printf("reader: %ld reads, all complete\n", reads);
    fflush(stdout);
    return 0;
}

static int writers(const char* dir) {
    char path[4096], stop[4096];
    pid_t pids[WRITERS + 1];
    int i, failed = 0, status = 0;
    pct_config* config = NULL;
    FILE* f;
    snprintf(path, sizeof path, "%s/100.conf", dir);
    snprintf(stop, sizeof stop, "%s/stop", dir);
    unlink(stop);
    f = fopen(path, "w");
    if (!f)
        return 1;
    fputs("# the counter is swap\narch: amd64\nhostname: writers\nswap: 0\n", f);
    fclose(f);

    pids[WRITERS] = fork();
    if (pids[WRITERS] == 0)
        _exit(reader(path, stop));
    for (i = 0; i < WRITERS; ++i) {
        pids[i] = fork();
        if (pids[i] == 0) {
            long retries = 0;
            int n;
            for (n = 0; n < EDITS; ++n)
                if (increment(path, &retries) != 0)
                    _exit(1);
            _exit(0);
        }
    }
    for (i = 0; i < WRITERS; ++i) {
        waitpid(pids[i], &status, 0);
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    f = fopen(stop, "w");
    if (f)
        fclose(f);
    waitpid(pids[WRITERS], &status, 0);
    failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;

    if (pct_config_load(&config, path, NULL) != PCT_OK)
        return fail("final load");
    printf("writers: %ld of %d increments kept\n", counter_of(config), WRITERS * EDITS);
    failed |= counter_of(config) != WRITERS * EDITS;
    pct_config_free(config);
    return failed;
}

struct shared {
    const pct_config* config;
    const pct_net* net;
    const char* hwaddr; /* what the first _get returned */
    int failed;
};

static void* const_calls(void* arg) {
    struct shared* s = arg;
    int n;
    for (n = 0; n < 2000; ++n) {
        const char* value = NULL;
        pct_net* copy = NULL;
        if (pct_net_get(&value, s->net, "hwaddr") != PCT_OK || value != s->hwaddr ||
            strcmp(value, "BC:24:11:00:00:01") != 0)
            s->failed = 1;
        if (pct_net_get(&value, s->net, "bridge") != PCT_OK || strcmp(value, "vmbr0") != 0)
            s->failed = 1;
        if (pct_config_get_unused(&value, s->config, NULL, 3) != PCT_OK ||
            strcmp(value, "local:100/vm-100-disk-3.raw") != 0)
            s->failed = 1;
        if (pct_config_get_net(&copy, s->config, NULL, 0) != PCT_OK)
            s->failed = 1;
        pct_net_free(copy);
    }
    return NULL;
}

static int threads(void) {
    struct shared s;
    pthread_t t[THREADS];
    pct_config* config = NULL;
    pct_net* net = NULL;
    const char* again = NULL;
    int i;
    const char* text = "net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01\n"
                       "unused3: local:100/vm-100-disk-3.raw\n";
    if (pct_config_parse(&config, text, NULL) != PCT_OK ||
        pct_net_parse(&net, "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01") != PCT_OK)
        return fail("parse");
    memset(&s, 0, sizeof s);
    s.config = config;
    s.net = net;
    if (pct_net_get(&s.hwaddr, net, "hwaddr") != PCT_OK ||
        pct_net_get(&again, net, "hwaddr") != PCT_OK)
        return fail("net get");
    if (again != s.hwaddr) {
        fprintf(stderr, "FAIL a second _get moved the string the first one returned\n");
        return 1;
    }
    for (i = 0; i < THREADS; ++i)
        pthread_create(&t[i], NULL, const_calls, &s);
    for (i = 0; i < THREADS; ++i)
        pthread_join(t[i], NULL);
    pct_net_free(net);
    pct_config_free(config);
    printf("threads: %d threads x 2000 const calls on one handle, %s\n", THREADS,
           s.failed ? "FAILED" : "ok");
    return s.failed;
}

int main(int argc, char** argv) {
    if (argc == 3 && strcmp(argv[1], "writers") == 0)
        return writers(argv[2]);
    if (argc == 2 && strcmp(argv[1], "threads") == 0)
        return threads();
    fprintf(stderr, "usage: test_capi_concurrency writers DIR | threads\n");
    return 2;
}
