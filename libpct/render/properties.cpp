// SPDX-License-Identifier: AGPL-3.0-or-later
// print_property_string of PVE::JSONSchema: validate against the schema first, then the
// default key bare, required keys sorted, optional keys sorted; sizes via format_size.
#include <pct/render/properties.hpp>

#include "pct/internal/properties.hpp"

#include <pct/model/schema.hpp>

#include <algorithm>

namespace pct::render {
namespace {

using parse::detail::PropPair;

struct Field {
    std::string_view key;
    std::string value;
};

class Printer {
  public:
    Printer(std::string_view family, std::string_view schema_key)
        : m_family(family), m_keys(schema::find(schema_key)->sub_keys) {}

    void add(std::string_view key, std::string value) {
        m_fields.push_back({key, std::move(value)});
    }
    void add(std::string_view key, const std::optional<std::string>& v) {
        if (v)
            add(key, *v);
    }
    void add(std::string_view key, const std::optional<bool>& v) {
        if (v)
            add(key, std::string(*v ? "1" : "0"));
    }
    template <class T> void add_number(std::string_view key, const std::optional<T>& v) {
        if (v)
            add(key, std::to_string(*v));
    }

    Result<std::string> print() const {
        std::vector<PropPair> pairs;
        for (const auto& f : m_fields) {
            if (f.value.find_first_of("\n\r") != std::string::npos)
                return fail("property contains a line feed", f.key);
            if (f.value.empty())
                return fail("illegal empty value for " + std::string(f.key), f.key);
            pairs.push_back({f.key, f.value});
        }
        auto errors = parse::detail::check_object(m_keys, pairs, false);
        if (!errors.empty())
            return fail(parse::detail::format_error_text(errors), errors.front().key);

        std::string out;
        auto emit = [&](const schema::KeyInfo& k, bool bare) -> std::optional<Error> {
            auto it = std::find_if(m_fields.begin(), m_fields.end(),
                                   [&](const Field& f) { return f.key == k.name; });
            if (it == m_fields.end())
                return std::nullopt;
            std::string value = it->value;
            if (k.format == "disk-size")
                value = size(std::stoull(value));
            else if (value.find(',') != std::string::npos)
                return fail("illegal value with commas for " + std::string(k.name), k.name).error();
            if (!out.empty())
                out += ',';
            // A bare value must read back as the default key: no '=', not blank.
            bool can_be_bare = value.find('=') == std::string::npos &&
                               value.find_first_not_of(" \t\n\v\f\r") != std::string::npos;
            if (!bare || !can_be_bare) {
                out += k.name;
                out += '=';
            }
            out += value;
            return std::nullopt;
        };
        for (const auto& k : m_keys)
            if (k.default_key)
                if (auto e = emit(k, true))
                    return std::unexpected(std::move(*e));
        for (const auto& k : m_keys)
            if (!k.default_key && !k.optional)
                if (auto e = emit(k, false))
                    return std::unexpected(std::move(*e));
        for (const auto& k : m_keys)
            if (!k.default_key && k.optional)
                if (auto e = emit(k, false))
                    return std::unexpected(std::move(*e));
        return out;
    }

    std::unexpected<Error> fail(std::string message, std::string_view subkey) const {
        return pct::fail(Errc::invalid_argument, std::move(message),
                         {.key = m_family, .subkey = subkey});
    }

  private:
    std::string_view m_family;
    std::span<const schema::KeyInfo> m_keys;
    std::vector<Field> m_fields;
};

Result<std::string> print_mount_point(const MountPoint& v, bool rootfs) {
    Printer p(rootfs ? "rootfs" : "mp", rootfs ? "rootfs" : "mp0");
    p.add("volume", v.volume);
    if (!rootfs)
        p.add("mp", v.mp); // parse_volume sets mp=/ for rootfs; print_ct_mountpoint skips it
    p.add("acl", v.acl);
    p.add("backup", v.backup);
    if (v.idmap_passthrough) {
        if (!*v.idmap_passthrough)
            return p.fail("idmap_passthrough is either true or unset", "idmap");
        if (!v.idmap.empty())
            return p.fail("idmap passthrough cannot be combined with id map entries", "idmap");
        p.add("idmap", std::string("passthrough"));
    } else if (!v.idmap.empty()) {
        std::string map;
        for (const auto& e : v.idmap) {
            if (!map.empty())
                map += ';';
            map += e.kind;
            map += ':' + std::to_string(e.ct) + ':' + std::to_string(e.host) + ':' +
                   std::to_string(e.count);
        }
        p.add("idmap", std::move(map));
    }
    p.add("keepattrs", v.keepattrs);
    p.add("mountoptions", v.mountoptions);
    p.add("quota", v.quota);
    p.add("replicate", v.replicate);
    p.add("ro", v.ro);
    p.add("shared", v.shared);
    p.add_number("size", v.size);
    return p.print();
}

} // namespace

Result<std::string> net(const NetInterface& v) {
    Printer p("net", "net0");
    p.add("name", v.name);
    p.add("bridge", v.bridge);
    p.add("firewall", v.firewall);
    p.add("gw", v.gw);
    p.add("gw6", v.gw6);
    p.add("host-managed", v.host_managed);
    p.add("hwaddr", v.hwaddr);
    p.add("ip", v.ip);
    p.add("ip6", v.ip6);
    p.add("link_down", v.link_down);
    p.add_number("mtu", v.mtu);
    if (v.rate)
        p.add("rate", v.rate->text);
    p.add_number("tag", v.tag);
    p.add("trunks", v.trunks);
    p.add("type", v.type);
    return p.print();
}

Result<std::string> rootfs(const MountPoint& value) { return print_mount_point(value, true); }

Result<std::string> mount_point(const MountPoint& value) { return print_mount_point(value, false); }

Result<std::string> unused(const UnusedVolume& value) {
    Printer p("unused", "unused0");
    p.add("volume", value.volume);
    return p.print();
}

Result<std::string> device(const Device& v) {
    Printer p("dev", "dev0");
    if (!v.path)
        return p.fail("Path has to be defined", "path");
    p.add("path", v.path);
    p.add("mode", v.mode);
    p.add_number("uid", v.uid);
    p.add_number("gid", v.gid);
    p.add("deny-write", v.deny_write);
    return p.print();
}

Result<std::string> features(const Features& v) {
    Printer p("features", "features");
    p.add("force_rw_sys", v.force_rw_sys);
    p.add("fuse", v.fuse);
    p.add("keyctl", v.keyctl);
    p.add("mknod", v.mknod);
    p.add("mount", v.mount);
    p.add("nesting", v.nesting);
    return p.print();
}

Result<std::string> startup(const StartupOrder& v) {
    // pve-startup-order has no printer in Proxmox; this is the form its typetext documents.
    std::string out;
    auto add = [&](std::string_view name, const std::optional<std::uint64_t>& n) {
        if (!n)
            return;
        if (!out.empty())
            out += ',';
        out += name;
        out += '=';
        out += std::to_string(*n);
    };
    add("order", v.order);
    add("up", v.up);
    add("down", v.down);
    if (out.empty()) {
        return fail(Errc::invalid_argument, "unable to print an empty startup order",
                    {.key = "startup"});
    }
    return out;
}

std::string size(std::uint64_t bytes) {
    // format_size: the largest unit that divides exactly; 0 prints as "0T" like Proxmox.
    static constexpr char units[] = {'K', 'M', 'G', 'T'};
    if (bytes % 1024 != 0)
        return std::to_string(bytes);
    std::uint64_t n = bytes / 1024;
    int unit = 0;
    while (unit < 3 && n % 1024 == 0) {
        n /= 1024;
        ++unit;
    }
    return std::to_string(n) + units[unit];
}

} // namespace pct::render
