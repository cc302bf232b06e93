// SPDX-License-Identifier: AGPL-3.0-or-later
// Hand-written equivalents of the Perl patterns behind Proxmox's named formats
// (PVE::JSONSchema, PVE::ParseUtils, PVE::LXC::Config, PVE::Storage).
#include "pct/internal/formats.hpp"

#include "pct/internal/bytes.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <set>
#include <utility>

namespace pct::parse::detail {
namespace {

using sv = std::string_view;

using pct::detail::all_in_class;
using pct::detail::cc_alnum;
using pct::detail::cc_dash;
using pct::detail::cc_dot;
using pct::detail::cc_word;
using pct::detail::in_class;
using pct::detail::same_bytes;

// Character classes as function objects, so that the algorithms below inline them (a
// function pointer passed to std::all_of is called per character).
constexpr auto is_digit = [](char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; };
constexpr auto is_alpha = [](char c) noexcept { return in_class(c, pct::detail::cc_alpha); };
constexpr auto is_alnum = [](char c) noexcept { return in_class(c, cc_alnum); };
constexpr auto is_word = [](char c) noexcept { return in_class(c, cc_word); };
constexpr auto is_hex = [](char c) noexcept { return in_class(c, pct::detail::cc_hex); };

constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(sv a, sv b) noexcept {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

// Splits on one separator character, keeping empty fields.
// Fields are a few bytes long: a plain loop beats a library search per field.
template <class F> bool for_each_field(sv text, char sep, F&& f) {
    std::size_t start = 0;
    for (std::size_t i = 0;; ++i) {
        if (i == text.size() || text[i] == sep) {
            if (!f(text.substr(start, i - start)))
                return false;
            if (i == text.size())
                return true;
            start = i + 1;
        }
    }
}

bool is_h16(sv g) noexcept {
    return !g.empty() && g.size() <= 4 && std::all_of(g.begin(), g.end(), is_hex);
}

// Counts the 16-bit groups of a `h16(:h16)*` run whose last element may be an IPv4 address
// (worth two groups); -1 when malformed.
int count_groups(sv part, bool allow_ipv4_tail) noexcept {
    if (part.empty())
        return 0;
    int groups = 0;
    bool ok = true;
    bool last_was_ipv4 = false;
    for_each_field(part, ':', [&](sv g) {
        if (last_was_ipv4) {
            ok = false; // an IPv4 address only ends the address
            return false;
        }
        if (is_h16(g)) {
            ++groups;
        } else if (allow_ipv4_tail && is_ipv4(g)) {
            groups += 2;
            last_was_ipv4 = true;
        } else {
            ok = false;
            return false;
        }
        return true;
    });
    return ok ? groups : -1;
}

// 0 when not a CIDR of that family in [8, max].
bool is_cidr(sv v, bool v6) noexcept {
    std::size_t slash = v.size();
    while (slash > 0 && v[slash - 1] != '/')
        --slash;
    if (slash == 0)
        return false;
    --slash;
    sv addr(v.data(), slash);
    sv bits(v.data() + slash + 1, v.size() - slash - 1);
    if (bits.empty() || !all_in_class(bits, pct::detail::cc_digit))
        return false;
    while (bits.size() > 1 && bits[0] == '0')
        bits.remove_prefix(1);
    if (bits.size() > 3)
        return false;
    int n = 0;
    for (char c : bits)
        n = n * 10 + (c - '0');
    if (n <= 7 || n > (v6 ? 128 : 32))
        return false;
    return v6 ? is_ipv6(addr) : is_ipv4(addr);
}

bool is_configid(sv v) noexcept {
    if (v.size() < 2 || !is_alpha(v[0]))
        return false;
    return std::all_of(v.begin() + 1, v.end(),
                       [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

bool is_tag(sv v) noexcept {
    if (v.empty() || !is_word(v[0]))
        return false;
    return std::all_of(v.begin() + 1, v.end(),
                       [](char c) { return is_word(c) || c == '-' || c == '+' || c == '.'; });
}

bool is_ip_with_ll_iface(sv v) noexcept {
    // /^(fe80:[^%]+)%(.*)$/ with both parts valid, else any IP address.
    if (pct::detail::has_prefix(v, "fe80:")) {
        auto pct = v.find('%');
        if (pct != sv::npos && pct > 5) {
            sv addr = v.substr(0, pct);
            sv iface = v.substr(pct + 1);
            if (iface.find('\n') == sv::npos && (is_ipv4(addr) || is_ipv6(addr)) && is_iface(iface))
                return true;
        }
    }
    return is_ipv4(v) || is_ipv6(v);
}

// `/./` or `/../` anywhere, `/.` or `/..` at the end, `../` at the start.
bool is_lxc_mp_string(sv v) noexcept {
    if (pct::detail::has_prefix(v, "../"))
        return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '/' || i + 1 >= v.size() || v[i + 1] != '.')
            continue;
        std::size_t j = i + 2;
        if (j < v.size() && v[j] == '.')
            ++j;
        if (j == v.size() || v[j] == '/')
            return false;
    }
    return true;
}

bool is_lxc_dev_string(sv v) noexcept {
    if (!pct::detail::has_prefix(v, "/dev/"))
        return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != '/' || i + 1 >= v.size() || v[i + 1] != '.')
            continue;
        std::size_t j = i + 2;
        if (j < v.size() && v[j] == '.')
            ++j;
        if (j == v.size() || v[j] == '/')
            return false;
    }
    return true;
}

bool is_ident(sv v) noexcept { return !v.empty() && all_in_class(v, cc_word | cc_dash | cc_dot); }

bool is_digit_list(sv v) noexcept {
    return for_each_field(v, ';', [](sv f) { return is_digits(f); });
}

bool is_mount_options(sv v) noexcept {
    static constexpr sv options[] = {"discard", "lazytime", "noatime", "nodev", "noexec", "nosuid"};
    return for_each_field(v, ';', [](sv f) {
        return std::find(std::begin(options), std::end(options), f) != std::end(options);
    });
}

bool is_idmap(sv v) noexcept {
    if (pct::detail::same_bytes(v, "passthrough"))
        return true;
    return for_each_field(v, ';', [](sv entry) {
        int field = 0;
        bool ok = true;
        for_each_field(entry, ':', [&](sv f) {
            switch (field++) {
            case 0:
                ok = (f == "u" || f == "g");
                break;
            case 1:
            case 2:
                ok = is_digits(f);
                break;
            case 3:
                ok = is_digits(f) && f[0] != '0';
                break;
            default:
                ok = false;
            }
            return ok;
        });
        return ok && field == 4;
    });
}

bool is_fs_types(sv v) noexcept {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
        return is_alnum(c) || c == '_' || c == ';' || c == ' ';
    });
}

bool is_dev_mode(sv v) noexcept {
    return v.size() == 4 && v[0] == '0' &&
           std::all_of(v.begin() + 1, v.end(), [](char c) { return c >= '0' && c <= '7'; });
}

// [^\x00-\x08\x0a-\x1F\x7F]: TAB and printable bytes (>= 0x80 too).
constexpr auto is_env_char = [](char ch) noexcept {
    auto c = static_cast<unsigned char>(ch);
    return c == '\t' || (c >= 0x20 && c != 0x7f);
};

bool is_entrypoint(sv v) noexcept {
    return !v.empty() && std::all_of(v.begin(), v.end(), is_env_char);
}

bool is_env(sv v) noexcept {
    return for_each_field(v, '\0', [](sv entry) {
        auto eq = entry.find('=');
        if (eq == 0 || eq == sv::npos)
            return false;
        sv name = entry.substr(0, eq);
        sv value = entry.substr(eq + 1);
        return std::all_of(name.begin(), name.end(), is_word) &&
               std::all_of(value.begin(), value.end(), is_env_char);
    });
}

// The zone names of column 3 of zone.tab, loaded once and never changed afterwards.
const std::set<std::string, std::less<>>& zone_names() {
    static const std::set<std::string, std::less<>> zones = [] {
        std::set<std::string, std::less<>> out;
        std::ifstream in("/usr/share/zoneinfo/zone.tab");
        std::string line;
        while (std::getline(in, line)) {
            auto first = line.find_first_not_of(" \t\r\f\v");
            if (first != std::string::npos && line[first] == '#')
                continue;
            std::size_t col = 0;
            for_each_field(line, '\t', [&](sv f) {
                if (col++ == 2) {
                    out.emplace(f);
                    return false;
                }
                return true;
            });
        }
        return out;
    }();
    return zones;
}

enum class Base {
    dns_name,
    ip_ll_iface,
    ct_timezone,
    timezone,
    configid,
    volume_id,
    tag,
    ipv4,
    ipv6,
    ip,
    mac_addr,
    ipv4_config,
    ipv6_config,
    disk_size,
    lxc_mp_string,
    lxc_dev_string,
    startup_order,
};

struct NamedFormat {
    sv name;
    Base base;
};

// Indexed by Base.
constexpr NamedFormat k_formats[] = {
    {"dns-name", Base::dns_name},
    {"lxc-ip-with-ll-iface", Base::ip_ll_iface},
    {"pve-ct-timezone", Base::ct_timezone},
    {"timezone", Base::timezone},
    {"pve-configid", Base::configid},
    {"pve-volume-id", Base::volume_id},
    {"pve-tag", Base::tag},
    {"ipv4", Base::ipv4},
    {"ipv6", Base::ipv6},
    {"ip", Base::ip},
    {"mac-addr", Base::mac_addr},
    {"pve-ipv4-config", Base::ipv4_config},
    {"pve-ipv6-config", Base::ipv6_config},
    {"disk-size", Base::disk_size},
    {"pve-lxc-mp-string", Base::lxc_mp_string},
    {"pve-lxc-dev-string", Base::lxc_dev_string},
    {"pve-startup-order", Base::startup_order},
};

constexpr bool formats_indexed_by_base() {
    for (std::size_t i = 0; i < std::size(k_formats); ++i)
        if (static_cast<std::size_t>(k_formats[i].base) != i)
            return false;
    return true;
}
static_assert(formats_indexed_by_base());

// The format checks run for every value of every file read: pick the one candidate by
// length and a distinguishing character, then compare once.
const NamedFormat* lookup(sv name) noexcept {
    Base b;
    switch (name.size()) {
    case 2:
        b = Base::ip;
        break;
    case 4:
        b = name[3] == '4' ? Base::ipv4 : Base::ipv6;
        break;
    case 7:
        b = Base::tag;
        break;
    case 8:
        b = name[0] == 'd' ? Base::dns_name : name[0] == 'm' ? Base::mac_addr : Base::timezone;
        break;
    case 9:
        b = Base::disk_size;
        break;
    case 12:
        b = Base::configid;
        break;
    case 13:
        b = Base::volume_id;
        break;
    case 15:
        b = name[4] == 'c'   ? Base::ct_timezone
            : name[7] == '4' ? Base::ipv4_config
                             : Base::ipv6_config;
        break;
    case 17:
        b = name[4] == 'l' ? Base::lxc_mp_string : Base::startup_order;
        break;
    case 18:
        b = Base::lxc_dev_string;
        break;
    case 20:
        b = Base::ip_ll_iface;
        break;
    default:
        return nullptr;
    }
    const NamedFormat& f = k_formats[static_cast<std::size_t>(b)];
    return pct::detail::same_bytes(f.name, name) ? &f : nullptr;
}

// split_list's elements, without building the list; stops when `f` returns false.
template <class F> bool for_each_list_element(sv text, F&& f) {
    if (text.find('\0') != sv::npos) {
        // Trailing empty fields are dropped, inner ones kept.
        while (!text.empty() && text.back() == '\0')
            text.remove_suffix(1);
        if (text.empty())
            return true;
        return for_each_field(text, '\0', f);
    }
    std::size_t i = 0;
    auto sep = pct::detail::is_list_separator;
    while (i < text.size()) {
        while (i < text.size() && sep(text[i]))
            ++i;
        std::size_t start = i;
        while (i < text.size() && !sep(text[i]))
            ++i;
        if (i > start && !f(text.substr(start, i - start)))
            return false;
    }
    return true;
}

[[gnu::always_inline]] inline bool base_valid(Base base, sv v) {
    switch (base) {
    case Base::dns_name:
        return is_dns_name(v);
    case Base::ip_ll_iface:
        return is_ip_with_ll_iface(v);
    case Base::ct_timezone:
        return pct::detail::same_bytes(v, "host") || is_timezone(v);
    case Base::timezone:
        return is_timezone(v);
    case Base::configid:
        return is_configid(v);
    case Base::volume_id:
        return is_volume_id(v);
    case Base::tag:
        return is_tag(v);
    case Base::ipv4:
        return is_ipv4(v);
    case Base::ipv6:
        return is_ipv6(v);
    case Base::ip:
        return is_ipv4(v) || is_ipv6(v);
    case Base::mac_addr:
        return is_mac_addr(v);
    case Base::ipv4_config:
        return same_bytes(v, "dhcp") || same_bytes(v, "manual") || is_cidr(v, false);
    case Base::ipv6_config:
        return same_bytes(v, "auto") || same_bytes(v, "dhcp") || same_bytes(v, "manual") ||
               is_cidr(v, true);
    case Base::disk_size:
        return is_disk_size(v);
    case Base::lxc_mp_string:
        return is_lxc_mp_string(v);
    case Base::lxc_dev_string:
        return is_lxc_dev_string(v);
    case Base::startup_order:
        return parse_startup_order(v).has_value();
    }
    return false;
}

// The text Proxmox dies with for a value base_valid refuses.
std::string base_message(Base base, sv v) {
    switch (base) {
    case Base::dns_name:
        return "value does not look like a valid DNS name";
    case Base::ip_ll_iface:
        return "value does not look like a valid IP address";
    case Base::ct_timezone:
        return "invalid time zone '" + std::string(v) + "'";
    case Base::timezone:
        return "invalid time zone '" + std::string(v) + "'";
    case Base::configid:
        return "invalid configuration ID '" + std::string(v) + "'";
    case Base::volume_id:
        return "unable to parse volume ID '" + std::string(v) + "'";
    case Base::tag:
        return "invalid characters in tag";
    case Base::ipv4:
        return "value does not look like a valid IPv4 address";
    case Base::ipv6:
        return "value does not look like a valid IPv6 address";
    case Base::ip:
        return "value does not look like a valid IP address";
    case Base::mac_addr:
        return "value does not look like a valid unicast MAC address";
    case Base::ipv4_config:
        return "value does not look like a valid ipv4 network configuration";
    case Base::ipv6_config:
        return "value does not look like a valid ipv6 network configuration";
    case Base::disk_size:
        return "value does not look like a valid disk size: " + std::string(v);
    case Base::lxc_mp_string:
        return std::string(v) + " contains illegal character sequences";
    case Base::lxc_dev_string:
        return std::string(v) + " is not a valid device path";
    case Base::startup_order:
        return "unable to parse startup options";
    }
    return "internal error";
}

} // namespace

bool is_digits(sv v) noexcept { return !v.empty() && std::all_of(v.begin(), v.end(), is_digit); }

bool is_integer(sv v) noexcept {
    if (!v.empty() && (v[0] == '+' || v[0] == '-'))
        v.remove_prefix(1);
    return is_digits(v);
}

bool is_number(sv v) noexcept {
    std::size_t i = 0;
    if (i < v.size() && (v[i] == '+' || v[i] == '-'))
        ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < v.size() && is_digit(v[i]))
        ++i, ++int_digits;
    if (i < v.size() && v[i] == '.') {
        ++i;
        while (i < v.size() && is_digit(v[i]))
            ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0)
        return false;
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        if (i < v.size() && (v[i] == '+' || v[i] == '-'))
            ++i;
        std::size_t exp_digits = 0;
        while (i < v.size() && is_digit(v[i]))
            ++i, ++exp_digits;
        if (exp_digits == 0)
            return false;
    }
    return i == v.size();
}

double number_value(sv v) noexcept {
    if (!v.empty() && v[0] == '+')
        v.remove_prefix(1);
    double out = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc::result_out_of_range)
        return (!v.empty() && v[0] == '-') ? -HUGE_VAL : HUGE_VAL;
    (void)end;
    return out;
}

std::string perl_number_text(double v) {
    if (std::isfinite(v) && v == std::trunc(v) && std::fabs(v) < 1.8446744073709552e19) {
        if (v < 0)
            return "-" + std::to_string(static_cast<std::uint64_t>(-v));
        return std::to_string(static_cast<std::uint64_t>(v));
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

std::optional<bool> parse_boolean(sv v) noexcept {
    // "1" and "0" are what files hold: decided before the case-insensitive words.
    if (v.size() == 1) {
        if (v[0] == '1')
            return true;
        if (v[0] == '0')
            return false;
        return std::nullopt;
    }
    if (iequals(v, "on") || iequals(v, "yes") || iequals(v, "true"))
        return true;
    if (iequals(v, "off") || iequals(v, "no") || iequals(v, "false"))
        return false;
    return std::nullopt;
}

bool is_ipv4(sv v) noexcept {
    // Four dot-separated octets: 1-3 digits, no leading zero, at most 255.
    const char* p = v.data();
    const char* end = p + v.size();
    auto digit = [&](const char* q) -> unsigned {
        return q < end ? static_cast<unsigned char>(*q - '0') : 10u;
    };
    for (int field = 0; field < 4; ++field) {
        if (field > 0) {
            if (p == end || *p != '.')
                return false;
            ++p;
        }
        unsigned n = digit(p);
        if (n > 9)
            return false;
        ++p;
        if (unsigned d = digit(p); d <= 9) {
            if (n == 0)
                return false;
            n = n * 10 + d;
            ++p;
            if (unsigned e = digit(p); e <= 9) {
                n = n * 10 + e;
                ++p;
                if (n > 255 || digit(p) <= 9)
                    return false;
            }
        }
    }
    return p == end;
}

bool is_ipv6(sv v) noexcept {
    auto dc = v.find("::");
    if (dc == sv::npos) {
        // (h16:){6} ls32: eight groups, the last two possibly an IPv4 address.
        return count_groups(v, true) == 8;
    }
    if (v.find("::", dc + 1) != sv::npos)
        return false;
    sv head = v.substr(0, dc);
    sv tail = v.substr(dc + 2);
    int h = count_groups(head, false);
    int t = count_groups(tail, true);
    return h >= 0 && t >= 0 && h + t <= 7;
}

bool is_dns_name(sv v) noexcept {
    // Dot-separated labels of [A-Za-z0-9-], each starting and ending alphanumeric.
    std::size_t start = 0;
    for (std::size_t i = 0;; ++i) {
        if (i == v.size() || v[i] == '.') {
            if (i == start || !is_alnum(v[start]) || !is_alnum(v[i - 1]))
                return false;
            if (i == v.size())
                return true;
            start = i + 1;
        } else if (!in_class(v[i], cc_alnum | cc_dash)) {
            return false;
        }
    }
}

bool is_iface(sv v) noexcept {
    // ^[a-z][a-z0-9_]{1,20}([:.]\d+)?$ (case-insensitive)
    if (v.empty() || !is_alpha(v[0]))
        return false;
    std::size_t i = 1;
    while (i < v.size() && is_word(v[i]))
        ++i;
    std::size_t run = i - 1;
    if (run < 1 || run > 20)
        return false;
    if (i == v.size())
        return true;
    if (v[i] != ':' && v[i] != '.')
        return false;
    return is_digits(v.substr(i + 1));
}

bool is_volume_id(sv v) noexcept {
    // ^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$ (case-insensitive)
    auto colon = v.find(':');
    if (colon == sv::npos || colon < 2 || colon + 1 >= v.size())
        return false;
    sv store = v.substr(0, colon);
    if (!is_alpha(store.front()) || !is_alnum(store.back()))
        return false;
    if (!std::all_of(store.begin(), store.end(),
                     [](char c) { return is_word(c) || c == '-' || c == '.'; }))
        return false;
    return v.find('\n', colon) == sv::npos;
}

bool is_mac_addr(sv v) noexcept {
    // ^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$ (case-insensitive): unicast only.
    if (v.size() != 17 || !is_hex(v[0]))
        return false;
    char second = lower(v[1]);
    bool even = second == '0' || second == '2' || second == '4' || second == '6' || second == '8' ||
                second == 'a' || second == 'c' || second == 'e';
    if (!even)
        return false;
    for (std::size_t i = 2; i < 17; i += 3)
        if (v[i] != ':' || !is_hex(v[i + 1]) || !is_hex(v[i + 2]))
            return false;
    return true;
}

bool is_timezone(sv v) {
    if (pct::detail::same_bytes(v, "UTC"))
        return true;
    const auto& zones = zone_names();
    return zones.find(v) != zones.end();
}

bool is_disk_size(sv v) noexcept {
    std::size_t i = 0;
    while (i < v.size() && is_digit(v[i]))
        ++i;
    if (i == 0)
        return false;
    if (i < v.size() && v[i] == '.') {
        std::size_t start = ++i;
        while (i < v.size() && is_digit(v[i]))
            ++i;
        if (i == start)
            return false;
    }
    if (i == v.size())
        return true;
    if (v[i] != 'K' && v[i] != 'M' && v[i] != 'G' && v[i] != 'T')
        return false;
    sv rest = v.substr(i + 1);
    return rest.empty() || pct::detail::same_bytes(rest, "iB");
}

std::optional<std::uint64_t> parse_size(sv v, SizeError* why) noexcept {
    auto fail = [&](SizeError e) -> std::optional<std::uint64_t> {
        if (why)
            *why = e;
        return std::nullopt;
    };
    if (!is_disk_size(v))
        return fail(SizeError::syntax);
    std::size_t end = 0;
    while (end < v.size() && (is_digit(v[end]) || v[end] == '.'))
        ++end;
    sv number = v.substr(0, end);
    int shift = 0;
    if (end < v.size())
        shift = 10 * static_cast<int>(1 + sv("KMGT").find(v[end]));
    if (number.find('.') == sv::npos) {
        // Perl keeps integer arithmetic exact while it fits 64 bits.
        std::uint64_t n = 0;
        auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
        (void)p;
        if (ec != std::errc{})
            return fail(SizeError::range);
        if (shift > 0 && n > (std::numeric_limits<std::uint64_t>::max() >> shift))
            return fail(SizeError::range);
        return n << shift;
    }
    double d = 0;
    std::from_chars(number.data(), number.data() + number.size(), d);
    d = std::ldexp(d, shift);
    if (!(d < 18446744073709551616.0))
        return fail(SizeError::range);
    return static_cast<std::uint64_t>(d);
}

std::vector<sv> split_list(sv text) {
    std::vector<sv> out;
    for_each_list_element(text, [&](sv f) {
        out.push_back(f);
        return true;
    });
    return out;
}

namespace {

// Splits `format` into its base and its `-list`/`-opt` suffix.
enum class FormatKind : unsigned char { single = 0, list = 1, opt = 2 };
const NamedFormat* resolve(sv format, FormatKind& kind) noexcept {
    kind = FormatKind::single;
    sv name = format;
    if (!name.empty() && name.back() == 't') {
        if (pct::detail::has_suffix(name, "-list")) {
            name.remove_suffix(5);
            kind = FormatKind::list;
        } else if (pct::detail::has_suffix(name, "-opt")) {
            name.remove_suffix(4);
            kind = FormatKind::opt;
        }
    }
    return lookup(name);
}

} // namespace

std::optional<FormatRef> resolve_format(sv format) noexcept {
    FormatKind kind;
    const NamedFormat* f = resolve(format, kind);
    if (!f)
        return std::nullopt;
    return FormatRef{static_cast<unsigned char>(f->base), static_cast<unsigned char>(kind)};
}

bool format_valid(FormatRef format, sv value) {
    auto base = static_cast<Base>(format.base);
    switch (static_cast<FormatKind>(format.kind)) {
    case FormatKind::list:
        return for_each_list_element(value, [&](sv element) { return base_valid(base, element); });
    case FormatKind::opt:
        if (value.empty() || (value.size() == 1 && value[0] == '0'))
            return true;
        break;
    case FormatKind::single:
        break;
    }
    return base_valid(base, value);
}

namespace {

// base_valid for one base, as a plain function (the switch folds away).
template <Base B> bool base_is(sv v) { return base_valid(B, v); }

template <std::size_t... I> constexpr auto base_matchers(std::index_sequence<I...>) {
    return std::array<ValueMatcher, sizeof...(I)>{&base_is<static_cast<Base>(I)>...};
}

} // namespace

ValueMatcher format_matcher(FormatRef format) noexcept {
    static constexpr auto matchers =
        base_matchers(std::make_index_sequence<std::size(k_formats)>{});
    if (static_cast<FormatKind>(format.kind) != FormatKind::single ||
        format.base >= matchers.size())
        return nullptr;
    return matchers[format.base];
}

bool format_valid(sv format, sv value) {
    auto f = resolve_format(format);
    return f && format_valid(*f, value);
}

std::optional<std::string> check_format(sv format, sv value) {
    if (format_valid(format, value))
        return std::nullopt;
    FormatKind kind;
    const NamedFormat* f = resolve(format, kind);
    if (!f)
        return "undefined format '" + std::string(format) + "'";
    if (kind == FormatKind::list) {
        std::optional<std::string> err;
        for_each_list_element(value, [&](sv element) {
            if (!base_valid(f->base, element))
                err = base_message(f->base, element);
            return !err;
        });
        return err;
    }
    return base_message(f->base, value);
}

PatternMatcher pattern_matcher(sv pattern) noexcept {
    struct Matcher {
        sv pattern;
        PatternMatcher match;
    };
    static constexpr Matcher matchers[] = {
        {R"([-_.\w\d]+)", is_ident},
        {R"(\d+(?:;\d+)*)", is_digit_list},
        {"(discard|lazytime|noatime|nodev|noexec|nosuid)"
         "(;(discard|lazytime|noatime|nodev|noexec|nosuid))*",
         is_mount_options},
        {"(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)",
         is_idmap},
        {"[a-zA-Z0-9_; ]+", is_fs_types},
        {"0[0-7]{3}", is_dev_mode},
        {R"([^\x00-\x08\x0a-\x1F\x7F]+)", is_entrypoint},
        {R"((?:\w+=[^\x00-\x08\x0a-\x1F\x7F]*)(?:\x00\w+=[^\x00-\x08\x0a-\x1F\x7F]*)*)", is_env},
    };
    static_assert(matchers[0].pattern.size() == 10 && matchers[1].pattern.size() == 12 &&
                  matchers[2].pattern.size() == 96 && matchers[3].pattern.size() == 82 &&
                  matchers[4].pattern.size() == 15 && matchers[5].pattern.size() == 9 &&
                  matchers[6].pattern.size() == 26 && matchers[7].pattern.size() == 73);
    // The patterns differ in length: one comparison finds the matcher.
    const Matcher* m = nullptr;
    switch (pattern.size()) {
    case 10:
        m = &matchers[0];
        break;
    case 12:
        m = &matchers[1];
        break;
    case 96:
        m = &matchers[2];
        break;
    case 82:
        m = &matchers[3];
        break;
    case 15:
        m = &matchers[4];
        break;
    case 9:
        m = &matchers[5];
        break;
    case 26:
        m = &matchers[6];
        break;
    case 73:
        m = &matchers[7];
        break;
    default:
        break;
    }
    if (!m || !pct::detail::same_bytes(m->pattern, pattern))
        return nullptr;
    return m->match;
}

bool match_pattern(sv pattern, sv value, bool* known) noexcept {
    PatternMatcher match = pattern_matcher(pattern);
    if (known)
        *known = match != nullptr;
    return match && match(value);
}

std::optional<StartupParts> parse_startup_order(sv v) noexcept {
    // Perl-false values ("" and "0") are refused before splitting.
    if (v.empty() || (v.size() == 1 && v[0] == '0'))
        return std::nullopt;
    StartupParts parts;
    const char* p = v.data();
    const char* end = p + v.size();
    while (true) {
        const char* comma = p;
        while (comma != end && *comma != ',')
            ++comma;
        sv part(p, static_cast<std::size_t>(comma - p));
        // `order=N`, a bare `N` (order), `up=N`, `down=N`; blank parts are skipped.
        std::optional<sv>* slot = nullptr;
        std::size_t skip = 0;
        if (!part.empty() && is_digit(part[0])) {
            slot = &parts.order;
        } else if (pct::detail::has_prefix(part, "order=")) {
            slot = &parts.order;
            skip = 6;
        } else if (pct::detail::has_prefix(part, "up=")) {
            slot = &parts.up;
            skip = 3;
        } else if (pct::detail::has_prefix(part, "down=")) {
            slot = &parts.down;
            skip = 5;
        }
        if (slot && is_digits(part.substr(skip)))
            *slot = part.substr(skip);
        else if (!all_in_class(part, pct::detail::cc_space))
            return std::nullopt;
        if (comma == end)
            return parts;
        p = comma + 1;
    }
}

} // namespace pct::parse::detail
