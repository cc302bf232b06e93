// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_root.hpp"

#include "helpers.hpp"
#include "pct/internal/open_regular.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pct::runtime::detail::setup {

namespace {

// The largest container file the setup reads (hosts, interfaces, inittab, passwd, ...): far
// above any real one.
constexpr std::size_t max_file_size = std::size_t{1} << 20;

} // namespace

std::string relative(std::string_view path) {
    std::string out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        auto slash = path.find('/', pos);
        auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > pos) {
            if (!out.empty())
                out += '/';
            out.append(path.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    return out;
}

Result<CtRoot> CtRoot::open(const std::string& rootfs, std::optional<Owner> owner) {
    int fd = ::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return std::unexpected(storage::io_error("open rootfs", rootfs, errno));
    return CtRoot(rootfs, UniqueFd(fd), owner);
}

std::string CtRoot::shown(std::string_view path) const { return m_rootfs + "/" + relative(path); }

int CtRoot::open_path(const std::string& rel, bool follow_last) const {
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC | (follow_last ? 0 : O_NOFOLLOW);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    const char* p = rel.empty() ? "." : rel.c_str();
    return static_cast<int>(::syscall(SYS_openat2, m_fd.get(), p, &how, sizeof how));
}

CtRoot::Parent CtRoot::parent_of(std::string_view path) const {
    std::string rel = relative(path);
    auto slash = rel.rfind('/');
    std::string dir = slash == std::string::npos ? std::string() : rel.substr(0, slash);
    std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    UniqueFd fd(open_path(dir, true));
    int error = fd.get() < 0 ? errno : 0;
    struct stat st {};
    if (fd.get() >= 0 && (::fstat(fd.get(), &st) != 0 || !S_ISDIR(st.st_mode))) {
        fd.reset();
        error = ENOTDIR;
    }
    return {std::move(fd), std::move(name), error};
}

std::optional<struct stat> CtRoot::stat_follow(std::string_view path) const {
    UniqueFd fd(open_path(relative(path), true));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
        return std::nullopt;
    return st;
}

bool CtRoot::is_file(std::string_view path) const {
    auto st = stat_follow(path);
    return st && S_ISREG(st->st_mode);
}

bool CtRoot::is_dir(std::string_view path) const {
    auto st = stat_follow(path);
    return st && S_ISDIR(st->st_mode);
}

bool CtRoot::is_executable(std::string_view path) const {
    auto st = stat_follow(path);
    return st && (S_ISDIR(st->st_mode) || (st->st_mode & 0111) != 0);
}

bool CtRoot::exists(std::string_view path) const { return stat_follow(path).has_value(); }

bool CtRoot::is_symlink(std::string_view path) const {
    auto p = parent_of(path);
    struct stat st {};
    return p.dir.get() >= 0 && !p.name.empty() &&
           ::fstatat(p.dir.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISLNK(st.st_mode);
}

std::optional<std::string> CtRoot::readlink(std::string_view path) const {
    auto p = parent_of(path);
    if (p.dir.get() < 0 || p.name.empty())
        return std::nullopt;
    char buf[4096];
    ssize_t n = ::readlinkat(p.dir.get(), p.name.c_str(), buf, sizeof buf);
    if (n < 0 || static_cast<std::size_t>(n) >= sizeof buf)
        return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
}

bool CtRoot::same_file(std::string_view a, std::string_view b) const {
    auto sa = stat_follow(a), sb = stat_follow(b);
    return sa && sb && sa->st_dev == sb->st_dev && sa->st_ino == sb->st_ino;
}

Result<std::optional<std::string>> CtRoot::read(std::string_view path) const {
    UniqueFd path_fd(open_path(relative(path), true));
    if (path_fd.get() < 0)
        return std::nullopt;
    struct stat st {};
    UniqueFd fd(storage::detail::reopen_if_regular(path_fd.get(), st));
    if (fd.get() < 0)
        return std::nullopt;
    auto too_large = [&] {
        std::string file = shown(path);
        return fail(
            Errc::invalid_argument,
            fmt::format("file '{}' is larger than {} bytes: not rewritten", file, max_file_size),
            {.context = file});
    };
    if (static_cast<std::uint64_t>(st.st_size) > max_file_size)
        return too_large();
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(storage::io_error("read", shown(path), errno));
        }
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_file_size) // grown since fstat()
            return too_large();
    }
    return out;
}

bool CtRoot::ignored(std::string_view path) const {
    std::string rel = relative(path);
    auto slash = rel.rfind('/');
    std::string dir = slash == std::string::npos ? std::string() : rel.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    return !name.empty() && is_file(dir + ".pve-ignore." + name);
}

std::optional<mode_t> CtRoot::mode_of(std::string_view path) const {
    auto st = stat_follow(path);
    return st ? std::optional<mode_t>(st->st_mode & 07777) : std::nullopt;
}

std::optional<Owner> CtRoot::owner_of(std::string_view path) const {
    auto st = stat_follow(path);
    return st ? std::optional<Owner>(Owner{st->st_uid, st->st_gid}) : std::nullopt;
}

std::vector<std::string> CtRoot::list_dir(std::string_view path) const {
    std::vector<std::string> names;
    UniqueFd pfd(open_path(relative(path), true));
    if (pfd.get() < 0)
        return names;
    int fd = ::openat(pfd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return names;
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return names;
    }
    while (auto* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..")
            names.push_back(std::move(name));
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

Result<void> CtRoot::write(std::string_view path, std::string_view data, mode_t mode,
                           std::optional<Owner> owner) const {
    if (ignored(path))
        return {};
    if (!owner)
        owner = m_owner;
    std::string file = shown(path);
    auto p = parent_of(path);
    if (p.dir.get() < 0 || p.name.empty())
        return std::unexpected(
            storage::io_error("open directory for", file, p.error ? p.error : EISDIR));
    int dfd = p.dir.get();
    if (holds_exactly(dfd, p.name, data, mode, owner))
        return {};
    std::string tmp = fmt::format(".{}.pct-tmp.{}", p.name, ::getpid());
    auto create = [&] {
        return ::openat(dfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        mode);
    };
    int raw = create();
    if (raw < 0 && errno == EEXIST) { // left by a killed writer of the same pid
        ::unlinkat(dfd, tmp.c_str(), 0);
        raw = create();
    }
    if (raw < 0)
        return std::unexpected(storage::io_error("create", file, errno));
    UniqueFd fd(raw);
    auto failed = [&](const char* what, int err) {
        ::unlinkat(dfd, tmp.c_str(), 0);
        return std::unexpected(storage::io_error(what, file, err));
    };
    std::string_view rest = data;
    while (!rest.empty()) {
        ssize_t n = ::write(fd.get(), rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failed("write", errno);
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // On the descriptor, so nothing the container placed under the name is chowned; chown
    // first, as it clears set-id bits that fchmod would have set.
    if (owner && ::fchown(fd.get(), owner->uid, owner->gid) != 0)
        return failed("chown", errno);
    if (::fchmod(fd.get(), mode) != 0)
        return failed("chmod", errno);
    fd.reset();
    if (::renameat(dfd, tmp.c_str(), dfd, p.name.c_str()) != 0)
        return failed("rename", errno);
    return {};
}

bool CtRoot::mkdir(std::string_view path, mode_t mode) const {
    auto p = parent_of(path);
    if (p.dir.get() < 0 || p.name.empty() || ::mkdirat(p.dir.get(), p.name.c_str(), mode) != 0)
        return false;
    if (m_owner)
        ::fchownat(p.dir.get(), p.name.c_str(), m_owner->uid, m_owner->gid, AT_SYMLINK_NOFOLLOW);
    return true;
}

Result<void> CtRoot::make_path(std::string_view path) const {
    std::string rel = relative(path);
    std::string sofar;
    std::size_t pos = 0;
    while (pos <= rel.size() && !rel.empty()) {
        auto slash = rel.find('/', pos);
        auto end = slash == std::string::npos ? rel.size() : slash;
        sofar = rel.substr(0, end);
        if (!is_dir(sofar) && !mkdir(sofar, 0755) && !is_dir(sofar))
            return std::unexpected(storage::io_error("mkdir", shown(sofar), errno));
        if (slash == std::string::npos)
            break;
        pos = slash + 1;
    }
    return {};
}

void CtRoot::unlink(std::string_view path) const {
    if (ignored(path))
        return;
    auto p = parent_of(path);
    if (p.dir.get() >= 0 && !p.name.empty())
        ::unlinkat(p.dir.get(), p.name.c_str(), 0);
}

bool CtRoot::rename(std::string_view from, std::string_view to) const {
    if (ignored(to))
        return true;
    auto a = parent_of(from), b = parent_of(to);
    return a.dir.get() >= 0 && b.dir.get() >= 0 && !a.name.empty() && !b.name.empty() &&
           ::renameat(a.dir.get(), a.name.c_str(), b.dir.get(), b.name.c_str()) == 0;
}

bool CtRoot::symlink(std::string_view target, std::string_view path) const {
    if (ignored(path))
        return false;
    auto p = parent_of(path);
    std::string t(target);
    if (p.dir.get() < 0 || p.name.empty() ||
        ::symlinkat(t.c_str(), p.dir.get(), p.name.c_str()) != 0)
        return false;
    if (m_owner)
        ::fchownat(p.dir.get(), p.name.c_str(), m_owner->uid, m_owner->gid, AT_SYMLINK_NOFOLLOW);
    return true;
}

} // namespace pct::runtime::detail::setup
