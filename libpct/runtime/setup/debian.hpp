// SPDX-License-Identifier: AGPL-3.0-or-later
// PVE::LXC::Setup::Debian (spec storage.md §5.7), the base of Devuan and Ubuntu.
#pragma once

#include "distro.hpp"

namespace pct::runtime::detail::setup {

class Debian : public Distro {
  public:
    /// `version`: the Debian major (Devuan's mapped to Debian's).
    Debian(const CtRoot& root, Context& ctx, int version) : Distro(root, ctx), m_version(version) {}

  protected:
    Result<void> setup_init() override;
    Result<void> setup_network() override;
    Result<void> snakeoil_fixup() override;
    std::string devttydir() const override { return ""; } // no /dev/lxc/ in Debian
    /// The Debian writer of /etc/network/interfaces (Alpine and old Ubuntu reuse it).
    Result<void> write_interfaces(const ContainerSettings& conf, bool cidr_form);
    Result<void> setup_inittab();

    int m_version;
};

/// `at_least` of Debian.pm: VERSION (`MAJ[.MIN...]`) >= want_maj.want_min.
[[nodiscard]] bool version_at_least(std::string_view version, int want_maj, int want_min);

} // namespace pct::runtime::detail::setup
