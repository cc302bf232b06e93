// SPDX-License-Identifier: AGPL-3.0-or-later
/// @file
/// Changing a container's config with Proxmox's pending semantics (config-format §8):
/// `pct set` (`update_pct_config` + `vmconfig_apply_pending` / `vmconfig_hotplug_pending`),
/// `pct pending`, and beyond Proxmox a *plan*: what a change would do, per key, before
/// anything is written.
///
/// Every change first goes into `[pve:pending]`; then, for the keys of this change only (older
/// pending entries stay until the next start), a stopped container gets them in its main
/// section at once; a running one gets the fast-plug keys (`description onboot startup
/// protection hostname hookscript cores tags lock`; `cores` also moves its cpuset) at once, the
/// hot-plug keys (`memory swap cpulimit cpuunits`, `netN`, new `mpN`, new `devN`) changed in the
/// running container where the host can, and everything else stays pending until the next
/// start, which applies all of it (`Container::start`).
///
/// The plan and the real run are one code path: the plan only has writing and hot-plugging
/// switched off, so `pct set --dry-run` cannot disagree with `pct set` on the same file (a
/// hot-plug that the host refuses while it runs is the one difference: the key then stays
/// pending, with the error as its reason).
///
/// Threading: free functions over a `storage::Host` value; concurrent calls for one container
/// serialise through its config lock, which `update_config` holds for its whole run.
#pragma once

#include <pct/error.hpp>
#include <pct/model/config.hpp>
#include <pct/storage/host.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pct::runtime {

/// One `pct set`: the arguments of Proxmox's `update_vm` API call.
struct ConfigChange {
    /// `--KEY VALUE` pairs, each key once (a settable key of the schema).
    std::vector<std::pair<std::string, std::string>> set{};
    /// `--delete`: keys to remove; a leading `!` marks a forced deletion (kept as `!KEY` in
    /// the pending `delete` list).
    std::vector<std::string> deletes{};
    /// `--revert`: keys whose pending change (value or deletion) is dropped.
    std::vector<std::string> reverts{};
    /// `--digest`: refuse with `Errc::digest_mismatch` unless the file still has this SHA-1.
    std::optional<std::string> digest{};
    friend bool operator==(const ConfigChange&, const ConfigChange&) = default;
};

/// What happens to one key.
enum class ChangeEffect {
    applied,   ///< stopped CT: written into the main section now; any CT: a pending value
               ///< or deletion dropped (`--revert`, or `--delete` of a key only pending)
    live,      ///< running CT: changed in the running container now (fast-plug or hot-plug)
    pending,   ///< running CT: kept in `[pve:pending]` until the next start; `reason` says why
    unchanged, ///< equal to the current value after normalization, or nothing to delete or
               ///< revert: nothing written for this key
};

/// `applied`, `live`, `pending` or `unchanged`.
[[nodiscard]] std::string_view effect_name(ChangeEffect effect) noexcept;

/// The outcome of one key of a change.
struct KeyChange {
    std::string key;
    std::string action; ///< `set`, `delete` or `revert`
    ChangeEffect effect = ChangeEffect::unchanged;
    std::string reason;                 ///< why `pending` (or `unchanged`); empty otherwise
    std::optional<std::string> current; ///< the main section's value before the change
    std::optional<std::string> next;    ///< the value after it (nullopt: deleted)
    friend bool operator==(const KeyChange&, const KeyChange&) = default;
};

/// Every key a change touched, deletes first then sets, each in key order (Proxmox's order),
/// reverts last; plus Proxmox's warnings (e.g. "cannot delete 'K' - not set in current
/// configuration!") and per-key errors.
struct ChangeReport {
    std::vector<KeyChange> keys;
    std::vector<std::string> warnings;
    /// Proxmox's per-key errors of the apply or hot-plug step ("unable to apply pending change
    /// K : ERR", "unable to hotplug K: ERR"): the change was written, those keys stay pending,
    /// and `pct set` exits non-zero as Proxmox's API call fails.
    std::vector<std::string> errors;
    friend bool operator==(const ChangeReport&, const ChangeReport&) = default;
};

/// What `update_config(host, vmid, change)` would do now, per key, without writing anything or
/// touching the running container. Same errors as `update_config`.
[[nodiscard]] Result<ChangeReport> plan_config_change(const storage::Host& host, Vmid vmid,
                                                      const ConfigChange& change);

/// Applies `change` to the config of `vmid` with Proxmox's rules (see the file comment), under
/// the container's config lock, and rewrites the file canonically when anything changed.
/// Refusals, before anything is written (`Errc::invalid_argument` with the key unless noted):
/// "no options specified"; an unknown or read-only key ("unknown option 'K'"); a key both set
/// and deleted or reverted ("you can't use '-K' and -delete K' at the same time");
/// "unable to delete required option 'K'" (`memory rootfs ostype`); "unable to delete
/// read-only option: 'unprivileged'" / "unable to modify read-only option: 'unprivileged'";
/// with `protection: 1`, "can't remove CT N drive - protection mode enabled" (deleting `mpN`,
/// `unusedN`) and "can't update CT N drive 'K' - protection mode enabled" (`rootfs`, `mpN`);
/// a value the schema refuses (with its sub-key); `Errc::bad_state` "CT is locked (KIND)"
/// (key `lock`; setting `lock` itself passes); `Errc::digest_mismatch`; `Errc::not_found` for a
/// missing config. Deleting `unusedN` frees the volume when the container owns it and nothing
/// else in the config uses it (storage.md §7.8); a replaced or deleted volume `mpN` becomes
/// the lowest free `unusedN`.
[[nodiscard]] Result<ChangeReport> update_config(const storage::Host& host, Vmid vmid,
                                                 const ConfigChange& change);

/// True when `a` and `b` are the same value of `key` once normalized as Proxmox compares
/// them: MAC addresses in any case, sizes in any unit (`size=8G` = `size=8192M`), property
/// sub-keys in any order, `tags` in any order, case and separator, `nameserver` and
/// `searchdomain` with any blanks, booleans `yes`/`1`. Values that do not parse compare as
/// bytes.
[[nodiscard]] bool equivalent_values(std::string_view key, std::string_view a, std::string_view b);

/// One line group of `pct pending` (Proxmox's `vm_pending` API item).
struct PendingEntry {
    std::string key;
    std::optional<std::string> value;   ///< the main section's value
    std::optional<std::string> pending; ///< the pending value
    int delete_mark = 0;                ///< 1 pending deletion, 2 forced, 0 none
    friend bool operator==(const PendingEntry&, const PendingEntry&) = default;
};

/// The main and pending values of every key of `config` (without `digest`), sorted by key.
[[nodiscard]] std::vector<PendingEntry> pending_entries(const ContainerConfig& config);

/// `pct pending` as Proxmox prints it: per key `cur K: V`, `new K: P`, `del K: V` lines
/// (descriptions encoded on one line).
[[nodiscard]] std::string format_pending(const std::vector<PendingEntry>& entries);

} // namespace pct::runtime
