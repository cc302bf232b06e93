// SPDX-License-Identifier: AGPL-3.0-or-later
// is_valid_lxc_conf_key of PVE::LXC::Config (spec §5.4), checks in Proxmox's order.
#include <pct/parse/lxc_keys.hpp>

#include "pct/internal/bytes.hpp"

#include <array>
#include <cstdint>

namespace pct::parse {
namespace {

using sv = std::string_view;

// Sorted for binary search.
constexpr std::array<sv, 63> k_valid = {
    "lxc.apparmor.allow_incomplete",
    "lxc.apparmor.allow_nesting",
    "lxc.apparmor.profile",
    "lxc.apparmor.raw",
    "lxc.arch",
    "lxc.autodev",
    "lxc.cap.drop",
    "lxc.cap.keep",
    "lxc.console.logfile",
    "lxc.console.path",
    "lxc.devtty.dir",
    "lxc.environment",
    "lxc.environment.hooks",
    "lxc.environment.runtime",
    "lxc.group",
    "lxc.hook.autodev",
    "lxc.hook.clone",
    "lxc.hook.destroy",
    "lxc.hook.mount",
    "lxc.hook.post-stop",
    "lxc.hook.pre-mount",
    "lxc.hook.pre-start",
    "lxc.hook.start",
    "lxc.hook.stop",
    "lxc.hook.version",
    "lxc.idmap",
    "lxc.include",
    "lxc.init.cmd",
    "lxc.init.cwd",
    "lxc.init.gid",
    "lxc.init.groups",
    "lxc.init.uid",
    "lxc.kmsg",
    "lxc.log.file",
    "lxc.log.level",
    "lxc.mount.auto",
    "lxc.mount.entry",
    "lxc.mount.fstab",
    "lxc.pty.max",
    "lxc.rootfs.mount",
    "lxc.rootfs.options",
    "lxc.rootfs.path",
    "lxc.seccomp.notify.cookie",
    "lxc.seccomp.notify.proxy",
    "lxc.seccomp.profile",
    "lxc.selinux.context",
    "lxc.signal.halt",
    "lxc.signal.reboot",
    "lxc.signal.stop",
    "lxc.start.auto",
    "lxc.start.delay",
    "lxc.start.order",
    "lxc.sysctl.fs.mqueue",
    "lxc.sysctl.kernel.msgmax",
    "lxc.sysctl.kernel.msgmnb",
    "lxc.sysctl.kernel.msgmni",
    "lxc.sysctl.kernel.sem",
    "lxc.sysctl.kernel.shm_rmid_forced",
    "lxc.sysctl.kernel.shmall",
    "lxc.sysctl.kernel.shmmax",
    "lxc.sysctl.kernel.shmmni",
    "lxc.tty.max",
    "lxc.uts.name",
};

struct Renamed {
    sv old_name;
    sv new_name;
};

// The lxc-2 names removed with lxc 3.0, sorted by old name.
constexpr std::array<Renamed, 29> k_renamed = {{
    {"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
    {"lxc.aa_profile", "lxc.apparmor.profile"},
    {"lxc.console", "lxc.console.path"},
    {"lxc.devttydir", "lxc.tty.dir"},
    {"lxc.haltsignal", "lxc.signal.halt"},
    {"lxc.id_map", "lxc.idmap"},
    {"lxc.init_cmd", "lxc.init.cmd"},
    {"lxc.logfile", "lxc.log.file"},
    {"lxc.loglevel", "lxc.log.level"},
    {"lxc.mount", "lxc.mount.fstab"},
    {"lxc.network.flags", "lxc.net.INDEX.flags"},
    {"lxc.network.hwaddr", "lxc.net.INDEX.hwaddr"},
    {"lxc.network.ipv4", "lxc.net.INDEX.ipv4.address"},
    {"lxc.network.ipv4.gateway", "lxc.net.INDEX.ipv4.gateway"},
    {"lxc.network.ipv6", "lxc.net.INDEX.ipv6.address"},
    {"lxc.network.ipv6.gateway", "lxc.net.INDEX.ipv6.gateway"},
    {"lxc.network.link", "lxc.net.INDEX.link"},
    {"lxc.network.mtu", "lxc.net.INDEX.mtu"},
    {"lxc.network.name", "lxc.net.INDEX.name"},
    {"lxc.network.script.down", "lxc.net.INDEX.script.down"},
    {"lxc.network.script.up", "lxc.net.INDEX.script.up"},
    {"lxc.network.type", "lxc.net.INDEX.type"},
    {"lxc.pts", "lxc.pty.max"},
    {"lxc.rebootsignal", "lxc.signal.reboot"},
    {"lxc.se_context", "lxc.selinux.context"},
    {"lxc.seccomp", "lxc.seccomp.profile"},
    {"lxc.stopsignal", "lxc.signal.stop"},
    {"lxc.tty", "lxc.tty.max"},
    {"lxc.utsname", "lxc.uts.name"},
}};

consteval bool sorted() {
    for (std::size_t i = 1; i < k_valid.size(); ++i)
        if (!(k_valid[i - 1] < k_valid[i]))
            return false;
    for (std::size_t i = 1; i < k_renamed.size(); ++i)
        if (!(k_renamed[i - 1].old_name < k_renamed[i].old_name))
            return false;
    return true;
}
static_assert(sorted()); // kept sorted for the reader of this file

// Both tables in one hash table, built at compile time: a raw key is found with one or two
// inline comparisons instead of two binary searches (a dozen memcmp calls per `lxc.*` line).
// Bucket of a key: its size and three of its bytes (every name starts with "lxc.").
constexpr std::size_t k_buckets = 128;
constexpr std::size_t bucket_of(sv key) noexcept {
    auto byte = [&](std::size_t i) {
        return static_cast<std::size_t>(static_cast<unsigned char>(key[i]));
    };
    return (key.size() * 31 + byte(4) * 7 + byte(key.size() / 2) * 3 + byte(key.size() - 1)) %
           k_buckets;
}

struct KnownKey {
    sv name;
    short renamed = -1; ///< the index in k_renamed, or -1 for a k_valid name
};

struct KnownKeys {
    std::array<std::uint8_t, k_buckets + 1> start{}; ///< bucket b: keys[start[b]..start[b+1])
    std::array<KnownKey, k_valid.size() + k_renamed.size()> keys{};
};

constexpr KnownKeys k_known = [] {
    KnownKeys t;
    std::array<KnownKey, k_valid.size() + k_renamed.size()> all{};
    std::size_t n = 0;
    for (sv name : k_valid)
        all[n++] = {name, -1};
    for (std::size_t i = 0; i < k_renamed.size(); ++i)
        all[n++] = {k_renamed[i].old_name, static_cast<short>(i)};
    // Counting sort by bucket.
    std::array<std::size_t, k_buckets + 1> count{};
    for (const KnownKey& k : all)
        ++count[bucket_of(k.name) + 1];
    for (std::size_t b = 0; b < k_buckets; ++b)
        count[b + 1] += count[b];
    for (std::size_t b = 0; b <= k_buckets; ++b)
        t.start[b] = static_cast<std::uint8_t>(count[b]);
    for (const KnownKey& k : all)
        t.keys[count[bucket_of(k.name)]++] = k;
    return t;
}();

// The entry of an exact known name (valid or renamed), or nullptr.
const KnownKey* find_known(sv key) noexcept {
    if (key.size() < 5)
        return nullptr;
    std::size_t b = bucket_of(key);
    for (std::size_t i = k_known.start[b]; i < k_known.start[b + 1]; ++i)
        if (pct::detail::same_bytes(k_known.keys[i].name, key))
            return &k_known.keys[i];
    return nullptr;
}

LxcKeyCheck verdict(LxcKeyVerdict v, std::string message = {}) {
    return LxcKeyCheck{v, std::move(message)};
}

} // namespace

LxcKeyCheck check_lxc_key(std::string_view key) {
    auto k = [&] { return std::string(key); }; // only messages need the key as a string
    if (pct::detail::has_prefix(key, "lxc.limit."))
        return verdict(LxcKeyVerdict::deprecated,
                       k() + ": lxc.limit.* was renamed to lxc.prlimit.*");
    const KnownKey* known = find_known(key);
    if (known && known->renamed >= 0)
        return verdict(
            LxcKeyVerdict::deprecated,
            k() + " is deprecated and was renamed to " +
                std::string(k_renamed[static_cast<std::size_t>(known->renamed)].new_name));
    if (known) {
        if (key == "lxc.rootfs.path")
            return verdict(LxcKeyVerdict::rejected,
                           "lxc.rootfs.path is auto generated from rootfs");
        if (key == "lxc.rootfs.options")
            return verdict(LxcKeyVerdict::rejected,
                           "lxc.rootfs.options is not supported, please use mount point options "
                           "in the \"rootfs\" key");
        return verdict(LxcKeyVerdict::accepted);
    }
    if (pct::detail::has_prefix(key, "lxc.cgroup."))
        return verdict(LxcKeyVerdict::deprecated,
                       k() + " is deprecated, this will be a hard error in the future!");
    if (pct::detail::has_prefix(key, "lxc.cgroup2.") ||
        pct::detail::has_prefix(key, "lxc.prlimit.") || pct::detail::has_prefix(key, "lxc.net."))
        return verdict(LxcKeyVerdict::accepted);
    return verdict(LxcKeyVerdict::invalid);
}

} // namespace pct::parse
