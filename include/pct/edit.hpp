// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// The lossless editor: change one key of a config text and leave every other byte as it was
/// (comments, order, blank lines, unknown keys, `=` separators, CRLF).
#pragma once

#include <pct/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pct::edit {

/// Where a key lives: "" = main section, "pve:pending", or a snapshot name.
struct Target {
    std::string section;
    std::string key;
};

/// Whether `key` has the syntax of a raw lxc key, `lxc\.[a-z0-9_.-]+` (what the file reader
/// keeps as a `Section::lxc` entry; whether Proxmox allows the key is `parse::check_lxc_key`).
/// The one rule the editor, the C ABI and pypct use to tell raw lxc keys from options.
[[nodiscard]] bool is_lxc_key(std::string_view key) noexcept;

/// Whether `target.key` can be stored in `target.section` at all: the checks `set` and
/// `remove` start with (`Errc::invalid_argument`, key set, see `set`).
[[nodiscard]] Result<void> check(const Target& target);

/// Sets `key` to `value` in the section Proxmox reads under that name (for a repeated
/// `[pve:pending]` or `[snap]` header, the last one).
///
/// - Ordinary keys and raw `lxc.*` keys: the value of the key's *last* line in the section
///   (the one Proxmox reads) is replaced in place; its key, separator (`:` or ` = ` of lxc
///   lines), surrounding blanks and a trailing `\r` stay. Earlier duplicate lines are left
///   untouched (Proxmox ignores them). A multi-valued lxc key (`lxc.mount.entry`, ...) thus
///   changes only its last entry; add further entries by editing the text or with the
///   canonical model. Without such a line, `key: value` is appended after the section's last
///   non-blank line.
/// - `description`: every `#` line and `description:` line of the section is replaced by
///   the text's encoded `#` lines, at the place of the first one (else at the section top).
///   Newlines in `value` separate lines; "" or "0" removes the description. These lines end
///   in LF even in a CRLF file, because Proxmox reads a comment's CR as description text.
/// - `env`: the `env:` and `lxc.environment.runtime` lines of the section are replaced by one
///   `lxc.environment.runtime: X` line per NUL-separated entry.
/// - A missing `[pve:pending]` section is created before the first snapshot section (where
///   Proxmox writes it), a missing snapshot section at the end of the text.
///
/// New lines use the text's line ending (CRLF when its first line ends in CRLF). Every other
/// byte of the text is kept.
///
/// Errors (`Errc::invalid_argument`, key set): a key that cannot appear in a file
/// (`digest`, `snapname`, `pending`, `snapshots`, `lxc`, or not matching `[a-z][a-z_]*\d*`
/// / `lxc\.[a-z0-9_.-]+`), `delete` outside `[pve:pending]`, `snapstate` in the main section,
/// an invalid section name, and a value that would not read back unchanged (line breaks,
/// leading/trailing blanks, an empty value for a non-lxc key).
[[nodiscard]] Result<std::string> set(std::string_view text, const Target& target,
                                      std::string_view value);

/// Removes every line that sets `key` in that section: all entries of a multi-valued lxc
/// key, all duplicate lines, all `#`/`description:` lines for `description`, all `env:` and
/// `lxc.environment.runtime` lines for `env`. Errors: `Errc::not_found` if there is none
/// (or the section does not exist); `Errc::invalid_argument` as for `set`.
[[nodiscard]] Result<std::string> remove(std::string_view text, const Target& target);

/// Appends the raw lxc entry `key: value` as the last line of the section (creating a missing
/// `[pve:pending]` or snapshot section as `set` does), after `check_lxc_entry`. Unlike `set`,
/// earlier entries of the same key stay: this is how a multi-valued key (`lxc.mount.entry`)
/// gains one more entry. Every other byte of the text is kept. Errors: `Errc::invalid_argument`
/// (section name, `check_lxc_entry`).
[[nodiscard]] Result<std::string> lxc_append(std::string_view text, std::string_view section,
                                             std::string_view key, std::string_view value);

/// Removes the line of the section's raw lxc entry number `index` (0-based, in the order of
/// `Section::lxc`, the order the reader keeps). Every other byte is kept. Errors:
/// `Errc::not_found` "lxc entry N does not exist" (also for a missing section),
/// `Errc::invalid_argument` for an invalid section name.
[[nodiscard]] Result<std::string> lxc_remove(std::string_view text, std::string_view section,
                                             std::size_t index);

/// The value an editor stores when it sets `key` in `section` (the C ABI's `pct_config_set`,
/// pypct's `ParsedConfig.set`): what the file reader's `parse::check_type` makes of it (`yes`
/// -> `1`), refusing what the reader would drop or read differently. `description` passes
/// unchanged; a raw lxc key is checked by `check_lxc_entry`. Errors (`Errc::invalid_argument`,
/// key set; property-string problems keep their sub-key): a line break, `delete` outside
/// `[pve:pending]`, an empty `delete` list or one naming an invalid key, `snapstate` other
/// than `prepare`/`delete`, a key not matching `[a-z][a-z_]*\d*`, a blank value, and every
/// `check_type` refusal.
[[nodiscard]] Result<std::string> checked_value(std::string_view section, std::string_view key,
                                                std::string_view value);

/// Checks a raw lxc entry an editor adds or sets: the key syntax `lxc\.[a-z0-9_.-]+`, no line
/// break, no leading or trailing blank (the reader would trim it), and the key allowed by
/// Proxmox (`parse::check_lxc_key`; `lxc.environment.runtime` always is).
/// `Errc::invalid_argument` with the key.
[[nodiscard]] Result<void> check_lxc_entry(std::string_view key, std::string_view value);

/// The pending `delete` list (`delete:` of the `[pve:pending]` section Proxmox reads, see
/// `set`), split by `pct::split_list`: the entries as written and in file order, a forced one
/// with its leading `!` (`"swap,!cores"` -> `swap`, `!cores`), duplicates kept. Empty without
/// a pending section or `delete` line. Never fails.
[[nodiscard]] std::vector<std::string> pending_deletes(std::string_view text);

/// Adds `key` to the pending `delete` list (`!key` when `force`), replacing the force flag of
/// an entry already listed. The list is written back the way Proxmox prints it: one entry per
/// key (the last one of a duplicated key wins), sorted by key, `,`-joined, with the `delete`
/// line edited in place by `set` (so a missing `[pve:pending]` section is created with
/// `delete: key`). Errors (`Errc::invalid_argument`, key `delete`): `key` not matching
/// `[a-z][a-z_]*\d*` ("invalid key 'KEY'"), or an entry already listed that is no such key
/// ("invalid key 'KEY' in delete list").
[[nodiscard]] Result<std::string> pending_delete_add(std::string_view text, std::string_view key,
                                                     bool force = false);

/// Removes `key` (forced or not; `key` without the `!`) from the pending `delete` list, which
/// is written back as by `pending_delete_add`; when it empties, every `delete` line of the
/// section is removed (the `[pve:pending]` header stays). Errors: `Errc::not_found` "'KEY' is
/// not pending deletion" (key `delete`) when it is not listed; `Errc::invalid_argument` as for
/// `pending_delete_add` when a remaining entry is not a valid key.
[[nodiscard]] Result<std::string> pending_delete_remove(std::string_view text,
                                                        std::string_view key);

} // namespace pct::edit
