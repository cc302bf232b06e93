// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Setup::Alpine (spec storage.md §5.9): OpenRC, busybox getty, Debian's interfaces.
#include "debian.hpp"

#include <fmt/format.h>

#include <regex>

namespace pct::runtime::detail::setup {

namespace {

class Alpine final : public Debian {
  public:
    Alpine(const CtRoot& root, Context& ctx, std::string version)
        : Debian(root, ctx, 0), m_release(std::move(version)) {}

  protected:
    Result<void> snakeoil_fixup() override { return {}; } // Base's: nothing

    Result<void> template_fixup() override {
        m_root.symlink("/etc/init.d/networking", "/etc/runlevels/boot/networking");
        m_root.symlink("/etc/init.d/bootmisc", "/etc/runlevels/boot/bootmisc");
        m_root.symlink("/etc/init.d/hostname", "/etc/runlevels/boot/hostname");
        m_root.symlink("/etc/init.d/killprocs", "/etc/runlevels/shutdown/killprocs");
        m_root.symlink("/etc/init.d/savecache", "/etc/runlevels/shutdown/savecache");
        if (auto ok = setup_securetty(); !ok)
            return ok;
        return remove_lxc_name_from_etc_hosts();
    }

    Result<void> setup_init() override {
        const char* file = "/etc/inittab";
        if (!m_root.is_file(file))
            return {};
        auto text = contents(file);
        if (!text)
            return std::unexpected(std::move(text).error());
        static const std::regex getty(R"(^\s*tty\d+:\d*:[^:]*:.*getty)");
        std::vector<std::string> kept;
        for (auto& line : perl_split_lines(*text))
            if (!std::regex_search(line, getty))
                kept.push_back(std::move(line));
        std::string out;
        for (std::size_t i = 0; i < kept.size(); ++i)
            out += (i ? "\n" : "") + kept[i];
        out += "\n";
        for (std::uint32_t id = 1; id <= tty_count(); ++id)
            if (id != 7) // reserved for X11
                out += fmt::format("tty{0}::respawn:/sbin/getty 38400 tty{0}\n", id);
        return m_root.write(file, out);
    }

    Result<void> setup_network() override {
        // busybox has no working DHCPv6 client and no `auto` method: both become `manual`.
        ContainerSettings conf = m_ctx.conf;
        for (auto& [index, net] : conf.net)
            if (net.ip6 && (*net.ip6 == "dhcp" || *net.ip6 == "auto"))
                net.ip6 = "manual";
        return write_interfaces(conf, version_at_least(m_release, 3, 13));
    }

  private:
    std::string m_release;
};

} // namespace

Result<std::unique_ptr<Distro>> make_alpine(const CtRoot& root, Context& ctx) {
    std::string version;
    if (root.is_file("/etc/alpine-release")) {
        auto text = root.read("/etc/alpine-release");
        if (!text)
            return std::unexpected(std::move(text).error());
        version = text->value_or("");
        version = version.substr(0, version.find('\n'));
    }
    ctx.conf.ostype = "alpine";
    return std::make_unique<Alpine>(root, ctx, version);
}

Result<std::unique_ptr<Distro>> make_busybox(const CtRoot& root, Context& ctx) {
    // Not a Proxmox type: the configured ostype stays (`unmanaged` when none), so a CT whose
    // config says `unmanaged` is left alone at start, as Proxmox would.
    if (!ctx.conf.ostype || ctx.conf.ostype->empty())
        ctx.conf.ostype = "unmanaged";
    return std::make_unique<Alpine>(root, ctx, std::string());
}

} // namespace pct::runtime::detail::setup
