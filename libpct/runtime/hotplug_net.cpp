// SPDX-License-Identifier: AGPL-3.0-or-later
// `netN` of a running container, as Proxmox's hotplug_net / update_net / veth_delete: a new
// veth pair named as the generator names it (host end `veth<CTID>i<N>` on the bridge, the
// other created directly in the container's network namespace with its name, MAC and MTU), a
// deleted one removed, and on an existing one the changes that can be made live: bridge,
// `link_down` (the container's end, as the native generator's `flags`) and MTU. What the
// generator refuses (firewall, tag, trunks, rate on this host; a missing bridge; an MTU above
// the bridge's) is refused with its message; name, MAC and address changes wait for a start.
//
// The container's end is handled by `ip` run from a thread that entered the container's
// network namespace (a namespace fd proven to be init's, so a recycled PID cannot redirect it),
// never by a /proc/PID path given to a tool.
#include "hotplug_impl.hpp"
#include "pct/internal/command.hpp"

#include <pct/parse/properties.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <sched.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace pct::runtime::detail {

namespace {

/// What the generator makes of one interface (`lxc.net.N.*`).
struct VethLines {
    std::string pair, hwaddr, name, link, mtu;
    bool up = false;
};

VethLines veth_lines(const LxcLines& lines, std::string_view index) {
    std::string prefix = fmt::format("lxc.net.{}.", index);
    VethLines v;
    for (const auto& [k, value] : lines) {
        if (!k.starts_with(prefix))
            continue;
        std::string_view sub = std::string_view(k).substr(prefix.size());
        if (sub == "veth.pair")
            v.pair = value;
        else if (sub == "hwaddr")
            v.hwaddr = value;
        else if (sub == "name")
            v.name = value;
        else if (sub == "link")
            v.link = value;
        else if (sub == "mtu")
            v.mtu = value;
        else if (sub == "flags")
            v.up = value == "up";
    }
    return v;
}

bool host_link_exists(const std::string& dev) {
    struct stat st {};
    return ::stat(("/sys/class/net/" + dev).c_str(), &st) == 0;
}

Result<void> ip(std::vector<std::string> args, std::string_view key) {
    args.insert(args.begin(), "ip");
    auto out = internal::run_command(args, fmt::format("unable to hotplug {}", key));
    if (!out) {
        Error e = std::move(out).error();
        e.key = std::string(key);
        return std::unexpected(std::move(e));
    }
    return {};
}

/// Runs `fn` on a thread of its own that entered the network namespace `ns` first, so the
/// tools it spawns run there; the caller's threads never change namespace.
Result<void> in_netns(const UniqueFd& ns, std::string_view key,
                      const std::function<Result<void>()>& fn) {
    Result<void> result;
    std::thread worker([&] {
        if (::setns(ns.get(), CLONE_NEWNET) != 0) {
            result = fail(Errc::io,
                          fmt::format("unable to hotplug {}: cannot enter the network namespace: "
                                      "{}",
                                      key, std::strerror(errno)),
                          {.key = std::string(key), .sys_errno = errno});
            return;
        }
        result = fn();
    });
    worker.join();
    return result;
}

bool static_address(const std::optional<std::string>& ip) {
    return ip && *ip != "dhcp" && *ip != "manual" && *ip != "auto";
}

/// Proxmox's update_ipconfig for a new interface: static addresses and default routes.
Result<void> add_addresses(const NetInterface& net, const std::string& dev, std::string_view key) {
    if (static_address(net.ip))
        if (auto ok = ip({"addr", "add", *net.ip, "broadcast", "+", "dev", dev}, key); !ok)
            return ok;
    if (net.gw)
        if (auto ok = ip({"route", "replace", "default", "via", *net.gw, "dev", dev}, key); !ok)
            return ok;
    if (static_address(net.ip6))
        if (auto ok = ip({"-6", "addr", "add", *net.ip6, "dev", dev}, key); !ok)
            return ok;
    if (net.gw6)
        if (auto ok = ip({"-6", "route", "replace", "default", "via", *net.gw6, "dev", dev}, key);
            !ok)
            return ok;
    return {};
}

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

/// The sub-keys whose change cannot be made live, comma-joined ("" = all can).
std::string restart_only_changes(const NetInterface& old, const NetInterface& next) {
    std::vector<std::string> subs;
    auto differs = [&](bool changed, const char* sub) {
        if (changed)
            subs.emplace_back(sub);
    };
    differs(old.name != next.name, "name");
    differs(lower(old.hwaddr.value_or("")) != lower(next.hwaddr.value_or("")), "hwaddr");
    differs(old.ip != next.ip, "ip");
    differs(old.gw != next.gw, "gw");
    differs(old.ip6 != next.ip6, "ip6");
    differs(old.gw6 != next.gw6, "gw6");
    differs(old.host_managed.value_or(false) != next.host_managed.value_or(false), "host-managed");
    std::string out;
    for (const auto& s : subs)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

/// The interface as the config holds it and as it would be, nullopt when absent.
struct NetChange {
    std::string index;
    std::optional<NetInterface> old, next;
    VethLines old_veth, next_veth;
};

Result<NetChange> plan_change(const LiveContainer& ct, std::string_view key,
                              std::optional<std::string_view> next) {
    NetChange c;
    c.index = std::string(key.substr(3));
    if (auto current = ct.config.main.get(key)) {
        auto parsed = parse::net(*current);
        if (!parsed)
            return std::unexpected(with_key(std::move(parsed).error(), std::string(key)));
        c.old = std::move(*parsed);
        auto lines = generated_lines(ct, ct.config);
        if (!lines)
            return std::unexpected(std::move(lines).error());
        c.old_veth = veth_lines(*lines, c.index);
    }
    if (next) {
        auto parsed = parse::net(*next);
        if (!parsed)
            return std::unexpected(with_key(std::move(parsed).error(), std::string(key)));
        c.next = std::move(*parsed);
        // The generator's checks and names for the changed config: bridge present, MTU within
        // the bridge's, features this host can do; the pair name and MAC the next start uses.
        auto lines = generated_lines(ct, config_with(ct, key, next));
        if (!lines)
            return std::unexpected(std::move(lines).error());
        c.next_veth = veth_lines(*lines, c.index);
    }
    if (c.old && c.next) {
        if (auto subs = restart_only_changes(*c.old, *c.next); !subs.empty())
            return fail(Errc::unsupported,
                        fmt::format("changing {} of a running CT's {} is applied at the next start",
                                    subs, key),
                        {.key = std::string(key)});
    }
    if (c.old && !host_link_exists(c.old_veth.pair))
        return fail(Errc::not_found,
                    fmt::format("the host end {} of {} does not exist", c.old_veth.pair, key),
                    {.key = std::string(key)});
    if (!c.old && c.next && host_link_exists(c.next_veth.pair))
        return fail(Errc::already_exists,
                    fmt::format("the host end {} of {} exists already", c.next_veth.pair, key),
                    {.key = std::string(key)});
    return c;
}

Result<void> plug_new(const LiveContainer& ct, std::string_view key, const NetChange& c) {
    auto ns = open_ct_namespace(ct, "net");
    if (!ns)
        return std::unexpected(std::move(ns).error());
    const VethLines& v = c.next_veth;
    std::vector<std::string> add = {"link", "add", "name", v.name, "address", v.hwaddr};
    if (!v.mtu.empty())
        add.insert(add.end(), {"mtu", v.mtu});
    add.insert(add.end(), {"type", "veth", "peer", "name", v.pair});
    if (!v.mtu.empty())
        add.insert(add.end(), {"mtu", v.mtu});
    // The host end goes to the calling thread's namespace (it waits for the worker, so its
    // /proc entry stays), where the commands below configure it.
    add.insert(add.end(),
               {"netns", fmt::format("/proc/{}/task/{}/ns/net", ::getpid(), ::gettid())});
    // Created from inside: the container's end gets its name there, where it must be free.
    if (auto ok = in_netns(*ns, key, [&] { return ip(add, key); }); !ok)
        return ok;
    auto configured = [&]() -> Result<void> {
        if (!v.link.empty())
            if (auto ok = ip({"link", "set", "dev", v.pair, "master", v.link}, key); !ok)
                return ok;
        if (auto ok = ip({"link", "set", "dev", v.pair, "up"}, key); !ok)
            return ok;
        return in_netns(*ns, key, [&]() -> Result<void> {
            if (!v.up)
                return {};
            if (auto ok = ip({"link", "set", "dev", v.name, "up"}, key); !ok)
                return ok;
            return add_addresses(*c.next, v.name, key);
        });
    }();
    if (!configured)
        (void)ip({"link", "del", "dev", v.pair}, key); // takes the container's end with it
    return configured;
}

Result<void> update_existing(const LiveContainer& ct, std::string_view key, const NetChange& c) {
    const VethLines& was = c.old_veth;
    const VethLines& now = c.next_veth;
    if (was.link != now.link) {
        if (!was.link.empty())
            if (auto ok = ip({"link", "set", "dev", was.pair, "nomaster"}, key); !ok)
                return ok;
        if (!now.link.empty())
            if (auto ok = ip({"link", "set", "dev", now.pair, "master", now.link}, key); !ok)
                return ok;
    }
    if (was.mtu == now.mtu && was.up == now.up)
        return {};
    auto ns = open_ct_namespace(ct, "net");
    if (!ns)
        return std::unexpected(std::move(ns).error());
    if (was.mtu != now.mtu && !now.mtu.empty())
        if (auto ok = ip({"link", "set", "dev", now.pair, "mtu", now.mtu}, key); !ok)
            return ok;
    return in_netns(*ns, key, [&]() -> Result<void> {
        if (was.mtu != now.mtu && !now.mtu.empty())
            if (auto ok = ip({"link", "set", "dev", now.name, "mtu", now.mtu}, key); !ok)
                return ok;
        if (was.up != now.up)
            return ip({"link", "set", "dev", now.name, now.up ? "up" : "down"}, key);
        return {};
    });
}

} // namespace

std::optional<std::string> net_refusal(const LiveContainer& ct, std::string_view key,
                                       std::optional<std::string_view> next) {
    auto change = plan_change(ct, key, next);
    if (!change)
        return change.error().message;
    return std::nullopt;
}

Result<void> net_hotplug(const LiveContainer& ct, std::string_view key,
                         std::optional<std::string_view> next) {
    auto change = plan_change(ct, key, next);
    if (!change)
        return std::unexpected(std::move(change).error());
    if (!change->next) // Proxmox's veth_delete: the container's end goes with the host's
        return change->old ? ip({"link", "del", "dev", change->old_veth.pair}, key)
                           : Result<void>{};
    if (!change->old)
        return plug_new(ct, key, *change);
    return update_existing(ct, key, *change);
}

} // namespace pct::runtime::detail
