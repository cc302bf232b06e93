// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// One container config file as an editable document: its text, the model parsed from it, and
/// lossless edits that change only the bytes they must, committed atomically under the
/// container's config lock and refused when the file changed since it was read.
///
/// Every editing path of libpct (the C ABI's `pct_config`, pypct's `ParsedConfig`, the CLI's
/// `pct set` and `pct file set`) is a thin layer over this type, so they all serialise with
/// each other and with Proxmox's own tools.
///
/// **Locking.** A config file is guarded by one lock file (`flock(2)`), chosen by
/// `config_lock_path` from the file's one spelling: its directory resolved by realpath(3), so
/// `./100.conf`, `/etc/pve//lxc/100.conf`, `lxc/../lxc/100.conf` and a symlinked directory all
/// take the lock of the same file:
///  - `R/etc/pve/lxc/<CTID>.conf` (a Proxmox host layout under root `R`, see `Host`), or
///    `R/etc/pve/nodes/<NODE>/lxc/<CTID>.conf` (where a Proxmox host's `/etc/pve/lxc` links
///    to), is locked with `R/run/lock/lxc/pve-config-<CTID>.lock`, the lock Proxmox's
///    `lock_config` and `Host::lock` take;
///  - any other file `D/NAME` with the sibling `D/.NAME.lock` (made on first use and never
///    removed: unlinking a lock file would let two holders lock two different inodes).
///
/// **Digest.** The document remembers the SHA-1 of the file's bytes when it read (or last
/// wrote) them, as Proxmox's `digest`. `commit` compares it with the file's current bytes under
/// the lock and refuses with `Errc::digest_mismatch` when another writer got there first: the
/// caller loads the file again and redoes its edit (optimistic concurrency, as Proxmox's API
/// with `digest`). `update` instead takes the lock before reading (pessimistic: it never
/// conflicts, as `pct set` without `--digest`).
///
/// Threading: a value type. `const` members (including `save`, which synchronises the record
/// of what it wrote) may run concurrently on one document; anything else needs exclusive
/// access. Documents of one file in several threads or processes
/// serialise through the lock.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/parse/config.hpp>
#include <pct/storage/host.hpp>
#include <pct/storage/lock.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pct::storage {

/// The lock file that guards the config file `path` (see the file comment), from the path with
/// its directory resolved (so an absolute path): Proxmox's
/// `R/run/lock/lxc/pve-config-<CTID>.lock` for `R/etc/pve/lxc/<CTID>.conf` (or
/// `R/etc/pve/nodes/<NODE>/lxc/<CTID>.conf`), else `DIR/.NAME.lock` beside it.
[[nodiscard]] std::string config_lock_path(const std::string& path);

/// Takes the lock of the config file `path` (creating the lock's directory for a host layout),
/// waiting up to `timeout`. Errors as `FileLock::acquire` (`Errc::bad_state` on timeout).
[[nodiscard]] Result<FileLock>
lock_config_file(const std::string& path, std::chrono::milliseconds timeout = default_lock_timeout);

/// Atomically replaces the config file `path` with `text` (keeping the file's permission bits,
/// 0640 for a new file), for a caller that holds `lock` (the lock file of `path`, however
/// spelled, e.g. from `lock_config_file(path)`).
/// With `expected_digest`, first checks that the file's bytes still have that SHA-1 (a missing
/// file never matches): `digest_mismatch(path)` otherwise. Returns the digest of `text`.
/// `Errc::invalid_argument` when `lock` is not the lock of `path`; `Errc::io` on read or write
/// errors.
[[nodiscard]] Result<std::string>
write_config_text(const FileLock& lock, const std::string& path, std::string_view text,
                  const std::optional<std::string>& expected_digest);

/// `write_config_text` taking and releasing the lock itself.
[[nodiscard]] Result<std::string>
write_config_text(const std::string& path, std::string_view text,
                  const std::optional<std::string>& expected_digest,
                  std::chrono::milliseconds timeout = default_lock_timeout);

/// The refusal of a write to the config file `path` whose bytes are no longer those the
/// writer read (Proxmox's `digest` check): `Errc::digest_mismatch`, key `digest`, context
/// `path`, Proxmox's text "detected modified configuration - file changed by other user? Try
/// again.". Every digest check of libpct (`commit`, `save`, `write_config_text`, `pct set
/// --digest`) fails with it.
[[nodiscard]] Error digest_mismatch(const std::string& path);

/// Proxmox's `check_lock`: `Errc::bad_state` "CT is locked (LOCK)" with key `lock` when the
/// config's main section has a `lock` (`mounted` passes when `allow_mounted`). For operations
/// on the container (`pct set`, start, stop, destroy); a plain file editor (`pct file set`, the
/// C ABI's and pypct's config saves) does not call it, so that it can remove a stale lock.
[[nodiscard]] Result<void> check_unlocked(const ContainerConfig& config,
                                          bool allow_mounted = false);

/// The text of a config file plus its parse, kept equal (`parsed() == parse::config(text())`)
/// through every edit.
class ConfigDocument {
  public:
    /// An empty config (no file), CTID 100.
    ConfigDocument();
    ConfigDocument(const ConfigDocument& other);
    ConfigDocument(ConfigDocument&& other) noexcept;
    ConfigDocument& operator=(ConfigDocument other) noexcept;
    ~ConfigDocument() = default;

    /// A document over `text`. With `options.file` set, the caller says the text is that
    /// file's content: the document belongs to it (`path()`, base digest = the text's).
    /// Without, it is tied to no file. Errors: only strict parsing fails (`Errc::parse`
    /// with line and key).
    [[nodiscard]] static Result<ConfigDocument> parse(std::string text,
                                                      parse::ConfigOptions options = {});

    /// Reads and parses the file at `path`; `options.file` is set to `path`, and
    /// `options.vmid` = 0 means `parse::vmid_from_path(path)`. The document belongs to the
    /// file: `commit` writes it back with the digest check. Errors: `Errc::not_found`,
    /// `Errc::io`, and strict parsing's `Errc::parse`.
    [[nodiscard]] static Result<ConfigDocument> load(const std::string& path,
                                                     parse::ConfigOptions options = {});

    /// `load(host.config_path(vmid))` with the CTID; `Errc::not_found` "Configuration file
    /// 'PATH' does not exist" (Proxmox's text) when it is missing.
    [[nodiscard]] static Result<ConfigDocument> load(const Host& host, Vmid vmid);

    [[nodiscard]] const std::string& text() const noexcept { return m_text; }
    [[nodiscard]] const parse::ParsedConfig& parsed() const noexcept { return m_parsed; }
    [[nodiscard]] const ContainerConfig& config() const noexcept { return m_parsed.config; }
    [[nodiscard]] const parse::ConfigOptions& options() const noexcept { return m_options; }
    /// The file the document belongs to ("" when it came from text).
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    /// The SHA-1 of the file's bytes as last read or written by this document (of the text
    /// for a document from text): what `commit` expects to find in the file.
    [[nodiscard]] std::string base_digest() const;
    /// Sets what `commit` expects (Proxmox's `digest` parameter: "the file I saw had this").
    void set_base_digest(std::string digest);

    /// A section by name: "" main, "pve:pending", or a snapshot name; nullptr for a snapshot
    /// that does not exist (main and pending always exist, maybe empty).
    [[nodiscard]] const Section* section(std::string_view name) const noexcept;
    /// `section`, or `Errc::not_found` "snapshot 'NAME' does not exist".
    [[nodiscard]] Result<const Section*> existing_section(std::string_view name) const;

    /// Sets one key losslessly (`edit::set`) with the value an editor stores
    /// (`edit::checked_value`: `yes` -> `1`, line breaks and bad values refused).
    /// `description` "" removes the description. Errors: `Errc::invalid_argument` (key, value,
    /// section name; property problems keep their sub-key).
    [[nodiscard]] Result<void> set(std::string_view section, std::string_view key,
                                   std::string_view value);
    /// Removes every line of the key in the section (`edit::remove`). Errors:
    /// `Errc::not_found` for a missing snapshot or a key that is not set,
    /// `Errc::invalid_argument` for a key that cannot be stored.
    [[nodiscard]] Result<void> remove(std::string_view section, std::string_view key);
    /// Appends one raw lxc entry (`edit::lxc_append`).
    [[nodiscard]] Result<void> lxc_append(std::string_view section, std::string_view key,
                                          std::string_view value);
    /// Removes raw lxc entry `index` of the section (`edit::lxc_remove`); `Errc::not_found`
    /// for a missing snapshot or index.
    [[nodiscard]] Result<void> lxc_remove(std::string_view section, std::size_t index);
    /// Replaces the whole text (e.g. by its canonical rendering) and parses it again; strict
    /// parsing's `Errc::parse` leaves the document as it was.
    [[nodiscard]] Result<void> replace(std::string text) { return adopt(std::move(text)); }
    /// `edit::pending_delete_add` / `edit::pending_delete_remove` on the text.
    [[nodiscard]] Result<void> pending_delete_add(std::string_view key, bool force = false);
    [[nodiscard]] Result<void> pending_delete_remove(std::string_view key);

    /// Writes `text()` to `path()` atomically under the file's lock, refusing with
    /// `Errc::digest_mismatch` when the file's bytes no longer have `base_digest()` (another
    /// writer committed since this document read it; nothing is written). On success the
    /// base digest is that of the new text. `Errc::invalid_argument` when the document has
    /// no file; lock and I/O errors as `write_config_text`.
    [[nodiscard]] Result<void> commit(std::chrono::milliseconds timeout = default_lock_timeout);
    /// `commit` for a caller that already holds the file's lock (e.g. a runtime step holding
    /// `Host::lock`): `lock` must be `lock_config_file(path())`'s lock file.
    [[nodiscard]] Result<void> commit(const FileLock& lock);
    [[nodiscard]] Result<void> commit(const ConfigLock& lock);

    /// Writes `text` (the document's, or e.g. its canonical rendering) to `path` under that
    /// file's lock. To the document's own file, or one it saved to before, with the digest
    /// check (what it last read or wrote there must still be there, whichever way `path` is
    /// spelled: files are told apart by their resolved path); any other file is
    /// replaced without one ("save as"). Records the digest written per file, so saving
    /// again works. Errors as `commit`.
    [[nodiscard]] Result<void> save(const std::string& path, std::string_view text,
                                    std::chrono::milliseconds timeout = default_lock_timeout) const;

  private:
    Result<void> save_held(const std::string& path, std::string_view text) const;
    Result<void> adopt(std::string text);
    Result<void> adopt(Result<std::string> edited);

    std::string m_text;
    parse::ParsedConfig m_parsed;
    parse::ConfigOptions m_options;
    std::string m_path;
    std::string m_base; ///< digest of m_path's bytes as read (unless m_written has m_path)
    mutable std::mutex m_written_mutex;
    /// The digest of the last text written to each file (by `commit` or `save`), by the file's
    /// resolved path.
    mutable std::map<std::string, std::string, std::less<>> m_written;
};

/// The edit step of `update`.
using DocumentEdit = std::function<Result<void>(ConfigDocument&)>;

/// Read-modify-write under the lock, the way Proxmox's `pct set` works: takes the file's lock,
/// loads it, runs `edit` and commits the result (the lock is held throughout, so no other
/// writer can interleave). Returns the committed document. Errors: the lock's, `load`'s,
/// `edit`'s (nothing is written), `commit`'s.
[[nodiscard]] Result<ConfigDocument>
update(const std::string& path, const DocumentEdit& edit, parse::ConfigOptions options = {},
       std::chrono::milliseconds timeout = default_lock_timeout);

} // namespace pct::storage
