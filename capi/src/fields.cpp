// SPDX-License-Identifier: AGPL-3.0-or-later
// Sub-key tables and text conversions (Proxmox's parse_property_string value rules).
#include "fields.hpp"

#include <pct/model/one_line.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/properties.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace pct::capi {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

Result<bool> text_to_bool(std::string_view text) {
    std::string v = lower(text);
    if (v == "1" || v == "on" || v == "yes" || v == "true")
        return true;
    if (v == "0" || v == "off" || v == "no" || v == "false")
        return false;
    return fail(Errc::invalid_argument,
                "type check ('boolean') failed - got '" + std::string(text) + "'");
}

Result<std::uint64_t> text_to_uint(std::string_view text, std::uint64_t max) {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+')
        digits.remove_prefix(1);
    bool ok = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
    if (!ok)
        return fail(Errc::invalid_argument,
                    "type check ('integer') failed - got '" + std::string(text) + "'");
    std::uint64_t n = 0;
    for (char c : digits) {
        auto d = static_cast<std::uint64_t>(c - '0');
        if (n > (max - d) / 10)
            return fail(Errc::invalid_argument,
                        "value must have a maximum value of " + std::to_string(max));
        n = n * 10 + d;
    }
    return n;
}

Result<Number> text_to_number(std::string_view text) {
    // Proxmox's number: optional sign, digits with an optional fraction (or a bare
    // fraction), optional exponent.
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
        return i - start;
    };
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
        ++i;
    std::size_t mantissa = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa += digits();
    }
    bool ok = mantissa > 0;
    if (ok && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        ok = digits() > 0;
    }
    if (!ok || i != text.size())
        return fail(Errc::invalid_argument,
                    "type check ('number') failed - got '" + std::string(text) + "'");
    return Number{std::string(text)};
}

Result<std::string> text_to_string(std::string_view text) {
    if (text.find(',') != std::string_view::npos)
        return fail(Errc::invalid_argument, "illegal value with commas");
    if (pct::has_line_break(text))
        return fail(Errc::invalid_argument, "value must not contain a newline");
    return std::string(text);
}

namespace {

// mp `size`: text through parse_size, printed through format_size.
constexpr Field<MountPoint> size_field{"size",
                                       [](const MountPoint& v) -> std::optional<std::string> {
                                           if (!v.size)
                                               return std::nullopt;
                                           return render::size(*v.size);
                                       },
                                       [](MountPoint& v, std::string_view text) -> Result<void> {
                                           auto bytes = parse::size(text);
                                           if (!bytes)
                                               return std::unexpected(bytes.error());
                                           v.size = *bytes;
                                           return {};
                                       },
                                       [](MountPoint& v) { v.size.reset(); }};

// mp `idmap`: `passthrough` or `u|g:CT:HOST:COUNT` entries joined with `;`.
Result<std::vector<IdMapEntry>> parse_idmap(std::string_view text) {
    std::vector<IdMapEntry> out;
    auto bad = [&] {
        return fail(Errc::invalid_argument, "value does not match the regex pattern");
    };
    while (!text.empty()) {
        auto end = text.find(';');
        std::string_view part = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (end != std::string_view::npos && text.empty())
            return bad();
        if (part.size() < 2 || (part[0] != 'u' && part[0] != 'g') || part[1] != ':')
            return bad();
        IdMapEntry e;
        e.kind = part[0];
        part.remove_prefix(2);
        std::uint64_t* slots[] = {&e.ct, &e.host, &e.count};
        for (int k = 0; k < 3; ++k) {
            auto colon = part.find(':');
            if ((k < 2) == (colon == std::string_view::npos))
                return bad();
            std::string_view num = part.substr(0, colon);
            if (num.empty() || num.front() == '+')
                return bad();
            auto n = text_to_uint(num, std::numeric_limits<std::uint64_t>::max());
            if (!n)
                return bad();
            *slots[k] = *n;
            part = k < 2 ? part.substr(colon + 1) : std::string_view{};
        }
        if (e.count == 0)
            return bad();
        out.push_back(e);
    }
    if (out.empty())
        return bad();
    return out;
}

constexpr Field<MountPoint> idmap_field{"idmap",
                                        [](const MountPoint& v) -> std::optional<std::string> {
                                            if (v.idmap_passthrough.value_or(false))
                                                return std::string("passthrough");
                                            if (v.idmap.empty())
                                                return std::nullopt;
                                            std::string out;
                                            for (const auto& e : v.idmap) {
                                                if (!out.empty())
                                                    out += ';';
                                                out += e.kind;
                                                out += ':' + std::to_string(e.ct) + ':' +
                                                       std::to_string(e.host) + ':' +
                                                       std::to_string(e.count);
                                            }
                                            return out;
                                        },
                                        [](MountPoint& v, std::string_view text) -> Result<void> {
                                            if (text == "passthrough") {
                                                v.idmap_passthrough = true;
                                                v.idmap.clear();
                                                return {};
                                            }
                                            auto entries = parse_idmap(text);
                                            if (!entries)
                                                return std::unexpected(entries.error());
                                            v.idmap_passthrough.reset();
                                            v.idmap = std::move(*entries);
                                            return {};
                                        },
                                        [](MountPoint& v) {
                                            v.idmap_passthrough.reset();
                                            v.idmap.clear();
                                        }};

constexpr std::array k_net{
    field<NetInterface, &NetInterface::name>("name"),
    field<NetInterface, &NetInterface::bridge>("bridge"),
    field<NetInterface, &NetInterface::firewall>("firewall"),
    field<NetInterface, &NetInterface::gw>("gw"),
    field<NetInterface, &NetInterface::gw6>("gw6"),
    field<NetInterface, &NetInterface::host_managed>("host-managed"),
    field<NetInterface, &NetInterface::hwaddr>("hwaddr"),
    field<NetInterface, &NetInterface::ip>("ip"),
    field<NetInterface, &NetInterface::ip6>("ip6"),
    field<NetInterface, &NetInterface::link_down>("link_down"),
    field<NetInterface, &NetInterface::mtu>("mtu"),
    field<NetInterface, &NetInterface::rate>("rate"),
    field<NetInterface, &NetInterface::tag>("tag"),
    field<NetInterface, &NetInterface::trunks>("trunks"),
    field<NetInterface, &NetInterface::type>("type"),
};

constexpr std::array k_mount_point{
    field<MountPoint, &MountPoint::volume>("volume"),
    field<MountPoint, &MountPoint::mp>("mp"),
    size_field,
    field<MountPoint, &MountPoint::acl>("acl"),
    field<MountPoint, &MountPoint::backup>("backup"),
    field<MountPoint, &MountPoint::keepattrs>("keepattrs"),
    field<MountPoint, &MountPoint::mountoptions>("mountoptions"),
    idmap_field,
    field<MountPoint, &MountPoint::quota>("quota"),
    field<MountPoint, &MountPoint::replicate>("replicate"),
    field<MountPoint, &MountPoint::ro>("ro"),
    field<MountPoint, &MountPoint::shared>("shared"),
};

constexpr std::array k_device{
    field<Device, &Device::path>("path"),
    field<Device, &Device::mode>("mode"),
    field<Device, &Device::uid>("uid"),
    field<Device, &Device::gid>("gid"),
    field<Device, &Device::deny_write>("deny-write"),
};

constexpr std::array k_features{
    field<Features, &Features::force_rw_sys>("force_rw_sys"),
    field<Features, &Features::fuse>("fuse"),
    field<Features, &Features::keyctl>("keyctl"),
    field<Features, &Features::mknod>("mknod"),
    field<Features, &Features::mount>("mount"),
    field<Features, &Features::nesting>("nesting"),
};

constexpr std::array k_startup{
    field<StartupOrder, &StartupOrder::order>("order"),
    field<StartupOrder, &StartupOrder::up>("up"),
    field<StartupOrder, &StartupOrder::down>("down"),
};

} // namespace

std::span<const Field<NetInterface>> net_fields() { return k_net; }
std::span<const Field<MountPoint>> mount_point_fields() { return k_mount_point; }
std::span<const Field<Device>> device_fields() { return k_device; }
std::span<const Field<Features>> features_fields() { return k_features; }
std::span<const Field<StartupOrder>> startup_fields() { return k_startup; }

} // namespace pct::capi
