// SPDX-License-Identifier: AGPL-3.0-or-later
// `memory`, `swap`, `cpulimit`, `cpuunits` (and `cores`) of a running container: the cgroup files
// the generator derives from the changed config (lxcconf/limits.cpp, the one copy of the
// arithmetic) are written into the container's limit cgroup, the parent of liblxc's inner one,
// as Proxmox writes them (v1 controllers or cgroup2, whichever the host uses).
#include "cgroups.hpp"
#include "helpers.hpp"
#include "hotplug_impl.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

/// One cgroup file to write: `controller` is the v1 hierarchy, "" for cgroup2.
struct CgroupWrite {
    std::string controller;
    std::string file;
    std::string value;
    std::string dir{};    ///< resolved for the running container
    bool inherit = false; ///< no line sets it any more: the parent's value (`cpuset.cpus`)
};

/// What a file holds while no line sets it: the kernel's default, written when the new config
/// drops a limit the old one set (`cpulimit` or `cpuunits` deleted).
std::optional<std::string_view> unset_value(std::string_view file) {
    if (file == "cpu.cfs_quota_us")
        return "-1";
    if (file == "cpu.cfs_period_us")
        return "100000";
    if (file == "cpu.max")
        return "max 100000";
    if (file == "cpu.weight")
        return "100";
    if (file == "cpuset.cpus")
        return ""; // the parent's CPUs, filled in once the directory is known
    return std::nullopt;
}

/// The cgroup file of a generated `lxc.cgroup[2].FILE` line of the key's family.
std::optional<CgroupWrite> as_write(const std::string& lxc_key, const std::string& value,
                                    std::string_view family) {
    CgroupWrite w;
    if (lxc_key.starts_with("lxc.cgroup2.")) {
        w.file = lxc_key.substr(12);
    } else if (lxc_key.starts_with("lxc.cgroup.")) {
        w.file = lxc_key.substr(11);
        w.controller = w.file.substr(0, w.file.find('.'));
    } else {
        return std::nullopt;
    }
    if (!w.file.starts_with(family))
        return std::nullopt;
    w.value = value;
    return w;
}

std::vector<CgroupWrite> family_writes(const LxcLines& lines, std::string_view family) {
    std::vector<CgroupWrite> out;
    for (const auto& [k, v] : lines)
        if (auto w = as_write(k, v, family))
            out.push_back(std::move(*w));
    return out;
}

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string parent_dir(const std::string& dir) { return dir.substr(0, dir.rfind('/')); }

/// A v1 cpuset is always a subset of its parent's, and init runs in a child of the limit
/// cgroup (liblxc's inner one) whose CPUs are its own copy: widen the limit cgroup to its
/// parent's CPUs, set the child, then narrow the limit cgroup, so that every step is legal
/// whether the set grows or shrinks. (v2 children follow their parent's effective CPUs.)
std::vector<CgroupWrite> with_inner_cpusets(std::vector<CgroupWrite> writes,
                                            const CgroupMounts& mounts, int pid) {
    std::vector<CgroupWrite> out;
    for (auto& w : writes) {
        auto own =
            w.controller.empty() ? std::nullopt : pid_cgroup_dir(mounts, pid, w.controller, "");
        if (!own || *own == w.dir) {
            out.push_back(std::move(w));
            continue;
        }
        CgroupWrite widen = w;
        widen.value = trimmed(read_text_file(parent_dir(w.dir) + "/cpuset.cpus").value_or(""));
        CgroupWrite inner = w;
        inner.dir = *own;
        out.push_back(std::move(widen));
        out.push_back(std::move(inner));
        out.push_back(std::move(w));
    }
    return out;
}

std::uint64_t to_u64(std::string_view text) {
    std::uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    return v;
}

/// The writes that make the running container's limits those of the changed config, in an
/// order the kernel accepts, with their directories resolved.
Result<std::vector<CgroupWrite>> plan_writes(const LiveContainer& ct, std::string_view key,
                                             std::optional<std::string_view> next) {
    auto before = generated_lines(ct, ct.config);
    if (!before)
        return std::unexpected(std::move(before).error());
    auto after = generated_lines(ct, config_with(ct, key, next));
    if (!after)
        return std::unexpected(std::move(after).error());
    std::string_view family = key == "memory" || key == "swap" ? "memory."
                              : key == "cores"                 ? "cpuset."
                                                               : "cpu.";
    auto writes = family_writes(*after, family);
    for (auto& old : family_writes(*before, family)) {
        bool kept = false;
        for (const auto& w : writes)
            kept = kept || (w.controller == old.controller && w.file == old.file);
        if (kept)
            continue;
        auto reset = unset_value(old.file);
        if (!reset)
            return fail(Errc::unsupported,
                        fmt::format("cannot reset the cgroup value {} of the running CT", old.file),
                        {.key = std::string(key)});
        old.value = std::string(*reset);
        old.inherit = old.file == "cpuset.cpus";
        writes.push_back(std::move(old));
    }

    auto mounts = read_cgroup_mounts();
    std::string lxc_conf = read_text_file(ct.host.ct_dir(ct.vmid) + "/config").value_or("");
    std::string inner = get_lxc_key(lxc_conf, "lxc.cgroup.dir.container.inner");
    for (auto& w : writes) {
        auto dir = pid_cgroup_dir(mounts, ct.init_pid, w.controller, inner);
        if (!dir)
            return fail(Errc::not_found,
                        fmt::format("no {} cgroup found for CT {}",
                                    w.controller.empty() ? "cgroup2" : w.controller, ct.vmid.value),
                        {.key = std::string(key)});
        w.dir = std::move(*dir);
        // v2's empty cpuset.cpus inherits by itself; v1 wants the parent's list spelled out.
        if (w.inherit && !w.controller.empty())
            w.value = trimmed(read_text_file(parent_dir(w.dir) + "/cpuset.cpus").value_or(""));
    }
    if (family == "cpuset.")
        return with_inner_cpusets(std::move(writes), mounts, ct.init_pid);

    // cgroup v1 keeps memsw >= memory at every moment: a raised memory limit needs the raised
    // memsw limit first, a lowered one goes first itself.
    auto find = [&](std::string_view file) {
        for (std::size_t i = 0; i < writes.size(); ++i)
            if (writes[i].file == file)
                return i;
        return writes.size();
    };
    std::size_t mem = find("memory.limit_in_bytes"), memsw = find("memory.memsw.limit_in_bytes");
    if (mem < writes.size() && memsw < writes.size() && mem < memsw) {
        auto current = read_u64_file(writes[mem].dir + "/memory.limit_in_bytes");
        if (!current || to_u64(writes[mem].value) > *current)
            std::swap(writes[mem], writes[memsw]);
    }
    return writes;
}

} // namespace

std::optional<std::string> cgroup_refusal(const LiveContainer& ct, std::string_view key,
                                          std::optional<std::string_view> next) {
    auto writes = plan_writes(ct, key, next);
    if (!writes)
        return writes.error().message;
    return std::nullopt;
}

Result<void> cgroup_hotplug(const LiveContainer& ct, std::string_view key,
                            std::optional<std::string_view> next) {
    auto writes = plan_writes(ct, key, next);
    if (!writes)
        return std::unexpected(std::move(writes).error());
    // What was there, to put back when a later write fails (a memory limit below the current
    // usage is refused by cgroup v1 with EBUSY after the other files were written).
    std::vector<std::pair<std::string, std::string>> undo;
    for (const auto& w : *writes) {
        std::string path = w.dir + "/" + w.file;
        auto old = read_text_file(path);
        if (auto ok = write_value(path, w.value); !ok) {
            for (auto it = undo.rbegin(); it != undo.rend(); ++it)
                (void)write_value(it->first, it->second);
            Error e = std::move(ok).error();
            e.key = std::string(key);
            return std::unexpected(std::move(e));
        }
        if (old)
            undo.emplace_back(path, trimmed(*old));
    }
    return {};
}

} // namespace pct::runtime::detail
