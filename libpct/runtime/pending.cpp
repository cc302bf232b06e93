// SPDX-License-Identifier: AGPL-3.0-or-later
// The pending engine: Proxmox's update_pct_config (stage every change in `[pve:pending]`,
// cleanup_pending), then vmconfig_apply_pending for a stopped CT or vmconfig_hotplug_pending
// for a running one, on a config model that is written back canonically. The plan runs the
// same steps with writing, freeing and hot-plugging switched off.
#include "create_disks.hpp"
#include "hookscript.hpp"
#include "hotplug.hpp"
#include "pct/internal/keys.hpp"
#include "pending_rules.hpp"
#include "random_mac.hpp"
#include "volume_common.hpp"
#include "volume_keys.hpp"

#include <pct/model/schema.hpp>
#include <pct/parse/properties.hpp>
#include <pct/render/config.hpp>
#include <pct/render/properties.hpp>
#include <pct/storage/storage_cfg.hpp>
#include <pct/storage/storages.hpp>
#include <pct/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>

namespace pct::runtime {

namespace {

using detail::PendingDeletes;
using Selection = std::set<std::string, std::less<>>;

constexpr std::string_view needs_restart = "needs a restart";

// Proxmox's $LXC_FASTPLUG_OPTIONS: config-only keys a running CT takes at once.
bool is_fastplug(std::string_view key) {
    static constexpr std::array<std::string_view, 9> keys{"description", "onboot",   "startup",
                                                          "protection",  "hostname", "hookscript",
                                                          "cores",       "tags",     "lock"};
    return std::ranges::find(keys, key) != keys.end();
}

bool is_unused_key(std::string_view key) {
    return detail::volume_key_index(key, "unused", detail::max_unused) >= 0;
}

bool is_dev_key(std::string_view key) {
    return key.size() > 3 && key.starts_with("dev") &&
           key.find_first_not_of("0123456789", 3) == std::string_view::npos;
}

void put_value(Section& section, std::string_view key, const std::string& value) {
    if (key == "description")
        section.description = value;
    else
        section.options[std::string(key)] = value;
}

void erase_value(Section& section, std::string_view key) {
    if (key == "description")
        section.description.clear();
    else
        section.options.erase(std::string(key));
}

// The keys of the pending section that carry a value (not the `delete` list), sorted.
std::vector<std::string> pending_value_keys(const Section& pending) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : pending.options)
        if (key != "delete")
            keys.push_back(key);
    if (!pending.description.empty())
        keys.emplace_back("description");
    std::ranges::sort(keys);
    return keys;
}

// The storage volume a mount or unused value names, nullopt for an unparsable value.
std::optional<std::string> volume_of(std::string_view key, std::string_view value) {
    if (key == "rootfs") {
        auto mp = parse::rootfs(value);
        return mp ? std::optional(mp->volume) : std::nullopt;
    }
    if (pct::detail::is_mp_key(key)) {
        auto mp = parse::mount_point(value);
        return mp ? std::optional(mp->volume) : std::nullopt;
    }
    if (is_unused_key(key)) {
        auto u = parse::unused(value);
        return u ? std::optional(u->volume) : std::nullopt;
    }
    return std::nullopt;
}

// Proxmox's is_volume_in_use with snapshots and pending values: another key than `except`
// of the main section, or any volume key of the pending values and snapshots, names `volid`.
bool volume_in_use(const ContainerConfig& config, std::string_view volid, std::string_view except) {
    auto names = [&](const Section& s, bool skip_except) {
        for (const auto& [key, value] : s.options)
            if (!(skip_except && key == except))
                if (auto v = volume_of(key, value); v && *v == volid)
                    return true;
        return false;
    };
    if (names(config.main, true) || names(config.pending, false))
        return true;
    return std::ranges::any_of(config.snapshots,
                               [&](const auto& snap) { return names(snap.second, false); });
}

// The MTU of a host bridge, nullopt when it cannot be read (PVE::Network::read_bridge_mtu).
std::optional<unsigned> bridge_mtu(const std::string& bridge) {
    if (bridge.empty() || bridge.find('/') != std::string::npos || bridge.starts_with('.'))
        return std::nullopt;
    std::ifstream in("/sys/class/net/" + bridge + "/mtu");
    unsigned mtu = 0;
    if (in >> mtu)
        return mtu;
    return std::nullopt;
}

Result<void> check_protection(const ContainerConfig& config, const std::string& what,
                              std::string_view key) {
    if (config.main.get("protection") == std::optional<std::string_view>("1"))
        return fail(Errc::bad_state, what + " - protection mode enabled",
                    {.key = std::string(key)});
    return {};
}

bool option_exists(std::string_view key) {
    return schema::find(key) && std::ranges::binary_search(schema::key_names(), key);
}

// The argument checks of Proxmox's update_vm, before the config is read.
Result<void> check_arguments(const ConfigChange& change) {
    if (change.set.empty() && change.deletes.empty() && change.reverts.empty())
        return fail(Errc::invalid_argument, "no options specified");
    Selection set_keys;
    for (const auto& [key, value] : change.set) {
        const schema::KeyInfo* info = schema::find(key);
        if (!option_exists(key) || !info->api_settable)
            return fail(Errc::invalid_argument, fmt::format("unknown option '{}'", key),
                        {.key = key});
        if (!set_keys.insert(key).second)
            return fail(Errc::invalid_argument, fmt::format("option '{}' given twice", key),
                        {.key = key});
        // Proxmox's API verifies every parameter against the schema (ranges, enums, formats,
        // property strings) before update_pct_config runs.
        if (auto problems = validate::value(key, value); !problems.empty())
            return std::unexpected(std::move(problems.front()));
    }
    for (const std::string& entry : change.deletes) {
        std::string_view key = entry;
        if (key.starts_with('!'))
            key.remove_prefix(1);
        if (set_keys.contains(key))
            return fail(
                Errc::invalid_argument,
                fmt::format("you can't use '-{}' and -delete {}' at the same time", key, key),
                {.key = std::string(key)});
        if (!option_exists(key))
            return fail(Errc::invalid_argument, fmt::format("unknown option '{}'", key),
                        {.key = std::string(key)});
    }
    for (const std::string& key : change.reverts) {
        if (!option_exists(key))
            return fail(Errc::invalid_argument, fmt::format("unknown option '{}'", key),
                        {.key = key});
        if (set_keys.contains(key))
            return fail(
                Errc::invalid_argument,
                fmt::format("you can't use '-{}' and '-revert {}' at the same time", key, key),
                {.key = key});
    }
    return {};
}

// One run of the engine over a config model: the plan (`real` false) or the change itself.
class Engine {
  public:
    Engine(const storage::Host& host, Vmid vmid, const ContainerConfig& config, int pid, bool real)
        : conf(config), m_host(host), m_vmid(vmid), m_before(config), m_pid(pid), m_real(real) {}

    ContainerConfig conf;
    ChangeReport report;

    Result<Selection> stage(const ConfigChange& change);
    void apply(const Selection* selection);
    void hotplug(const Selection& selection);
    [[nodiscard]] bool running() const { return m_pid > 0; }

  private:
    KeyChange& entry(std::string_view key, std::string_view action);
    KeyChange* find_entry(std::string_view key);
    void set_effect(std::string_view key, ChangeEffect effect, std::string reason = {});
    Result<void> delete_side_effects(std::string_view key);
    Result<std::string> value_to_apply(std::string_view key, std::string value);
    Result<std::string> allocate(std::string_view key, const std::string& value);
    std::optional<std::string> rescan_size(MountPoint mp);
    void plug_cpuset(std::optional<std::string_view> cores);
    std::optional<std::string> try_hotplug(std::string_view key,
                                           std::optional<std::string_view> next);
    Result<storage::Storages*> storages();

    const storage::Host& m_host;
    Vmid m_vmid;
    ContainerConfig m_before;
    int m_pid = 0;
    bool m_real = false;
    std::optional<storage::Storages> m_storages;
};

KeyChange* Engine::find_entry(std::string_view key) {
    for (KeyChange& k : report.keys)
        if (k.key == key && k.action != "revert")
            return &k;
    return nullptr;
}

KeyChange& Engine::entry(std::string_view key, std::string_view action) {
    KeyChange k;
    k.key = key;
    k.action = action;
    k.current = detail::section_value(m_before.main, key);
    report.keys.push_back(std::move(k));
    return report.keys.back();
}

void Engine::set_effect(std::string_view key, ChangeEffect effect, std::string reason) {
    if (KeyChange* k = find_entry(key)) {
        k->effect = effect;
        k->reason = std::move(reason);
        if (effect != ChangeEffect::pending)
            k->next = detail::section_value(conf.main, key);
    }
}

Result<storage::Storages*> Engine::storages() {
    if (!m_storages) {
        auto s = storage::Storages::load(m_host);
        if (!s)
            return std::unexpected(std::move(s).error());
        m_storages = std::move(*s);
    }
    return &*m_storages;
}

// update_pct_config: reverts, then deletions into the delete list, then values into pending.
Result<Selection> Engine::stage(const ConfigChange& change) {
    Selection modified;
    PendingDeletes deletes = detail::pending_deletes_of(conf.pending);
    for (const std::string& key : change.reverts) {
        bool had = detail::section_value(conf.pending, key) || deletes.contains(key);
        erase_value(conf.pending, key);
        deletes.erase(key);
        KeyChange& k = entry(key, "revert");
        k.effect = had ? ChangeEffect::applied : ChangeEffect::unchanged;
        k.reason = had ? "" : "nothing pending";
        k.next = k.current;
    }
    for (const std::string& raw : change.deletes) {
        bool force = raw.starts_with('!');
        std::string key = force ? raw.substr(1) : raw;
        if (find_entry(key)) // listed twice: once is enough
            continue;
        if (!detail::section_value(conf.main, key) && !detail::section_value(conf.pending, key)) {
            report.warnings.push_back(
                fmt::format("cannot delete '{}' - not set in current configuration!", key));
            KeyChange& k = entry(key, "delete");
            k.reason = "not set";
            continue;
        }
        if (key == "memory" || key == "rootfs" || key == "ostype")
            return fail(Errc::invalid_argument,
                        fmt::format("unable to delete required option '{}'", key), {.key = key});
        if (key == "unprivileged")
            return fail(Errc::invalid_argument, "unable to delete read-only option: 'unprivileged'",
                        {.key = key});
        if (is_unused_key(key) || pct::detail::is_mp_key(key))
            if (auto ok = check_protection(
                    conf, fmt::format("can't remove CT {} drive", m_vmid.value), key);
                !ok)
                return std::unexpected(std::move(ok).error());
        erase_value(conf.pending, key);
        deletes[key] = force;
        modified.insert(key);
        entry(key, "delete");
    }
    std::vector<std::pair<std::string, std::string>> sets = change.set;
    std::ranges::sort(sets);
    for (const auto& [key, raw] : sets) {
        if (key == "unprivileged")
            return fail(Errc::invalid_argument, "unable to modify read-only option: 'unprivileged'",
                        {.key = key});
        if (key == "rootfs" || pct::detail::is_mp_key(key))
            if (auto ok = check_protection(
                    conf, fmt::format("can't update CT {} drive '{}'", m_vmid.value, key), key);
                !ok)
                return std::unexpected(std::move(ok).error());
        auto value = detail::normalized_set_value(key, raw);
        if (!value)
            return std::unexpected(std::move(value).error());
        if (key == "hookscript") // PVE::GuestHelpers::check_hookscript
            if (auto path = detail::hookscript_path(m_host, *value); !path)
                return std::unexpected(std::move(path).error());
        if (pct::detail::is_net_key(key)) {
            auto net = parse::net(*value);
            if (net && net->mtu && net->bridge)
                if (auto max = bridge_mtu(*net->bridge); max && *net->mtu > *max)
                    return fail(Errc::invalid_argument,
                                fmt::format("{}: MTU size '{}' is bigger than bridge MTU '{}'", key,
                                            *net->mtu, *max),
                                {.key = key, .subkey = "mtu"});
        }
        put_value(conf.pending, key, *value);
        deletes.erase(key);
        modified.insert(key);
        entry(key, "set").next = *value;
    }
    detail::store_pending_deletes(conf.pending, deletes);
    detail::cleanup_pending(conf);
    // What cleanup dropped changes nothing in the main section.
    PendingDeletes left = detail::pending_deletes_of(conf.pending);
    for (KeyChange& k : report.keys) {
        if (k.action == "revert" || !k.reason.empty())
            continue;
        bool still = k.action == "set" ? detail::section_value(conf.pending, k.key).has_value()
                                       : left.contains(k.key);
        if (still)
            continue;
        modified.erase(k.key);
        if (k.action == "set") {
            k.effect = ChangeEffect::unchanged;
            k.reason = "equal to the current value";
        } else {
            k.effect = ChangeEffect::applied; // only a pending value was there: it is gone
        }
    }
    return modified;
}

// What deleting `key` does besides removing it (vmconfig_apply_pending / hotplug_pending):
// a volume mp is kept as unusedN, an unused volume the CT owns is freed.
Result<void> Engine::delete_side_effects(std::string_view key) {
    auto value = conf.main.get(key);
    if (!value)
        return {};
    if (pct::detail::is_mp_key(key)) {
        auto mp = parse::mount_point(*value);
        if (!mp)
            return std::unexpected(std::move(mp).error());
        if (mp->kind() == VolumeKind::volume && !volume_in_use(conf, mp->volume, key))
            if (auto ok = detail::add_unused(conf.main, mp->volume); !ok)
                return std::unexpected(std::move(ok).error());
        return {};
    }
    if (!is_unused_key(key))
        return {};
    auto unused = parse::unused(*value);
    if (!unused)
        return std::unexpected(std::move(unused).error());
    auto id = storage::parse_volume_id(unused->volume);
    if (!id || id->storage.empty() || volume_in_use(conf, unused->volume, key) || !m_real)
        return {};
    auto s = storages();
    if (!s)
        return std::unexpected(std::move(s).error());
    auto ref = (*s)->parse_volume(unused->volume);
    if (!ref)
        return std::unexpected(std::move(ref).error());
    if (ref->owner != m_vmid) {
        report.warnings.push_back(fmt::format("ignore deletion of '{}', CT {} isn't the owner!",
                                              unused->volume, m_vmid.value));
        return {};
    }
    return (*s)->free(unused->volume);
}

// The pending value of `key` as it enters the main section: `netN` re-printed with type and
// hwaddr (print_lxc_network(parse_lxc_network())); a replaced volume mp kept as unusedN.
Result<std::string> Engine::value_to_apply(std::string_view key, std::string value) {
    if (pct::detail::is_net_key(key)) {
        auto net = parse::net(value);
        if (!net)
            return std::unexpected(std::move(net).error());
        net->type = "veth";
        if (!net->hwaddr)
            net->hwaddr = detail::random_mac();
        return render::net(*net);
    }
    if (pct::detail::is_mp_key(key)) {
        auto next = parse::mount_point(value);
        if (!next)
            return std::unexpected(std::move(next).error());
        // `STORAGE:SIZE_GiB` asks for a new volume (apply_pending_mountpoint -> create_disks);
        // the plan allocates nothing.
        if (detail::is_volume_request(next->volume) && m_real) {
            auto allocated = allocate(key, value);
            if (!allocated)
                return allocated;
            value = *allocated;
            next = parse::mount_point(value);
            if (!next)
                return std::unexpected(std::move(next).error());
        }
        if (m_real)
            if (auto rescanned = rescan_size(*next); rescanned)
                value = std::move(*rescanned);
        auto old = conf.main.get(key);
        if (old) {
            auto prev = parse::mount_point(*old);
            if (prev && prev->kind() == VolumeKind::volume && prev->volume != next->volume &&
                !volume_in_use(conf, prev->volume, key))
                if (auto ok = detail::add_unused(conf.main, prev->volume); !ok)
                    return std::unexpected(std::move(ok).error());
        }
    }
    return value;
}

// The new volume of an allocation request, with the value rewritten to name it (create's
// create_disks, owned by the CT's root); nothing is left allocated on failure.
Result<std::string> Engine::allocate(std::string_view key, const std::string& value) {
    auto s = storages();
    if (!s)
        return std::unexpected(std::move(s).error());
    auto owner = detail::root_owner(conf);
    if (!owner)
        return std::unexpected(std::move(owner).error());
    OptionMap opts;
    opts[std::string(key)] = value;
    std::vector<std::string> allocated;
    auto ok = detail::create_disks(
        **s, m_vmid, opts, *owner, {}, [] { return Result<void>{}; }, allocated);
    if (!ok) {
        for (const std::string& volid : allocated)
            (void)(*s)->free(volid);
        return std::unexpected(std::move(ok).error());
    }
    return opts.at(std::string(key));
}

// apply_pending_mountpoint's rescan: the storage volume's real size in `size=`, the mount
// point re-printed; nullopt (with Proxmox's warning) when the size cannot be read, and for
// bind and device mounts.
std::optional<std::string> Engine::rescan_size(MountPoint mp) {
    if (mp.kind() != VolumeKind::volume)
        return std::nullopt;
    auto s = storages();
    if (!s)
        return std::nullopt;
    auto size = (*s)->size(mp.volume);
    if (!size) {
        report.warnings.push_back("Could not rescan volume size - " + size.error().message);
        return std::nullopt;
    }
    mp.size = size->size;
    auto text = render::mount_point(mp);
    return text ? std::optional(std::move(*text)) : std::nullopt;
}

// vmconfig_apply_pending: deletions first (sorted), then values (sorted). A key whose apply
// fails stays pending with Proxmox's warning.
void Engine::apply(const Selection* selection) {
    auto selected = [&](std::string_view key) { return !selection || selection->contains(key); };
    auto failed = [&](std::string_view key, const Error& e) {
        std::string msg = fmt::format("unable to apply pending change {} : {}", key, e.message);
        report.errors.push_back(msg);
        set_effect(key, ChangeEffect::pending, msg);
    };
    PendingDeletes deletes = detail::pending_deletes_of(conf.pending);
    for (auto it = deletes.begin(); it != deletes.end();) {
        const std::string key = it->first;
        if (!selected(key)) {
            ++it;
            continue;
        }
        if (auto ok = delete_side_effects(key); !ok) {
            failed(key, ok.error());
            ++it;
            continue;
        }
        erase_value(conf.main, key);
        it = deletes.erase(it);
        set_effect(key, ChangeEffect::applied);
    }
    detail::store_pending_deletes(conf.pending, deletes);
    detail::cleanup_pending(conf);
    for (const std::string& key : pending_value_keys(conf.pending)) {
        if (!selected(key))
            continue;
        auto value = value_to_apply(key, *detail::section_value(conf.pending, key));
        if (!value) {
            failed(key, value.error());
            continue;
        }
        put_value(conf.main, key, *value);
        erase_value(conf.pending, key);
        set_effect(key, ChangeEffect::applied);
    }
}

// hotplug_refusal, then (for real) hotplug: the reason the key stays pending, or nullopt
// when it is live now. A hot-plug that fails after the refusal check said yes is the one way
// the real run can differ from its plan.
std::optional<std::string> Engine::try_hotplug(std::string_view key,
                                               std::optional<std::string_view> next) {
    // The config as the running container has it now: the keys that went live before this
    // one included (memory then swap: the second sees the first's new value).
    detail::LiveContainer live{m_host, m_vmid, m_pid, conf, &report.warnings};
    if (auto why = detail::hotplug_refusal(live, key, next))
        return why;
    if (!m_real)
        return std::nullopt;
    if (auto ok = detail::hotplug(live, key, next); !ok) {
        report.errors.push_back(ok.error().message); // "unable to hotplug KEY: ERR"
        return ok.error().message;
    }
    return std::nullopt;
}

// `cores` is fast-plug (config only) in Proxmox, whose pvestatd then rebalances the cpusets;
// libpct has no such daemon, so the running CT's cpuset follows at once where the host allows
// (a warning otherwise: the key is in the config either way).
void Engine::plug_cpuset(std::optional<std::string_view> cores) {
    if (!m_real)
        return;
    detail::LiveContainer live{m_host, m_vmid, m_pid, conf, &report.warnings};
    std::optional<std::string> why = detail::hotplug_refusal(live, "cores", cores);
    if (!why)
        if (auto ok = detail::hotplug(live, "cores", cores); !ok)
            why = ok.error().message;
    if (why)
        report.warnings.push_back("cores: the running CT's cpuset is unchanged: " + *why);
}

// vmconfig_hotplug_pending: fast-plug values, then deletions, then hot-plug values; the rest
// stays pending until the next start.
void Engine::hotplug(const Selection& selection) {
    for (const std::string& key : pending_value_keys(conf.pending)) {
        if (!selection.contains(key) || !is_fastplug(key))
            continue;
        if (key == "cores")
            plug_cpuset(*detail::section_value(conf.pending, key));
        put_value(conf.main, key, *detail::section_value(conf.pending, key));
        erase_value(conf.pending, key);
        set_effect(key, ChangeEffect::live);
    }
    PendingDeletes deletes = detail::pending_deletes_of(conf.pending);
    for (auto it = deletes.begin(); it != deletes.end();) {
        const std::string key = it->first;
        std::optional<std::string> reason;
        if (!selection.contains(key)) {
            ++it;
            continue;
        }
        if (is_unused_key(key)) {
            if (auto ok = delete_side_effects(key); !ok) {
                report.errors.push_back(
                    fmt::format("unable to hotplug {}: {}", key, ok.error().message));
                reason = ok.error().message;
            }
        } else if (key == "swap" || key == "cpulimit" || key == "cpuunits" ||
                   pct::detail::is_net_key(key)) {
            reason = try_hotplug(key, std::nullopt);
        } else if (!is_fastplug(key)) {
            reason = std::string(needs_restart);
        } else if (key == "cores") {
            plug_cpuset(std::nullopt);
        }
        if (reason) {
            set_effect(key, ChangeEffect::pending, std::move(*reason));
            ++it;
            continue;
        }
        erase_value(conf.main, key);
        it = deletes.erase(it);
        set_effect(key, ChangeEffect::live);
    }
    detail::store_pending_deletes(conf.pending, deletes);
    for (const std::string& key : pending_value_keys(conf.pending)) {
        if (!selection.contains(key))
            continue;
        std::string value = *detail::section_value(conf.pending, key);
        bool exists = conf.main.get(key).has_value();
        bool hot = key == "cpulimit" || key == "cpuunits" || key == "memory" || key == "swap" ||
                   pct::detail::is_net_key(key) ||
                   (!exists && (pct::detail::is_mp_key(key) || is_dev_key(key)));
        if (!hot) {
            set_effect(key, ChangeEffect::pending, std::string(needs_restart));
            continue;
        }
        if (pct::detail::is_net_key(key)) {
            auto net = value_to_apply(key, value);
            if (!net) {
                set_effect(key, ChangeEffect::pending, net.error().message);
                continue;
            }
            value = *net;
        }
        if (auto reason = try_hotplug(key, value)) {
            set_effect(key, ChangeEffect::pending, std::move(*reason));
            continue;
        }
        put_value(conf.main, key, value);
        erase_value(conf.pending, key);
        set_effect(key, ChangeEffect::live);
    }
}

// Deletes first, then sets, each in key order, then reverts (the order of the file comment).
void sort_report(ChangeReport& report) {
    auto rank = [](const KeyChange& k) {
        return k.action == "delete" ? 0 : k.action == "set" ? 1 : 2;
    };
    std::ranges::stable_sort(report.keys, [&](const KeyChange& a, const KeyChange& b) {
        return std::pair(rank(a), a.key) < std::pair(rank(b), b.key);
    });
}

Result<ChangeReport> run_change(const storage::Host& host, Vmid vmid, const ConfigChange& change,
                                bool real) {
    if (auto ok = storage::Host::check_vmid(vmid.value); !ok)
        return std::unexpected(std::move(ok).error());
    if (auto ok = check_arguments(change); !ok)
        return std::unexpected(std::move(ok).error());
    auto locked = detail::lock_config(host, vmid, change.digest);
    if (!locked)
        return std::unexpected(std::move(locked).error());
    const ContainerConfig& on_disk = locked->doc.config();
    // Proxmox's update_vm refuses any lock, also when `lock` itself is set: a stale lock is
    // removed with `unlock` (locks.hpp).
    if (auto ok = check_lock(on_disk, LockedOp::set); !ok)
        return std::unexpected(std::move(ok).error());
    Engine engine(host, vmid, on_disk, detail::running_pid(host, vmid), real);
    auto modified = engine.stage(change);
    if (!modified)
        return std::unexpected(std::move(modified).error());
    if (engine.running())
        engine.hotplug(*modified);
    else
        engine.apply(&*modified);
    sort_report(engine.report);
    if (real && engine.conf != on_disk) {
        auto text = render::config(engine.conf);
        if (!text) {
            Error e = std::move(text).error();
            e.context = locked->doc.path();
            return std::unexpected(std::move(e));
        }
        if (auto ok = locked->doc.replace(std::move(*text)); !ok)
            return std::unexpected(std::move(ok).error());
        if (auto ok = locked->commit(); !ok)
            return std::unexpected(std::move(ok).error());
    }
    return std::move(engine.report);
}

} // namespace

std::string_view effect_name(ChangeEffect effect) noexcept {
    switch (effect) {
    case ChangeEffect::applied:
        return "applied";
    case ChangeEffect::live:
        return "live";
    case ChangeEffect::pending:
        return "pending";
    case ChangeEffect::unchanged:
        return "unchanged";
    }
    return "unchanged";
}

Result<ChangeReport> plan_config_change(const storage::Host& host, Vmid vmid,
                                        const ConfigChange& change) {
    return run_change(host, vmid, change, false);
}

Result<ChangeReport> update_config(const storage::Host& host, Vmid vmid,
                                   const ConfigChange& change) {
    return run_change(host, vmid, change, true);
}

} // namespace pct::runtime

namespace pct::runtime::detail {

std::vector<std::string> cleanup_pending(ContainerConfig& config) {
    std::vector<std::string> dropped;
    for (const std::string& key : pending_value_keys(config.pending)) {
        auto current = section_value(config.main, key);
        if (current && equivalent_values(key, *section_value(config.pending, key), *current)) {
            erase_value(config.pending, key);
            dropped.push_back(key);
        }
    }
    PendingDeletes deletes = pending_deletes_of(config.pending);
    std::erase_if(deletes, [&](const auto& kv) { return !section_value(config.main, kv.first); });
    store_pending_deletes(config.pending, deletes);
    return dropped;
}

Result<bool> apply_all_pending(const storage::Host& host, Vmid vmid, ContainerConfig& config,
                               std::vector<std::string>& warnings) {
    if (config.pending.empty())
        return false;
    Engine engine(host, vmid, config, 0, true);
    engine.apply(nullptr);
    for (const auto* list : {&engine.report.warnings, &engine.report.errors})
        warnings.insert(warnings.end(), list->begin(), list->end());
    config = std::move(engine.conf);
    return true;
}

} // namespace pct::runtime::detail
