// SPDX-License-Identifier: AGPL-3.0-or-later
#include "cpuset_table.hpp"

#include <charconv>

namespace pct::cli {

namespace {

std::optional<unsigned> number(std::string_view text) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return n;
}

} // namespace

std::optional<std::set<unsigned>> parse_cpu_list(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    std::set<unsigned> cpus;
    while (!text.empty()) {
        std::string_view item = text.substr(0, text.find(','));
        text.remove_prefix(std::min(text.size(), item.size() + 1));
        auto dash = item.find('-');
        auto first = number(item.substr(0, dash));
        auto last = dash == std::string_view::npos ? first : number(item.substr(dash + 1));
        if (!first || !last || *last < *first || *last > 65535)
            return std::nullopt;
        for (unsigned id = *first; id <= *last; ++id)
            cpus.insert(id);
    }
    return cpus;
}

std::string format_cpusets(const std::map<std::string, std::set<unsigned>>& cpus) {
    std::map<std::string, std::string> lines;
    std::size_t len = 0, id_len = 0;
    for (const auto& [vmid, set] : cpus) {
        std::string line = ": ";
        unsigned last = set.empty() ? 0 : *set.rbegin();
        for (unsigned id = 0; !set.empty() && id <= last; ++id) {
            std::string digits = std::to_string(id);
            line += ' ' + (set.contains(id) ? digits : std::string(digits.size(), ' '));
        }
        len = std::max(len, line.size());
        id_len = std::max(id_len, vmid.size());
        lines[vmid] = std::move(line);
    }
    if (lines.empty())
        return "no running containers\n";
    const std::string rule = std::string(len + id_len, '-') + '\n';
    std::string out = rule;
    for (const auto& [vmid, line] : lines)
        out += std::string(id_len - vmid.size(), ' ') + vmid + line + '\n';
    return out + rule;
}

} // namespace pct::cli
