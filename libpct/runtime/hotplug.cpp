// SPDX-License-Identifier: AGPL-3.0-or-later
// hotplug.hpp: which family of keys goes where, and the generator run the families share.
#include "hotplug_impl.hpp"
#include "pct/internal/keys.hpp"

#include <pct/lxcconf.hpp>

#include <pct/storage/atomic_file.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

bool is_cgroup_key(std::string_view key) {
    return key == "memory" || key == "swap" || key == "cpulimit" || key == "cpuunits" ||
           key == "cores";
}

std::string restart_reason(std::string_view key) {
    return fmt::format("hot-plug of '{}' is not possible: applied at the next start", key);
}

} // namespace

ContainerConfig config_with(const LiveContainer& ct, std::string_view key,
                            std::optional<std::string_view> next) {
    ContainerConfig changed;
    changed.main = ct.config.main;
    if (next)
        changed.main.options.insert_or_assign(std::string(key), std::string(*next));
    else
        changed.main.options.erase(key);
    return changed;
}

Result<LxcLines> generated_lines(const LiveContainer& ct, const ContainerConfig& config) {
    auto facts = lxcconf::detect_host_for(config, ct.host.lxcpath());
    if (!facts)
        return std::unexpected(std::move(facts).error());
    lxcconf::GenerateOptions options;
    options.profile = lxcconf::Profile::native;
    options.vmid = ct.vmid.value;
    auto generated = lxcconf::generate(config, *facts, options);
    if (!generated)
        return std::unexpected(std::move(generated).error());
    LxcLines lines;
    std::string_view text = generated->config;
    while (!text.empty()) {
        auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        auto eq = line.find(" = ");
        if (eq != std::string_view::npos)
            lines.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 3)));
    }
    return lines;
}

Error hotplug_error(std::string_view key, Error e) {
    e.message = fmt::format("unable to hotplug {}: {}", key, e.message);
    e.key = std::string(key);
    return e;
}

Error errno_error(std::string_view what, int err) {
    return error(Errc::io, fmt::format("{}: {}", what, std::strerror(err)), {.sys_errno = err});
}

Result<void> write_value(const std::string& path, std::string_view value) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return fail(Errc::io, fmt::format("unable to open {}: {}", path, std::strerror(errno)),
                    {.context = path, .sys_errno = errno});
    ssize_t n = ::write(fd, value.data(), value.size());
    int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(value.size()))
        return fail(Errc::io,
                    fmt::format("unable to write '{}' to {}: {}", value, path,
                                std::strerror(n < 0 ? err : EIO)),
                    {.context = path, .sys_errno = n < 0 ? err : EIO});
    return {};
}

Result<UniqueFd> open_ct_namespace(const LiveContainer& ct, std::string_view ns) {
    auto gone = [&] {
        return fail(Errc::bad_state, fmt::format("CT {} is not running", ct.vmid.value));
    };
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, ct.init_pid, 0)));
    if (pidfd.get() < 0)
        return gone();
    std::string path = fmt::format("/proc/{}/ns/{}", ct.init_pid, ns);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        return std::unexpected(storage::io_error("open", path, errno));
    if (::syscall(SYS_pidfd_send_signal, pidfd.get(), 0, nullptr, 0) != 0)
        return gone();
    struct stat theirs {
    }, ours{};
    std::string own = fmt::format("/proc/self/ns/{}", ns);
    if (::fstat(fd.get(), &theirs) != 0 || ::stat(own.c_str(), &ours) != 0 ||
        (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino))
        return fail(Errc::bad_state,
                    fmt::format("CT {} has no {} namespace of its own", ct.vmid.value, ns));
    return fd;
}

std::optional<std::string> hotplug_refusal(const LiveContainer& ct, std::string_view key,
                                           std::optional<std::string_view> next) {
    if (ct.init_pid <= 0)
        return fmt::format("CT {} is not running", ct.vmid.value);
    if (is_cgroup_key(key))
        return cgroup_refusal(ct, key, next);
    if (pct::detail::is_net_key(key))
        return net_refusal(ct, key, next);
    if (pct::detail::is_mp_key(key))
        return mount_refusal(ct, key, next);
    if (pct::detail::is_dev_key(key))
        return dev_refusal(ct, key, next);
    return restart_reason(key);
}

Result<void> hotplug(const LiveContainer& ct, std::string_view key,
                     std::optional<std::string_view> next) {
    if (auto why = hotplug_refusal(ct, key, next))
        return fail(Errc::unsupported, *why, {.key = std::string(key)});
    if (is_cgroup_key(key))
        return cgroup_hotplug(ct, key, next);
    if (pct::detail::is_net_key(key))
        return net_hotplug(ct, key, next);
    if (pct::detail::is_dev_key(key))
        return dev_hotplug(ct, key, next);
    return mount_hotplug(ct, key, next);
}

} // namespace pct::runtime::detail
