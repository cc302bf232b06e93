// SPDX-License-Identifier: AGPL-3.0-or-later
// Id maps of mount points (§4.7): the overlap check, the disk -> host map of a per-mount
// `idmap`, and the user namespace an id-mapped mount (mount_setattr MOUNT_ATTR_IDMAP) needs.
#include "mount.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <numeric>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

std::string entry_text(const IdMapEntry& e) {
    return fmt::format("{} {} {} {}", e.kind, e.ct, e.host, e.count);
}

/// The first overlap among `entries` (indices of one type) on the container or host side, in
/// O(n log n): sorted by start, each range is compared with the furthest-reaching one before.
Result<void> check_side(std::span<const IdMapEntry> all, std::vector<std::size_t> idx, bool host) {
    auto start = [&](std::size_t i) { return host ? all[i].host : all[i].ct; };
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return start(a) < start(b); });
    std::optional<std::size_t> reach;
    for (std::size_t i : idx) {
        if (reach && start(i) < start(*reach) + all[*reach].count) {
            const auto& bad = all[i];
            return fail(
                Errc::invalid_argument,
                fmt::format("invalid map entry '{}': {} {}id {} is also mapped by entry '{}'",
                            entry_text(bad), host ? "host" : "container",
                            bad.kind == 'u' ? 'u' : 'g', start(i), entry_text(all[*reach])),
                {.key = "lxc.idmap"});
        }
        if (!reach || start(i) + all[i].count > start(*reach) + all[*reach].count)
            reach = i;
    }
    return {};
}

} // namespace

Result<void> validate_id_maps(std::span<const IdMapEntry> entries) {
    for (char kind : {'u', 'g'}) {
        std::vector<std::size_t> idx;
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i].kind == kind)
                idx.push_back(i);
        if (auto ok = check_side(entries, idx, false); !ok)
            return ok;
        if (auto ok = check_side(entries, idx, true); !ok)
            return ok;
    }
    return {};
}

std::vector<IdMapEntry> resolve_mount_idmap(const MountPoint& mp,
                                            std::span<const IdMapEntry> ct_map) {
    if (mp.idmap_passthrough.value_or(false))
        return {ct_map.begin(), ct_map.end()};
    std::vector<IdMapEntry> out;
    for (const auto& chunk : ct_map) {
        std::uint64_t end = chunk.ct + chunk.count;
        // The entries of this type that cover part of the chunk, by CT start.
        std::vector<IdMapEntry> covering;
        for (const auto& e : mp.idmap)
            if (e.kind == chunk.kind && e.ct < end && e.ct + e.count > chunk.ct)
                covering.push_back(e);
        std::sort(covering.begin(), covering.end(),
                  [](const IdMapEntry& a, const IdMapEntry& b) { return a.ct < b.ct; });
        std::uint64_t at = chunk.ct;
        auto identity = [&](std::uint64_t from, std::uint64_t to) {
            if (to > from)
                out.push_back({chunk.kind, chunk.host + (from - chunk.ct),
                               chunk.host + (from - chunk.ct), to - from});
        };
        for (const auto& e : covering) {
            std::uint64_t a = std::max(e.ct, at);
            std::uint64_t b = std::min(e.ct + e.count, end);
            if (b <= a)
                continue;
            identity(at, a);
            // Disk id (the entry's `host` side) -> the chunk's host id for that CT id.
            out.push_back({chunk.kind, e.host + (a - e.ct), chunk.host + (a - chunk.ct), b - a});
            at = b;
        }
        identity(at, end);
    }
    return out;
}

Result<UniqueFd> user_namespace_for(std::span<const IdMapEntry> map) {
    // A child that only unshares its user namespace and waits; this process writes its maps
    // (as root in the parent namespace, no setgroups deny needed) and keeps the ns by fd.
    int ready[2], done[2];
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return fail(Errc::io, "pipe for the id map namespace", {.sys_errno = errno});
    if (::pipe2(done, O_CLOEXEC) != 0) {
        int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        return fail(Errc::io, "pipe for the id map namespace", {.sys_errno = err});
    }
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(done[1]);
        ::close(ready[0]);
        char c = ::unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
        (void)!::write(ready[1], &c, 1);
        (void)!::read(done[0], &c, 1);
        ::_exit(0);
    }
    ::close(ready[1]);
    ::close(done[0]);
    UniqueFd done_w(done[1]);
    UniqueFd ready_r(ready[0]);
    auto reap = [&] {
        done_w.reset();
        int status = 0;
        ::waitpid(pid, &status, 0);
    };
    if (pid < 0)
        return fail(Errc::io, "fork for the id map namespace", {.sys_errno = errno});
    char c = 'n';
    if (::read(ready_r.get(), &c, 1) != 1 || c != 'y') {
        reap();
        return fail(Errc::io, "cannot create a user namespace for an id-mapped mount");
    }
    for (char kind : {'u', 'g'}) {
        std::string text;
        for (const auto& e : map)
            if (e.kind == kind)
                text += fmt::format("{} {} {}\n", e.ct, e.host, e.count);
        std::string file = fmt::format("/proc/{}/{}id_map", pid, kind);
        int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
        bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == ssize_t(text.size());
        int err = errno;
        if (fd >= 0)
            ::close(fd);
        if (!ok) {
            reap();
            return fail(Errc::io, fmt::format("writing {}: {}", file, std::strerror(err)),
                        {.sys_errno = err});
        }
    }
    UniqueFd ns(::open(fmt::format("/proc/{}/ns/user", pid).c_str(), O_RDONLY | O_CLOEXEC));
    int err = errno;
    reap();
    if (ns.get() < 0)
        return fail(Errc::io, "cannot open the id map user namespace", {.sys_errno = err});
    return ns;
}

} // namespace pct::runtime::detail
