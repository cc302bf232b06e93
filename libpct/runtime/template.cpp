// SPDX-License-Identifier: AGPL-3.0-or-later
// `pct template` (storage.md §7.5; pve-container API2/LXC.pm template, LXC.pm template_create):
// the checks, every volume's `template` feature, `create_base` per volume, `template: 1`, and
// the LXC config removed. All under the config lock: create_base only renames and marks.
#include "volume_common.hpp"
#include "volume_keys.hpp"

#include <pct/render/config.hpp>
#include <pct/runtime/clone.hpp>
#include <pct/storage/atomic_file.hpp>
#include <pct/storage/storages.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <unistd.h>

namespace pct::runtime {

namespace {

// Refusals in the order of Proxmox's API handler.
Result<void> check_can_template(const storage::Host& host, Vmid vmid,
                                const ContainerConfig& config) {
    if (auto ok = check_lock(config, LockedOp::make_template); !ok)
        return ok;
    if (!config.snapshots.empty())
        return fail(Errc::bad_state, "unable to create template, because CT contains snapshots");
    if (config.main.get("template") == std::optional<std::string_view>("1"))
        return fail(Errc::bad_state, "you can't convert a template to a template",
                    {.key = "template"});
    if (detail::running_pid(host, vmid) > 0)
        return fail(Errc::bad_state, "you can't convert a CT to template if the CT is running");
    return {};
}

// The rootfs/mpN entries of the main section in key order.
Result<std::vector<std::pair<std::string, MountPoint>>> mount_entries(const ContainerConfig& c) {
    std::vector<std::pair<std::string, MountPoint>> out;
    for (const auto& key : detail::volume_keys_in_order(c.main)) {
        if (!detail::is_mount_key(key))
            continue;
        auto mp = detail::mount_entry(c, key, "");
        if (!mp)
            return std::unexpected(std::move(mp).error());
        out.emplace_back(key, std::move(*mp));
    }
    return out;
}

// Proxmox's write_config: the whole file in canonical form.
Result<void> write_canonical(detail::LockedConfig& locked) {
    auto text = render::config(locked.doc.config());
    if (!text)
        return std::unexpected(std::move(text).error());
    if (auto ok = locked.doc.replace(std::move(*text)); !ok)
        return ok;
    return locked.commit();
}

} // namespace

Result<void> make_template(const storage::Host& host, Vmid vmid) {
    auto locked = detail::lock_config(host, vmid);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    if (auto ok = check_can_template(host, vmid, locked->doc.config()); !ok)
        return ok;
    auto entries = mount_entries(locked->doc.config());
    if (!entries)
        return std::unexpected(std::move(entries).error());
    auto storages = storage::Storages::load(host);
    if (!storages)
        return std::unexpected(std::move(storages).error());
    // Every volume first, so that a bind mount refuses before any volume was renamed.
    for (const auto& [key, mp] : *entries)
        if (!storages->has_feature(storage::Feature::template_, mp.volume))
            return fail(Errc::unsupported,
                        fmt::format("Template feature is not available for '{}'", mp.volume),
                        {.key = key});
    for (auto& [key, mp] : *entries) {
        auto base = storages->create_base(mp.volume);
        if (!base) {
            (void)write_canonical(*locked); // the volumes converted so far, named as they are
            return std::unexpected(std::move(base).error());
        }
        mp.volume = *base;
        if (auto ok = detail::set_mount_entry(locked->doc, key, mp); !ok)
            return ok;
    }
    if (auto ok = locked->doc.set("", "template", "1"); !ok)
        return ok;
    if (auto ok = write_canonical(*locked); !ok)
        return ok;
    // A template never starts: its LXC config goes (config-format §9, update_lxc_config).
    std::string lxc_config = host.ct_dir(vmid) + "/config";
    if (::unlink(lxc_config.c_str()) != 0 && errno != ENOENT)
        return std::unexpected(storage::io_error("unlink", lxc_config, errno));
    return {};
}

} // namespace pct::runtime
