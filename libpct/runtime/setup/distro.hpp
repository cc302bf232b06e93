// SPDX-License-Identifier: AGPL-3.0-or-later
// The distribution plugins of Proxmox's in-container setup (PVE::LXC::Setup::Base and its
// subclasses; spec storage.md §5.5-5.9): one class per distribution, the hooks run at create
// (`post_create`) and at every start (`pre_start`). Each method is the Perl method of the same
// name; the files it writes go through CtRoot (inside the rootfs, atomic, never through a
// symlink, owned by the mapped root).
#pragma once

#include "ct_root.hpp"
#include "marked_section.hpp"

#include <pct/model/settings.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pct::runtime::detail::setup {

/// What the host knows that the setup needs (cached once per run, as Proxmox does).
struct HostFacts {
    std::optional<std::string> search;    ///< the host resolv.conf's `search`
    std::vector<std::string> nameservers; ///< its first three `nameserver`s
    std::string timezone;                 ///< the host's zone name (for `timezone: host`)
    std::string localtime;                ///< realpath of the host's /etc/localtime
};

/// Proxmox's `drand48`-based `rand()` (Perl's own drand48), so that `srand(0)` gives the
/// crontab minutes of Proxmox's test suite.
class Drand48 {
  public:
    explicit Drand48(std::uint32_t seed) : m_x((std::uint64_t{seed} << 16) | 0x330E) {}
    double next() {
        m_x = (m_x * 0x5DEECE66DULL + 0xB) & ((std::uint64_t{1} << 48) - 1);
        return static_cast<double>(m_x) / static_cast<double>(std::uint64_t{1} << 48);
    }

  private:
    std::uint64_t m_x;
};

/// Everything a hook reads besides the rootfs.
struct Context {
    ContainerSettings conf; ///< the config (ostype set to the plugin's name, as Proxmox)
    HostFacts host;
    bool test_mode = false; ///< Proxmox's `testmode`: default DNS, no commands, no chown
    Drand48 random{0};
    std::vector<std::string>* warnings = nullptr;
    void warn(std::string text) const {
        if (warnings)
            warnings->push_back(std::move(text));
    }
};

class Distro {
  public:
    Distro(const CtRoot& root, Context& ctx) : m_root(root), m_ctx(ctx) {}
    virtual ~Distro() = default;
    Distro(const Distro&) = delete;
    Distro& operator=(const Distro&) = delete;

    /// The hooks (Base.pm pre_start_hook, post_create_hook).
    [[nodiscard]] virtual Result<void> pre_start();
    [[nodiscard]] virtual Result<void> post_create(const std::optional<std::string>& password_hash,
                                                   const std::optional<std::string>& ssh_keys);
    /// post_clone_hook: the clone's machine-id (clear_machine_id for a clone).
    [[nodiscard]] virtual Result<void> post_clone() { return clear_machine_id(true); }
    /// The restore's fixups (create_vm with restore=1 runs only template_fixup).
    [[nodiscard]] Result<void> post_restore() { return template_fixup(); }
    /// Whether Proxmox regenerates SSH host keys for this type (not for unmanaged).
    [[nodiscard]] virtual bool wants_ssh_host_keys() const { return true; }

  protected:
    [[nodiscard]] virtual Result<void> setup_init() = 0;
    [[nodiscard]] virtual Result<void> setup_network() = 0;
    [[nodiscard]] virtual Result<void> template_fixup() { return {}; }
    [[nodiscard]] virtual Result<void> snakeoil_fixup() { return {}; }
    [[nodiscard]] virtual std::string devttydir() const;

    [[nodiscard]] Result<void> set_hostname();
    [[nodiscard]] Result<void> set_dns();
    [[nodiscard]] Result<void> set_timezone();
    [[nodiscard]] Result<void> set_user_password(const std::string& user,
                                                 const std::optional<std::string>& hash);
    [[nodiscard]] Result<void> set_user_authorized_ssh_keys(const std::string& user,
                                                            const std::string& keys);
    /// `clone`: /etc/machine-id emptied (systemd) instead of removed, so that the clone gets a
    /// new id without systemd's first-boot condition.
    [[nodiscard]] Result<void> clear_machine_id(bool clone = false);
    [[nodiscard]] Result<void> randomize_crontab();

    // Shared by the subclasses.
    [[nodiscard]] Result<void> setup_container_getty_service();
    [[nodiscard]] Result<void>
    setup_systemd_preset(const std::vector<std::pair<std::string, bool>>& extra);
    [[nodiscard]] Result<void> setup_systemd_networkd();
    [[nodiscard]] Result<void> setup_securetty(std::vector<std::string> add = {});
    [[nodiscard]] Result<void> remove_lxc_name_from_etc_hosts();
    /// ct_modify_file.
    [[nodiscard]] Result<void> modify_file(std::string_view path, std::string data,
                                           Placement placement = Placement::append,
                                           std::optional<mode_t> perms = std::nullopt);
    /// The text of a file, "" when missing (Proxmox's file_get_contents would die; callers
    /// check existence first).
    [[nodiscard]] Result<std::string> contents(std::string_view path) const;
    [[nodiscard]] std::uint32_t tty_count() const { return m_ctx.conf.tty.value_or(2); }
    /// (search domains, nameservers) as lookup_dns_conf.
    [[nodiscard]] std::pair<std::optional<std::string>, std::string> dns_conf() const;
    [[nodiscard]] bool init_is_systemd() const;

    const CtRoot& m_root;
    Context& m_ctx;

  private:
    [[nodiscard]] Result<void> update_etc_hosts(const std::optional<std::string>& hostip,
                                                const std::string& newname,
                                                const std::optional<std::string>& searchdomains);
    [[nodiscard]] Result<void> replace_pw(const std::string& file, const std::string& user,
                                          const std::string& value, bool shadow);
};

/// The unmanaged type: nothing is touched.
class Unmanaged final : public Distro {
  public:
    using Distro::Distro;
    Result<void> pre_start() override { return {}; }
    Result<void> post_create(const std::optional<std::string>&,
                             const std::optional<std::string>&) override {
        return {};
    }
    Result<void> post_clone() override { return {}; }
    bool wants_ssh_host_keys() const override { return false; }

  protected:
    Result<void> setup_init() override { return {}; }
    Result<void> setup_network() override { return {}; }
};

/// The plugin for `type` (as detect_type returns it), reading its version from the rootfs;
/// sets `ctx.conf.ostype`. `Errc::unsupported` "distribution 'X' is not supported by libpct"
/// for the types libpct does not set up; the Perl constructors' errors otherwise ("unable to
/// read version info", "Container Debian version 'V' is too old", ...).
[[nodiscard]] Result<std::unique_ptr<Distro>> make_distro(const std::string& type,
                                                          const CtRoot& root, Context& ctx);

// The constructors behind make_distro (debian.cpp, ubuntu.cpp, alpine.cpp).
[[nodiscard]] Result<std::unique_ptr<Distro>> make_debian(const CtRoot& root, Context& ctx);
[[nodiscard]] Result<std::unique_ptr<Distro>> make_devuan(const CtRoot& root, Context& ctx);
[[nodiscard]] Result<std::unique_ptr<Distro>> make_ubuntu(const CtRoot& root, Context& ctx);
[[nodiscard]] Result<std::unique_ptr<Distro>> make_alpine(const CtRoot& root, Context& ctx);
/// libpct's busybox test template: Alpine's setup (busybox init, getty and ifupdown), the
/// address + netmask form.
[[nodiscard]] Result<std::unique_ptr<Distro>> make_busybox(const CtRoot& root, Context& ctx);

} // namespace pct::runtime::detail::setup
