// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The storage-side rules of vzdump backup files (spec vzdump-format.md §1, §5, §6.2;
/// storage.md §1.5, §1.6): archive names, compression extensions, the `.dat` temp name, what
/// pve-storage's `archive_info` recognises as a backup, the notes template, the
/// `prune-backups` retention rules and Proxmox's pruning algorithm, and the side files of an
/// archive in a dump directory (`.log`, `.notes`, `.protected`).
///
/// Times are the node's **local** time, as Proxmox's (`localtime`/`timelocal` under the
/// process's `TZ`): names, their parsed `ctime`, and the hour/day/week/month/year buckets of
/// pruning.
///
/// Threading: the name, template and prune rules are pure functions (they read the process's
/// time zone). The file functions touch only the files they name; callers serialise changes
/// to one dump directory (Proxmox does it by running vzdump and prune under the guest's
/// backup lock).
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pct::storage {

/// `vzdump-lxc-<CTID>-YYYY_MM_DD-HH_MM_SS` of the task start `start` in local time (§1.1).
[[nodiscard]] std::string backup_basename(Vmid vmid, std::time_t start);

/// The compressors vzdump writes container archives with (§5).
enum class BackupCompression { none, gzip, lzo, zstd };

/// ".tar", ".tar.gz", ".tar.lzo" or ".tar.zst".
[[nodiscard]] std::string_view backup_extension(BackupCompression compression) noexcept;

/// vzdump's `--compress` values: "0" (none), "1" and "lzo" (lzop), "gzip", "zstd".
/// `Errc::invalid_argument` "value 'X' does not have a value in the enumeration '0, 1, gzip,
/// lzo, zstd'" (key `compress`) for anything else.
[[nodiscard]] Result<BackupCompression> parse_compression(std::string_view value);

/// The name an archive is written under until it is complete: `final_name` with its last
/// extension replaced by `.dat` (`x.tar.zst` -> `x.tar.dat`, `x.tar` -> `x.dat`), §1.1.
[[nodiscard]] std::string temp_archive_name(std::string_view final_name);

/// What pve-storage's `archive_info` learns from a backup file name.
struct BackupFileInfo {
    std::string filename; ///< the base name (directories dropped)
    std::string type;     ///< `lxc`, `qemu` or `openvz`
    /// The CTID of a standard name; 0 for other names (see `archive_info`).
    std::uint64_t vmid = 0;
    std::optional<std::time_t> ctime; ///< from a standard name (local time), else nullopt
    bool is_std_name = false;
    std::string format;      ///< `tar` or `vma` (`.tgz` is `tar`)
    std::string compression; ///< `gz`, `lzo`, `zst`, `bz2`, or "" for none
    /// `<basename>.log` of a standard name, else "".
    std::string log_filename;
    /// `<filename>.notes` of a standard name, else "".
    std::string notes_filename;
    /// `<filename>.protected` (protection applies to any backup file).
    std::string protected_filename;
    friend bool operator==(const BackupFileInfo&, const BackupFileInfo&) = default;
};

/// pve-storage's `archive_info` (§1.1): a file name (a directory part is ignored) is a backup
/// when it matches `vzdump-(lxc|openvz|qemu)-.+\.(tgz|(tar|vma)(\.(gz|lzo|zst|bz2))?)`; it is
/// a *standard* name when it is `vzdump-<type>-<vmid>-YYYY_MM_DD-HH_MM_SS.<ext>` with vmid
/// 100..999999999 (`[1-9][0-9]{2,8}`). nullopt for anything else (`.xz`, `.tar.zstd`, ...).
[[nodiscard]] std::optional<BackupFileInfo> archive_info(std::string_view filename);

// ---- notes (§6.2) ----

/// The values of a notes template's variables.
struct NotesVars {
    std::string cluster = "standalone node"; ///< `{{cluster}}`: the cluster name
    std::string guestname;                   ///< `{{guestname}}`: hostname; "" -> `CT<vmid>`
    std::string node;                        ///< `{{node}}`: the node name
    std::uint64_t vmid = 0;                  ///< `{{vmid}}`
    friend bool operator==(const NotesVars&, const NotesVars&) = default;
};

/// Longest notes template vzdump takes (`notes-template` maxLength).
inline constexpr std::size_t notes_template_max_length = 1024;

/// vzdump's `generate_notes`: first the escapes `\n` (newline) and `\\` (backslash), then
/// `{{cluster}}`, `{{guestname}}`, `{{node}}`, `{{vmid}}` replaced by their values.
/// `Errc::invalid_argument` (key `notes-template`) for: more than 1024 characters ("value may
/// only be 1024 characters long"), a line break in the template ("value must be a single
/// line"), another escape ("unexpected escape character 'C'"), another `{{NAME}}` left
/// ("unexpected variable name 'NAME'").
[[nodiscard]] Result<std::string> render_notes_template(std::string_view tmpl,
                                                        const NotesVars& vars);

// ---- retention (`prune-backups`) ----

/// The `prune-backups` property (storage.cfg, vzdump): how many backups of each period to
/// keep. After `parse_prune_backups`, either `keep_all` is set and nothing else, or at least
/// one count is positive.
struct PruneOptions {
    bool keep_all = false;
    std::optional<unsigned> keep_last = {};
    std::optional<unsigned> keep_hourly = {};
    std::optional<unsigned> keep_daily = {};
    std::optional<unsigned> keep_weekly = {};
    std::optional<unsigned> keep_monthly = {};
    std::optional<unsigned> keep_yearly = {};
    friend bool operator==(const PruneOptions&, const PruneOptions&) = default;
};

/// Parses a `prune-backups` value (`keep-last=3,keep-daily=7`) with Proxmox's schema and its
/// validator: no positive count (all absent or zero) is `keep-all=1`; `keep-all=1` with a
/// positive count is refused ("keep-all cannot be set together with other options.").
/// `Errc::parse` (key `prune-backups`, sub-key the bad key) for an unknown key, a duplicate,
/// a count that is not an integer >= 0, a `keep-all` that is not a boolean.
[[nodiscard]] Result<PruneOptions> parse_prune_backups(std::string_view text);

/// The property string of `options`, keys in alphabetical order (`keep-all=1`,
/// `keep-daily=7,keep-last=3`); zero counts are kept, absent ones left out.
[[nodiscard]] std::string format_prune_backups(const PruneOptions& options);

// ---- a dump directory ----

/// One backup file of a dump directory.
struct BackupEntry {
    std::string path;    ///< the archive's full path
    BackupFileInfo info; ///< `archive_info`, or for other `*.tar…` names type `unknown`
    std::uint64_t size = 0;
    bool is_protected = false; ///< `<archive>.protected` exists
    std::string notes;         ///< the first line of `<archive>.notes` ("" when none)
    friend bool operator==(const BackupEntry&, const BackupEntry&) = default;
};

/// The backups in `dir` as pve-storage's `list_volumes` sees them (content `backup`): every
/// regular file whose name ends in a backup extension (`.tgz`, `.tar`, `.vma`, each of the last
/// two optionally `.gz|.lzo|.zst|.bz2`), sorted by name. With `vmid`, only names with
/// `-<vmid>-` in them; otherwise `info.vmid` is also taken from a `-<vmid>-…` part of other
/// names. Symlinks are not followed (skipped). `Errc::not_found` when `dir` does not exist,
/// `Errc::io` when it cannot be read.
[[nodiscard]] Result<std::vector<BackupEntry>> list_backups(const std::string& dir,
                                                            std::optional<Vmid> vmid = {});

/// Proxmox's mark of a backup after pruning.
enum class PruneMark { keep, remove, protected_, renamed };

/// `"keep"`, `"remove"`, `"protected"`, `"renamed"`.
[[nodiscard]] std::string_view prune_mark_name(PruneMark mark) noexcept;

/// pve-storage's pruning marks (`prune_backups` + `prune_mark_backup_group`), in the order of
/// `entries`: non-standard names are `renamed` (never removed); protected ones `protected`
/// (never removed, never counted); the others are grouped by type and vmid and, newest first,
/// kept by keep-last, then the newest of each hour, day, ISO week, month, year (local time)
/// not yet covered by a kept backup, each rule stopping after its count of new buckets; the
/// rest `remove`. `keep_all` (or no positive count) keeps everything.
[[nodiscard]] std::vector<std::pair<BackupEntry, PruneMark>>
prune_marks(std::vector<BackupEntry> entries, const PruneOptions& options);

/// Prunes the container backups (`vzdump-lxc-<vmid>-…`) of `vmid` in `dir` by `options`
/// (`prune_marks` over `list_backups(dir, vmid)` of type `lxc`) and returns the archives
/// marked `remove`, each removed with its `.log` and `.notes` unless `dry_run`. A failure to
/// remove one does not stop the others; the first error is returned after all were tried.
[[nodiscard]] Result<std::vector<std::string>>
prune_backups(const std::string& dir, Vmid vmid, const PruneOptions& options, bool dry_run);

/// pve-storage's `archive_remove`: refuses a protected archive (`Errc::bad_state` "cannot
/// remove protected archive 'PATH'"), else deletes the archive (a missing one is fine, as in
/// Proxmox) and, for a standard name, its `.log` and `.notes`. `Errc::io` when unlink fails.
[[nodiscard]] Result<void> remove_backup(const std::string& archive_path);

/// Creates (mode 0644, empty) or deletes `<archive>.protected`; no change when it already is
/// as asked. `Errc::not_found` "backup file 'PATH' does not exist" for a missing archive.
[[nodiscard]] Result<void> set_backup_protected(const std::string& archive_path, bool protect);

/// Writes `<archive>.notes` (atomically, 0644) or, for empty `notes`, deletes it.
/// `Errc::not_found` as `set_backup_protected`.
[[nodiscard]] Result<void> set_backup_notes(const std::string& archive_path,
                                            std::string_view notes);

/// Refuses to protect one more backup of `vmid` in `dir` when `max_protected` (>= 0) of them
/// already are (`Errc::bad_state` "The number of protected backups per guest is limited to N
/// on storage 'STOREID'"); -1 means unlimited.
[[nodiscard]] Result<void> check_protected_limit(const std::string& dir, Vmid vmid,
                                                 std::int64_t max_protected,
                                                 std::string_view storeid);

class Host;

/// The dump directory of a storage (`get_backup_dir`): `R/<path>/dump`, or the `content-dirs`
/// `backup=` override; activates the storage (creating the directory as Proxmox does).
/// `Errc::not_found` for an unknown storage; `Errc::invalid_argument` "can't use storage
/// 'ID' for backups - wrong content type" when its content lacks `backup`;
/// `Errc::unsupported` for a storage without a path (not dir/btrfs).
[[nodiscard]] Result<std::string> backup_dir(const Host& host, std::string_view storeid);

/// The storage's `prune-backups` (`keep-all=1` when unset). `Errc::not_found` for an unknown
/// storage, `Errc::parse` (context the storage id) for a bad value.
[[nodiscard]] Result<PruneOptions> storage_prune_options(const Host& host,
                                                         std::string_view storeid);

/// The storage's `max-protected-backups`: its value, or -1 (unlimited) when unset, which is
/// Proxmox's default for a user with `Datastore.Allocate` on it, as root has.
/// `Errc::not_found` for an unknown storage, `Errc::parse` for a value that is not an integer
/// >= -1.
[[nodiscard]] Result<std::int64_t> storage_max_protected_backups(const Host& host,
                                                                 std::string_view storeid);

} // namespace pct::storage
