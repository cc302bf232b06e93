// SPDX-License-Identifier: AGPL-3.0-or-later
// Fuzzes the LXC config generator with models no file could hold: arbitrary option keys and
// values (line breaks, NULs, odd property strings in devN/mpN/netN/features), raw lxc entries
// and host facts. Beyond "no crash, no sanitizer report", it checks the generator's contract:
// it fails, or every line of its output is one `key = value` line with a key of lxc syntax
// and no CR or NUL in the value; and a model holding a line break never generates at all.
//
// Input: records separated by 0x1E, fields by 0x1F (readable seeds in fuzz/corpus/lxcgen).
// The first record is a string of host flags: `p` proxmox profile (else native), `a` AppArmor,
// `1` cgroup v1, `h` hybrid (else v2), `5` lxc 5.0, `3` lxc 3.0 (else 6.0), `m` a
// pve-lxc-syscalld socket, `c` a cpuset. Then `o KEY VALUE` sets an option, `l KEY VALUE`
// appends a raw lxc entry, `d KEY` removes an option, `P PATH` sets the lxcpath. The model
// starts with `arch`, `ostype` and `rootfs` so that inputs reach the later steps.
#include <pct/lxcconf.hpp>
#include <pct/model/one_line.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    while (true) {
        auto at = text.find(sep);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos)
            return out;
        text.remove_prefix(at + 1);
    }
}

pct::lxcconf::HostFacts host_from(std::string_view flags) {
    using pct::lxcconf::CgroupMode;
    auto has = [flags](char c) { return flags.find(c) != std::string_view::npos; };
    pct::lxcconf::HostFacts h;
    h.apparmor = has('a');
    h.cgroup = has('1') ? CgroupMode::v1 : has('h') ? CgroupMode::hybrid : CgroupMode::v2;
    h.lxc_version = has('5') ? "5.0" : has('3') ? "3.0" : "6.0";
    if (!has('m'))
        h.syscalld_socket.clear();
    if (has('c'))
        h.cpuset = std::vector<unsigned>{0, 1, 2, 3};
    h.bridge_mtu = {{"vmbr0", 1500}, {"vmbr1", 9000}};
    // Pinned, so that runs do not depend on the fuzzing machine's lxc-templates.
    h.lxc_config_files = pct::lxcconf::HostFacts::proxmox_reference().lxc_config_files;
    return h;
}

/// A model input that must make the generation fail: a line break in a key or value (an
/// `env` value's NULs separate its entries), or a raw key not of lxc syntax.
bool must_fail(const pct::Section& s) {
    for (const auto& [key, value] : s.options) {
        if (pct::has_line_break(key))
            return true;
        std::string_view v = value;
        if (key == "env" ? v.find_first_of("\r\n") != std::string_view::npos
                         : pct::has_line_break(v))
            return true;
    }
    for (const auto& e : s.lxc)
        if (!pct::is_lxc_key_syntax(e.key) || pct::has_line_break(e.value))
            return true;
    return false;
}

/// Every line `KEY = VALUE` with KEY of lxc syntax, VALUE without CR or NUL; the text ends
/// with a line feed (or is empty).
bool one_key_per_line(std::string_view text) {
    if (!text.empty() && text.back() != '\n')
        return false;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl + 1);
        auto eq = line.find(" = ");
        if (eq == std::string_view::npos || !pct::is_lxc_key_syntax(line.substr(0, eq)) ||
            pct::has_line_break(line.substr(eq + 3)))
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto records = split(std::string_view(reinterpret_cast<const char*>(data), size), '\x1e');
    auto host = host_from(records[0]);

    pct::ContainerConfig cfg;
    auto& opts = cfg.main.options;
    opts["arch"] = "amd64";
    opts["ostype"] = "debian";
    opts["rootfs"] = "local:100/vm-100-disk-0.raw,size=8G";
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto f = split(records[i], '\x1f');
        if (f.size() < 2 || f[0].size() != 1)
            continue;
        std::string key(f[1]);
        std::string value = f.size() > 2 ? std::string(f[2]) : std::string();
        switch (f[0][0]) {
        case 'o':
            opts[key] = value;
            break;
        case 'l':
            cfg.main.lxc.push_back({key, value});
            break;
        case 'd':
            opts.erase(key);
            break;
        case 'P':
            host.lxcpath = key;
            break;
        default:
            break;
        }
    }

    pct::lxcconf::GenerateOptions options;
    options.profile = records[0].find('p') != std::string_view::npos
                          ? pct::lxcconf::Profile::proxmox
                          : pct::lxcconf::Profile::native;
    options.vmid = 100;
    auto generated = pct::lxcconf::generate(cfg, host, options);
    if (!generated)
        return 0;
    if (must_fail(cfg.main) || !one_key_per_line(generated->config))
        std::abort();
    return 0;
}
