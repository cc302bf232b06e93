/* SPDX-License-Identifier: AGPL-3.0-or-later */
/**
 * @file pct.h
 * The stable C ABI of libpct: read, edit, validate and write Proxmox VE container config
 * files (`/etc/pve/lxc/<CTID>.conf`) and generate their LXC configs, from C99 or any
 * language with a C FFI. This is the only C header; it needs nothing but <stddef.h> and
 * <stdint.h>. Link with `pkg-config --cflags --libs libpct` or CMake's `pct::pct`.
 *
 * ERROR HANDLING
 *   Every function that can fail returns an `int` status: `PCT_OK` (0) on success, or a
 *   negative `PCT_E*` code. The codes are stable numbers (`PCT_E<NAME>` = -`pct::Errc`),
 *   never renumbered and never reused. After a failure the calling thread's "last error"
 *   holds the details: `pct_error_last_code()`, `pct_error_last_message()` (never NULL) and,
 *   where they exist, the file, line, column, config key and property sub-key. Status
 *   functions reset the last error when they start, so it always describes the latest call;
 *   `*_free()` functions and the `pct_error_*` getters never touch it. Detect failure from
 *   the return value, never from the last error. Functions returning a pointer or a count
 *   instead of a status return NULL / 0 on a bad argument and then set the last error to
 *   `PCT_EINVAL`. No C++ exception ever leaves the library: an allocation failure is
 *   `PCT_ENOMEM`, a bug is `PCT_EINTERNAL`.
 *
 * MEMORY
 *   - `pct_x **out` parameters create an object the caller owns and frees with
 *     `pct_x_free()`; every `*_free()` accepts NULL. On failure `*out` is set to NULL.
 *   - `char **out` parameters return a string the caller frees with `pct_string_free()`
 *     (never `free()`: the library may use another allocator).
 *   - `const char *` results and `const char **` out parameters are borrowed: they belong
 *     to the handle they came from and stay valid until that handle is modified or freed.
 *   - Lists are handles with `_count()` and `_at(index)`.
 *   - Input strings are UTF-8 and NUL-terminated; the library copies what it keeps.
 *
 * THREADS
 *   Distinct handles may be used from different threads at the same time; one handle is
 *   used by one thread at a time (const functions on one handle may run concurrently: the
 *   strings they hand out point into the handle's value or into a per-handle store guarded
 *   by its own lock, and a second call never moves a string an earlier one returned). The
 *   last error is thread-local. The library has no global mutable state.
 *
 * SECTIONS
 *   A config file has a main section, an optional `[pve:pending]` section and one
 *   `[name]` section per snapshot. Functions taking `const char *section` accept NULL or
 *   `PCT_SECTION_MAIN` ("") for the main section, `PCT_SECTION_PENDING` ("pve:pending")
 *   for pending changes, and a snapshot name for that snapshot.
 *
 * EDITING
 *   A `pct_config` keeps the text it was read from. Every edit is applied to that text
 *   line by line (comments, order and unknown keys stay as they were) and the text is
 *   parsed again, so the typed view always equals what the written file will say.
 *   `PCT_WRITE_LOSSLESS` returns that edited text; `PCT_WRITE_CANONICAL` returns the
 *   normalized form Proxmox VE itself writes.
 *
 * CONCURRENT WRITERS
 *   pct_config_save() writes under the file's lock (Proxmox's
 *   `/run/lock/lxc/pve-config-<CTID>.lock` for `<root>/etc/pve/lxc/<CTID>.conf`, else a
 *   `.<name>.lock` file beside it), the lock `pct set`, pypct and Proxmox's own tools take.
 *   Saving to the file the config was loaded from (or saved to before) first checks that the
 *   file still holds what this handle read or wrote there, as Proxmox's `digest` parameter:
 *   when another writer got there first the save fails with `PCT_EDIGEST` and writes
 *   nothing. Load the file again, redo the edit and save: no update is ever lost.
 */
#ifndef PCT_PCT_H
#define PCT_PCT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks an exported function (symbols are hidden by default). */
#if defined(__GNUC__) || defined(__clang__)
#define PCT_API __attribute__((visibility("default")))
#else
#define PCT_API
#endif

/** Lets C++ callers see that no function throws (they never do). */
#ifdef __cplusplus
#define PCT_NOEXCEPT noexcept
#else
#define PCT_NOEXCEPT
#endif

/* ------------------------------------------------------------------------------------ */
/* Version                                                                              */
/* ------------------------------------------------------------------------------------ */

/** Version of this header (the library reports its own through `pct_version()`). */
#define PCT_VERSION_MAJOR 0
#define PCT_VERSION_MINOR 5
#define PCT_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH, comparable with `pct_version_number()`. */
#define PCT_VERSION_NUMBER (PCT_VERSION_MAJOR * 10000 + PCT_VERSION_MINOR * 100 + PCT_VERSION_PATCH)

/**
 * The version of the loaded library as "MAJOR.MINOR.PATCH".
 * @return a static string, never NULL; never freed.
 */
PCT_API const char* pct_version(void) PCT_NOEXCEPT;

/**
 * The version of the loaded library as a number, for runtime checks against
 * `PCT_VERSION_NUMBER`.
 * @return MAJOR * 10000 + MINOR * 100 + PATCH.
 */
PCT_API uint32_t pct_version_number(void) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Status codes and the last error                                                      */
/* ------------------------------------------------------------------------------------ */

#define PCT_OK 0              /**< success */
#define PCT_EINVAL (-1)       /**< an argument or value is invalid (schema, range, NULL) */
#define PCT_EPARSE (-2)       /**< text that cannot be parsed (config line, property string) */
#define PCT_ENOTFOUND (-3)    /**< a file, key, section, index or snapshot does not exist */
#define PCT_EEXIST (-4)       /**< a name or key is already taken */
#define PCT_EIO (-5)          /**< the operating system refused; see pct_error_last_errno() */
#define PCT_ELXC (-6)         /**< liblxc failed */
#define PCT_ESTATE (-7)       /**< the object is in the wrong state (running, locked, closed) */
#define PCT_EUNSUPPORTED (-8) /**< valid, but this host or build cannot do it */
#define PCT_EDIGEST (-9)      /**< the file changed since it was read: load it again, redo */
#define PCT_ENOQUORUM (-10)   /**< the cluster store has no quorum: nothing was written */
#define PCT_EINTERNAL (-99)   /**< a bug in libpct */
#define PCT_ENOMEM (-100)     /**< out of memory (C only; outside the range of pct::Errc) */

/**
 * The status of the calling thread's last failed call, or `PCT_OK`.
 * @return a `PCT_E*` code or `PCT_OK`.
 */
PCT_API int pct_error_last_code(void) PCT_NOEXCEPT;

/**
 * The message of the calling thread's last failure (Proxmox's text for config problems).
 * @return a thread-local string, "" when there was none; never NULL. Valid until the
 *         thread's next status-returning `pct_` call.
 */
PCT_API const char* pct_error_last_message(void) PCT_NOEXCEPT;

/**
 * The file the last error is about.
 * @return a thread-local string, "" when unknown; never NULL. Same lifetime as the message.
 */
PCT_API const char* pct_error_last_file(void) PCT_NOEXCEPT;

/**
 * The 1-based line the last error is about.
 * @return the line, 0 when the error is not about a line.
 */
PCT_API int pct_error_last_line(void) PCT_NOEXCEPT;

/**
 * The 1-based column the last error is about.
 * @return the column, 0 when unknown.
 */
PCT_API int pct_error_last_column(void) PCT_NOEXCEPT;

/**
 * The config key the last error is about (`net0`, `lxc.idmap`).
 * @return a thread-local string, "" when none; never NULL. Same lifetime as the message.
 */
PCT_API const char* pct_error_last_key(void) PCT_NOEXCEPT;

/**
 * The property-string sub-key the last error is about (`bridge`).
 * @return a thread-local string, "" when none; never NULL. Same lifetime as the message.
 */
PCT_API const char* pct_error_last_subkey(void) PCT_NOEXCEPT;

/**
 * The operating system's errno for a `PCT_EIO` failure.
 * @return the errno value, 0 when there is none.
 */
PCT_API int pct_error_last_errno(void) PCT_NOEXCEPT;

/** Resets the calling thread's last error to `PCT_OK` with empty details. */
PCT_API void pct_error_clear(void) PCT_NOEXCEPT;

/**
 * The stable name of a status code: "ok", "invalid_argument", "parse", "not_found",
 * "already_exists", "io", "lxc", "bad_state", "unsupported", "internal", "no_memory",
 * "digest_mismatch".
 * @param code a status code.
 * @return a static string; "unknown" for a number that is not a code. Never NULL.
 */
PCT_API const char* pct_error_name(int code) PCT_NOEXCEPT;

/**
 * Frees a string the library returned through a `char **out` parameter.
 * @param str the string, or NULL.
 */
PCT_API void pct_string_free(char* str) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Lists                                                                                */
/* ------------------------------------------------------------------------------------ */

/** A list of strings (key names, snapshot names, pending deletions, warnings). */
typedef struct pct_string_list pct_string_list;

/**
 * The number of strings in a list.
 * @param list the list; NULL counts as empty.
 * @return the count.
 */
PCT_API size_t pct_string_list_count(const pct_string_list* list) PCT_NOEXCEPT;

/**
 * One string of a list.
 * @param list the list.
 * @param index 0-based, below pct_string_list_count().
 * @return the string, borrowed from the list; NULL (and `PCT_EINVAL`) when out of range.
 */
PCT_API const char* pct_string_list_at(const pct_string_list* list, size_t index) PCT_NOEXCEPT;

/**
 * Frees a list and every string it holds.
 * @param list the list, or NULL.
 */
PCT_API void pct_string_list_free(pct_string_list* list) PCT_NOEXCEPT;

/**
 * One diagnostic: a parser warning (code = `PCT_DIAG_*`, positive) or a validation
 * problem (code = `PCT_E*`, negative). Owned by the list it comes from.
 */
typedef struct pct_diag pct_diag;
/** A list of diagnostics, in the order they were found. */
typedef struct pct_diag_list pct_diag_list;

/* Parser warning codes (same numbers as pct::DiagCode; only ever added). */
#define PCT_DIAG_INVALID_LINE 1           /**< "unable to parse config: LINE" (line dropped) */
#define PCT_DIAG_UNKNOWN_KEY 2            /**< "unknown setting 'K'" (value kept) */
#define PCT_DIAG_INVALID_VALUE 3          /**< "unable to parse value of 'K' - ..." (kept) */
#define PCT_DIAG_DELETE_OUTSIDE_PENDING 4 /**< `delete:` outside [pve:pending] (dropped) */
#define PCT_DIAG_LXC_KEY_REJECTED 5       /**< a refused raw lxc key (dropped) */
#define PCT_DIAG_LXC_KEY_DEPRECATED 6     /**< a deprecated raw lxc key (kept) */

/**
 * The number of diagnostics in a list.
 * @param list the list; NULL counts as empty.
 * @return the count.
 */
PCT_API size_t pct_diag_list_count(const pct_diag_list* list) PCT_NOEXCEPT;

/**
 * One diagnostic of a list.
 * @param list the list.
 * @param index 0-based, below pct_diag_list_count().
 * @return the diagnostic, borrowed from the list; NULL (and `PCT_EINVAL`) when out of range.
 */
PCT_API const pct_diag* pct_diag_list_at(const pct_diag_list* list, size_t index) PCT_NOEXCEPT;

/**
 * Frees a list and its diagnostics.
 * @param list the list, or NULL.
 */
PCT_API void pct_diag_list_free(pct_diag_list* list) PCT_NOEXCEPT;

/**
 * The code of a diagnostic.
 * @param diag the diagnostic.
 * @return `PCT_DIAG_*` (> 0) for a parser warning, `PCT_E*` (< 0) for a validation
 *         problem; 0 (and `PCT_EINVAL`) for NULL.
 */
PCT_API int pct_diag_code(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The complete message of a diagnostic (Proxmox's text, without a trailing newline).
 * @param diag the diagnostic.
 * @return borrowed from the list, never NULL for a valid diagnostic; NULL for NULL.
 */
PCT_API const char* pct_diag_message(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The 1-based line of a diagnostic.
 * @param diag the diagnostic.
 * @return the line, 0 when not about a line (or for NULL).
 */
PCT_API int pct_diag_line(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The 1-based column of a diagnostic.
 * @param diag the diagnostic.
 * @return the column, 0 when unknown (or for NULL).
 */
PCT_API int pct_diag_column(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The config key of a diagnostic.
 * @param diag the diagnostic.
 * @return borrowed from the list, "" when none; NULL for NULL.
 */
PCT_API const char* pct_diag_key(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The property-string sub-key of a diagnostic.
 * @param diag the diagnostic.
 * @return borrowed from the list, "" when none; NULL for NULL.
 */
PCT_API const char* pct_diag_subkey(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The section of a parser warning: "" (main), "pve:pending" or a snapshot name.
 * @param diag the diagnostic.
 * @return borrowed from the list, "" for the main section and for validation problems;
 *         NULL for NULL.
 */
PCT_API const char* pct_diag_section(const pct_diag* diag) PCT_NOEXCEPT;

/**
 * The file a diagnostic is about (the path a config was loaded from).
 * @param diag the diagnostic.
 * @return borrowed from the list, "" when unknown; NULL for NULL.
 */
PCT_API const char* pct_diag_file(const pct_diag* diag) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Config files                                                                         */
/* ------------------------------------------------------------------------------------ */

/** A parsed config file: its text, the parsed sections, the digest and the warnings. */
typedef struct pct_config pct_config;

/** Section name of the main section (NULL means the same). */
#define PCT_SECTION_MAIN ""
/** Section name of the pending changes. */
#define PCT_SECTION_PENDING "pve:pending"

/** Output forms of pct_config_write() and pct_config_save(). */
#define PCT_WRITE_CANONICAL 0 /**< exactly what Proxmox VE's writer produces */
#define PCT_WRITE_LOSSLESS 1  /**< the original text with the edits applied in place */

/** Options for reading a config. Fields are only ever appended. */
typedef struct pct_config_options {
    /** Must be PCT_CONFIG_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** The CTID named in messages; 0 = from the file name (pct_config_load) or 100. */
    uint32_t vmid;
    /** Non-zero: the first problem the lenient parser would warn about fails the call with
     *  `PCT_EPARSE` (Proxmox's strict mode); edits are then held to the same rule. */
    int32_t strict;
} pct_config_options;

/** The newest options version this header knows. */
#define PCT_CONFIG_OPTIONS_VERSION 1
/** Initializer with the defaults: `pct_config_options o = PCT_CONFIG_OPTIONS_INIT;`. */
#define PCT_CONFIG_OPTIONS_INIT                                                                    \
    { PCT_CONFIG_OPTIONS_VERSION, 0, 0 }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_CONFIG_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_config_options_init(pct_config_options* options, uint32_t version) PCT_NOEXCEPT;

/**
 * Creates an empty config (an empty file).
 * @param out receives the config; the caller frees it with pct_config_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_new(pct_config** out) PCT_NOEXCEPT;

/**
 * Parses config text. Lenient mode never fails on content: malformed lines are dropped and
 * bad values kept, each with a warning (pct_config_warnings()).
 * @param out receives the config; the caller frees it with pct_config_free().
 * @param text the file contents, NUL-terminated.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_EPARSE in strict mode (with line, key and sub-key); PCT_EINVAL for
 *         NULL arguments or an unknown options version.
 */
PCT_API int pct_config_parse(pct_config** out, const char* text,
                             const pct_config_options* options) PCT_NOEXCEPT;

/**
 * Reads and parses a config file.
 * @param out receives the config; the caller frees it with pct_config_free().
 * @param path the file; its name gives the CTID for messages unless options->vmid is set.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_ENOTFOUND when it does not exist; PCT_EINVAL when it is not a regular
 *         file (a FIFO, a device, a directory: refused without reading or blocking) or is
 *         larger than 64 MiB (Proxmox's own cluster file system refuses files above 1 MiB);
 *         PCT_EIO (with errno and file) when it cannot be read; otherwise as
 *         pct_config_parse() (a NUL byte in the file is PCT_EPARSE, naming its byte offset
 *         and line), with the file set in the error details.
 */
PCT_API int pct_config_load(pct_config** out, const char* path,
                            const pct_config_options* options) PCT_NOEXCEPT;

/**
 * Copies a config (text, sections, digest, warnings and options).
 * @param out receives the copy; the caller frees it with pct_config_free().
 * @param config the config to copy.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_clone(pct_config** out, const pct_config* config) PCT_NOEXCEPT;

/**
 * Frees a config and everything borrowed from it.
 * @param config the config, or NULL.
 */
PCT_API void pct_config_free(pct_config* config) PCT_NOEXCEPT;

/**
 * Renders a config as text.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param config the config.
 * @param format PCT_WRITE_CANONICAL or PCT_WRITE_LOSSLESS.
 * @return PCT_OK; PCT_EINVAL (with key) where Proxmox's writer refuses (a value with a
 *         newline), or for a bad format or NULL.
 */
PCT_API int pct_config_write(char** out, const pct_config* config, int32_t format) PCT_NOEXCEPT;

/**
 * Writes a config to a file atomically (temporary file `.<name>.tmp.<pid>.XXXXXX`, fsync,
 * rename; temp files of killed writers are swept) under the file's lock, keeping the file's
 * permission bits (0640 for a new file). To the file the config was loaded from, or saved
 * to before, only if that file still has the digest this handle last read or wrote there
 * (see CONCURRENT WRITERS); any other path is replaced without that check. Saves of one
 * handle from several threads are serialised.
 * @param config the config.
 * @param path the destination file.
 * @param format PCT_WRITE_CANONICAL or PCT_WRITE_LOSSLESS.
 * @return PCT_OK; PCT_EDIGEST (key "digest", file) when the file changed since this handle
 *         read it (nothing written: load again and redo the edit); PCT_ESTATE when the lock
 *         stays taken for 10 s; PCT_EIO (with errno and file); as pct_config_write()
 *         otherwise.
 */
PCT_API int pct_config_save(const pct_config* config, const char* path,
                            int32_t format) PCT_NOEXCEPT;

/**
 * The SHA-1 of the bytes the config was parsed from, as Proxmox computes it (edits and
 * saves do not change it: it identifies the version first read).
 * @param config the config.
 * @return 40 lower-case hex digits, borrowed from the config; NULL for NULL.
 */
PCT_API const char* pct_config_digest(const pct_config* config) PCT_NOEXCEPT;

/**
 * The CTID used in messages about this config.
 * @param config the config.
 * @return the CTID; 0 for NULL.
 */
PCT_API uint32_t pct_config_vmid(const pct_config* config) PCT_NOEXCEPT;

/**
 * The parser's warnings about the current text, in file order.
 * @param out receives a new list; the caller frees it with pct_diag_list_free().
 * @param config the config.
 * @return PCT_OK (an empty list when there are none); PCT_EINVAL for NULL.
 */
PCT_API int pct_config_warnings(pct_diag_list** out, const pct_config* config) PCT_NOEXCEPT;

/**
 * Whether a section exists (the main section always does).
 * @param config the config.
 * @param section see SECTIONS.
 * @return 1 if it exists, 0 if not; PCT_EINVAL for a NULL config.
 */
PCT_API int pct_config_has_section(const pct_config* config, const char* section) PCT_NOEXCEPT;

/**
 * The names of the snapshot sections, sorted.
 * @param out receives a new list; the caller frees it with pct_string_list_free().
 * @param config the config.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_snapshot_names(pct_string_list** out, const pct_config* config) PCT_NOEXCEPT;

/**
 * The keys set in a section, sorted as Proxmox writes them (plain byte order). The
 * description, raw `lxc.*` entries and `env` are not listed (see their own functions).
 * @param out receives a new list; the caller frees it with pct_string_list_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND for a missing section; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_keys(pct_string_list** out, const pct_config* config,
                            const char* section) PCT_NOEXCEPT;

/**
 * The stored value of a key: any option (`memory`, `net0`, `snapstate`, pending `delete`),
 * `description`, `env` (entries joined with NUL bytes: use `length_out`) or a raw
 * `lxc.*` key (the value of its last entry).
 * @param value_out receives the value, borrowed from the config.
 * @param length_out receives the length in bytes (without the NUL); may be NULL.
 * @param config the config.
 * @param section see SECTIONS.
 * @param key the key.
 * @return PCT_OK; PCT_ENOTFOUND (with key) when unset or the section is missing;
 *         PCT_EINVAL for NULL.
 */
PCT_API int pct_config_get(const char** value_out, size_t* length_out, const pct_config* config,
                           const char* section, const char* key) PCT_NOEXCEPT;

/**
 * Sets a key: replaces the value of the line Proxmox reads, or appends a `key: value` line
 * to the section (creating a pending or snapshot section when needed). The value must pass
 * the file parser's type check for the key (`memory` must be an integer, `net0` a valid
 * network property string, ...); booleans and integers are stored normalized (`yes` ->
 * `1`). A raw `lxc.*` key replaces its last entry; `description` replaces the comments.
 * @param config the config.
 * @param section see SECTIONS.
 * @param key the key.
 * @param value the new value, not empty (use pct_config_delete()).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key and Proxmox's message) for an unknown key,
 *         a value that fails the type check, contains a newline or is empty, or NULL.
 */
PCT_API int pct_config_set(pct_config* config, const char* section, const char* key,
                           const char* value) PCT_NOEXCEPT;

/**
 * Removes every line that sets a key in a section (for a raw `lxc.*` key: all its entries).
 * @param config the config.
 * @param section see SECTIONS.
 * @param key the key.
 * @return PCT_OK; PCT_ENOTFOUND when the snapshot does not exist, or (with key) when the key
 *         is not set in the section; PCT_EINVAL (with key) for a key that cannot be stored in
 *         the section (as for pct_config_set()), or NULL.
 */
PCT_API int pct_config_delete(pct_config* config, const char* section,
                              const char* key) PCT_NOEXCEPT;

/**
 * The description (the decoded `#` comment lines) of a section.
 * @param out receives the text ("line1\nline2\n"), borrowed from the config; "" if none.
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND for a missing section; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_get_description(const char** out, const pct_config* config,
                                       const char* section) PCT_NOEXCEPT;

/**
 * Replaces the description of a section (written as `#` lines; any text is allowed).
 * @param config the config.
 * @param section see SECTIONS.
 * @param text the new description; "" or NULL removes it.
 * @return PCT_OK; PCT_EINVAL for a NULL config.
 */
PCT_API int pct_config_set_description(pct_config* config, const char* section,
                                       const char* text) PCT_NOEXCEPT;

/**
 * The number of raw `lxc.*` entries of a section (`lxc.environment.runtime` lines are not
 * entries: they form `env`).
 * @param count_out receives the count.
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND for a missing section; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_lxc_count(size_t* count_out, const pct_config* config,
                                 const char* section) PCT_NOEXCEPT;

/**
 * One raw `lxc.*` entry, in file order.
 * @param key_out receives the key, borrowed from the config.
 * @param value_out receives the value, borrowed from the config.
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0-based, below the count.
 * @return PCT_OK; PCT_ENOTFOUND for a missing section or an index out of range;
 *         PCT_EINVAL for NULL.
 */
PCT_API int pct_config_lxc_at(const char** key_out, const char** value_out,
                              const pct_config* config, const char* section,
                              size_t index) PCT_NOEXCEPT;

/**
 * Appends a raw `lxc.*` entry as the last line of a section (the section is created when
 * missing). `lxc.environment.runtime` adds an `env` entry instead.
 * @param config the config.
 * @param section see SECTIONS.
 * @param key the key, `lxc.` followed by lower-case letters, digits, `_`, `-`, `.`.
 * @param value the value (may be empty), without newlines.
 * @return PCT_OK; PCT_EINVAL (with key) for a key Proxmox refuses or does not allow, or a
 *         value with a newline.
 */
PCT_API int pct_config_lxc_append(pct_config* config, const char* section, const char* key,
                                  const char* value) PCT_NOEXCEPT;

/**
 * Removes one raw `lxc.*` entry (its line).
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0-based, below the count.
 * @return PCT_OK; PCT_ENOTFOUND for a missing section or an index out of range;
 *         PCT_EINVAL for NULL.
 */
PCT_API int pct_config_lxc_remove(pct_config* config, const char* section,
                                  size_t index) PCT_NOEXCEPT;

/**
 * The keys of the pending `delete` list, in stored order; a leading `!` marks a forced
 * deletion (Proxmox's syntax: entries separated by `,`, `;` or blanks).
 * @param out receives a new list (empty when nothing is pending deletion); the caller
 *        frees it with pct_string_list_free().
 * @param config the config.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_pending_deletes(pct_string_list** out,
                                       const pct_config* config) PCT_NOEXCEPT;

/**
 * Adds a key to the pending `delete` list (Proxmox re-prints it sorted, `,`-joined).
 * Adding a key that is listed already only updates its force flag.
 * @param config the config.
 * @param key the key to delete when the pending changes are applied.
 * @param force non-zero to mark it `!key` (forced).
 * @return PCT_OK; PCT_EINVAL for an invalid key name, an entry already listed that is not a
 *         valid key, or NULL.
 */
PCT_API int pct_config_pending_delete_add(pct_config* config, const char* key,
                                          int32_t force) PCT_NOEXCEPT;

/**
 * Removes a key from the pending `delete` list (the `delete` line goes when it empties).
 * @param config the config.
 * @param key the key.
 * @return PCT_OK; PCT_ENOTFOUND when it is not listed; PCT_EINVAL when another entry listed
 *         is not a valid key, or for NULL.
 */
PCT_API int pct_config_pending_delete_remove(pct_config* config, const char* key) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Property-string values                                                               */
/*                                                                                      */
/* Each type is a handle over one typed value with the same functions: `_new` (empty),  */
/* `_parse` (Proxmox's parse_property_string), `_print` (print_property_string order),  */
/* `_get`/`_set`/`_unset` by sub-key name as written in the file (`host-managed`,       */
/* `deny-write`), `_clone` and `_free`. `_get` returns the text form (booleans "1"/"0", */
/* sizes through format_size, idmap as `u:0:100000:65536;...` or `passthrough`).        */
/* `_set` parses the text for the sub-key's type and checks it against the schema.     */
/* ------------------------------------------------------------------------------------ */

/** `netN`: a network interface. */
typedef struct pct_net pct_net;
/** `rootfs` / `mpN`: a mount point (rootfs has no `mp`, `backup`, `keepattrs`). */
typedef struct pct_mount_point pct_mount_point;
/** `devN`: a device passed through. */
typedef struct pct_device pct_device;
/** `features`. */
typedef struct pct_features pct_features;
/** `startup`: start/stop order and delays. */
typedef struct pct_startup pct_startup;

/**
 * Creates an empty network interface (no sub-key set; `name` is required to print).
 * @param out receives the value; the caller frees it with pct_net_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_net_new(pct_net** out) PCT_NOEXCEPT;
/**
 * Parses a `netN` property string.
 * @param out receives the value; the caller frees it with pct_net_free().
 * @param text e.g. "name=eth0,bridge=vmbr0,ip=dhcp".
 * @return PCT_OK; PCT_EPARSE (with sub-key and Proxmox's message); PCT_EINVAL for NULL.
 */
PCT_API int pct_net_parse(pct_net** out, const char* text) PCT_NOEXCEPT;
/**
 * Prints a network interface as a property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param net the value.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for a value that breaks the schema.
 */
PCT_API int pct_net_print(char** out, const pct_net* net) PCT_NOEXCEPT;
/**
 * One sub-key as text.
 * @param value_out receives the value, borrowed from the handle.
 * @param net the value.
 * @param subkey e.g. "bridge", "host-managed".
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_net_get(const char** value_out, const pct_net* net,
                        const char* subkey) PCT_NOEXCEPT;
/**
 * Sets one sub-key from text.
 * @param net the value.
 * @param subkey the sub-key.
 * @param value its text form.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for an unknown sub-key or a bad value.
 */
PCT_API int pct_net_set(pct_net* net, const char* subkey, const char* value) PCT_NOEXCEPT;
/**
 * Unsets one sub-key (a required one becomes empty).
 * @param net the value.
 * @param subkey the sub-key.
 * @return PCT_OK (also when it was unset); PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_net_unset(pct_net* net, const char* subkey) PCT_NOEXCEPT;
/**
 * Copies a value.
 * @param out receives the copy; the caller frees it with pct_net_free().
 * @param net the value.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_net_clone(pct_net** out, const pct_net* net) PCT_NOEXCEPT;
/**
 * Frees a value.
 * @param net the value, or NULL.
 */
PCT_API void pct_net_free(pct_net* net) PCT_NOEXCEPT;

/**
 * Creates an empty mount point.
 * @param out receives the value; the caller frees it with pct_mount_point_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_mount_point_new(pct_mount_point** out) PCT_NOEXCEPT;
/**
 * Parses an `mpN` property string (`mp` required).
 * @param out receives the value; the caller frees it with pct_mount_point_free().
 * @param text e.g. "local:101/vm-101-disk-1.raw,mp=/data,size=8G".
 * @return PCT_OK; PCT_EPARSE (with sub-key); PCT_EINVAL for NULL.
 */
PCT_API int pct_mount_point_parse(pct_mount_point** out, const char* text) PCT_NOEXCEPT;
/**
 * Parses a `rootfs` property string (no `mp`, `backup`, `keepattrs`).
 * @param out receives the value; the caller frees it with pct_mount_point_free().
 * @param text e.g. "local:101/vm-101-disk-0.raw,size=4G".
 * @return PCT_OK; PCT_EPARSE (with sub-key); PCT_EINVAL for NULL.
 */
PCT_API int pct_mount_point_parse_rootfs(pct_mount_point** out, const char* text) PCT_NOEXCEPT;
/**
 * Prints a mount point as an `mpN` property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param mp the value.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for a value that breaks the schema.
 */
PCT_API int pct_mount_point_print(char** out, const pct_mount_point* mp) PCT_NOEXCEPT;
/**
 * Prints a mount point as a `rootfs` property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param mp the value.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for a value that breaks the schema.
 */
PCT_API int pct_mount_point_print_rootfs(char** out, const pct_mount_point* mp) PCT_NOEXCEPT;
/**
 * One sub-key as text (`volume` is the default key).
 * @param value_out receives the value, borrowed from the handle.
 * @param mp the value.
 * @param subkey e.g. "volume", "mp", "size", "idmap".
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_mount_point_get(const char** value_out, const pct_mount_point* mp,
                                const char* subkey) PCT_NOEXCEPT;
/**
 * Sets one sub-key from text (`size` takes `8G`, `512M`, bytes, ...).
 * @param mp the value.
 * @param subkey the sub-key.
 * @param value its text form.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for an unknown sub-key or a bad value.
 */
PCT_API int pct_mount_point_set(pct_mount_point* mp, const char* subkey,
                                const char* value) PCT_NOEXCEPT;
/**
 * Unsets one sub-key (`volume` becomes empty).
 * @param mp the value.
 * @param subkey the sub-key.
 * @return PCT_OK; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_mount_point_unset(pct_mount_point* mp, const char* subkey) PCT_NOEXCEPT;

/** Volume kinds of pct_mount_point_kind(). */
#define PCT_VOLUME_KIND_VOLUME 0 /**< `STORAGE:VOLNAME` (or `STORAGE:SIZE_GiB`) */
#define PCT_VOLUME_KIND_BIND 1   /**< an absolute host path */
#define PCT_VOLUME_KIND_DEVICE 2 /**< a `/dev/...` block device */

/**
 * What the volume string denotes, as Proxmox derives it.
 * @param mp the value.
 * @return a PCT_VOLUME_KIND_* value; PCT_EINVAL for NULL.
 */
PCT_API int pct_mount_point_kind(const pct_mount_point* mp) PCT_NOEXCEPT;
/**
 * Copies a value.
 * @param out receives the copy; the caller frees it with pct_mount_point_free().
 * @param mp the value.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_mount_point_clone(pct_mount_point** out, const pct_mount_point* mp) PCT_NOEXCEPT;
/**
 * Frees a value.
 * @param mp the value, or NULL.
 */
PCT_API void pct_mount_point_free(pct_mount_point* mp) PCT_NOEXCEPT;

/**
 * Creates an empty device.
 * @param out receives the value; the caller frees it with pct_device_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_device_new(pct_device** out) PCT_NOEXCEPT;
/**
 * Parses a `devN` property string.
 * @param out receives the value; the caller frees it with pct_device_free().
 * @param text e.g. "/dev/ttyUSB0,mode=0660,gid=20".
 * @return PCT_OK; PCT_EPARSE (with sub-key); PCT_EINVAL for NULL.
 */
PCT_API int pct_device_parse(pct_device** out, const char* text) PCT_NOEXCEPT;
/**
 * Prints a device as a property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param dev the value.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for a value that breaks the schema.
 */
PCT_API int pct_device_print(char** out, const pct_device* dev) PCT_NOEXCEPT;
/**
 * One sub-key as text (`path` is the default key).
 * @param value_out receives the value, borrowed from the handle.
 * @param dev the value.
 * @param subkey "path", "mode", "uid", "gid" or "deny-write".
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_device_get(const char** value_out, const pct_device* dev,
                           const char* subkey) PCT_NOEXCEPT;
/**
 * Sets one sub-key from text.
 * @param dev the value.
 * @param subkey the sub-key.
 * @param value its text form.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for an unknown sub-key or a bad value.
 */
PCT_API int pct_device_set(pct_device* dev, const char* subkey, const char* value) PCT_NOEXCEPT;
/**
 * Unsets one sub-key.
 * @param dev the value.
 * @param subkey the sub-key.
 * @return PCT_OK; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_device_unset(pct_device* dev, const char* subkey) PCT_NOEXCEPT;
/**
 * Copies a value.
 * @param out receives the copy; the caller frees it with pct_device_free().
 * @param dev the value.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_device_clone(pct_device** out, const pct_device* dev) PCT_NOEXCEPT;
/**
 * Frees a value.
 * @param dev the value, or NULL.
 */
PCT_API void pct_device_free(pct_device* dev) PCT_NOEXCEPT;

/**
 * Creates an empty feature set.
 * @param out receives the value; the caller frees it with pct_features_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_features_new(pct_features** out) PCT_NOEXCEPT;
/**
 * Parses a `features` property string.
 * @param out receives the value; the caller frees it with pct_features_free().
 * @param text e.g. "nesting=1,keyctl=1".
 * @return PCT_OK; PCT_EPARSE (with sub-key); PCT_EINVAL for NULL.
 */
PCT_API int pct_features_parse(pct_features** out, const char* text) PCT_NOEXCEPT;
/**
 * Prints a feature set as a property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param features the value.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for a value that breaks the schema.
 */
PCT_API int pct_features_print(char** out, const pct_features* features) PCT_NOEXCEPT;
/**
 * One sub-key as text.
 * @param value_out receives the value, borrowed from the handle.
 * @param features the value.
 * @param subkey "force_rw_sys", "fuse", "keyctl", "mknod", "mount" or "nesting".
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_features_get(const char** value_out, const pct_features* features,
                             const char* subkey) PCT_NOEXCEPT;
/**
 * Sets one sub-key from text.
 * @param features the value.
 * @param subkey the sub-key.
 * @param value its text form.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for an unknown sub-key or a bad value.
 */
PCT_API int pct_features_set(pct_features* features, const char* subkey,
                             const char* value) PCT_NOEXCEPT;
/**
 * Unsets one sub-key.
 * @param features the value.
 * @param subkey the sub-key.
 * @return PCT_OK; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_features_unset(pct_features* features, const char* subkey) PCT_NOEXCEPT;
/**
 * Copies a value.
 * @param out receives the copy; the caller frees it with pct_features_free().
 * @param features the value.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_features_clone(pct_features** out, const pct_features* features) PCT_NOEXCEPT;
/**
 * Frees a value.
 * @param features the value, or NULL.
 */
PCT_API void pct_features_free(pct_features* features) PCT_NOEXCEPT;

/**
 * Creates an empty startup order.
 * @param out receives the value; the caller frees it with pct_startup_free().
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_startup_new(pct_startup** out) PCT_NOEXCEPT;
/**
 * Parses a `startup` value (`[order=]N,up=N,down=N`).
 * @param out receives the value; the caller frees it with pct_startup_free().
 * @param text e.g. "order=2,up=30".
 * @return PCT_OK; PCT_EPARSE; PCT_EINVAL for NULL.
 */
PCT_API int pct_startup_parse(pct_startup** out, const char* text) PCT_NOEXCEPT;
/**
 * Prints a startup order.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param startup the value.
 * @return PCT_OK; PCT_EINVAL for a value Proxmox cannot print.
 */
PCT_API int pct_startup_print(char** out, const pct_startup* startup) PCT_NOEXCEPT;
/**
 * One sub-key as text.
 * @param value_out receives the value, borrowed from the handle.
 * @param startup the value.
 * @param subkey "order", "up" or "down".
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_startup_get(const char** value_out, const pct_startup* startup,
                            const char* subkey) PCT_NOEXCEPT;
/**
 * Sets one sub-key from text (a non-negative integer).
 * @param startup the value.
 * @param subkey the sub-key.
 * @param value its text form.
 * @return PCT_OK; PCT_EINVAL (with sub-key) for an unknown sub-key or a bad value.
 */
PCT_API int pct_startup_set(pct_startup* startup, const char* subkey,
                            const char* value) PCT_NOEXCEPT;
/**
 * Unsets one sub-key.
 * @param startup the value.
 * @param subkey the sub-key.
 * @return PCT_OK; PCT_EINVAL for an unknown sub-key or NULL.
 */
PCT_API int pct_startup_unset(pct_startup* startup, const char* subkey) PCT_NOEXCEPT;
/**
 * Copies a value.
 * @param out receives the copy; the caller frees it with pct_startup_free().
 * @param startup the value.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_startup_clone(pct_startup** out, const pct_startup* startup) PCT_NOEXCEPT;
/**
 * Frees a value.
 * @param startup the value, or NULL.
 */
PCT_API void pct_startup_free(pct_startup* startup) PCT_NOEXCEPT;

/**
 * Parses an `unusedN` property string.
 * @param volume_out receives the volume id; the caller frees it with pct_string_free().
 * @param text e.g. "local:101/vm-101-disk-2.raw".
 * @return PCT_OK; PCT_EPARSE (with sub-key); PCT_EINVAL for NULL.
 */
PCT_API int pct_unused_parse(char** volume_out, const char* text) PCT_NOEXCEPT;
/**
 * Prints an `unusedN` property string.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param volume the volume id.
 * @return PCT_OK; PCT_EINVAL for a volume id that breaks the schema, or NULL.
 */
PCT_API int pct_unused_print(char** out, const char* volume) PCT_NOEXCEPT;

/**
 * Proxmox's `parse_size`: `^(\d+(\.\d+)?)([KMGT](iB)?)?$` to bytes (truncated).
 * @param bytes_out receives the size in bytes.
 * @param text e.g. "8G", "1.5GiB", "4096".
 * @return PCT_OK; PCT_EPARSE for text that is not a size; PCT_EINVAL for NULL.
 */
PCT_API int pct_size_parse(uint64_t* bytes_out, const char* text) PCT_NOEXCEPT;
/**
 * Proxmox's `format_size`: the largest of K/M/G/T that divides the size exactly.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param bytes the size.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_size_format(char** out, uint64_t bytes) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Typed accessors on a config: parse the stored value / print and set it               */
/* ------------------------------------------------------------------------------------ */

/**
 * The `net<index>` value of a section.
 * @param out receives a new value; the caller frees it with pct_net_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..31.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE (with key) for a stored value that
 *         does not parse; PCT_EINVAL for a bad index or NULL.
 */
PCT_API int pct_config_get_net(pct_net** out, const pct_config* config, const char* section,
                               uint32_t index) PCT_NOEXCEPT;
/**
 * Prints a network interface into `net<index>` (see pct_config_set()).
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..31.
 * @param net the value (copied).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key) for a value that breaks the schema.
 */
PCT_API int pct_config_set_net(pct_config* config, const char* section, uint32_t index,
                               const pct_net* net) PCT_NOEXCEPT;
/**
 * The `rootfs` value of a section.
 * @param out receives a new value; the caller frees it with pct_mount_point_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_get_rootfs(pct_mount_point** out, const pct_config* config,
                                  const char* section) PCT_NOEXCEPT;
/**
 * Prints a mount point into `rootfs`.
 * @param config the config.
 * @param section see SECTIONS.
 * @param rootfs the value (copied).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key) for a value that breaks the schema.
 */
PCT_API int pct_config_set_rootfs(pct_config* config, const char* section,
                                  const pct_mount_point* rootfs) PCT_NOEXCEPT;
/**
 * The `mp<index>` value of a section.
 * @param out receives a new value; the caller frees it with pct_mount_point_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for a bad index or NULL.
 */
PCT_API int pct_config_get_mount_point(pct_mount_point** out, const pct_config* config,
                                       const char* section, uint32_t index) PCT_NOEXCEPT;
/**
 * Prints a mount point into `mp<index>`.
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @param mp the value (copied).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key) for a value that breaks the schema.
 */
PCT_API int pct_config_set_mount_point(pct_config* config, const char* section, uint32_t index,
                                       const pct_mount_point* mp) PCT_NOEXCEPT;
/**
 * The volume of `unused<index>`.
 * @param volume_out receives the volume id, borrowed from the config.
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for a bad index or NULL.
 */
PCT_API int pct_config_get_unused(const char** volume_out, const pct_config* config,
                                  const char* section, uint32_t index) PCT_NOEXCEPT;
/**
 * Sets `unused<index>` to a volume id.
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @param volume the volume id.
 * @return PCT_OK; PCT_EINVAL (with key) for a bad volume id or index.
 */
PCT_API int pct_config_set_unused(pct_config* config, const char* section, uint32_t index,
                                  const char* volume) PCT_NOEXCEPT;
/**
 * The `dev<index>` value of a section.
 * @param out receives a new value; the caller frees it with pct_device_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for a bad index or NULL.
 */
PCT_API int pct_config_get_device(pct_device** out, const pct_config* config, const char* section,
                                  uint32_t index) PCT_NOEXCEPT;
/**
 * Prints a device into `dev<index>`.
 * @param config the config.
 * @param section see SECTIONS.
 * @param index 0..255.
 * @param dev the value (copied).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key) for a value that breaks the schema.
 */
PCT_API int pct_config_set_device(pct_config* config, const char* section, uint32_t index,
                                  const pct_device* dev) PCT_NOEXCEPT;
/**
 * The `features` value of a section.
 * @param out receives a new value; the caller frees it with pct_features_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_get_features(pct_features** out, const pct_config* config,
                                    const char* section) PCT_NOEXCEPT;
/**
 * Prints a feature set into `features`.
 * @param config the config.
 * @param section see SECTIONS.
 * @param features the value (copied).
 * @return PCT_OK; PCT_EINVAL (with key, sub-key) for a value that breaks the schema.
 */
PCT_API int pct_config_set_features(pct_config* config, const char* section,
                                    const pct_features* features) PCT_NOEXCEPT;
/**
 * The `startup` value of a section.
 * @param out receives a new value; the caller frees it with pct_startup_free().
 * @param config the config.
 * @param section see SECTIONS.
 * @return PCT_OK; PCT_ENOTFOUND when unset; PCT_EPARSE for a stored value that does not
 *         parse; PCT_EINVAL for NULL.
 */
PCT_API int pct_config_get_startup(pct_startup** out, const pct_config* config,
                                   const char* section) PCT_NOEXCEPT;
/**
 * Prints a startup order into `startup`.
 * @param config the config.
 * @param section see SECTIONS.
 * @param startup the value (copied).
 * @return PCT_OK; PCT_EINVAL for a value Proxmox cannot print.
 */
PCT_API int pct_config_set_startup(pct_config* config, const char* section,
                                   const pct_startup* startup) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Validation (what `pct set` enforces: enums, ranges, patterns, formats, CTIDs)        */
/* ------------------------------------------------------------------------------------ */

/**
 * Every problem of a whole config: all sections, all keys, raw lxc keys.
 * @param out receives a new list, empty when the config is valid; the caller frees it
 *        with pct_diag_list_free(). Entries carry `PCT_E*` codes, key, sub-key and line.
 * @param config the config.
 * @return PCT_OK (whether or not problems were found); PCT_EINVAL for NULL.
 */
PCT_API int pct_config_validate(pct_diag_list** out, const pct_config* config) PCT_NOEXCEPT;

/**
 * Every problem of one value for one key.
 * @param out receives a new list, empty when the value is valid; the caller frees it with
 *        pct_diag_list_free().
 * @param key the key (`memory`, `net0`, `lxc.cap.drop`).
 * @param value the value.
 * @return PCT_OK (whether or not problems were found); PCT_EINVAL for NULL.
 */
PCT_API int pct_validate_value(pct_diag_list** out, const char* key,
                               const char* value) PCT_NOEXCEPT;

/**
 * Checks a CTID (100 to 999999999).
 * @param vmid the id.
 * @return PCT_OK; PCT_EINVAL with Proxmox's message otherwise.
 */
PCT_API int pct_validate_vmid(uint64_t vmid) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* LXC config generation                                                                */
/* ------------------------------------------------------------------------------------ */

/** The generated LXC config with its extra files and warnings. */
typedef struct pct_lxc_result pct_lxc_result;

#define PCT_LXC_PROFILE_NATIVE 0  /**< what really works on this host (default) */
#define PCT_LXC_PROFILE_PROXMOX 1 /**< exactly what Proxmox VE writes */
#define PCT_LXC_HOST_DETECT 0     /**< read this host's facts (lxc, cgroups, bridges) */
#define PCT_LXC_HOST_REFERENCE 1  /**< Proxmox's reference facts (lxc 6.0, cgroup v2, ...) */

/** Options of pct_lxc_generate(). Fields are only ever appended. */
typedef struct pct_lxc_options {
    /** Must be PCT_LXC_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** PCT_LXC_PROFILE_NATIVE or PCT_LXC_PROFILE_PROXMOX. */
    int32_t profile;
    /** PCT_LXC_HOST_DETECT or PCT_LXC_HOST_REFERENCE. */
    int32_t host;
    /** The CTID; 0 = the config's CTID. */
    uint32_t vmid;
    /** The lxc path (`lxc.rootfs.path` lives under it); NULL = "/var/lib/lxc". */
    const char* lxcpath;
} pct_lxc_options;

/** The newest options version this header knows. */
#define PCT_LXC_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_LXC_OPTIONS_INIT                                                                       \
    { PCT_LXC_OPTIONS_VERSION, 0, 0, 0, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_LXC_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_lxc_options_init(pct_lxc_options* options, uint32_t version) PCT_NOEXCEPT;

/**
 * Generates the LXC config of a config's main section (pending changes not applied), as
 * Proxmox's `update_lxc_config` does for the chosen profile.
 * @param out receives the result; the caller frees it with pct_lxc_result_free().
 * @param config the config.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_EINVAL (with key, sub-key and Proxmox's message, e.g. "missing
 *         'arch' - internal error") where Proxmox refuses; PCT_EUNSUPPORTED for a limit
 *         this host cannot enforce; PCT_EIO when host detection fails.
 */
PCT_API int pct_lxc_generate(pct_lxc_result** out, const pct_config* config,
                             const pct_lxc_options* options) PCT_NOEXCEPT;
/**
 * The generated `key = value` lines.
 * @param result the result.
 * @return borrowed from the result; NULL for NULL.
 */
PCT_API const char* pct_lxc_result_config(const pct_lxc_result* result) PCT_NOEXCEPT;
/**
 * The number of generator warnings (ignored features, limits this host cannot apply).
 * @param result the result; NULL counts as none.
 * @return the count.
 */
PCT_API size_t pct_lxc_result_warning_count(const pct_lxc_result* result) PCT_NOEXCEPT;
/**
 * One generator warning.
 * @param result the result.
 * @param index 0-based.
 * @return borrowed from the result; NULL (and `PCT_EINVAL`) when out of range.
 */
PCT_API const char* pct_lxc_result_warning_at(const pct_lxc_result* result,
                                              size_t index) PCT_NOEXCEPT;
/**
 * The number of extra files to write beside the config (e.g. `rules.seccomp`).
 * @param result the result; NULL counts as none.
 * @return the count.
 */
PCT_API size_t pct_lxc_result_file_count(const pct_lxc_result* result) PCT_NOEXCEPT;
/**
 * The path of one extra file.
 * @param result the result.
 * @param index 0-based.
 * @return borrowed from the result; NULL (and `PCT_EINVAL`) when out of range.
 */
PCT_API const char* pct_lxc_result_file_path(const pct_lxc_result* result,
                                             size_t index) PCT_NOEXCEPT;
/**
 * The content of one extra file.
 * @param result the result.
 * @param index 0-based.
 * @return borrowed from the result; NULL (and `PCT_EINVAL`) when out of range.
 */
PCT_API const char* pct_lxc_result_file_content(const pct_lxc_result* result,
                                                size_t index) PCT_NOEXCEPT;
/**
 * Frees a result.
 * @param result the result, or NULL.
 */
PCT_API void pct_lxc_result_free(pct_lxc_result* result) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Containers (liblxc): a host layout, create, the lifecycle, status, exec, destroy     */
/*                                                                                      */
/* These calls block (a start waits for RUNNING, a shutdown for the timeout). They need */
/* root and liblxc; where the host cannot run containers they fail with the reason.     */
/* ------------------------------------------------------------------------------------ */

/** A Proxmox host layout under a root directory (`R/etc/pve/lxc/<CTID>.conf`, ...). */
typedef struct pct_host pct_host;
/** One container of a host; used by one thread at a time. */
typedef struct pct_container pct_container;
/** The outcome of pct_container_exec(): exit code, signal and captured output. */
typedef struct pct_exec_result pct_exec_result;

/* Container states of pct_container_state() (liblxc's; only ever added). */
#define PCT_STATE_STOPPED 0
#define PCT_STATE_STARTING 1
#define PCT_STATE_RUNNING 2
#define PCT_STATE_STOPPING 3
#define PCT_STATE_ABORTING 4
#define PCT_STATE_FREEZING 5
#define PCT_STATE_FROZEN 6
#define PCT_STATE_THAWED 7

/**
 * liblxc's name of a state.
 * @param state a PCT_STATE_* value.
 * @return "STOPPED", "RUNNING", "FROZEN", ...; "UNKNOWN" otherwise. Never NULL.
 */
PCT_API const char* pct_state_name(int state) PCT_NOEXCEPT;

/**
 * Opens a host layout.
 * @param out receives the host; the caller frees it with pct_host_free().
 * @param root the absolute root directory; NULL means "/" (the real host).
 * @return PCT_OK; PCT_EINVAL for a relative root or NULL out.
 */
PCT_API int pct_host_open(pct_host** out, const char* root) PCT_NOEXCEPT;
/**
 * The root directory of a host.
 * @param host the host.
 * @return borrowed from the host; NULL for NULL.
 */
PCT_API const char* pct_host_root(const pct_host* host) PCT_NOEXCEPT;
/**
 * The CTIDs that have a config file, ascending, as decimal strings.
 * @param out receives a new list; the caller frees it with pct_string_list_free().
 * @param host the host.
 * @return PCT_OK; PCT_EIO when the config directory cannot be read; PCT_EINVAL for NULL.
 */
PCT_API int pct_host_list(pct_string_list** out, const pct_host* host) PCT_NOEXCEPT;
/**
 * Frees a host (containers opened from it keep their own copy).
 * @param host the host, or NULL.
 */
PCT_API void pct_host_free(pct_host* host) PCT_NOEXCEPT;

/**
 * One progress report of long work (template extraction, copies, backup, restore): passed to a
 * pct_progress_fn during the call that does the work. Borrowed: valid only during the callback.
 */
typedef struct pct_progress {
    /** What is being done: "extract", "backup", "restore", "copy", ... */
    const char* phase;
    /** Bytes done so far. */
    uint64_t bytes;
    /** The expected end of `bytes`; 0 when unknown. */
    uint64_t total;
    /** Bytes per second since the phase began. */
    double rate;
    /** Seconds left at `rate`; negative when unknown. */
    double eta_seconds;
    /** Non-zero on the last report of the phase. */
    int32_t done;
} pct_progress;

/**
 * A caller's progress callback: called on the thread doing the work, at most about four times
 * a second and once with `done` set; it must not call back into the same operation.
 * @param progress the report (borrowed for the call).
 * @param user the `progress_user` pointer the caller gave with the callback.
 */
typedef void (*pct_progress_fn)(const pct_progress* progress, void* user);

/** Options of pct_container_create(). Fields are only ever appended. */
typedef struct pct_create_options {
    /** Must be PCT_CREATE_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** The template: `STORAGE:vztmpl/FILE` or a file path. Required. */
    const char* ostemplate;
    /** Storage for an implicit or `STORAGE:SIZE` rootfs; NULL = "local". */
    const char* storage;
    /**
     * The new container's options: the main-section keys of this config; may be NULL. Without
     * an `unprivileged` key the container is unprivileged (`unprivileged: 1` is written, as
     * current Proxmox creates containers; set it to "0" for a privileged one): its template
     * is unpacked inside its id map, so files owned by uid 0 in the template belong to
     * 100000 on the host. No field of this struct changed for that: a NULL or older-version
     * options struct gets the same default.
     */
    const pct_config* config;
    /** Non-zero: replace an existing stopped container of the same CTID. */
    int32_t force;
    /** Non-zero: treat tar's "some members could not be extracted" as success. */
    int32_t ignore_unpack_errors;
    /* Version 2 (0.3.0): the rest of `pct create`'s options. */
    /**
     * The root password inside the container (`--password`), stored hashed as Proxmox does;
     * NULL: root's password stays locked. Borrowed for the call.
     */
    const char* password;
    /** Public keys for root's authorized_keys (the file's text); NULL or "": none. */
    const char* ssh_public_keys;
    /** Non-zero: start the container once made (a failed start leaves it made). */
    int32_t start;
    /** Non-zero: every `netN` gets a new random MAC, also where the config names one. */
    int32_t unique;
    /** A Proxmox resource pool: anything but NULL or "" fails with PCT_EUNSUPPORTED. */
    const char* pool;
} pct_create_options;

/** The newest create options version this header knows (2 since 0.3.0). */
#define PCT_CREATE_OPTIONS_VERSION 2
/** Initializer with the defaults (ostemplate still has to be set). */
#define PCT_CREATE_OPTIONS_INIT                                                                    \
    { PCT_CREATE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, 0, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_CREATE_OPTIONS_VERSION (or an older known version: only that version's
 *        fields are written, so an older caller's smaller struct is safe).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_create_options_init(pct_create_options* options, uint32_t version) PCT_NOEXCEPT;

/**
 * Whether pct_container_create() takes a config key in `options->config` (and `pct create`
 * as `--KEY`): every key of the schema the API may set (`net0`..`net31`, `mp0`..`mp255`,
 * `dev0`..`dev255`, `description`, ...) except `parent`, `snaptime`, `lock` and `unusedN`.
 * @param key the key.
 * @return 1 when create takes it, 0 otherwise (also for NULL).
 */
PCT_API int pct_create_key_settable(const char* key) PCT_NOEXCEPT;

/**
 * Creates a container from a template (`pct create`) and opens it, stopped. Unprivileged
 * unless the options' config says `unprivileged: 0`. A failure removes what the call made; a
 * process killed during the call leaves a config with `lock: create` that
 * pct_container_destroy() removes with its volume.
 * @param out receives the container; the caller frees it with pct_container_free().
 * @param host the host.
 * @param vmid the new CTID (100..999999999).
 * @param options the template and options; required.
 * @return PCT_OK; PCT_EINVAL (CTID, option values, a key create does not take, a rootfs or
 *         mpN volume Proxmox refuses: "unable to parse directory volume name 'abc'");
 *         PCT_EEXIST ("CT N already exists"); PCT_ENOTFOUND (template, storage);
 *         PCT_EUNSUPPORTED (a pool, a storage type); PCT_EIO (unpacking). A failure once the
 *         work has begun reads "unable to create CT <vmid> - ...", as in Proxmox.
 */
PCT_API int pct_container_create(pct_container** out, const pct_host* host, uint32_t vmid,
                                 const pct_create_options* options) PCT_NOEXCEPT;

/** A log callback: one line of an operation's log (borrowed for the call, no line break). */
typedef void (*pct_log_fn)(const char* line, void* user);

/** Options of pct_container_restore(). Fields are only ever appended. */
typedef struct pct_restore_options {
    /** Must be PCT_RESTORE_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /**
     * The backup: `STORAGE:backup/FILE`, an absolute file path, or "-" to read an uncompressed
     * archive from `input_fd` (then the config must name a `rootfs`). Required.
     */
    const char* archive;
    /** The descriptor read for archive "-" (read to its end, not closed); -1 otherwise. */
    int32_t input_fd;
    /** Storage for the volumes; NULL = "local". */
    const char* storage;
    /**
     * Keys overriding the archive's (`rootfs`, `mpN`, `unprivileged`, `hostname`, ...): the
     * main-section keys of this config; may be NULL. With a `rootfs` only the given volumes are
     * made (Proxmox's advanced mode); without, the archive's volumes with their sizes.
     */
    const pct_config* config;
    /** Non-zero: every archived `netN` gets a new random MAC (replacing a given one). */
    int32_t unique;
    /** Non-zero: tar's "some members could not be extracted" counts as success. */
    int32_t ignore_unpack_errors;
    /** Non-zero: replace an existing stopped, unprotected container of the CTID. */
    int32_t force;
    /** Non-zero: start the container once restored. */
    int32_t start;
    /** Cap on the rate the archive is read at, KiB/s; 0 = none. */
    uint64_t bwlimit_kib;
    /** Hears the extraction (phase "restore"); NULL = none. */
    pct_progress_fn progress;
    /** Passed to `progress`. */
    void* progress_user;
    /** Hears each log line; NULL = none. */
    pct_log_fn log;
    /** Passed to `log`. */
    void* log_user;
} pct_restore_options;

/** The newest restore options version this header knows (1 since 0.5.0). */
#define PCT_RESTORE_OPTIONS_VERSION 1
/** Initializer with the defaults (archive still has to be set). */
#define PCT_RESTORE_OPTIONS_INIT                                                                   \
    { PCT_RESTORE_OPTIONS_VERSION, NULL, -1, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_RESTORE_OPTIONS_VERSION.
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_restore_options_init(pct_restore_options* options, uint32_t version) PCT_NOEXCEPT;

/**
 * Restores a vzdump backup into container `vmid` (`pct restore`) and opens it, stopped unless
 * `options->start`. Proxmox's create_vm with restore=1 acting as root@pam: the archive's
 * config merged under the command line's, extraction in the target's id map, a failure
 * removing everything the call made.
 * @param out receives the container; the caller frees it with pct_container_free().
 * @param host the host.
 * @param vmid the CTID (100..999999999).
 * @param options the archive and options; required.
 * @return PCT_OK; PCT_EINVAL (options, an archive without `./etc/vzdump/pct.conf`, a volume
 *         without size); PCT_EEXIST (the CT exists, no force); PCT_ESTATE (force over a
 *         running or protected CT); PCT_ENOTFOUND (archive, storage); PCT_EIO (tar, with its
 *         complaint: a truncated or hostile archive). A failure once the work has begun reads
 *         "unable to restore CT <vmid> - ...".
 */
PCT_API int pct_container_restore(pct_container** out, const pct_host* host, uint32_t vmid,
                                  const pct_restore_options* options) PCT_NOEXCEPT;

/**
 * The text of the first `./etc/vzdump/pct.conf` in a backup archive file (any compression).
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param archive the archive's path.
 * @return PCT_OK; PCT_EINVAL (no config in the archive, above 1 MiB); PCT_EUNSUPPORTED (an
 *         OpenVZ backup); PCT_EIO (tar cannot read it).
 */
PCT_API int pct_backup_config_read(char** out, const char* archive) PCT_NOEXCEPT;

/**
 * Proxmox's restore merge (sanitize_and_merge_config): `archived`'s keys copied into `given`
 * unless set there or never copied (rootfs, mpN, unusedN, template, unprivileged, ...).
 * @param out receives the merged config; the caller frees it with pct_config_free().
 * @param archived the backup's config (borrowed).
 * @param given the new config (borrowed, unchanged).
 * @param root non-zero: merge as root@pam (raw lxc entries, features kept).
 * @param unique non-zero: every archived `netN` gets a new random MAC and replaces the given.
 * @return PCT_OK; PCT_EPARSE (an archived netN that does not parse, with `unique`).
 */
PCT_API int pct_restore_merge_config(pct_config** out, const pct_config* archived,
                                     const pct_config* given, int32_t root,
                                     int32_t unique) PCT_NOEXCEPT;

/** vzdump's modes (pct_backup_options.mode). */
#define PCT_BACKUP_MODE_SNAPSHOT 0
#define PCT_BACKUP_MODE_SUSPEND 1
#define PCT_BACKUP_MODE_STOP 2

/** Options of pct_container_backup(). Fields are only ever appended. */
typedef struct pct_backup_options {
    /** Must be PCT_BACKUP_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Target storage (its backup dir); NULL = "local" unless `dumpdir` is set. */
    const char* storage;
    /** A directory to write to instead of a storage (no notes, protection, pruning); or NULL. */
    const char* dumpdir;
    /** A PCT_BACKUP_MODE_* value; a stopped CT is always backed up in stop mode. */
    int32_t mode;
    /** A PCT_BACKUP_COMPRESS_* value. */
    int32_t compress;
    /** zstd threads (`--zstd`); 0 = half the cores. */
    uint32_t zstd_threads;
    /** `--exclude-path` patterns: a NULL-terminated array (borrowed for the call), or NULL. */
    const char* const* exclude_paths;
    /** Non-zero (the default): also exclude /tmp/?*, /var/tmp/?*, /var/run/?*.pid. */
    int32_t stdexcludes;
    /** Notes template (`{{cluster}}`, `{{guestname}}`, `{{node}}`, `{{vmid}}`); NULL = none. */
    const char* notes_template;
    /** Non-zero: mark the backup protected (storage targets). */
    int32_t protect;
    /** Non-zero (the default): prune by the storage's prune-backups afterwards. */
    int32_t remove;
    /** Directory for temporary files; NULL = vzdump's choice. */
    const char* tmpdir;
    /** Cap on the archive rate, KiB/s; 0 = none. */
    uint64_t bwlimit_kib;
    /** Hears the archive's tar bytes (phase "backup"); NULL = none. */
    pct_progress_fn progress;
    /** Passed to `progress`. */
    void* progress_user;
    /** Hears each log line ("INFO: ..."); NULL = none. */
    pct_log_fn log;
    /** Passed to `log`. */
    void* log_user;
} pct_backup_options;

/** The newest backup options version this header knows (1 since 0.5.0). */
#define PCT_BACKUP_OPTIONS_VERSION 1
/** Initializer with the defaults (snapshot mode, no compression, stdexcludes, remove). */
#define PCT_BACKUP_OPTIONS_INIT                                                                    \
    {                                                                                              \
        PCT_BACKUP_OPTIONS_VERSION, NULL, NULL, PCT_BACKUP_MODE_SNAPSHOT,                          \
            PCT_BACKUP_COMPRESS_NONE, 1, NULL, 1, NULL, 0, 1, NULL, 0, NULL, NULL, NULL, NULL      \
    }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_BACKUP_OPTIONS_VERSION.
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_backup_options_init(pct_backup_options* options, uint32_t version) PCT_NOEXCEPT;

/** What a finished backup produced (archive, log, mode used, pruned archives, warnings). */
typedef struct pct_backup_report pct_backup_report;

/**
 * Backs up container `vmid` as vzdump does (`pct backup`): a Proxmox-format tar archive
 * `vzdump-lxc-<vmid>-<time>.tar[.gz|.lzo|.zst]` with its `.log` beside it. The config holds
 * `lock: backup` meanwhile; a failure leaves no temp archive, snapshot, mount or lock, only
 * the `.log`. The callbacks may run on a thread of the call (one at a time, all before it
 * returns).
 * @param out receives the report; the caller frees it with pct_backup_report_free().
 * @param host the host.
 * @param vmid the CTID.
 * @param options the options; NULL = defaults.
 * @return PCT_OK; PCT_ENOTFOUND (no such CT, storage); PCT_ESTATE ("CT is locked (LOCK)");
 *         PCT_EINVAL (options: storage with dumpdir, a storage without backup content);
 *         PCT_EIO (tar, the compressor or rsync failed, with their complaint).
 */
PCT_API int pct_container_backup(pct_backup_report** out, const pct_host* host, uint32_t vmid,
                                 const pct_backup_options* options) PCT_NOEXCEPT;

/** Frees a report; NULL is ignored. */
PCT_API void pct_backup_report_free(pct_backup_report* report) PCT_NOEXCEPT;
/** The finished archive's full path (borrowed, valid until the report is freed). */
PCT_API const char* pct_backup_report_archive(const pct_backup_report* report) PCT_NOEXCEPT;
/** "STORE:backup/FILE" on a storage, else "" (borrowed, valid until the report is freed). */
PCT_API const char* pct_backup_report_volid(const pct_backup_report* report) PCT_NOEXCEPT;
/** The `.log` beside the archive (borrowed, valid until the report is freed). */
PCT_API const char* pct_backup_report_log_path(const pct_backup_report* report) PCT_NOEXCEPT;
/** The PCT_BACKUP_MODE_* actually used; -1 for NULL. */
PCT_API int32_t pct_backup_report_mode(const pct_backup_report* report) PCT_NOEXCEPT;
/** The archive's size in bytes; 0 for NULL. */
PCT_API uint64_t pct_backup_report_size(const pct_backup_report* report) PCT_NOEXCEPT;
/** How many archives pruning removed; 0 for NULL. */
PCT_API size_t pct_backup_report_pruned_count(const pct_backup_report* report) PCT_NOEXCEPT;
/** The `i`th removed archive's path (borrowed, valid until the report is freed); NULL past the
 *  end. */
PCT_API const char* pct_backup_report_pruned_at(const pct_backup_report* report,
                                                size_t i) PCT_NOEXCEPT;
/** How many warnings the run logged; 0 for NULL. */
PCT_API size_t pct_backup_report_warning_count(const pct_backup_report* report) PCT_NOEXCEPT;
/** The `i`th warning (borrowed, valid until the report is freed); NULL past the end. */
PCT_API const char* pct_backup_report_warning_at(const pct_backup_report* report,
                                                 size_t i) PCT_NOEXCEPT;

/**
 * Opens an existing container.
 * @param out receives the container; the caller frees it with pct_container_free().
 * @param host the host.
 * @param vmid the CTID.
 * @return PCT_OK; PCT_ENOTFOUND when it has no config; PCT_EINVAL for a bad CTID;
 *         PCT_ELXC when liblxc cannot make a handle.
 */
PCT_API int pct_container_open(pct_container** out, const pct_host* host,
                               uint32_t vmid) PCT_NOEXCEPT;
/**
 * Frees a container handle (the container itself keeps running).
 * @param ct the handle, or NULL.
 */
PCT_API void pct_container_free(pct_container* ct) PCT_NOEXCEPT;
/**
 * The CTID of a handle.
 * @param ct the handle.
 * @return the CTID; 0 for NULL.
 */
PCT_API uint32_t pct_container_vmid(const pct_container* ct) PCT_NOEXCEPT;
/**
 * The current state as liblxc reports it.
 * @param ct the handle.
 * @return a PCT_STATE_* value (>= 0); PCT_EINVAL for NULL.
 */
PCT_API int pct_container_state(const pct_container* ct) PCT_NOEXCEPT;
/**
 * The host PID of the container's init.
 * @param ct the handle.
 * @return the PID, 0 when not running (or for NULL).
 */
PCT_API int pct_container_init_pid(const pct_container* ct) PCT_NOEXCEPT;

/**
 * Starts the container (pending changes applied, config validated, LXC config generated).
 * @param warnings_out receives the generator's warnings, freed with pct_string_list_free();
 *        may be NULL.
 * @param ct the handle.
 * @param timeout_ms how long to wait for RUNNING; 0 = 30 s.
 * @return PCT_OK; PCT_ESTATE (already running, locked, template); PCT_EINVAL (validation);
 *         PCT_ENOTFOUND (rootfs, bridge); PCT_ELXC (liblxc's reasons in the message).
 */
PCT_API int pct_container_start(pct_string_list** warnings_out, pct_container* ct,
                                uint32_t timeout_ms) PCT_NOEXCEPT;
/**
 * Kills the container at once and waits for STOPPED.
 * @param ct the handle.
 * @param skiplock non-zero to stop a locked container.
 * @return PCT_OK; PCT_ESTATE ("CT N not running", locked).
 */
PCT_API int pct_container_stop(pct_container* ct, int32_t skiplock) PCT_NOEXCEPT;
/**
 * Asks init to shut down and waits.
 * @param ct the handle.
 * @param timeout_s seconds to wait; 0 = 60.
 * @param force non-zero: kill it after the timeout instead of failing.
 * @return PCT_OK; PCT_ESTATE (not running, "container did not stop").
 */
PCT_API int pct_container_shutdown(pct_container* ct, uint32_t timeout_s,
                                   int32_t force) PCT_NOEXCEPT;
/** Options of pct_container_start_opts(). Fields are only ever appended. */
typedef struct pct_start_options {
    /** Must be PCT_START_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Non-zero: start although the config has a `lock` (Proxmox: root only). */
    int32_t skiplock;
    /** How long to wait for liblxc's start and RUNNING, in milliseconds; 0 = 30 s. */
    uint32_t timeout_ms;
    /** liblxc's log level for the container's lxc.log: "TRACE", "DEBUG", "INFO", "NOTICE",
        "WARN", "ERROR", "CRIT", "ALERT" or "FATAL" (any case); NULL = "WARN". The config's
        `debug: 1` forces "DEBUG". */
    const char* log_level;
} pct_start_options;

/** The newest start options version this header knows. */
#define PCT_START_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_START_OPTIONS_INIT                                                                     \
    { PCT_START_OPTIONS_VERSION, 0, 0, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_START_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_start_options_init(pct_start_options* options, uint32_t version) PCT_NOEXCEPT;
/**
 * Starts the container as pct_container_start() does, with options.
 * @param warnings_out receives the generator's warnings, freed with pct_string_list_free();
 *        may be NULL.
 * @param ct the handle.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_ESTATE (already running, locked, template); PCT_EINVAL (validation,
 *         unknown log level or options version); PCT_ENOTFOUND (rootfs, bridge);
 *         PCT_EINVAL/PCT_EIO (a mount point that cannot be mounted: Proxmox's message, the
 *         key names it); PCT_ESTATE (a failing pre-start hookscript); PCT_ELXC (liblxc's
 *         reasons in the message).
 */
PCT_API int pct_container_start_opts(pct_string_list** warnings_out, pct_container* ct,
                                     const pct_start_options* options) PCT_NOEXCEPT;

/** Options of pct_container_stop_opts(). Fields are only ever appended. */
typedef struct pct_stop_options {
    /** Must be PCT_STOP_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Non-zero: stop a locked container. */
    int32_t skiplock;
    /** How long to wait for STOPPED after the kill, in milliseconds; 0 = 30 s. */
    uint32_t timeout_ms;
} pct_stop_options;

/** The newest stop options version this header knows. */
#define PCT_STOP_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_STOP_OPTIONS_INIT                                                                      \
    { PCT_STOP_OPTIONS_VERSION, 0, 0 }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_STOP_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_stop_options_init(pct_stop_options* options, uint32_t version) PCT_NOEXCEPT;
/**
 * Kills the container at once and waits for STOPPED, with options.
 * @param ct the handle.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_ESTATE ("CT N not running", locked); PCT_ELXC ("container did not
 *         stop" within the timeout); PCT_EINVAL (options version).
 */
PCT_API int pct_container_stop_opts(pct_container* ct,
                                    const pct_stop_options* options) PCT_NOEXCEPT;

/** Options of pct_container_shutdown_opts(). Fields are only ever appended. */
typedef struct pct_shutdown_options {
    /** Must be PCT_SHUTDOWN_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Seconds to wait for the container to stop; 0 = 60 (Proxmox's default). */
    uint32_t timeout_s;
    /** Non-zero: kill it after the timeout instead of failing (`--forceStop`). */
    int32_t force;
} pct_shutdown_options;

/** The newest shutdown options version this header knows. */
#define PCT_SHUTDOWN_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_SHUTDOWN_OPTIONS_INIT                                                                  \
    { PCT_SHUTDOWN_OPTIONS_VERSION, 0, 0 }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_SHUTDOWN_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_shutdown_options_init(pct_shutdown_options* options, uint32_t version) PCT_NOEXCEPT;
/**
 * Asks init to shut down and waits, with options.
 * @param ct the handle.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_ESTATE (not running, locked, "container did not stop");
 *         PCT_EINVAL (options version).
 */
PCT_API int pct_container_shutdown_opts(pct_container* ct,
                                        const pct_shutdown_options* options) PCT_NOEXCEPT;
/**
 * Shuts the container down and starts it again (pending changes applied).
 * @param ct the handle.
 * @param timeout_s seconds to wait for the shutdown; 0 = 60.
 * @param force non-zero: kill it after the timeout.
 * @return as pct_container_shutdown() and pct_container_start().
 */
PCT_API int pct_container_reboot(pct_container* ct, uint32_t timeout_s, int32_t force) PCT_NOEXCEPT;
/**
 * Freezes every process of the container.
 * @param ct the handle.
 * @return PCT_OK; PCT_ESTATE when not running; PCT_ELXC.
 */
PCT_API int pct_container_suspend(pct_container* ct) PCT_NOEXCEPT;
/**
 * Thaws a frozen container.
 * @param ct the handle.
 * @return PCT_OK; PCT_ESTATE when not frozen; PCT_ELXC.
 */
PCT_API int pct_container_resume(pct_container* ct) PCT_NOEXCEPT;
/**
 * State and resource use as `key: value` lines (`pct status --verbose`: status, pid, mem,
 * maxmem, cpu, uptime, disk, netin, ...).
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param ct the handle.
 * @return PCT_OK; PCT_ENOTFOUND when the config is gone.
 */
PCT_API int pct_container_status(char** out, const pct_container* ct) PCT_NOEXCEPT;

/** Options of pct_container_exec(). Fields are only ever appended. */
typedef struct pct_exec_options {
    /** Must be PCT_EXEC_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Extra `NAME=value` entries, NULL-terminated; may be NULL. */
    const char* const* env;
    /** Non-zero: keep the caller's environment (default: PATH, TERM=linux, container=lxc). */
    int32_t keep_env;
    /** Working directory inside the container; NULL = "/". */
    const char* cwd;
    /** uid/gid to run as; -1 = the container's default (root). */
    int64_t uid;
    int64_t gid;
    /** Bytes fed to the command's stdin, then EOF; NULL = none. */
    const char* stdin_data;
    /** Kill the command after this many milliseconds (PCT_ESTATE then); 0 = no limit. */
    uint32_t timeout_ms;
} pct_exec_options;

/** The newest exec options version this header knows. */
#define PCT_EXEC_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_EXEC_OPTIONS_INIT                                                                      \
    { PCT_EXEC_OPTIONS_VERSION, NULL, 0, NULL, -1, -1, NULL, 0 }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_EXEC_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_exec_options_init(pct_exec_options* options, uint32_t version) PCT_NOEXCEPT;

/**
 * Runs a command inside the running container and captures its output whole. A command that
 * cannot be executed inside exits with 127 (not an error). Its stdin, stdout and stderr are
 * the library's pipes; no other descriptor of the calling process reaches it (not one left
 * inheritable, such as a terminal), whatever the caller's own stdin is.
 * @param out receives the result; the caller frees it with pct_exec_result_free().
 * @param ct the handle.
 * @param argv the command, NULL-terminated; argv[0] is looked up in the container's PATH.
 * @param options NULL for the defaults.
 * @return PCT_OK; PCT_ESTATE (not running, timed out); PCT_EINVAL (empty argv); PCT_ELXC.
 */
PCT_API int pct_container_exec(pct_exec_result** out, pct_container* ct, const char* const* argv,
                               const pct_exec_options* options) PCT_NOEXCEPT;
/**
 * The exit code of a command.
 * @param result the result.
 * @return WEXITSTATUS, or 128 + signal when killed; -1 for NULL.
 */
PCT_API int pct_exec_result_exit_code(const pct_exec_result* result) PCT_NOEXCEPT;
/**
 * The signal that killed a command.
 * @param result the result.
 * @return the signal number, 0 when it exited (or for NULL).
 */
PCT_API int pct_exec_result_signal(const pct_exec_result* result) PCT_NOEXCEPT;
/**
 * The captured standard output (may contain NUL bytes: use `length_out`).
 * @param result the result.
 * @param length_out receives the length in bytes; may be NULL.
 * @return borrowed from the result, NUL-terminated; NULL for NULL.
 */
PCT_API const char* pct_exec_result_stdout(const pct_exec_result* result,
                                           size_t* length_out) PCT_NOEXCEPT;
/**
 * The captured standard error (may contain NUL bytes: use `length_out`).
 * @param result the result.
 * @param length_out receives the length in bytes; may be NULL.
 * @return borrowed from the result, NUL-terminated; NULL for NULL.
 */
PCT_API const char* pct_exec_result_stderr(const pct_exec_result* result,
                                           size_t* length_out) PCT_NOEXCEPT;
/**
 * Frees a result.
 * @param result the result, or NULL.
 */
PCT_API void pct_exec_result_free(pct_exec_result* result) PCT_NOEXCEPT;

/**
 * Removes the container: volumes, `<lxcpath>/<CTID>/`, then the config. The handle stays
 * valid only for pct_container_free().
 * @param ct the handle.
 * @param force non-zero: stop a running container first.
 * @return PCT_OK; PCT_ESTATE (running without force, protected, locked).
 */
PCT_API int pct_container_destroy(pct_container* ct, int32_t force) PCT_NOEXCEPT;
/**
 * liblxc's log of the last start.
 * @param out receives the text ("" when none); the caller frees it with pct_string_free().
 * @param ct the handle.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_container_lxc_log(char** out, const pct_container* ct) PCT_NOEXCEPT;

/* ---- Mount points: pct mount / pct unmount (spec storage.md §4.9) ---- */

/**
 * `pct mount`: under the config lock, sets `lock: mounted` and mounts rootfs then
 * mp0..mp255 (key order, `ro` respected) under `<lxcpath>/<CTID>/rootfs` in the caller's mount
 * namespace. No running check, as in Proxmox; when mounting fails nothing stays mounted and
 * the `mounted` lock stays (pct_container_unmount() removes it).
 * @param path_out receives the rootfs mount path; the caller frees it with pct_string_free();
 *        may be NULL.
 * @param warnings_out receives Proxmox's mount warnings, freed with pct_string_list_free();
 *        may be NULL.
 * @param ct the handle.
 * @return PCT_OK; PCT_ESTATE ("CT is locked (LOCK)"); PCT_ENOTFOUND (a bind source
 *         "directory 'P' does not exist", a missing volume); PCT_EINVAL ("symlink encountered
 *         at: P", "storage 'ID' does not support containers"); PCT_EIO (mount or loop device
 *         failures, "detected mount path change at: P"). The error's key names the mount point.
 */
PCT_API int pct_container_mount(char** path_out, pct_string_list** warnings_out,
                                pct_container* ct) PCT_NOEXCEPT;
/**
 * `pct unmount`: unmounts everything under `<lxcpath>/<CTID>/rootfs` (reverse key order),
 * then removes exactly the `mounted` lock.
 * @param ct the handle.
 * @return PCT_OK; PCT_ESTATE ("no lock found trying to remove 'mounted' lock", "found lock 'X'
 *         trying to remove 'mounted' lock"); PCT_EIO (an unmount failed: nothing unlocked).
 */
PCT_API int pct_container_unmount(pct_container* ct) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Storage (storage.cfg and volumes, as Proxmox's pvesm)                                */
/*                                                                                      */
/* Each call reads `R/etc/pve/storage.cfg` of the host once (a missing file is just the */
/* built-in `local`), activates the storages it uses and works on volume ids            */
/* `STORAGE:VOLNAME`. Types: `dir` and `btrfs`; others are refused with "storage type   */
/* 'T' is not supported by this build" (PCT_EUNSUPPORTED). Errors have Proxmox's texts. */
/* ------------------------------------------------------------------------------------ */

/**
 * The storage ids of the host's storage.cfg in file order (the built-in `local` included).
 * @param out receives a new list; the caller frees it with pct_string_list_free().
 * @param host the host.
 * @return PCT_OK; PCT_EIO when storage.cfg cannot be read; PCT_EINVAL for NULL.
 */
PCT_API int pct_storage_list(pct_string_list** out, const pct_host* host) PCT_NOEXCEPT;
/**
 * The volume ids of the images on a storage, sorted.
 * @param out receives a new list; the caller frees it with pct_string_list_free().
 * @param host the host.
 * @param storage the storage id.
 * @param vmid only the images of this guest; 0 for all.
 * @return PCT_OK; PCT_ENOTFOUND (unknown storage); PCT_ESTATE (disabled);
 *         PCT_EUNSUPPORTED (type); PCT_EINVAL for NULL.
 */
PCT_API int pct_storage_volumes(pct_string_list** out, const pct_host* host, const char* storage,
                                uint32_t vmid) PCT_NOEXCEPT;
/**
 * Allocates a container volume as `pct create` does for `STORAGE:SIZE`: `size_kib` > 0 gives
 * a raw image formatted with `mkfs.ext4 -O mmp -E root_owner=UID:GID`, 0 a subvol owned by
 * `root_uid:root_gid`.
 * @param volid_out receives the new volume id; the caller frees it with pct_string_free().
 * @param host the host.
 * @param storage the storage id (needs `rootdir` content).
 * @param vmid the owning container.
 * @param size_kib the size in KiB, 0 for a subvol.
 * @param root_uid the host uid of the container's root (100000 for a default unprivileged CT).
 * @param root_gid the host gid of the container's root.
 * @return PCT_OK; PCT_EUNSUPPORTED (no `rootdir` content, type); PCT_ESTATE (disabled);
 *         PCT_EIO (mkfs, file system); PCT_EINVAL for NULL.
 */
PCT_API int pct_storage_alloc_ct_disk(char** volid_out, const pct_host* host, const char* storage,
                                      uint32_t vmid, uint64_t size_kib, uint32_t root_uid,
                                      uint32_t root_gid) PCT_NOEXCEPT;
/**
 * Frees a volume and its snapshots (a missing volume is not an error).
 * @param host the host.
 * @param volid the volume id.
 * @return PCT_OK; PCT_EINVAL (bad volume id, NULL); PCT_ESTATE (a base still in use).
 */
PCT_API int pct_storage_free(const pct_host* host, const char* volid) PCT_NOEXCEPT;
/**
 * The host path of a volume (or of its snapshot), after activating it.
 * @param out receives the path; the caller frees it with pct_string_free().
 * @param host the host.
 * @param volid the volume id.
 * @param snap a snapshot name, or NULL for the volume itself.
 * @return PCT_OK; PCT_ENOTFOUND (no such volume); PCT_EINVAL for NULL.
 */
PCT_API int pct_storage_volume_path(char** out, const pct_host* host, const char* volid,
                                    const char* snap) PCT_NOEXCEPT;
/**
 * The size of a volume in bytes (0 for a subvol, which has no size).
 * @param size_out receives the size.
 * @param host the host.
 * @param volid the volume id.
 * @return PCT_OK; PCT_ENOTFOUND (no such volume); PCT_EINVAL for NULL.
 */
PCT_API int pct_storage_volume_size(uint64_t* size_out, const pct_host* host,
                                    const char* volid) PCT_NOEXCEPT;
/**
 * Whether a volume (or its snapshot) has a storage feature, by Proxmox's tables.
 * @param out receives 1 or 0 (0 for a volume or storage that cannot be used).
 * @param host the host.
 * @param feature "snapshot", "clone", "template", "copy", "sparseinit", "rename" or
 *        "replicate".
 * @param volid the volume id.
 * @param snap a snapshot name, or NULL.
 * @return PCT_OK; PCT_EINVAL for an unknown feature or NULL.
 */
PCT_API int pct_storage_has_feature(int32_t* out, const pct_host* host, const char* feature,
                                    const char* volid, const char* snap) PCT_NOEXCEPT;

/* ---- volume operations (pct resize, move-volume, rescan, df, fsck, fstrim) ----------------
 * Proxmox's volume operations on container CTID `vmid` of a host handle (storage.md §6): each
 * takes the container's config lock, checks the caller's digest where it has one, and fails
 * with Proxmox's texts. The host handle is only read, so calls on one handle may run from
 * several threads; operations on one container serialise through its lock. */

/**
 * Grows the volume of `rootfs` or `mpN` and its ext4 file system (`pct resize`). `size` is
 * `\+?\d+(\.\d+)?[KMGT]?`: with `+` the volume grows by it, without a unit it is bytes.
 * @param new_size_out NULL, or receives the new size in bytes (0 after a failure).
 * @param warnings_out NULL, or receives the warnings ("Failed to update the container's
 *        filesystem: ..."); the caller frees the list with pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param disk `rootfs` or `mpN`.
 * @param size the size argument.
 * @param digest NULL, or the SHA-1 the config must still have.
 * @return PCT_OK; PCT_EINVAL (bad size, shrink, same size, bad key, foreign volume);
 *         PCT_ENOTFOUND (no such entry); PCT_ESTATE (locked); PCT_EDIGEST; PCT_EUNSUPPORTED
 *         (a subvol); PCT_EIO.
 */
PCT_API int pct_volume_resize(uint64_t* new_size_out, pct_string_list** warnings_out,
                              const pct_host* host, uint32_t vmid, const char* disk,
                              const char* size, const char* digest) PCT_NOEXCEPT;

/** Options of pct_volume_move(). Fields are only ever appended. */
typedef struct pct_move_volume_options {
    /** Must be PCT_MOVE_VOLUME_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Target storage id (exactly one of `storage` and `target_vmid`). */
    const char* storage;
    /** Target container (0 = none): the volume is reassigned to it on the same storage. */
    uint32_t target_vmid;
    /** The target container's key (`mpN`/`unusedN`); NULL = the source's. */
    const char* target_volume;
    /** Non-zero: free the source volume instead of keeping it as `unusedN`. */
    int32_t delete_source;
    /** NULL, or the SHA-1 the source config must still have. */
    const char* digest;
    /** NULL, or the SHA-1 the target config must still have. */
    const char* target_digest;
    /** rsync bandwidth limit in KiB/s; 0 = unlimited. */
    uint64_t bwlimit_kib;
    /* Version 2 (0.5.0): progress. */
    /**
     * NULL, or called with the copy's progress (phase "copy"; to another container one final
     * report), on the calling thread during pct_volume_move().
     */
    pct_progress_fn progress;
    /** Passed to `progress` as its `user` argument. */
    void* progress_user;
} pct_move_volume_options;

/** The newest move-volume options version this header knows (2 since 0.5.0). */
#define PCT_MOVE_VOLUME_OPTIONS_VERSION 2
/** Initializer with the defaults. */
#define PCT_MOVE_VOLUME_OPTIONS_INIT                                                               \
    { PCT_MOVE_VOLUME_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, NULL, 0, NULL, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_MOVE_VOLUME_OPTIONS_VERSION (or an older known version: only that
 *        version's fields are written).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_move_volume_options_init(pct_move_volume_options* options,
                                         uint32_t version) PCT_NOEXCEPT;
/**
 * Moves the volume of `rootfs`/`mpN` to another storage (`pct move-volume`): a new volume is
 * allocated and filled with rsync, the entry switched, the old volume kept as `unusedN` (or
 * freed with `delete_source`); refused while the container runs. With `target_vmid`, the
 * volume of `mpN`/`unusedN` goes to that container instead (raw images only).
 * @param volid_out NULL, or receives the new volume id; the caller frees it with
 *        pct_string_free().
 * @param warnings_out NULL, or receives the warnings; freed with pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param volume `rootfs` or `mpN`.
 * @param options NULL is an error here (a target is required); see pct_move_volume_options.
 * @return PCT_OK; PCT_EINVAL; PCT_ENOTFOUND; PCT_EEXIST (target key in use); PCT_ESTATE
 *         (running, locked); PCT_EDIGEST; PCT_EUNSUPPORTED (a storage or format that cannot be
 *         reassigned); PCT_EIO (the copy).
 */
PCT_API int pct_volume_move(char** volid_out, pct_string_list** warnings_out, const pct_host* host,
                            uint32_t vmid, const char* volume,
                            const pct_move_volume_options* options) PCT_NOEXCEPT;
/**
 * `pct rescan`: volumes of a container on the storages that no entry names become `unusedN`,
 * sizes in `size=` are updated.
 * @param out receives Proxmox's messages ("rescan volumes...", "CT N: ..."); the caller frees
 *        the list with pct_string_list_free().
 * @param host the host handle.
 * @param vmid one container, or 0 for every container.
 * @param dryrun non-zero: report, write nothing.
 * @return PCT_OK; PCT_ESTATE (a locked container); PCT_EIO.
 */
PCT_API int pct_volume_rescan(pct_string_list** out, const pct_host* host, uint32_t vmid,
                              int32_t dryrun) PCT_NOEXCEPT;
/**
 * `pct df`: the disk usage table of each mount point (a stopped container is mounted for the
 * time of the call).
 * @param out receives the table text; the caller frees it with pct_string_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_ESTATE (locked); PCT_EIO.
 */
PCT_API int pct_volume_df(char** out, const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;

/** The rows of `pct df` (pct_volume_df_rows()): one per mount point, rootfs first. */
typedef struct pct_df_rows pct_df_rows;
/**
 * `pct df` as values: per mount point its key, volume, sizes in bytes and path inside.
 * @param out receives the rows; the caller frees them with pct_df_rows_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_ESTATE (locked); PCT_EIO.
 */
PCT_API int pct_volume_df_rows(pct_df_rows** out, const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;
/**
 * The number of rows.
 * @param rows the rows, or NULL (0).
 */
PCT_API size_t pct_df_rows_count(const pct_df_rows* rows) PCT_NOEXCEPT;
/**
 * One row. Each out parameter may be NULL; the strings are borrowed from `rows` and valid
 * until pct_df_rows_free().
 * @param rows the rows.
 * @param index 0-based, below pct_df_rows_count().
 * @param key_out receives `rootfs`/`mpN`.
 * @param volume_out receives the entry's volume string.
 * @param total_out receives the file system's size in bytes.
 * @param used_out receives its used bytes.
 * @param avail_out receives the bytes available to unprivileged users.
 * @param path_out receives the mount point inside the container.
 * @return PCT_OK; PCT_EINVAL for NULL rows or an index out of range.
 */
PCT_API int pct_df_rows_at(const pct_df_rows* rows, size_t index, const char** key_out,
                           const char** volume_out, uint64_t* total_out, uint64_t* used_out,
                           uint64_t* avail_out, const char** path_out) PCT_NOEXCEPT;
/**
 * Frees rows.
 * @param rows the rows, or NULL.
 */
PCT_API void pct_df_rows_free(pct_df_rows* rows) PCT_NOEXCEPT;
/**
 * `pct fsck`: `fsck -a -l [-f]` on the raw image or block device of a stopped container.
 * @param out receives fsck's output; the caller frees it with pct_string_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param device NULL (= `rootfs`) or `mpN`.
 * @param force non-zero: `-f`.
 * @return PCT_OK; PCT_ENOTFOUND (no such entry); PCT_ESTATE (running); PCT_EUNSUPPORTED (a
 *         subvol); PCT_EINVAL (not a block device); PCT_EIO (fsck failed).
 */
PCT_API int pct_volume_fsck(char** out, const pct_host* host, uint32_t vmid, const char* device,
                            int32_t force) PCT_NOEXCEPT;
/**
 * `pct fstrim`: `fstrim -v` on each writable non-bind mount point.
 * @param out receives fstrim's output lines; the caller frees the list with
 *        pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param ignore_mountpoints non-zero: only the rootfs.
 * @return PCT_OK; PCT_ESTATE (locked); PCT_EIO.
 */
PCT_API int pct_volume_fstrim(pct_string_list** out, const pct_host* host, uint32_t vmid,
                              int32_t ignore_mountpoints) PCT_NOEXCEPT;

/* ---- locks (pct unlock; which lock blocks which operation) --------------------------------
 * The `lock` property of a container's config (config-format.md §8): every operation refuses a
 * lock that blocks it with PCT_ESTATE "CT is locked (LOCK)"; one table says which lock passes
 * which operation, the same table the library's operations ask. */

/**
 * `pct unlock`: removes the `lock` of container `vmid`'s config, whatever lock it is, under
 * the config lock.
 * @param lock_out NULL, or receives the lock removed (NULL after a failure); the caller frees
 *        it with pct_string_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ESTATE "no lock found trying to remove any lock"; PCT_ENOTFOUND (no
 *         config); PCT_EIO.
 */
PCT_API int pct_host_unlock(char** lock_out, const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;

/**
 * Whether the `pct` command `operation` may run on a container whose config has `lock: LOCK`.
 * Nothing is owned or kept.
 * @param out receives 1 when it may, 0 when it is refused with "CT is locked (LOCK)".
 * @param operation a command name: start, stop, shutdown, reboot, suspend, resume, destroy,
 *        mount, df, resize, move-volume, rescan, fsck, fstrim, set, exec, enter, console,
 *        snapshot, rollback, delsnapshot, template, clone.
 * @param lock the lock value (`backup`, `mounted`, ...); NULL or "" for none.
 * @return PCT_OK; PCT_EINVAL for an unknown operation.
 */
PCT_API int pct_lock_allows(int32_t* out, const char* operation, const char* lock) PCT_NOEXCEPT;
/* ---- pending changes (pct set, pct set --dry-run, pct pending) -----------------------------
 * Proxmox's pending semantics for changing a container's config (config-format §8): a stopped
 * container takes a change at once, a running one live where the host can (fast-plug keys,
 * hot-plugged limits, interfaces, mount points) and in `[pve:pending]` otherwise, until its
 * next start. A pct_pending_change collects the `--KEY VALUE`, `--delete`, `--revert` and
 * `--digest` arguments; pct_pending_plan() says per key what pct_pending_update() would do,
 * writing nothing. A change handle is used by one thread at a time; the host handle is only
 * read. */

/** The arguments of one `pct set`. */
typedef struct pct_pending_change pct_pending_change;
/** What a change did (or would do), per key. */
typedef struct pct_pending_report pct_pending_report;

/** Effects of a key (pct_pending_report_at()). Values are never renumbered. */
#define PCT_EFFECT_APPLIED 0   /**< stopped CT: written into the main section now */
#define PCT_EFFECT_LIVE 1      /**< running CT: changed in the running container now */
#define PCT_EFFECT_PENDING 2   /**< running CT: kept pending until the next start (reason) */
#define PCT_EFFECT_UNCHANGED 3 /**< equivalent to the current value: nothing written */

/**
 * Creates an empty change.
 * @param out receives the change; the caller frees it with pct_pending_change_free().
 * @return PCT_OK; PCT_EINVAL for NULL `out`.
 */
PCT_API int pct_pending_change_new(pct_pending_change** out) PCT_NOEXCEPT;
/**
 * Adds `--KEY VALUE` (checked when the change is run).
 * @param change the change.
 * @param key the config key.
 * @param value its new value.
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_change_set(pct_pending_change* change, const char* key,
                                   const char* value) PCT_NOEXCEPT;
/**
 * Adds a key to `--delete`.
 * @param change the change.
 * @param key the config key.
 * @param force non-zero: a forced deletion (`!KEY` in the pending delete list).
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_change_delete(pct_pending_change* change, const char* key,
                                      int32_t force) PCT_NOEXCEPT;
/**
 * Adds a key to `--revert` (its pending value or deletion is dropped).
 * @param change the change.
 * @param key the config key.
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_change_revert(pct_pending_change* change, const char* key) PCT_NOEXCEPT;
/**
 * Sets `--digest`: the change is refused (PCT_EDIGEST) unless the file still has this SHA-1.
 * @param change the change.
 * @param digest the SHA-1 in hex, or NULL for none.
 * @return PCT_OK; PCT_EINVAL for NULL `change`.
 */
PCT_API int pct_pending_change_digest(pct_pending_change* change, const char* digest) PCT_NOEXCEPT;
/**
 * Frees a change.
 * @param change the change, or NULL.
 */
PCT_API void pct_pending_change_free(pct_pending_change* change) PCT_NOEXCEPT;
/**
 * `pct set`: applies `change` to container `vmid` under its config lock (pending.hpp).
 * @param out NULL, or receives the report; the caller frees it with pct_pending_report_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param change the change.
 * @return PCT_OK; PCT_EINVAL (unknown or read-only key, bad value, required key deleted, set
 *         and deleted together, no options); PCT_ESTATE (locked, protection);
 *         PCT_EDIGEST; PCT_ENOTFOUND (no config); PCT_EIO.
 */
PCT_API int pct_pending_update(pct_pending_report** out, const pct_host* host, uint32_t vmid,
                               const pct_pending_change* change) PCT_NOEXCEPT;
/**
 * `pct set --dry-run`: what pct_pending_update() would do now, writing nothing.
 * @param out receives the report; the caller frees it with pct_pending_report_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param change the change.
 * @return as pct_pending_update().
 */
PCT_API int pct_pending_plan(pct_pending_report** out, const pct_host* host, uint32_t vmid,
                             const pct_pending_change* change) PCT_NOEXCEPT;
/**
 * The number of keys in a report (0 for NULL).
 * @param report the report.
 * @return the count.
 */
PCT_API size_t pct_pending_report_count(const pct_pending_report* report) PCT_NOEXCEPT;
/**
 * Key `index` of a report; every string is borrowed and valid until the report is freed.
 * @param report the report.
 * @param index 0 .. count-1.
 * @param key_out NULL, or receives the key.
 * @param action_out NULL, or receives `set`, `delete` or `revert`.
 * @param effect_out NULL, or receives a PCT_EFFECT_* value.
 * @param reason_out NULL, or receives why the key is pending or unchanged ("" otherwise).
 * @param current_out NULL, or receives the value before the change (NULL when not set).
 * @param next_out NULL, or receives the value after it (NULL when deleted).
 * @return PCT_OK; PCT_EINVAL for NULL `report` or an index out of range.
 */
PCT_API int pct_pending_report_at(const pct_pending_report* report, size_t index,
                                  const char** key_out, const char** action_out,
                                  int32_t* effect_out, const char** reason_out,
                                  const char** current_out, const char** next_out) PCT_NOEXCEPT;
/**
 * The warnings of a report ("cannot delete 'K' - not set in current configuration!", ...).
 * @param out receives a copy; the caller frees the list with pct_string_list_free().
 * @param report the report.
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_report_warnings(pct_string_list** out,
                                        const pct_pending_report* report) PCT_NOEXCEPT;
/**
 * The per-key errors of a report ("unable to apply pending change K : ERR", "unable to
 * hotplug K: ERR"): the change was written and those keys stay pending.
 * @param out receives a copy; the caller frees the list with pct_string_list_free().
 * @param report the report.
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_report_errors(pct_string_list** out,
                                      const pct_pending_report* report) PCT_NOEXCEPT;
/**
 * Frees a report.
 * @param report the report, or NULL.
 */
PCT_API void pct_pending_report_free(pct_pending_report* report) PCT_NOEXCEPT;
/**
 * The name of a PCT_EFFECT_* value (`applied`, `live`, `pending`, `unchanged`).
 * @param effect the value.
 * @return a static string; "unknown" for another value.
 */
PCT_API const char* pct_pending_effect_name(int32_t effect) PCT_NOEXCEPT;
/**
 * Whether two values of `key` are equivalent once normalized (MAC case, `8G` = `8192M`, tag
 * order, blanks).
 * @param out receives 1 or 0.
 * @param key the config key.
 * @param a one value.
 * @param b the other.
 * @return PCT_OK; PCT_EINVAL for NULL arguments.
 */
PCT_API int pct_pending_equivalent(int32_t* out, const char* key, const char* a,
                                   const char* b) PCT_NOEXCEPT;
/** The keys of a config with their main and pending values (pct_pending_entries()). */
typedef struct pct_pending_entries pct_pending_entries;
/**
 * Every key of container `vmid`'s config (without `digest`), sorted, with its main value, its
 * pending value and whether it is pending deletion: what `pct pending` prints.
 * @param out receives the entries; the caller frees them with pct_pending_entries_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND (no config); PCT_EPARSE; PCT_EIO.
 */
PCT_API int pct_pending_entries_load(pct_pending_entries** out, const pct_host* host,
                                     uint32_t vmid) PCT_NOEXCEPT;
/**
 * The number of entries (0 for NULL).
 * @param entries the entries.
 * @return the count.
 */
PCT_API size_t pct_pending_entries_count(const pct_pending_entries* entries) PCT_NOEXCEPT;
/**
 * Entry `index`; the strings are borrowed and valid until the entries are freed.
 * @param entries the entries.
 * @param index 0 .. count-1.
 * @param key_out NULL, or receives the key.
 * @param value_out NULL, or receives the main section's value (NULL when not set).
 * @param pending_out NULL, or receives the pending value (NULL when none).
 * @param delete_out NULL, or receives 0, 1 (pending deletion) or 2 (forced deletion).
 * @return PCT_OK; PCT_EINVAL for NULL `entries` or an index out of range.
 */
PCT_API int pct_pending_entries_at(const pct_pending_entries* entries, size_t index,
                                   const char** key_out, const char** value_out,
                                   const char** pending_out, int32_t* delete_out) PCT_NOEXCEPT;
/**
 * Frees entries.
 * @param entries the entries, or NULL.
 */
PCT_API void pct_pending_entries_free(pct_pending_entries* entries) PCT_NOEXCEPT;
/**
 * `pct pending`: Proxmox's `cur`/`new`/`del` lines of container `vmid`.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND (no config); PCT_EPARSE; PCT_EIO.
 */
PCT_API int pct_pending_format(char** out, const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;

/* ---- snapshots (pct snapshot, listsnapshot, rollback, delsnapshot) ------------------------
 * Proxmox's container snapshots on container CTID `vmid` of a host handle (config-format.md
 * §8, storage.md §7.3-7.4): the config follows pve-guest-common byte for byte, the volumes are
 * snapshotted by their storage (btrfs), a running container is frozen meanwhile. Every mount
 * point must be a volume on a storage that can snapshot it: pct_snapshot_blockers_of() names the
 * ones that cannot. The host handle is only read, so calls on one handle may run from several
 * threads; operations on one container serialise through its config lock and `lock`. */

/**
 * Takes snapshot `name` of every volume (`pct snapshot`). Refused before anything is written
 * when a mount point blocks it (PCT_EUNSUPPORTED, the last error's key names it).
 * @param warnings_out NULL, or receives Proxmox's warnings; the caller frees the list with
 *        pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param name the snapshot name (`^[a-z][a-z0-9_-]+$` ignoring case, at most 40 characters,
 *        not `current` or `vzdump`).
 * @param description NULL or the snapshot's comment.
 * @return PCT_OK; PCT_EINVAL (bad name); PCT_ENOTFOUND (no config); PCT_EEXIST (name used);
 *         PCT_ESTATE (locked, template); PCT_EUNSUPPORTED (a blocking mount point); PCT_EIO,
 *         PCT_ELXC (a volume or the freeze failed; what was taken is removed again).
 */
PCT_API int pct_snapshot_create(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                                const char* name, const char* description) PCT_NOEXCEPT;
/**
 * Deletes snapshot `name` (`pct delsnapshot`): its volume snapshots, then its section; every
 * `parent` that named it takes its own parent.
 * @param warnings_out NULL, or receives the warnings (volume errors under `force`); freed with
 *        pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param name the snapshot.
 * @param force non-zero: volume errors become warnings and the section goes anyway.
 * @return PCT_OK; PCT_ENOTFOUND (no such snapshot); PCT_ESTATE (locked, template); PCT_EIO.
 */
PCT_API int pct_snapshot_delete(pct_string_list** warnings_out, const pct_host* host, uint32_t vmid,
                                const char* name, int32_t force) PCT_NOEXCEPT;
/**
 * Rolls back to snapshot `name` (`pct rollback`): a running container is hard-stopped, its
 * volumes rolled back, the config replaced by the snapshot's (pending changes dropped).
 * @param warnings_out NULL, or receives the warnings; freed with pct_string_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @param name the snapshot.
 * @param start non-zero: start the container afterwards.
 * @return PCT_OK; PCT_ENOTFOUND (no such snapshot); PCT_ESTATE (locked, template, incomplete
 *         snapshot, still running); PCT_EUNSUPPORTED (a volume that cannot roll back, a
 *         vmstate); PCT_EIO; start's errors.
 */
PCT_API int pct_snapshot_rollback(pct_string_list** warnings_out, const pct_host* host,
                                  uint32_t vmid, const char* name, int32_t start) PCT_NOEXCEPT;
/**
 * `pct listsnapshot`: Proxmox's snapshot tree as text.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND (no config).
 */
PCT_API int pct_snapshot_tree(char** out, const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;

/** The snapshots of a container (pct_snapshot_list_of()), by age, the `current` entry last. */
typedef struct pct_snapshot_list pct_snapshot_list;
/**
 * The snapshots of a container as values.
 * @param out receives the list; the caller frees it with pct_snapshot_list_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND (no config).
 */
PCT_API int pct_snapshot_list_of(pct_snapshot_list** out, const pct_host* host,
                                 uint32_t vmid) PCT_NOEXCEPT;
/**
 * The number of entries (including `current`).
 * @param list the list, or NULL (0).
 */
PCT_API size_t pct_snapshot_list_count(const pct_snapshot_list* list) PCT_NOEXCEPT;
/**
 * One entry. Each out parameter may be NULL; the strings are borrowed from `list` and valid
 * until pct_snapshot_list_free().
 * @param list the list.
 * @param index 0-based, below pct_snapshot_list_count().
 * @param name_out receives the name (`current` for the pseudo entry).
 * @param parent_out receives the parent ("" = none).
 * @param snaptime_out receives the time in seconds since the epoch (0 = not set).
 * @param description_out receives the description ("" = none).
 * @param current_out receives 1 for the `current` pseudo entry, else 0.
 * @return PCT_OK; PCT_EINVAL for NULL list or an index out of range.
 */
PCT_API int pct_snapshot_list_at(const pct_snapshot_list* list, size_t index, const char** name_out,
                                 const char** parent_out, int64_t* snaptime_out,
                                 const char** description_out, int32_t* current_out) PCT_NOEXCEPT;
/**
 * Frees a list.
 * @param list the list, or NULL.
 */
PCT_API void pct_snapshot_list_free(pct_snapshot_list* list) PCT_NOEXCEPT;

/** The mount points that block snapshots (pct_snapshot_blockers_of()), in key order. */
typedef struct pct_snapshot_blockers pct_snapshot_blockers;
/**
 * Every `rootfs`/`mpN` that prevents a snapshot, with the reason (bind mount, device mount, a
 * storage that cannot snapshot the volume). An empty list means a snapshot is possible.
 * @param out receives the list; the caller frees it with pct_snapshot_blockers_free().
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ENOTFOUND (no config).
 */
PCT_API int pct_snapshot_blockers_of(pct_snapshot_blockers** out, const pct_host* host,
                                     uint32_t vmid) PCT_NOEXCEPT;
/**
 * The number of blocking mount points.
 * @param blockers the list, or NULL (0).
 */
PCT_API size_t pct_snapshot_blockers_count(const pct_snapshot_blockers* blockers) PCT_NOEXCEPT;
/**
 * One blocking mount point. Each out parameter may be NULL; the strings are borrowed from
 * `blockers` and valid until pct_snapshot_blockers_free().
 * @param blockers the list.
 * @param index 0-based, below pct_snapshot_blockers_count().
 * @param key_out receives `rootfs` or `mpN`.
 * @param volume_out receives the entry's volume (volume id, host path or device).
 * @param reason_out receives why it blocks (e.g. "bind mount").
 * @return PCT_OK; PCT_EINVAL for NULL blockers or an index out of range.
 */
PCT_API int pct_snapshot_blockers_at(const pct_snapshot_blockers* blockers, size_t index,
                                     const char** key_out, const char** volume_out,
                                     const char** reason_out) PCT_NOEXCEPT;
/**
 * Frees a list.
 * @param blockers the list, or NULL.
 */
PCT_API void pct_snapshot_blockers_free(pct_snapshot_blockers* blockers) PCT_NOEXCEPT;

/* ---- templates and clones (pct template, pct clone) ----------------------------------------
 * Proxmox's templates and clones (storage.md §7.5-7.7) on a host handle: Proxmox's checks and
 * texts; the config lock is held only while a config is read and written, the source carries
 * `lock: disk` and the new container `lock: create` while volumes are copied. The host handle
 * is only read, so calls on one handle may run from several threads. */

/**
 * Converts the stopped container `vmid` into a template (`pct template`): every `rootfs`/`mpN`
 * volume becomes a base volume, `template: 1` is written, the LXC config removed.
 * @param host the host handle.
 * @param vmid the container.
 * @return PCT_OK; PCT_ESTATE (locked, has snapshots, already a template, running);
 *         PCT_EUNSUPPORTED ("Template feature is not available for 'V'", e.g. a bind mount);
 *         PCT_ENOTFOUND (no such container); PCT_EIO.
 */
PCT_API int pct_container_template(const pct_host* host, uint32_t vmid) PCT_NOEXCEPT;

/** Options of pct_container_clone(). Fields are only ever appended. */
typedef struct pct_clone_options {
    /** Must be PCT_CLONE_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** 1 full copy, 0 linked clone, -1 Proxmox's default (linked for a template, else full). */
    int32_t full;
    /** NULL, or the target storage of every volume (full clones only). */
    const char* storage;
    /** NULL, or the new container's hostname. */
    const char* hostname;
    /** NULL, or the new container's description. */
    const char* description;
    /** NULL, or clone the state of this snapshot. */
    const char* snapname;
    /** rsync bandwidth limit of full copies in KiB/s; 0 = unlimited. */
    uint64_t bwlimit_kib;
    /* Version 2 (0.5.0): progress. */
    /**
     * NULL, or called with each full copy's progress (one phase "copy" per volume), on the
     * calling thread during pct_container_clone().
     */
    pct_progress_fn progress;
    /** Passed to `progress` as its `user` argument. */
    void* progress_user;
} pct_clone_options;

/** The newest clone options version this header knows (2 since 0.5.0). */
#define PCT_CLONE_OPTIONS_VERSION 2
/** Initializer with the defaults. */
#define PCT_CLONE_OPTIONS_INIT                                                                     \
    { PCT_CLONE_OPTIONS_VERSION, -1, NULL, NULL, NULL, NULL, 0, NULL, NULL }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_CLONE_OPTIONS_VERSION (or an older known version: only that version's
 *        fields are written).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_clone_options_init(pct_clone_options* options, uint32_t version) PCT_NOEXCEPT;
/**
 * Clones container `vmid` as the new container `newid` (`pct clone`): each `rootfs`/`mpN`
 * volume copied (full) or linked to a template's base (btrfs), new MACs, the machine-id
 * cleared. A failure after `newid` was created removes it again ("clone failed: ERR").
 * @param messages_out NULL, or receives the progress lines and warnings; the caller frees the
 *        list with pct_string_list_free().
 * @param host the host handle.
 * @param vmid the source container.
 * @param newid the new container's CTID.
 * @param options NULL for the defaults; see pct_clone_options.
 * @return PCT_OK; PCT_EINVAL (bad option, storage with a linked clone); PCT_ENOTFOUND (no such
 *         container or snapshot); PCT_EEXIST (`newid` in use); PCT_ESTATE (locked, running for
 *         a full clone); PCT_EUNSUPPORTED (bind mount point, no linked clone on that storage);
 *         PCT_EIO (the copy).
 */
PCT_API int pct_container_clone(pct_string_list** messages_out, const pct_host* host, uint32_t vmid,
                                uint32_t newid, const pct_clone_options* options) PCT_NOEXCEPT;

/* ---- files (pct push, pct pull) -------------------------------------------------------------
 * One file copied into or out of a running container. Container paths are resolved inside the
 * container's own root only (openat2 RESOLVE_IN_ROOT on its init's root, pidfd-checked), so a
 * symlink in the container never leads to a host file; `push` never writes through a symlink
 * at the destination. Any size: the data is streamed. */

/** Options of pct_container_push() and pct_container_pull(). Fields are only ever appended. */
typedef struct pct_file_copy_options {
    /** Must be PCT_FILE_COPY_OPTIONS_VERSION (or an older version this library knows). */
    uint32_t version;
    /** Owner: a user name or numeric id; NULL = default. push: looked up in the container's
     *  /etc/passwd and mapped to the host id (default the container's root); pull: a host
     *  user (default the caller). */
    const char* user;
    /** Group, as `user` (the container's /etc/group for push). */
    const char* group;
    /** Permission bits up to 07777; -1 = default (0644 for a new file, else kept). */
    int32_t perms;
} pct_file_copy_options;

/** The newest file copy options version this header knows. */
#define PCT_FILE_COPY_OPTIONS_VERSION 1
/** Initializer with the defaults. */
#define PCT_FILE_COPY_OPTIONS_INIT                                                                 \
    { PCT_FILE_COPY_OPTIONS_VERSION, NULL, NULL, -1 }

/**
 * Fills `options` with the defaults of `version`.
 * @param options the struct to fill.
 * @param version PCT_FILE_COPY_OPTIONS_VERSION (or an older known version).
 * @return PCT_OK; PCT_EINVAL for NULL or a version this library does not know.
 */
PCT_API int pct_file_copy_options_init(pct_file_copy_options* options,
                                       uint32_t version) PCT_NOEXCEPT;
/**
 * Copies the host file `source` to `destination`, an absolute path inside the running
 * container (`pct push`), created or truncated. Nothing is allocated for the caller.
 * @param ct the handle.
 * @param source a regular file on the host.
 * @param destination the file inside the container.
 * @param options NULL for the defaults; see pct_file_copy_options.
 * @return PCT_OK; PCT_ESTATE ("can only push files to a running CT"); PCT_ENOTFOUND (source,
 *         destination directory, unknown user or group); PCT_EINVAL (relative destination, bad
 *         perms, not a regular file, a symlink at the destination); PCT_EIO.
 */
PCT_API int pct_container_push(pct_container* ct, const char* source, const char* destination,
                               const pct_file_copy_options* options) PCT_NOEXCEPT;
/**
 * Copies `source`, an absolute path inside the running container (symlinks followed inside its
 * root only), to the host file `destination` (`pct pull`), created or truncated, never through
 * a symlink. Nothing is allocated for the caller.
 * @param ct the handle.
 * @param source the file inside the container.
 * @param destination the file on the host.
 * @param options NULL for the defaults; see pct_file_copy_options.
 * @return PCT_OK; PCT_ESTATE ("can only pull files from a running CT"); others as
 *         pct_container_push().
 */
PCT_API int pct_container_pull(pct_container* ct, const char* source, const char* destination,
                               const pct_file_copy_options* options) PCT_NOEXCEPT;

/* ------------------------------------------------------------------------------------ */
/* Backup files (vzdump archives on storage: names, retention, side files)              */
/*                                                                                      */
/* The storage-side rules of vzdump backups (pve-storage's archive_info, list, prune,   */
/* archive_remove; pve-manager's notes template). Names and prune buckets use the       */
/* process's local time zone, as Proxmox does.                                          */
/* ------------------------------------------------------------------------------------ */

/** Compressions of container archives (vzdump `--compress`). */
#define PCT_BACKUP_COMPRESS_NONE 0
#define PCT_BACKUP_COMPRESS_GZIP 1
#define PCT_BACKUP_COMPRESS_LZO 2
#define PCT_BACKUP_COMPRESS_ZSTD 3

/** One backup file: what archive_info learned from its name, and for a listed file its size,
 *  protection, notes and prune mark. Fields are read by name with pct_backups_entry_get(). */
typedef struct pct_backups_entry pct_backups_entry;
/** A list of backup files. */
typedef struct pct_backups_list pct_backups_list;

/**
 * `vzdump-lxc-<vmid>-YYYY_MM_DD-HH_MM_SS` of `start` in local time.
 * @param out receives the name; the caller frees it with pct_string_free().
 * @param vmid the CTID.
 * @param start the task start (seconds since the epoch).
 * @return PCT_OK; PCT_EINVAL for NULL out.
 */
PCT_API int pct_backups_basename(char** out, uint32_t vmid, int64_t start) PCT_NOEXCEPT;
/**
 * The archive extension of a compression.
 * @param compression a PCT_BACKUP_COMPRESS_* value.
 * @return ".tar", ".tar.gz", ".tar.lzo" or ".tar.zst" (static storage, never freed); NULL for
 *         an unknown value.
 */
PCT_API const char* pct_backups_extension(int32_t compression) PCT_NOEXCEPT;
/**
 * Parses a vzdump `--compress` value ("0", "1", "gzip", "lzo", "zstd").
 * @param out receives a PCT_BACKUP_COMPRESS_* value; nothing is allocated.
 * @param value the text.
 * @return PCT_OK; PCT_EINVAL ("value 'X' does not have a value in the enumeration '0, 1, gzip,
 *         lzo, zstd'") or NULL.
 */
PCT_API int pct_backups_parse_compression(int32_t* out, const char* value) PCT_NOEXCEPT;
/**
 * The name an archive is written under until complete (last extension replaced by `.dat`).
 * @param out receives the name; the caller frees it with pct_string_free().
 * @param final_name the archive's name or path.
 * @return PCT_OK; PCT_EINVAL for NULL.
 */
PCT_API int pct_backups_temp_name(char** out, const char* final_name) PCT_NOEXCEPT;
/**
 * vzdump's notes template: escapes `\n` and `\\`, variables {{cluster}}, {{guestname}},
 * {{node}}, {{vmid}}.
 * @param out receives the notes; the caller frees it with pct_string_free().
 * @param tmpl the template (one line, at most 1024 characters).
 * @param cluster the cluster name; NULL for "standalone node".
 * @param guestname the CT's hostname; NULL or "" for "CT<vmid>".
 * @param node the node name; NULL for "".
 * @param vmid the CTID.
 * @return PCT_OK; PCT_EINVAL ("unexpected escape character 'C'", "unexpected variable name
 *         'NAME'", too long, a line break) or NULL.
 */
PCT_API int pct_backups_render_notes(char** out, const char* tmpl, const char* cluster,
                                     const char* guestname, const char* node,
                                     uint32_t vmid) PCT_NOEXCEPT;
/**
 * Checks a `prune-backups` property string and returns it normalised (`keep-all=1` when no
 * count is positive, keys sorted).
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param prune_backups e.g. "keep-last=3,keep-daily=7".
 * @return PCT_OK; PCT_EPARSE (Proxmox's texts, e.g. "keep-all cannot be set together with
 *         other options.") or PCT_EINVAL for NULL.
 */
PCT_API int pct_backups_normalize_prune(char** out, const char* prune_backups) PCT_NOEXCEPT;
/**
 * What pve-storage's archive_info learns from a file name (a directory part is ignored).
 * @param out receives a new entry; the caller frees it with pct_backups_entry_free().
 * @param filename the name or path.
 * @return PCT_OK; PCT_ENOTFOUND "couldn't determine archive info from 'X'" for a name that is
 *         not a backup (`.xz`, `.log`, ...); PCT_EINVAL for NULL.
 */
PCT_API int pct_backups_archive_info(pct_backups_entry** out, const char* filename) PCT_NOEXCEPT;
/**
 * A field of an entry as text: "filename", "type" (lxc, qemu, openvz, unknown), "vmid" ("0"
 * when unknown), "ctime" (seconds; NULL for a non-standard name), "is_std_name" ("1"/"0"),
 * "format" (tar, vma), "compression" (gz, lzo, zst, bz2 or ""), "log_filename",
 * "notes_filename", "protected_filename"; for listed entries also "path", "size",
 * "protected" ("1"/"0"), "notes" (first line); for pct_backups_prune_marks() entries "mark"
 * (keep, remove, protected, renamed).
 * @param entry the entry.
 * @param field the field name.
 * @return the value, borrowed: valid until the entry (or its list) is freed; NULL for an
 *         unknown or absent field or NULL arguments.
 */
PCT_API const char* pct_backups_entry_get(const pct_backups_entry* entry,
                                          const char* field) PCT_NOEXCEPT;
/**
 * Frees an entry from pct_backups_archive_info(); NULL is accepted. Entries of a list belong
 * to the list and are never freed alone.
 */
PCT_API void pct_backups_entry_free(pct_backups_entry* entry) PCT_NOEXCEPT;
/**
 * The backup files of a dump directory, sorted by name (pve-storage's list of content
 * `backup`): regular files ending in `.tgz`, `.tar` or `.vma` (the last two optionally
 * `.gz|.lzo|.zst|.bz2`); symlinks are skipped.
 * @param out receives a new list; the caller frees it with pct_backups_list_free().
 * @param dir the directory.
 * @param vmid only names containing `-<vmid>-`; 0 for all.
 * @return PCT_OK; PCT_ENOTFOUND (no such directory); PCT_EIO; PCT_EINVAL for NULL.
 */
PCT_API int pct_backups_list_dir(pct_backups_list** out, const char* dir,
                                 uint32_t vmid) PCT_NOEXCEPT;
/**
 * The backups of `dir` (all guests, or those of `vmid`) with the mark pve-storage's pruning
 * gives each under `prune_backups` ("mark" field); nothing is removed.
 * @param out receives a new list; the caller frees it with pct_backups_list_free().
 * @param dir the directory.
 * @param vmid 0 for all guests.
 * @param prune_backups the retention rules (see pct_backups_normalize_prune()).
 * @return PCT_OK; PCT_EPARSE (rules); errors of pct_backups_list_dir().
 */
PCT_API int pct_backups_prune_marks(pct_backups_list** out, const char* dir, uint32_t vmid,
                                    const char* prune_backups) PCT_NOEXCEPT;
/** Number of entries of a list (0 for NULL). */
PCT_API size_t pct_backups_list_count(const pct_backups_list* list) PCT_NOEXCEPT;
/**
 * Entry `index` of a list.
 * @return borrowed: valid until the list is freed; NULL when out of range.
 */
PCT_API const pct_backups_entry* pct_backups_list_at(const pct_backups_list* list,
                                                     size_t index) PCT_NOEXCEPT;
/** Frees a list and its entries; NULL is accepted. */
PCT_API void pct_backups_list_free(pct_backups_list* list) PCT_NOEXCEPT;
/**
 * Prunes the container backups (`vzdump-lxc-<vmid>-*`) of `vmid` in `dir`: protected and
 * non-standard names are never removed; removed archives lose their `.log` and `.notes` too.
 * @param out receives the paths marked for removal (removed unless `dry_run`); the caller
 *        frees it with pct_string_list_free(). May be NULL.
 * @param dir the dump directory.
 * @param vmid the CTID.
 * @param prune_backups the retention rules.
 * @param dry_run non-zero: remove nothing.
 * @return PCT_OK; PCT_EPARSE (rules); PCT_EIO (a removal failed; the others were tried);
 *         errors of pct_backups_list_dir().
 */
PCT_API int pct_backups_prune(pct_string_list** out, const char* dir, uint32_t vmid,
                              const char* prune_backups, int dry_run) PCT_NOEXCEPT;
/**
 * Removes an archive with its `.log` and `.notes` (pve-storage's archive_remove). Nothing is
 * allocated for the caller.
 * @param archive_path the archive.
 * @return PCT_OK (also when it was already gone); PCT_ESTATE "cannot remove protected archive
 *         'PATH'"; PCT_EIO; PCT_EINVAL for NULL.
 */
PCT_API int pct_backups_remove(const char* archive_path) PCT_NOEXCEPT;
/**
 * Creates (empty, 0644) or deletes `<archive>.protected`. Nothing is allocated for the caller.
 * @param archive_path the archive.
 * @param protect non-zero to protect.
 * @return PCT_OK; PCT_ENOTFOUND "backup file 'PATH' does not exist"; PCT_EIO; PCT_EINVAL.
 */
PCT_API int pct_backups_set_protected(const char* archive_path, int protect) PCT_NOEXCEPT;
/**
 * Writes `<archive>.notes` (0644), or deletes it for NULL or "". Nothing is allocated for the
 * caller.
 * @param archive_path the archive.
 * @param notes the notes (may span lines).
 * @return PCT_OK; PCT_ENOTFOUND (no archive); PCT_EIO; PCT_EINVAL for a NULL path.
 */
PCT_API int pct_backups_set_notes(const char* archive_path, const char* notes) PCT_NOEXCEPT;
/**
 * Refuses one more protected backup of `vmid` in `dir` when `max_protected` (>= 0) already
 * are. Nothing is allocated for the caller.
 * @param dir the dump directory.
 * @param vmid the CTID.
 * @param max_protected the limit; -1 for none.
 * @param storage the storage id named in the message.
 * @return PCT_OK; PCT_ESTATE "The number of protected backups per guest is limited to N on
 *         storage 'ID'"; errors of pct_backups_list_dir().
 */
PCT_API int pct_backups_check_protected_limit(const char* dir, uint32_t vmid, int64_t max_protected,
                                              const char* storage) PCT_NOEXCEPT;
/**
 * The dump directory of a storage (`<path>/dump` or its `content-dirs` `backup=`), activating
 * the storage.
 * @param out receives the path; the caller frees it with pct_string_free().
 * @param host the host.
 * @param storage the storage id.
 * @return PCT_OK; PCT_ENOTFOUND (unknown storage); PCT_EINVAL "can't use storage 'ID' for
 *         backups - wrong content type"; PCT_ESTATE (disabled); PCT_EUNSUPPORTED.
 */
PCT_API int pct_backups_dir(char** out, const pct_host* host, const char* storage) PCT_NOEXCEPT;
/**
 * A storage's `prune-backups`, normalised; "keep-all=1" when unset.
 * @param out receives the text; the caller frees it with pct_string_free().
 * @param host the host.
 * @param storage the storage id.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_EPARSE (bad value).
 */
PCT_API int pct_backups_storage_prune(char** out, const pct_host* host,
                                      const char* storage) PCT_NOEXCEPT;
/**
 * A storage's `max-protected-backups`; -1 (unlimited) when unset. Nothing is allocated.
 * @param out receives the limit.
 * @param host the host.
 * @param storage the storage id.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_EPARSE.
 */
PCT_API int pct_backups_storage_max_protected(int64_t* out, const pct_host* host,
                                              const char* storage) PCT_NOEXCEPT;
/* Cluster store (etcd)                                                                 */
/* ------------------------------------------------------------------------------------ */

/**
 * A connection to the cluster store: CTIDs unique across hosts, configs stored as their exact
 * text, operation locks on leases, node liveness, all in an etcd v3 cluster reached over its
 * JSON gateway. Every call fails fast without quorum (PCT_ENOQUORUM, within about a second)
 * and writes all or nothing. One handle may be used from several threads at once; a
 * background thread keeps the node's and the locks' leases alive.
 */
typedef struct pct_cluster pct_cluster;
/** A held operation lock of one CT (see pct_cluster_acquire()). */
typedef struct pct_cluster_lock pct_cluster_lock;
/** The CTIDs of a cluster with their nodes (see pct_cluster_list()). */
typedef struct pct_cluster_cts pct_cluster_cts;

/**
 * Connects to `endpoints` and registers `node` as alive (its key lives with the handle).
 * The caller frees `*out` with pct_cluster_free().
 * @param out receives the handle (NULL after a failure).
 * @param endpoints "host:port,host:port,..." of the etcd members.
 * @param prefix the key prefix of this cluster ("/..."); NULL or "" for "/pct/v1/default/".
 * @param node this host's name (letters, digits, '.', '-', '_').
 * @return PCT_OK; PCT_EINVAL (bad endpoint, prefix or node); PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_open(pct_cluster** out, const char* endpoints, const char* prefix,
                             const char* node) PCT_NOEXCEPT;
/**
 * Unregisters the node and frees the handle (locks still held keep working until freed).
 * @param cluster the handle, or NULL.
 */
PCT_API void pct_cluster_free(pct_cluster* cluster) PCT_NOEXCEPT;
/**
 * Takes the lowest free CTID >= 100 with its first config, in one transaction. Nothing is
 * allocated for the caller.
 * @param ctid_out receives the CTID.
 * @param cluster the handle.
 * @param initial_config the config text stored for it.
 * @return PCT_OK; PCT_ENOQUORUM; PCT_EIO.
 */
PCT_API int pct_cluster_allocate_ctid(uint32_t* ctid_out, pct_cluster* cluster,
                                      const char* initial_config) PCT_NOEXCEPT;
/**
 * Takes `ctid` with its first config. Nothing is allocated for the caller.
 * @param cluster the handle.
 * @param ctid 100..999999999.
 * @param initial_config the config text stored for it.
 * @return PCT_OK; PCT_EEXIST ("CT N already exists (on node X)"); PCT_EINVAL; PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_claim_ctid(pct_cluster* cluster, uint32_t ctid,
                                   const char* initial_config) PCT_NOEXCEPT;
/**
 * Reads the config of `ctid`. The caller frees `*bytes_out` and `*digest_out` with
 * pct_string_free().
 * @param bytes_out receives the exact text.
 * @param digest_out NULL, or receives its SHA-1 (Proxmox's digest, 40 hex digits).
 * @param revision_out NULL, or receives its revision (what pct_cluster_write_config() compares).
 * @param cluster the handle.
 * @param ctid the CT.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_read_config(char** bytes_out, char** digest_out, int64_t* revision_out,
                                    pct_cluster* cluster, uint32_t ctid) PCT_NOEXCEPT;
/**
 * Replaces the config of `ctid` if it still has `revision` (or, when `revision` is 0, the
 * digest `digest`), and with `guard` only while that lock is held; without `guard`, only
 * while nobody holds the CT's lock. Nothing is allocated for the caller.
 * @param revision_out NULL, or receives the new revision.
 * @param cluster the handle.
 * @param ctid the CT.
 * @param bytes the new text.
 * @param revision the revision read, or 0 to compare `digest`.
 * @param digest the digest read (when `revision` is 0), else NULL.
 * @param guard NULL, or the CT's lock held by this caller.
 * @return PCT_OK; PCT_EDIGEST (Proxmox's "detected modified configuration" message);
 *         PCT_ESTATE (locked by another, or the guard's lease was lost); PCT_ENOTFOUND;
 *         PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_write_config(int64_t* revision_out, pct_cluster* cluster, uint32_t ctid,
                                     const char* bytes, int64_t revision, const char* digest,
                                     const pct_cluster_lock* guard) PCT_NOEXCEPT;
/**
 * Frees `ctid` and deletes its config in one transaction. Nothing is allocated for the caller.
 * @param cluster the handle.
 * @param ctid the CT.
 * @param guard NULL, or the CT's lock held by this caller.
 * @return PCT_OK; PCT_ENOTFOUND; PCT_ESTATE (locked); PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_remove(pct_cluster* cluster, uint32_t ctid,
                               const pct_cluster_lock* guard) PCT_NOEXCEPT;
/**
 * Every CTID of the cluster with its node, ascending. The caller frees `*out` with
 * pct_cluster_cts_free().
 * @param out receives the list.
 * @param cluster the handle.
 * @return PCT_OK; PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_list(pct_cluster_cts** out, pct_cluster* cluster) PCT_NOEXCEPT;
/**
 * The number of CTs in a list.
 * @param cts the list; NULL counts as empty.
 * @return the count.
 */
PCT_API size_t pct_cluster_cts_count(const pct_cluster_cts* cts) PCT_NOEXCEPT;
/**
 * The CTID of entry `index`.
 * @param cts the list.
 * @param index below pct_cluster_cts_count().
 * @return the CTID; 0 (and PCT_EINVAL) when out of range.
 */
PCT_API uint32_t pct_cluster_cts_ctid(const pct_cluster_cts* cts, size_t index) PCT_NOEXCEPT;
/**
 * The node of entry `index`, borrowed from the list (valid until it is freed).
 * @param cts the list.
 * @param index below pct_cluster_cts_count().
 * @return the node name; NULL (and PCT_EINVAL) when out of range.
 */
PCT_API const char* pct_cluster_cts_node(const pct_cluster_cts* cts, size_t index) PCT_NOEXCEPT;
/**
 * Frees a list.
 * @param cts the list, or NULL.
 */
PCT_API void pct_cluster_cts_free(pct_cluster_cts* cts) PCT_NOEXCEPT;
/**
 * The nodes alive now, sorted. The caller frees `*out` with pct_string_list_free().
 * @param out receives the names.
 * @param cluster the handle.
 * @return PCT_OK; PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_nodes(pct_string_list** out, pct_cluster* cluster) PCT_NOEXCEPT;
/**
 * Takes the operation lock of `ctid` on a lease of `ttl_seconds`, renewed in the background
 * until freed; a holder that dies loses it after the TTL. The caller frees `*out` with
 * pct_cluster_lock_free(), which releases it.
 * @param out receives the lock.
 * @param cluster the handle.
 * @param ctid the CT.
 * @param operation what it is for ("create", "migrate", "backup", ...).
 * @param ttl_seconds at least 2; 0 for 10.
 * @return PCT_OK; PCT_ESTATE ("CT N is locked (OP on node X)"); PCT_EINVAL; PCT_ENOQUORUM.
 */
PCT_API int pct_cluster_acquire(pct_cluster_lock** out, pct_cluster* cluster, uint32_t ctid,
                                const char* operation, uint32_t ttl_seconds) PCT_NOEXCEPT;
/**
 * Whether the lock is still held (0 once its lease was lost or could not be renewed).
 * @param lock the lock; NULL gives 0.
 * @return 1 or 0.
 */
PCT_API int pct_cluster_lock_held(const pct_cluster_lock* lock) PCT_NOEXCEPT;
/**
 * The lock's fencing token (its key's create revision).
 * @param lock the lock; NULL gives 0.
 * @return the token.
 */
PCT_API int64_t pct_cluster_lock_fence(const pct_cluster_lock* lock) PCT_NOEXCEPT;
/**
 * Releases the lock (its lease is revoked) and frees it.
 * @param lock the lock, or NULL.
 */
PCT_API void pct_cluster_lock_free(pct_cluster_lock* lock) PCT_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PCT_PCT_H */
