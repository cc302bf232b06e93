// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Setup::Base (spec storage.md §5.5, §5.6): what every managed distribution gets.
#include "distro.hpp"
#include "net_util.hpp"

#include <pct/model/split_list.hpp>

#include <fmt/format.h>

#include <ctime>
#include <regex>

namespace pct::runtime::detail::setup {

namespace {

std::string first_label(const std::string& name) { return name.substr(0, name.find('.')); }

// `s!/\d+$!!`
std::string without_prefix(std::string ip) {
    auto slash = ip.rfind('/');
    if (slash != std::string::npos && slash + 1 < ip.size() &&
        ip.find_first_not_of("0123456789", slash + 1) == std::string::npos)
        ip.erase(slash);
    return ip;
}

// The lines of a file with their line ends (Perl's `<$fh>`).
std::vector<std::string> lines_with_ends(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto end = nl == std::string_view::npos ? text.size() : nl + 1;
        out.emplace_back(text.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

bool has_line_starting(std::string_view text, std::string_view token) {
    // /^\h*TOKEN\h+/m
    for (const auto& line : lines_with_ends(text)) {
        std::size_t i = 0;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (std::string_view(line).substr(i).starts_with(token)) {
            auto after = i + token.size();
            if (after < line.size() && (line[after] == ' ' || line[after] == '\t'))
                return true;
        }
    }
    return false;
}

} // namespace

std::string Distro::devttydir() const {
    return m_ctx.conf.unprivileged.value_or(false) ? "" : "lxc/";
}

Result<std::string> Distro::contents(std::string_view path) const {
    auto text = m_root.read(path);
    if (!text)
        return std::unexpected(std::move(text).error());
    return text->value_or("");
}

bool Distro::init_is_systemd() const {
    auto target = m_root.readlink("/sbin/init");
    return target && target->ends_with("/systemd");
}

Result<void> Distro::modify_file(std::string_view path, std::string data, Placement placement,
                                 std::optional<mode_t> perms) {
    if (m_root.ignored(path))
        return {};
    std::optional<std::string> old;
    if (m_root.is_file(path)) {
        auto text = m_root.read(path);
        if (!text)
            return std::unexpected(std::move(text).error());
        old = text->value_or("");
    }
    auto edit = modify_section(old, std::move(data), placement);
    switch (edit.action) {
    case SectionEdit::Action::keep:
        return {};
    case SectionEdit::Action::remove:
        m_root.unlink(path);
        return {};
    case SectionEdit::Action::write:
        break;
    }
    return m_root.write(path, edit.text, edit.new_file && perms ? *perms : 0644);
}

std::pair<std::optional<std::string>, std::string> Distro::dns_conf() const {
    std::optional<std::string> nameserver = m_ctx.conf.nameserver;
    std::optional<std::string> search = m_ctx.conf.searchdomain;
    if (m_ctx.test_mode) {
        if (!nameserver)
            nameserver = "8.8.8.8 8.8.8.9";
        if (!search)
            search = "proxmox.com";
    }
    if (!nameserver) {
        std::string list;
        for (const auto& ns : m_ctx.host.nameservers)
            list += (list.empty() ? "" : " ") + ns;
        nameserver = list;
    }
    if (!search)
        search = m_ctx.host.search;
    return {search, *nameserver};
}

Result<void> Distro::update_etc_hosts(const std::optional<std::string>& hostip,
                                      const std::string& newname,
                                      const std::optional<std::string>& searchdomains) {
    const char* hosts = "/etc/hosts";
    if (m_root.ignored(hosts))
        return {};
    std::string namepart = first_label(newname);
    std::string all_names;
    if (newname.find('.') != std::string::npos) {
        all_names = newname + " " + namepart;
    } else {
        for (const auto& domain : split_list(searchdomains.value_or("")))
            all_names += (all_names.empty() ? "" : " ") + newname + "." + domain;
        all_names += (all_names.empty() ? "" : " ") + newname;
    }
    const std::string lo4 = "127.0.0.1 localhost.localnet localhost\n";
    const std::string lo6 = "::1 localhost.localnet localhost\n";
    std::string section;
    if (m_root.is_file(hosts)) {
        auto data = contents(hosts);
        if (!data)
            return std::unexpected(std::move(data).error());
        // Localhost lines inside PVE sections do not count.
        std::string outside = remove_sections(*data);
        if (!has_line_starting(outside, "127.0.0.1"))
            section += lo4;
        if (!has_line_starting(outside, "::1"))
            section += lo6;
    } else {
        section += lo4 + lo6;
    }
    if (hostip)
        section += *hostip + " " + all_names + "\n";
    else if (namepart != "localhost")
        section += "127.0.1.1 " + all_names + "\n";
    else
        section += "127.0.1.1 " + namepart + "\n";
    return modify_file(hosts, section);
}

Result<void> Distro::set_hostname() {
    std::string hostname = m_ctx.conf.hostname.value_or("");
    if (hostname.empty())
        hostname = "localhost";
    // get_primary_ips: net0's static address, v4 before v6.
    std::optional<std::string> hostip;
    if (auto it = m_ctx.conf.net.find(0); it != m_ctx.conf.net.end()) {
        const auto& net = it->second;
        if (net.ip && !net.ip->empty() && *net.ip != "dhcp" && *net.ip != "manual")
            hostip = without_prefix(*net.ip);
        else if (net.ip6 && !net.ip6->empty() && *net.ip6 != "auto" && *net.ip6 != "dhcp" &&
                 *net.ip6 != "manual")
            hostip = without_prefix(*net.ip6);
    }
    auto [search, nameservers] = dns_conf();
    if (auto ok = update_etc_hosts(hostip, hostname, search); !ok)
        return ok;
    return m_root.write("/etc/hostname", first_label(hostname) + "\n");
}

Result<void> Distro::set_dns() {
    auto [search, nameserver] = dns_conf();
    std::string data;
    if (search && !search->empty() && *search != "0") {
        std::string joined;
        for (const auto& d : split_list(*search))
            joined += (joined.empty() ? "" : " ") + d;
        data += "search " + joined + "\n";
    }
    for (const auto& ns : split_list(nameserver))
        data += "nameserver " + ns + "\n";
    return modify_file("/etc/resolv.conf", data, Placement::replace);
}

Result<void> Distro::set_timezone() {
    if (!m_ctx.conf.timezone)
        return {};
    const std::string& zone = *m_ctx.conf.timezone;
    std::string tz_path = zone == "host" ? m_ctx.host.localtime : "/usr/share/zoneinfo/" + zone;
    if (!m_root.is_file(tz_path)) {
        m_ctx.warn(
            fmt::format("container does not have {}, timezone can not be modified", tz_path));
        return {};
    }
    if (!m_root.same_file("/etc/localtime", tz_path)) {
        std::string tmp = fmt::format("/localtime.{}.new.tmpfile", ::getpid());
        m_root.unlink(tmp);
        m_root.symlink(tz_path, tmp);
        if (!m_root.rename(tmp, "/etc/localtime"))
            m_root.unlink(tmp);
    }
    if (m_root.is_file("/etc/timezone"))
        return m_root.write("/etc/timezone", (zone == "host" ? m_ctx.host.timezone : zone) + "\n");
    return {};
}

Result<void> Distro::replace_pw(const std::string& file, const std::string& user,
                                const std::string& value, bool shadow) {
    auto text = contents(file);
    if (!text)
        return std::unexpected(std::move(text).error());
    std::string prefix = user + ":";
    long days = static_cast<long>(std::time(nullptr) / 86400);
    std::string out;
    for (auto& line : lines_with_ends(*text)) {
        // s/^user:[^:]*:[^:]*:/user:HASH:DAYS:/ (shadow), s/^user:[^:]*:/user:HASH:/ (passwd)
        if (line.starts_with(prefix)) {
            auto f2 = line.find(':', prefix.size());
            auto f3 = f2 == std::string::npos ? f2 : line.find(':', f2 + 1);
            bool nl_inside = line.find('\n') < (shadow ? f3 : f2);
            if (shadow && f3 != std::string::npos && !nl_inside)
                line = fmt::format("{}{}:{}:{}", prefix, value, days, line.substr(f3 + 1));
            else if (!shadow && f2 != std::string::npos && !nl_inside)
                line = prefix + value + ":" + line.substr(f2 + 1);
        }
        out += line;
    }
    return m_root.write(file, out, m_root.mode_of(file).value_or(0644), m_root.owner_of(file));
}

Result<void> Distro::set_user_password(const std::string& user,
                                       const std::optional<std::string>& hash) {
    if (!m_root.is_file("/etc/passwd"))
        return {};
    std::string value = hash.value_or("*");
    if (m_root.is_file("/etc/shadow")) {
        if (auto ok = replace_pw("/etc/shadow", user, value, true); !ok)
            return ok;
        return replace_pw("/etc/passwd", user, "x", false);
    }
    return replace_pw("/etc/passwd", user, value, false);
}

Result<void> Distro::set_user_authorized_ssh_keys(const std::string& user,
                                                  const std::string& keys) {
    std::string home = user == "root" ? "/root/" : "/home/" + user + "/";
    if (m_root.is_file("/etc/passwd")) {
        auto text = contents("/etc/passwd");
        if (!text)
            return std::unexpected(std::move(text).error());
        home.clear(); // parse_home_dir returns nothing when no line matches
        static const std::regex line_re("^([^:]*):(?:[^:]*:){4}([^:\n]*):");
        for (const auto& line : lines_with_ends(*text)) {
            std::smatch m;
            if (std::regex_search(line, m, line_re) && m[1] == user) {
                home = m[2];
                break;
            }
        }
    }
    if (home.empty() || !(m_root.is_dir(home) || m_root.is_symlink(home)))
        return fail(Errc::not_found,
                    fmt::format("home directory '{}' of {} does not exist!", home, user),
                    {.context = m_root.shown(home)});
    if (!m_root.is_dir(home + "/.ssh"))
        m_root.mkdir(home + "/.ssh", 0700);
    return modify_file(home + "/.ssh/authorized_keys", keys, Placement::append, 0700);
}

Result<void> Distro::clear_machine_id(bool clone) {
    bool systemd = m_root.is_executable("/lib/systemd/systemd") ||
                   m_root.is_executable("/usr/lib/systemd/systemd");
    const char* dbus_id = "/var/lib/dbus/machine-id";
    if (m_root.is_file(dbus_id) && !m_root.is_symlink(dbus_id) && systemd)
        m_root.unlink(dbus_id);
    if (clone && systemd) {
        // Truncated, not removed: an empty id makes systemd write a new one without running
        // its first-boot units again (Base.pm: "avoid that FirstBoot condition is set").
        auto old = m_root.read("/etc/machine-id");
        if (!old)
            return std::unexpected(std::move(old).error());
        std::string first = old->value_or("");
        first = first.substr(0, first.find('\n'));
        if (first != "uninitialized")
            return m_root.write("/etc/machine-id", "\n");
        return {};
    }
    if (m_root.is_file("/etc/machine-id"))
        m_root.unlink("/etc/machine-id");
    return {};
}

Result<void> Distro::randomize_crontab() {
    std::vector<std::string> files;
    if (m_root.is_file("/etc/crontab"))
        files.emplace_back("/etc/crontab");
    for (const auto& name : m_root.list_dir("/etc/cron.d")) {
        static const std::regex name_re("[A-Z\\-_a-z0-9]+");
        if (std::regex_match(name, name_re) && m_root.is_file("/etc/cron.d/" + name))
            files.push_back("/etc/cron.d/" + name);
    }
    // Only the minutes of root's entries, as Proxmox: spread the load of many CTs.
    static const std::regex line_re("^\\d+(\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+root\\s+\\S.*)$");
    for (const auto& file : files) {
        auto text = contents(file);
        if (!text)
            return std::unexpected(std::move(text).error());
        std::string out;
        for (const auto& line : perl_split_lines(*text)) {
            std::smatch m;
            if (std::regex_match(line, m, line_re)) {
                auto minute = static_cast<int>(m_ctx.random.next() * 59);
                out += std::to_string(minute) + m[1].str() + "\n";
            } else {
                out += line + "\n";
            }
        }
        if (auto ok = m_root.write(file, out); !ok)
            return ok;
    }
    return {};
}

Result<void> Distro::setup_container_getty_service() {
    std::string sd_dir = m_root.is_executable("/lib/systemd/systemd") ? "/lib/systemd/system"
                                                                      : "/usr/lib/systemd/system";
    std::string template_path = sd_dir + "/container-getty@.service";
    std::string instance_base = "container-getty@";
    if (!m_root.is_file(template_path)) {
        // Proxmox's fallback names a relative path (and a mistyped instance): kept as it is.
        template_path = "getty@.service";
        instance_base = "{getty@}tty";
        if (!m_root.is_file(template_path))
            return {};
    }
    auto raw = contents(template_path);
    if (!raw)
        return std::unexpected(std::move(raw).error());
    static const std::regex tty_re("pts/%I|lxc/tty%I");
    std::string ttyname = devttydir() + "tty%I";
    std::string replaced = std::regex_replace(*raw, tty_re, ttyname);
    if (std::regex_search(*raw, tty_re))
        if (auto ok = m_root.write(template_path, replaced); !ok)
            return ok;
    std::string wants = "/etc/systemd/system/getty.target.wants/";
    for (std::uint32_t i = 1; i < 7; ++i) {
        m_root.unlink(fmt::format("{}getty@tty{}.service", wants, i));
        m_root.unlink(fmt::format("{}container-getty@{}.service", wants, i));
        if (i <= tty_count())
            m_root.symlink(template_path, fmt::format("{}{}{}.service", wants, instance_base, i));
    }
    m_root.unlink("/etc/systemd/system/getty.target");
    return {};
}

Result<void> Distro::setup_systemd_preset(const std::vector<std::pair<std::string, bool>>& extra) {
    std::map<std::string, bool> preset = {{"sys-kernel-config.mount", false},
                                          {"sys-kernel-debug.mount", false},
                                          {"getty@.service", false},
                                          {"container-getty@.service", true}};
    for (const auto& [unit, on] : extra)
        preset[unit] = on;
    std::string data = "# Added by PVE at create-time for first-boot configuration.\n";
    for (const auto& [unit, on] : preset)
        data += fmt::format("{} {}\n", on ? "enable" : "disable", unit);
    if (auto ok = m_root.make_path("/etc/systemd/system-preset"); !ok)
        return ok;
    return m_root.write("/etc/systemd/system-preset/00-pve.preset", data);
}

Result<void> Distro::setup_systemd_networkd() {
    for (const auto& [index, d] : m_ctx.conf.net) {
        if (d.name.empty())
            continue;
        std::string data = fmt::format("[Match]\nName = {0}\n\n[Network]\nDescription = Interface "
                                       "{0} autoconfigured by PVE\n",
                                       d.name);
        std::string routes;
        bool has_v4 = false, has_v6 = false;
        unsigned dhcp = 0; // bit 1: v4, bit 2: v6
        std::string accept_ra = "false";
        if (d.ip) {
            if (*d.ip == "dhcp")
                dhcp |= 1;
            else if (*d.ip != "manual") {
                has_v4 = true;
                data += "Address = " + *d.ip + "\n";
            }
        }
        if (d.gw) {
            data += "Gateway = " + *d.gw + "\n";
            if (has_v4 && !ip_in_cidr(*d.gw, *d.ip, false))
                routes += "\n[Route]\nDestination = " + *d.gw + "/32\nScope = link\n";
        }
        if (d.ip6) {
            if (*d.ip6 == "dhcp") {
                dhcp |= 2;
                accept_ra = "true";
            } else if (*d.ip6 == "auto") {
                accept_ra = "true";
            } else if (*d.ip6 != "manual") {
                has_v6 = true;
                data += "Address = " + *d.ip6 + "\n";
            }
        }
        if (d.gw6) {
            accept_ra = "false";
            data += "Gateway = " + *d.gw6 + "\n";
            if (has_v6 && !ip_in_cidr(*d.gw6, *d.ip6, true) &&
                !ip_in_cidr(*d.gw6, "fe80::/10", true))
                routes += "\n[Route]\nDestination = " + *d.gw6 + "/128\nScope = link\n";
        }
        static constexpr const char* modes[] = {"no", "ipv4", "ipv6", "yes"};
        data += fmt::format("DHCP = {}\nIPv6AcceptRA = {}\n", modes[dhcp], accept_ra);
        data += routes;
        if (auto ok = m_root.make_path("/etc/systemd/network"); !ok)
            return ok;
        if (auto ok = m_root.write("/etc/systemd/network/" + d.name + ".network", data); !ok)
            return ok;
    }
    return {};
}

Result<void> Distro::setup_securetty(std::vector<std::string> add) {
    const char* file = "/etc/securetty";
    if (!m_root.is_file(file))
        return {};
    if (add.empty())
        for (const char* dev : {"console", "tty1", "tty2", "tty3", "tty4"})
            add.push_back(devttydir() + dev);
    auto data = contents(file);
    if (!data)
        return std::unexpected(std::move(data).error());
    std::string text = std::move(*data);
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    text += '\n';
    for (const auto& dev : add) {
        bool present = false;
        for (const auto& line : perl_split_lines(text)) {
            std::string_view rest(line);
            if (rest.starts_with(dev) &&
                rest.substr(dev.size()).find_first_not_of(" \t\r\f\v") == std::string_view::npos)
                present = true;
        }
        if (!present)
            text += dev + "\n";
    }
    return m_root.write(file, text);
}

Result<void> Distro::remove_lxc_name_from_etc_hosts() {
    if (!m_root.exists("/etc/hosts"))
        return {};
    auto hosts = contents("/etc/hosts");
    if (!hosts)
        return std::unexpected(std::move(hosts).error());
    static const std::regex lxc_name("^127.0.1.1\\s+LXC_NAME$");
    std::string out;
    for (const auto& line : perl_split_lines(*hosts))
        if (!std::regex_match(line, lxc_name))
            out += line + "\n";
    if (out.empty())
        out = "\n";
    return m_root.write("/etc/hosts", out);
}

Result<void> Distro::pre_start() {
    if (auto ok = m_root.write("/fastboot", ""); !ok) // skips fsck, among other things
        return ok;
    for (auto step : {&Distro::setup_init, &Distro::setup_network, &Distro::set_hostname,
                      &Distro::set_dns, &Distro::set_timezone})
        if (auto ok = (this->*step)(); !ok)
            return ok;
    return {};
}

Result<void> Distro::post_create(const std::optional<std::string>& password_hash,
                                 const std::optional<std::string>& ssh_keys) {
    if (auto ok = clear_machine_id(); !ok)
        return ok;
    for (auto step : {&Distro::snakeoil_fixup, &Distro::template_fixup, &Distro::randomize_crontab})
        if (auto ok = (this->*step)(); !ok)
            return ok;
    if (auto ok = set_user_password("root", password_hash); !ok)
        return ok;
    if (ssh_keys && !ssh_keys->empty() && *ssh_keys != "0")
        if (auto ok = set_user_authorized_ssh_keys("root", *ssh_keys); !ok)
            return ok;
    for (auto step : {&Distro::setup_init, &Distro::setup_network, &Distro::set_hostname,
                      &Distro::set_dns, &Distro::set_timezone})
        if (auto ok = (this->*step)(); !ok)
            return ok;
    return {};
}

} // namespace pct::runtime::detail::setup
