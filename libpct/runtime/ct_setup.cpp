// SPDX-License-Identifier: AGPL-3.0-or-later
#include "ct_setup.hpp"
#include "setup/credentials.hpp"
#include "setup/ct_root.hpp"
#include "setup/detect.hpp"
#include "setup/distro.hpp"

#include <fmt/format.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>

namespace pct::runtime::detail {

namespace setup {

Result<std::unique_ptr<Distro>> make_distro(const std::string& type, const CtRoot& root,
                                            Context& ctx) {
    if (type == "debian")
        return make_debian(root, ctx);
    if (type == "devuan")
        return make_devuan(root, ctx);
    if (type == "ubuntu")
        return make_ubuntu(root, ctx);
    if (type == "alpine")
        return make_alpine(root, ctx);
    if (type == "busybox")
        return make_busybox(root, ctx);
    if (type == "unmanaged") {
        ctx.conf.ostype = "unmanaged";
        return std::make_unique<Unmanaged>(root, ctx);
    }
    for (const char* known :
         {"archlinux", "centos", "fedora", "gentoo", "openeuler", "opensuse", "nixos"})
        if (type == known)
            return fail(Errc::unsupported,
                        fmt::format("distribution '{}' is not supported by libpct", type),
                        {.context = root.rootfs(), .key = "ostype"});
    return fail(Errc::invalid_argument, fmt::format("no such OS type '{}'", type),
                {.context = root.rootfs(), .key = "ostype"});
}

} // namespace setup

namespace {

using namespace setup;

// PVE::INotify read_etc_resolv_conf, PVE::Systemd get_timezone and the realpath of
// /etc/localtime: the host facts Proxmox caches before a setup.
HostFacts read_host_facts() {
    HostFacts facts;
    std::ifstream resolv("/etc/resolv.conf");
    static const std::regex search_re(R"(^(search|domain)\s+(\S+)\s*.*)");
    static const std::regex ns_re(R"(^\s*nameserver\s+([0-9A-Fa-f.:]+)\s*.*)");
    std::string line;
    while (std::getline(resolv, line)) {
        std::smatch m;
        if (std::regex_match(line, m, search_re))
            facts.search = m[2];
        else if (std::regex_match(line, m, ns_re) && facts.nameservers.size() < 3)
            facts.nameservers.push_back(m[1]);
    }
    char buf[PATH_MAX];
    if (::realpath("/etc/localtime", buf))
        facts.localtime = buf;
    std::ifstream tz("/etc/timezone");
    if (!std::getline(tz, facts.timezone) || facts.timezone.empty()) {
        auto at = facts.localtime.find("/zoneinfo/");
        facts.timezone = at == std::string::npos ? "" : facts.localtime.substr(at + 10);
    }
    return facts;
}

// Held through pointers: the plugin keeps references to the root and the context.
struct Prepared {
    std::unique_ptr<CtRoot> root;
    std::unique_ptr<Context> ctx;
    std::unique_ptr<Distro> distro;
};

Result<Prepared> prepare(const std::string& rootfs, const ContainerSettings& settings,
                         std::optional<Owner> owner, bool test_mode,
                         std::vector<std::string>& warnings) {
    if (rootfs.empty() || rootfs == "/")
        return fail(Errc::invalid_argument, "no root directory");
    auto root = CtRoot::open(rootfs, test_mode ? std::nullopt : owner);
    if (!root)
        return std::unexpected(std::move(root).error());
    auto type = detect_type(*root, settings.ostype.value_or(""), warnings);
    if (!type)
        return std::unexpected(std::move(type).error());
    auto ctx = std::make_unique<Context>();
    ctx->conf = settings;
    ctx->test_mode = test_mode;
    ctx->warnings = &warnings;
    if (test_mode)
        ctx->random = Drand48(0); // srand(0), as Proxmox's suite
    else
        ctx->random = Drand48(std::random_device{}());
    if (!test_mode && *type != "unmanaged")
        ctx->host = read_host_facts();
    Prepared p{std::make_unique<CtRoot>(std::move(*root)), std::move(ctx), nullptr};
    auto distro = make_distro(*type, *p.root, *p.ctx);
    if (!distro)
        return std::unexpected(std::move(distro).error());
    p.distro = std::move(*distro);
    return p;
}

} // namespace

Result<void> setup_ct_files(const std::string& rootfs, const ContainerSettings& settings,
                            std::optional<Owner> owner, std::vector<std::string>& warnings) {
    auto p = prepare(rootfs, settings, owner, false, warnings);
    if (!p)
        return std::unexpected(std::move(p).error());
    return p->distro->pre_start();
}

Result<std::string> post_create_setup(const std::string& rootfs, const ContainerSettings& settings,
                                      const PostCreateOptions& options,
                                      std::vector<std::string>& warnings) {
    auto hash = password_hash(options.password, options.test_mode);
    if (!hash)
        return std::unexpected(std::move(hash).error());
    auto p = prepare(rootfs, settings, options.owner, options.test_mode, warnings);
    if (!p)
        return std::unexpected(std::move(p).error());
    if (auto ok = p->distro->post_create(*hash, options.ssh_public_keys); !ok)
        return std::unexpected(std::move(ok).error());
    if (!options.test_mode && p->distro->wants_ssh_host_keys())
        if (auto ok = rewrite_ssh_host_keys(*p->root, settings.hostname.value_or("localhost")); !ok)
            return std::unexpected(std::move(ok).error());
    return p->ctx->conf.ostype.value_or("unmanaged");
}

Result<void> post_clone_setup(const std::string& rootfs, const ContainerSettings& settings,
                              std::optional<Owner> owner, std::vector<std::string>& warnings) {
    auto p = prepare(rootfs, settings, owner, false, warnings);
    if (!p)
        return std::unexpected(std::move(p).error());
    return p->distro->post_clone();
}

Result<void> restore_setup(const std::string& rootfs, const ContainerSettings& settings,
                           std::optional<Owner> owner, std::vector<std::string>& warnings) {
    auto p = prepare(rootfs, settings, owner, false, warnings);
    if (!p)
        return std::unexpected(std::move(p).error());
    return p->distro->post_restore();
}

Result<std::string> detect_ostype(const std::string& rootfs, const std::string& configured,
                                  std::vector<std::string>& warnings) {
    auto root = CtRoot::open(rootfs, std::nullopt);
    if (!root)
        return std::unexpected(std::move(root).error());
    return detect_type(*root, configured, warnings);
}

std::optional<std::string> read_file_in_root(const std::string& rootfs, const std::string& rel) {
    auto root = CtRoot::open(rootfs, std::nullopt);
    if (!root)
        return std::nullopt;
    auto text = root->read(rel);
    return text ? *text : std::nullopt;
}

} // namespace pct::runtime::detail
