// SPDX-License-Identifier: AGPL-3.0-or-later
// pct-prestart (prestart.hpp says what and why).
#include "prestart.hpp"

#include "ct_setup.hpp"
#include "id_map.hpp"
#include "impl.hpp"
#include "mount.hpp"

#include <pct/storage/host.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

std::string one_field(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return out;
}

int report(const Error& e) {
    std::string line = fmt::format("error\t{}\t{}\t{}\t{}\n", static_cast<int>(e.code),
                                   one_field(e.key), one_field(e.context), one_field(e.message));
    (void)!::write(2, line.data(), line.size());
    return 4;
}

void warn(std::string_view text) {
    std::string line = fmt::format("warning\t{}\n", one_field(text));
    (void)!::write(2, line.data(), line.size());
}

/// Proxmox's `umount --recursive LXC_ROOTFS_PATH` (undoes a `pct mount` in this namespace
/// only): every mount at or below `path`, deepest first.
void umount_recursive(const std::string& path) {
    for (int round = 0; round < 1024; ++round) {
        std::ifstream in("/proc/self/mountinfo");
        std::string line, deepest;
        while (std::getline(in, line)) {
            std::size_t pos = 0;
            for (int field = 0; field < 4 && pos != std::string::npos; ++field)
                pos = line.find(' ', pos + (field ? 1 : 0));
            if (pos == std::string::npos)
                continue;
            std::string mp = line.substr(pos + 1, line.find(' ', pos + 1) - pos - 1);
            if ((mp == path || mp.starts_with(path + "/")) && mp.size() >= deepest.size())
                deepest = mp;
        }
        if (deepest.empty() || ::umount2(deepest.c_str(), MNT_DETACH) != 0)
            return;
    }
}

} // namespace

int prestart_main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr,
                     "usage: pct-prestart HOST_ROOT CTID START_HELPER NAME LXCPATH (libpct's "
                     "prestart helper)\n");
        return 2;
    }
    std::uint64_t id = 0;
    std::string_view id_text = argv[2];
    if (std::from_chars(id_text.data(), id_text.data() + id_text.size(), id).ec != std::errc{})
        return report(error(Errc::invalid_argument, "bad CTID"));
    Vmid vmid{static_cast<std::uint32_t>(id)};
    storage::Host host(argv[1]);

    // A slave of the host's namespace: what libpct mounts here never reaches the host.
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
        return report(error(
            Errc::io,
            fmt::format("cannot create the container's mount namespace: {}", std::strerror(errno)),
            {.sys_errno = errno}));

    // The caller holds the config lock and wrote the config it validated.
    std::string conf_path = host.config_path(vmid);
    auto parsed = host.read_config(vmid);
    if (!parsed)
        return report(parsed.error());
    auto settings = settings_of(parsed->config, conf_path);
    if (!settings)
        return report(settings.error());
    auto id_map = container_id_map(parsed->config.main, settings->unprivileged.value_or(false));
    if (!id_map)
        return report(id_map.error());

    std::vector<std::string> warnings;
    std::string rootdir = rootfs_mount_path(host, vmid);
    umount_recursive(rootdir);
    MountAllOptions options;
    options.at_start = true;
    options.id_map = *id_map;
    auto mounted = mount_all(host, vmid, *settings, options, warnings);
    for (const auto& w : warnings)
        warn(w);
    warnings.clear();
    if (!mounted)
        return report(mounted.error());

    // Proxmox's Setup->pre_start_hook: on the mounted rootfs, in this namespace.
    if (auto ok = setup_ct_files(rootdir, *settings, vmid, id_map->chown_to(), warnings); !ok)
        return report(ok.error());
    for (const auto& w : warnings)
        warn(w);

    char* helper_argv[] = {const_cast<char*>("pct-lxc-start"), argv[4], argv[5], nullptr};
    ::execv(argv[3], helper_argv);
    return report(error(
        Errc::not_found,
        fmt::format("cannot run libpct's start helper '{}': {}", argv[3], std::strerror(errno)),
        {.sys_errno = errno}));
}

PrestartOutput decode_prestart_output(std::string_view text) {
    PrestartOutput out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        if (line.starts_with("warning\t")) {
            out.warnings.emplace_back(line.substr(8));
            continue;
        }
        if (line.starts_with("error\t")) {
            std::vector<std::string_view> fields;
            std::string_view rest = line.substr(6);
            for (int i = 0; i < 3; ++i) {
                auto tab = rest.find('\t');
                fields.push_back(rest.substr(0, tab));
                rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
            }
            int code = 0;
            std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), code);
            out.error = error(code > 0 ? static_cast<Errc>(code) : Errc::internal,
                              std::string(rest), {.context = fields[2], .key = fields[1]});
            continue;
        }
        if (!out.other.empty())
            out.other += '\n';
        out.other += line;
    }
    return out;
}

std::string prestart_helper_for(const std::string& start_helper) {
    if (const char* env = std::getenv("PCT_PRESTART_HELPER"); env && *env)
        return env;
    auto slash = start_helper.rfind('/');
    return (slash == std::string::npos ? std::string() : start_helper.substr(0, slash + 1)) +
           "pct-prestart";
}

} // namespace pct::runtime::detail
