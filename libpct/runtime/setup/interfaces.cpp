// SPDX-License-Identifier: AGPL-3.0-or-later
#include "interfaces.hpp"
#include "net_util.hpp"

#include <fmt/format.h>

#include <regex>
#include <set>
#include <vector>

namespace pct::runtime::detail::setup {

namespace {

// Old route blocks of a stanza: the marked ones, else the exact legacy four-line form.
void remove_gateway_scripts(std::vector<std::string>& attr) {
    bool found = false, keep = true;
    std::vector<std::string> out;
    for (auto& a : attr) {
        if (a == "# --- BEGIN PVE ---") {
            found = true;
            keep = false;
        } else if (a == "# --- END PVE ---") {
            found = true;
            keep = true;
        } else if (keep) {
            out.push_back(std::move(a));
        }
    }
    attr = std::move(out);
    if (found)
        return;
    static const std::regex r0(R"(^\s*post-up\s+ip\s+route\s+add\s+(\S+)\s+dev\s+(\S+)$)");
    static const std::regex r1(
        R"(^\s*post-up\s+ip\s+route\s+add\s+default\s+via\s+(\S+)\s+dev\s+(\S+)$)");
    static const std::regex r2(
        R"(^\s*pre-down\s+ip\s+route\s+del\s+default\s+via\s+(\S+)\s+dev\s+(\S+)$)");
    static const std::regex r3(R"(^\s*pre-down\s+ip\s+route\s+del\s+(\S+)\s+dev\s+(\S+)$)");
    for (std::size_t i = 0; i + 3 < attr.size(); ++i) {
        std::smatch m0, m1, m2, m3;
        if (!std::regex_match(attr[i], m0, r0))
            continue;
        auto same = [&](const std::string& line, const std::regex& r, std::smatch& m) {
            return std::regex_match(line, m, r) && m[1] == m0[1] && m[2] == m0[2];
        };
        if (same(attr[i + 1], r1, m1) && same(attr[i + 2], r2, m2) && same(attr[i + 3], r3, m3)) {
            attr.erase(attr.begin() + static_cast<std::ptrdiff_t>(i),
                       attr.begin() + static_cast<std::ptrdiff_t>(i) + 4);
            if (i > 0)
                --i;
            else
                i = static_cast<std::size_t>(-1); // ++i makes it 0 again
        }
    }
}

std::string gateway_scripts(const std::string& ifname, const std::string& gw) {
    return fmt::format("# --- BEGIN PVE ---\n"
                       "\tpost-up ip route add {1} dev {0}\n"
                       "\tpost-up ip route add default via {1} dev {0}\n"
                       "\tpre-down ip route del default via {1} dev {0}\n"
                       "\tpre-down ip route del {1} dev {0}\n"
                       "# --- END PVE ---\n",
                       ifname, gw);
}

bool blank(const std::string& line) {
    return line.find_first_not_of(" \t\r\f\v") == std::string::npos;
}

} // namespace

Result<std::map<std::string, IfaceNet>> interface_networks(const ContainerSettings& conf) {
    std::map<std::string, IfaceNet> networks;
    for (const auto& [index, d] : conf.net) {
        if (d.name.empty())
            continue;
        std::string key = fmt::format("net{}", index);
        IfaceNet net;
        bool any = false;
        std::optional<std::string> cidr;
        if (d.ip) {
            any = true;
            if (*d.ip == "dhcp" || *d.ip == "manual") {
                net.address = *d.ip;
            } else {
                auto info = parse_ipv4_cidr(*d.ip);
                if (!info)
                    return fail(Errc::invalid_argument, "unable to parse ipv4 address/mask",
                                {.key = key, .subkey = "ip"});
                net.address = info->address;
                net.netmask = info->netmask;
                net.cidr = cidr = *d.ip;
            }
        }
        if (d.gw) {
            any = true;
            net.gateway = *d.gw;
            if (cidr && !ip_in_cidr(*d.gw, *cidr, false))
                net.needsroute = true;
        }
        cidr.reset();
        if (d.ip6) {
            any = true;
            if (*d.ip6 == "auto" || *d.ip6 == "dhcp" || *d.ip6 == "manual") {
                net.address6 = *d.ip6;
            } else {
                auto info = parse_ipv6_cidr(*d.ip6);
                if (!info)
                    return fail(Errc::invalid_argument, "unable to parse ipv6 address/prefix",
                                {.key = key, .subkey = "ip6"});
                net.address6 = info->first;
                net.netmask6 = info->second;
                net.cidr6 = cidr = *d.ip6;
            }
        }
        if (d.gw6) {
            any = true;
            net.gateway6 = *d.gw6;
            if (cidr && !ip_in_cidr(*d.gw6, *cidr, true) && !ip_in_cidr(*d.gw6, "fe80::/10", true))
                net.needsroute6 = true;
        }
        if (any)
            networks[d.name] = std::move(net);
    }
    return networks;
}

std::string render_interfaces(const std::optional<std::string>& old,
                              const std::map<std::string, IfaceNet>& networks, bool cidr_form) {
    struct Section {
        bool v6 = false;
        std::string ifname;
        std::vector<std::string> attr;
    };
    std::string out;
    std::optional<Section> section;
    std::set<std::string, std::less<>> done_auto, done_v4, done_v6;

    auto print_section = [&] {
        if (!section)
            return;
        const std::string& ifname = section->ifname;
        const IfaceNet& net = networks.at(ifname);
        if (!done_auto.contains(ifname)) {
            out += "auto " + ifname + "\n";
            done_auto.insert(ifname);
        }
        const auto& address = section->v6 ? net.address6 : net.address;
        const auto& netmask = section->v6 ? net.netmask6 : net.netmask;
        const auto& cidr = section->v6 ? net.cidr6 : net.cidr;
        const auto& gateway = section->v6 ? net.gateway6 : net.gateway;
        bool needsroute = section->v6 ? net.needsroute6 : net.needsroute;
        const char* family = section->v6 ? "inet6" : "inet";
        (section->v6 ? done_v6 : done_v4).insert(ifname);
        if (!address) {
            // no address: no iface line
        } else if (*address == "dhcp" || *address == "manual" ||
                   (section->v6 && *address == "auto")) {
            out += fmt::format("iface {} {} {}\n\n", ifname, family, *address);
        } else {
            out += fmt::format("iface {} {} static\n", ifname, family);
            if (cidr_form) {
                if (cidr)
                    out += "\taddress " + *cidr + "\n";
            } else {
                out += "\taddress " + *address + "\n";
                if (netmask)
                    out += "\tnetmask " + *netmask + "\n";
            }
            remove_gateway_scripts(section->attr);
            if (gateway)
                out +=
                    needsroute ? gateway_scripts(ifname, *gateway) : "\tgateway " + *gateway + "\n";
            for (const auto& a : section->attr)
                out += "\t" + a + "\n";
            out += "\n";
        }
        section.reset();
    };

    static const std::regex iface_re(R"(^\s*iface\s+(\S+)\s+(inet6?)\s+(\S+)\s*$)");
    static const std::regex auto_re(R"(^\s*auto\s*(.*)$)");
    static const std::regex other_re(R"(^\s*(?:mapping\s|allow-|source\s|source-directory\s))");
    static const std::regex attr_re(R"(^\s*((\S+)\s(.*))$)");
    static const std::regex ws_re(R"(\s+)");
    if (old) {
        std::size_t pos = 0;
        while (pos < old->size()) {
            auto nl = old->find('\n', pos);
            std::string line =
                old->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
            pos = nl == std::string::npos ? old->size() : nl + 1;
            std::smatch m;
            if (line.starts_with("# --- BEGIN PVE ---") || line.starts_with("# --- END PVE ---")) {
                // Kept with the stanza so that remove_gateway_scripts finds them.
                if (section)
                    section->attr.push_back(line);
                continue;
            }
            if (line.starts_with('#')) {
                out += line + "\n";
                continue;
            }
            if (blank(line)) {
                if (section)
                    print_section();
                else
                    out += line + "\n";
                continue;
            }
            if (std::regex_match(line, m, iface_re)) {
                std::string ifname = m[1];
                bool v6 = m[2] == "inet6";
                print_section();
                if (!networks.contains(ifname)) {
                    out += line + "\n";
                    continue;
                }
                section = Section{v6, ifname, {}};
                continue;
            }
            if (std::regex_match(line, m, auto_re)) {
                std::string rest = m[1];
                for (std::sregex_token_iterator it(rest.begin(), rest.end(), ws_re, -1), end;
                     it != end; ++it)
                    done_auto.insert(*it);
                print_section();
                out += line + "\n";
                continue;
            }
            if (std::regex_search(line, m, other_re)) {
                print_section();
                out += line + "\n";
                continue;
            }
            if (section && std::regex_match(line, m, attr_re)) {
                std::string name = m[2];
                if (name != "address" && name != "netmask" && name != "gateway" &&
                    name != "broadcast")
                    section->attr.push_back(m[1]);
                continue;
            }
            out += line + "\n";
        }
        print_section();
    }

    bool need_separator = !out.empty() && !out.ends_with("\n\n");
    for (const auto& [ifname, net] : networks) {
        for (bool v6 : {false, true}) {
            if ((v6 ? done_v6 : done_v4).contains(ifname) || !(v6 ? net.address6 : net.address))
                continue;
            if (need_separator) {
                out += "\n";
                need_separator = false;
            }
            section = Section{v6, ifname, {}};
            print_section();
        }
    }
    // Older templates (< Debian 8) do not configure the loopback interface otherwise.
    if (!done_auto.contains("lo"))
        out = "auto lo\niface lo inet loopback\niface lo inet6 loopback\n\n" + out;
    return out;
}

} // namespace pct::runtime::detail::setup
