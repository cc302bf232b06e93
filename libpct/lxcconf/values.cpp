// SPDX-License-Identifier: AGPL-3.0-or-later
// Value helpers of the generator: Perl truthiness, stored integers, cpusets, IPv4.
#include "generate_impl.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace pct::lxcconf::detail {

bool perl_true(std::optional<std::string_view> value) {
    return value && !value->empty() && *value != "0";
}

Result<std::optional<std::uint64_t>> uint_option(const Section& conf, std::string_view key) {
    auto raw = conf.get(key);
    if (!raw)
        return std::optional<std::uint64_t>{};
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
    if (raw->empty() || ec != std::errc{} || end != raw->data() + raw->size())
        return fail(Errc::invalid_argument,
                    "type check ('integer') failed - got '" + std::string(*raw) + "'",
                    {.key = key});
    return std::optional<std::uint64_t>{v};
}

std::string cpuset_string(std::vector<unsigned> cpus) {
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    std::string out;
    auto flush = [&out](unsigned first, unsigned last) {
        if (!out.empty())
            out += ',';
        out += std::to_string(first);
        if (last != first)
            out += '-' + std::to_string(last);
    };
    for (std::size_t i = 0; i < cpus.size();) {
        std::size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1)
            ++j;
        flush(cpus[i], cpus[j]);
        i = j + 1;
    }
    return out;
}

std::optional<std::string> ipv4_with_broadcast(std::string_view cidr) {
    auto slash = cidr.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    std::array<unsigned, 4> octets{};
    std::string_view addr = cidr.substr(0, slash);
    for (std::size_t i = 0; i < 4; ++i) {
        auto dot = addr.find('.');
        std::string_view part = i < 3 ? addr.substr(0, dot) : addr;
        if ((i < 3 && dot == std::string_view::npos) || part.empty() || part.size() > 3)
            return std::nullopt;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), octets[i]);
        if (ec != std::errc{} || end != part.data() + part.size() || octets[i] > 255)
            return std::nullopt;
        if (i < 3)
            addr.remove_prefix(dot + 1);
    }
    std::string_view len_text = cidr.substr(slash + 1);
    unsigned len = 0;
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (len_text.empty() || ec != std::errc{} || end != len_text.data() + len_text.size() ||
        len > 32)
        return std::nullopt;
    std::uint32_t ip = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3];
    std::uint32_t hostmask = len == 0 ? 0xffffffffu : (len == 32 ? 0u : (0xffffffffu >> len));
    std::uint32_t bcast = ip | hostmask;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", bcast >> 24, (bcast >> 16) & 0xff,
                  (bcast >> 8) & 0xff, bcast & 0xff);
    return std::string(cidr) + ' ' + buf;
}

Version parse_version(std::string_view text) {
    Version v;
    auto dot = text.find('.');
    std::string_view major = text.substr(0, dot);
    std::from_chars(major.data(), major.data() + major.size(), v.major);
    if (dot != std::string_view::npos) {
        std::string_view minor = text.substr(dot + 1);
        std::from_chars(minor.data(), minor.data() + minor.size(), v.minor);
    }
    return v;
}

} // namespace pct::lxcconf::detail
