// SPDX-License-Identifier: AGPL-3.0-or-later
// The no-follow walk (§4.2), the mount option filter (§4.3) and bind mounts with Proxmox's
// verification (§4.4).
#include "mount.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

BindTestHook g_bind_hook = nullptr;
void* g_bind_hook_arg = nullptr;

void bind_hook(BindPhase phase, const std::string& source) {
    if (g_bind_hook)
        g_bind_hook(phase, source, g_bind_hook_arg);
}

std::string clean_path(std::string_view path) {
    std::string out;
    for (char c : path) {
        if (c == '/' && !out.empty() && out.back() == '/')
            continue;
        out += c;
    }
    while (out.size() > 1 && out.back() == '/')
        out.pop_back();
    return out;
}

std::string errno_text(int err) { return std::strerror(err); }

} // namespace

Result<WalkedDir> walk_nofollow(const std::string& start, std::string_view subdir, bool create,
                                std::optional<Owner> owner) {
    WalkedDir out;
    out.path = clean_path(start);
    out.fd.reset(::open(out.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (out.fd.get() < 0) {
        int err = errno;
        return fail(Errc::not_found,
                    fmt::format("failed to open start directory {}: {}", out.path, errno_text(err)),
                    {.context = out.path});
    }
    std::size_t pos = 0;
    while (pos < subdir.size()) {
        auto slash = subdir.find('/', pos);
        std::string_view comp =
            subdir.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
        pos = slash == std::string_view::npos ? subdir.size() : slash + 1;
        if (comp.empty())
            continue;
        // Proxmox's schema refuses them in `mp` (verify_lxc_mp_string); here they would
        // climb out of the start directory.
        if (comp == "." || comp == "..")
            return fail(Errc::invalid_argument,
                        fmt::format("'{}' contains illegal character sequences", subdir),
                        {.context = out.path});
        std::string name(comp);
        std::string dir = (out.path == "/" ? "" : out.path) + "/" + name;
        int next =
            ::openat(out.fd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
        if (next < 0) {
            int err = errno;
            if (err == ELOOP || err == ENOTDIR)
                return fail(Errc::invalid_argument, "symlink encountered at: " + dir,
                            {.context = dir});
            if (!create)
                return fail(Errc::not_found,
                            fmt::format("cannot open directory {}: {}", dir, errno_text(err)),
                            {.context = dir});
            // Errors ignored as in Proxmox: EEXIST is expected when starts race; a symlink put
            // there meanwhile makes the openat below fail.
            (void)::mkdirat(out.fd.get(), name.c_str(), 0755);
            next = ::openat(out.fd.get(), name.c_str(),
                            O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
            if (next < 0) {
                err = errno;
                if (err == ELOOP || err == ENOTDIR)
                    return fail(Errc::invalid_argument, "symlink encountered at: " + dir,
                                {.context = dir});
                return fail(Errc::io,
                            fmt::format("failed to create path: {}: {}", dir, errno_text(err)),
                            {.context = dir, .sys_errno = err});
            }
            if (owner && ::fchown(next, owner->uid, owner->gid) != 0) {
                err = errno;
                ::close(next);
                return fail(
                    Errc::io,
                    fmt::format("failed to change ownership of {}: {}", dir, errno_text(err)),
                    {.context = dir, .sys_errno = err});
            }
        }
        out.parent = std::move(out.fd);
        out.fd.reset(next);
        out.last = std::move(name);
        out.path = std::move(dir);
    }
    return out;
}

std::vector<std::string> mount_options(const MountPoint& mp, bool read_only) {
    std::vector<std::string> out;
    if (mp.mountoptions) {
        std::string_view rest = *mp.mountoptions;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view opt = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            bool rw_only = opt == "discard" || opt == "lazytime" || opt == "noatime";
            bool always = opt == "nodev" || opt == "noexec" || opt == "nosuid";
            if (always || (rw_only && !read_only))
                out.emplace_back(opt);
        }
    }
    // acl=0 would add `noacl` in Proxmox only after the options were joined: never passed.
    if (mp.acl.value_or(false))
        out.emplace_back("acl");
    return out;
}

void set_bind_test_hook(BindTestHook hook, void* arg) noexcept {
    g_bind_hook = hook;
    g_bind_hook_arg = arg;
}

namespace {

/// The per-mount flags of the options mount(2) applies to a bind mount (the filesystem ones,
/// `acl` and `discard`, belong to the mounted filesystem and are left alone by a bind).
unsigned long bind_flags(const std::vector<std::string>& options) {
    unsigned long flags = 0;
    for (const auto& o : options) {
        if (o == "nodev")
            flags |= MS_NODEV;
        else if (o == "noexec")
            flags |= MS_NOEXEC;
        else if (o == "nosuid")
            flags |= MS_NOSUID;
        else if (o == "noatime")
            flags |= MS_NOATIME;
        else if (o == "lazytime")
            flags |= MS_LAZYTIME;
    }
    return flags;
}

/// The mounted target, re-opened from its parent (or by path for the start directory).
int reopen_target(const WalkedDir& target) {
    if (target.parent.get() >= 0)
        return ::openat(target.parent.get(), target.last.c_str(),
                        O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
    return ::open(target.path.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
}

} // namespace

Result<void> bind_mount(const std::string& source, const WalkedDir& target, bool ro,
                        const std::vector<std::string>& options) {
    auto src = walk_nofollow("/", source, false);
    if (!src)
        return std::unexpected(std::move(src).error());
    struct stat src_st {};
    if (::fstat(src->fd.get(), &src_st) != 0)
        return std::unexpected(storage::io_error("stat", source, errno));
    bind_hook(BindPhase::opened, source);

    std::string fd_path = fmt::format("/proc/self/fd/{}", target.fd.get());
    // The source by its path, as Proxmox mounts it: the verification below catches a path
    // that no longer leads to the directory opened above.
    if (::mount(src->path.c_str(), fd_path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
        int err = errno;
        return fail(Errc::io,
                    fmt::format("bind mount of '{}' on '{}' failed: {}", source, target.path,
                                errno_text(err)),
                    {.context = target.path, .sys_errno = err});
    }
    auto undo = [&] { ::umount2(target.path.c_str(), MNT_DETACH); };
    bind_hook(BindPhase::mounted, source);

    unsigned long flags = bind_flags(options);
    if (ro || flags != 0) {
        UniqueFd top(reopen_target(target));
        std::string top_path = fmt::format("/proc/self/fd/{}", top.get());
        if (top.get() < 0 ||
            ::mount(nullptr, top_path.c_str(), nullptr,
                    MS_REMOUNT | MS_BIND | flags | (ro ? MS_RDONLY : 0), nullptr) != 0) {
            int err = errno;
            undo();
            return fail(Errc::io, fmt::format("bindmount error: {}", errno_text(err)),
                        {.context = target.path, .sys_errno = err});
        }
    }
    bind_hook(BindPhase::remounted, source);

    UniqueFd mounted(reopen_target(target));
    if (mounted.get() < 0) {
        int err = errno;
        undo();
        return fail(Errc::io, fmt::format("failed to open mount point: {}", errno_text(err)),
                    {.context = target.path, .sys_errno = err});
    }
    struct stat dst_st {};
    if (::fstat(mounted.get(), &dst_st) != 0 || dst_st.st_dev != src_st.st_dev ||
        dst_st.st_ino != src_st.st_ino) {
        undo();
        return fail(Errc::io, "detected mount path change at: " + source, {.context = target.path});
    }
    if (ro && target.parent.get() >= 0) {
        if (::faccessat(target.parent.get(), target.last.c_str(), W_OK, AT_EACCESS) == 0) {
            undo();
            return fail(Errc::io, "failed to mark bind mount read only", {.context = target.path});
        }
        if (errno != EROFS) {
            int err = errno;
            undo();
            return fail(Errc::io, fmt::format("read-only check failed: {}", errno_text(err)),
                        {.context = target.path, .sys_errno = err});
        }
    }
    return {};
}

} // namespace pct::runtime::detail
