// SPDX-License-Identifier: AGPL-3.0-or-later
// The schema of Proxmox's $confdesc and its property-string formats as static data
// (spec/config-format.md §2-§3, spec/schema-facts.json). Patterns are the ECMAScript
// spelling of Proxmox's Perl patterns; parse/formats.cpp has a hand-written matcher for each.
#include <pct/model/schema.hpp>

#include "pct/internal/bytes.hpp"
#include "pct/internal/schema.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace pct::schema {
namespace {

using sv = std::string_view;

constexpr sv k_arch_enum[] = {"amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"};
constexpr sv k_cmode_enum[] = {"shell", "console", "tty"};
constexpr sv k_lock_enum[] = {"backup",  "create",  "destroyed", "disk",     "fstrim",
                              "migrate", "mounted", "rollback",  "snapshot", "snapshot-delete"};
constexpr sv k_ostype_enum[] = {"debian",    "devuan", "ubuntu", "centos", "fedora",   "opensuse",
                                "archlinux", "alpine", "gentoo", "nixos",  "unmanaged"};
constexpr sv k_veth_enum[] = {"veth"};

constexpr sv k_ident_pattern = R"([-_.\w\d]+)";
constexpr sv k_trunks_pattern = R"(\d+(?:;\d+)*)";
constexpr sv k_mountoptions_pattern = "(discard|lazytime|noatime|nodev|noexec|nosuid)"
                                      "(;(discard|lazytime|noatime|nodev|noexec|nosuid))*";
constexpr sv k_idmap_pattern =
    "(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)";
constexpr sv k_fstypes_pattern = "[a-zA-Z0-9_; ]+";
constexpr sv k_devmode_pattern = "0[0-7]{3}";
constexpr sv k_entrypoint_pattern = R"([^\x00-\x08\x0a-\x1F\x7F]+)";
constexpr sv k_env_pattern =
    R"((?:\w+=[^\x00-\x08\x0a-\x1F\x7F]*)(?:\x00\w+=[^\x00-\x08\x0a-\x1F\x7F]*)*)";

constexpr KeyInfo boolean_key(sv name, sv def = {}) {
    KeyInfo k;
    k.name = name;
    k.type = Type::boolean;
    k.default_value = def;
    return k;
}

constexpr KeyInfo string_key(sv name, sv format = {}, sv pattern = {}) {
    KeyInfo k;
    k.name = name;
    k.format = format;
    k.pattern = pattern;
    return k;
}

constexpr KeyInfo integer_key(sv name, std::optional<double> min, std::optional<double> max,
                              sv def = {}) {
    KeyInfo k;
    k.name = name;
    k.type = Type::integer;
    k.minimum = min;
    k.maximum = max;
    k.default_value = def;
    return k;
}

constexpr KeyInfo required(KeyInfo k) {
    k.optional = false;
    return k;
}

constexpr KeyInfo default_key(KeyInfo k) {
    k.default_key = true;
    return k;
}

constexpr KeyInfo with_enum(KeyInfo k, std::span<const sv> values, sv def = {}) {
    k.enum_values = values;
    k.default_value = def;
    return k;
}

// Sub-key tables, each sorted by name (plain byte order).
constexpr KeyInfo k_net_keys[] = {
    string_key("bridge", {}, k_ident_pattern),
    boolean_key("firewall"),
    string_key("gw", "ipv4"),
    string_key("gw6", "ipv6"),
    boolean_key("host-managed"),
    string_key("hwaddr", "mac-addr"),
    string_key("ip", "pve-ipv4-config"),
    string_key("ip6", "pve-ipv6-config"),
    boolean_key("link_down"),
    integer_key("mtu", 64, 65535),
    required(string_key("name", {}, k_ident_pattern)),
    [] {
        KeyInfo k;
        k.name = "rate";
        k.type = Type::number;
        return k;
    }(),
    integer_key("tag", 1, 4094),
    string_key("trunks", {}, k_trunks_pattern),
    with_enum(string_key("type"), k_veth_enum),
};

constexpr KeyInfo k_rootfs_keys[] = {
    boolean_key("acl"),
    string_key("idmap", {}, k_idmap_pattern),
    string_key("mountoptions", {}, k_mountoptions_pattern),
    boolean_key("quota"),
    boolean_key("replicate", "1"),
    boolean_key("ro"),
    boolean_key("shared", "0"),
    string_key("size", "disk-size"),
    required(default_key(string_key("volume", "pve-lxc-mp-string"))),
};

constexpr KeyInfo k_mp_keys[] = {
    boolean_key("acl"),
    boolean_key("backup"),
    string_key("idmap", {}, k_idmap_pattern),
    boolean_key("keepattrs", "0"),
    string_key("mountoptions", {}, k_mountoptions_pattern),
    required(string_key("mp", "pve-lxc-mp-string")),
    boolean_key("quota"),
    boolean_key("replicate", "1"),
    boolean_key("ro"),
    boolean_key("shared", "0"),
    string_key("size", "disk-size"),
    required(default_key(string_key("volume", "pve-lxc-mp-string"))),
};

constexpr KeyInfo k_unused_keys[] = {
    required(default_key(string_key("volume", "pve-volume-id"))),
};

constexpr KeyInfo k_dev_keys[] = {
    boolean_key("deny-write", "0"),
    integer_key("gid", 0, std::nullopt),
    string_key("mode", {}, k_devmode_pattern),
    default_key(string_key("path", "pve-lxc-dev-string")),
    integer_key("uid", 0, std::nullopt),
};

constexpr KeyInfo k_features_keys[] = {
    boolean_key("force_rw_sys", "0"),
    boolean_key("fuse", "0"),
    boolean_key("keyctl", "0"),
    boolean_key("mknod", "0"),
    string_key("mount", {}, k_fstypes_pattern),
    boolean_key("nesting", "0"),
};

// `startup` has its own parser (pve_parse_startup_order); these describe its parts.
constexpr KeyInfo k_startup_keys[] = {
    integer_key("down", 0, std::nullopt),
    default_key(integer_key("order", 0, std::nullopt)),
    integer_key("up", 0, std::nullopt),
};

constexpr KeyInfo property_key(sv name, std::span<const KeyInfo> sub_keys, sv format = {}) {
    KeyInfo k;
    k.name = name;
    k.format = format;
    k.sub_keys = sub_keys;
    return k;
}

// The 30 scalar keys, sorted by name.
constexpr KeyInfo k_scalars[] = {
    with_enum(string_key("arch"), k_arch_enum, "amd64"),
    with_enum(string_key("cmode"), k_cmode_enum, "tty"),
    boolean_key("console", "1"),
    integer_key("cores", 1, 8192),
    [] {
        KeyInfo k;
        k.name = "cpulimit";
        k.type = Type::number;
        k.minimum = 0;
        k.maximum = 8192;
        k.default_value = "0";
        return k;
    }(),
    integer_key("cpuunits", 0, 500000, "cgroup v1: 1024, cgroup v2: 100"),
    boolean_key("debug", "0"),
    [] {
        KeyInfo k = string_key("description");
        k.max_length = 8192;
        return k;
    }(),
    [] {
        KeyInfo k = string_key("entrypoint", {}, k_entrypoint_pattern);
        k.default_value = "/sbin/init";
        return k;
    }(),
    string_key("env", {}, k_env_pattern),
    property_key("features", k_features_keys),
    string_key("hookscript", "pve-volume-id"),
    [] {
        KeyInfo k = string_key("hostname", "dns-name");
        k.max_length = 255;
        return k;
    }(),
    with_enum(string_key("lock"), k_lock_enum),
    integer_key("memory", 16, std::nullopt, "512"),
    string_key("nameserver", "lxc-ip-with-ll-iface-list"),
    boolean_key("onboot", "0"),
    with_enum(string_key("ostype"), k_ostype_enum),
    [] {
        KeyInfo k = string_key("parent", "pve-configid");
        k.max_length = 40;
        k.api_settable = false;
        return k;
    }(),
    boolean_key("protection", "0"),
    property_key("rootfs", k_rootfs_keys),
    string_key("searchdomain", "dns-name-list"),
    [] {
        KeyInfo k = integer_key("snaptime", 0, std::nullopt);
        k.api_settable = false;
        return k;
    }(),
    property_key("startup", k_startup_keys, "pve-startup-order"),
    integer_key("swap", 0, std::nullopt, "512"),
    string_key("tags", "pve-tag-list"),
    boolean_key("template", "0"),
    string_key("timezone", "pve-ct-timezone"),
    integer_key("tty", 0, 6, "2"),
    boolean_key("unprivileged", "0"),
};

struct Family {
    KeyInfo info;
    unsigned count;
};

constexpr Family k_families[] = {
    {property_key("dev", k_dev_keys), 256},
    {property_key("mp", k_mp_keys), 256},
    {property_key("net", k_net_keys), 32},
    {property_key("unused", k_unused_keys), 256},
};

constexpr bool sorted_by_name(std::span<const KeyInfo> keys) {
    for (std::size_t i = 1; i < keys.size(); ++i)
        if (!(keys[i - 1].name < keys[i].name))
            return false;
    return true;
}

static_assert(std::size(k_scalars) == 30);
static_assert(sorted_by_name(k_scalars));
static_assert(sorted_by_name(k_net_keys) && sorted_by_name(k_rootfs_keys) &&
              sorted_by_name(k_mp_keys) && sorted_by_name(k_dev_keys) &&
              sorted_by_name(k_features_keys) && sorted_by_name(k_startup_keys));
static_assert(std::size(k_net_keys) == 15 && std::size(k_rootfs_keys) == 9 &&
              std::size(k_mp_keys) == 12 && std::size(k_dev_keys) == 5 &&
              std::size(k_features_keys) == 6);

// "7" -> 7 for an index written as Proxmox's keys are (no sign, no leading zero).
std::optional<unsigned> parse_index(std::string_view digits) {
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
        return std::nullopt;
    unsigned n = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    return n;
}

using detail::scalar_hash;

// A perfect hash of the 30 scalar names into 64 slots (checked below at compile time):
// schema::find runs once per line of every config file read.
constexpr std::array<detail::ScalarSlot, 64> k_scalar_slots = [] {
    std::array<detail::ScalarSlot, 64> slots{};
    for (std::size_t i = 0; i < std::size(k_scalars); ++i)
        slots[scalar_hash(k_scalars[i].name)] = {k_scalars[i].name, static_cast<int>(i)};
    return slots;
}();

constexpr bool scalar_hash_is_perfect() {
    for (std::size_t i = 0; i < std::size(k_scalars); ++i)
        if (k_scalar_slots[scalar_hash(k_scalars[i].name)].index != static_cast<int>(i))
            return false;
    return true;
}
static_assert(scalar_hash_is_perfect(), "two scalar keys share a slot: change scalar_hash");

static_assert(k_families[0].info.name == "dev" && k_families[1].info.name == "mp" &&
              k_families[2].info.name == "net" && k_families[3].info.name == "unused");

static_assert(std::size(k_scalars) + std::size(k_families) == detail::top_level_count);

} // namespace

namespace detail {

const std::array<ScalarSlot, 64> scalar_slots = k_scalar_slots;

// The family's position among the top-level entries, or -1.
int find_family_index(std::string_view key) noexcept {
    std::size_t f;
    switch (key[0]) {
    case 'd':
        f = 0;
        break;
    case 'm':
        f = 1;
        break;
    case 'n':
        f = 2;
        break;
    case 'u':
        f = 3;
        break;
    default:
        return -1;
    }
    const Family& family = k_families[f];
    sv name = family.info.name;
    if (key.size() <= name.size() || !pct::detail::has_prefix(key, name))
        return -1;
    auto index = parse_index(key.substr(name.size()));
    return index && *index < family.count ? static_cast<int>(std::size(k_scalars) + f) : -1;
}

const KeyInfo& top_level(std::size_t index) noexcept {
    return index < std::size(k_scalars) ? k_scalars[index]
                                        : k_families[index - std::size(k_scalars)].info;
}

} // namespace detail

const KeyInfo* find(std::string_view key) noexcept {
    int index = detail::find_index(key);
    return index < 0 ? nullptr : &detail::top_level(static_cast<std::size_t>(index));
}

std::span<const std::string_view> key_names() noexcept {
    // Built once; the strings and the view array are never modified afterwards.
    struct Names {
        std::vector<std::string> storage;
        std::vector<std::string_view> views;
        Names() {
            for (const auto& k : k_scalars)
                storage.emplace_back(k.name);
            for (const auto& family : k_families)
                for (unsigned i = 0; i < family.count; ++i)
                    storage.push_back(std::string(family.info.name) + std::to_string(i));
            std::sort(storage.begin(), storage.end());
            views.assign(storage.begin(), storage.end());
        }
    };
    static const Names names;
    return names.views;
}

} // namespace pct::schema
