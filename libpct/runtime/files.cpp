// SPDX-License-Identifier: AGPL-3.0-or-later
// pct push / pct pull (include/pct/runtime/files.hpp): container paths resolved with openat2
// inside /proc/PID/root of the container's init, owners mapped through its id map.
#include "id_map.hpp"
#include "impl.hpp"
#include "unique_fd.hpp"

#include <pct/runtime/files.hpp>
#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace pct::runtime {

namespace {

using detail::UniqueFd;

constexpr std::uint64_t resolve_in_ct = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
constexpr std::size_t max_account_file = 1 << 20; // /etc/passwd, /etc/group read by the host

int open_in(int root, const std::string& path, std::uint64_t flags, std::uint64_t mode = 0) {
    open_how how{};
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve_in_ct;
    return static_cast<int>(::syscall(SYS_openat2, root, path.c_str(), &how, sizeof how));
}

/// The container's root directory, as its init sees it. The pidfd taken before the open
/// proves that the directory is that process's, not one of a process that reused the PID.
Result<UniqueFd> open_ct_root(const Container& ct, const char* refusal) {
    int pid = ct.init_pid();
    if (pid <= 0)
        return fail(Errc::bad_state, refusal);
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (pidfd.get() < 0)
        return fail(Errc::bad_state, refusal);
    std::string path = fmt::format("/proc/{}/root", pid);
    UniqueFd root(::open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (root.get() < 0)
        return std::unexpected(storage::io_error("open", path, errno));
    if (::syscall(SYS_pidfd_send_signal, pidfd.get(), 0, nullptr, 0) != 0)
        return fail(Errc::bad_state, refusal);
    return root;
}

std::optional<std::uint32_t> numeric_id(std::string_view text) {
    std::uint32_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return id;
}

/// The id of `name` in the container's `/etc/passwd` or `/etc/group` (field 3 of its line).
Result<std::uint32_t> ct_account_id(int root, const char* file, std::string_view name,
                                    const char* what) {
    if (auto id = numeric_id(name))
        return *id;
    auto unknown = [&] {
        return fail(Errc::not_found, fmt::format("unknown {} '{}'", what, name), {.context = file});
    };
    UniqueFd fd(open_in(root, file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return unknown();
    std::string text;
    char buf[65536];
    for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || text.size() + static_cast<std::size_t>(n) > max_account_file)
            return unknown();
        text.append(buf, static_cast<std::size_t>(n));
    }
    std::string_view rest = text;
    while (!rest.empty()) {
        std::string_view line = rest.substr(0, rest.find('\n'));
        rest.remove_prefix(std::min(rest.size(), line.size() + 1));
        std::string_view fields[3];
        std::size_t i = 0;
        for (std::string_view l = line; i < 3; ++i) {
            fields[i] = l.substr(0, l.find(':'));
            if (fields[i].size() == l.size()) {
                ++i;
                break;
            }
            l.remove_prefix(fields[i].size() + 1);
        }
        if (i == 3 && fields[0] == name)
            if (auto id = numeric_id(fields[2]))
                return *id;
    }
    return unknown();
}

/// The host id of container id `id` (identity for a privileged CT).
Result<std::uint32_t> host_id(const detail::IdMap& map, char kind, std::uint32_t id) {
    if (map.empty())
        return id;
    for (const auto& e : map.entries)
        if (e.kind == kind && id >= e.ct && id - e.ct < e.count)
            return static_cast<std::uint32_t>(e.host + (id - e.ct));
    return fail(Errc::invalid_argument, fmt::format("{} id {} is not mapped in the container",
                                                    kind == 'u' ? "user" : "group", id));
}

Result<std::uint32_t> host_account_id(const std::string& name, bool user) {
    if (auto id = numeric_id(name))
        return *id;
    std::vector<char> buf(16384);
    if (user) {
        passwd pw{}, *found = nullptr;
        if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) == 0 && found)
            return found->pw_uid;
    } else {
        group gr{}, *found = nullptr;
        if (::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) == 0 && found)
            return found->gr_gid;
    }
    return fail(Errc::not_found, fmt::format("unknown {} '{}'", user ? "user" : "group", name));
}

/// An opened regular file; a FIFO, device or directory is refused before any read or write
/// (O_NONBLOCK keeps the open itself from waiting on a FIFO).
Result<void> require_regular(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return std::unexpected(storage::io_error("stat", path, errno));
    if (!S_ISREG(st.st_mode))
        return fail(Errc::invalid_argument, fmt::format("'{}' is not a regular file", path),
                    {.context = path});
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return {};
}

/// Copies bytes [`from`, `to`) of `in` to the same offsets of `out`: copy_file_range
/// (in-kernel, reflinks where the file system can), pread/pwrite where it cannot (across file
/// systems). Stops early when `in` shrank meanwhile.
Result<void> copy_range(int in, int out, off_t pos, off_t end, const std::string& src,
                        const std::string& dst) {
    bool kernel_copy = true;
    std::vector<char> buf;
    while (pos < end) {
        auto want = static_cast<std::size_t>(std::min<off_t>(end - pos, off_t{1} << 30));
        if (kernel_copy) {
            off_t in_off = pos, out_off = pos;
            ssize_t n = ::copy_file_range(in, &in_off, out, &out_off, want, 0);
            if (n == 0)
                return {};
            if (n > 0) {
                pos += n;
                continue;
            }
            if (errno == EINTR)
                continue;
            if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
                return std::unexpected(storage::io_error("copy", src + " to " + dst, errno));
            kernel_copy = false;
            buf.resize(1 << 20);
        }
        ssize_t n = ::pread(in, buf.data(), std::min(want, buf.size()), pos);
        if (n == 0)
            return {};
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(storage::io_error("read", src, errno));
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w =
                ::pwrite(out, buf.data() + done, static_cast<std::size_t>(n - done), pos + done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return std::unexpected(storage::io_error("write", dst, errno));
            done += w;
        }
        pos += n;
    }
    return {};
}

/// Copies the regular file `in` into the empty file `out`: its data extents only
/// (SEEK_DATA/SEEK_HOLE), so a sparse file stays sparse and a file of any apparent size costs
/// only its data, and no further than the size `in` had when the copy began, so a file that
/// the container keeps growing cannot make the copy endless.
Result<void> copy_file(int in, int out, const std::string& src, const std::string& dst) {
    struct stat st {};
    if (::fstat(in, &st) != 0)
        return std::unexpected(storage::io_error("stat", src, errno));
    const off_t size = st.st_size;
    for (off_t pos = 0; pos < size;) {
        off_t data = ::lseek(in, pos, SEEK_DATA);
        off_t hole = size;
        if (data < 0 && errno == ENXIO)
            break; // only a hole up to the end
        if (data < 0)
            data = pos; // no hole support: all data
        else if (off_t h = ::lseek(in, data, SEEK_HOLE); h >= 0)
            hole = std::min(h, size);
        if (data >= size)
            break;
        if (auto ok = copy_range(in, out, data, hole, src, dst); !ok)
            return ok;
        pos = hole;
    }
    if (::ftruncate(out, size) != 0) // the trailing hole, if any
        return std::unexpected(storage::io_error("truncate", dst, errno));
    return {};
}

/// Owner, mode and content of the opened destination `out` (`created`: it is new).
Result<void> finish(int in, int out, const std::string& from, const std::string& to,
                    std::optional<std::uint32_t> uid, std::optional<std::uint32_t> gid,
                    std::optional<std::uint32_t> perms, bool created) {
    if (auto ok = require_regular(out, to); !ok)
        return ok;
    if (::ftruncate(out, 0) != 0)
        return std::unexpected(storage::io_error("truncate", to, errno));
    if ((uid || gid) && ::fchown(out, uid ? *uid : static_cast<uid_t>(-1),
                                 gid ? *gid : static_cast<gid_t>(-1)) != 0)
        return std::unexpected(storage::io_error("chown", to, errno));
    // After the chown, which clears setuid/setgid bits.
    if ((perms || created) && ::fchmod(out, perms.value_or(0644)) != 0)
        return std::unexpected(storage::io_error("chmod", to, errno));
    return copy_file(in, out, from, to);
}

Result<UniqueFd> open_source(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) {
        Error e = storage::io_error("open", path, errno);
        if (errno == ENOENT)
            e.code = Errc::not_found;
        return std::unexpected(std::move(e));
    }
    if (auto ok = require_regular(fd.get(), path); !ok)
        return std::unexpected(std::move(ok).error());
    return fd;
}

Result<std::optional<std::uint32_t>> check_perms(const FileCopyOptions& o) {
    if (o.perms && *o.perms > 07777)
        return fail(Errc::invalid_argument, fmt::format("invalid perms {:o}", *o.perms),
                    {.key = "perms"});
    return o.perms;
}

} // namespace

Result<std::uint32_t> parse_perms(std::string_view text) {
    std::string_view digits = text;
    int base = 8;
    if (digits.starts_with("0x") || digits.starts_with("0X")) {
        digits.remove_prefix(2);
        base = 16;
    }
    std::uint32_t mode = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mode, base);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || mode > 07777)
        return fail(
            Errc::invalid_argument,
            fmt::format(
                "invalid perms '{}': expected an octal (or 0x hexadecimal) mode up to 07777", text),
            {.key = "perms"});
    return mode;
}

Result<void> push(const Container& ct, const std::string& source, const std::string& destination,
                  const FileCopyOptions& options) {
    auto perms = check_perms(options);
    if (!perms)
        return std::unexpected(std::move(perms).error());
    auto root = open_ct_root(ct, "can only push files to a running CT");
    if (!root)
        return std::unexpected(std::move(root).error());
    std::size_t slash = destination.rfind('/');
    std::string name = slash == std::string::npos ? "" : destination.substr(slash + 1);
    if (destination.empty() || destination.front() != '/' || name.empty() || name == "." ||
        name == "..")
        return fail(Errc::invalid_argument,
                    fmt::format("destination '{}' must be an absolute file path", destination));
    auto src = open_source(source);
    if (!src)
        return std::unexpected(std::move(src).error());

    const storage::Host& host = ct.host();
    auto conf = host.read_config(ct.vmid());
    if (!conf)
        return std::unexpected(std::move(conf).error());
    auto settings = detail::settings_of(conf->config, host.config_path(ct.vmid()));
    if (!settings)
        return std::unexpected(std::move(settings).error());
    auto map = detail::container_id_map(conf->config.main, settings->unprivileged.value_or(false));
    if (!map)
        return std::unexpected(std::move(map).error());
    auto ct_uid = ct_account_id(root->get(), "/etc/passwd", options.user.value_or("0"), "user");
    if (!ct_uid)
        return std::unexpected(std::move(ct_uid).error());
    auto ct_gid = ct_account_id(root->get(), "/etc/group", options.group.value_or("0"), "group");
    if (!ct_gid)
        return std::unexpected(std::move(ct_gid).error());
    auto uid = host_id(*map, 'u', *ct_uid);
    if (!uid)
        return std::unexpected(std::move(uid).error());
    auto gid = host_id(*map, 'g', *ct_gid);
    if (!gid)
        return std::unexpected(std::move(gid).error());

    std::string dir = destination.substr(0, slash + 1);
    UniqueFd parent(open_in(root->get(), dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (parent.get() < 0) {
        Error e = storage::io_error("open directory", dir, errno);
        if (errno == ENOENT)
            e.code = Errc::not_found;
        return std::unexpected(std::move(e));
    }
    // The last component is never followed: a symlink there is refused, not written through.
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW;
    bool created = true;
    UniqueFd out(::openat(parent.get(), name.c_str(), flags | O_CREAT | O_EXCL, 0600));
    if (out.get() < 0 && errno == EEXIST) {
        created = false;
        out.reset(::openat(parent.get(), name.c_str(), flags));
    }
    if (out.get() < 0) {
        int err = errno;
        if (err == ELOOP)
            return fail(Errc::invalid_argument,
                        fmt::format("'{}' is a symlink: refusing to write through it", destination),
                        {.context = destination});
        return std::unexpected(storage::io_error("create", destination, err));
    }
    return finish(src->get(), out.get(), source, destination, *uid, *gid, *perms, created);
}

Result<void> pull(const Container& ct, const std::string& source, const std::string& destination,
                  const FileCopyOptions& options) {
    auto perms = check_perms(options);
    if (!perms)
        return std::unexpected(std::move(perms).error());
    auto root = open_ct_root(ct, "can only pull files from a running CT");
    if (!root)
        return std::unexpected(std::move(root).error());
    if (source.empty() || source.front() != '/')
        return fail(Errc::invalid_argument,
                    fmt::format("path '{}' must be an absolute path", source));
    std::optional<std::uint32_t> uid, gid;
    if (options.user) {
        auto id = host_account_id(*options.user, true);
        if (!id)
            return std::unexpected(std::move(id).error());
        uid = *id;
    }
    if (options.group) {
        auto id = host_account_id(*options.group, false);
        if (!id)
            return std::unexpected(std::move(id).error());
        gid = *id;
    }
    UniqueFd in(open_in(root->get(), source, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (in.get() < 0) {
        Error e = storage::io_error("open", source, errno);
        if (errno == ENOENT)
            e.code = Errc::not_found;
        return std::unexpected(std::move(e));
    }
    if (auto ok = require_regular(in.get(), source); !ok)
        return ok;
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW;
    bool created = true;
    UniqueFd out(::open(destination.c_str(), flags | O_CREAT | O_EXCL, 0600));
    if (out.get() < 0 && errno == EEXIST) {
        created = false;
        out.reset(::open(destination.c_str(), flags));
    }
    if (out.get() < 0) {
        int err = errno;
        if (err == ELOOP)
            return fail(Errc::invalid_argument,
                        fmt::format("'{}' is a symlink: refusing to write through it", destination),
                        {.context = destination});
        Error e = storage::io_error("create", destination, err);
        if (err == ENOENT)
            e.code = Errc::not_found;
        return std::unexpected(std::move(e));
    }
    return finish(in.get(), out.get(), source, destination, uid, gid, *perms, created);
}

} // namespace pct::runtime
