// SPDX-License-Identifier: AGPL-3.0-or-later
#include "text_scan.hpp"

#include <pct/parse/lxc_keys.hpp>

#include <cctype>

namespace pct::capi {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool blank(std::string_view line) {
    for (char c : line)
        if (!is_space(c))
            return false;
    return true;
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// `[NAME]` followed by blanks only; returns NAME.
std::optional<std::string_view> header(std::string_view line) {
    if (line.empty() || line.front() != '[')
        return std::nullopt;
    auto close = line.find(']');
    if (close == std::string_view::npos || !blank(line.substr(close + 1)))
        return std::nullopt;
    std::string_view name = line.substr(1, close - 1);
    if (iequal(name, "pve:pending"))
        return std::string_view("pve:pending");
    if (name.size() < 2 || !std::isalpha(static_cast<unsigned char>(name[0])))
        return std::nullopt;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) || u >= 0x80) {
            if (c != '_' && c != '-')
                return std::nullopt;
        }
    }
    return name;
}

// The key of a raw lxc line (`^(lxc\.[a-z0-9_\-.]+)(:|\s*=)`), if it is one.
std::optional<std::string_view> lxc_key(std::string_view line) {
    if (line.substr(0, 4) != "lxc.")
        return std::nullopt;
    std::size_t i = 4;
    while (i < line.size()) {
        char c = line[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')
            ++i;
        else
            break;
    }
    if (i == 4)
        return std::nullopt;
    std::string_view key = line.substr(0, i);
    if (i < line.size() && line[i] == ':')
        return key;
    while (i < line.size() && is_space(line[i]))
        ++i;
    if (i < line.size() && line[i] == '=')
        return key;
    return std::nullopt;
}

bool becomes_entry(std::string_view key) {
    if (key == "lxc.environment.runtime")
        return false;
    auto verdict = parse::check_lxc_key(key).verdict;
    return verdict == parse::LxcKeyVerdict::accepted ||
           verdict == parse::LxcKeyVerdict::deprecated;
}

} // namespace

SectionLines scan_section(std::string_view text, std::string_view section) {
    SectionLines out;
    out.found = section.empty();
    std::string current; // "" = main
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
        std::string_view line = text.substr(pos, (nl == std::string_view::npos ? end : nl) - pos);
        LineSpan span{pos, end};
        pos = end;
        if (blank(line))
            continue;
        if (auto name = header(line)) {
            current = std::string(*name);
            if (current == section) {
                // A repeated header starts the section afresh, as in the parser.
                out = SectionLines{};
                out.found = true;
                out.last = span;
            }
            continue;
        }
        if (current != section)
            continue;
        out.last = span;
        out.eol = (!line.empty() && line.back() == '\r') ? "\r\n" : "\n";
        if (line.front() == '#')
            continue;
        if (auto key = lxc_key(line); key && becomes_entry(*key))
            out.lxc_entries.push_back(span);
    }
    return out;
}

std::string append_line(std::string_view text, std::string_view section, std::string_view line) {
    SectionLines lines = scan_section(text, section);
    std::string out(text);
    if (!lines.found) {
        if (!out.empty() && out.back() != '\n')
            out += '\n';
        out += "\n[";
        out += section;
        out += "]\n";
        out += line;
        out += '\n';
        return out;
    }
    std::size_t at = lines.last ? lines.last->end : 0;
    std::string insert;
    if (at > 0 && out[at - 1] != '\n')
        insert += lines.eol;
    insert += line;
    insert += lines.eol;
    out.insert(at, insert);
    return out;
}

} // namespace pct::capi
