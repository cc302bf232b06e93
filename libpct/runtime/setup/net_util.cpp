// SPDX-License-Identifier: AGPL-3.0-or-later
#include "net_util.hpp"

#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <cstdint>

namespace pct::runtime::detail::setup {

namespace {

std::optional<unsigned> prefix_of(std::string_view text, unsigned max) {
    unsigned value = 0;
    if (text.empty() || text.size() > 3)
        return std::nullopt;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value > max)
        return std::nullopt;
    return value;
}

// The address bytes of `ip` in the family (4 or 16 bytes), nullopt when it does not parse.
std::optional<std::array<unsigned char, 16>> bytes_of(std::string_view ip, bool v6) {
    std::array<unsigned char, 16> out{};
    std::string s(ip);
    if (::inet_pton(v6 ? AF_INET6 : AF_INET, s.c_str(), out.data()) != 1)
        return std::nullopt;
    return out;
}

} // namespace

std::optional<Ipv4Cidr> parse_ipv4_cidr(std::string_view cidr) {
    auto slash = cidr.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    auto prefix = prefix_of(cidr.substr(slash + 1), 32);
    auto addr = bytes_of(cidr.substr(0, slash), false);
    if (!prefix || *prefix < 8 || !addr)
        return std::nullopt;
    std::uint32_t mask = *prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - *prefix);
    std::string netmask = std::to_string(mask >> 24) + "." + std::to_string((mask >> 16) & 255) +
                          "." + std::to_string((mask >> 8) & 255) + "." +
                          std::to_string(mask & 255);
    return Ipv4Cidr{std::string(cidr.substr(0, slash)), netmask};
}

std::optional<std::pair<std::string, std::string>> parse_ipv6_cidr(std::string_view cidr) {
    auto slash = cidr.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    if (!prefix_of(cidr.substr(slash + 1), 128) || !bytes_of(cidr.substr(0, slash), true))
        return std::nullopt;
    return std::pair{std::string(cidr.substr(0, slash)), std::string(cidr.substr(slash + 1))};
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr, bool v6) {
    auto slash = cidr.find('/');
    if (slash == std::string_view::npos)
        return false;
    auto prefix = prefix_of(cidr.substr(slash + 1), v6 ? 128 : 32);
    auto net = bytes_of(cidr.substr(0, slash), v6);
    auto addr = bytes_of(ip, v6);
    if (!prefix || !net || !addr)
        return false;
    for (unsigned bit = 0; bit < *prefix; ++bit) {
        unsigned char m = static_cast<unsigned char>(0x80u >> (bit % 8));
        if (((*net)[bit / 8] & m) != ((*addr)[bit / 8] & m))
            return false;
    }
    return true;
}

} // namespace pct::runtime::detail::setup
