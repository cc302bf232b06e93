// SPDX-License-Identifier: AGPL-3.0-or-later
// Typed property strings: Proxmox's parse_property_string plus the conversions of
// parse_volume / parse_device / pve_parse_startup_order, and parse_size.
#include <pct/parse/properties.hpp>

#include "pct/internal/formats.hpp"
#include "pct/internal/properties.hpp"

#include <pct/model/schema.hpp>

#include <charconv>

namespace pct::parse {
namespace {

using detail::PropPair;

std::span<const schema::KeyInfo> sub_keys(std::string_view key) {
    return schema::find(key)->sub_keys;
}

// Splits and checks `text` against the schema of `schema_key`; errors name `family`.
Result<std::vector<PropPair>> checked_pairs(std::string_view family, std::string_view schema_key,
                                            std::string_view text) {
    if (text.find_first_of("\n\r") != std::string_view::npos)
        return fail(Errc::parse, "property contains a line feed", {.key = family});
    auto pairs = detail::parse_property_string(sub_keys(schema_key), text);
    if (!pairs) {
        pairs.error().key = std::string(family);
        return std::unexpected(std::move(pairs.error()));
    }
    return pairs;
}

// An integer the object check accepted (`^[+-]?\d+$` within the schema's range).
template <class T> std::optional<T> to_unsigned(std::string_view v) {
    if (!v.empty() && v[0] == '+')
        v.remove_prefix(1);
    if (v.starts_with('-')) {
        // Only "-0..." can pass a minimum of 0 or more.
        v.remove_prefix(1);
        if (v.find_first_not_of('0') != std::string_view::npos)
            return std::nullopt;
        return T{0};
    }
    T out{};
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc{} || end != v.data() + v.size())
        return std::nullopt;
    return out;
}

template <class T> Result<T> integer_field(std::string_view family, const PropPair& p) {
    auto n = to_unsigned<T>(p.value);
    if (!n)
        return fail(Errc::parse, "value '" + std::string(p.value) + "' is out of range",
                    {.key = family, .subkey = p.key});
    return *n;
}

Result<std::vector<IdMapEntry>> parse_idmap(std::string_view family, std::string_view text) {
    std::vector<IdMapEntry> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto semi = text.find(';', start);
        std::string_view entry = text.substr(
            start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
        start = semi == std::string_view::npos ? text.size() + 1 : semi + 1;
        // The pattern already guaranteed `[ug]:\d+:\d+:[1-9]\d*`.
        IdMapEntry e;
        e.kind = entry[0];
        std::uint64_t* fields[] = {&e.ct, &e.host, &e.count};
        std::size_t pos = 2;
        for (auto* field : fields) {
            auto colon = entry.find(':', pos);
            std::string_view digits = entry.substr(
                pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
            auto n = to_unsigned<std::uint64_t>(digits);
            if (!n)
                return fail(Errc::parse, "value '" + std::string(text) + "' is out of range",
                            {.key = family, .subkey = "idmap"});
            *field = *n;
            pos = colon + 1;
        }
        out.push_back(e);
    }
    return out;
}

Result<MountPoint> mount_point_from(std::string_view family, std::string_view schema_key,
                                    std::string_view text) {
    auto pairs = checked_pairs(family, schema_key, text);
    if (!pairs)
        return std::unexpected(std::move(pairs.error()));
    MountPoint mp;
    for (const auto& p : *pairs) {
        const auto& k = p.key;
        bool b = p.value == "1";
        if (k == "volume") {
            mp.volume = std::string(p.value);
        } else if (k == "mp") {
            mp.mp = std::string(p.value);
        } else if (k == "size") {
            detail::SizeError why{};
            auto bytes = detail::parse_size(p.value, &why);
            if (!bytes)
                return fail(Errc::parse, "invalid size: " + std::string(p.value),
                            {.key = family, .subkey = "size"});
            mp.size = *bytes;
        } else if (k == "acl") {
            mp.acl = b;
        } else if (k == "backup") {
            mp.backup = b;
        } else if (k == "keepattrs") {
            mp.keepattrs = b;
        } else if (k == "mountoptions") {
            mp.mountoptions = std::string(p.value);
        } else if (k == "idmap") {
            if (p.value == "passthrough") {
                mp.idmap_passthrough = true;
            } else {
                auto entries = parse_idmap(family, p.value);
                if (!entries)
                    return std::unexpected(std::move(entries.error()));
                mp.idmap = std::move(*entries);
            }
        } else if (k == "quota") {
            mp.quota = b;
        } else if (k == "replicate") {
            mp.replicate = b;
        } else if (k == "ro") {
            mp.ro = b;
        } else if (k == "shared") {
            mp.shared = b;
        }
    }
    return mp;
}

} // namespace

Result<NetInterface> net(std::string_view text) {
    auto pairs = checked_pairs("net", "net0", text);
    if (!pairs)
        return std::unexpected(std::move(pairs.error()));
    NetInterface n;
    for (const auto& p : *pairs) {
        const auto& k = p.key;
        std::string v(p.value);
        bool b = p.value == "1";
        if (k == "name") {
            n.name = std::move(v);
        } else if (k == "bridge") {
            n.bridge = std::move(v);
        } else if (k == "firewall") {
            n.firewall = b;
        } else if (k == "gw") {
            n.gw = std::move(v);
        } else if (k == "gw6") {
            n.gw6 = std::move(v);
        } else if (k == "host-managed") {
            n.host_managed = b;
        } else if (k == "hwaddr") {
            n.hwaddr = std::move(v);
        } else if (k == "ip") {
            n.ip = std::move(v);
        } else if (k == "ip6") {
            n.ip6 = std::move(v);
        } else if (k == "link_down") {
            n.link_down = b;
        } else if (k == "mtu") {
            auto mtu = integer_field<std::uint32_t>("net", p);
            if (!mtu)
                return std::unexpected(std::move(mtu.error()));
            n.mtu = *mtu;
        } else if (k == "rate") {
            n.rate = Number{std::move(v)};
        } else if (k == "tag") {
            auto tag = integer_field<std::uint32_t>("net", p);
            if (!tag)
                return std::unexpected(std::move(tag.error()));
            n.tag = *tag;
        } else if (k == "trunks") {
            n.trunks = std::move(v);
        } else if (k == "type") {
            n.type = std::move(v);
        }
    }
    return n;
}

Result<MountPoint> rootfs(std::string_view text) {
    return mount_point_from("rootfs", "rootfs", text);
}

Result<MountPoint> mount_point(std::string_view text) {
    return mount_point_from("mp", "mp0", text);
}

Result<UnusedVolume> unused(std::string_view text) {
    auto pairs = checked_pairs("unused", "unused0", text);
    if (!pairs)
        return std::unexpected(std::move(pairs.error()));
    return UnusedVolume{std::string(*detail::pair_value(*pairs, "volume"))};
}

Result<Device> device(std::string_view text) {
    auto pairs = checked_pairs("dev", "dev0", text);
    if (!pairs)
        return std::unexpected(std::move(pairs.error()));
    Device d;
    for (const auto& p : *pairs) {
        if (p.key == "path") {
            d.path = std::string(p.value);
        } else if (p.key == "mode") {
            d.mode = std::string(p.value);
        } else if (p.key == "uid" || p.key == "gid") {
            auto id = integer_field<std::uint64_t>("dev", p);
            if (!id)
                return std::unexpected(std::move(id.error()));
            (p.key == "uid" ? d.uid : d.gid) = *id;
        } else if (p.key == "deny-write") {
            d.deny_write = p.value == "1";
        }
    }
    // parse_device: the schema allows a missing path, the device code does not.
    if (!d.path)
        return fail(Errc::parse, "Path has to be defined", {.key = "dev", .subkey = "path"});
    return d;
}

Result<Features> features(std::string_view text) {
    auto pairs = checked_pairs("features", "features", text);
    if (!pairs)
        return std::unexpected(std::move(pairs.error()));
    Features f;
    for (const auto& p : *pairs) {
        bool b = p.value == "1";
        if (p.key == "force_rw_sys")
            f.force_rw_sys = b;
        else if (p.key == "fuse")
            f.fuse = b;
        else if (p.key == "keyctl")
            f.keyctl = b;
        else if (p.key == "mknod")
            f.mknod = b;
        else if (p.key == "mount")
            f.mount = std::string(p.value);
        else if (p.key == "nesting")
            f.nesting = b;
    }
    return f;
}

Result<StartupOrder> startup(std::string_view text) {
    if (text.find_first_of("\n\r") != std::string_view::npos)
        return fail(Errc::parse, "property contains a line feed", {.key = "startup"});
    auto parts = detail::parse_startup_order(text);
    if (!parts)
        return fail(Errc::parse, "unable to parse startup options", {.key = "startup"});
    StartupOrder s;
    struct Field {
        const std::optional<std::string_view>& text;
        std::optional<std::uint64_t>& value;
        std::string_view name;
    };
    Field fields[] = {
        {parts->order, s.order, "order"}, {parts->up, s.up, "up"}, {parts->down, s.down, "down"}};
    for (auto& f : fields) {
        if (!f.text)
            continue;
        auto n = to_unsigned<std::uint64_t>(*f.text);
        if (!n)
            return fail(Errc::parse, "value '" + std::string(*f.text) + "' is out of range",
                        {.key = "startup", .subkey = f.name});
        f.value = *n;
    }
    return s;
}

Result<std::uint64_t> size(std::string_view text) {
    detail::SizeError why{};
    auto bytes = detail::parse_size(text, &why);
    if (bytes)
        return *bytes;
    if (why == detail::SizeError::range)
        return fail(Errc::parse, "size out of range: " + std::string(text));
    return fail(Errc::parse, "value does not look like a valid disk size: " + std::string(text));
}

} // namespace pct::parse
