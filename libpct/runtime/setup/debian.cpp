// SPDX-License-Identifier: AGPL-3.0-or-later
#include "debian.hpp"
#include "interfaces.hpp"

#include <fmt/format.h>

#include <cctype>
#include <regex>

namespace pct::runtime::detail::setup {

namespace {

constexpr int debian_minimum = 4;  // a hard limit
constexpr int debian_maximum = 14; // a soft one: newer versions only warn

// file_read_firstline: the first line without its newline; nullopt when missing.
Result<std::optional<std::string>> first_line(const CtRoot& root, std::string_view path) {
    if (!root.is_file(path))
        return std::nullopt;
    auto text = root.read(path);
    if (!text)
        return std::unexpected(std::move(text).error());
    std::string t = text->value_or("");
    return t.substr(0, t.find('\n'));
}

constexpr std::string_view snakeoil_unit =
    "[Unit]\n"
    "Description=\"Regenerate pre-generated snakeoil certificate and key-pair once\"\n"
    "ConditionPathExists=/etc/ssl/certs/ssl-cert-snakeoil.pem\n"
    "ConditionFirstBoot=yes\n"
    "Wants=first-boot-complete.target\n"
    "Before=first-boot-complete.target\n"
    "\n"
    "[Service]\n"
    "Type=oneshot\n"
    "ExecStart=make-ssl-cert -f generate-default-snakeoil\n";

} // namespace

bool version_at_least(std::string_view version, int want_maj, int want_min) {
    std::size_t i = 0;
    auto number = [&]() -> std::optional<int> {
        std::size_t start = i;
        int value = 0;
        while (i < version.size() && std::isdigit(static_cast<unsigned char>(version[i])) &&
               i - start < 9)
            value = value * 10 + (version[i++] - '0');
        return i > start ? std::optional<int>(value) : std::nullopt;
    };
    auto maj = number();
    if (!maj)
        return false;
    std::optional<int> min;
    if (i < version.size() && version[i] == '.') {
        ++i;
        min = number();
    }
    return want_maj < *maj ||
           (want_maj == *maj && ((!min && want_min == 0) || (min && want_min <= *min)));
}

Result<void> Debian::setup_inittab() {
    const char* file = "/etc/inittab";
    if (!m_root.is_file(file))
        return {};
    auto text = contents(file);
    if (!text)
        return std::unexpected(std::move(text).error());
    static const std::regex getty(R"(^\s*\d+:\d*:[^:]*:.*getty)");
    static const std::regex power(R"(^\s*p[fno0]:)");
    std::string out;
    std::vector<std::string> kept;
    for (auto& line : perl_split_lines(*text))
        if (!std::regex_search(line, getty) && !std::regex_search(line, power))
            kept.push_back(std::move(line));
    for (std::size_t i = 0; i < kept.size(); ++i)
        out += (i ? "\n" : "") + kept[i];
    out += "\n";
    out += "p0::powerfail:/sbin/init 0\n";
    for (std::uint32_t id = 1; id <= tty_count(); ++id) {
        if (id == 7) // reserved for X11
            continue;
        const char* levels = id == 1 ? "2345" : "23";
        out += fmt::format("{}:{}:respawn:/sbin/getty {} 38400 tty{}\n", id, levels,
                           m_version < 7 ? "-L" : "--noclear", id);
    }
    return m_root.write(file, out);
}

Result<void> Debian::setup_init() {
    if (init_is_systemd()) {
        if (auto ok = setup_container_getty_service(); !ok)
            return ok;
        // Only for the first boot (no /etc/machine-id): Debian brings ifupdown, not networkd.
        if (m_version >= 12)
            if (auto ok = setup_systemd_preset({{"systemd-networkd.service", false}}); !ok)
                return ok;
    }
    return setup_inittab();
}

Result<void> Debian::snakeoil_fixup() {
    const char* key = "/etc/ssl/private/ssl-cert-snakeoil.key";
    if (!m_root.is_file(key))
        return {};
    if (init_is_systemd()) {
        std::string unit = "proxmox-regenerate-snakeoil.service";
        std::string path = "/etc/systemd/system/" + unit;
        if (auto ok = m_root.write(path, snakeoil_unit); !ok)
            return ok;
        const char* wants = "/etc/systemd/system/first-boot-complete.target.wants";
        if (auto ok = m_root.make_path(wants); !ok)
            return ok;
        m_root.symlink(path, std::string(wants) + "/" + unit);
    } else {
        m_ctx.warn("Template contains pre-generated snakeoil certificate!");
        m_ctx.warn("Run `make-ssl-cert generate-default-snakeoil -f` to regenerate it!");
    }
    // Never used by accident, even if the warning is ignored or the regeneration fails.
    m_root.unlink(key);
    return {};
}

Result<void> Debian::write_interfaces(const ContainerSettings& conf, bool cidr_form) {
    auto networks = interface_networks(conf);
    if (!networks)
        return std::unexpected(std::move(networks).error());
    if (networks->empty())
        return {};
    const char* file = "/etc/network/interfaces";
    std::optional<std::string> old;
    if (m_root.is_file(file)) {
        auto text = m_root.read(file);
        if (!text)
            return std::unexpected(std::move(text).error());
        old = text->value_or("");
    }
    std::string text = render_interfaces(old, *networks, cidr_form);
    if (auto ok = m_root.make_path("/etc/network"); !ok)
        return ok;
    return m_root.write(file, text);
}

Result<void> Debian::setup_network() {
    // The CIDR form only for ostype debian (not devuan, not ubuntu) from Debian 10.
    bool cidr_form = m_ctx.conf.ostype.value_or("") == "debian" && m_version >= 10;
    return write_interfaces(m_ctx.conf, cidr_form);
}

Result<std::unique_ptr<Distro>> make_debian(const CtRoot& root, Context& ctx) {
    auto line = first_line(root, "/etc/debian_version");
    if (!line)
        return std::unexpected(std::move(line).error());
    if (!*line)
        return fail(Errc::unsupported, "unable to read version info",
                    {.context = root.shown("/etc/debian_version")});
    std::string version = **line;
    static const std::pair<std::string_view, std::string_view> testing[] = {
        {"stretch/sid", "9.1"}, {"buster/sid", "10"},  {"bullseye/sid", "11"},
        {"bookworm/sid", "12"}, {"trixie/sid", "13"},  {"forky/sid", "14"},
        {"duke/sid", "15"},     {"kali-rolling", "12"}};
    for (const auto& [name, number] : testing)
        if (version == name)
            version = number;
    std::size_t digits = 0;
    while (digits < version.size() && std::isdigit(static_cast<unsigned char>(version[digits])))
        ++digits;
    if (digits == 0 || digits > 9)
        return fail(Errc::unsupported, fmt::format("unable to parse version info '{}'", version),
                    {.context = root.shown("/etc/debian_version")});
    int major = std::stoi(version.substr(0, digits));
    if (major < debian_minimum)
        return fail(Errc::unsupported,
                    fmt::format("Container Debian version '{}' is too old", major));
    if (major >= debian_maximum + 1)
        ctx.warn(fmt::format("The container's Debian version '{}' is newer than the tested "
                             "version '{}'. While everything may work fine, full compatibility "
                             "cannot be guaranteed. Please check for PVE system updates.",
                             major, debian_maximum));
    ctx.conf.ostype = "debian";
    return std::make_unique<Debian>(root, ctx, major);
}

Result<std::unique_ptr<Distro>> make_devuan(const CtRoot& root, Context& ctx) {
    auto line = first_line(root, "/etc/devuan_version");
    if (!line)
        return std::unexpected(std::move(line).error());
    if (!*line)
        return fail(Errc::unsupported, "unable to read version info",
                    {.context = root.shown("/etc/devuan_version")});
    std::string version;
    for (char c : **line)
        version += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Mapped to the Debian release it is built on, which the Debian code checks.
    static const std::pair<std::string_view, int> releases[] = {
        {"jessie", 8},          {"ascii", 9},      {"ascii/ceres", 9},     {"beowulf", 10},
        {"beowulf/ceres", 10},  {"chimaera", 11},  {"chimaera/ceres", 11}, {"daedalus", 12},
        {"daedalus/ceres", 12}, {"excalibur", 13}, {"excalibur/ceres", 13}};
    for (const auto& [name, debian] : releases) {
        if (version == name) {
            ctx.conf.ostype = "devuan";
            return std::make_unique<Debian>(root, ctx, debian);
        }
    }
    return fail(Errc::unsupported, fmt::format("unsupported Devuan version '{}'", version),
                {.context = root.shown("/etc/devuan_version")});
}

} // namespace pct::runtime::detail::setup
