// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Setup::Ubuntu (spec storage.md §5.8): Debian's plugin with systemd-networkd from
// 17.10 and container-getty from 16.10.
#include "debian.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace pct::runtime::detail::setup {

namespace {

constexpr std::array<std::string_view, 26> known_versions = {
    "26.10", "26.04", "25.10", "25.04", "24.10", "24.04", "23.10", "23.04", "22.10",
    "22.04", "21.10", "21.04", "20.10", "20.04", "19.10", "19.04", "18.10", "18.04",
    "17.10", "17.04", "16.10", "16.04", "15.10", "15.04", "14.04", "12.04"};

class Ubuntu final : public Debian {
  public:
    Ubuntu(const CtRoot& root, Context& ctx, std::string version)
        : Debian(root, ctx, 0), m_release(std::move(version)), m_number(std::stod(m_release)) {}

  protected:
    Result<void> template_fixup() override {
        if (m_number >= 17.10 && m_number < 23.04) { // enable systemd-networkd
            m_root.mkdir("/etc/systemd/system/multi-user.target.wants", 0755);
            m_root.mkdir("/etc/systemd/system/socket.target.wants", 0755);
            m_root.symlink("/lib/systemd/system/systemd-networkd.service",
                           "/etc/systemd/system/multi-user.target.wants/systemd-networkd.service");
            m_root.symlink("/lib/systemd/system/systemd-networkd.socket",
                           "/etc/systemd/system/socket.target.wants/systemd-networkd.socket");
        }
        if (m_number >= 17.10) // the template's netplan config for LXC
            m_root.unlink("/etc/netplan/10-lxc.yaml");
        if (m_release == "15.04" || m_release == "15.10" || m_release == "16.04")
            if (auto ok = setup_securetty({"pts/0"}); !ok) // login on the console
                return ok;
        if (m_release == "12.04" && m_root.is_file("/etc/udev/udev.conf")) {
            auto data = contents("/etc/udev/udev.conf"); // no udev log level output
            if (!data)
                return std::unexpected(std::move(data).error());
            if (auto at = data->find("=\"err\""); at != std::string::npos)
                data->replace(at, 6, "=0");
            return m_root.write("/etc/udev/udev.conf", *data);
        }
        return {};
    }

    Result<void> setup_init() override {
        if (m_number >= 23.04)
            if (auto ok = setup_systemd_preset({{"systemd-networkd.service", true}}); !ok)
                return ok;
        if (m_number >= 16.10)
            if (auto ok = setup_container_getty_service(); !ok)
                return ok;
        if (m_release == "12.04" || m_release == "14.04") {
            for (std::uint32_t i = 1; i < 7; ++i) {
                std::string file = fmt::format("/etc/init/tty{}.conf", i);
                if (i > tty_count()) {
                    m_root.unlink(file);
                    continue;
                }
                auto text = fmt::format(
                    "# tty{0} - getty\n"
                    "#\n"
                    "# This service maintains a getty on tty{0} from the point the system is\n"
                    "# started until it is shut down again.\n"
                    "\n"
                    "start on stopped rc RUNLEVEL=[2345] and (\n"
                    "            not-container or\n"
                    "            container CONTAINER=lxc or\n"
                    "            container CONTAINER=lxc-libvirt)\n"
                    "\n"
                    "stop on runlevel [!2345]\n"
                    "\n"
                    "respawn\n"
                    "exec /sbin/getty -8 38400 tty{0}\n",
                    i);
                if (auto ok = m_root.write(file, text); !ok)
                    return ok;
            }
        }
        return {};
    }

    Result<void> setup_network() override {
        if (m_number >= 17.10)
            return setup_systemd_networkd();
        return write_interfaces(m_ctx.conf, false); // the CIDR form is Debian's and Alpine's
    }

  private:
    std::string m_release;
    double m_number; // Proxmox compares the NN.NN text numerically
};

bool two_numbers(std::string_view v) {
    auto dot = v.find('.');
    auto digits = [](std::string_view s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return dot != std::string_view::npos && digits(v.substr(0, dot)) && digits(v.substr(dot + 1));
}

} // namespace

Result<std::unique_ptr<Distro>> make_ubuntu(const CtRoot& root, Context& ctx) {
    auto text = root.read("/etc/lsb-release");
    if (!text)
        return std::unexpected(std::move(text).error());
    bool ubuntu = false;
    std::optional<std::string> version;
    for (const auto& line : perl_split_lines(text->value_or(""))) {
        std::string lower;
        for (char c : line)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "distrib_id=ubuntu")
            ubuntu = true;
        // ^DISTRIB_RELEASE=(\d+\.\d+)$ (case-insensitive)
        if (!version && lower.starts_with("distrib_release=") && two_numbers(line.substr(16)))
            version = line.substr(16);
    }
    std::string shown = root.shown("/etc/lsb-release");
    if (!ubuntu)
        return fail(Errc::unsupported, "got unknown DISTRIB_ID", {.context = shown});
    if (!version)
        return fail(Errc::unsupported, "unable to read version info", {.context = shown});
    bool known = false;
    for (auto v : known_versions)
        known = known || v == *version;
    if (!known) {
        if (std::stoi(version->substr(0, version->find('.'))) < 17) // no cgroup v2 systemd
            return fail(Errc::unsupported,
                        fmt::format("unsupported ancient Ubuntu version '{}'", *version),
                        {.context = shown});
        ctx.warn(fmt::format("The container's Ubuntu version '{}' is not in the known version "
                             "list. As it's newer than the minimum supported version it's likely "
                             "to work OK, but full compatibility cannot be guaranteed. Please "
                             "check for PVE system updates.",
                             *version));
    }
    ctx.conf.ostype = "ubuntu";
    return std::make_unique<Ubuntu>(root, ctx, *version);
}

} // namespace pct::runtime::detail::setup
