// SPDX-License-Identifier: AGPL-3.0-or-later
// The config side of a restore (vzdump-format spec §4.2, §4.6): the archive's pct.conf read
// with GNU tar as Proxmox's recover_config_from_tar does, and sanitize_and_merge_config.
#include "random_mac.hpp"

#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>
#include <pct/runtime/restore.hpp>

#include "pct/internal/command.hpp"
#include "pct/internal/keys.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace pct::runtime {

namespace {

// The config member of a backup (and of an OpenVZ one, which libpct does not convert).
constexpr std::string_view config_member = "./etc/vzdump/pct.conf";
constexpr std::string_view openvz_member = "./etc/vzdump/vps.conf";
// A config bigger than this is no config (the host reads no more of an archive's data).
constexpr std::size_t max_config_size = std::size_t{1} << 20;

// tar prints the first member of exactly this name (`--occurrence`: it stops there); GNU tar
// sniffs the compression of a file. When that fails, the listing tells a missing member
// (nullopt) from an unreadable archive (`Errc::io` with tar's complaint), which only costs a
// full read on that error path.
Result<std::optional<std::string>> config_text(const std::string& archive) {
    auto out = internal::run_command(
        {"tar", "--force-local", "-xpOf", archive, "--occurrence=1", std::string(config_member)});
    if (out)
        return std::optional<std::string>(std::move(out->out));
    auto listing = internal::run_command({"tar", "--force-local", "-tf", archive},
                                         fmt::format("unable to read archive '{}'", archive));
    if (!listing)
        return std::unexpected(std::move(listing).error());
    if (listing->out.starts_with(fmt::format("{}\n", openvz_member)) ||
        listing->out.find(fmt::format("\n{}\n", openvz_member)) != std::string::npos)
        return fail(Errc::unsupported,
                    "OpenVZ backups (./etc/vzdump/vps.conf) are not supported by libpct",
                    {.context = archive});
    return std::optional<std::string>();
}

bool never_merged(std::string_view key) {
    static constexpr std::array<std::string_view, 6> keys = {"digest", "rootfs",       "snapshots",
                                                             "parent", "unprivileged", "template"};
    for (auto k : keys)
        if (key == k)
            return true;
    return pct::detail::is_mp_key(key) || key.starts_with("unused");
}

} // namespace

Result<std::string> read_backup_config(const std::string& archive) {
    auto text = config_text(archive);
    if (!text)
        return std::unexpected(std::move(text).error());
    if (!*text)
        return fail(Errc::invalid_argument, "archive contains no configuration file",
                    {.context = archive});
    if ((*text)->size() >= max_config_size)
        return fail(
            Errc::invalid_argument,
            fmt::format("configuration file {} in the archive is above 1 MiB", config_member),
            {.context = archive});
    return std::move(**text);
}

Result<ContainerConfig> merge_restored_config(const ContainerConfig& archived,
                                              ContainerConfig given, const MergeOptions& options) {
    auto& to = given.main;
    const auto& from = archived.main;
    bool old_unprivileged = from.get("unprivileged") == std::optional<std::string_view>("1");
    bool new_unprivileged = to.get("unprivileged") == std::optional<std::string_view>("1");
    for (const auto& [key, value] : from.options) {
        if (never_merged(key))
            continue;
        if (key == "features" && !options.root && old_unprivileged && !new_unprivileged)
            continue;
        if (options.unique && pct::detail::is_net_key(key)) {
            auto net = parse::net(value);
            if (!net)
                return std::unexpected(with_key(std::move(net).error(), key));
            net->hwaddr = options.new_mac ? options.new_mac() : detail::random_mac();
            auto text = render::net(*net);
            if (!text)
                return std::unexpected(with_key(std::move(text).error(), key));
            to.options[key] = std::move(*text); // replaces a given netN (Proxmox's quirk)
            continue;
        }
        if (!to.options.contains(key))
            to.options[key] = value;
    }
    if (to.description.empty())
        to.description = from.description;
    if (options.root && to.lxc.empty())
        to.lxc = from.lxc;
    if (given.pending.empty())
        given.pending = archived.pending;
    return given;
}

} // namespace pct::runtime
