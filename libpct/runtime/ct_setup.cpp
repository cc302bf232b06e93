// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_setup.hpp"
#include "helpers.hpp"
#include "unique_fd.hpp"

#include "pct/internal/open_regular.hpp"

#include <pct/storage/atomic_file.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

constexpr std::string_view begin_marker = "# --- BEGIN PVE ---";
constexpr std::string_view end_marker = "# --- END PVE ---";

// The largest file of the container's libpct reads to rewrite (etc/hosts, etc/resolv.conf,
// etc/network/interfaces): far above any real one, and the host reads no more of the
// container's data than that.
constexpr std::size_t max_setup_file_size = std::size_t{1} << 20;

int open_in_root(int rootfd, const std::string& rel, std::uint64_t flags) {
    open_how how{};
    how.flags = flags | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return static_cast<int>(::syscall(SYS_openat2, rootfd, rel.c_str(), &how, sizeof how));
}

// The text of `rel`, resolved inside the root (a symlink too: etc/os-release usually is one):
// nullopt when it is missing or not a regular file (then never opened: a device node the
// container planted there, see open_regular.hpp);
// an error, naming `shown`, when it is larger than max_setup_file_size.
Result<std::optional<std::string>> read_in_root(int rootfd, const std::string& rel,
                                                const std::string& shown) {
    UniqueFd path_fd(open_in_root(rootfd, rel, O_PATH));
    if (path_fd.get() < 0)
        return std::nullopt;
    struct stat st {};
    UniqueFd fd(storage::detail::reopen_if_regular(path_fd.get(), st));
    if (fd.get() < 0)
        return std::nullopt;
    auto too_large = [&] {
        auto e = fail(Errc::invalid_argument,
                      fmt::format("file '{}' is larger than {} bytes: not rewritten", shown,
                                  max_setup_file_size));
        e.error().context = shown;
        return e;
    };
    if (static_cast<std::uint64_t>(st.st_size) > max_setup_file_size)
        return too_large();
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_setup_file_size) // grown since fstat()
            return too_large();
    }
    return out;
}

bool exists_in_root(int rootfd, const std::string& rel) {
    int fd = open_in_root(rootfd, rel, O_PATH);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

// Replaces `etc/<name>` through a temporary file + renameat in the resolved directory, unless
// it already holds exactly that.
Result<void> write_in_root(int rootfd, const std::string& rootfs, const std::string& dir,
                           const std::string& name, std::string_view content, mode_t mode,
                           std::optional<Owner> owner) {
    std::string shown = rootfs + "/" + dir + "/" + name;
    int dfd = open_in_root(rootfd, dir, O_PATH | O_DIRECTORY);
    if (dfd < 0)
        return std::unexpected(storage::io_error("open directory for", shown, errno));
    UniqueFd dguard(dfd);
    if (holds_exactly(dfd, name, content, mode, owner))
        return {};
    std::string tmp = fmt::format(".{}.pct-tmp.{}", name, ::getpid());
    int fd = ::openat(dfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0 && errno == EEXIST) {
        ::unlinkat(dfd, tmp.c_str(), 0);
        fd = ::openat(dfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    }
    if (fd < 0)
        return std::unexpected(storage::io_error("create", shown, errno));
    std::string_view rest = content;
    while (!rest.empty()) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            ::close(fd);
            ::unlinkat(dfd, tmp.c_str(), 0);
            return std::unexpected(storage::io_error("write", shown, err));
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // On the descriptor, so nothing the container placed under the name is chowned; chown
    // first, as it clears set-id bits that fchmod would have set.
    if (owner && ::fchown(fd, owner->uid, owner->gid) != 0) {
        int err = errno;
        ::close(fd);
        ::unlinkat(dfd, tmp.c_str(), 0);
        return std::unexpected(storage::io_error("chown", shown, err));
    }
    ::fchmod(fd, mode);
    ::close(fd);
    if (::renameat(dfd, tmp.c_str(), dfd, name.c_str()) != 0) {
        int err = errno;
        ::unlinkat(dfd, tmp.c_str(), 0);
        return std::unexpected(storage::io_error("rename", shown, err));
    }
    return {};
}

// Replaces (or appends) the text between the PVE markers.
std::string replace_pve_block(const std::string& old, const std::string& body) {
    std::string block = fmt::format("{}\n{}{}\n", begin_marker, body, end_marker);
    auto b = old.find(begin_marker);
    auto e = b == std::string::npos ? std::string::npos : old.find(end_marker, b);
    if (b != std::string::npos && e != std::string::npos) {
        auto after = old.find('\n', e);
        after = after == std::string::npos ? old.size() : after + 1;
        return old.substr(0, b) + block + old.substr(after);
    }
    std::string out = old;
    if (!out.empty() && out.back() != '\n')
        out += '\n';
    return out + block;
}

bool debian_like(std::string_view ostype) {
    return ostype == "debian" || ostype == "devuan" || ostype == "ubuntu" || ostype == "alpine";
}

std::vector<std::string> split_ws(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '\0') {
            if (!cur.empty())
                out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

} // namespace

std::optional<std::string> read_file_in_root(const std::string& rootfs, const std::string& rel) {
    int rootfd = ::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return std::nullopt;
    UniqueFd root(rootfd);
    auto text = read_in_root(rootfd, rel, rootfs + "/" + rel);
    return text ? *text : std::nullopt;
}

std::string render_interfaces(const std::string& old, const ContainerSettings& settings) {
    std::set<std::string, std::less<>> managed;
    for (const auto& [idx, net] : settings.net)
        if (!net.name.empty())
            managed.insert(net.name);

    // Drop the managed interfaces' lines: `auto X`, `allow-* X`, and `iface X ...` stanzas.
    std::istringstream in(old);
    std::string line, kept;
    bool skipping = false;
    while (std::getline(in, line)) {
        auto words = split_ws(line);
        bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (skipping && (indented || words.empty())) {
            if (words.empty())
                skipping = false;
            continue;
        }
        skipping = false;
        if (!words.empty() && words[0] == "iface" && words.size() > 1 &&
            managed.contains(words[1])) {
            skipping = true;
            continue;
        }
        if (!words.empty() && (words[0] == "auto" || words[0].starts_with("allow-"))) {
            std::string rest;
            for (std::size_t i = 1; i < words.size(); ++i)
                if (!managed.contains(words[i]))
                    rest += " " + words[i];
            if (rest.empty())
                continue;
            line = words[0] + rest;
        }
        kept += line + "\n";
    }
    while (kept.size() >= 2 && kept.ends_with("\n\n"))
        kept.pop_back();

    // Static addresses (and host-managed ones) are configured by liblxc from the generated
    // lxc.net.N.ipv4/ipv6 keys, so the distribution only brings the link up (`manual`) and
    // cannot fight over them; dhcp/auto/manual are the container's business.
    std::string added;
    for (const auto& [idx, net] : settings.net) {
        if (net.name.empty() || net.link_down.value_or(false))
            continue;
        bool by_lxc = net.host_managed.value_or(false);
        auto method = [&](const std::optional<std::string>& ip, bool v6) -> std::string {
            if (!ip)
                return {};
            if (*ip == "dhcp" || *ip == "manual" || (v6 && *ip == "auto"))
                return by_lxc ? "manual" : *ip;
            return "manual";
        };
        std::string stanzas;
        if (auto m = method(net.ip, false); !m.empty())
            stanzas += fmt::format("iface {} inet {}\n", net.name, m);
        if (auto m = method(net.ip6, true); !m.empty())
            stanzas += fmt::format("iface {} inet6 {}\n", net.name, m);
        if (stanzas.empty())
            continue;
        added += fmt::format("\nauto {}\n{}", net.name, stanzas);
    }
    return kept + added;
}

Result<void> setup_ct_files(const std::string& rootfs, const ContainerSettings& settings, Vmid vmid,
                            std::optional<Owner> owner, std::vector<std::string>& warnings) {
    std::string ostype = settings.ostype.value_or("unmanaged");
    if (ostype == "unmanaged")
        return {};
    int rootfd = ::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return std::unexpected(storage::io_error("open rootfs", rootfs, errno));
    UniqueFd root(rootfd);
    if (!exists_in_root(rootfd, "etc")) {
        warnings.push_back(
            fmt::format("rootfs '{}' has no /etc: in-container setup skipped", rootfs));
        return {};
    }
    auto ignored = [&](const std::string& file) {
        return exists_in_root(rootfd, "etc/.pve-ignore." + file);
    };

    std::string fqdn = settings.hostname.value_or(fmt::format("CT{}", vmid.value));
    std::string shortname = fqdn.substr(0, fqdn.find('.'));
    if (fqdn.find('.') == std::string::npos && settings.searchdomain) {
        auto domains = split_ws(*settings.searchdomain);
        if (!domains.empty())
            fqdn += "." + domains.front();
    }
    if (!ignored("hostname")) {
        if (auto ok =
                write_in_root(rootfd, rootfs, "etc", "hostname", shortname + "\n", 0644, owner);
            !ok)
            return ok;
    }
    if (!ignored("hosts")) {
        std::string ip = "127.0.1.1";
        if (auto it = settings.net.find(0); it != settings.net.end() && it->second.ip &&
                                            *it->second.ip != "dhcp" && *it->second.ip != "manual")
            ip = it->second.ip->substr(0, it->second.ip->find('/'));
        std::string names = fqdn == shortname ? shortname : fqdn + " " + shortname;
        auto old = read_in_root(rootfd, "etc/hosts", rootfs + "/etc/hosts");
        if (!old)
            return std::unexpected(std::move(old).error());
        std::string body = fmt::format("{} {}\n", ip, names);
        if (auto ok = write_in_root(rootfd, rootfs, "etc", "hosts",
                                    replace_pve_block(old->value_or(""), body), 0644, owner);
            !ok)
            return ok;
    }
    if ((settings.nameserver || settings.searchdomain) && !ignored("resolv.conf")) {
        std::string body;
        if (settings.searchdomain)
            body += "search " +
                    fmt::format("{}", fmt::join(split_ws(*settings.searchdomain), " ")) + "\n";
        if (settings.nameserver)
            for (const auto& ns : split_ws(*settings.nameserver))
                body += "nameserver " + ns + "\n";
        auto old = read_in_root(rootfd, "etc/resolv.conf", rootfs + "/etc/resolv.conf");
        if (!old)
            return std::unexpected(std::move(old).error());
        if (auto ok = write_in_root(rootfd, rootfs, "etc", "resolv.conf",
                                    replace_pve_block(old->value_or(""), body), 0644, owner);
            !ok)
            return ok;
    }
    if (settings.net.empty())
        return {};
    if (!debian_like(ostype)) {
        warnings.push_back(
            fmt::format("network configuration inside ostype '{}' is not written by libpct; use "
                        "host-managed=1 to let liblxc configure addresses",
                        ostype));
        return {};
    }
    if (ignored("interfaces"))
        return {};
    if (!exists_in_root(rootfd, "etc/network")) {
        // mkdirat relative to the in-root resolved /etc, never through a host-side symlink.
        int etc = open_in_root(rootfd, "etc", O_PATH | O_DIRECTORY);
        if (etc >= 0) {
            if (::mkdirat(etc, "network", 0755) == 0 && owner)
                ::fchownat(etc, "network", owner->uid, owner->gid, AT_SYMLINK_NOFOLLOW);
            ::close(etc);
        }
    }
    auto old = read_in_root(rootfd, "etc/network/interfaces", rootfs + "/etc/network/interfaces");
    if (!old)
        return std::unexpected(std::move(old).error());
    return write_in_root(rootfd, rootfs, "etc/network", "interfaces",
                         render_interfaces(old->value_or(""), settings), 0644, owner);
}

} // namespace pct::runtime::detail
